// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * Vue 3 bindings for live-transcript: `<LiveTranscript>` (the `<live-transcript>` element) and
 * `useLiveTranscript()` (the core transcriber as refs). For the raw tag's template types, see
 * `@live-transcript/vue/global`.
 */
export { LiveTranscript, type LiveTranscriptProps } from './live-transcript.js';
export {
  liveTranscriptEmits,
  type LiveTranscriptEmits,
  type LiveTranscriptListeners,
} from './events.js';
export type { LiveTranscriptElementEvent, LiveTranscriptEventName } from '@live-transcript/element';
export {
  useLiveTranscript,
  type UseLiveTranscriptOptions,
  type UseLiveTranscriptReturn,
} from './use-live-transcript.js';
export type { TranscriberControls, TranscriberHandlers } from '@live-transcript/core/binding';
export type {
  Level,
  LiveTranscriberOptions,
  LiveTranscriptError,
  TranscriberState,
  TranscriptTurn,
} from '@live-transcript/core/binding';
