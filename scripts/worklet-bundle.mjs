// SPDX-License-Identifier: MIT
// Builds the capture AudioWorklet (packages/core/src/audio/capture-worklet.ts and what it
// imports) into one self-contained, minified ES module with esbuild. Used by core's rollup build
// (dist/capture-worklet.js, and dist/audio/worklet-code.js, which exports the same code as a
// string for the Blob URL fallback) and by the test server, which serves both from source.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKLET_ENTRY = join(root, 'packages/core/src/audio/capture-worklet.ts');

/** @returns {Promise<string>} the worklet module's code */
export async function bundleWorklet() {
  const result = await build({
    entryPoints: [WORKLET_ENTRY],
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    charset: 'ascii',
    legalComments: 'none',
    banner: { js: '// SPDX-License-Identifier: MIT\n// @live-transcript/core capture worklet' },
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
  if (imports.length > 0) throw new Error('The capture worklet must not import anything.');
  return result.outputFiles[0].text;
}

/** `export default "<worklet code>";` */
export const workletCodeModule = (code) => `export default ${JSON.stringify(code)};\n`;

/**
 * Rollup plugin for core's library build: emits `capture-worklet.js` next to the entry, and
 * answers the `./worklet-code.js` import of `src/audio/capture.ts` with the code as a string
 * (a module of its own, reached only by a dynamic import, so it stays out of the entry's size).
 * @returns {import('rollup').Plugin}
 */
export function workletRollupPlugin() {
  let code = '';
  const id = join(root, 'packages/core/src/audio/worklet-code.js');
  return {
    name: 'live-transcript-worklet',
    async buildStart() {
      code = await bundleWorklet();
    },
    resolveId(source, importer) {
      if (source === './worklet-code.js' && importer && join(dirname(importer), source) === id)
        return id;
      return null;
    },
    load(loadId) {
      return loadId === id ? workletCodeModule(code) : null;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'capture-worklet.js', source: code });
    },
  };
}
