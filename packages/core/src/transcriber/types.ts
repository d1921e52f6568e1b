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
