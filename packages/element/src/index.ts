// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * The `<live-transcript>` element class, without registering it. Import
 * `@live-transcript/element/define` to register the tag.
 */
export { LiveTranscriptElement, type ExportFormat } from './live-transcript.js';
export { DEFAULT_LABELS, type LiveTranscriptLabels } from './labels.js';
export * from './events/index.js';
export type {
  LiveTranscriptError,
  LiveTranscriptErrorCode,
  TranscriberState,
  TranscriptTurn,
  TranscriptSnapshot,
} from '@live-transcript/core/binding';
