// SPDX-License-Identifier: MIT
import { LiveTranscriptError } from '../errors.js';
import type { StreamingRegion, TranscriberOptions, WireOptionKey } from '../options.js';

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
