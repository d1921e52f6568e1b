// SPDX-License-Identifier: MIT
// Where the browsers are, and which ones a test run uses. Shared by the test runner config,
// `npm test` and the CI script.
//
// `LT_BROWSERS=chromium,firefox,webkit` picks the browsers (also `firefox140`). Unset: Chromium,
// and Firefox and WebKit where installed, plus `firefox140` when FIREFOX140_PATH is set. Chromium,
// a browser named in LT_BROWSERS, and under CI=1 all three must be installed, or the run fails.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const first = (paths) => paths.find((path) => path && existsSync(path));
const onPath = (name) =>
  first((process.env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, name)));

/** Chromium from CHROME_PATH, else Debian's /usr/bin/chromium, else undefined. */
export function findChromium() {
  if (process.env.CHROME_PATH) return first([process.env.CHROME_PATH]);
  return first(['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']);
}

/** Firefox (Debian's firefox-esr) from FIREFOX_PATH or the Debian location. */
export function findFirefox() {
  if (process.env.FIREFOX_PATH) return first([process.env.FIREFOX_PATH]);
  return first(['/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox-esr', '/usr/bin/firefox']);
}

/** The WebKitGTK MiniBrowser, for WebKitWebDriver. */
export function findMiniBrowser() {
  return first([
    '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
  ]);
}

/**
 * Every test browser: what it needs (all of it must be found), and how to install it.
 * `packages`: the packages whose suites run there (default: all); `files`: the test files that
 * run there (`<name>.test.ts` of test/browser; default: all).
 */
export const BROWSERS = {
  chromium: {
    label: 'Chromium',
    needs: () => ({ chromium: findChromium() }),
    install: 'sudo apt-get install chromium (or point CHROME_PATH at Chrome or Chromium)',
  },
  firefox: {
    label: 'Firefox',
    // Firefox runs AudioContexts only with a sound server: a private PulseAudio (pulse-plugin).
    needs: () => ({ 'firefox-esr': findFirefox(), pulseaudio: onPath('pulseaudio') }),
    install:
      'sudo apt-get install firefox-esr && sudo apt-get install --no-install-recommends pulseaudio',
  },
  webkit: {
    label: 'WebKit',
    needs: () => ({
      WebKitWebDriver: onPath('WebKitWebDriver'),
      MiniBrowser: findMiniBrowser(),
      Xvfb: onPath('Xvfb'),
    }),
    install: 'sudo apt-get install webkit2gtk-driver xvfb',
  },
  firefox140: {
    label: 'Firefox 140',
    needs: () => ({
      FIREFOX140_PATH: first([process.env.FIREFOX140_PATH]),
      pulseaudio: onPath('pulseaudio'),
    }),
    install: 'run .ci/run, which extracts firefox-esr 140 and sets FIREFOX140_PATH',
    // What ESR 140 is here for, its cross-sample-rate bug: the microphone paths of the core.
    packages: ['core'],
    files: ['rate-guard', 'transcriber'],
  },
};

/** The browsers every CI run must have. */
export const REQUIRED_IN_CI = ['chromium', 'firefox', 'webkit'];

/**
 * Which browsers to run (`browsers`: the table above, replaceable in tests): `{ run, skipped,
 * missing }`. `skipped` are browsers left out because
 * they are not installed (a local run); `missing` are browsers that must run but cannot (named
 * in LT_BROWSERS, or required under CI): the caller fails. Each entry of skipped/missing is
 * `{ name, label, reason, install }`.
 */
export function selectBrowsers(env = process.env, browsers = BROWSERS) {
  const named = env.LT_BROWSERS?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const ci = Boolean(env.CI) && env.CI !== '0' && env.CI !== 'false';
  const wanted = named ?? [
    'chromium',
    'firefox',
    'webkit',
    ...(env.FIREFOX140_PATH ? ['firefox140'] : []),
  ];
  const result = { run: [], skipped: [], missing: [] };
  for (const name of new Set(wanted)) {
    const browser = browsers[name];
    if (!browser) {
      const known = Object.keys(browsers).join(', ');
      result.missing.push({ name, label: name, reason: `unknown browser (known: ${known})` });
      continue;
    }
    const absent = Object.entries(browser.needs())
      .filter(([, path]) => !path)
      .map(([what]) => what);
    if (absent.length === 0) {
      result.run.push(name);
      continue;
    }
    const entry = {
      name,
      label: browser.label,
      reason: `${absent.join(', ')} not found`,
      install: browser.install,
    };
    if (named || name === 'chromium' || (ci && REQUIRED_IN_CI.includes(name))) {
      result.missing.push(entry);
    } else result.skipped.push(entry);
  }
  return result;
}

/** One line per skipped or missing browser, e.g. for a summary. */
export function describeSkipped(entries, verb = 'skipped') {
  return entries.map(
    (e) => `${e.label}: ${e.reason}; ${verb}.${e.install ? ` Install with \`${e.install}\`.` : ''}`
  );
}

/** Whether `browser` runs the suites of package `label` (a directory name under packages/). */
export const runsPackage = (browser, label) =>
  !BROWSERS[browser]?.packages || BROWSERS[browser].packages.includes(label);
