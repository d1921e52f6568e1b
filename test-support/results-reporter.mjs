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
 * @param {{ outDir: string, label: string, browsers?: Map<object, { id: string, label: string }> }}
 *   options `browsers`: launcher -> its id (file name) and label (summary row); default: the
 *   launcher's own name.
 */
export function resultsReporter({ outDir, label, browsers: names = new Map() }) {
  return {
    onTestRunFinished({ sessions }) {
      const browsers = new Map();
      for (const session of sessions) {
        const name = names.get(session.browser) ?? {
          id: session.browser.name.toLowerCase().replace(/\W+/g, '-'),
          label: session.browser.name,
        };
        const acc = browsers.get(name.id) ?? {
          browser: name.label,
          passed: 0,
          failed: 0,
          skipped: 0,
          files: 0,
          errors: 0,
          failures: [],
          seconds: {},
        };
        acc.files += 1;
        const testFile = relative(process.cwd(), session.testFile);
        const file = { ms: 0, passed: 0, failed: 0, skipped: 0, failures: [] };
        count(session.testResults, file);
        for (const failure of file.failures) acc.failures.push(`${testFile}: ${failure}`);
        acc.passed += file.passed;
        acc.failed += file.failed;
        acc.skipped += file.skipped;
        // Test time per file (the sum of its tests' durations), to see where CI time goes.
        acc.seconds[testFile] = Math.round(file.ms / 100) / 10;
        if (!session.passed && (session.errors?.length ?? 0) > 0) {
          acc.errors += session.errors.length;
          for (const error of session.errors)
            acc.failures.push(`${testFile}: ${firstLine(error.message)}`);
        }
        browsers.set(name.id, acc);
      }
      mkdirSync(outDir, { recursive: true });
      for (const [id, acc] of browsers) {
        const file = join(outDir, `browser-${id}.json`);
        writeFileSync(file, JSON.stringify({ label, kind: 'browser', ...acc }, null, 2));
      }
    },
  };
}
