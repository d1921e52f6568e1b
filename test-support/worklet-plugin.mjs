// SPDX-License-Identifier: MIT
// Serves the capture worklet to browser tests that import core from source, where the build
// outputs do not exist: `src/capture-worklet.js` (the file that `src/audio/capture.ts` loads as
// `new URL('../capture-worklet.js', import.meta.url)`, like `dist/audio/` -> `dist/`) and
// `src/audio/worklet-code.js` (the same code as a string, for the Blob URL fallback). Both are
// bundled from source on each request, with the helper the rollup build uses.
import { bundleWorklet, workletCodeModule } from '../scripts/worklet-bundle.mjs';

const FILE = /\/packages\/core\/src\/capture-worklet\.js$/;
const CODE_MODULE = /\/packages\/core\/src\/audio\/worklet-code\.js$/;

/** @returns {import('@web/dev-server-core').Plugin} */
export function workletPlugin() {
  return {
    name: 'live-transcript-worklet',
    resolveImport({ source, context }) {
      // Keep the generated module's specifier as written (there is no file to resolve).
      if (source === './worklet-code.js' && context.path.includes('/packages/core/src/audio/')) {
        return source;
      }
      return undefined;
    },
    async serve(context) {
      if (FILE.test(context.path)) return { body: await bundleWorklet(), type: 'js' };
      if (CODE_MODULE.test(context.path)) {
        return { body: workletCodeModule(await bundleWorklet()), type: 'js' };
      }
      return undefined;
    },
  };
}
