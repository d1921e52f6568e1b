#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm test`: lint, typecheck, build and every test suite through turbo, in every browser of
// scripts/browsers.mjs that is installed (LT_BROWSERS picks them; CI=1 requires all three), then
// one summary of what ran where, and which browsers were skipped. Exits non-zero when anything
// failed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSkipped, selectBrowsers } from './browsers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultDirs = [
  join(root, 'test-results'),
  ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'test-results')),
  join(root, 'examples/test-results'),
  join(root, 'integration/test-results'),
];

const browsers = selectBrowsers();
if (browsers.missing.length > 0) {
  console.error(
    `Cannot run the browser tests:\n  ${describeSkipped(browsers.missing, 'required').join('\n  ')}`
  );
  process.exit(1);
}
const skippedLines = describeSkipped(browsers.skipped);
for (const line of skippedLines) console.warn(line);
console.log(`Browsers: ${browsers.run.join(', ')}`);

for (const dir of resultDirs) rmSync(dir, { recursive: true, force: true });

// Two turbo runs. First the checks and builds, which only need CPU, all at once. Then the
// tests, a few runners at a time: real-time audio in a browser takes about half a core, and a
// 2-core machine that also compiles misses its deadlines. `test:firefox` and `test:webkit` are
// the slowest browsers of core and element, beside their `test` (LT_BROWSER_TASKS).
const phases = [
  { tasks: ['lint', 'lint:root', 'typecheck', 'typecheck:root', 'build'], concurrency: 10 },
  {
    tasks: ['test', 'test:firefox', 'test:webkit', 'test:root'],
    concurrency: Number(process.env.LT_TEST_CONCURRENCY ?? 3),
  },
];
const started = Date.now();
const turbo = ({ tasks, concurrency }) =>
  new Promise((resolve) => {
    const child = spawn(
      join(root, 'node_modules/.bin/turbo'),
      [
        'run',
        ...tasks,
        `--concurrency=${concurrency}`,
        '--continue=always',
        '--log-order=grouped',
        '--summarize',
        ...process.argv.slice(2),
      ],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          // Explicit, so that turbo's cache knows which browsers ran.
          LT_BROWSERS: browsers.run.join(','),
          LT_BROWSER_TASKS: '1',
          TURBO_TELEMETRY_DISABLED: '1',
          DO_NOT_TRACK: '1',
        },
      }
    );
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
let code = 0;
for (const phase of phases) code = (await turbo(phase)) || code;

/** The result files of every runner: `{ dir, file, row }`. */
function readResults() {
  const results = [];
  for (const dir of resultDirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      results.push({ dir, file, row: JSON.parse(readFileSync(join(dir, file), 'utf8')) });
    }
  }
  return results;
}

/** The turbo tasks that failed in this run (from its summaries), or undefined if unknown. */
function failedTasks() {
  const runs = join(root, '.turbo/runs');
  if (!existsSync(runs)) return undefined;
  const summaries = readdirSync(runs)
    .filter((f) => f.endsWith('.json') && statSync(join(runs, f)).mtimeMs >= started)
    .map((f) => JSON.parse(readFileSync(join(runs, f), 'utf8')));
  if (summaries.length < phases.length) return undefined;
  return summaries.flatMap((summary) =>
    summary.tasks.filter((t) => t.execution?.exitCode).map((t) => t.taskId)
  );
}

// Real-time audio tests on a machine loaded by every task at once can miss a deadline twice in
// a row. A browser test file that still fails runs once more now, one at a time on a quiet
// machine; one that passes then is listed as flaky, one that fails again fails the run.
const browserIds = (file) => file.match(/^browser-(.+)\.json$/)?.[1];
const retried = [];
/** No retry starts after this many seconds: CI has 20 minutes in all. */
const RETRY_UNTIL_S = 960;
for (const { dir, file, row } of readResults()) {
  const id = browserIds(file);
  if (!id || (row.failed ?? 0) + (row.errors ?? 0) === 0) continue;
  if (Date.now() - started > RETRY_UNTIL_S * 1000) {
    console.warn(`No time left to run ${row.label} (${row.browser}) again.`);
    continue;
  }
  const cwd = dirname(dir);
  retried.push(`${row.label} (${row.browser})`);
  await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(root, 'scripts/run-package-tests.mjs'), '--again', `--browsers=${id}`],
      {
        cwd,
        stdio: 'inherit',
        env: { ...process.env, LT_BROWSERS: browsers.run.join(','), LT_BROWSER_TASKS: '1' },
      }
    );
    child.on('exit', resolve);
  });
}
const rows = readResults().map(({ row }) => row);
/** Turbo failed only in test tasks: their result files say whether the tests now pass. */
const failed = code === 0 ? [] : failedTasks();
const testsOnly = failed?.every((task) => /#test(:\w+)?$/.test(task)) ?? false;

const pad = (value, width, right = false) =>
  right ? String(value).padStart(width) : String(value).padEnd(width);
const line = (cells) =>
  `  ${pad(cells[0], 13)}${pad(cells[1], 12)}${pad(cells[2], 8, true)}${pad(cells[3], 8, true)}${pad(cells[4], 9, true)}${pad(cells[5], 7, true)}`;

const total = { passed: 0, failed: 0, skipped: 0, files: 0 };
console.log('\nTest summary');
console.log(line(['package', 'runner', 'passed', 'failed', 'skipped', 'files']));
for (const row of rows) {
  const failed = (row.failed ?? 0) + (row.errors ?? 0);
  console.log(line([row.label, row.browser, row.passed, failed, row.skipped, row.files]));
  total.passed += row.passed ?? 0;
  total.failed += failed;
  total.skipped += row.skipped ?? 0;
  total.files += row.files ?? 0;
}
console.log(line(['total', '', total.passed, total.failed, total.skipped, total.files]));
const perRunner = new Map();
for (const row of rows) {
  const sum = perRunner.get(row.browser) ?? { passed: 0, failed: 0, skipped: 0, files: 0 };
  sum.passed += row.passed ?? 0;
  sum.failed += (row.failed ?? 0) + (row.errors ?? 0);
  sum.skipped += row.skipped ?? 0;
  sum.files += row.files ?? 0;
  perRunner.set(row.browser, sum);
}
for (const [runner, sum] of perRunner) {
  console.log(line(['', runner, sum.passed, sum.failed, sum.skipped, sum.files]));
}
if (skippedLines.length > 0) console.log(`\nNot tested:\n  ${skippedLines.join('\n  ')}`);
/** `failures` or `flaky` of every row, each naming its package and runner. */
const listed = (key) =>
  rows.flatMap((row) => (row[key] ?? []).map((test) => `${row.label} (${row.browser}) ${test}`));
const failures = listed('failures');
const flaky = listed('flaky');
if (flaky.length > 0) {
  console.log(`\nFlaky (failed, then passed when its file ran again):\n  ${flaky.join('\n  ')}`);
}
if (failures.length > 0) console.log(`\nFailed:\n  ${failures.join('\n  ')}`);
const seconds = Math.round((Date.now() - started) / 1000);
if (retried.length > 0)
  console.log(`\nRan again at the end, on a quiet machine: ${retried.join(', ')}.`);
const passed = (code === 0 || testsOnly) && total.failed === 0;
if (passed) {
  const note = flaky.length > 0 ? `; ${flaky.length} flaky, listed above` : '';
  console.log(`\nAll checks passed (lint, typecheck, build, tests) in ${seconds} s${note}.`);
} else {
  console.log(
    `\nFAILED after ${seconds} s: see the task output above (turbo lists the failed tasks).`
  );
}
process.exit(passed ? 0 : 1);
