// SPDX-License-Identifier: MIT
import { libraryConfig } from '../../scripts/rollup-config.mjs';

export default [libraryConfig({ input: ['src/index.ts', 'src/global.ts'] })];
