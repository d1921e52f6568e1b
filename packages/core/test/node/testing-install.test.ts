// SPDX-License-Identifier: MIT
// The packed package, installed the way an app installs it, with `ws` and without msw (both are
// optional peers): every entry point but `/testing/msw` imports, and the fake server of
// `/testing` answers a token request and a WebSocket `Begin` over `listen()` from `/testing/node`.
// Offline: both tarballs are packed from this machine (core from its build, `ws` from
// node_modules). Needs the package build (turbo runs it before the tests).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const core = join(import.meta.dirname, '../..');
const ws = dirname(createRequire(import.meta.url).resolve('ws/package.json'));

/** npm without the settings of an `npm test` that runs this file (workspace, prefix...). */
const npm = (args: string[], cwd: string) =>
  run('npm', args, {
    cwd,
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))),
  });

/** Runs in the app directory: imports every entry point, then a session's first steps. */
const PROBE = `
const pkg = JSON.parse((await import('node:fs')).readFileSync(
  new URL('./node_modules/@live-transcript/core/package.json', import.meta.url), 'utf8'));
const imported = {};
for (const subpath of Object.keys(pkg.exports).filter((s) => !/\\.[a-z]+$/.test(s))) {
  const specifier = '@live-transcript/core' + subpath.slice(1);
  try {
    imported[subpath] = Object.keys(await import(specifier)).length > 0 ? 'ok' : 'no exports';
  } catch (error) {
    imported[subpath] = error.code + ': ' + error.message.split('\\n')[0];
  }
}
const { createFakeStreamingServer } = await import('@live-transcript/core/testing');
const { listen } = await import('@live-transcript/core/testing/node');
const { WebSocket } = await import('ws');
const fake = createFakeStreamingServer();
const server = await listen(fake);
const response = await fetch(server.tokenUrl);
const { token } = await response.json();
const socket = new WebSocket(server.url + '?speech_model=u3-rt-pro&sample_rate=16000&token=' + token);
const first = await new Promise((resolve, reject) => {
  socket.once('message', (data) => resolve(JSON.parse(String(data))));
  socket.once('error', reject);
});
socket.close();
await server.close();
console.log(JSON.stringify({ imported, tokenStatus: response.status, first: first.type,
  sessionId: first.id === fake.sessions[0]?.id }));
`;

describe('@live-transcript/core installed from its tarball, without msw', () => {
  let app: string;

  before(async () => {
    assert.ok(
      existsSync(join(core, 'dist/testing/index.js')),
      'build the package first (npm run build)'
    );
    app = mkdtempSync(join(tmpdir(), 'lt-core-install-'));
    const { stdout } = await npm(
      ['pack', core, ws, '--json', '--ignore-scripts', '--pack-destination', app],
      app
    );
    const tarballs = (JSON.parse(stdout) as Array<{ filename: string }>).map((t) => t.filename);
    writeFileSync(join(app, 'package.json'), '{ "private": true, "type": "module" }\n');
    writeFileSync(join(app, 'probe.mjs'), PROBE);
    await npm(
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--no-package-lock',
        ...tarballs.map((file) => `./${file}`),
      ],
      app
    );
  });

  after(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('has ws beside it and no msw anywhere it can resolve from', () => {
    assert.ok(existsSync(join(app, 'node_modules/ws/package.json')));
    assert.ok(existsSync(join(app, 'node_modules/@live-transcript/core/dist/testing/index.js')));
    assert.throws(
      () => createRequire(join(app, 'probe.mjs')).resolve('msw'),
      { code: 'MODULE_NOT_FOUND' },
      'msw must not be reachable from the app directory'
    );
  });

  it('imports /testing and /testing/node, and the fake answers a token request and Begin', async () => {
    const { stdout } = await run(process.execPath, ['probe.mjs'], { cwd: app });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
      imported: Record<string, string>;
      tokenStatus: number;
      first: string;
      sessionId: boolean;
    };
    const exported = Object.keys(
      (
        JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')) as {
          exports: Record<string, unknown>;
        }
      ).exports
    ).filter((subpath) => !/\.[a-z]+$/.test(subpath));
    assert.deepEqual(Object.keys(result.imported), exported);
    for (const subpath of exported.filter((s) => s !== './testing/msw')) {
      assert.equal(result.imported[subpath], 'ok', `@live-transcript/core${subpath.slice(1)}`);
    }
    // The one entry point that needs msw says so when it is missing.
    assert.match(result.imported['./testing/msw']!, /^ERR_MODULE_NOT_FOUND: .*'msw'/);
    assert.equal(result.tokenStatus, 200);
    assert.equal(result.first, 'Begin');
    assert.equal(result.sessionId, true, 'the Begin of the session the fake recorded');
  });
});
