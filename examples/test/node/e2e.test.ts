// SPDX-License-Identifier: MIT
// End to end, as a user would: the example server in emulator mode, headless Chromium whose
// microphone plays the speech fixture, each example page opened, Start clicked, captions awaited,
// Stop clicked. The emulator's records show what went over the real WebSocket.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'puppeteer-core';
import { launchChromium } from '../../scripts/chromium.mjs';
import { createExampleServer, type ExampleServer } from '../../server/server.mjs';
import { WAIT, driveElement, driveHook, open as openIn } from '../drive.js';

let server: ExampleServer;
let browser: Browser;

before(async () => {
  server = await createExampleServer({ apiKey: '', port: 0 });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens an example page of the server; problems fail the test at `check()`. */
const open = (path: string) => openIn(browser, `${server.origin}${path}`);

/** What each simulated story must show: the element's state, and how many captions. */
const STORIES: Record<string, { state: string; turns: number; text?: RegExp }> = {
  idle: { state: 'idle', turns: 0 },
  connecting: { state: 'connecting', turns: 0 },
  'listening-with-partials': { state: 'listening', turns: 2, text: /Please send the report$/ },
  paused: { state: 'paused', turns: 2 },
  reconnecting: { state: 'reconnecting', turns: 2 },
  error: { state: 'error', turns: 0 },
  'two-thousand-turns': { state: 'listening', turns: 2000 },
  'dark-theme': { state: 'listening', turns: 2 },
  'custom-labels': { state: 'listening', turns: 1, text: /Envoyez le rapport à Marta$/ },
  'slotted-control': { state: 'listening', turns: 0 },
  'device-picker': { state: 'listening', turns: 2, text: /Please send the report$/ },
};
/** The stories of the real element, which need the example server (not simulated). */
const LIVE = ['live', 'video-captions', 'tab-audio'];

describe('Storybook (built, served by the example server)', () => {
  it('renders every state story as described', async () => {
    const index = (await (await fetch(`${server.origin}/storybook/index.json`)).json()) as {
      entries: Record<string, { id: string; type: string }>;
    };
    const ids = Object.values(index.entries)
      .filter((entry) => entry.type === 'story')
      .map((entry) => entry.id.replace(/^live-transcript--/, ''));
    assert.deepEqual(ids.sort(), [...Object.keys(STORIES), ...LIVE].sort());
    const { page, check } = await open('/storybook/iframe.html?id=live-transcript--idle');
    for (const [id, expected] of Object.entries(STORIES)) {
      await page.goto(`${server.origin}/storybook/iframe.html?id=live-transcript--${id}`);
      const element = await page.waitForSelector('live-transcript');
      const seen = await page.waitForFunction(
        (el, state, turns) => {
          const root = el!.shadowRoot!;
          const shown = root.querySelectorAll('[part~="turn"]').length;
          return el!.getAttribute('state') === state && shown === turns
            ? {
                text: (el as unknown as { text: string }).text,
                error: root.querySelector('[part~="error"]')?.textContent?.trim() ?? '',
              }
            : undefined;
        },
        WAIT,
        element,
        expected.state,
        expected.turns
      );
      const { text, error } = (await seen.jsonValue()) as { text: string; error: string };
      if (expected.text) assert.match(text, expected.text, id);
      assert.equal(Boolean(error), expected.state === 'error', `${id}: error line "${error}"`);
    }
    check();
    await page.close();
  });
});

describe('examples end to end (emulator, fixture microphone)', () => {
  it('plain HTML: the tag shows captions from the emulator', async () => {
    const { page, check } = await open('/vanilla/');
    const banner = await page.$eval('.example-banner', (el) => el.textContent ?? '');
    assert.match(banner, /Emulator/);
    await driveElement(page, 'live-transcript', server.fake!);
    check();
    await page.close();
  });

  it('Storybook: the Live story talks to the emulator through the example server', async () => {
    const { page, check } = await open(
      '/storybook/iframe.html?id=live-transcript--live&viewMode=story'
    );
    await driveElement(page, 'live-transcript', server.fake!);
    check();
    await page.close();
  });

  for (const [name, path] of [
    ['React', '/react/'],
    ['Vue', '/vue/'],
  ] as const) {
    it(`${name}: the component, then the hook, show captions from the emulator`, async () => {
      const { page, check } = await open(path);
      await driveElement(page, 'live-transcript', server.fake!);
      const finals = await page.$eval('main', (el) => el.textContent ?? '');
      assert.match(finals, /[1-9]\d* final turns? so far/, 'the app saw lt-final events');
      await driveHook(page, server.fake!);
      check();
      await page.close();
    });
  }
});
