// SPDX-License-Identifier: MIT
// What the fake accepts from a client as settings: the query string of a connection (checked
// into the session's settings, or refused with the text of a 3006) and `UpdateConfiguration`.
import type { GeneratorConfig } from './generator.js';
import type { FakeStreamingServerOptions, SessionConfig } from './fake-types.js';

/**
 * Validates the query string of a connection (server side) into the session settings, or
 * returns the text of a 3006 refusal.
 */
export function parseQuery(
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
export function applyUpdate(
  config: SessionConfig,
  message: Record<string, unknown>
): string | undefined {
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
