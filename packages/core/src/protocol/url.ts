// SPDX-License-Identifier: MIT
import { LiveTranscriptError } from '../errors.js';
import {
  wireParameters,
  wireValue,
  type StreamingRegion,
  type TranscriberOptions,
  type WireOptionKey,
} from '../options.js';

export type { SpeechModel, StreamingRegion } from '../options.js';

/** AssemblyAI's default (edge-routed) streaming endpoint. */
export const DEFAULT_STREAMING_URL = 'wss://streaming.assemblyai.com/v3/ws';

const REGION_HOSTS: Record<StreamingRegion, string> = {
  us: 'streaming.us.assemblyai.com',
  eu: 'streaming.eu.assemblyai.com',
};

/**
 * Transcription settings, sent as query parameters when the session opens (camelCase here,
 * snake_case on the wire): the `connect` and `live` rows of {@link OPTIONS}, and `extraParams`.
 * `undefined` leaves the server default; `0` and `false` are sent.
 */
export type StreamingParameters = Pick<TranscriberOptions, WireOptionKey>;

/** Where to connect. */
export interface ConnectionTarget {
  /** The WebSocket endpoint. Default {@link DEFAULT_STREAMING_URL}. */
  url?: string | URL;
  /** Data-residency host shorthand; ignored when `url` is given. */
  region?: StreamingRegion;
}

function encode(name: string, value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new LiveTranscriptError(
      'invalid-option',
      `${name} must be a finite number, got ${value}.`
    );
  }
  return wireValue(value);
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
 * (snake_case; booleans lowercase; arrays and objects JSON-encoded; `undefined` omitted). Only
 * the table's wire options are sent (with `speechModel` and `sampleRate` defaulted), then
 * `extraParams`; any other key of `parameters` is ignored.
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
  for (const [name, value] of Object.entries(wireParameters(parameters))) {
    if (value !== undefined && value !== null) url.searchParams.set(name, encode(name, value));
  }
  if (target.token !== undefined) url.searchParams.set('token', target.token);
  return url;
}
