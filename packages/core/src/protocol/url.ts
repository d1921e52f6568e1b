// SPDX-License-Identifier: MIT
import { LiveTranscriptError } from '../errors.js';

/** AssemblyAI's default (edge-routed) streaming endpoint. */
export const DEFAULT_STREAMING_URL = 'wss://streaming.assemblyai.com/v3/ws';

/** Data-residency shorthand for the streaming host. Your token route must mint on the same zone. */
export type StreamingRegion = 'us' | 'eu';

const REGION_HOSTS: Record<StreamingRegion, string> = {
  us: 'streaming.us.assemblyai.com',
  eu: 'streaming.eu.assemblyai.com',
};

/** Speech models known at release time. Any other string is passed through unchanged. */
export type SpeechModel =
  | 'universal-3-5-pro'
  | 'universal-3-6-pro'
  | 'u3-rt-pro'
  | 'universal-streaming-english'
  | 'universal-streaming-multilingual'
  | 'whisper-rt'
  | (string & {});

/**
 * Transcription settings, sent as query parameters when the session opens (camelCase here,
 * snake_case on the wire). `undefined` leaves the server default; `0` and `false` are sent.
 */
export interface StreamingParameters {
  /** Default `universal-3-5-pro`; `universal-streaming-english` gives word-by-word partials. */
  speechModel?: SpeechModel;
  /** The rate of the PCM sent, in Hz. Default 16000. */
  sampleRate?: number;
  encoding?: 'pcm_s16le' | 'pcm_mulaw' | (string & {});
  /** Punctuation and casing (Universal models; always on for the U3 Pro family). */
  formatTurns?: boolean;
  /** Words to recognise better (up to 100, each up to 50 characters). */
  keytermsPrompt?: string[];
  /** Instructions for U3 Pro family models. */
  prompt?: string;
  languageDetection?: boolean;
  /** U3.5+: ISO 639-1 codes to bias recognition towards. */
  languageCodes?: string[];
  /** U3.5+: `min_latency`, `balanced` or `max_accuracy`. */
  mode?: 'min_latency' | 'balanced' | 'max_accuracy' | (string & {});
  speakerLabels?: boolean;
  maxSpeakers?: number;
  endOfTurnConfidenceThreshold?: number;
  minTurnSilence?: number;
  maxTurnSilence?: number;
  vadThreshold?: number;
  /** Seconds (5–3600) without audio after which the server closes the session. */
  inactivityTimeout?: number;
  filterProfanity?: boolean;
  /** Anything newer, sent as given (snake_case keys). */
  extraParams?: Record<string, unknown>;
}

/** Where to connect. */
export interface ConnectionTarget {
  /** The WebSocket endpoint. Default {@link DEFAULT_STREAMING_URL}. */
  url?: string | URL;
  /** Data-residency host shorthand; ignored when `url` is given. */
  region?: StreamingRegion;
}

const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

function encode(name: string, value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new LiveTranscriptError(
        'invalid-option',
        `${name} must be a finite number, got ${value}.`
      );
    }
    return String(value);
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The WebSocket endpoint for a target: `url` if given, else the region's host, else the default. */
export function streamingUrl(target: ConnectionTarget = {}): URL {
  const { url, region } = target;
  if (url !== undefined && url !== '') {
    let parsed: URL;
    try {
      parsed = new URL(url, globalThis.location?.href);
    } catch {
      throw new LiveTranscriptError('invalid-option', `url "${String(url)}" is not a valid URL.`);
    }
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
      parsed.protocol = parsed.protocol === 'http:' ? 'ws:' : 'wss:';
    }
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
      throw new LiveTranscriptError(
        'invalid-option',
        `url must be a ws: or wss: URL, got "${parsed.protocol}".`
      );
    }
    return parsed;
  }
  const endpoint = new URL(DEFAULT_STREAMING_URL);
  if (region !== undefined) {
    const host = REGION_HOSTS[region];
    if (!host) {
      throw new LiveTranscriptError(
        'invalid-option',
        `Unknown region "${String(region)}": use "us" or "eu", or set url for another host.`
      );
    }
    endpoint.host = host;
  }
  return endpoint;
}

/**
 * The full connection URL: the endpoint, the `token`, and every parameter in wire form
 * (snake_case; booleans lowercase; arrays and objects JSON-encoded; `undefined` omitted).
 *
 * @example
 * ```ts
 * buildConnectionUrl({ speechModel: 'universal-streaming-english', sampleRate: 16000, formatTurns: false }, { token });
 * // wss://streaming.assemblyai.com/v3/ws?speech_model=universal-streaming-english&sample_rate=16000&format_turns=false&token=…
 * ```
 */
export function buildConnectionUrl(
  parameters: StreamingParameters,
  target: ConnectionTarget & { token?: string } = {}
): URL {
  const url = streamingUrl(target);
  const { extraParams, ...known } = parameters;
  const entries: Array<[string, unknown]> = [
    ...Object.entries(known).map(([key, value]): [string, unknown] => [toSnake(key), value]),
    ...Object.entries(extraParams ?? {}),
  ];
  for (const [name, value] of entries) {
    if (value !== undefined && value !== null) url.searchParams.set(name, encode(name, value));
  }
  if (target.token !== undefined) url.searchParams.set('token', target.token);
  return url;
}
