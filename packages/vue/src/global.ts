// SPDX-License-Identifier: MIT
/**
 * Type-only module: import it once (`import '@live-transcript/vue/global'`) to type the raw
 * `<live-transcript>` tag and the `LiveTranscript` component in Vue templates.
 */
import type { LiveTranscript } from './live-transcript.js';

declare module 'vue' {
  interface GlobalComponents {
    LiveTranscript: typeof LiveTranscript;
    'live-transcript': typeof LiveTranscript;
  }
}

export {};
