// SPDX-License-Identifier: MIT
import { LiveTranscriptError } from '../errors.js';
import { wireParameters, wireValue } from '../options.js';
import { streamingUrl, type ConnectionTarget, type StreamingParameters } from './url.js';

function encode(name: string, value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new LiveTranscriptError(
      'invalid-option',
      `${name} must be a finite number, got ${value}.`
    );
  }
  return wireValue(value);
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
