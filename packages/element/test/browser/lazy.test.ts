// SPDX-License-Identifier: MIT
// The page pays for captions only when it uses them: a page with <live-transcript> loads the
// element (the CDN entry file and its static chunks), and the transcriber with its engine
// (`live-transcriber-*.js`, `engine-*.js`) only at the first click, or earlier as `preload`
// says. Each test opens a page of its own (an iframe: its own module map), with the CDN build.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { skipIn } from '../../../../test-support/browser/engines.js';
import {
  sentences,
  startFakeServer,
  until,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';
import type { LiveTranscriptElement, LtErrorEvent } from '@live-transcript/element';

const CDN = '/packages/element/dist/cdn/';
/** A page's own copy of the CDN build is under `/fresh/<id>`: paths are compared without it. */
const path = (url: string) => new URL(url).pathname.replace(/^\/fresh\/[\w-]+/, '');
/** The chunks of the transcriber: nothing of them before captions are used. */
const LAZY = /\/(engine|live-transcriber)-[\w-]+\.js$/;

describe('the transcriber loads when captions are used', function () {
  this.timeout(60_000);
  let frame: HTMLIFrameElement | undefined;
  let fake: FakeServerHandle | undefined;

  afterEach(async () => {
    await executeServerCommand('block-requests', { pattern: `${CDN}engine-`, times: 0 });
    frame?.remove();
    frame = undefined;
    await fake?.stop();
    fake = undefined;
  });

  /** A page with the tag; `preload` as given, a browser never idle with `idle: 'never'`. */
  async function open(query: { preload: string; idle?: 'never' }) {
    frame = document.createElement('iframe');
    frame.src = `/packages/element/test/browser/lazy-page.html?${new URLSearchParams(query)}`;
    document.body.append(frame);
    const win = () => frame!.contentWindow as Window & typeof globalThis;
    await until(() => !!win()?.customElements?.get('live-transcript'), 10_000, 'the element');
    const el = win().document.querySelector('live-transcript') as unknown as LiveTranscriptElement;
    await el.updateComplete;
    const scripts = () =>
      win()
        .performance.getEntriesByType('resource')
        .map((entry) => path(entry.name))
        .filter((name) => name.endsWith('.js') && !name.startsWith('/__web-dev-server'));
    return { win, el, lazy: () => scripts().filter((path) => LAZY.test(path)), scripts };
  }

  /** Points the element at a fake server. */
  async function connect(el: LiveTranscriptElement, options = {}) {
    fake = await startFakeServer(options);
    el.tokenUrl = fake.tokenUrl;
    el.url = fake.url;
    await el.updateComplete;
    return fake;
  }

  it('preload="none": nothing of the transcriber before start(), then both chunks', async () => {
    const { el, lazy, scripts } = await open({ preload: 'none' });
    await connect(el);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(scripts()[0]).to.equal(`${CDN}live-transcript.js`);
    expect(lazy(), 'no transcriber chunk before start()').to.deep.equal([]);
    expect(el.transcriber).to.equal(undefined);
    await el.start();
    expect(el.state).to.equal('listening');
    expect(lazy().map((path) => path.replace(/-[A-Z0-9]+\.js$/, ''))).to.have.members([
      `${CDN}engine`,
      `${CDN}live-transcriber`,
    ]);
    await el.stop();
  });

  it('preload="intent": the pointer entering loads it (in a browser never idle)', async () => {
    const { el, lazy, win } = await open({ preload: 'intent', idle: 'never' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lazy()).to.deep.equal([]);
    el.dispatchEvent(new (win().PointerEvent)('pointerenter'));
    await until(() => lazy().length === 2, 5000, 'the chunks after the pointer entered');
  });

  it('preload="intent": focus reaching the control loads it', async () => {
    const { el, lazy } = await open({ preload: 'intent', idle: 'never' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lazy()).to.deep.equal([]);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="control"]')!.focus();
    await until(() => lazy().length === 2, 5000, 'the chunks after focus');
  });

  it('preload="intent": an idle browser loads it; preload="eager" loads it at once', async () => {
    const idle = await open({ preload: 'intent' });
    await until(() => idle.lazy().length === 2, 15_000, 'the chunks when idle');
    frame!.remove();
    const eager = await open({ preload: 'eager', idle: 'never' });
    await until(() => eager.lazy().length === 2, 5000, 'the chunks at once');
  });

  skipIn('webkit', 'the mock microphone only beeps')(
    'a start while the transcriber loads keeps the first word: the three sentences, whole',
    async () => {
      const { el, lazy } = await open({ preload: 'none' });
      await connect(el, { script: 'universal-english-format-turns-2025.jsonl' });
      el.speechModel = 'universal-streaming-english';
      el.formatTurns = true;
      el.microphone = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
      await el.updateComplete;
      expect(lazy()).to.deep.equal([]);
      await el.start();
      const expected = await sentences();
      const finals = () => el.transcript.turns.filter((t) => t.final).map((t) => t.text);
      await until(() => finals().length >= 3, 30_000, 'three final turns');
      await el.stop();
      expect(finals(), JSON.stringify(finals())).to.deep.equal(expected);
      // The capture began before the first word (0.5 s into the recording): its silence was
      // heard, so the first word was heard whole.
      expect(el.transcript.turns[0]!.startMs).to.be.greaterThan(250);
    }
  );

  it('a pause() while the transcriber loads holds: the session begins paused, resume() streams', async () => {
    const { el, lazy } = await open({ preload: 'none' });
    await connect(el);
    expect(lazy()).to.deep.equal([]);
    const started = el.start();
    el.pause(); // before LiveTranscriber has loaded
    await started;
    expect(el.state).to.equal('paused');
    const frames = async () => (await fake!.records()).connections[0]?.frames.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await frames(), 'no audio while paused').to.equal(0);
    el.resume();
    await until(() => el.state === 'listening', 5000, 'listening after resume()');
    await until(async () => (await frames()) >= 10, 10_000, 'audio after resume()');
    await el.stop();
  });

  it('a chunk that fails to load: a retriable engine-load-failed error, and a retry works', async () => {
    const { el } = await open({ preload: 'none' });
    await connect(el);
    await executeServerCommand('block-requests', { pattern: `${CDN}engine-`, times: 1 });
    const failed = new Promise<LtErrorEvent>((resolve) =>
      el.addEventListener('lt-error', (e) => resolve(e as LtErrorEvent), { once: true })
    );
    const rejected = await el.start().catch((error: { code: string }) => error);
    const { error } = (await failed).detail;
    expect(rejected).to.equal(error);
    expect(error.code).to.equal('engine-load-failed');
    expect(error.retriable).to.equal(true);
    expect(error.message).to.match(/Could not load the transcription engine.*try again/);
    expect(el.state).to.equal('error');
    await el.updateComplete;
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry"]');
    expect(retry, 'a retry button').to.not.equal(null);
    retry!.click();
    await until(() => el.state === 'listening', 10_000, 'listening after the retry');
    await el.stop();
  });
});
