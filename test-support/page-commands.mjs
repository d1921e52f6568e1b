// SPDX-License-Identifier: MIT
// Server commands for browser tests that need the page itself, e.g.
// `await executeServerCommand('bring-to-front')`. With `concurrency` > 1 the test pages share
// one browser and only one of them is visible; Chromium defers loading <audio>/<video> media in
// a page that is hidden and never played media, so a media-element test brings its page forward.

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function pageCommandsPlugin() {
  return {
    name: 'page-commands',
    async executeCommand({ command, session }) {
      if (command !== 'bring-to-front') return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page?.bringToFront) return false;
      await page.bringToFront();
      return true;
    },
  };
}
