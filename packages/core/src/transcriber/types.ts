// SPDX-License-Identifier: MIT
// The types of LiveTranscriber and its bindings, and the snapshot of one that never started:
// what a page needs before the engine loads.
import type { AudioDeviceInfo } from '../audio/capture.js';
import type { AudioWarningCode } from '../audio/health.js';
import type { LiveTranscriptError } from '../errors.js';
import type { TranscriberOptions } from '../options.js';
import type { ServerMessage } from '../protocol/messages.js';
import type { SessionWarningCode } from '../session/streaming-session.js';
import type { TranscriptSnapshot, TranscriptTurn } from '../transcript/transcript.js';

/** Where a {@link LiveTranscriber} is. */
export type TranscriberState =
  'idle' | 'connecting' | 'listening' | 'paused' | 'reconnecting' | 'stopping' | 'error';

/**
 * The options of a {@link LiveTranscriber}: every row of the options table (`OPTIONS`), typed
 * from it. One of `tokenUrl` or `getToken` is required.
 */
export type LiveTranscriberOptions = TranscriberOptions;

export interface StateChangeDetail {
  state: TranscriberState;
  previous: TranscriberState;
  /** Why: `start`, `begin`, `pause`, `resume`, `stop`, `stopped`, an error code, ... */
  reason: string;
}

export interface Level {
  /** RMS level in dBFS (−100 is silence; a full-scale sine reads −3). */
  rms: number;
  /** Peak level in dBFS. */
  peak: number;
}

/**
 * The codes of `warning` events: the audio's (`clipping`, `too-quiet`, `silence`, `no-frames`,
 * `low-bandwidth-input`, `track-muted`, `device-lost`), the session's (`audio-dropped`,
 * `malformed-message`, `server-warning`), and `device-switch-failed` (`setDevice()` could not
 * open the microphone asked for: the one in use goes on).
 */
export type LiveTranscriberWarningCode =
  AudioWarningCode | SessionWarningCode | 'device-switch-failed';

/** `detail` of a `warning` event: something needs attention, nothing stopped. */
export interface LiveTranscriberWarning {
  code: LiveTranscriberWarningCode;
  /** What happened and what to do (English). */
  message: string;
}

export interface LiveTranscriberEvents {
  'state-change': StateChangeDetail;
  /** A session began (the first one, and each one after a reconnect or rollover). */
  begin: { sessionId: string; expiresAt: number | undefined };
  /** The server heard speech start (`timestamp` in ms on the transcript's clock). */
  'speech-start': { timestamp: number; confidence: number | undefined };
  /** Every Turn message, after merging. */
  turn: { turn: TranscriptTurn; transcript: TranscriptSnapshot };
  /** A turn became final and display-ready (once per turn). */
  final: { turn: TranscriptTurn };
  /** Microphone level, about every frame. */
  level: Level;
  reconnecting: { attempt: number; delayMs: number; error: LiveTranscriptError };
  error: { error: LiveTranscriptError };
  /** A run ended (after `stop()`), with the totals the server reported. */
  end: { audioDurationSeconds: number; sessionDurationSeconds: number };
  /** Every server message, unknown types included. */
  message: { message: ServerMessage; sessionId: string | undefined };
  warning: LiveTranscriberWarning;
  /** The microphone changed mid-session (`setDevice()`, an unplugged device, a new default). */
  'device-change': AudioDeviceInfo;
}

/** What `getSnapshot()` returns: immutable, a new object only when something changed. */
export interface LiveTranscriberSnapshot extends TranscriptSnapshot {
  readonly state: TranscriberState;
  readonly error: LiveTranscriptError | undefined;
  readonly level: Level;
}

/** Latency measurements of the current or last run, in ms. */
export interface TranscriberMetrics {
  /** From `start()` to the first audio frame on the wire. */
  startToFirstFrameMs: number | undefined;
  /** Capture-to-send delay of recent frames (up to the last 500). */
  sendLatenciesMs: number[];
  /** Silence left out to catch up after an outage, in ms (long pauses shortened to 2 s). */
  skippedSilenceMs: number;
}

/** Options of `diagnostics()`. */
export interface DiagnosticsOptions {
  /** Add the transcript's text (left out by default: it is what the user said). */
  includeTranscript?: boolean;
}

/**
 * What `diagnostics()` returns: plain JSON data for a bug report. Tokens, the query strings of
 * URLs and the transcript's text are left out (the text comes with `includeTranscript`). Times
 * are ISO 8601; lists keep their last 50 entries.
 */
export interface DiagnosticsReport {
  library: { name: string; version: string };
  createdAt: string;
  /** The user agent, and what `navigator.userAgentData` tells where there is one. */
  browser: {
    userAgent?: string;
    brands?: string[];
    platform?: string;
    mobile?: boolean;
    language?: string;
    online?: boolean;
    secureContext?: boolean;
    visibility?: string;
  };
  /**
   * Whether the engine (a chunk of the library, loaded by `start()` or `preload()`) was there to
   * report: without it, the report has no options, audio, metrics or transcript.
   */
  engine: boolean;
  state: TranscriberState;
  /** The error that stopped the transcriber, if any. */
  error?: { name: string; code: string; message: string; retriable: boolean; closeCode?: number };
  /** The options in use: URLs without their query, no token, no function, no header value. */
  options?: Record<string, unknown>;
  /** The audio context and the input track (the last seen, once the capture ended). */
  audio?: {
    source?: string;
    context?: { sampleRate: number; state: string; baseLatency?: number };
    track?: {
      label: string;
      readyState: string;
      muted: boolean;
      enabled: boolean;
      sampleRate?: number;
      channelCount?: number;
      echoCancellation?: boolean | string;
      noiseSuppression?: boolean;
      autoGainControl?: boolean;
      latency?: number;
    };
  };
  /** State changes, with the reason each gave. */
  states: Array<{
    at: string;
    state: TranscriberState;
    previous: TranscriberState;
    reason: string;
  }>;
  /** Server messages, by type. */
  messages: Array<{ at: string; type: string; sessionId?: string }>;
  /** Each connection's end: the close code, the reason, and the error it meant. */
  closes: Array<{ at: string; code: number; reason: string; error?: string; sessionId?: string }>;
  /** Every error: the retried ones (`fatal: false`) and the one that stopped the run. */
  errors: Array<{
    at: string;
    name: string;
    code: string;
    message: string;
    retriable: boolean;
    closeCode?: number;
    fatal: boolean;
  }>;
  warnings: Array<{ at: string; code: string; message: string }>;
  /** `metrics`, with the capture-to-send delays summed up. */
  metrics?: {
    startToFirstFrameMs?: number;
    skippedSilenceMs: number;
    sendLatencyMs: { frames: number; p50?: number; p95?: number; max?: number };
  };
  transcript?: { turns: number; finalTurns: number; text?: string };
}

export const SILENT: Level = Object.freeze({ rms: -100, peak: -100 });

/** The snapshot of a transcriber that never started (also the server snapshot for SSR). */
export const IDLE_SNAPSHOT: LiveTranscriberSnapshot = Object.freeze({
  turns: Object.freeze([]) as readonly TranscriptTurn[],
  finalText: '',
  partial: '',
  text: '',
  state: 'idle',
  error: undefined,
  level: SILENT,
});
