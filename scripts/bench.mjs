#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm run bench`: every benchmark, each in its own process, then one table; the same numbers go
// to bench/results.json so that a change can be compared with the last run. Sizes and ratios are
// the numbers to watch: absolute times depend on the machine, ratios are measured in one run.
// Needs the packages built (it builds them through turbo first) and Chromium (CHROME_PATH).
//
//   npm run bench [-- --quick]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAll } from './size.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');

execFileSync(join(root, 'node_modules/.bin/turbo'), ['run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});

/** Runs one benchmark script with `--json` and returns what it printed. */
function bench(file, ...args) {
  process.stderr.write(`running ${file} ...\n`);
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, file), '--json', ...args],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }
  );
  return JSON.parse(out.slice(out.indexOf('{')));
}

const sizes = await measureAll();
const resampler = bench(
  'bench/resampler.ts',
  ...(quick ? ['--seconds', '5', '--rounds', '3'] : [])
);
const render = bench(
  'bench/element-render.ts',
  ...(quick ? ['--rounds', '2', '--updates', '30'] : [])
);
const latency = bench('bench/latency.mjs', ...(quick ? ['--runs', '2'] : []));
// An hour of captions in three to four minutes (half of it with --quick).
const { table: soakTable, ...soak } = bench('bench/soak.ts', ...(quick ? ['--turns', '750'] : []));

const kb = (bytes) => (bytes === undefined ? 'n/a' : `${(bytes / 1000).toFixed(2)} kB`);
const ms = (value, digits = 2) => `${value.toFixed(digits)} ms`;
const rows = [];
const add = (group, name, value, note = '') => rows.push({ group, name, value, note });

for (const row of sizes) {
  const value = row.metric === 'minified' ? kb(row.upFront?.minified) : kb(row.upFront?.gzip);
  const lazy = row.total && row.total.files > row.upFront.files;
  const checks = row.checks.map(
    (c) =>
      `${c.scope === 'upFront' ? 'up front' : 'total'}: budget ${kb(c.budget)}, target ${kb(c.target)}${c.met ? ' (met)' : ' (not met)'}${c.ok ? '' : ' OVER BUDGET'}`
  );
  add(
    'size',
    `${row.name}`,
    value,
    [`${row.metric} up front`, lazy ? `${kb(row.total.gzip)} with every chunk` : '', ...checks]
      .filter(Boolean)
      .join('; ')
  );
}
for (const r of resampler.results) {
  const pair = `${r.inputRate / 1000}→${r.outputRate / 1000} kHz`;
  add(
    'resampler',
    `CPU per second of audio, ${pair}`,
    ms(r.resamplerMsPerSecond),
    `${r.ratioToLinear.toFixed(1)}x a naive linear interpolation (${ms(r.linearMsPerSecond)}), which aliases`
  );
  add(
    'resampler',
    `whole worklet path, ${pair}`,
    ms(r.capturePathMsPerSecond),
    'resample + Int16 + levels + framing'
  );
}
const [small, large] = render.results;
add(
  'element',
  `partial update, ${small.turns} / ${large.turns} turns`,
  `${ms(small.partialMs, 3)} / ${ms(large.partialMs, 3)}`,
  `ratio ${render.ratio.partial.toFixed(2)}x`
);
add(
  'element',
  `new final, ${small.turns} / ${large.turns} turns`,
  `${ms(small.finalMs, 3)} / ${ms(large.finalMs, 3)}`,
  `ratio ${render.ratio.final.toFixed(2)}x`
);
add(
  'latency',
  'start() → first frame on the wire, engine not loaded',
  `p50 ${ms(latency.coldStartToFirstFrameMs.p50, 1)}`,
  `p95 ${ms(latency.coldStartToFirstFrameMs.p95, 1)} (goal ≤ 400 ms), cold cache, ${latency.runs} runs`
);
add(
  'latency',
  'start() → first frame on the wire, after preload()',
  `p50 ${ms(latency.startToFirstFrameMs.p50, 1)}`,
  `p95 ${ms(latency.startToFirstFrameMs.p95, 1)} (before the lazy engine: p50 70–90, p95 110–190), ${latency.runs} runs`
);
add(
  'latency',
  'capture → ws.send (last sample of a frame)',
  `p50 ${ms(latency.captureToSendMs.p50, 1)}`,
  `p95 ${ms(latency.captureToSendMs.p95, 1)}, ${latency.captureToSendMs.frames} frames`
);

for (const [name, value, note] of soakTable) add('soak', name, value, note);

const width = (key) => Math.max(...rows.map((row) => row[key].length));
const [g, n, v] = [width('group'), width('name'), width('value')];
console.log(`\nlive-transcript benchmarks (Node ${process.version}, ${render.browser})`);
for (const row of rows) {
  console.log(
    `  ${row.group.padEnd(g)}  ${row.name.padEnd(n)}  ${row.value.padStart(v)}  ${row.note}`
  );
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  browser: render.browser,
  sizes,
  resampler: resampler.results,
  elementRender: { results: render.results, ratio: render.ratio },
  latency,
  soak,
};
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
console.log('\nWritten to bench/results.json.');
process.exit(sizes.every((row) => row.ok) ? 0 : 1);
