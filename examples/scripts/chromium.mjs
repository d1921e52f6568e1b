// SPDX-License-Identifier: MIT
// Headless Chromium for the end-to-end test and the screenshots: the test runner's flags, so the
// microphone is the speech fixture (fixtures/speech-48k.wav, or LT_FAKE_MIC) and is granted.
import puppeteer from 'puppeteer-core';
import { findChromium } from '../../scripts/browsers.mjs';

/** The flags live in the test runner's config (one list for every browser test). */
const config = new URL('../../web-test-runner.config.mjs', import.meta.url).href;

/** @returns {Promise<import('puppeteer-core').Browser>} */
export async function launchChromium() {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error('No Chromium: install it (apt-get install chromium) or set CHROME_PATH.');
  }
  /** @type {{ CHROMIUM_FLAGS: string[] }} */
  const { CHROMIUM_FLAGS } = await import(config);
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    defaultViewport: { width: 1000, height: 800 },
    protocolTimeout: 60_000,
  });
}
