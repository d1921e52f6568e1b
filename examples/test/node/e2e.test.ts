// SPDX-License-Identifier: MIT
// End to end, as a user would: the example server in emulator mode, headless Chromium whose
// microphone plays the speech fixture, each example page opened, Start clicked, captions awaited,
// Stop clicked. The emulator's records show what went over the real WebSocket.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { launchChromium } from '../../scripts/chromium.mjs';
import { createExampleServer, type ExampleServer } from '../../server/server.mjs';

/** Words of the emulator's generator (it has no idea what was said). */
const PLACEHOLDER = /\b(alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett)\b/i;
const WAIT = { timeout: 20_000, polling: 50 };

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

/** Opens an example page; page errors and failed requests fail the test at `check()`. */
async function open(path: string): Promise<{ page: Page; check(): void }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${server.origin}${path}`, { waitUntil: 'load' });
  return { page, check: () => assert.deepEqual(problems, [], `${path}: ${problems.join('; ')}`) };
}

/** The emulator's newest session, once it has closed. */
async function lastSessionClosed() {
  const fake = server.fake!;
  await fake.waitFor(() => Boolean(fake.sessions.at(-1)?.closed), 10_000);
  return fake.sessions.at(-1)!;
}

/** Asserts what the emulator saw of one run: audio, then Terminate and a normal close. */
function assertCleanRun(session: Awaited<ReturnType<typeof lastSessionClosed>>) {
  // The fixture's first word starts 0.5 s in; the emulator ends a turn at its first pause.
  assert.ok(session.audioMs > 500, `${session.audioMs} ms of audio received`);
  assert.ok(
    session.control.some((c) => (c.message as { type?: string } | undefined)?.type === 'Terminate'),
    'the client sent Terminate'
  );
  assert.equal(session.closed?.code, 1000);
  assert.ok(
    session.sent.some((s) => {
      const message = s.message as { type?: string; end_of_turn?: boolean } | undefined;
      return message?.type === 'Turn' && message.end_of_turn;
    }),
    'the emulator sent a final turn'
  );
}

/**
 * Drives one `<live-transcript>` (found by `host`, a selector that may pierce shadow roots with
 * `>>>`): records its `lt-turn` events, clicks its button, waits for a final caption on screen,
 * clicks again and waits for `idle`.
 */
async function driveElement(page: Page, host: string) {
  const sessions = server.fake!.sessions.length;
  const element = (await page.waitForSelector(host)) as ElementHandle<HTMLElement>;
  await element.evaluate((el) => {
    const turns: Array<{ final: boolean; text: string }> = [];
    (el as unknown as { turnsSeen: typeof turns }).turnsSeen = turns;
    el.addEventListener('lt-turn', (event) => {
      const { turn } = (event as unknown as CustomEvent<{ turn: { final: boolean; text: string } }>)
        .detail;
      turns.push({ final: turn.final, text: turn.text });
    });
  });
  const button = (await element.waitForSelector('>>> [part~="control"]'))!;
  await button.click();
  await page.waitForFunction((el) => el.getAttribute('state') === 'listening', WAIT, element);
  const caption = await page.waitForFunction(
    (el) => el.shadowRoot?.querySelector('[part~="turn"]')?.textContent?.trim(),
    WAIT,
    element
  );
  assert.match(String(await caption.jsonValue()), PLACEHOLDER);
  const seen = await element.evaluate(
    (el) => (el as unknown as { turnsSeen: Array<{ final: boolean; text: string }> }).turnsSeen
  );
  assert.ok(
    seen.some((turn) => turn.final) &&
      seen.every((turn) => !turn.text || PLACEHOLDER.test(turn.text)),
    `lt-turn events carried the captions: ${JSON.stringify(seen)}`
  );
  await button.click();
  await page.waitForFunction((el) => el.getAttribute('state') === 'idle', WAIT, element);
  const text = await element.evaluate((el) => (el as unknown as { text: string }).text);
  assert.match(text, PLACEHOLDER, 'the transcript is kept after stop');
  assert.equal(server.fake!.sessions.length, sessions + 1, 'one session per run');
  assertCleanRun(await lastSessionClosed());
}

/** Drives the app's own UI built on the hook/composable (`data-testid` hooks in the apps). */
async function driveHook(page: Page) {
  const sessions = server.fake!.sessions.length;
  const state = () => page.$eval('[data-testid="hook-state"]', (el) => el.textContent?.trim());
  const button = (await page.waitForSelector('[data-testid="hook"] button'))!;
  assert.equal(await state(), 'idle');
  await button.click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="hook-state"]')?.textContent?.trim() === 'listening',
    WAIT
  );
  const caption = await page.waitForFunction(
    () => document.querySelector('[data-testid="hook-transcript"] p')?.textContent?.trim(),
    WAIT
  );
  assert.match(String(await caption.jsonValue()), PLACEHOLDER);
  await button.click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="hook-state"]')?.textContent?.trim() === 'idle',
    WAIT
  );
  assert.equal(server.fake!.sessions.length, sessions + 1, 'one session per run');
  assertCleanRun(await lastSessionClosed());
}

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
};

describe('Storybook (built, served by the example server)', () => {
  it('renders every state story as described', async () => {
    const index = (await (await fetch(`${server.origin}/storybook/index.json`)).json()) as {
      entries: Record<string, { id: string; type: string }>;
    };
    const ids = Object.values(index.entries)
      .filter((entry) => entry.type === 'story')
      .map((entry) => entry.id.replace(/^live-transcript--/, ''));
    assert.deepEqual(ids.sort(), [...Object.keys(STORIES), 'live'].sort());
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
    await driveElement(page, 'live-transcript');
    check();
    await page.close();
  });

  it('Storybook: the Live story talks to the emulator through the example server', async () => {
    const { page, check } = await open(
      '/storybook/iframe.html?id=live-transcript--live&viewMode=story'
    );
    await driveElement(page, 'live-transcript');
    check();
    await page.close();
  });

  for (const [name, path] of [
    ['React', '/react/'],
    ['Vue', '/vue/'],
  ] as const) {
    it(`${name}: the component, then the hook, show captions from the emulator`, async () => {
      const { page, check } = await open(path);
      await driveElement(page, 'live-transcript');
      const finals = await page.$eval('main', (el) => el.textContent ?? '');
      assert.match(finals, /[1-9]\d* final turns? so far/, 'the app saw lt-final events');
      await driveHook(page);
      check();
      await page.close();
    });
  }
});
