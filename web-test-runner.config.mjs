// SPDX-License-Identifier: MIT
// One @web/test-runner configuration for every package. Run it from a package directory
// (`npm test` there, or through turbo from the root): it picks that package's browser tests,
// gives the package its own port so turbo can run packages in parallel, and launches real
// headless Chromium with a WAV file as the microphone.
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { mswWorkerMiddleware, tsForJsMiddleware } from './test-support/dev-middleware.mjs';
import { fakeServerPlugin } from './test-support/fake-server-plugin.mjs';
import { reactPlugin } from './test-support/react-plugin.mjs';
import { resultsReporter } from './test-support/results-reporter.mjs';
import { workletPlugin } from './test-support/worklet-plugin.mjs';
import { pageCommandsPlugin } from './test-support/page-commands.mjs';
import { findChromium } from './scripts/browsers.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const cwd = process.cwd();
const packageName = cwd === root ? 'root' : basename(cwd);

/** Each package gets a fixed port: base + index. `WTR_PORT_BASE` moves the whole block. */
const PORT_INDEX = { core: 1, element: 2, react: 3, vue: 4, examples: 5, root: 9 };
const port = Number(process.env.WTR_PORT_BASE ?? 8100) + (PORT_INDEX[packageName] ?? 8);

/** The microphone: a WAV file (default: the speech fixture), or `none` for Chromium's beep. */
const micFile = process.env.LT_FAKE_MIC ?? join(root, 'fixtures/speech-48k.wav');

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
  ...(micFile === 'none' ? [] : [`--use-file-for-fake-audio-capture=${micFile}`]),
];

const files = [`${relative(root, cwd) || '.'}/test/browser/**/*.test.{ts,tsx}`];

export default {
  rootDir: root,
  files: files.map((f) => join(root, f)),
  port,
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  concurrency: 2,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  middleware: [mswWorkerMiddleware(), tsForJsMiddleware(root)],
  plugins: [
    fakeServerPlugin(),
    reactPlugin(),
    workletPlugin(),
    pageCommandsPlugin(),
    esbuildPlugin({
      ts: true,
      tsx: true,
      target: 'es2022',
      tsconfig: join(root, 'tsconfig.base.json'),
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS },
      // Each test page in a window of its own: a background tab gets no animation frames and
      // defers media, which stalls tests that run in parallel with another file.
      createPage: ({ context }) => context.newPage({ type: 'window' }),
    }),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <script>
      window.process = { env: { NODE_ENV: 'development' } };
      window.__VUE_OPTIONS_API__ = true;
      window.__VUE_PROD_DEVTOOLS__ = false;
      window.__VUE_PROD_HYDRATION_MISMATCH_DETAILS__ = false;
    </script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  testFramework: { config: { timeout: 10_000 } },
  reporters: [
    defaultReporter(),
    summaryReporter({ flatten: false }),
    resultsReporter({ outDir: join(cwd, 'test-results'), label: packageName }),
  ],
};
