// SPDX-License-Identifier: MIT
// Every public entry point of every package imports in plain Node: no window, no document,
// no AudioContext. This is what a server-side render or a Node test sees. Each import runs in a
// fresh Node process, so one entry point cannot hide another's side effects.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface PackageJson {
  name: string;
  exports: Record<string, string | { types?: string; default?: string }>;
}

const packagesDir = join(import.meta.dirname, '../../packages');
const packages = readdirSync(packagesDir).map(
  (dir) => JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as PackageJson
);

/** Module entry points only: subpaths that name a file (a worklet, a JSON) are assets. */
const entryPoints = packages.flatMap((pkg) =>
  Object.keys(pkg.exports)
    .filter((subpath) => !/\.[a-z]+$/.test(subpath))
    .map((subpath) => pkg.name + subpath.slice(1))
);

/**
 * Globals that our dependencies install on purpose: Lit's Node build (its SSR DOM shim and
 * version registries) and Vue's runtime (`__VUE_*` hooks). Anything else an import adds to
 * `globalThis` is a side effect of ours.
 */
const DEPENDENCY_GLOBALS =
  /^(customElements|CustomEvent|litServerRoot|litPropertyMetadata|\w+Versions|__VUE_\w+)$/;

/** Entry points for their types only (augmentations): their modules export nothing. */
const TYPE_ONLY = ['@live-transcript/vue/global', '@live-transcript/element/jsx'];

const PROBE = `
const browserGlobals = ['window', 'document', 'navigator', 'HTMLElement', 'AudioContext',
  'AudioWorkletNode', 'MediaStream', 'WebSocket', 'localStorage'].filter((n) => n in globalThis);
const before = new Set(Object.getOwnPropertyNames(globalThis));
const mod = await import(process.argv[1]);
const added = Object.getOwnPropertyNames(globalThis).filter((n) => !before.has(n));
console.log(JSON.stringify({ browserGlobals, added, exports: Object.keys(mod) }));
`;

describe('entry points import in plain Node', () => {
  it('finds the entry points of every package', () => {
    for (const name of [
      '@live-transcript/core',
      '@live-transcript/element',
      '@live-transcript/element/define',
      '@live-transcript/element/jsx',
      '@live-transcript/react',
      '@live-transcript/vue',
    ]) {
      assert.ok(entryPoints.includes(name), `${name} is listed`);
    }
  });

  for (const specifier of entryPoints) {
    it(`imports ${specifier} without browser globals or global side effects`, async () => {
      // Node 20 has no WebSocket global by default; 22 does. Either way we never need it at import.
      const { stdout } = await run(
        process.execPath,
        ['--input-type=module', '-e', PROBE, specifier],
        {
          cwd: join(import.meta.dirname, '../..'),
        }
      );
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
        browserGlobals: string[];
        added: string[];
        exports: string[];
      };
      assert.deepEqual(result.browserGlobals, [], 'the probe runs without browser globals');
      assert.deepEqual(
        result.added.filter((name) => !DEPENDENCY_GLOBALS.test(name)),
        [],
        'no new globals besides those of Lit and Vue'
      );
      if (!TYPE_ONLY.includes(specifier)) assert.ok(result.exports.length > 0, 'has exports');
    });
  }
});
