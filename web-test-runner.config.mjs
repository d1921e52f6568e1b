// SPDX-License-Identifier: MIT
// One @web/test-runner configuration for every package. Run it from a package directory
// (`npm test` there, or through turbo from the root): it picks that package's browser tests,
// gives the package its own port so turbo can run packages in parallel, and launches the
// browsers of LT_BROWSERS (scripts/browsers.mjs: Chromium, Firefox, WebKit; default: those
// installed) with a WAV file as the microphone: Chromium through its fake-capture flags,
// Firefox through a private PulseAudio (test-support/pulse-plugin.mjs), while WebKit has only
// its beeping mock device. Every page runs under the rate guard (test-support/browser/setup.ts).
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as puppeteerCore from 'puppeteer-core';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { mswWorkerMiddleware, tsForJsMiddleware } from './test-support/dev-middleware.mjs';
import { fakeServerPlugin } from './test-support/fake-server-plugin.mjs';
import { reactPlugin } from './test-support/react-plugin.mjs';
import { resultsReporter } from './test-support/results-reporter.mjs';
import { workletPlugin } from './test-support/worklet-plugin.mjs';
import { pageCommandsPlugin } from './test-support/page-commands.mjs';
import { blockMiddleware, blockRequestsPlugin } from './test-support/block-requests.mjs';
import { pulsePlugin } from './test-support/pulse-plugin.mjs';
import { webkit } from './test-support/webkit-plugin.mjs';
import {
  BROWSERS,
  describeSkipped,
  findChromium,
  findFirefox,
  findMiniBrowser,
  runsPackage,
  selectBrowsers,
} from './scripts/browsers.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const cwd = process.cwd();
const packageName = cwd === root ? 'root' : basename(cwd);

/**
 * Each package gets a fixed port: base + index, + 10 per browser of a one-browser run (so the
 * browsers of one package can run at once, as turbo does with core's). `WTR_PORT_BASE` moves
 * the whole block.
 */
const PORT_INDEX = { core: 1, element: 2, react: 3, vue: 4, examples: 5, root: 9 };
const BROWSER_OFFSET = { chromium: 0, firefox: 10, firefox140: 20, webkit: 30 };

/** The microphone: a WAV file (default: the speech fixture), or `none` for the browsers' tone. */
const micFile =
  process.env.LT_FAKE_MIC === 'none'
    ? undefined
    : (process.env.LT_FAKE_MIC ?? join(root, 'fixtures/speech-48k.wav'));

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  ...(micFile ? [`--use-file-for-fake-audio-capture=${micFile}`] : []),
];

/** Firefox prefs for tests: no permission prompt, no autoplay block, the WAV mic via pulse. */
export const FIREFOX_PREFS = {
  'media.navigator.streams.fake': !micFile,
  'media.navigator.permission.disabled': true,
  'permissions.default.microphone': 1, // granted, as Chromium's fake UI does
  'media.autoplay.default': 0,
  'media.autoplay.block-webaudio': false,
};

const selection = selectBrowsers();
if (selection.missing.length > 0) {
  throw new Error(
    `Cannot run the browser tests:\n${describeSkipped(selection.missing, 'required').join('\n')}`
  );
}
for (const line of describeSkipped(selection.skipped)) console.warn(line);
const selected = selection.run.filter((name) => runsPackage(name, packageName));
const port =
  Number(process.env.WTR_PORT_BASE ?? 8100) +
  (PORT_INDEX[packageName] ?? 8) +
  (selected.length === 1 ? BROWSER_OFFSET[selected[0]] : 0);

const plugins = [];
/** Launcher -> { id, label } for the results reporter (both Firefoxes call themselves Firefox). */
const labels = new Map();
function launch(id, launcher) {
  labels.set(launcher, { id, label: BROWSERS[id].label });
  return launcher;
}

const pulse = selected.some((name) => name.startsWith('firefox'))
  ? pulsePlugin({ micFile })
  : undefined;
if (pulse) plugins.push(pulse);
const firefox = (id, executablePath) =>
  launch(
    id,
    chromeLauncher({
      puppeteer: puppeteerCore, // makes chromeLauncher honour launchOptions.browser (WebDriver BiDi)
      concurrency: 1,
      launchOptions: {
        browser: 'firefox',
        executablePath,
        headless: true,
        env: { ...process.env, ...pulse.env },
        extraPrefsFirefox: FIREFOX_PREFS,
      },
      // puppeteer's setViewport() sends a BiDi command that Firefox 140 lacks: make it a no-op.
      ...(id === 'firefox140' && {
        createPage: async ({ context }) => {
          const page = await context.newPage();
          page.setViewport = async () => {};
          return page;
        },
      }),
    })
  );

const browsers = [];
for (const name of selected) {
  if (name === 'chromium') {
    const launchOptions = { executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS };
    browsers.push(
      launch(
        name,
        chromeLauncher({
          launchOptions,
          concurrency: 2,
          // Each test page in a window of its own: a background tab gets no animation frames and
          // defers media, which stalls tests that run in parallel with another file.
          createPage: ({ context }) => context.newPage({ type: 'window' }),
        })
      )
    );
  } else if (name === 'firefox') {
    browsers.push(firefox(name, findFirefox()));
  } else if (name === 'firefox140') {
    browsers.push(firefox(name, process.env.FIREFOX140_PATH));
  } else if (name === 'webkit') {
    const { plugin, launcher } = await webkit({ miniBrowser: findMiniBrowser() });
    plugins.push(plugin);
    browsers.push(launch(name, launcher));
  }
}

const dir = `${relative(root, cwd) || '.'}/test/browser`;
/** All test files, or those of the one browser that runs only some (e.g. firefox140). */
const only = selected.length === 1 ? BROWSERS[selected[0]].files : undefined;
const files = only ? only.map((name) => `${dir}/${name}.test.ts`) : [`${dir}/**/*.test.{ts,tsx}`];

export default {
  rootDir: root,
  files: files.map((f) => join(root, f)),
  port,
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  // WebKit's webdriver launcher runs one window (files one after another) only when the global
  // concurrency is 1; Chromium sets its own (2), Firefox its own (1).
  concurrency: selected.includes('webkit') ? 1 : 2,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  middleware: [blockMiddleware(), mswWorkerMiddleware(), tsForJsMiddleware(root)],
  plugins: [
    ...plugins,
    fakeServerPlugin(),
    reactPlugin(),
    workletPlugin(),
    pageCommandsPlugin(),
    blockRequestsPlugin(),
    esbuildPlugin({
      ts: true,
      tsx: true,
      target: 'es2022',
      tsconfig: join(root, 'tsconfig.base.json'),
    }),
  ],
  browsers,
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <script>
      window.process = { env: { NODE_ENV: 'development' } };
      window.__VUE_OPTIONS_API__ = true;
      window.__VUE_PROD_DEVTOOLS__ = false;
      window.__VUE_PROD_HYDRATION_MISMATCH_DETAILS__ = false;
      window.__LT_TEST__ = ${JSON.stringify({ rateGuard: process.env.LT_RATE_GUARD !== '0', wavMic: Boolean(micFile) })};
    </script>
    <script type="module" src="/test-support/browser/setup.ts"></script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  testFramework: { config: { timeout: 10_000 } },
  reporters: [
    defaultReporter(),
    summaryReporter({ flatten: false }),
    resultsReporter({ outDir: join(cwd, 'test-results'), label: packageName, browsers: labels }),
  ],
};
