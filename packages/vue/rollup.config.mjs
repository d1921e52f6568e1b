// SPDX-License-Identifier: MIT
import { libraryConfig } from '../../scripts/rollup-config.mjs';

// Keep the import that registers the element: it is the one side effect this package relies on
// (declared by the element's own `sideEffects`).
export default [
  {
    ...libraryConfig({ input: ['src/index.ts', 'src/global.ts'] }),
    treeshake: { moduleSideEffects: (id, external) => external && id.endsWith('/define') },
  },
];
