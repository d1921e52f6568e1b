// SPDX-License-Identifier: MIT
// A transport-independent fake of one AssemblyAI Universal Streaming (v3) server, faithful to
// /protocol.md: token checks, query validation, Begin, frame-duration and pacing rules, control
// messages, Terminate/Termination, close codes, injectable faults, scripted or speech-driven
// transcripts, and a record of everything. Transports (msw, Node `ws`) only move frames.
// This file is the factory; the parts are fake-types (the public types), fake-query (settings),
// fake-tokens, fake-faults, fake-state (shared between them) and fake-session (one connection).
//
// Assumptions where the protocol is silent (each can be changed by an option where noted):
// - Refused tokens: the upgrade succeeds, then `Error` {error_code: 1008} + close 1008
//   ("Unauthorized Connection: ..."). `inject.refuse({ handshake: true })` simulates an HTTP-level
//   rejection instead (browsers see close 1006 with no reason).
// - Invalid query parameters (sample_rate, encoding, missing speech_model, malformed booleans,
//   numbers or JSON arrays): `Error` + close 3006 "Invalid Message: ...". 3006 is the documented
//   code for a bad client message, and like the real 3006 it is not worth retrying; 1008 would
//   send clients into a token refresh that cannot help.
// - `inactivity_timeout` expiry: the in-flight turn is flushed, then `Termination` and close 1000,
//   as if the client had sent `Terminate` (the docs say the session is "terminated"). Any frame
//   from the client (audio or JSON, `KeepAlive` included) resets the timer. Configurable.
// - Audio before `Begin` (only possible with `inject.delayBegin`) is accepted and counted; the
//   real-time rule is measured from the moment `Begin` is sent.
// - Session expiry (`max_session_duration_seconds`): `Error` {3008} + close 3008, no Termination.
// - Tokens are single-use (the streaming auth page), and the token is redeemed before the
//   parameters are checked, so a refused session still burns its token. Texts: "Unauthorized
//   Connection: Missing Authorization header" (protocol.md §7.1), "... Invalid temporary token",
//   "... Temporary token has already been used", "... Temporary token has expired".
// - Accepted `sample_rate`: integers 8000-48000 (16000 when omitted, as the spec's default).
// - Accepted `encoding`: `pcm_s16le` (default) and `pcm_mulaw`, the two protocol.md §1.2 lists;
//   anything else (`opus`, seen only in one SDK) is an invalid query parameter (3006). Frame
//   durations and the real-time rule count 1 byte per sample in mu-law, 2 in PCM16; the
//   generator and `recordAudio` see the mu-law audio decoded to linear samples.
// - Script `Termination` lines get the session's real (rounded) numbers, and `Begin` a fresh id
//   and expiry, unless `keepScriptValues`.
import { parseSessionScript, prepareScript } from './script.js';
import { closeWith, createFaultInjector, malformedFrame } from './fake-faults.js';
import { Session } from './fake-session.js';
import { createState, emit, liveSession, newRecord, takePending } from './fake-state.js';
import { handleTokenRequest, issueToken, redeemToken } from './fake-tokens.js';
import type {
  FakeScriptOptions,
  FakeStreamingServer,
  FakeStreamingServerOptions,
} from './fake-types.js';

/**
 * Creates a fake AssemblyAI v3 streaming server: one state machine that can hold many sessions,
 * served by msw (`handlers(fake)` from `@live-transcript/core/testing/msw`) or a real `ws`
 * server (`listen(fake)` from `@live-transcript/core/testing/node`).
 *
 * @example
 * ```ts
 * const fake = createFakeStreamingServer({ script: { lines: parseSessionScript(jsonl) } });
 * worker.use(...handlers(fake));                // msw, in the browser
 * // ... run the client, then:
 * expect(fake.sessions[0].closed?.code).to.equal(1000);
 * ```
 */
export function createFakeStreamingServer(
  options: FakeStreamingServerOptions = {}
): FakeStreamingServer {
  const state = createState(options);

  const setScript = (script: FakeStreamingServerOptions['script']) => {
    if (script === undefined) return void (state.script = undefined);
    const scriptOptions: FakeScriptOptions =
      typeof script === 'string' || Array.isArray(script) ? { lines: script } : script;
    const lines =
      typeof scriptOptions.lines === 'string'
        ? parseSessionScript(scriptOptions.lines)
        : scriptOptions.lines;
    state.script = { prepared: prepareScript(lines), options: scriptOptions };
    state.position = 0;
    state.frames.clear();
  };
  setScript(options.script);

  const inject = createFaultInjector(state);

  const fake: FakeStreamingServer = {
    get connections() {
      return state.connections;
    },
    get sessions() {
      return state.connections.filter((c) => c.accepted);
    },
    get tokens() {
      return [...state.tokens.values()];
    },
    get tokenRequests() {
      return state.tokenRequests;
    },
    inject,
    issueToken: (opts) => issueToken(state, opts),
    handleTokenRequest: (request) => handleTokenRequest(state, request),

    handshake(request) {
      const refusal = takePending(state.refusals, (r) => r.handshake);
      if (!refusal) return undefined;
      const record = newRecord(state, request);
      const error = refusal.reason;
      record.handshakeRefused = { status: refusal.status, error };
      record.closed = { code: 1006, reason: '', by: 'server', at: record.openedAt };
      emit(state, 'connection', record);
      emit(state, 'close', record);
      return { status: refusal.status, error };
    },

    connect(request, socket) {
      const record = newRecord(state, request);
      const session = new Session(state, record, socket);
      state.live.push(session);
      emit(state, 'connection', record);
      const { error, maxSessionDurationSeconds } = redeemToken(state, record);
      session.open(request, error, maxSessionDurationSeconds);
      return session;
    },

    closeSession(id, code, reason, { errorFrame } = {}) {
      const session = liveSession(state, id);
      if (session) closeWith(session, code, reason, errorFrame);
    },
    dropSession: (id) => liveSession(state, id)?.drop(),
    sendMalformed: (kind, id) => liveSession(state, id)?.send(malformedFrame(kind)),
    send: (message, id) => liveSession(state, id)?.send(message),
    setScript,

    subscribe(listener) {
      state.listeners.add(listener);
      return () => void state.listeners.delete(listener);
    },

    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          let value;
          try {
            value = predicate();
          } catch (error) {
            done();
            return reject(error);
          }
          if (value) {
            done();
            resolve(value);
          }
        };
        const unsubscribe = fake.subscribe(check);
        const timer = setTimeout(() => {
          done();
          reject(new Error(`fake.waitFor: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          unsubscribe();
          clearTimeout(timer);
        };
        check();
      });
    },

    reset() {
      fake.close();
      state.connections.length = 0;
      state.tokens.clear();
      state.tokenRequests.length = 0;
      inject.clear();
      state.position = 0;
      state.frames.clear();
    },

    close() {
      for (const session of [...state.live]) session.close(1001, 'Going Away');
    },
  };
  return fake;
}
