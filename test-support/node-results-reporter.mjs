// SPDX-License-Identifier: MIT
// A node:test reporter that emits one JSON line of counts (tests, not suites) and the names of
// the failed tests, for the summary.
import { relative } from 'node:path';
import { firstLine } from './results-reporter.mjs';

export default async function* nodeResultsReporter(source) {
  const acc = { passed: 0, failed: 0, skipped: 0, files: new Set(), failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    if (data.file) acc.files.add(data.file);
    if (data.skip || data.todo) acc.skipped += 1;
    else if (event.type === 'test:pass') acc.passed += 1;
    else if (data.nesting === 0 && data.details?.error?.failureType === 'subtestsFailed') continue;
    else {
      acc.failed += 1;
      const where = data.file ? `${relative(process.cwd(), data.file)}: ` : '';
      const error = data.details?.error;
      acc.failures.push(
        `${where}${data.name}: ${firstLine(error?.cause?.message ?? error?.message)}`
      );
    }
  }
  yield JSON.stringify({ ...acc, files: acc.files.size }) + '\n';
}
