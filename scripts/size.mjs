#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Size of each package's browser entry as a user's bundler would ship it: bundled with its
// dependencies (peers such as React and Vue excluded), minified, gzipped. Fails when a budget
// is exceeded. `--json` prints the numbers as JSON.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Sizes in bytes (1 kB = 1000 B): each file minified and gzipped (-9) on its own, as a server
 * sends it, and summed. `upFront` is what a page loads before anyone clicks: the entry file and
 * what it imports statically; `total` adds every chunk behind a dynamic import() (the
 * transcriber and its engine, the worklet's inline copy). `target` is the size we aim for (the
 * issue's); `budget` is what CI enforces today so that nothing grows unnoticed: where it is
 * above the target, the target is not met yet (README, Performance). Lower a budget whenever
 * a size drops. `raw`: minified only.
 */
export const ENTRIES = [
  {
    name: 'element: import define',
    entry: "import '@live-transcript/element/define';",
    // Issues 17 and 18 (device picker, for/media, display, warnings, diagnostics) added 2.5 kB
    // up front and 7 kB in all.
    upFront: { target: 14000, budget: 20000 },
    total: { target: 28000, budget: 45000 },
  },
  {
    name: 'core: import { LiveTranscriber }',
    entry: "export { LiveTranscriber } from '@live-transcript/core';",
    upFront: { target: 6000, budget: 6000 },
  },
  {
    name: 'core: all of the main entry',
    entry: "export * from '@live-transcript/core';",
  },
  {
    name: 'react (+ element, lit, core)',
    entry: "export * from '@live-transcript/react';",
    external: ['react', 'react-dom'],
  },
  {
    name: 'vue (+ element, lit, core)',
    entry: "export * from '@live-transcript/vue';",
    external: ['vue'],
  },
  {
    name: 'CDN entry file',
    file: 'packages/element/dist/cdn/live-transcript.js',
    upFront: { target: 15000, budget: 15000 },
  },
  {
    name: 'capture worklet (minified)',
    file: 'packages/core/dist/capture-worklet.js',
    raw: true,
    total: { target: 8000, budget: 8000 },
  },
];

const gz = (code) => gzipSync(code, { level: 9 }).length;

/** `{ upFront, total }`: min and gzip bytes, with the files of each. */
async function measure({ entry, file, external = [], raw }) {
  if (file) {
    const path = join(root, file);
    if (!existsSync(path)) return undefined;
    const code = readFileSync(path);
    const size = { minified: code.length, gzip: raw ? code.length : gz(code), files: 1 };
    return { upFront: size, total: size };
  }
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'js' },
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
  const code = new Map(
    result.outputFiles.map((output) => [relative(root, output.path), output.contents])
  );
  const outputs = result.metafile.outputs;
  const entryPath = Object.keys(outputs).find((path) => outputs[path].entryPoint === '<stdin>');
  const upFront = new Set();
  const visit = (path) => {
    if (upFront.has(path) || !outputs[path]) return;
    upFront.add(path);
    for (const imported of outputs[path].imports)
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entryPath);
  const sum = (paths) => ({
    minified: paths.reduce((total, path) => total + code.get(path).length, 0),
    gzip: paths.reduce((total, path) => total + gz(code.get(path)), 0),
    files: paths.length,
  });
  const js = Object.keys(outputs).filter((path) => path.endsWith('.js'));
  return { upFront: sum([...upFront]), total: sum(js) };
}

export async function measureAll() {
  const rows = [];
  for (const item of ENTRIES) {
    const size = await measure(item);
    const checks = ['upFront', 'total']
      .filter((scope) => item[scope])
      .map((scope) => {
        const value = size?.[scope].gzip;
        return {
          scope,
          value,
          ...item[scope],
          ok: value !== undefined && value <= item[scope].budget,
          met: value !== undefined && value <= item[scope].target,
        };
      });
    rows.push({
      name: item.name,
      metric: item.raw ? 'minified' : 'min+gzip',
      upFront: size?.upFront,
      total: size?.total,
      checks,
      ok: checks.every((check) => check.ok),
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
    console.log('Sizes (each file minified and gzip -9, summed): up front, and with every chunk');
    for (const row of rows) {
      const checks = row.checks
        .map(
          (c) =>
            `${c.scope} budget ${kb(c.budget)} (target ${kb(c.target)}${c.met ? ', met' : ', not met'})${c.ok ? '' : ' OVER BUDGET'}`
        )
        .join('; ');
      console.log(
        `  ${row.name.padEnd(34)} up front ${kb(row.upFront?.gzip).padStart(9)}  total ${kb(row.total?.gzip).padStart(9)}  ${checks}`
      );
    }
  }
  if (rows.some((row) => !row.ok)) process.exit(1);
}
