// SPDX-License-Identifier: MIT
// Which browsers `npm test` runs (scripts/browsers.mjs): locally the installed ones, with a line
// for each one skipped; in CI, or when named in LT_BROWSERS, a missing browser fails the run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeSkipped, selectBrowsers } from '../../scripts/browsers.mjs';

const fake = (installed: string[]) =>
  Object.fromEntries(
    ['chromium', 'firefox', 'webkit', 'firefox140'].map((name) => [
      name,
      {
        label: name[0]!.toUpperCase() + name.slice(1),
        needs: () => ({ [name]: installed.includes(name) ? `/usr/bin/${name}` : undefined }),
        install: `apt-get install ${name}`,
      },
    ])
  );

describe('selectBrowsers', () => {
  it('runs the installed browsers locally and says how to install the others', () => {
    const { run, skipped, missing } = selectBrowsers({}, fake(['chromium', 'webkit']));
    assert.deepEqual(run, ['chromium', 'webkit']);
    assert.deepEqual(missing, []);
    assert.deepEqual(describeSkipped(skipped), [
      'Firefox: firefox not found; skipped. Install with `apt-get install firefox`.',
    ]);
  });

  it('requires Chromium, Firefox and WebKit under CI=1', () => {
    const { run, missing } = selectBrowsers({ CI: '1' }, fake(['chromium']));
    assert.deepEqual(run, ['chromium']);
    assert.deepEqual(
      missing.map((m) => m.name),
      ['firefox', 'webkit']
    );
  });

  it('requires Chromium everywhere, and every browser named in LT_BROWSERS', () => {
    assert.deepEqual(
      selectBrowsers({}, fake(['firefox'])).missing.map((m) => m.name),
      ['chromium']
    );
    const named = selectBrowsers({ LT_BROWSERS: 'Firefox, firefox140,nope' }, fake(['firefox']));
    assert.deepEqual(named.run, ['firefox']);
    assert.deepEqual(
      named.missing.map((m) => m.name),
      ['firefox140', 'nope']
    );
  });

  it('adds Firefox ESR 140 when FIREFOX140_PATH is set', () => {
    const all = fake(['chromium', 'firefox', 'webkit', 'firefox140']);
    assert.deepEqual(selectBrowsers({}, all).run, ['chromium', 'firefox', 'webkit']);
    assert.deepEqual(selectBrowsers({ FIREFOX140_PATH: '/x' }, all).run, [
      'chromium',
      'firefox',
      'webkit',
      'firefox140',
    ]);
  });
});
