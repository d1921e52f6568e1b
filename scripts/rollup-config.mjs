// SPDX-License-Identifier: MIT
// Shared rollup setup: unbundled ESM (one output module per source module), sourcemaps,
// every bare import external. Declarations come from `tsc -p tsconfig.build.json`.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import esbuild from 'rollup-plugin-esbuild';

/**
 * Copies the repository's LICENSE next to the package.json of the package being built, where
 * npm packs it: one LICENSE for every package, kept once in git (the copies are ignored).
 * @returns {import('rollup').Plugin}
 */
function license() {
  return {
    name: 'live-transcript-license',
    writeBundle() {
      copyFileSync(join(import.meta.dirname, '../LICENSE'), join(process.cwd(), 'LICENSE'));
    },
  };
}

const isExternal = (id) =>
  !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !id.startsWith('virtual:');

/**
 * @param {{
 *   input: string | string[] | Record<string, string>,
 *   plugins?: import('rollup').Plugin[],
 *   banner?: string,
 * }} options `banner` is prepended to every output module (e.g. `'use client';`, which rollup
 *   would otherwise drop as a module-level directive).
 * @returns {import('rollup').RollupOptions}
 */
export function libraryConfig({ input, plugins = [], banner }) {
  return {
    input,
    onwarn(warning, warn) {
      if (banner && warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
      warn(warning);
    },
    output: {
      banner,
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      preserveModules: true,
      preserveModulesRoot: 'src',
      entryFileNames: '[name].js',
    },
    external: isExternal,
    // Our modules have no side effects; an import of another package is kept as written (e.g.
    // `import '@live-transcript/element/define'` in the wrappers registers the element).
    treeshake: { moduleSideEffects: (_id, external) => external },
    plugins: [
      ...plugins,
      esbuild({ target: 'es2022', tsconfig: 'tsconfig.build.json' }),
      license(),
    ],
  };
}
