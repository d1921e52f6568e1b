// SPDX-License-Identifier: MIT
// Package quality, checked on the tarballs that npm would publish (`npm pack` of the built
// packages): publint --strict (exports, files, types), Are the Types Wrong (every entry point's
// types for ESM users), the metadata and files a published package needs (LICENSE, engines,
// public access, source maps that resolve), and the size budgets of scripts/size.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
// @ts-expect-error: a plain JavaScript module of ours, without types.
import { measureAll } from '../../scripts/size.mjs';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const packages = readdirSync(join(root, 'packages'));
const REPOSITORY = 'https://github.com/live-transcript/live-transcript';

/**
 * Entry points allowed to have no types, by package: the AudioWorklet module is a script for
 * `audioWorklet.addModule()`, never imported. Nothing else may be left out of attw's check.
 */
const UNTYPED_ENTRY_POINTS: Record<string, string[]> = {
  core: ['./capture-worklet.js'],
};

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  homepage?: string;
  bugs?: { url?: string };
  repository?: { url?: string; directory?: string };
  engines?: Record<string, string>;
  publishConfig?: Record<string, string>;
  dependencies?: Record<string, string>;
  [field: string]: unknown;
}

interface Packed {
  /** The .tgz file. */
  tarball: string;
  /** Where it was unpacked: the package as a user's node_modules would hold it. */
  dir: string;
  files: string[];
  pkg: PackageJson;
}

const work = mkdtempSync(join(tmpdir(), 'live-transcript-pack-'));
const packed = new Map<string, Packed>();

before(async () => {
  for (const name of packages) {
    const out = join(work, name);
    mkdirSync(out);
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', out],
      { cwd: join(root, 'packages', name) }
    );
    const [result] = JSON.parse(stdout) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const tarball = join(out, result!.filename);
    await run('tar', ['-xzf', tarball, '-C', out]);
    const dir = join(out, 'package');
    packed.set(name, {
      tarball,
      dir,
      files: result!.files.map((file) => file.path).sort(),
      pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson,
    });
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

const get = (name: string) => packed.get(name)!;

describe('published packages', () => {
  for (const name of packages) {
    it(`@live-transcript/${name}: publint --strict finds nothing to fix`, async () => {
      const { dir, pkg } = get(name);
      const { messages } = await publint({
        pkgDir: dir,
        level: 'suggestion',
        strict: true,
        pack: false,
      });
      assert.deepEqual(
        messages.map((message) => formatMessage(message, pkg)),
        [],
        'publint messages'
      );
    });

    it(`@live-transcript/${name}: every entry point's types resolve for ESM users (attw)`, async () => {
      const untyped = UNTYPED_ENTRY_POINTS[name] ?? [];
      await run(
        join(root, 'node_modules/.bin/attw'),
        [
          get(name).tarball,
          '--profile',
          'esm-only',
          ...(untyped.length ? ['--exclude-entrypoints', ...untyped] : []),
          '--format',
          'ascii',
        ],
        { cwd: root }
      ).catch((error: { stdout?: string }) =>
        assert.fail(`attw found problems:\n${error.stdout ?? error}`)
      );
    });

    it(`@live-transcript/${name}: ships the LICENSE and what npm shows and checks`, () => {
      const { dir, files, pkg } = get(name);
      assert.ok(files.includes('LICENSE'), 'LICENSE is in the tarball');
      assert.equal(
        readFileSync(join(dir, 'LICENSE'), 'utf8'),
        readFileSync(join(root, 'LICENSE'), 'utf8'),
        'the LICENSE is the repository one'
      );
      assert.ok(files.includes('README.md'));
      assert.equal(pkg.license, 'MIT');
      assert.equal(pkg.engines?.node, '>=20.19', 'engines.node (the root package says the same)');
      assert.equal(
        pkg.engines?.node,
        (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson).engines?.node
      );
      assert.equal(pkg.publishConfig?.access, 'public', 'a scoped package is public');
      assert.equal(pkg.homepage, `${REPOSITORY}/tree/main/packages/${name}#readme`);
      assert.equal(pkg.bugs?.url, `${REPOSITORY}/issues`);
      assert.equal(pkg.repository?.directory, `packages/${name}`);
    });

    it(`@live-transcript/${name}: depends on Lit by caret ranges, on its siblings by version`, () => {
      const { pkg } = get(name);
      for (const [dependency, range] of Object.entries(pkg.dependencies ?? {})) {
        if (dependency.startsWith('@live-transcript/')) {
          const sibling = dependency.slice('@live-transcript/'.length);
          assert.equal(range, get(sibling).pkg.version, `${dependency}: the version built with it`);
        } else {
          // An exact pin would give apps a second copy of Lit next to their own.
          assert.match(range, /^\^\d+\.\d+\.\d+$/, `${dependency}@${range}`);
        }
      }
    });

    it(`@live-transcript/${name}: every source map points at files in the package, or carries them`, () => {
      const { dir, files } = get(name);
      const maps = files.filter((file) => file.endsWith('.map'));
      assert.ok(
        maps.some((file) => file.endsWith('.d.ts.map')),
        'declaration maps'
      );
      assert.ok(
        maps.some((file) => file.endsWith('.js.map')),
        'JavaScript maps'
      );
      const shipped = new Set(files);
      const missing: string[] = [];
      for (const map of maps) {
        const { sources, sourcesContent, sourceRoot } = JSON.parse(
          readFileSync(join(dir, map), 'utf8')
        ) as { sources: string[]; sourcesContent?: Array<string | null>; sourceRoot?: string };
        sources.forEach((source, index) => {
          if (typeof sourcesContent?.[index] === 'string') return;
          const file = normalize(join(dirname(map), sourceRoot ?? '', source));
          if (!shipped.has(file)) missing.push(`${map} → ${source}`);
        });
      }
      assert.deepEqual(missing, [], 'sources neither packed nor embedded');
    });
  }

  it('@live-transcript/element: the CDN fields and the README name the CDN entry, at this version', () => {
    const { files, pkg } = get('element');
    const entry = 'dist/cdn/live-transcript.js';
    assert.equal(pkg.jsdelivr, `./${entry}`);
    assert.equal(pkg.unpkg, `./${entry}`);
    assert.ok(files.includes(entry), `${entry} is packed`);
    const readme = readFileSync(join(get('element').dir, 'README.md'), 'utf8');
    const urls = [
      ...readme.matchAll(/https:\/\/(?:cdn\.jsdelivr\.net\/npm|unpkg\.com)\/\S+?\.js/g),
    ].map(([url]) => url);
    assert.deepEqual(
      [...new Set(urls)].sort(),
      [
        `https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/${entry}`,
        `https://unpkg.com/${pkg.name}@${pkg.version}/${entry}`,
      ],
      'the README gives the versioned URL of the entry (npm run docs writes the version)'
    );
  });

  it('stays within the size budgets, up front and with every chunk (scripts/size.mjs)', async () => {
    const rows = (await measureAll()) as Array<{
      name: string;
      upFront?: { gzip: number; minified: number };
      checks: Array<{ scope: string; value?: number; budget: number; ok: boolean }>;
      ok: boolean;
    }>;
    assert.ok(rows.length >= 5);
    for (const row of rows) {
      assert.ok(row.upFront && row.upFront.minified > 0, `${row.name} was measured`);
      for (const check of row.checks) {
        assert.ok(
          check.ok,
          `${row.name}: ${check.scope} ${check.value} B over its budget of ${check.budget} B (scripts/size.mjs)`
        );
      }
    }
  });
});
