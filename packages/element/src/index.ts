// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * The `<live-transcript>` element class, without registering it. Import
 * `@live-transcript/element/define` to register the tag.
 */
export { LiveTranscriptElement } from './live-transcript.js';
