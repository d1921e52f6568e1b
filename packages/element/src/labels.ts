// SPDX-License-Identifier: MIT
import type { LiveTranscriptErrorCode, TranscriberState } from '@live-transcript/core/binding';

/**
 * Every string `<live-transcript>` shows or announces. Set the `labels` property to a partial
 * object: it is merged over {@link DEFAULT_LABELS}. `{name}` placeholders are filled in.
 */
export interface LiveTranscriptLabels extends Record<TranscriberState, string> {
  /** The button while idle: starts listening. */
  start: string;
  /** The button while running: stops. */
  stop: string;
  /** The button beside an error: starts again. */
  retry: string;
  /** The button beside an error: copies the diagnostics report (JSON) for a bug report. */
  diagnostics: string;
  /** Status once the diagnostics report is on the clipboard. */
  copied: string;
  /** Status when the browser refused to copy the report. */
  copyFailed: string;
  /** Visible status while waiting to reconnect: `{seconds}` counts down. */
  reconnectingIn: string;
  /** Status while reconnecting with the browser offline. */
  offline: string;
  /** The error line: `{message}` is the error's message (or its `errors` entry). */
  errorMessage: string;
  /** Messages by error code, replacing the (English) message of the error. */
  errors: Partial<Record<LiveTranscriptErrorCode, string>>;
  /** Shown while there is no text yet. */
  empty: string;
  /** Shown while running with no text yet. */
  emptyRunning: string;
  /** Accessible name of the transcript log. */
  transcript: string;
  /** Accessible name of the level meter. */
  level: string;
  /** A turn's speaker: `{speaker}` is the label the server gave (`A`, `B`, ...). */
  speaker: string;
  /** Accessible name of the microphone picker (`device-picker`). */
  device: string;
  /** The picker's entry for the system's default microphone. */
  defaultDevice: string;
  /** A microphone without a name (the browser names them once the microphone is allowed): `{n}` counts from 1. */
  unnamedDevice: string;
  /** The caption track written into the media of `for` or `media` (its name in the player's caption menu). */
  captions: string;
  /** Status line, warning `clipping`: the input is too loud. */
  warningClipping: string;
  /** Status line, warning `too-quiet`: speech is very quiet. */
  warningTooQuiet: string;
  /** Status line, warning `silence`: the input gives only silence. */
  warningSilence: string;
  /** Status line, warning `no-frames`: the audio stalled (the capture resumes it). */
  warningNoFrames: string;
  /** Status line, warning `low-bandwidth-input`: a Bluetooth headset in call mode, or a narrowband track. */
  warningLowBandwidthInput: string;
  /** Status line, warning `track-muted`: the system or the device muted the input. */
  warningTrackMuted: string;
  /** Status line, warning `device-lost`: the microphone was unplugged, the default one took over. */
  warningDeviceLost: string;
  /** Status line, warning `audio-dropped`: audio captured while offline was dropped. */
  warningAudioDropped: string;
  /** Status line, warning `device-switch-failed`: the microphone picked could not be opened. */
  warningDeviceSwitchFailed: string;
}

/** The English labels. */
export const DEFAULT_LABELS: Readonly<LiveTranscriptLabels> = Object.freeze({
  start: 'Start',
  stop: 'Stop',
  retry: 'Retry',
  diagnostics: 'Copy diagnostics',
  copied: 'Diagnostics copied',
  copyFailed: 'Could not copy the diagnostics',
  idle: 'Not listening',
  connecting: 'Connecting…',
  listening: 'Listening',
  paused: 'Paused',
  reconnecting: 'Reconnecting…',
  reconnectingIn: 'Reconnecting in {seconds} s',
  offline: 'Offline: waiting for the network',
  stopping: 'Stopping…',
  error: 'Stopped by an error',
  errorMessage: 'Error: {message}',
  errors: {},
  empty: 'Press Start and speak: captions appear here.',
  emptyRunning: 'Speak: captions appear here.',
  transcript: 'Transcript',
  level: 'Microphone level',
  speaker: 'Speaker {speaker}',
  device: 'Microphone',
  defaultDevice: 'Default microphone',
  unnamedDevice: 'Microphone {n}',
  captions: 'Live captions',
  warningClipping: 'Too loud: lower the input volume',
  warningTooQuiet: 'Very quiet: raise the volume or move closer',
  warningSilence: 'No sound: is the input muted?',
  warningNoFrames: 'Audio stalled: resuming',
  warningLowBandwidthInput: 'Low-quality input (a Bluetooth headset?)',
  warningTrackMuted: 'The input is muted',
  warningDeviceLost: 'Microphone unplugged: using the default one',
  warningAudioDropped: 'Some audio was lost while offline',
  warningDeviceSwitchFailed: 'Could not switch microphones',
});

/** Fills `{name}` placeholders. */
export const format = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match
  );
