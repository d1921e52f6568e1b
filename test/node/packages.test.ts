// SPDX-License-Identifier: MIT
// Package quality, checked on the built packages as npm would publish them: publint (exports,
// files, types), Are the Types Wrong (resolution of every entry point's types for ESM users),
// and the size budgets of scripts/size.mjs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
// @ts-expect-error: a plain JavaScript module of ours, without types.
import { measureAll } from '../../scripts/size.mjs';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const packages = readdirSync(join(root, 'packages'));

describe('published packages', () => {
  for (const name of packages) {
    const dir = join(root, 'packages', name);

    it(`@live-transcript/${name}: publint finds nothing to fix`, async () => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const { messages } = await publint({
        pkgDir: dir,
        level: 'suggestion',
        strict: true,
        pack: 'npm',
      });
      assert.deepEqual(
        messages.map((message) => formatMessage(message, pkg)),
        [],
        'publint messages'
      );
    });

    it(`@live-transcript/${name}: every entry point's types resolve for ESM users (attw)`, async () => {
      // Assets (the worklet file, the manifest) have no types by design.
      await run(
        join(root, 'node_modules/.bin/attw'),
        [
          '--pack',
          dir,
          '--profile',
          'esm-only',
          '--exclude-entrypoints',
          './capture-worklet.js',
          './custom-elements.json',
          '--format',
          'ascii',
        ],
        { cwd: root }
      ).catch((error: { stdout?: string }) =>
        assert.fail(`attw found problems:\n${error.stdout ?? error}`)
      );
    });
  }

  it('stays within the size budgets (bundled with dependencies, min+gzip)', async () => {
    const rows = (await measureAll()) as Array<{
      name: string;
      gzip?: number;
      minified?: number;
      budget?: number;
      ok: boolean;
    }>;
    assert.ok(rows.length >= 5);
    for (const row of rows) {
      assert.ok(row.minified! > 0, `${row.name} was measured`);
      assert.ok(
        row.ok,
        `${row.name}: ${row.gzip} B gzip over its budget of ${row.budget} B (scripts/size.mjs)`
      );
    }
  });
});
