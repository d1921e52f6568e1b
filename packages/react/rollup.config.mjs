// SPDX-License-Identifier: MIT
import { libraryConfig } from '../../scripts/rollup-config.mjs';

// Every module of this package is client code (components and hooks): keep Next.js's
// `'use client'` boundary on each of them.
export default [libraryConfig({ input: ['src/index.ts'], banner: "'use client';" })];
