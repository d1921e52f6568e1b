// SPDX-License-Identifier: MIT
// The chunks loaded when captions are used: the engine (capture, session, token, merge rules)
// and, for the bindings, LiveTranscriber itself. Each is imported once; a failed import is not
// kept, so the next call tries again.
import { LiveTranscriptError } from '../errors.js';
import type * as Engine from './engine.js';
import type * as Shell from './live-transcriber.js';

let engine: Promise<typeof Engine> | undefined;
let shell: Promise<typeof Shell> | undefined;

const failed = (cause: unknown) =>
  new LiveTranscriptError(
    'engine-load-failed',
    'Could not load the transcription engine (a file of @live-transcript/core): check the network, then try again.',
    { cause }
  );

/** The engine chunk. */
export function loadEngine(): Promise<typeof Engine> {
  return (engine ??= import('./engine.js').catch((cause: unknown) => {
    engine = undefined;
    throw failed(cause);
  }));
}

/** LiveTranscriber and its engine, fetched in parallel (for the bindings). */
export function loadTranscriber(): Promise<typeof Shell> {
  return (shell ??= Promise.all([import('./live-transcriber.js'), loadEngine()]).then(
    ([module]) => module,
    (cause: unknown) => {
      shell = undefined;
      throw cause instanceof LiveTranscriptError ? cause : failed(cause);
    }
  ));
}
