// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * Vue 3 bindings for live-transcript.
 */
export { LiveTranscript } from './live-transcript.js';
