// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * `@live-transcript/core/binding`: what a UI binding loads up front — `TranscriberBinding`
 * (which loads `LiveTranscriber` and its engine when captions are used), the options table, the
 * transcript store and its caption exports, errors and events. `<live-transcript>` and the React
 * and Vue packages import this entry, not the main one, so that no bundler puts
 * `LiveTranscriber` in the page's first bytes. Everything here is also exported by
 * `@live-transcript/core`. No side effects at import.
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
export type { LiveTranscriber } from './transcriber/live-transcriber.js';
export {
  IDLE_SNAPSHOT,
  type DiagnosticsOptions,
  type DiagnosticsReport,
  type Level,
  type LiveTranscriberEvents,
  type LiveTranscriberOptions,
  type LiveTranscriberSnapshot,
  type LiveTranscriberWarning,
  type LiveTranscriberWarningCode,
  type StateChangeDetail,
  type TranscriberMetrics,
  type TranscriberState,
} from './transcriber/types.js';
export type {
  CaptionTrack,
  CaptionTrackOptions,
  CaptionTrackTranscriber,
} from './media/caption-track.js';
export {
  EVENT_HANDLERS,
  TranscriberBinding,
  type HandlerName,
  type TranscriberBindingOptions,
  type TranscriberControls,
  type TranscriberEventName,
  type TranscriberHandlers,
} from './transcriber/binding.js';
