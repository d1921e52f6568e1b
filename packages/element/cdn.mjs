// SPDX-License-Identifier: MIT
// The CDN build: `dist/cdn/live-transcript.js`, one minified ES module with Lit and the core
// inside, that registers <live-transcript> when loaded:
//   <script type="module" src="https://cdn.example/@live-transcript/element/dist/cdn/live-transcript.js"></script>
// The capture worklet is copied to `dist/capture-worklet.js`, where the bundled loader looks for
// it (`../capture-worklet.js` from the bundle), so strict-CSP pages need no `blob:`.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

mkdirSync('dist/cdn', { recursive: true });
await build({
  entryPoints: ['dist/define.js'],
  outfile: 'dist/cdn/live-transcript.js',
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['browser', 'production'],
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'eof',
  sourcemap: true,
  logLevel: 'warning',
});
copyFileSync(
  require.resolve('@live-transcript/core/capture-worklet.js'),
  'dist/capture-worklet.js'
);
