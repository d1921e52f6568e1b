// SPDX-License-Identifier: MIT
import { expect } from '@open-wc/testing';
import { act, createRef, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import {
  LiveTranscript,
  liveTranscriptEvents,
  type LiveTranscriptProps,
} from '@live-transcript/react';
import type { LiveTranscriptElement } from '@live-transcript/element';
import {
  startFakeServer,
  until,
  type FakeServerHandle,
  socketsClosed,
} from '../../../../test-support/browser/fake-server.js';
import { watchMicrophone } from '../../../../test-support/browser/microphone.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Handler = (event: Event) => void;

describe('<LiveTranscript> (React)', () => {
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

  const render = (props: LiveTranscriptProps) =>
    act(async () =>
      root.render(
        <StrictMode>
          <LiveTranscript {...props} />
        </StrictMode>
      )
    );

  it('registers the element and sets props as element properties, under StrictMode', async () => {
    const ref = createRef<LiveTranscriptElement>();
    await render({ tokenUrl: '/api/token', ref, className: 'captions', id: 'lt' });
    const el = host.querySelector('live-transcript') as LiveTranscriptElement;
    expect(customElements.get('live-transcript')).to.be.a('function');
    expect(el).to.be.instanceOf(customElements.get('live-transcript')!);
    expect(ref.current).to.equal(el);
    expect(el.tokenUrl).to.equal('/api/token');
    expect(el.className).to.equal('captions');
    expect(el.id).to.equal('lt');
    await render({ tokenUrl: '/api/other-token' });
    expect(el.tokenUrl).to.equal('/api/other-token');
    await act(async () => root.unmount());
    expect(host.querySelector('live-transcript')).to.equal(null);
    root = createRoot(host);
  });

  it('calls the on* prop of every lt-* event of the element with the event, latest prop only', async () => {
    const calls: Array<[string, Event]> = [];
    const handlers = (tag: string) =>
      Object.fromEntries(
        Object.keys(liveTranscriptEvents).map((prop) => [
          prop,
          ((event) => calls.push([`${tag}:${prop}`, event])) as Handler,
        ])
      );
    await render(handlers('first'));
    const el = host.querySelector('live-transcript')!;
    const entries = Object.entries(liveTranscriptEvents) as Array<[string, string]>;
    expect(entries).to.have.length(12);
    expect(liveTranscriptEvents.onDeviceChange).to.equal('lt-device-change');
    for (const [prop, type] of entries) {
      expect(prop).to.equal(
        'on' + type.slice(3).replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())
      );
      const event = new CustomEvent(type, { detail: { type }, bubbles: true, composed: true });
      el.dispatchEvent(event);
      expect(calls.at(-1)).to.deep.equal([`first:${prop}`, event]);
    }
    expect(calls).to.have.length(12);

    await render(handlers('second'));
    el.dispatchEvent(new CustomEvent('lt-turn', { detail: {} }));
    expect(calls.slice(12).map(([name]) => name)).to.deep.equal(['second:onTurn']);
  });
});

describe('<LiveTranscript> (React) end to end', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle;
  let mic: ReturnType<typeof watchMicrophone>;

  afterEach(async () => {
    mic?.restore();
    await fake?.stop();
  });

  it('gets captions from the element under StrictMode, one socket, and unmounts cleanly', async () => {
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    fake = await startFakeServer({ script: 'universal-english-format-turns-2025.jsonl' });
    mic = watchMicrophone();
    const host = document.body.appendChild(document.createElement('div'));
    const root = createRoot(host);
    const ref = createRef<LiveTranscriptElement>();
    const states: string[] = [];
    const finals: string[] = [];
    try {
      root.render(
        <StrictMode>
          <LiveTranscript
            ref={ref}
            tokenUrl={fake.tokenUrl}
            url={fake.url}
            speechModel="universal-streaming-english"
            formatTurns
            onStateChange={(e) => states.push(e.detail.state)}
            onFinal={(e) => finals.push(e.detail.turn.text)}
          />
        </StrictMode>
      );
      await until(() => ref.current !== null, 2000, 'the element');
      const button = document.createElement('button');
      button.onclick = () => void ref.current!.start();
      host.append(button);
      button.click();
      await until(() => finals.length > 0, 20_000, 'a first final turn');
      expect(finals[0]).to.equal('The quick brown fox jumps over the lazy dog.');
      expect(states.slice(0, 2)).to.deep.equal(['connecting', 'listening']);

      root.unmount();
      const connections = await socketsClosed(fake);
      expect(connections, 'one socket under StrictMode').to.have.length(1);
      await until(() => mic.released(), 5000, 'the microphone released');
    } finally {
      (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
      host.remove();
    }
  });
});
