// SPDX-License-Identifier: MIT
// The public types of the fake AssemblyAI v3 server: its options, the records it keeps, the
// fault injector, the transport hooks and the server object itself. (Types only; the state
// machine is fake-session.ts, the factory fake-server.ts.)
import type { ServerMessage } from '../protocol/messages.js';
import type { FakeClock } from './clock.js';
import type { GeneratorConfig, GeneratorOptions } from './generator.js';
import type { SessionScriptLine } from './script.js';

/** Script playback settings. */
export interface FakeScriptOptions {
  /** Parsed lines, or the JSONL text of a `fixtures/sessions/*.jsonl` file. */
  lines: SessionScriptLine[] | string;
  /**
   * Play ONE script across all sessions, as one audio stream that a client reconnects through.
   * A new session continues where the stream stopped; when it starts by re-sending audio an
   * earlier session already got (byte-identical frames, as a client replays the unfinished turn
   * after a drop), it continues from where that audio lies in the stream instead. Each session
   * renumbers turns from 0, keeps only the words that end after the point where it started (times
   * re-based to its own audio) and skips turns left empty. The script is taken as a recording of
   * that stream: the first sound the fake hears is where the script's first word starts, however
   * much silence the client sent before it.
   */
  continueAcrossSessions?: boolean;
  /** Deliver lines this long after their audio arrived (default 0). `Terminate` flushes them. */
  latencyMs?: number;
  /** Send the script's own `Begin` id/expiry and `Termination` numbers (default: fresh, real ones). */
  keepScriptValues?: boolean;
  /**
   * Continuation mode: where a frame starts in the stream (ms), when its sound tells (test audio
   * that encodes its own position); else `undefined`. Asked at a session's first sound (before
   * "where the stream stopped") and at each sound after a silence, so the script follows a
   * client that leaves silence out to catch up after an outage, or opens a session while an
   * earlier one is still behind (a rollover), as a real server, which hears the sound, would.
   * `expectedMs` is where the fake would place the frame without it. PCM16 sessions only.
   */
  locate?: (
    pcm: Int16Array,
    context: { sampleRate: number; expectedMs: number }
  ) => number | undefined;
}

/** Options of {@link createFakeStreamingServer}. */
export interface FakeStreamingServerOptions {
  /** Time source (default: the platform clock). Pass a `createVirtualClock()` to drive time. */
  clock?: FakeClock;
  /** Token redemption window: a token must open its session within this time (default 60). */
  expiresInSeconds?: number;
  /** Session cap for tokens without their own (default 10800); reaching it closes with 3008. */
  maxSessionDurationSeconds?: number;
  /** Tokens open one session each (default true). */
  singleUseTokens?: boolean;
  /** A server-side API key accepted in the `Authorization` header and required by `/v3/token`. */
  apiKey?: string;
  /** Whether a missing `speech_model` is refused (default `'required'`) or defaulted. */
  speechModel?: 'required' | 'defaulted';
  /** The model assumed when `speech_model` is missing and defaulted (default `universal-3-6-pro`). */
  defaultSpeechModel?: string;
  /** Which models behave like the U3 Pro family (sparse partials, SpeechStarted). */
  isU3Pro?: (model: string) => boolean;
  /** Real-time rule: audio may run ahead of the clock by this much (default 500 ms). */
  pacing?: { toleranceMs?: number };
  /** Accepted `inactivity_timeout` range in seconds (default [5, 3600]). */
  inactivityTimeoutRange?: [number, number];
  /** Close with `Error` + this code on inactivity, instead of `Termination` + 1000. */
  inactivityClose?: { code: number; reason: string };
  /**
   * Keep the audio of every frame received, as linear 16-bit samples (mu-law decoded), in
   * `FrameRecord.pcm` (default false: a long session would hold all its audio).
   */
  recordAudio?: boolean;
  /** Scripted transcripts; without a script the speech-driven generator runs. */
  script?: SessionScriptLine[] | string | FakeScriptOptions;
  generator?: GeneratorOptions;
}

/** One binary frame as the server received it. */
export interface FrameRecord {
  bytes: number;
  /** Audio duration of the frame. */
  ms: number;
  /** Arrival time (ms, from the fake's clock). */
  at: number;
  /** The frame's audio as linear 16-bit samples (mu-law decoded); only with `recordAudio`. */
  pcm?: Int16Array;
}

/** One text frame from the client, or one frame the server sent. */
export interface TextRecord {
  /** The frame as sent (binary frames the fake sent are kept as bytes). */
  raw: string | Uint8Array;
  /** Parsed JSON, if it parsed. */
  message?: unknown;
  at: number;
}

/** One connection attempt and, if it was accepted, its session. */
export interface SessionRecord {
  /** Position in `fake.connections`. */
  index: number;
  url: string;
  /** Query parameters as received. */
  params: Record<string, string>;
  /** The token used (query `token`, else the `Authorization` header). */
  token: string | undefined;
  openedAt: number;
  /** Set when the connection was refused at the HTTP level (never upgraded). */
  handshakeRefused?: { status: number; error: string };
  /** True once `Begin` was sent. */
  accepted: boolean;
  /** The session id sent in `Begin`. */
  id: string | undefined;
  beganAt: number | undefined;
  /** The settings in effect (query parameters with defaults, then `UpdateConfiguration`). */
  config: SessionConfig;
  frames: FrameRecord[];
  /** Total audio received, in ms. */
  audioMs: number;
  /** Text frames from the client. */
  control: TextRecord[];
  /** Every frame the server sent. */
  sent: TextRecord[];
  /** How it ended: `by: 'server'` when the fake closed (or dropped) it. */
  closed?: { code: number; reason: string; by: 'server' | 'client'; at: number };
}

export interface SessionConfig extends GeneratorConfig {
  sampleRate: number;
  encoding: 'pcm_s16le' | 'pcm_mulaw';
  speechModel: string;
  /** Seconds, if `inactivity_timeout` was given. */
  inactivityTimeout?: number;
  keytermsPrompt?: string[];
}

export interface TokenRecord {
  token: string;
  issuedAt: number;
  /** End of the redemption window. */
  expiresAt: number;
  maxSessionDurationSeconds: number;
  /** Sessions opened with it. */
  uses: number;
}

export interface TokenRequestRecord {
  method: string;
  url: string;
  status: number;
  at: number;
  token?: string;
}

/** Malformed frames the fake can send: see {@link FaultInjector.malformed}. */
export type MalformedKind = 'invalid-json' | 'no-type' | 'not-object' | 'binary' | 'huge';

/** Where and when a fault fires. */
export interface RuleTarget {
  /** Fire after this much audio in the session (default 0: right after `Begin`). */
  afterAudioMs?: number;
  /** A live session id (ignored once that session ended); default: the next session(s) to begin. */
  session?: string;
  /** How many upcoming sessions get it (default 1). */
  times?: number;
}

/** Faults to inject. Each applies to the next connection(s) unless a live `session` is named. */
export interface FaultInjector {
  /**
   * Refuse the next connection(s) before `Begin`: an `Error` frame (unless `errorFrame: false`)
   * and close `code` (default 1008); or, with `handshake: true`, at the HTTP level (`ws`: the
   * upgrade is answered with `status`, default 401; msw: the socket errors and closes with 1006
   * without ever opening, which is what a browser shows).
   */
  refuse(options?: {
    code?: number;
    reason?: string;
    errorFrame?: boolean;
    handshake?: boolean;
    status?: number;
    times?: number;
  }): void;
  /** Hold `Begin` back by `ms`. */
  delayBegin(ms: number, times?: number): void;
  /** Close with any code (with an `Error` frame by default for 1008 and 3xxx codes). */
  close(options: RuleTarget & { code: number; reason?: string; errorFrame?: boolean }): void;
  /** Drop the connection without a close frame (the client sees 1006). */
  drop(options?: RuleTarget): void;
  /** Send a malformed frame. */
  malformed(kind: MalformedKind, options?: RuleTarget): void;
  /** Fail the next `count` token requests with `status` (default 500), then recover. */
  failTokenRequests(count?: number, status?: number): void;
  /** Forget every pending fault. */
  clear(): void;
}

/** The transport's side of one WebSocket. */
export interface FakeSocket {
  send(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
  /** End the connection without a close frame. */
  drop(): void;
}

/** What a transport knows about an incoming connection or token request. */
export interface FakeRequest {
  url: string;
  method?: string;
  /** The `Authorization` header, if any (browsers cannot set one on a WebSocket). */
  authorization?: string | null;
}

/** The fake's side of one WebSocket: the transport reports frames and the end. */
export interface FakeConnection {
  message(data: string | ArrayBuffer | ArrayBufferView, at?: number): void;
  /** The connection ended (the client closed it, or it dropped). */
  closed(code: number, reason?: string): void;
  /** The transport shuts down: the fake closes the session with this code. */
  close(code: number, reason: string): void;
}

export interface FakeServerEvent {
  type: 'connection' | 'begin' | 'audio' | 'control' | 'send' | 'close';
  session: SessionRecord;
}

/** The fake server. See {@link createFakeStreamingServer}. */
export interface FakeStreamingServer {
  /** Every connection attempt, in order. */
  readonly connections: readonly SessionRecord[];
  /** The connections that got `Begin`. */
  readonly sessions: readonly SessionRecord[];
  readonly tokens: readonly TokenRecord[];
  readonly tokenRequests: readonly TokenRequestRecord[];
  readonly inject: FaultInjector;
  /** Mints a token directly (no HTTP). */
  issueToken(options?: { expiresInSeconds?: number; maxSessionDurationSeconds?: number }): string;
  /**
   * Answers a token request. `assemblyAi: true` is AssemblyAI's own `GET /v3/token` (needs the
   * API key); otherwise it is the app's token route. Both answer `{ token, expires_in_seconds }`.
   */
  handleTokenRequest(request: FakeRequest & { assemblyAi?: boolean }): {
    status: number;
    body: Record<string, unknown>;
  };
  /** Transport hook: an HTTP-level refusal for this upgrade request, if one is injected. */
  handshake(request: FakeRequest): { status: number; error: string } | undefined;
  /** Transport hook: a WebSocket was opened. */
  connect(request: FakeRequest, socket: FakeSocket): FakeConnection;
  /** Closes a live session (default: the newest) with any code. */
  closeSession(
    id: string | undefined,
    code: number,
    reason?: string,
    options?: { errorFrame?: boolean }
  ): void;
  /** Drops a live session's connection without a close frame. */
  dropSession(id?: string): void;
  /** Sends a malformed frame to a live session. */
  sendMalformed(kind: MalformedKind, id?: string): void;
  /** Sends any message (an object is JSON-encoded) to a live session. */
  send(message: ServerMessage | string, id?: string): void;
  /** Replaces the script (or, with `undefined`, switches to the generator) for new sessions. */
  setScript(script: FakeStreamingServerOptions['script']): void;
  /** Calls `listener` on every recorded event. Returns an unsubscribe function. */
  subscribe(listener: (event: FakeServerEvent) => void): () => void;
  /** Resolves once `predicate()` holds (checked on every event); rejects after `timeoutMs` (5000). */
  waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs?: number): Promise<T>;
  /** Closes every live session (1001) and clears records, tokens, faults and script position. */
  reset(): void;
  /** Closes every live session with 1001 "Going Away". */
  close(): void;
}
