#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Screenshots of every example page and every story, for a person to look at (not a test):
//   node examples/scripts/screenshots.mjs [output dir]     (default: /tmp/live-transcript-screenshots)
// Needs the built examples (`npm run build -w @live-transcript/examples`). The pages run on the
// emulator with the fixture microphone; the story pages show their simulated states.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createExampleServer } from '../server/server.mjs';
import { launchChromium } from './chromium.mjs';

const out = process.argv[2] ?? '/tmp/live-transcript-screenshots';
await mkdir(out, { recursive: true });
const server = await createExampleServer({ apiKey: '', port: 0 });
const browser = await launchChromium();
/** @type {string[]} */
const shots = [];

/**
 * @param {string} name
 * @param {string} path
 * @param {{ dark?: boolean, run?: (page: import('puppeteer-core').Page) => Promise<void> }} [options]
 */
async function shoot(name, path, { dark = false, run } = {}) {
  const page = await browser.newPage();
  try {
    await page.emulateMediaFeatures([
      { name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' },
    ]);
    await page.goto(`${server.origin}${path}`, { waitUntil: 'networkidle0' });
    if (run) await run(page);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const file = /** @type {`${string}.png`} */ (join(out, `${name}.png`));
    // A story: just its content (with a margin); a page: all of it.
    const clip = await page.evaluate(() => {
      const root =
        document.querySelector('#root-inner') ?? document.querySelector('#storybook-root');
      const children = [...(root?.children ?? [])];
      if (!children.length) return undefined;
      const rects = children.map((child) => child.getBoundingClientRect());
      const top = Math.min(...rects.map((r) => r.top));
      const bottom = Math.max(...rects.map((r) => r.bottom));
      return { x: 0, y: Math.max(0, top - 16), width: innerWidth, height: bottom - top + 32 };
    });
    await page.screenshot({ path: file, ...(clip ? { clip } : { fullPage: true }) });
    shots.push(file);
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : error}`);
  } finally {
    await page.close();
  }
}

/** Clicks Start on the first element, waits for a caption, leaves it listening. */
async function captions(/** @type {import('puppeteer-core').Page} */ page) {
  const button = await page.waitForSelector('live-transcript >>> [part~="control"]', {
    timeout: 5000,
  });
  await button?.click();
  await page.waitForFunction(
    () => document.querySelector('live-transcript')?.shadowRoot?.querySelector('[part~="turn"]'),
    { timeout: 15_000 }
  );
}

/** Clicks Start in the app's own UI (the hook), waits for a caption, leaves it listening. */
async function hookCaptions(/** @type {import('puppeteer-core').Page} */ page) {
  await (await page.waitForSelector('[data-testid="hook"] button', { timeout: 5000 }))?.click();
  await page.waitForSelector('[data-testid="hook-transcript"] p', { timeout: 15_000 });
}

try {
  await shoot('index', '/');
  await shoot('vanilla-idle', '/vanilla/');
  await shoot('vanilla-captions', '/vanilla/', { run: captions });
  await shoot('vanilla-captions-dark', '/vanilla/', { dark: true, run: captions });
  await shoot('react', '/react/', { run: captions });
  await shoot('vue', '/vue/', { run: captions });
  await shoot('react-hook', '/react/', { run: hookCaptions });
  await shoot('vue-hook-dark', '/vue/', { dark: true, run: hookCaptions });
  const index = await (await fetch(`${server.origin}/storybook/index.json`)).json();
  for (const entry of Object.values(index.entries)) {
    if (entry.type !== 'story') continue;
    await shoot(`story-${entry.id}`, `/storybook/iframe.html?id=${entry.id}&viewMode=story`);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(shots.join('\n'));
