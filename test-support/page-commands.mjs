// SPDX-License-Identifier: MIT
// Server commands for browser tests that need the page itself, or pages of their own:
// - `bring-to-front`: with `concurrency` > 1 the test pages share one browser and only one of
//   them is visible; Chromium defers loading <audio>/<video> media in a page that is hidden and
//   never played media, so a media-element test brings its page forward.
// - `page:open` { url } -> { id }, `page:goto` { id, url }, `page:close` { id }: another tab of
//   the test's browser, at a URL relative to the test page, navigated or closed as a user would.
// Each answers false where the launcher gives no page to drive (WebKit's WebDriver launcher).

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function pageCommandsPlugin() {
  /** Tabs opened by tests, by id. */
  const tabs = new Map();
  let next = 1;
  return {
    name: 'page-commands',
    async executeCommand({ command, payload = {}, session }) {
      if (command !== 'bring-to-front' && !command.startsWith('page:')) return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page?.bringToFront) return false;
      if (command === 'bring-to-front') {
        await page.bringToFront();
        return true;
      }
      if (command === 'page:open') {
        const tab = await page.browserContext().newPage();
        await tab.goto(new URL(payload.url, page.url()).href);
        const id = next++;
        tabs.set(id, tab);
        return { id };
      }
      const tab = tabs.get(payload.id);
      if (!tab) throw new Error(`No tab ${payload.id}`);
      if (command === 'page:goto') {
        await tab.goto(new URL(payload.url, page.url()).href);
        return true;
      }
      if (command === 'page:close') {
        tabs.delete(payload.id);
        await tab.close();
        return true;
      }
      return undefined;
    },
    async serverStop() {
      for (const tab of tabs.values()) await tab.close().catch(() => {});
      tabs.clear();
    },
  };
}
