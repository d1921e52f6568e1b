// SPDX-License-Identifier: MIT
// The chunks loaded when captions are used: the engine (capture, session, token, merge rules)
// and, for the bindings, LiveTranscriber itself. Each is imported once; a failed import is not
// kept, so the next call tries again.
import { LiveTranscriptError } from '../errors.js';
import type * as Engine from './engine.js';
import type * as Shell from './live-transcriber.js';

let engine: Promise<typeof Engine> | undefined;
/** The engine module, once loaded. */
let loaded: typeof Engine | undefined;
let shell: Promise<typeof Shell> | undefined;
let attempts = 0;

const failed = (cause: unknown) =>
  new LiveTranscriptError(
    'engine-load-failed',
    'Could not load the transcription engine (@live-transcript/core): check the network, then try again.',
    { cause }
  );

/**
 * Chromium and Firefox remember a module that failed to load, so `import()` of the same URL
 * fails again without a request, even once the network is back. Their error names the URL: a
 * retry asks for it with a query of its own (a new module to the browser, the same file to the
 * server). Safari and bundlers' own chunk loaders retry by themselves.
 */
function retry<T>(load: () => Promise<T>, attempt: number): Promise<T> {
  return load().catch((error: unknown) => {
    const url = /dynamically imported module: (\S+\.m?js)\b/i.exec(String(error))?.[1];
    if (!attempt || !url) throw error;
    const again = `${url}${url.includes('?') ? '&' : '?'}retry=${attempt}`;
    return import(/* webpackIgnore: true */ /* @vite-ignore */ again) as Promise<T>;
  });
}

/** The engine chunk. */
export function loadEngine(): Promise<typeof Engine> {
  return (engine ??= retry(() => import('./engine.js'), attempts).then(
    (module) => (loaded = module),
    (cause: unknown) => {
      engine = undefined;
      attempts += 1;
      throw failed(cause);
    }
  ));
}

/** The engine module if it has loaded (for what must answer at once, as `diagnostics()`). */
export const loadedEngine = (): typeof Engine | undefined => loaded;

/** LiveTranscriber and its engine, fetched in parallel (for the bindings). */
export function loadTranscriber(): Promise<typeof Shell> {
  return (shell ??= Promise.all([
    retry(() => import('./live-transcriber.js'), attempts),
    loadEngine(),
  ]).then(
    ([module]) => module,
    (cause: unknown) => {
      shell = undefined;
      throw cause instanceof LiveTranscriptError ? cause : failed(cause);
    }
  ));
}
