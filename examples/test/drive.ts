// SPDX-License-Identifier: MIT
// Driving an example page in headless Chromium, as a user would: the microphone is the speech
// fixture, Start is clicked, captions are awaited on screen, Stop is clicked, and the emulator's
// records show what went over the real WebSocket. Shared by the examples' end-to-end test and the
// integration tests (the Next.js and Nuxt apps, the React and Vue version matrix).
import assert from 'node:assert/strict';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import type { FakeStreamingServer } from '@live-transcript/core/testing';

/** Words of the emulator's generator (it has no idea what was said). */
export const PLACEHOLDER = /\b(alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett)\b/i;
export const WAIT = { timeout: 20_000, polling: 50 };

export interface OpenPage {
  page: Page;
  /** Fails on any page error, console error or failed request seen so far. */
  check(): void;
}

/**
 * Opens `url` in a new tab; page errors, console errors and failed requests fail the test at
 * `check()`. `beforeLoad` runs in the page before its own scripts.
 */
export async function open(
  browser: Browser,
  url: string,
  beforeLoad?: () => void
): Promise<OpenPage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  if (beforeLoad) await page.evaluateOnNewDocument(beforeLoad);
  await page.goto(url, { waitUntil: 'load' });
  return { page, check: () => assert.deepEqual(problems, [], `${url}: ${problems.join('; ')}`) };
}

/** The emulator's newest session, once it has closed. */
async function lastSessionClosed(fake: FakeStreamingServer) {
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
 * clicks again and waits for `idle`. `fake` is the emulator the page talks to, if this process
 * has it: its records are checked too.
 */
export async function driveElement(page: Page, host: string, fake?: FakeStreamingServer) {
  const sessions = fake?.sessions.length ?? 0;
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
  if (!fake) return;
  assert.equal(fake.sessions.length, sessions + 1, 'one session per run');
  assertCleanRun(await lastSessionClosed(fake));
}

/**
 * Drives the app's own UI built on the hook/composable (`data-testid` hooks in the apps):
 * `hook` (its first button is Start/Stop), `hook-state`, `hook-transcript`. `fake` as for
 * {@link driveElement}.
 */
export async function driveHook(page: Page, fake?: FakeStreamingServer) {
  const sessions = fake?.sessions.length ?? 0;
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
  if (!fake) return;
  assert.equal(fake.sessions.length, sessions + 1, 'one session per run');
  assertCleanRun(await lastSessionClosed(fake));
}
