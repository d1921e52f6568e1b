#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Runs one package's tests from its directory: Node tests (test/node/*.test.ts, node:test with
// tsx) and then browser tests (test/browser, @web/test-runner), once per browser of
// scripts/browsers.mjs (LT_BROWSERS; default: those installed). Each runner is killed with its
// whole process group if it overruns, so a hung browser cannot stall CI or the other browsers.
// A browser test file that fails runs once more on its own: real-time audio on a loaded machine
// can miss a deadline now and then. A failure that comes back still fails; one that does not is
// reported as flaky in the summary, with the failure it had.
//
// `--browsers=a,b` runs only those browsers, `--no-node` no Node tests: a package can give a
// slow browser a script of its own (core's `test:webkit`), which turbo runs beside `test`. Under
// LT_BROWSER_TASKS=1 (`npm test` at the root), `test` then leaves out the browsers that such
// scripts of the package run. `--again` runs only the files that failed in the last run (for
// each browser given), once more: `npm test` does so at its end, when the machine is quiet.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWSERS, describeSkipped, runsPackage, selectBrowsers } from './browsers.mjs';
import { totals } from '../test-support/results-reporter.mjs';

/** At most this many failed files of one browser run again; more is not bad luck. */
const RERUN_FILES = 2;
/** Whether a result (a file's, or a run's) has a failed test or an error. */
const broken = (result) => result.failed + result.errors > 0;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cwd = process.cwd();
const label = cwd === root ? 'root' : basename(cwd);
const outDir = join(cwd, 'test-results');
mkdirSync(outDir, { recursive: true });

const browserList = (text) => text?.match(/--browsers=([\w,]+)/)?.[1].split(',');
const args = process.argv.slice(2).join(' ');
/** The browsers of this run (undefined: all), and those that scripts of their own run. */
const only = browserList(args);
const elsewhere =
  !only && process.env.LT_BROWSER_TASKS === '1'
    ? Object.entries(JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).scripts ?? {})
        .filter(([name]) => name.startsWith('test:'))
        .flatMap(([, script]) => browserList(script) ?? [])
    : [];
const runsHere = (browser) => (only ? only.includes(browser) : !elsewhere.includes(browser));
const again = args.includes('--again');
const withNode = !args.includes('--no-node') && !again;

function findTests(dir, pattern) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => relative(cwd, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

function run(command, args, timeoutSeconds, env = {}, priority = undefined) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, ...env },
    });
    if (priority !== undefined) {
      try {
        setPriority(child.pid, priority);
      } catch {
        /* not allowed (not root): the default priority */
      }
    }
    const timer = setTimeout(() => {
      console.error(
        `\n${label}: ${basename(args[0] ?? command)} did not finish in ${timeoutSeconds} s; stopping it.`
      );
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutSeconds * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

let failed = false;

const nodeTests = withNode ? findTests(join(cwd, 'test/node'), /\.test\.ts$/) : [];
if (withNode) rmSync(join(outDir, 'node.json'), { force: true });
if (nodeTests.length > 0) {
  const resultFile = join(outDir, 'node.jsonl');
  const code = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'test-support/node-results-reporter.mjs')}`,
      `--test-reporter-destination=${resultFile}`,
      ...nodeTests,
    ],
    Number(process.env.LT_NODE_TEST_TIMEOUT ?? 300)
  );
  const counts = existsSync(resultFile)
    ? JSON.parse(readFileSync(resultFile, 'utf8').trim().split('\n').pop() || '{}')
    : { passed: 0, failed: 0, skipped: 0, files: nodeTests.length };
  if (code !== 0 && !counts.failed) {
    counts.errors = 1;
    counts.failures = ['node --test exited with an error outside any test: see its output'];
  }
  writeFileSync(
    join(outDir, 'node.json'),
    JSON.stringify({ label, kind: 'node', browser: 'node', ...counts })
  );
  rmSync(resultFile, { force: true });
  failed ||= code !== 0;
}

const browserTests = findTests(join(cwd, 'test/browser'), /\.test\.tsx?$/);
const error = (id, browser) =>
  writeFileSync(
    join(outDir, `browser-${id}.json`),
    JSON.stringify({
      label,
      kind: 'browser',
      browser,
      passed: 0,
      failed: 0,
      skipped: 0,
      errors: 1,
      failures: [
        'the test runner did not report (missing browser, crash or timeout): see its output',
      ],
    })
  );
if (browserTests.length > 0) {
  const selection = selectBrowsers();
  const browsers = selection.run.filter(runsHere);
  const skipped = selection.skipped.filter(({ name }) => runsHere(name));
  const missing = selection.missing.filter(({ name }) => runsHere(name));
  for (const line of describeSkipped(skipped)) console.warn(`${label}: ${line}`);
  for (const line of describeSkipped(missing, 'required')) console.error(`${label}: ${line}`);
  for (const { name, label: browser } of missing) error(name, browser);
  failed ||= missing.length > 0;
  const runner = (name, files = []) =>
    run(
      process.execPath,
      [
        join(root, 'node_modules/@web/test-runner/dist/bin.js'),
        '--config',
        join(root, 'web-test-runner.config.mjs'),
        ...files.flatMap((file) => ['--files', join(cwd, file)]),
      ],
      Number(process.env.LT_BROWSER_TEST_TIMEOUT ?? 900),
      { LT_BROWSERS: name },
      // Real-time audio first: the runner, its browsers and its sound server (which inherit it)
      // get the CPU before typechecks and builds that run beside them (where allowed: root).
      -5
    );
  /** The test files a browser runs here (firefox140 runs only some, scripts/browsers.mjs). */
  const filesOf = (name) =>
    BROWSERS[name].files?.map((file) => `test/browser/${file}.test.ts`) ?? browserTests;
  /**
   * Runs the failing files of `first` (a browser's result) once more, with those it never got
   * to (its runner stopped on the way), and merges the results: a file that passes then is
   * listed as flaky. Returns the exit code.
   */
  const retry = async (name, first, failing) => {
    const resultFile = join(outDir, `browser-${name}.json`);
    console.warn(`\n${label} (${first.browser}): running ${failing.join(', ')} again.`);
    rmSync(resultFile, { force: true });
    await runner(name, failing);
    const second = existsSync(resultFile)
      ? JSON.parse(readFileSync(resultFile, 'utf8'))
      : { byFile: {} };
    const byFile = { ...first.byFile };
    const flaky = [...(first.flaky ?? [])];
    for (const file of failing) {
      const before = first.byFile[file] ?? {
        passed: 0,
        failed: 0,
        skipped: 0,
        errors: 1,
        failures: ['did not run: its test runner stopped before it (a browser crash or a timeout)'],
      };
      const result = second.byFile[file];
      // Passed: the file ran its tests with none failing (its result is written when it ends).
      if (result && result.passed > 0 && !broken(result)) {
        flaky.push(...before.failures.map((failure) => `${file}: ${failure}`));
        byFile[file] = result;
      } else if (result && broken(result)) {
        byFile[file] = result;
      } else {
        byFile[file] = {
          ...before,
          failures: [...before.failures, 'its second run did not report'],
        };
      }
    }
    const { incomplete: _, ...rest } = first;
    const merged = { ...rest, ...totals(byFile), byFile, flaky };
    writeFileSync(resultFile, JSON.stringify(merged, null, 2));
    return broken(merged) ? 1 : 0;
  };
  const failingFiles = (result) =>
    Object.keys(result?.byFile ?? {}).filter((file) => broken(result.byFile[file]));
  /** The result of a run that reported nothing. */
  const none = (name) => ({ label, kind: 'browser', browser: BROWSERS[name].label, byFile: {} });
  /** Files a runner that stopped on the way did not finish (all of them without a result). */
  const unfinished = (name, result) =>
    !result?.byFile || result.incomplete
      ? filesOf(name).filter((file) => !result?.byFile?.[file])
      : [];

  for (const name of browsers.filter((b) => runsPackage(b, label))) {
    const resultFile = join(outDir, `browser-${name}.json`);
    if (again) {
      // `--again` (the end of `npm test`, on a quiet machine): the files that still fail.
      const last = existsSync(resultFile)
        ? JSON.parse(readFileSync(resultFile, 'utf8'))
        : undefined;
      const failing = [...failingFiles(last), ...unfinished(name, last)];
      if (failing.length > 0 && failing.length <= RERUN_FILES) {
        failed ||= (await retry(name, { ...none(name), ...last }, failing)) !== 0;
      } else failed ||= failing.length > 0;
      continue;
    }
    rmSync(resultFile, { force: true });
    let code = await runner(name);
    const first = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
    const failing = failingFiles(first);
    // The files a stopped runner never finished run again whatever their number: not bad luck
    // of theirs.
    const missed = code !== 0 ? unfinished(name, first) : [];
    if (code !== 0 && failing.length <= RERUN_FILES && failing.length + missed.length > 0) {
      code = await retry(name, { ...none(name), ...first }, [...failing, ...missed]);
    }
    if (code !== 0 && !existsSync(resultFile)) error(name, BROWSERS[name].label);
    failed ||= code !== 0;
  }
}

process.exit(failed ? 1 : 0);
