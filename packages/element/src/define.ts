// SPDX-License-Identifier: MIT
/**
 * Registers `<live-transcript>`. Safe to import more than once, and safe to import on a server
 * without `customElements` (it then does nothing).
 */
import { LiveTranscriptElement } from './live-transcript.js';

if (typeof customElements !== 'undefined') LiveTranscriptElement.define();

export { LiveTranscriptElement };

declare global {
  interface HTMLElementTagNameMap {
    'live-transcript': LiveTranscriptElement;
  }
}
