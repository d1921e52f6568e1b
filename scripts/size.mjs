#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Size of each package's browser entry as a user's bundler would ship it: bundled with its
// dependencies (peers such as React and Vue excluded), minified, gzipped. Fails when a budget
// is exceeded. `--json` prints the numbers as JSON.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Budgets in bytes (1 kB = 1000 B), min+gzip unless `raw` (minified only). */
export const ENTRIES = [
  { name: 'core', entry: '@live-transcript/core', budget: 6500 },
  { name: 'element (with lit and core)', entry: '@live-transcript/element/define', budget: 14000 },
  {
    name: 'react (without react)',
    entry: '@live-transcript/react',
    external: ['react', 'react-dom'],
  },
  { name: 'vue (without vue)', entry: '@live-transcript/vue', external: ['vue'] },
  {
    name: 'capture worklet (minified)',
    file: 'packages/core/dist/capture-worklet.js',
    budget: 8000,
    raw: true,
  },
];

async function measure({ entry, file, external = [] }) {
  if (file) {
    const path = join(root, file);
    if (!existsSync(path)) return undefined;
    const code = readFileSync(path);
    return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
  }
  const result = await build({
    stdin: { contents: `export * from '${entry}';`, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser', 'production'],
    external,
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export async function measureAll() {
  const rows = [];
  for (const item of ENTRIES) {
    const size = await measure(item);
    const value = size && (item.raw ? size.minified : size.gzip);
    rows.push({
      name: item.name,
      minified: size?.minified,
      gzip: size?.gzip,
      budget: item.budget,
      metric: item.raw ? 'minified' : 'min+gzip',
      ok: !item.budget || (value !== undefined && value <= item.budget),
    });
  }
  return rows;
}

const kb = (bytes) => (bytes === undefined ? 'n/a' : `${(bytes / 1000).toFixed(2)} kB`);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measureAll();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log('Bundle sizes (bundled with dependencies, minified, gzip -9)');
    for (const row of rows) {
      const budget = row.budget ? `budget ${kb(row.budget)} ${row.metric}` : '';
      const verdict = row.budget ? (row.ok ? 'ok' : 'OVER BUDGET') : '';
      console.log(
        `  ${row.name.padEnd(30)} ${kb(row.minified).padStart(9)} min ${kb(row.gzip).padStart(9)} gz   ${budget} ${verdict}`
      );
    }
  }
  if (rows.some((row) => !row.ok)) process.exit(1);
}
