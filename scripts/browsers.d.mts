// SPDX-License-Identifier: MIT
// Types of scripts/browsers.mjs, for the TypeScript tests.

export interface TestBrowser {
  label: string;
  /** What the browser needs: name -> path, undefined when not found. */
  needs: () => Record<string, string | undefined>;
  install: string;
  packages?: string[];
  files?: string[];
}

export interface SkippedBrowser {
  name: string;
  label: string;
  reason: string;
  install?: string;
}

export const BROWSERS: Record<string, TestBrowser>;
export const REQUIRED_IN_CI: string[];
export function findChromium(): string | undefined;
export function findFirefox(): string | undefined;
export function findMiniBrowser(): string | undefined;
export function selectBrowsers(
  env?: Record<string, string | undefined>,
  browsers?: Record<string, TestBrowser>
): { run: string[]; skipped: SkippedBrowser[]; missing: SkippedBrowser[] };
export function describeSkipped(entries: SkippedBrowser[], verb?: string): string[];
export function runsPackage(browser: string, label: string): boolean;
