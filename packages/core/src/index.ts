// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * Framework-agnostic live captions for the browser, streamed to AssemblyAI Universal
 * Streaming (v3). Importing this module has no side effects and touches no browser global.
 */
export {
  LiveTranscriptError,
  isLiveTranscriptError,
  redactSecrets,
  type LiveTranscriptErrorCode,
  type LiveTranscriptErrorOptions,
} from './errors.js';
export * from './protocol/index.js';
export { LiveTranscriptEvent, TypedEventTarget } from './events.js';
export * from './session/index.js';
export {
  Transcript,
  isU3ProModel,
  type TranscriptWord,
  type TranscriptTurn,
  type TranscriptSnapshot,
  type TranscriptOptions,
  type TranscriptApplyContext,
  type TranscriptTextOptions,
  type EndSessionOptions,
} from './transcript/transcript.js';
export { fetchToken, type TokenOptions } from './token/token.js';
export * from './audio/index.js';
export * from './transcriber/index.js';
export {
  captionTrack,
  type CaptionTrack,
  type CaptionTrackOptions,
  type CaptionTrackTranscriber,
} from './media/caption-track.js';
