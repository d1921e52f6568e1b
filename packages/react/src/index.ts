// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * React bindings for live-transcript: `<LiveTranscript>` (the `<live-transcript>` element) and
 * `useLiveTranscript()` (the core transcriber as React state).
 */
export {
  LiveTranscript,
  liveTranscriptEvents,
  type LiveTranscriptEventProps,
  type LiveTranscriptProps,
} from './live-transcript.js';
export type { LiveTranscriptElementEvent, LiveTranscriptEventName } from '@live-transcript/element';
export {
  useLiveTranscript,
  type UseLiveTranscriptOptions,
  type UseLiveTranscriptResult,
} from './use-live-transcript.js';
export type { TranscriberControls, TranscriberHandlers } from '@live-transcript/core/binding';
export type {
  Level,
  LiveTranscriberOptions,
  LiveTranscriptError,
  TranscriberState,
  TranscriptTurn,
} from '@live-transcript/core/binding';
