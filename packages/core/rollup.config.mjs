// SPDX-License-Identifier: MIT
import { libraryConfig } from '../../scripts/rollup-config.mjs';
import { workletRollupPlugin } from '../../scripts/worklet-bundle.mjs';

// The worklet plugin also emits dist/capture-worklet.js (self-contained, minified) and the
// same code as a string in dist/audio/worklet-code.js (Blob URL fallback).
export default [
  libraryConfig({
    input: [
      'src/index.ts',
      'src/binding.ts',
      'src/audio/index.ts',
      'src/session/index.ts',
      'src/media/index.ts',
      'src/server/index.ts',
      'src/testing/index.ts',
      'src/testing/msw.ts',
      'src/testing/node.ts',
    ],
    plugins: [workletRollupPlugin()],
  }),
];
