// SPDX-License-Identifier: MIT
import { libraryConfig } from '../../scripts/rollup-config.mjs';

const config = libraryConfig({ input: ['src/index.ts'], banner: "'use client';" });

// Every module of this package is client code (components and hooks): keep Next.js's
// `'use client'` boundary on each of them. Keep the import that registers the element: it is
// the one side effect this package relies on (declared by the element's own `sideEffects`).
export default [
  {
    ...config,
    treeshake: { moduleSideEffects: (id, external) => external && id.endsWith('/define') },
  },
];
