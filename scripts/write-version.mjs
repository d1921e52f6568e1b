#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Writes the version of the package in the current directory to its src/version.ts, so that the
// library knows its own version in every build (the unbundled dist, bundlers, the CDN file) and
// in the tests, which run the sources. The file is committed: the build does not write it (a
// build must leave the tree clean). npm runs this as the package's `version` script, on
// `npm version`; a Node test (packages/core/test/node/version.test.ts) fails when the committed
// file and package.json disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
writeFileSync(
  join(process.cwd(), 'src/version.ts'),
  `// SPDX-License-Identifier: MIT
// Written from package.json by scripts/write-version.mjs (npm's \`version\` script): do not edit.

/** The version of \`@live-transcript/core\`. */
export const VERSION = '${version}';
`
);
