// SPDX-License-Identifier: MIT
// The options table: one entry per option of `LiveTranscriber`, and everything else reads it:
// the option types, the query string (an allow-list), validation, what may change mid-session,
// the element's attributes and the option tables of the READMEs (scripts/options-docs.mjs reads
// the comment above each entry). A new AssemblyAI parameter is one line here.
import type { AudioSourceInput } from './audio/capture.js';
import type { MicrophoneConstraints } from './audio/sources.js';
import { LiveTranscriptError } from './errors.js';
import type { WebSocketConstructor } from './session/streaming-session.js';
import type { Transcript } from './transcript/transcript.js';

/** Speech models known at release time. Any other string is passed through unchanged. */
export type SpeechModel =
  | 'universal-3-5-pro'
  | 'universal-3-6-pro'
  | 'u3-rt-pro'
  | 'universal-streaming-english'
  | 'universal-streaming-multilingual'
  | 'whisper-rt'
  | (string & {});

/** Data-residency shorthand for the streaming host. Your token route must mint on the same zone. */
export type StreamingRegion = 'us' | 'eu';

export interface ReconnectOptions {
  /** Consecutive failed attempts before giving up. Default 8. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each attempt (with jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** Upper bound of the delay. Default 10 000 ms. */
  maxDelayMs?: number;
}

/**
 * When an option takes effect: `connect` options are query parameters of each new session,
 * `live` ones can also change mid-session (`UpdateConfiguration`), `client` ones never reach
 * the server.
 */
export type OptionScope = 'connect' | 'live' | 'client';

/**
 * How a value is checked (and how the element reads the attribute): `integer` and `number` with
 * `min`/`max`, `list` an array of strings (a comma-separated attribute), `url` a string or `URL`.
 */
export type OptionType =
  'string' | 'boolean' | 'number' | 'integer' | 'list' | 'url' | 'object' | 'function' | 'any';

/** One row of {@link OPTIONS}. */
export interface OptionSpec<T = unknown, S extends OptionScope = OptionScope> {
  readonly type: OptionType;
  readonly scope: S;
  /** The query parameter and `UpdateConfiguration` field (`connect` and `live` options). */
  readonly wire?: string;
  /**
   * The element's attribute: kebab-case of the key unless given; `false` for a property-only
   * option; `null` when the element does not have the option at all.
   */
  readonly attribute?: string | false | null;
  /** The element's property, when it is not the key (`keyterms` for `keytermsPrompt`). */
  readonly property?: string;
  readonly min?: number;
  readonly max?: number;
  /** Most items of a `list`. */
  readonly maxItems?: number;
  /**
   * The accepted values of a `string`, when they are a closed set; for another type, the
   * accepted strings (the element's attribute takes only those).
   */
  readonly values?: readonly string[];
  /**
   * A `client` option that a running transcriber takes without a restart, through this method
   * of `LiveTranscriber` (`deviceId` → `setDevice()`): the bindings call it when the option
   * changes, in any state.
   */
  readonly setter?: 'setDevice';
  /** The value used when the option is not set (`undefined`: the server's default). */
  readonly default?: T;
  /** Type-level only: the option's value type. */
  readonly __value?: T;
}

type Extra<T> = Omit<OptionSpec<T>, 'type' | 'scope' | '__value'>;
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** A parameter sent to AssemblyAI when a session opens. */
const connect = <T>(type: OptionType, extra: Extra<T> = {}): OptionSpec<T, 'connect'> => ({
  type,
  scope: 'connect',
  ...extra,
});
/** A parameter that can also change mid-session. */
const live = <T>(type: OptionType, extra: Extra<T> = {}): OptionSpec<T, 'live'> => ({
  type,
  scope: 'live',
  ...extra,
});
/** A setting of this library, never sent. */
const client = <T>(type: OptionType, extra: Extra<T> = {}): OptionSpec<T, 'client'> => ({
  type,
  scope: 'client',
  ...extra,
});
const PROPERTY_ONLY = { attribute: false } as const;
const MS = { min: 0 } as const;

/**
 * Every option of `LiveTranscriber`, in the order of the documentation. The comment above each
 * entry is its documentation (types, the README tables, the element's manifest).
 */
export const OPTIONS = {
  /** Your server route that answers `{ token }` with a temporary token. Fetched (GET, no cache) for every connection. */
  tokenUrl: client<string | URL>('url'),
  /** Returns a token instead of `tokenUrl`; called for every connection. Honour `signal`. */
  getToken: client<(signal: AbortSignal) => string | Promise<string>>('function', PROPERTY_ONLY),
  /** Overrides for the request to `tokenUrl`: method, headers, credentials... */
  tokenRequestInit: client<RequestInit>('object', PROPERTY_ONLY),
  /** Give up on a token request after this many ms. */
  tokenTimeoutMs: client<number>('number', { min: 1, default: 10_000 }),
  /** The WebSocket endpoint (`wss:`). Default AssemblyAI's, edge-routed. */
  url: client<string | URL>('url'),
  /** Data-residency host: `us` or `eu` (ignored when `url` is set). */
  region: client<StreamingRegion>('string', { values: ['us', 'eu'] }),
  /** `universal-3-5-pro`, or `universal-streaming-english` for word-by-word partials; any newer name works. */
  speechModel: connect<SpeechModel>('string', { default: 'universal-3-5-pro' }),
  /** The rate of the audio sent, in Hz. */
  sampleRate: connect<number>('integer', { min: 8000, max: 48000, default: 16000 }),
  /** `pcm_s16le` (16-bit PCM), or `pcm_mulaw` (8-bit G.711 μ-law: half the bandwidth). */
  encoding: connect<'pcm_s16le' | 'pcm_mulaw'>('string', {
    values: ['pcm_s16le', 'pcm_mulaw'],
    default: 'pcm_s16le',
  }),
  /** Punctuation and casing (Universal models; always on for the U3 Pro family). */
  formatTurns: live<boolean>('boolean'),
  /** Words to recognise better: up to 100, each up to 50 characters. The element's attribute is comma-separated. */
  keytermsPrompt: live<string[]>('list', {
    attribute: 'keyterms',
    property: 'keyterms',
    maxItems: 100,
  }),
  /** Instructions for U3 Pro family models. */
  prompt: live<string>('string'),
  /** Detect the language of each turn (`turn.language`). */
  languageDetection: connect<boolean>('boolean'),
  /** U3.5+: ISO 639-1 codes to bias recognition towards. */
  languageCodes: live<string[]>('list'),
  /** U3.5+: `min_latency`, `balanced` or `max_accuracy`. */
  mode: live<'min_latency' | 'balanced' | 'max_accuracy' | (string & {})>('string'),
  /** Label speakers (`turn.speaker`). */
  speakerLabels: connect<boolean>('boolean'),
  /** Most speakers to tell apart (with `speakerLabels`). */
  maxSpeakers: connect<number>('integer', { min: 1, max: 10 }),
  /** Confidence needed to end a turn on meaning (Universal models): 0 ends on silence alone. */
  endOfTurnConfidenceThreshold: live<number>('number', { min: 0, max: 1 }),
  /** Silence (ms) before a confident end of turn. */
  minTurnSilence: live<number>('number', MS),
  /** Silence (ms) that always ends a turn. */
  maxTurnSilence: live<number>('number', MS),
  /** Voice activity threshold: raise it in noisy rooms. */
  vadThreshold: live<number>('number', { min: 0, max: 1 }),
  /** Seconds without audio before the server closes the session (KeepAlive is sent while paused). */
  inactivityTimeout: connect<number>('integer', { min: 5, max: 3600 }),
  /** Mask profanity in the transcript. */
  filterProfanity: live<boolean>('boolean'),
  /** Any newer parameter, sent as given: snake_case keys, arrays and objects as JSON. */
  extraParams: connect<Record<string, unknown>>('object', PROPERTY_ONLY),
  /** The audio: `microphone`, `display` (a shared tab or screen), a `MediaStream`, an `<audio>`/`<video>`, or an `AudioSource`; as an attribute, `microphone` or `display`. */
  source: client<AudioSourceInput>('any', {
    values: ['microphone', 'display'],
    default: 'microphone',
  }),
  /** The microphone to use: a `deviceId` from `listMicrophones()`. Switches mid-session (`setDevice()`). */
  deviceId: client<string>('string', { setter: 'setDevice' }),
  /** Microphone constraints (`echoCancellation`, `noiseSuppression`...), over speech-friendly defaults. */
  microphone: client<MicrophoneConstraints>('object', PROPERTY_ONLY),
  /** When the microphone goes away: switch to the default one, or stop with an error. */
  devicePolicy: client<'follow-default' | 'stop'>('string', {
    values: ['follow-default', 'stop'],
    default: 'follow-default',
  }),
  /** URL of `@live-transcript/core/capture-worklet.js` on your site (for a strict CSP). */
  workletUrl: client<string | URL>('url'),
  /** Audio per WebSocket message, in ms. */
  frameMs: client<number>('number', { min: 50, max: 1000, default: 50 }),
  /** Give up on a connection attempt after this many ms without `Begin`. */
  connectTimeoutMs: client<number>('number', { ...MS, default: 10_000 }),
  /** How long `stop()` waits for the last turns and `Termination`, in ms. */
  stopTimeoutMs: client<number>('number', { ...MS, default: 5_000 }),
  /** Reconnect after network failures (`true`), not (`false`), or with `{ maxAttempts, baseDelayMs, maxDelayMs }`. */
  reconnect: client<boolean | ReconnectOptions>('any', { ...PROPERTY_ONLY, default: true }),
  /** Audio kept from the click until the session begins, in ms, so no word is lost. */
  preRollMs: client<number>('number', { ...MS, default: 2_000 }),
  /** Audio kept while reconnecting, in ms, sent once the next session begins. */
  outageBufferMs: client<number>('number', { ...MS, default: 10_000 }),
  /** Open the next session this long (ms) before the current one expires. */
  rolloverLeadMs: client<number>('number', { ...MS, default: 60_000 }),
  /** The WebSocket implementation (e.g. `ws` in Node). */
  WebSocket: client<WebSocketConstructor>('function', { attribute: null }),
  /** A transcript store to continue (from an earlier transcriber). */
  transcript: client<Transcript>('object', { attribute: null }),
} as const;

type Table = typeof OPTIONS;
/** The name of an option: `speechModel`, `tokenUrl`, ... */
export type OptionKey = keyof Table;
type ValueOf<S> = S extends OptionSpec<infer T> ? T : never;
type KeysOf<S extends OptionScope> = {
  [K in OptionKey]: Table[K] extends OptionSpec<unknown, S> ? K : never;
}[OptionKey];

/** Every option, typed from the table (the comments of the table are the documentation). */
export type TranscriberOptions = { -readonly [K in OptionKey]?: ValueOf<Table[K]> };
/** Options that can change mid-session: what `updateConfiguration()` takes. */
export type LiveOptionKey = KeysOf<'live'>;
/** Options sent to AssemblyAI: `live` ones and those sent when a session opens. */
export type WireOptionKey = KeysOf<'live' | 'connect'>;
/** Settings that a running session takes (`UpdateConfiguration`). */
export type LiveParameters = Pick<TranscriberOptions, LiveOptionKey>;

/** The spec of an option, or `undefined` for an unknown key. */
export const optionSpec = (key: string): OptionSpec | undefined =>
  Object.hasOwn(OPTIONS, key) ? (OPTIONS as Record<string, OptionSpec>)[key] : undefined;

/** The query parameter of a wire option (`speechModel` → `speech_model`). */
export const wireName = (key: string, spec: OptionSpec): string => spec.wire ?? snake(key);

/** The element attribute of an option, or `undefined` when it has none. */
export const attributeName = (key: string, spec: OptionSpec): string | undefined =>
  spec.attribute === false || spec.attribute === null ? undefined : (spec.attribute ?? kebab(key));

/** The options of one scope, in table order. */
export const optionKeys = (...scopes: OptionScope[]): string[] =>
  Object.keys(OPTIONS).filter((key) => scopes.includes(optionSpec(key)!.scope));

/** The value of an option, or its default. */
export function optionValue<K extends OptionKey>(
  options: TranscriberOptions,
  key: K
): ValueOf<Table[K]> {
  return (options[key] ?? (OPTIONS[key] as OptionSpec).default) as ValueOf<Table[K]>;
}

const quote = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));
const invalid = (message: string) => new LiveTranscriptError('invalid-option', message);

/**
 * Checks one value against its row of the table. `undefined` (and `null`) always pass: the
 * default applies. Throws an `invalid-option` error that names the option.
 */
export function checkOption(key: string, value: unknown, name = key): void {
  const spec = optionSpec(key);
  if (!spec || value === undefined || value === null) return;
  const { type, min = -Infinity, max = Infinity, values, maxItems } = spec;
  const got = `got ${Array.isArray(value) ? JSON.stringify(value) : quote(value)}`;
  const fail = (what: string) => {
    throw invalid(`${name} must be ${what}, ${got}.`);
  };
  if (type === 'number' || type === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail('a finite number');
    const range = max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` ≥ ${min}` : '';
    if (
      (value as number) < min ||
      (value as number) > max ||
      (type === 'integer' && !Number.isInteger(value))
    ) {
      fail(`${type === 'integer' ? 'an integer' : 'a number'}${range}`);
    }
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') fail('true or false');
  } else if (type === 'string') {
    if (typeof value !== 'string') fail('a string');
  } else if (type === 'list') {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      fail('an array of strings');
    }
    if ((value as string[]).length > (maxItems ?? Infinity)) fail(`at most ${maxItems} items`);
  } else if (type === 'url') {
    if (typeof value !== 'string' && !(value instanceof URL)) fail('a string or a URL');
  } else if (type === 'function' || type === 'object') {
    if (typeof value !== type || (type === 'object' && Array.isArray(value))) {
      fail(type === 'object' ? 'an object' : 'a function');
    }
  }
  if (values && typeof value === 'string' && !values.includes(value)) {
    fail(values.map(quote).join(' or '));
  }
}

/**
 * Checks every option in `options` against the table (unknown keys are left alone). `name`
 * gives the name errors use (the element names the attribute that was set).
 */
export function checkOptions(options: object, name?: (key: string) => string): void {
  for (const [key, value] of Object.entries(options)) checkOption(key, value, name?.(key));
}

/**
 * Checks changes for a running session: only `live` options, each valid. Throws an
 * `invalid-option` error naming the first key that needs a restart (or is unknown or invalid).
 */
export function checkLiveChanges(changes: object): void {
  for (const [key, value] of Object.entries(changes)) {
    const spec = optionSpec(key);
    if (!spec)
      throw invalid(
        `Unknown option ${key}: updateConfiguration() takes ${optionKeys('live').join(', ')}.`
      );
    if (spec.scope !== 'live') {
      throw invalid(
        `${key} cannot change mid-session: it needs a restart (stop(), then start() with the new value).`
      );
    }
    checkOption(key, value);
  }
}

/** The wire form of a value: booleans and numbers as text, arrays and objects as JSON. */
export function wireValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The wire parameters of `options` (query parameters, or `UpdateConfiguration` fields), from
 * the table's allow-list, then `extraParams` (which may override). `undefined` is left out;
 * `0` and `false` are sent.
 */
export function wireParameters(
  options: TranscriberOptions,
  keys: readonly string[] = optionKeys('connect', 'live')
): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const key of keys) {
    const spec = optionSpec(key)!;
    const value =
      options[key as OptionKey] ?? (spec.scope === 'connect' ? spec.default : undefined);
    if (key !== 'extraParams' && value !== undefined && value !== null) {
      wire[wireName(key, spec)] = value;
    }
  }
  return keys.includes('extraParams') ? { ...wire, ...options.extraParams } : wire;
}
