// SPDX-License-Identifier: MIT
import { libraryConfig } from '../../scripts/rollup-config.mjs';

export default [
  libraryConfig({
    input: ['src/index.ts', 'src/server/index.ts', 'src/testing/index.ts', 'src/testing/node.ts'],
  }),
];
