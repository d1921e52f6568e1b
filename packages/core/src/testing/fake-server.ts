// SPDX-License-Identifier: MIT
// A transport-independent fake of one AssemblyAI Universal Streaming (v3) server, faithful to
// /protocol.md: token checks, query validation, Begin, frame-duration and pacing rules, control
// messages, Terminate/Termination, close codes, injectable faults, scripted or speech-driven
// transcripts, and a record of everything. Transports (msw, Node `ws`) only move frames.
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
// - Script `Termination` lines get the session's real (rounded) numbers, and `Begin` a fresh id
//   and expiry, unless `keepScriptValues`.
import type { ServerMessage, TerminationMessage } from '../protocol/messages.js';
import { systemClock, type FakeClock } from './clock.js';
import { TurnGenerator, type GeneratorConfig, type GeneratorOptions } from './generator.js';
import { mswHandlers, type FakeHandlersOptions, type FakeHandler } from './msw.js';
import {
  ScriptPlayer,
  parseSessionScript,
  prepareScript,
  type PreparedScript,
  type ScriptAction,
  type ScriptMessage,
  type SessionScriptLine,
} from './script.js';

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

interface RuleTarget {
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
  /** msw handlers for the token route(s) and the socket URL(s). */
  handlers(options?: FakeHandlersOptions): FakeHandler[];
  /** Calls `listener` on every recorded event. Returns an unsubscribe function. */
  subscribe(listener: (event: FakeServerEvent) => void): () => void;
  /** Resolves once `predicate()` holds (checked on every event); rejects after `timeoutMs` (5000). */
  waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs?: number): Promise<T>;
  /** Closes every live session (1001) and clears records, tokens, faults and script position. */
  reset(): void;
  /** Closes every live session with 1001 "Going Away". */
  close(): void;
}

const DEFAULT_REASONS: Record<number, string> = {
  1001: 'Going Away',
  1008: 'Unauthorized Connection: Refused by the fake server',
  1011: 'Internal Server Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  3005: 'Session Cancelled: An error occurred',
  3006: 'Invalid Message',
  3007: 'Input duration violation',
  3008: 'Session Expired: Maximum session duration exceeded',
  3009: 'Unauthorized Connection: Too many concurrent sessions',
};

const U3_PRO = /^u3-|^u3$|universal-3|stt-3/i;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

function uuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const base64url = (text: string) =>
  btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** An opaque JWT-shaped token, like AssemblyAI's temporary tokens (never a 32-hex API key). */
function mintToken(iat: number, exp: number): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify({ iss: 'live-transcript-fake', jti: uuid(), iat, exp }));
  return `${header}.${body}.${base64url(String.fromCharCode(...randomBytes(32)))}`;
}

function mulawToFloat(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84;
  return (u & 0x80 ? -magnitude : magnitude) / 32768;
}

function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

/** A close reason the way the server sends it: at most 123 bytes. */
function closeReason(reason: string): string {
  return new TextEncoder().encode(reason).length > 123 ? 'See Error message for details' : reason;
}

const trim = (n: number) => Number(n.toFixed(1));

/**
 * Validates the query string of a connection (server side) into the session settings, or
 * returns the text of a 3006 refusal.
 */
function parseQuery(
  params: URLSearchParams,
  options: FakeStreamingServerOptions,
  isU3: (model: string) => boolean
): SessionConfig | string {
  let error: string | undefined;
  const bad = (name: string, why: string): undefined => {
    error ??= `Invalid Message: query parameter ${name} ${why}, got ${JSON.stringify(params.get(name))}`;
    return undefined;
  };
  const num = (name: string, min: number, max: number, integer = false): number | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    const value = Number(raw);
    return raw.trim() === '' ||
      !(value >= min && value <= max) ||
      (integer && !Number.isInteger(value))
      ? bad(name, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`)
      : value;
  };
  const bool = (name: string): boolean | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    return /^(true|false)$/i.test(raw)
      ? raw.toLowerCase() === 'true'
      : bad(name, 'must be true or false');
  };
  const list = (name: string, max: number): string[] | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    try {
      const value: unknown = JSON.parse(raw);
      if (
        Array.isArray(value) &&
        value.length <= max &&
        value.every((v) => typeof v === 'string')
      ) {
        return value as string[];
      }
    } catch {
      /* reported below */
    }
    return bad(name, `must be a JSON array of at most ${max} strings`);
  };
  const model = params.get('speech_model');
  if (model === null && options.speechModel !== 'defaulted') {
    return 'Invalid Message: query parameter speech_model is required';
  }
  const encoding = params.get('encoding') ?? 'pcm_s16le';
  if (encoding !== 'pcm_s16le' && encoding !== 'pcm_mulaw') {
    bad('encoding', 'must be pcm_s16le or pcm_mulaw');
  }
  const speechModel = model ?? options.defaultSpeechModel ?? 'universal-3-6-pro';
  const u3 = isU3(speechModel);
  const [minIdle, maxIdle] = options.inactivityTimeoutRange ?? [5, 3600];
  const config: SessionConfig = {
    sampleRate: num('sample_rate', 8000, 48000, true) ?? 16000,
    encoding: encoding as SessionConfig['encoding'],
    speechModel,
    formatTurns: bool('format_turns') ?? false,
    minTurnSilence: num('min_turn_silence', 0, 60000) ?? (u3 ? 100 : 400),
    maxTurnSilence: num('max_turn_silence', 0, 60000) ?? (u3 ? 1000 : 1280),
    endOfTurnConfidenceThreshold: num('end_of_turn_confidence_threshold', 0, 1) ?? 0.4,
  };
  const inactivity = num('inactivity_timeout', minIdle, maxIdle);
  if (inactivity !== undefined) config.inactivityTimeout = inactivity;
  const keyterms = list('keyterms_prompt', 100);
  if (keyterms) config.keytermsPrompt = keyterms;
  // Checked for shape only.
  num('vad_threshold', 0, 1);
  num('max_speakers', 1, 10, true);
  list('language_codes', 10);
  for (const name of ['language_detection', 'speaker_labels', 'filter_profanity']) bool(name);
  return error ?? config;
}

/** Validates an `UpdateConfiguration` message; returns the 3006 text if a field is malformed. */
function applyUpdate(config: SessionConfig, message: Record<string, unknown>): string | undefined {
  const numbers: Record<string, keyof GeneratorConfig | undefined> = {
    min_turn_silence: 'minTurnSilence',
    max_turn_silence: 'maxTurnSilence',
    end_of_turn_confidence_threshold: 'endOfTurnConfidenceThreshold',
    vad_threshold: undefined,
    interruption_delay: undefined,
  };
  const booleans = ['format_turns', 'filter_profanity', 'continuous_partials'];
  const strings = ['prompt', 'mode', 'agent_context'];
  for (const [key, value] of Object.entries(message)) {
    const wrong = (type: string) =>
      `Invalid Message: UpdateConfiguration field ${key} must be ${type}`;
    if (
      Object.hasOwn(numbers, key) &&
      !(typeof value === 'number' && Number.isFinite(value) && value >= 0)
    )
      return wrong('a number >= 0');
    if (booleans.includes(key) && typeof value !== 'boolean') return wrong('a boolean');
    if (strings.includes(key) && typeof value !== 'string') return wrong('a string');
    if (
      (key === 'keyterms_prompt' || key === 'language_codes') &&
      !(Array.isArray(value) && value.every((v) => typeof v === 'string'))
    ) {
      return wrong('an array of strings');
    }
  }
  for (const [key, field] of Object.entries(numbers)) {
    if (field && typeof message[key] === 'number')
      (config[field] as number) = message[key] as number;
  }
  if (typeof message.format_turns === 'boolean') config.formatTurns = message.format_turns;
  if (Array.isArray(message.keyterms_prompt))
    config.keytermsPrompt = message.keyterms_prompt as string[];
  return undefined;
}

interface Rule {
  afterAudioMs: number;
  run: (session: Session) => void;
}

interface Pending<T> {
  value: T;
  times: number;
}

interface State {
  options: FakeStreamingServerOptions;
  clock: FakeClock;
  connections: SessionRecord[];
  live: Session[];
  tokens: Map<string, TokenRecord>;
  tokenRequests: TokenRequestRecord[];
  refusals: Pending<{
    code: number;
    reason: string;
    errorFrame: boolean;
    handshake: boolean;
    status: number;
  }>[];
  delays: Pending<number>[];
  rules: Pending<Rule>[];
  tokenFailures: { count: number; status: number };
  script: { prepared: PreparedScript; options: FakeScriptOptions } | undefined;
  /** Continuation mode: how far into the stream any session got since reset() (ms)... */
  position: number;
  /** ...and where each non-silent frame seen so far lies in the stream (frame hash → ms). */
  frames: Map<string, number>;
  listeners: Set<(event: FakeServerEvent) => void>;
}

/** `locate` moves a session's script on only when the sound is this much further on (ms). */
const LOCATE_SLACK_MS = 40;

/** A frame whose samples all stay within ±0.1 % of full scale counts as silence. */
function silent(bytes: Uint8Array, encoding: string): boolean {
  if (encoding === 'pcm_mulaw') return bytes.every((b) => (b & 0x7f) >= 0x7c);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 1 < bytes.length; i += 2)
    if (Math.abs(view.getInt16(i, true)) > 32) return false;
  return true;
}

/** FNV-1a of the bytes, with the length: identifies a re-sent frame. */
function frameKey(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return `${bytes.length}:${(hash >>> 0).toString(36)}`;
}

function emit(state: State, type: FakeServerEvent['type'], session: SessionRecord) {
  for (const listener of state.listeners) listener({ type, session });
}

const isU3 = (state: State, model: string) =>
  (state.options.isU3Pro ?? ((m) => U3_PRO.test(m)))(model);

function takePending<T>(
  queue: Pending<T>[],
  accept: (value: T) => boolean = () => true
): T | undefined {
  const head = queue[0];
  if (!head || !accept(head.value)) return undefined;
  if (--head.times <= 0) queue.shift();
  return head.value;
}

/** One accepted WebSocket, from the server's point of view. */
class Session implements FakeConnection {
  #began = false;
  #closed = false;
  #timers = new Set<unknown>();
  #inactivity: unknown;
  #preBegin: Uint8Array[] = [];
  #rules: Rule[] = [];
  #inflight: Array<{ handle: unknown; action: ScriptAction }> = [];
  #player: ScriptPlayer | undefined;
  #generator: TurnGenerator | undefined;
  #maxDuration = 10800;
  /** Where this session's audio starts in the stream (continuation mode; undefined until known). */
  #start: number | undefined = 0;
  /** Audio fed to the transcription so far in this session (ms). */
  #fedMs = 0;
  /** Continuation mode: silence since the last placed sound (the next sound is asked to `locate`). */
  #quiet = true;

  constructor(
    readonly state: State,
    readonly record: SessionRecord,
    readonly socket: FakeSocket
  ) {}

  get id() {
    return this.record.id;
  }

  notify(type: FakeServerEvent['type']) {
    emit(this.state, type, this.record);
  }

  #timer(ms: number, callback: () => void): unknown {
    const handle = this.state.clock.setTimeout(() => {
      this.#timers.delete(handle);
      callback();
    }, ms);
    this.#timers.add(handle);
    return handle;
  }

  #cancel(handle: unknown) {
    if (this.#timers.delete(handle)) this.state.clock.clearTimeout(handle);
  }

  /** Runs the checks and sends `Begin` (now or after an injected delay). */
  open(request: FakeRequest, tokenError: string | undefined, maxDuration: number) {
    this.#maxDuration = maxDuration;
    if (tokenError) return this.fail(1008, `Unauthorized Connection: ${tokenError}`);
    const config = parseQuery(new URL(request.url).searchParams, this.state.options, (model) =>
      isU3(this.state, model)
    );
    if (typeof config === 'string') return this.fail(3006, config);
    this.record.config = config;
    const refusal = takePending(this.state.refusals, (r) => !r.handshake);
    if (refusal) return this.fail(refusal.code, refusal.reason, refusal.errorFrame);
    this.#start = this.state.script?.options.continueAcrossSessions ? undefined : 0;
    const delay = takePending(this.state.delays);
    if (delay) this.#timer(delay, () => this.#begin());
    else this.#begin();
  }

  #begin() {
    if (this.#closed) return;
    const { state, record } = this;
    const now = state.clock.now();
    const script = state.script;
    const template: Record<string, unknown> = script?.prepared.begin ?? {};
    const keep = script?.options.keepScriptValues;
    record.id = keep && typeof template.id === 'string' ? template.id : uuid();
    record.beganAt = now;
    record.accepted = true;
    this.#began = true;
    this.send({
      ...template,
      type: 'Begin',
      id: record.id,
      expires_at:
        keep && typeof template.expires_at === 'number'
          ? template.expires_at
          : Math.floor(now / 1000) + this.#maxDuration,
    });
    this.notify('begin');
    this.#timer(this.#maxDuration * 1000, () =>
      this.fail(3008, 'Session Expired: Maximum session duration exceeded')
    );
    this.#touch();
    for (const pending of [...state.rules]) {
      this.#rules.push(pending.value);
      if (--pending.times <= 0) state.rules.splice(state.rules.indexOf(pending), 1);
    }
    if (script) {
      if (!script.options.continueAcrossSessions) {
        this.#player = new ScriptPlayer(script.prepared, { value: 0 }, 0);
      }
    } else {
      this.#generator = new TurnGenerator(
        state.options.generator ?? {},
        record.config,
        isU3(state, record.config.speechModel),
        (m) => this.send(m)
      );
    }
    const early = this.#preBegin;
    this.#preBegin = [];
    for (const bytes of early) this.#transcribe(bytes);
    this.#transcribe(undefined);
  }

  /** Any client frame counts as activity for `inactivity_timeout`. */
  #touch() {
    const seconds = this.record.config.inactivityTimeout;
    if (!this.#began || seconds === undefined) return;
    this.#cancel(this.#inactivity);
    this.#inactivity = this.#timer(seconds * 1000, () => {
      const close = this.state.options.inactivityClose;
      if (close) this.fail(close.code, close.reason);
      else this.terminate();
    });
  }

  send(message: ServerMessage | ScriptMessage | string | Uint8Array) {
    if (this.#closed) return;
    const raw =
      typeof message === 'string' || message instanceof Uint8Array
        ? message
        : JSON.stringify(message);
    const entry: TextRecord = { raw, at: this.state.clock.now() };
    if (typeof message === 'object' && !(message instanceof Uint8Array)) entry.message = message;
    this.record.sent.push(entry);
    this.socket.send(raw);
    this.notify('send');
  }

  /** `Error` frame (unless told otherwise) and close with `code`. */
  fail(code: number, error: string, errorFrame = true) {
    if (errorFrame) this.send({ type: 'Error', error_code: code, error });
    this.close(code, error);
  }

  close(code: number, reason: string) {
    if (this.#end(code, reason, 'server')) this.socket.close(code, closeReason(reason));
  }

  drop() {
    if (this.#end(1006, '', 'server')) this.socket.drop();
  }

  #end(code: number, reason: string, by: 'server' | 'client'): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    for (const handle of this.#timers) this.state.clock.clearTimeout(handle);
    this.#timers.clear();
    this.record.closed = { code, reason, by, at: this.state.clock.now() };
    this.state.live = this.state.live.filter((s) => s !== this);
    this.notify('close');
    return true;
  }

  closed(code: number, reason = '') {
    this.#end(code, reason, 'client');
  }

  message(data: string | ArrayBuffer | ArrayBufferView, at = this.state.clock.now()) {
    if (this.#closed) return;
    if (typeof data === 'string') this.#text(data, at);
    else this.#audio(bytesOf(data), at);
  }

  #text(raw: string, at: number) {
    const entry: TextRecord = { raw, at };
    this.record.control.push(entry);
    this.#touch();
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      this.notify('control');
      return this.fail(3006, `Invalid JSON: ${raw.length > 60 ? raw.slice(0, 60) + '...' : raw}`);
    }
    entry.message = message;
    this.notify('control');
    if (!isObject(message)) return this.fail(3006, 'Invalid Message: expected a JSON object');
    switch (message.type) {
      case 'KeepAlive':
        return;
      case 'Terminate':
        return this.terminate();
      case 'ForceEndpoint':
        return this.#endTurn();
      case 'UpdateConfiguration': {
        const error = applyUpdate(this.record.config, message);
        if (error) this.fail(3006, error);
        return;
      }
      default:
        this.fail(
          3006,
          typeof message.type === 'string'
            ? `Invalid Message Type: ${message.type}`
            : 'Invalid Message: missing "type"'
        );
    }
  }

  #audio(bytes: Uint8Array, at: number) {
    const { record, state } = this;
    const { sampleRate, encoding } = record.config;
    const ms = ((encoding === 'pcm_mulaw' ? bytes.length : bytes.length / 2) / sampleRate) * 1000;
    record.frames.push({ bytes: bytes.length, ms, at });
    this.notify('audio');
    this.#touch();
    if ((encoding === 'pcm_s16le' && bytes.length % 2) || ms < 50 - 1e-6 || ms > 1000 + 1e-6) {
      return this.fail(
        3007,
        `Input duration violation: ${trim(ms)} ms. Expected between 50 and 1000 ms`
      );
    }
    record.audioMs += ms;
    if (!this.#began) return void this.#preBegin.push(bytes.slice());
    const elapsed = at - record.beganAt!;
    if (record.audioMs > elapsed + (state.options.pacing?.toleranceMs ?? 500)) {
      return this.fail(
        3007,
        `Audio Transmission Rate Exceeded: Received ${trim(record.audioMs / 1000)} sec. audio in ${trim(elapsed / 1000)} sec`
      );
    }
    this.#transcribe(bytes);
  }

  /** Feeds audio to the script or the generator, then runs the rules that fell due. */
  #transcribe(bytes: Uint8Array | undefined) {
    if (bytes) {
      const { sampleRate, encoding } = this.record.config;
      const ms = ((encoding === 'pcm_mulaw' ? bytes.length : bytes.length / 2) / sampleRate) * 1000;
      if (this.state.script?.options.continueAcrossSessions) this.#follow(bytes);
      this.#fedMs += ms;
      if (this.#start !== undefined && this.state.script?.options.continueAcrossSessions) {
        this.state.position = Math.max(this.state.position, this.#start + this.#fedMs);
      }
    }
    if (this.#player) {
      this.#deliver(this.#player.advance(this.#start! + this.#fedMs));
    } else if (this.#generator && bytes) {
      const { encoding, sampleRate } = this.record.config;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const samples =
        encoding === 'pcm_mulaw'
          ? Float32Array.from(bytes, mulawToFloat)
          : Float32Array.from(
              { length: bytes.length >> 1 },
              (_, i) => view.getInt16(i * 2, true) / 32768
            );
      this.#generator.push(samples, sampleRate);
    }
    for (const rule of [...this.#rules]) {
      if (this.#closed) return;
      if (rule.afterAudioMs <= this.record.audioMs) {
        this.#rules.splice(this.#rules.indexOf(rule), 1);
        rule.run(this);
      }
    }
  }

  /**
   * Continuation mode: places this session's audio in the stream. The first non-silent frame
   * decides: a frame seen before means the client is re-sending audio from that point; a new one
   * is placed where `locate` says, or else continues where the stream stopped, or, for the
   * stream's first sound, where the script's first word starts. (Until then the script waits.)
   * A later sound that `locate` places further on than the audio received says that the client
   * left silence out: the script moves on by as much.
   */
  #follow(bytes: Uint8Array) {
    const { state } = this;
    const key = silent(bytes, this.record.config.encoding) ? undefined : frameKey(bytes);
    if (key === undefined) this.#quiet = true;
    else if (this.#start === undefined || this.#quiet) {
      const seen = state.frames.get(key);
      const located = seen === undefined ? this.#locate(bytes) : undefined;
      const first = state.frames.size === 0 && state.position === 0;
      const speech = state.script!.prepared.speechStartMs;
      if (this.#start !== undefined) {
        const ahead = (located ?? 0) - (this.#start + this.#fedMs);
        if (located !== undefined && ahead >= LOCATE_SLACK_MS) {
          this.#start += ahead;
          this.#player!.start += ahead;
        }
      } else if (seen !== undefined) this.#place(seen - this.#fedMs);
      else if (located !== undefined) this.#place(located - this.#fedMs);
      else if (first && speech !== undefined) this.#place(speech - this.#fedMs);
      else this.#place(state.position);
      // A sound `locate` could not place yet (too short in this frame): ask again at the next.
      if (seen !== undefined || located !== undefined || !state.script!.options.locate)
        this.#quiet = false;
    }
    if (this.#start !== undefined && key !== undefined && !state.frames.has(key)) {
      state.frames.set(key, this.#start + this.#fedMs);
    }
  }

  #locate(bytes: Uint8Array): number | undefined {
    const { locate } = this.state.script!.options;
    const { encoding, sampleRate } = this.record.config;
    if (!locate || encoding !== 'pcm_s16le') return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const pcm = Int16Array.from({ length: bytes.length >> 1 }, (_, i) =>
      view.getInt16(i * 2, true)
    );
    const expectedMs = this.#start === undefined ? this.state.position : this.#start + this.#fedMs;
    const at = locate(pcm, { sampleRate, expectedMs });
    // Whole milliseconds, as the server's word times are.
    return at === undefined ? undefined : Math.round(at);
  }

  #place(start: number) {
    const { prepared } = this.state.script!;
    this.#start = start;
    let first = 0;
    while (first < prepared.timed.length && prepared.timed[first]!.after_audio_ms <= start)
      first += 1;
    this.#player = new ScriptPlayer(prepared, { value: first }, start);
  }

  addRule(rule: Rule) {
    this.#rules.push(rule);
    this.#transcribe(undefined);
  }

  #deliver(actions: ScriptAction[]) {
    const latency = this.state.script?.options.latencyMs ?? 0;
    for (const action of actions) {
      if (latency <= 0 && !this.#inflight.length) this.#run(action);
      else {
        const entry = {
          action,
          handle: this.#timer(latency, () => {
            this.#inflight.splice(this.#inflight.indexOf(entry), 1);
            this.#run(action);
          }),
        };
        this.#inflight.push(entry);
      }
    }
  }

  #run(action: ScriptAction) {
    if ('send' in action) this.send(action.send);
    else this.close(action.close.code, action.close.reason);
  }

  #flush() {
    for (const { handle, action } of this.#inflight.splice(0)) {
      this.#cancel(handle);
      this.#run(action);
    }
  }

  #endTurn() {
    this.#flush();
    if (this.#player) {
      const final = this.#player.finalizeOpen();
      if (final) this.send(final);
    } else this.#generator?.endTurn();
  }

  /** `Terminate`: in-flight turns, then `Termination`, then close 1000. */
  terminate() {
    if (this.#closed) return;
    const { record, state } = this;
    const termination: TerminationMessage = {
      type: 'Termination',
      audio_duration_seconds: Math.round(record.audioMs / 1000),
      session_duration_seconds: Math.round(
        (state.clock.now() - (record.beganAt ?? record.openedAt)) / 1000
      ),
    };
    if (this.#began && this.#start === undefined && this.state.script) {
      // Only silence so far: the session continued where the stream stopped.
      this.#place(this.state.position);
      this.#transcribe(undefined);
    }
    if (this.#began) this.#endTurn();
    let close = { code: 1000, reason: '' };
    let sent = false;
    if (this.#began && this.#player) {
      for (const line of this.#player.script.terminate) {
        if (line.close) close = { code: line.close.code, reason: line.close.reason ?? '' };
        else if (line.message?.type === 'Termination') {
          sent = true;
          this.send(state.script?.options.keepScriptValues ? line.message : termination);
        } else if (line.message) this.send(line.message);
      }
    }
    if (!sent) this.send(termination);
    this.close(close.code, close.reason);
  }
}

/**
 * Creates a fake AssemblyAI v3 streaming server: one state machine that can hold many sessions,
 * served by msw (`fake.handlers()`) or a real `ws` server (`listen()` from
 * `@live-transcript/core/testing/node`).
 *
 * @example
 * ```ts
 * const fake = createFakeStreamingServer({ script: { lines: parseSessionScript(jsonl) } });
 * worker.use(...fake.handlers());               // msw, in the browser
 * // ... run the client, then:
 * expect(fake.sessions[0].closed?.code).to.equal(1000);
 * ```
 */
export function createFakeStreamingServer(
  options: FakeStreamingServerOptions = {}
): FakeStreamingServer {
  const state: State = {
    options,
    clock: options.clock ?? systemClock,
    connections: [],
    live: [],
    tokens: new Map(),
    tokenRequests: [],
    refusals: [],
    delays: [],
    rules: [],
    tokenFailures: { count: 0, status: 500 },
    script: undefined,
    position: 0,
    frames: new Map(),
    listeners: new Set(),
  };

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

  const issueToken: FakeStreamingServer['issueToken'] = (opts = {}) => {
    const now = state.clock.now();
    const expiresIn = opts.expiresInSeconds ?? options.expiresInSeconds ?? 60;
    const token = mintToken(Math.floor(now / 1000), Math.floor(now / 1000) + expiresIn);
    state.tokens.set(token, {
      token,
      issuedAt: now,
      expiresAt: now + expiresIn * 1000,
      maxSessionDurationSeconds:
        opts.maxSessionDurationSeconds ?? options.maxSessionDurationSeconds ?? 10800,
      uses: 0,
    });
    return token;
  };

  const target = (id?: string): Session | undefined =>
    id === undefined ? state.live.at(-1) : state.live.find((s) => s.id === id);

  const addRule = (rule: Rule, { session, times = 1 }: RuleTarget) => {
    if (session === undefined) state.rules.push({ value: rule, times });
    else target(session)?.addRule(rule);
  };

  const malformedFrame = (kind: MalformedKind): string | Uint8Array =>
    kind === 'invalid-json'
      ? '{"type":"Turn","turn_order":'
      : kind === 'no-type'
        ? '{"transcript":"a message without a type"}'
        : kind === 'not-object'
          ? '["Turn"]'
          : kind === 'binary'
            ? new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03])
            : JSON.stringify({ type: 'Oversized', padding: 'x'.repeat(1 << 20) });

  const closeWith = (session: Session, code: number, reason?: string, errorFrame?: boolean) =>
    session.fail(
      code,
      reason ?? DEFAULT_REASONS[code] ?? `Closed by the fake server (${code})`,
      errorFrame ?? (code >= 3000 || code === 1008)
    );

  const inject: FaultInjector = {
    refuse: ({
      code = 1008,
      reason,
      errorFrame = true,
      handshake = false,
      status = 401,
      times = 1,
    } = {}) =>
      void state.refusals.push({
        value: {
          code,
          reason: reason ?? DEFAULT_REASONS[code] ?? `Refused by the fake server (${code})`,
          errorFrame,
          handshake,
          status,
        },
        times,
      }),
    delayBegin: (ms, times = 1) => void state.delays.push({ value: ms, times }),
    close: ({ code, reason, errorFrame, afterAudioMs = 0, ...where }) =>
      addRule({ afterAudioMs, run: (s) => closeWith(s, code, reason, errorFrame) }, where),
    drop: ({ afterAudioMs = 0, ...where } = {}) =>
      addRule({ afterAudioMs, run: (s) => s.drop() }, where),
    malformed: (kind, { afterAudioMs = 0, ...where } = {}) =>
      addRule({ afterAudioMs, run: (s) => s.send(malformedFrame(kind)) }, where),
    failTokenRequests: (count = 1, status = 500) => void (state.tokenFailures = { count, status }),
    clear: () => {
      state.refusals.length = state.delays.length = state.rules.length = 0;
      state.tokenFailures = { count: 0, status: 500 };
    },
  };

  const newRecord = (request: FakeRequest): SessionRecord => {
    const url = new URL(request.url);
    const params = Object.fromEntries(url.searchParams);
    const record: SessionRecord = {
      index: state.connections.length,
      url: request.url,
      params,
      token: params.token ?? request.authorization ?? undefined,
      openedAt: state.clock.now(),
      accepted: false,
      id: undefined,
      beganAt: undefined,
      config: {
        sampleRate: 16000,
        encoding: 'pcm_s16le',
        speechModel: params.speech_model ?? '',
        formatTurns: false,
        minTurnSilence: 400,
        maxTurnSilence: 1280,
        endOfTurnConfidenceThreshold: 0.4,
      },
      frames: [],
      audioMs: 0,
      control: [],
      sent: [],
    };
    state.connections.push(record);
    return record;
  };

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
    issueToken,

    handleTokenRequest({ url, method = 'GET', authorization, assemblyAi = false }) {
      const entry: TokenRequestRecord = { method, url, status: 200, at: state.clock.now() };
      state.tokenRequests.push(entry);
      const answer = (status: number, body: Record<string, unknown>) => {
        entry.status = status;
        return { status, body };
      };
      if (state.tokenFailures.count > 0) {
        state.tokenFailures.count--;
        return answer(state.tokenFailures.status, {
          error: 'Token service failure (injected by the fake server)',
        });
      }
      if (
        assemblyAi &&
        (!authorization || (options.apiKey !== undefined && authorization !== options.apiKey))
      ) {
        return answer(401, { error: 'Authentication error, API token missing/invalid' });
      }
      const query = new URL(url, 'http://localhost').searchParams;
      const range = (name: string, min: number, max: number): number | string | undefined => {
        const raw = query.get(name);
        if (raw === null) return undefined;
        const value = Number(raw);
        return Number.isInteger(value) && value >= min && value <= max
          ? value
          : `${name} must be an integer from ${min} to ${max}`;
      };
      const expiresIn = range('expires_in_seconds', 1, 600);
      const maxDuration = range('max_session_duration_seconds', 60, 10800);
      if (assemblyAi && expiresIn === undefined)
        return answer(400, { error: 'expires_in_seconds is required' });
      for (const value of [expiresIn, maxDuration])
        if (typeof value === 'string') return answer(400, { error: value });
      const seconds = (expiresIn as number | undefined) ?? options.expiresInSeconds ?? 60;
      const token = issueToken({
        expiresInSeconds: seconds,
        maxSessionDurationSeconds: maxDuration as number | undefined,
      });
      entry.token = token;
      return answer(200, { token, expires_in_seconds: seconds });
    },

    handshake(request) {
      const refusal = takePending(state.refusals, (r) => r.handshake);
      if (!refusal) return undefined;
      const record = newRecord(request);
      const error = refusal.reason;
      record.handshakeRefused = { status: refusal.status, error };
      record.closed = { code: 1006, reason: '', by: 'server', at: record.openedAt };
      emit(state, 'connection', record);
      emit(state, 'close', record);
      return { status: refusal.status, error };
    },

    connect(request, socket) {
      const record = newRecord(request);
      const session = new Session(state, record, socket);
      state.live.push(session);
      emit(state, 'connection', record);
      const token = record.token;
      const entry = token === undefined ? undefined : state.tokens.get(token);
      let tokenError: string | undefined;
      if (token === undefined) tokenError = 'Missing Authorization header';
      else if (!entry) {
        const apiKey =
          !record.params.token && options.apiKey !== undefined && token === options.apiKey;
        if (!apiKey) tokenError = 'Invalid temporary token';
      } else if (entry.uses > 0 && options.singleUseTokens !== false) {
        tokenError = 'Temporary token has already been used';
      } else if (state.clock.now() > entry.expiresAt) tokenError = 'Temporary token has expired';
      if (entry && !tokenError) entry.uses++;
      session.open(
        request,
        tokenError,
        entry?.maxSessionDurationSeconds ?? options.maxSessionDurationSeconds ?? 10800
      );
      return session;
    },

    closeSession(id, code, reason, { errorFrame } = {}) {
      const session = target(id);
      if (session) closeWith(session, code, reason, errorFrame);
    },
    dropSession: (id) => target(id)?.drop(),
    sendMalformed: (kind, id) => target(id)?.send(malformedFrame(kind)),
    send: (message, id) => target(id)?.send(message),
    setScript,
    handlers: (handlerOptions) => mswHandlers(fake, handlerOptions),

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
