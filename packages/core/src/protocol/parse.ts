// SPDX-License-Identifier: MIT
import type {
  ErrorMessage,
  ServerMessage,
  SpeakerRevisionMessage,
  TurnMessage,
  WireWord,
} from './messages.js';

/** The outcome of {@link parseServerMessage}: a typed message, or why the frame was rejected. */
export type ParseResult = { ok: true; message: ServerMessage } | { ok: false; error: string };

type Json = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const fail = (error: string): ParseResult => ({ ok: false, error });

function words(value: unknown): WireWord[] {
  if (!Array.isArray(value)) return [];
  const out: WireWord[] = [];
  for (const w of value) {
    if (!isObject(w) || typeof w.text !== 'string') continue;
    const word: WireWord = {
      text: w.text,
      start: num(w.start),
      end: num(w.end, num(w.start)),
      confidence: num(w.confidence, 1),
      word_is_final: w.word_is_final === true,
    };
    const speaker = str(w.speaker);
    if (speaker !== undefined) word.speaker = speaker;
    out.push(word);
  }
  return out;
}

function turn(m: Json): ParseResult {
  const order = m.turn_order;
  if (typeof order !== 'number' || !Number.isInteger(order) || order < 0) {
    return fail('Turn without a valid turn_order');
  }
  const list = words(m.words);
  const message: TurnMessage = {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: m.turn_is_formatted === true,
    end_of_turn: m.end_of_turn === true,
    transcript:
      str(m.transcript) ??
      list
        .filter((w) => w.word_is_final)
        .map((w) => w.text)
        .join(' '),
    end_of_turn_confidence: num(m.end_of_turn_confidence),
    words: list,
    utterance: str(m.utterance) ?? '',
  };
  const language = str(m.language_code);
  if (language !== undefined) message.language_code = language;
  if (typeof m.language_confidence === 'number')
    message.language_confidence = m.language_confidence;
  const speaker = str(m.speaker_label);
  if (speaker !== undefined) message.speaker_label = speaker;
  return { ok: true, message };
}

/**
 * Reads one server frame. Never throws: a frame that is not JSON, not an object, or a known
 * message without its key fields comes back as `{ ok: false, error }`. Fields are checked and
 * coerced (missing `words` become `[]`, bad numbers become 0); unknown message types are kept
 * whole; the legacy `{ "error": "..." }` frame becomes an `Error` message with `legacy: true`.
 */
export function parseServerMessage(data: unknown): ParseResult {
  if (typeof data !== 'string') return fail('binary frame (the server only sends text)');
  let m: unknown;
  try {
    m = JSON.parse(data);
  } catch {
    return fail('invalid JSON');
  }
  if (!isObject(m)) return fail('not a JSON object');
  const type = m.type;
  if (type === undefined && typeof m.error === 'string') {
    const legacy: ErrorMessage = { type: 'Error', error: m.error, legacy: true };
    if (typeof m.error_code === 'number') legacy.error_code = m.error_code;
    return { ok: true, message: legacy };
  }
  if (typeof type !== 'string') return fail('message without a type');
  switch (type) {
    case 'Begin': {
      const id = str(m.id);
      if (!id) return fail('Begin without an id');
      return { ok: true, message: { ...m, type, id, expires_at: num(m.expires_at) } };
    }
    case 'Turn':
      return turn(m);
    case 'SpeechStarted':
      return { ok: true, message: { ...m, type, timestamp: num(m.timestamp) } };
    case 'Termination':
      return {
        ok: true,
        message: {
          type,
          audio_duration_seconds: num(m.audio_duration_seconds),
          session_duration_seconds: num(m.session_duration_seconds),
        },
      };
    case 'Error': {
      const message: ErrorMessage = {
        type,
        error: str(m.error) ?? str(m.message) ?? 'Unknown error',
      };
      if (typeof m.error_code === 'number') message.error_code = m.error_code;
      return { ok: true, message };
    }
    case 'Warning':
      return { ok: true, message: { ...m, type, warning: str(m.warning) ?? '' } };
    case 'SpeakerRevision': {
      const revisions: SpeakerRevisionMessage['revisions'] = [];
      for (const r of Array.isArray(m.revisions) ? m.revisions : []) {
        if (
          isObject(r) &&
          typeof r.turn_order === 'number' &&
          typeof r.speaker_label === 'string'
        ) {
          revisions.push({
            turn_order: r.turn_order,
            speaker_label: r.speaker_label,
            words: words(r.words),
          });
        }
      }
      return { ok: true, message: { type, revisions } };
    }
    default:
      return { ok: true, message: { ...m, type } };
  }
}
