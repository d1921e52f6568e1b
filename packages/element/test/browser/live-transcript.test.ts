// SPDX-License-Identifier: MIT
import { expect, fixture, html } from '@open-wc/testing';
import { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';

describe('<live-transcript>', () => {
  it('registers the tag once, idempotently', () => {
    expect(customElements.get('live-transcript')).to.equal(LiveTranscriptElement);
    LiveTranscriptElement.define();
    expect(customElements.get('live-transcript')).to.equal(LiveTranscriptElement);
  });

  it('renders into its shadow root and reflects the state', async () => {
    const el = await fixture<LiveTranscriptElement>(
      html`<live-transcript token-url="/api/token"></live-transcript>`
    );
    expect(el.tokenUrl).to.equal('/api/token');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.shadowRoot!.querySelector('[part="base"]')).to.not.equal(null);
  });
});
