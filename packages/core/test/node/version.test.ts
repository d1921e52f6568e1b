// SPDX-License-Identifier: MIT
// The version the library reports (diagnostics()) is the committed src/version.ts: it must be
// the version of package.json (`npm version` rewrites it through the package's `version` script).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VERSION } from '../../src/version.js';

describe('VERSION', () => {
  it("is package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(VERSION, pkg.version, 'run `npm run version -w @live-transcript/core`');
  });
});
