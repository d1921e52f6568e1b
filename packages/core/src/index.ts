// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * Framework-agnostic live captions for the browser, streamed to AssemblyAI Universal
 * Streaming (v3). This entry is what a page loads up front: `LiveTranscriber` (whose engine is
 * a chunk loaded by `start()` or `preload()`), the binding the framework packages share, the
 * options table, the transcript store and its caption exports, errors and events. The building
 * blocks are entries of their own: `@live-transcript/core/audio` (the microphone pipeline),
 * `@live-transcript/core/session` (token, session, parsing, merge rules),
 * `@live-transcript/core/server` and `@live-transcript/core/testing`. Importing this module has
 * no side effects and touches no browser global.
 */
export {
  LiveTranscriptError,
  isLiveTranscriptError,
  redactSecrets,
  type LiveTranscriptErrorCode,
  type LiveTranscriptErrorOptions,
} from './errors.js';
export {
  OPTIONS,
  attributeName,
  checkLiveChanges,
  checkOption,
  checkOptions,
  optionKeys,
  optionSpec,
  optionValue,
  wireName,
  type LiveOptionKey,
  type LiveParameters,
  type OptionKey,
  type OptionScope,
  type OptionSpec,
  type OptionType,
  type ReconnectOptions,
  type SpeechModel,
  type StreamingRegion,
  type TranscriberOptions,
  type WireOptionKey,
} from './options.js';
export type * from './protocol/messages.js';
export {
  DEFAULT_STREAMING_URL,
  streamingUrl,
  type ConnectionTarget,
  type StreamingParameters,
} from './protocol/url.js';
export { LiveTranscriptEvent, TypedEventTarget } from './events.js';
export {
  EMPTY_TRANSCRIPT,
  Transcript,
  isU3ProModel,
  type EndSessionOptions,
  type TranscriptApplyContext,
  type TranscriptOptions,
  type TranscriptSnapshot,
  type TranscriptTextOptions,
  type TranscriptTurn,
  type TranscriptWord,
} from './transcript/transcript.js';
export { toSRT, toWebVTT } from './transcript/captions.js';
export { MICROPHONE_DEFAULTS, microphoneConstraints } from './audio/constraints.js';
export type {
  AudioDeviceInfo,
  AudioFrame,
  AudioSourceInput,
  AudioCaptureWarning,
} from './audio/capture.js';
export type { AudioWarningCode } from './audio/health.js';
export type { AudioSource, MicrophoneConstraints } from './audio/sources.js';
export type {
  SessionWarning,
  SessionWarningCode,
  WebSocketConstructor,
} from './session/streaming-session.js';
export type { TokenOptions } from './token/token.js';
export * from './transcriber/index.js';
export {
  captionTrack,
  type CaptionTrack,
  type CaptionTrackOptions,
  type CaptionTrackTranscriber,
} from './media/caption-track.js';
