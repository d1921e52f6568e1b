// SPDX-License-Identifier: MIT
// Written from package.json by scripts/write-version.mjs (npm's `version` script): do not edit.

/** The version of `@live-transcript/core`. */
export const VERSION = '0.0.0';
