// SPDX-License-Identifier: MIT
// Types of test-support/results-reporter.mjs, for the TypeScript tests.

export interface FileResult {
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
  /** `suite > test: first error line`, or a file's load error. */
  failures: string[];
  seconds?: number;
}

export function firstLine(message: unknown): string;

export function totals(byFile: Record<string, FileResult>): Omit<FileResult, 'seconds'> & {
  files: number;
};

export function resultsReporter(options: {
  outDir: string;
  label: string;
  browsers?: Map<object, { id: string; label: string }>;
}): {
  reportTestFileResults(args: { sessionsForTestFile: unknown[] }): void;
  onTestRunFinished(args: { sessions: unknown[] }): void;
};
