// SPDX-License-Identifier: MIT
/**
 * The AssemblyAI Universal Streaming (v3) wire messages, as they travel: snake_case fields,
 * times in milliseconds of audio unless a name says otherwise.
 */

// ---------------------------------------------------------------------------------------------
// Server -> client (text frames carrying JSON)
// ---------------------------------------------------------------------------------------------

/** The first message of every session. */
export interface BeginMessage {
  type: 'Begin';
  /** Session id (a UUID). Support asks for it. */
  id: string;
  /** When the server will force-close the session (3008), in Unix seconds. */
  expires_at: number;
  /** Newer servers: `{ model, mode, api_version }`. */
  configuration?: Record<string, unknown>;
}

/** Voice activity detected (U3 Pro family; optional on every model). */
export interface SpeechStartedMessage {
  type: 'SpeechStarted';
  /** Speech onset in ms, relative to the first audio sample the server received. */
  timestamp: number;
  /** VAD confidence, 0..1 (newer servers). */
  confidence?: number;
}

/** One word of a {@link TurnMessage}. */
export interface WireWord {
  text: string;
  /** Start and end in ms, relative to the first audio sample the server received. */
  start: number;
  end: number;
  confidence: number;
  /** Universal: only the last word of a partial can be false. U3 Pro: all false on partials. */
  word_is_final: boolean;
  /** With `speaker_labels`, on final words. */
  speaker?: string;
}

/** A (partial or final) state of one turn. Every message for a `turn_order` replaces the last. */
export interface TurnMessage {
  type: 'Turn';
  /** 0-based, increments per turn, restarts at 0 in every session: the merge key. */
  turn_order: number;
  /** Punctuated and cased. Not an end-of-turn signal. */
  turn_is_formatted: boolean;
  /** The only reliable "turn finished" signal. */
  end_of_turn: boolean;
  /** Universal: the finalized words so far. U3 Pro: the whole current text. */
  transcript: string;
  end_of_turn_confidence: number;
  words: WireWord[];
  /** Filled once per utterance (Universal) or on the final (U3 Pro); otherwise `''`. */
  utterance?: string;
  /** With `language_detection`. */
  language_code?: string;
  language_confidence?: number;
  /** With `speaker_labels`: `'A'`, `'B'`, ... or `'UNKNOWN'`. */
  speaker_label?: string;
}

/** The server's answer to `Terminate` (and, per docs, to expiry), just before close 1000. */
export interface TerminationMessage {
  type: 'Termination';
  audio_duration_seconds: number;
  session_duration_seconds: number;
}

/**
 * A fatal error, sent just before the server closes with `error_code`. Older servers sent a bare
 * `{ "error": "..." }` without `type` or code; the parser turns it into this shape with
 * `legacy: true`.
 */
export interface ErrorMessage {
  type: 'Error';
  error_code?: number;
  error: string;
  /** True when the frame had the old `{ "error": "..." }` shape. */
  legacy?: boolean;
}

/** A non-fatal notice (seen in SDK sources). */
export interface WarningMessage {
  type: 'Warning';
  warning_code?: number;
  warning: string;
}

/** Diarization re-clustering: earlier turns get new speaker labels (text unchanged). */
export interface SpeakerRevisionMessage {
  type: 'SpeakerRevision';
  revisions: Array<{ turn_order: number; speaker_label: string; words?: WireWord[] }>;
}

/** Any other message type: kept whole, passed on as a `message` event. */
export interface UnknownServerMessage {
  type: string;
  [field: string]: unknown;
}

export type KnownServerMessage =
  | BeginMessage
  | SpeechStartedMessage
  | TurnMessage
  | TerminationMessage
  | ErrorMessage
  | WarningMessage
  | SpeakerRevisionMessage;

export type ServerMessage = KnownServerMessage | UnknownServerMessage;

// ---------------------------------------------------------------------------------------------
// Client -> server (binary audio frames, and these JSON text frames)
// ---------------------------------------------------------------------------------------------

/** Settings that can change mid-session; send only the fields to change. */
export interface UpdateConfigurationMessage {
  type: 'UpdateConfiguration';
  keyterms_prompt?: string[];
  prompt?: string;
  min_turn_silence?: number;
  max_turn_silence?: number;
  end_of_turn_confidence_threshold?: number;
  vad_threshold?: number;
  format_turns?: boolean;
  filter_profanity?: boolean;
  [field: string]: unknown;
}

export interface ForceEndpointMessage {
  type: 'ForceEndpoint';
}

export interface KeepAliveMessage {
  type: 'KeepAlive';
}

export interface TerminateMessage {
  type: 'Terminate';
}

export type ClientMessage =
  UpdateConfigurationMessage | ForceEndpointMessage | KeepAliveMessage | TerminateMessage;
