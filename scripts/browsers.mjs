// SPDX-License-Identifier: MIT
// Where the browsers are. Shared by the test runner config, `npm test` and the CI script.
import { existsSync } from 'node:fs';

/** Chromium from CHROME_PATH, else Debian's /usr/bin/chromium, else undefined. */
export function findChromium() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  for (const path of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(path)) return path;
  }
  return undefined;
}
