// SPDX-License-Identifier: MIT
// The Next.js and Nuxt example apps, as a user gets them: `npm ci` in the app (this repository's
// packages packed from their builds), `npm run dev`, then `npm run build` and `npm start`, with
// the emulator standing in for AssemblyAI. Each page must render on the server (the element's
// tag, the hook's idle state, in the HTML), then show captions from the fixture microphone in
// headless Chromium, over the app's own token route. And the Vite apps' `npm run dev`, whose
// proxy forwards the token route to the one the script starts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { createFakeStreamingServer, type FakeStreamingServer } from '@live-transcript/core/testing';
import { listen, type ListeningFakeServer } from '@live-transcript/core/testing/node';
import { launchChromium } from '../../../examples/scripts/chromium.mjs';
import { driveElement, driveHook, open } from '../../../examples/test/drive.js';
import {
  EXAMPLES,
  freePort,
  install,
  run,
  serve,
  withBuildCache,
  type Served,
} from '../support.js';

interface App {
  name: string;
  dir: string;
  /** `npm` arguments that start the built app on PORT, listening on 127.0.0.1 only. */
  start: string[];
  /** The same for the development server. */
  dev: string[];
  env?: NodeJS.ProcessEnv;
  /** A build cache inside the app, kept between clones. */
  buildCache?: string;
}

const APPS: App[] = [
  {
    name: 'Next.js',
    dir: 'nextjs',
    start: ['start', '--', '--hostname', '127.0.0.1'],
    dev: ['run', 'dev', '--', '--hostname', '127.0.0.1'],
    buildCache: '.next/cache',
  },
  {
    name: 'Nuxt',
    dir: 'nuxt',
    start: ['start'],
    dev: ['run', 'dev', '--', '--host', '127.0.0.1'],
    env: { HOST: '127.0.0.1' },
  },
];

let browser: Browser;
before(async () => {
  // Both installs at once: they wait on the disk and npm's cache more than on the cores.
  await Promise.all(APPS.map((app) => install(app.dir, join(EXAMPLES, app.dir))));
  browser = await launchChromium();
});
after(() => browser?.close());

for (const app of APPS) {
  describe(`${app.name} app (examples/${app.dir})`, { timeout: 600_000 }, () => {
    const dir = join(EXAMPLES, app.dir);

    it('npm run dev: renders on the server, and talks to the emulator it started', async () => {
      // No key: the script starts the emulator in its own process (no records to read here).
      const dev = await serve(dir, app.dev, {
        port: await freePort(),
        env: { ...app.env, ASSEMBLYAI_API_KEY: '' },
      });
      try {
        const html = await (await fetch(`${dev.origin}/`)).text();
        assert.match(html, /<live-transcript[\s>]/, 'the element is in the server HTML');
        assert.match(html, /<strong>Emulator<\/strong>/, 'the emulator banner');
        const { page, check } = await open(browser, `${dev.origin}/`);
        await driveElement(page, 'live-transcript');
        check();
        await page.close();
      } finally {
        await dev.stop();
      }
    });

    describe('npm run build && npm start', () => {
      const apiKey = randomBytes(16).toString('hex');
      let fake: FakeStreamingServer;
      let emulator: ListeningFakeServer;
      let server: Served;

      before(async () => {
        const build = () => run(app.dir, dir, 'npm', ['run', 'build'], { background: true });
        await (app.buildCache
          ? withBuildCache(dir, app.buildCache, `${app.dir}-build`, build)
          : build());
        fake = createFakeStreamingServer({ apiKey });
        emulator = await listen(fake);
        server = await serve(dir, app.start, {
          port: await freePort(),
          env: {
            ...app.env,
            // What `npm start` sets without ASSEMBLYAI_API_KEY (examples/scripts/with-emulator.mjs),
            // with an emulator of this test's, whose records it reads.
            ASSEMBLYAI_API_KEY: apiKey,
            LIVE_TRANSCRIPT_EMULATOR: emulator.origin,
            LIVE_TRANSCRIPT_URL: emulator.url,
            NUXT_PUBLIC_LIVE_TRANSCRIPT_URL: emulator.url,
          },
        });
      });
      after(async () => {
        await server?.stop();
        await emulator?.close();
        const log = server?.output() ?? '';
        assert.ok(!log.includes(apiKey), 'the key never appears in the logs');
        assert.doesNotMatch(
          log,
          /ReferenceError|is not defined|Error:/,
          'the server rendered cleanly'
        );
      });

      it('renders both pages on the server, without the key', async () => {
        const component = await (await fetch(`${server.origin}/`)).text();
        assert.match(component, /<live-transcript[\s>]/, 'the element is in the server HTML');
        assert.match(component, /0(<!-- -->)? final (<!-- -->)?turns/, "the page's own markup");
        assert.match(component, /<strong>Emulator<\/strong>/, 'the emulator banner');
        const hook = await (await fetch(`${server.origin}/hook`)).text();
        assert.match(hook, /data-testid="hook-state"[^>]*>idle</, 'the hook renders idle');
        assert.match(hook, /Press Start and speak/);
        for (const html of [component, hook]) assert.ok(!html.includes(apiKey));
      });

      it('answers tokens at /api/assemblyai-token (createTokenHandler)', async () => {
        const answer = await fetch(`${server.origin}/api/assemblyai-token`);
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('cache-control'), 'no-store');
        const body = await answer.text();
        assert.deepEqual(Object.keys(JSON.parse(body)).sort(), ['expires_in_seconds', 'token']);
        assert.ok(!body.includes(apiKey));
        const foreign = await fetch(`${server.origin}/api/assemblyai-token`, {
          headers: { Origin: 'https://evil.example' },
        });
        assert.equal(foreign.status, 403, 'other origins get no token');
      });

      it('the <LiveTranscript> page shows captions from the microphone', async () => {
        const { page, check } = await open(browser, `${server.origin}/`);
        await driveElement(page, 'live-transcript', fake);
        const text = await page.$eval('main', (el) => el.textContent ?? '');
        assert.match(text, /[1-9]\d* final turns? so far/, 'the page saw lt-final events');
        check();
        await page.close();
      });

      it('the useLiveTranscript() page shows captions from the microphone', async () => {
        const { page, check } = await open(browser, `${server.origin}/hook`);
        await driveHook(page, fake);
        check();
        await page.close();
      });
    });
  });
}

describe('Vite apps, npm run dev (the dev proxy to the token route)', () => {
  for (const app of ['react', 'vue']) {
    it(`examples/${app}: the component and the hook show captions from the emulator`, async () => {
      const port = await freePort();
      const args = ['run', 'dev', '--', '--host', '127.0.0.1', '--port', String(port)];
      const dev = await serve(join(EXAMPLES, app), [...args, '--strictPort'], {
        port,
        env: { ASSEMBLYAI_API_KEY: '' },
      });
      try {
        const { page, check } = await open(browser, `${dev.origin}/`);
        await driveElement(page, 'live-transcript');
        await driveHook(page);
        check();
        await page.close();
      } finally {
        await dev.stop();
      }
    });
  }
});
