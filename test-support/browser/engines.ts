// SPDX-License-Identifier: MIT
// Which engine runs the test page, and a way to mark a test that cannot run in one: it is then
// reported as skipped, with the engine and the reason in its title, never left out silently.
//
//   skipIn('webkit', 'the mock microphone only beeps')('matches the speech fixture', async () => {
//     ...
//   });
//   skipIn(['firefox', 'webkit'], 'why', () => {
//     it('a test', ...);   // every `it` declared in here
//   });
//   skipIn({ firefox: 'one reason', webkit: 'another' })('a test', ...);

export type Engine = 'chromium' | 'firefox' | 'webkit';

const LABELS: Record<Engine, string> = {
  chromium: 'Chromium',
  firefox: 'Firefox',
  webkit: 'WebKit',
};

/** The engine of this page, from its user agent. */
export function engine(): Engine {
  const ua = navigator.userAgent;
  if (/\bFirefox\//.test(ua)) return 'firefox';
  if (/Chrom(e|ium)\//.test(ua)) return 'chromium'; // also HeadlessChrome
  return 'webkit';
}

type Test = (title: string, fn: Mocha.AsyncFunc | Mocha.Func) => Mocha.Test;

/** Engines, or a reason per engine. */
type Engines = Engine | Engine[] | Partial<Record<Engine, string>>;

/**
 * In the given engines, registers tests as skipped (mocha `it.skip`), titled
 * `<title> [skipped in <Engine>: <reason>]`; elsewhere it is plain `it`. Without `define` it
 * returns that `it`; with `define`, every `it` that `define` declares gets this treatment.
 */
export function skipIn(engines: Engines, reason?: string): Test;
export function skipIn(engines: Engines, reason: string | undefined, define: () => void): void;
export function skipIn(engines: Engines, reason?: string, define?: () => void) {
  const current = engine();
  const reasons: Partial<Record<Engine, string>> =
    typeof engines === 'object' && !Array.isArray(engines)
      ? engines
      : Object.fromEntries([engines].flat().map((e) => [e, reason ?? 'not supported']));
  const why = reasons[current];
  const global = globalThis as unknown as { it: Mocha.TestFunction };
  const original = global.it;
  const test: Test = why
    ? (title) => original.skip(`${title} [skipped in ${LABELS[current]}: ${why}]`)
    : (title, fn) => original(title, fn);
  if (!define) return test;
  if (!why) return define();
  global.it = Object.assign(test, original) as unknown as Mocha.TestFunction;
  try {
    define();
  } finally {
    global.it = original;
  }
}
