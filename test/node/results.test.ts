// SPDX-License-Identifier: MIT
// What the test summary learns of a run: counts per file, and each failed test by name with its
// first error line (test-support/results-reporter.mjs, test-support/node-results-reporter.mjs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultsReporter, totals } from '../../test-support/results-reporter.mjs';

const nodeReporter = fileURLToPath(
  new URL('../../test-support/node-results-reporter.mjs', import.meta.url)
);

describe('results reporters', () => {
  it('@web/test-runner: counts per file, failed tests by suite path, load errors', (t) => {
    const outDir = mkdtempSync(join(tmpdir(), 'lt-results-'));
    t.after(() => rmSync(outDir, { recursive: true, force: true }));
    const launcher = {};
    const test = (name: string, passed: boolean, message?: string) => ({
      name,
      passed,
      skipped: false,
      duration: 100,
      error: message ? { message } : undefined,
    });
    resultsReporter({
      outDir,
      label: 'core',
      browsers: new Map([[launcher, { id: 'webkit', label: 'WebKit' }]]),
    }).onTestRunFinished({
      sessions: [
        {
          browser: launcher,
          testFile: join(process.cwd(), 'test/browser/a.test.ts'),
          passed: false,
          testResults: {
            tests: [test('top', true)],
            suites: [
              {
                name: 'Suite',
                tests: [
                  test('works', true),
                  test('breaks', false, 'expected 1 to equal 2\n    at line 3'),
                  { name: 'later', passed: false, skipped: true },
                ],
                suites: [],
              },
            ],
          },
        },
        {
          browser: launcher,
          testFile: join(process.cwd(), 'test/browser/b.test.ts'),
          passed: false,
          errors: [{ message: 'SyntaxError: bad import' }],
          testResults: { tests: [], suites: [] },
        },
      ],
    });
    const result = JSON.parse(readFileSync(join(outDir, 'browser-webkit.json'), 'utf8'));
    assert.equal(result.browser, 'WebKit');
    assert.deepEqual(
      { passed: result.passed, failed: result.failed, skipped: result.skipped },
      { passed: 2, failed: 1, skipped: 1 }
    );
    assert.equal(result.errors, 1);
    assert.equal(result.files, 2);
    assert.deepEqual(result.failures, [
      'test/browser/a.test.ts: Suite > breaks: expected 1 to equal 2',
      'test/browser/b.test.ts: SyntaxError: bad import',
    ]);
    assert.equal(result.byFile['test/browser/a.test.ts'].seconds, 0.3);
    assert.deepEqual(totals(result.byFile), {
      passed: 2,
      failed: 1,
      skipped: 1,
      errors: 1,
      files: 2,
      failures: result.failures,
    });
  });

  it('@web/test-runner: writes after every file, marked incomplete until the run ends', (t) => {
    const outDir = mkdtempSync(join(tmpdir(), 'lt-results-'));
    t.after(() => rmSync(outDir, { recursive: true, force: true }));
    const launcher = {};
    const session = (file: string) => ({
      browser: launcher,
      testFile: join(process.cwd(), `test/browser/${file}`),
      passed: true,
      testResults: { tests: [{ name: 'ok', passed: true, skipped: false }], suites: [] },
    });
    const reporter = resultsReporter({
      outDir,
      label: 'core',
      browsers: new Map([[launcher, { id: 'webkit', label: 'WebKit' }]]),
    });
    const read = () => JSON.parse(readFileSync(join(outDir, 'browser-webkit.json'), 'utf8'));
    reporter.reportTestFileResults({ sessionsForTestFile: [session('a.test.ts')] });
    assert.deepEqual(
      [read().incomplete, Object.keys(read().byFile)],
      [true, ['test/browser/a.test.ts']]
    );
    reporter.reportTestFileResults({ sessionsForTestFile: [session('b.test.ts')] });
    assert.deepEqual(Object.keys(read().byFile), [
      'test/browser/a.test.ts',
      'test/browser/b.test.ts',
    ]);
    assert.equal(read().incomplete, true, 'a runner that dies now leaves two files, incomplete');
    reporter.onTestRunFinished({ sessions: [session('a.test.ts'), session('b.test.ts')] });
    assert.equal(read().incomplete, undefined);
    assert.equal(read().passed, 2);
  });

  it('node:test: counts tests, not suites, and names the failed ones', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-node-results-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'sample.test.mjs'),
      `import { describe, it } from 'node:test';
       import assert from 'node:assert/strict';
       it('passes', () => {});
       it('fails', () => assert.equal(1, 2, 'one is not two'));
       it.skip('skipped', () => {});
       describe('suite', () => it('throws', () => { throw new Error('boom\\nmore'); }));`
    );
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT; // else the child reports to this run, not to its reporter
    const child = spawnSync(
      process.execPath,
      ['--test', `--test-reporter=${nodeReporter}`, 'sample.test.mjs'],
      { cwd: dir, encoding: 'utf8', env }
    );
    assert.equal(child.status, 1, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      passed: 1,
      failed: 2,
      skipped: 1,
      files: 1,
      failures: ['sample.test.mjs: fails: one is not two', 'sample.test.mjs: throws: boom'],
    });
  });
});
