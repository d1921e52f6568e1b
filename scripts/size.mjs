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

/**
 * Sizes in bytes (1 kB = 1000 B), min+gzip of what a page loads up front, unless `raw`
 * (minified only). `target` is the size we aim for; `budget` is what CI enforces today, so that
 * no change makes a package bigger unnoticed. Where the two differ, the target is not met yet:
 * core carries the whole pipeline (resampling worklet loader, session with pacing and
 * reconnection, transcript store with caption exports, token and error handling), and the
 * element adds Lit and the UI on top. Lower a budget whenever a package shrinks.
 */
export const ENTRIES = [
  { name: 'core', entry: '@live-transcript/core', target: 6500, budget: 23600 },
  {
    name: 'element (with lit and core)',
    entry: '@live-transcript/element/define',
    target: 14000,
    budget: 30700,
  },
  {
    name: 'react (+ element, lit, core)',
    entry: '@live-transcript/react',
    external: ['react', 'react-dom'],
  },
  { name: 'vue (+ element, lit, core)', entry: '@live-transcript/vue', external: ['vue'] },
  {
    name: 'element CDN file (one module)',
    file: 'packages/element/dist/cdn/live-transcript.js',
    target: 14000,
    budget: 32800,
  },
  {
    name: 'capture worklet (minified)',
    file: 'packages/core/dist/capture-worklet.js',
    target: 8000,
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
    splitting: true,
    outdir: join(root, 'node_modules/.cache/size'),
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser', 'production'],
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  // What a page loads up front: the entry chunk and the chunks it imports statically. Chunks
  // behind a dynamic import() (the worklet's inline copy, used only when the worklet file cannot
  // be loaded) are reported apart.
  const byPath = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const outputs = result.metafile.outputs;
  const entryPath = Object.keys(outputs).find((path) => outputs[path].entryPoint);
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path) || !outputs[path]) return;
    seen.add(path);
    for (const imported of outputs[path].imports)
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entryPath);
  const absolute = (path) => join(root, path);
  const initial = Buffer.concat([...seen].map((path) => Buffer.from(byPath.get(absolute(path)))));
  const lazy = [...byPath.entries()]
    .filter(([path]) => path.endsWith('.js') && ![...seen].some((p) => absolute(p) === path))
    .reduce((sum, [, code]) => sum + gzipSync(code, { level: 9 }).length, 0);
  return { minified: initial.length, gzip: gzipSync(initial, { level: 9 }).length, lazyGzip: lazy };
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
      lazyGzip: size?.lazyGzip || undefined,
      budget: item.budget,
      target: item.target,
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
      const limit = row.budget
        ? `budget ${kb(row.budget)}${row.target && row.target < row.budget ? ` (target ${kb(row.target)})` : ''}`
        : '';
      const verdict = row.budget ? (row.ok ? 'ok' : 'OVER BUDGET') : '';
      const lazy = row.lazyGzip ? `, +${kb(row.lazyGzip)} gz on demand` : '';
      console.log(
        `  ${row.name.padEnd(28)} ${kb(row.minified).padStart(9)} min ${kb(row.gzip).padStart(9)} gz  ${limit} ${verdict}${lazy}`
      );
    }
  }
  if (rows.some((row) => !row.ok)) process.exit(1);
}
