// SPDX-License-Identifier: MIT
// The CDN build: `dist/cdn/live-transcript.js`, a minified ES module with Lit and what the
// element needs up front, that registers <live-transcript> when loaded, and the chunks it
// imports (relative URLs, next to it) when captions are used: the transcriber and its engine.
// One script tag is still all a page needs:
//   <script type="module" src="https://cdn.jsdelivr.net/npm/@live-transcript/element@<version>/dist/cdn/live-transcript.js"></script>
// The capture worklet is copied to `dist/capture-worklet.js`, where the bundled loader looks for
// it (`../capture-worklet.js` from its chunk in dist/cdn/), so strict-CSP pages need no `blob:`.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

rmSync('dist/cdn', { recursive: true, force: true });
mkdirSync('dist/cdn', { recursive: true });
await build({
  entryPoints: { 'live-transcript': 'dist/define.js' },
  outdir: 'dist/cdn',
  splitting: true,
  chunkNames: '[name]-[hash]',
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
