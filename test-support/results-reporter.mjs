// SPDX-License-Identifier: MIT
// A @web/test-runner reporter that writes per-browser counts to test-results/, so that
// scripts/test.mjs can print one summary for the whole repository.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function count(suite, acc) {
  if (!suite) return acc;
  for (const test of suite.tests ?? []) {
    if (test.skipped) acc.skipped += 1;
    else if (test.passed) acc.passed += 1;
    else acc.failed += 1;
  }
  for (const child of suite.suites ?? []) count(child, acc);
  return acc;
}

/** @param {{ outDir: string, label: string }} options */
export function resultsReporter({ outDir, label }) {
  return {
    onTestRunFinished({ sessions }) {
      const browsers = new Map();
      for (const session of sessions) {
        const name = session.browser.name;
        const acc = browsers.get(name) ?? { passed: 0, failed: 0, skipped: 0, files: 0, errors: 0 };
        acc.files += 1;
        count(session.testResults, acc);
        if (!session.passed && (session.errors?.length ?? 0) > 0)
          acc.errors += session.errors.length;
        browsers.set(name, acc);
      }
      mkdirSync(outDir, { recursive: true });
      for (const [browser, acc] of browsers) {
        const file = join(outDir, `browser-${browser.toLowerCase().replace(/\W+/g, '-')}.json`);
        writeFileSync(file, JSON.stringify({ label, kind: 'browser', browser, ...acc }, null, 2));
      }
    },
  };
}
