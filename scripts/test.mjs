#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm test`: lint, typecheck, build and every test suite through turbo, in every browser of
// scripts/browsers.mjs that is installed (LT_BROWSERS picks them; CI=1 requires all three), then
// one summary of what ran where, and which browsers were skipped. Exits non-zero when anything
// failed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

// `test:firefox` and `test:webkit`: core's slowest browsers, beside its `test` (LT_BROWSER_TASKS).
const tasks = [
  'lint',
  'lint:root',
  'typecheck',
  'typecheck:root',
  'build',
  'test',
  'test:firefox',
  'test:webkit',
  'test:root',
];
const started = Date.now();
const code = await new Promise((resolve) => {
  const child = spawn(
    join(root, 'node_modules/.bin/turbo'),
    ['run', ...tasks, '--continue=always', '--log-order=grouped', ...process.argv.slice(2)],
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

const rows = [];
for (const dir of resultDirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    rows.push(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
}

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
if (code === 0 && total.failed === 0) {
  const note = flaky.length > 0 ? `; ${flaky.length} flaky, listed above` : '';
  console.log(`\nAll checks passed (lint, typecheck, build, tests) in ${seconds} s${note}.`);
} else {
  console.log(
    `\nFAILED after ${seconds} s: see the task output above (turbo lists the failed tasks).`
  );
}
process.exit(code === 0 && total.failed === 0 ? 0 : 1);
