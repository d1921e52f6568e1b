// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * React bindings for live-transcript.
 */
export { LiveTranscript } from './live-transcript.js';
