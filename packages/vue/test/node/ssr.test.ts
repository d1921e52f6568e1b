// SPDX-License-Identifier: MIT
// Server rendering in plain Node (no window, no document): the component renders the tag with
// attributes and slots, and useLiveTranscript() renders its idle state without a transcriber.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSSRApp, defineComponent, h, type GlobalComponents } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { LiveTranscriptElement } from '@live-transcript/element';
import {
  LiveTranscript,
  useLiveTranscript,
  type UseLiveTranscriptOptions,
} from '@live-transcript/vue';
import '@live-transcript/vue/global';

// The type-only subpath types the component and the raw tag in templates (checked by tsc).
const globals: Pick<GlobalComponents, 'LiveTranscript' | 'live-transcript'> = {
  LiveTranscript,
  'live-transcript': LiveTranscript,
};

const render = (root: () => ReturnType<typeof h>) => renderToString(createSSRApp({ render: root }));

const Captions = defineComponent({
  props: { options: { type: Object as () => UseLiveTranscriptOptions, required: true } },
  setup(props) {
    const { state, text, error, level, turns, start } = useLiveTranscript(props.options);
    return () =>
      h(
        'output',
        { 'data-start': typeof start },
        `${state.value}|${text.value}|${error.value?.code ?? ''}|${level.value.rms}|${turns.value.length}`
      );
  },
});

describe('server rendering (Vue, plain Node)', () => {
  it('runs without browser globals', () => {
    assert.equal(globals.LiveTranscript, LiveTranscript);
    for (const name of ['window', 'document', 'navigator', 'AudioContext', 'HTMLElement']) {
      assert.equal(name in globalThis, false, name);
    }
  });

  it('renders <LiveTranscript>: attributes for props, slots, no listeners', async () => {
    const html = await render(() =>
      h(
        LiveTranscript,
        { tokenUrl: '/api/token', class: 'captions', onLtTurn: () => undefined },
        { default: () => [h('p', 'Captions appear here.')], control: () => [h('button', 'Go')] }
      )
    );
    assert.match(html, /^<live-transcript [^>]*>/);
    assert.match(html, / token-url="\/api\/token"/);
    assert.match(html, / class="captions"/);
    assert.match(html, /<p>Captions appear here.<\/p><button slot="control">Go<\/button>/);
    assert.doesNotMatch(html, /tokenUrl|onLtTurn|lt-turn|function/i);
  });

  it('renders each primitive prop as the attribute the element reads', async () => {
    void LiveTranscriptElement.observedAttributes;
    for (const [name, options] of LiveTranscriptElement.elementProperties) {
      if (typeof name !== 'string' || options.state || name === 'state') continue;
      if (options.attribute === false) continue;
      const attribute = typeof options.attribute === 'string' ? options.attribute : name;
      const value = options.type === Boolean ? true : options.type === Number ? 42 : 'x';
      const html = await render(() => h(LiveTranscript, { [name]: value }));
      const expected = `<live-transcript ${attribute.toLowerCase()}${value === true ? '' : `="${value}"`}`;
      assert.ok(
        html.startsWith(expected + '>') || html.startsWith(expected + ' '),
        `${name}: ${html}`
      );
    }
  });

  it('renders a useLiveTranscript() component as idle', async () => {
    const html = await render(() => h(Captions, { options: { tokenUrl: '/t' } }));
    assert.equal(html, '<output data-start="function">idle|||-100|0</output>');
  });

  it('creates no transcriber on the server: invalid options surface only on the client', async () => {
    const html = await render(() => h(Captions, { options: {} }));
    assert.equal(html, '<output data-start="function">idle|||-100|0</output>');
  });
});
