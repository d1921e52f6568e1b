// SPDX-License-Identifier: MIT
/**
 * Registers `<live-transcript>`. Safe to import more than once (a second copy of the package
 * warns instead of throwing), and safe on a server without `customElements` (it does nothing).
 */
import { LiveTranscriptElement } from './live-transcript.js';

if (typeof customElements !== 'undefined') {
  const existing = customElements.get('live-transcript');
  if (!existing) LiveTranscriptElement.define();
  else if (existing !== LiveTranscriptElement)
    console.warn(
      '<live-transcript> is already defined by another copy of @live-transcript/element: ' +
        'load the package once (check for duplicate versions in your bundle).'
    );
}

export { LiveTranscriptElement };

declare global {
  interface HTMLElementTagNameMap {
    'live-transcript': LiveTranscriptElement;
  }
}
