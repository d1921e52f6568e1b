// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * `@live-transcript/core/media`: `captionTrack()` on its own, native captions on a media element
 * that a `LiveTranscriber` transcribes. `<live-transcript for>` loads it with `import()` when a
 * page first needs it. Also exported by `@live-transcript/core`.
 */
export {
  captionTrack,
  type CaptionTrack,
  type CaptionTrackOptions,
  type CaptionTrackTranscriber,
} from './caption-track.js';
