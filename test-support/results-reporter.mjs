// SPDX-License-Identifier: MIT
// A @web/test-runner reporter that writes per-browser counts to test-results/, so that
// scripts/test.mjs can print one summary for the whole repository.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The first line of an error's message, short enough for a summary line. */
export const firstLine = (message) =>
  String(message ?? '')
    .split('\n')[0]
    .slice(0, 200);

function count(suite, acc, path = []) {
  if (!suite) return acc;
  for (const test of suite.tests ?? []) {
    acc.ms += test.duration ?? 0;
    if (test.skipped) acc.skipped += 1;
    else if (test.passed) acc.passed += 1;
    else {
      acc.failed += 1;
      acc.failures.push(`${[...path, test.name].join(' > ')}: ${firstLine(test.error?.message)}`);
    }
  }
  for (const child of suite.suites ?? []) count(child, acc, [...path, child.name]);
  return acc;
}

/**
 * The counts of a browser run from its per-file results, with each failure prefixed by its file.
 * @param {Record<string, { passed: number, failed: number, skipped: number, errors: number,
 *   failures: string[] }>} byFile
 */
export function totals(byFile) {
  const sum = { passed: 0, failed: 0, skipped: 0, errors: 0, files: 0, failures: [] };
  for (const [file, counts] of Object.entries(byFile)) {
    for (const key of ['passed', 'failed', 'skipped', 'errors']) sum[key] += counts[key];
    sum.files += 1;
    sum.failures.push(...counts.failures.map((failure) => `${file}: ${failure}`));
  }
  return sum;
}

/**
 * @param {{ outDir: string, label: string, browsers?: Map<object, { id: string, label: string }> }}
 *   options `browsers`: launcher -> its id (file name) and label (summary row); default: the
 *   launcher's own name. The file is written after every test file, marked `incomplete` until
 *   the run finishes: a runner that dies on the way (a browser that crashes) leaves the files it
 *   finished.
 */
export function resultsReporter({ outDir, label, browsers: names = new Map() }) {
  /** Sessions of the test files finished so far. */
  const finished = [];
  const write = (sessions, complete) => {
    const browsers = new Map();
    for (const session of sessions) {
      const name = names.get(session.browser) ?? {
        id: session.browser.name.toLowerCase().replace(/\W+/g, '-'),
        label: session.browser.name,
      };
      const acc = browsers.get(name.id) ?? { browser: name.label, byFile: {} };
      const testFile = relative(process.cwd(), session.testFile);
      const file = { ms: 0, passed: 0, failed: 0, skipped: 0, errors: 0, failures: [] };
      count(session.testResults, file);
      if (!session.passed && (session.errors?.length ?? 0) > 0) {
        file.errors = session.errors.length;
        for (const error of session.errors) file.failures.push(firstLine(error.message));
      }
      // Test time per file (the sum of its tests' durations), to see where CI time goes.
      const { ms, ...counts } = file;
      acc.byFile[testFile] = { seconds: Math.round(ms / 100) / 10, ...counts };
      browsers.set(name.id, acc);
    }
    mkdirSync(outDir, { recursive: true });
    for (const [id, acc] of browsers) {
      const file = join(outDir, `browser-${id}.json`);
      const { browser, byFile } = acc;
      const result = { label, kind: 'browser', browser, ...totals(byFile), byFile };
      if (!complete) result.incomplete = true;
      writeFileSync(file, JSON.stringify(result, null, 2));
    }
  };
  return {
    reportTestFileResults({ sessionsForTestFile }) {
      finished.push(...sessionsForTestFile);
      write(finished, false);
    },
    onTestRunFinished({ sessions }) {
      write(sessions, true);
    },
  };
}
