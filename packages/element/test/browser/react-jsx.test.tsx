// SPDX-License-Identifier: MIT
// The raw <live-transcript> tag in React 19, written as `@live-transcript/element/jsx` types it:
// kebab-case attributes become attributes, camelCase props set the element's properties, and
// `onlt-*` props listen to the `lt-*` events (the prop name minus `on`, as written). The types
// promise what React does with a custom element; this checks that React does it.
import { expect } from '@open-wc/testing';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type {} from '@live-transcript/element/jsx';
import { LiveTranscriptElement, type LtFinalEvent } from '@live-transcript/element';
import '@live-transcript/element/define';
import { feed, loaded, setState, turnMessage } from './simulate.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('<live-transcript> in React 19 JSX', () => {
  let host: HTMLElement;
  let root: Root;

  beforeEach(() => {
    host = document.body.appendChild(document.createElement('div'));
    root = createRoot(host);
  });
  afterEach(async () => {
    await act(async () => root.unmount());
    host.remove();
  });

  it('writes attributes, sets properties and listens to lt-* events through onlt-* props', async () => {
    const finals: string[] = [];
    const states: string[] = [];
    const tokenRequestInit: RequestInit = { credentials: 'include' };
    const onFinal = (event: LtFinalEvent) => finals.push(event.detail.turn.text);
    await act(async () =>
      root.render(
        <live-transcript
          token-url="/api/assemblyai-token"
          format-turns
          speaker-labels={false}
          sample-rate={8000}
          language-codes={['en', 'fr']}
          keyterms={['AssemblyAI', 'Lit']}
          tokenRequestInit={tokenRequestInit}
          labels={{ start: 'Dictate' }}
          onlt-final={onFinal}
          onlt-state-change={(event) => states.push(event.detail.state)}
        />
      )
    );
    const el = host.querySelector<LiveTranscriptElement>('live-transcript')!;
    expect(el).to.be.instanceOf(LiveTranscriptElement);
    await loaded(el);
    // Attributes, converted by the element.
    expect(el.getAttribute('token-url')).to.equal('/api/assemblyai-token');
    expect(el.tokenUrl).to.equal('/api/assemblyai-token');
    expect(el.hasAttribute('format-turns')).to.equal(true);
    expect(el.formatTurns).to.equal(true);
    expect(el.hasAttribute('speaker-labels')).to.equal(false);
    expect(el.sampleRate).to.equal(8000);
    expect(el.languageCodes).to.deep.equal(['en', 'fr']);
    // Properties, set as such (no attribute could carry a function or an object).
    expect(el.keyterms).to.deep.equal(['AssemblyAI', 'Lit']);
    expect(el.tokenRequestInit).to.equal(tokenRequestInit);
    expect(el.labels).to.deep.equal({ start: 'Dictate' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="control"]')!.textContent!.trim()).to.equal(
      'Dictate'
    );
    // Events, through the listeners React added for the onlt-* props.
    feed(el, turnMessage(0, 'Hello from React'));
    expect(finals).to.deep.equal(['Hello from React']);
    el.dispatchEvent(new Event('LtFinal'));
    expect(finals, 'onlt-final listens to lt-final only').to.have.length(1);
    setState(el, 'connecting');
    expect(states).to.deep.equal(['connecting']);

    // A new handler replaces the old one; removing the prop removes the listener.
    const later: string[] = [];
    await act(async () =>
      root.render(
        <live-transcript
          token-url="/api/assemblyai-token"
          onlt-final={(event) => later.push(event.detail.turn.text)}
        />
      )
    );
    feed(el, turnMessage(1, 'Second turn'));
    expect(later).to.deep.equal(['Second turn']);
    expect(finals).to.have.length(1);
    await act(async () => root.render(<live-transcript token-url="/api/assemblyai-token" />));
    feed(el, turnMessage(2, 'Third turn'));
    expect(later).to.have.length(1);
    expect(host.querySelector('live-transcript')).to.equal(el);
  });
});
