// SPDX-License-Identifier: MIT
import { expect } from '@open-wc/testing';
import { act, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LiveTranscript } from '@live-transcript/react';
import type { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('<LiveTranscript> (React)', () => {
  it('renders the element and sets props as element properties, under StrictMode', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    await act(async () => {
      root.render(
        <StrictMode>
          <LiveTranscript tokenUrl="/api/token" />
        </StrictMode>
      );
    });
    const el = host.querySelector('live-transcript') as LiveTranscriptElement;
    expect(el).to.not.equal(null);
    expect(el.tokenUrl).to.equal('/api/token');
    expect(el.shadowRoot!.querySelector('[part="base"]')).to.not.equal(null);
    await act(async () => root.unmount());
    expect(host.querySelector('live-transcript')).to.equal(null);
    host.remove();
  });
});
