// SPDX-License-Identifier: MIT
import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';

/**
 * Live captions for the microphone, streamed to AssemblyAI Universal Streaming.
 *
 * @summary Live captions in one tag.
 * @csspart base - The wrapper around everything.
 */
export class LiveTranscriptElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }
  `;

  /**
   * Registers the element under `tag` in `registry`. Does nothing when the tag is already
   * taken by this class; throws if it is taken by another.
   */
  static define(tag = 'live-transcript', registry: CustomElementRegistry = customElements): void {
    const existing = registry.get(tag);
    if (existing === this) return;
    if (existing)
      throw new DOMException(`<${tag}> is already defined by another class.`, 'NotSupportedError');
    registry.define(tag, this);
  }

  /** The URL of your server route that answers `{ token }`. */
  @property({ attribute: 'token-url' }) tokenUrl = '';

  /** The current state, reflected for CSS. Read-only. */
  @property({ reflect: true }) state = 'idle';

  override render() {
    return html`<div part="base"><slot></slot></div>`;
  }
}
