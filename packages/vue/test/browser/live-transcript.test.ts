// SPDX-License-Identifier: MIT
import { expect } from '@open-wc/testing';
import { createApp, h, nextTick, ref } from 'vue';
import { LiveTranscript } from '@live-transcript/vue';
import type { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';

describe('<LiveTranscript> (Vue)', () => {
  it('renders the element, sets props as properties and follows changes', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const url = ref('/api/token');
    const app = createApp({ render: () => h(LiveTranscript, { tokenUrl: url.value }) });
    app.mount(host);
    const el = host.querySelector('live-transcript') as LiveTranscriptElement;
    expect(el.tokenUrl).to.equal('/api/token');
    url.value = '/api/other-token';
    await nextTick();
    expect(el.tokenUrl).to.equal('/api/other-token');
    app.unmount();
    expect(host.querySelector('live-transcript')).to.equal(null);
    host.remove();
  });
});
