// SPDX-License-Identifier: MIT
// Server rendering in plain Node (no window, no document): the component renders the tag, and
// useLiveTranscript() renders its idle state without creating a transcriber.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createElement, StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import {
  LiveTranscript,
  useLiveTranscript,
  type UseLiveTranscriptOptions,
} from '@live-transcript/react';

function Captions({ options }: { options: UseLiveTranscriptOptions }) {
  const { state, text, error, level, turns, start, stop } = useLiveTranscript(options);
  return createElement(
    'output',
    { 'data-actions': typeof start === 'function' && typeof stop === 'function' },
    `${state}|${text}|${error?.code ?? ''}|${level.rms}|${turns.length}`
  );
}

const strict = (node: ReturnType<typeof createElement>) => createElement(StrictMode, null, node);

describe('server rendering (React, plain Node)', () => {
  it('runs without browser globals', () => {
    for (const name of ['window', 'document', 'navigator', 'AudioContext', 'HTMLElement']) {
      assert.equal(name in globalThis, false, name);
    }
  });

  it('renders <LiveTranscript> with its children and attributes, no handlers', () => {
    const html = renderToString(
      strict(
        createElement(
          LiveTranscript,
          {
            tokenUrl: '/api/token',
            className: 'captions',
            id: 'captions',
            onTurn: () => undefined,
            onStateChange: () => undefined,
          },
          createElement('p', null, 'Captions appear here.')
        )
      )
    );
    assert.match(html, /^<live-transcript [^>]*>/);
    assert.match(html, / class="captions"/);
    assert.match(html, / id="captions"/);
    assert.match(html, /<p>Captions appear here.<\/p><\/live-transcript>$/);
    assert.doesNotMatch(html, /onturn|onTurn|function/i);
  });

  it('renders a useLiveTranscript() component as idle', () => {
    const html = renderToString(strict(createElement(Captions, { options: { tokenUrl: '/t' } })));
    assert.equal(html, '<output data-actions="true">idle|||-100|0</output>');
  });

  it('creates no transcriber on the server: invalid options surface only on the client', () => {
    const html = renderToString(strict(createElement(Captions, { options: {} })));
    assert.equal(html, '<output data-actions="true">idle|||-100|0</output>');
  });
});
