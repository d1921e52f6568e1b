// SPDX-License-Identifier: MIT
// <live-transcript> end to end: the fixture WAV as the microphone, the real AudioWorklet, real
// WebSocket frames to the fake AssemblyAI server running in Node (test-support/fake-server-plugin).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type {
  LiveTranscriptElement,
  LtErrorEvent,
  LtFinalEvent,
  LtStateChangeEvent,
} from '@live-transcript/element';
import '@live-transcript/element/define';
import {
  sentences,
  speechStream,
  startFakeServer,
  until,
  words,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';

const $ = (el: LiveTranscriptElement, selector: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(selector);
const finals = (el: LiveTranscriptElement) =>
  [...el.shadowRoot!.querySelectorAll('[part~="log"] [part~="text"]')].map((n) => n.textContent);
const button = (el: LiveTranscriptElement) => $(el, 'button[part~="control"]')!;
const visible = (node: Element | null) => !!node && getComputedStyle(node).display !== 'none';

describe('<live-transcript> end to end (fake server, fixture microphone)', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle;
  let expected: string[];

  before(async () => {
    expected = await sentences();
  });
  afterEach(async () => {
    await fake?.stop();
  });

  /** The element on the fake server; `null` leaves a default attribute out. */
  const element = (extra: Record<string, string | null> = {}) => {
    const el = document.createElement('live-transcript');
    for (const [name, value] of Object.entries({
      'token-url': fake.tokenUrl,
      url: fake.url,
      'speech-model': 'universal-streaming-english',
      'format-turns': '',
      ...extra,
    })) {
      if (value !== null) el.setAttribute(name, value);
    }
    return fixture<LiveTranscriptElement>(html`${el}`);
  };

  it('click → the three sentences as captions → stop', async () => {
    fake = await startFakeServer({ script: 'universal-english-format-turns-2025.jsonl' });
    const el = await element();
    const states: string[] = [];
    const finalEvents: string[] = [];
    let levels = 0;
    let loudest = 0;
    let turns = 0;
    let messages = 0;
    el.addEventListener('lt-state-change', (e: LtStateChangeEvent) => states.push(e.detail.state));
    el.addEventListener('lt-final', (e: LtFinalEvent) => finalEvents.push(e.detail.turn.text));
    el.addEventListener('lt-level', () => {
      levels++;
      loudest = Math.max(loudest, Number($(el, '[part~="level"]')!.getAttribute('aria-valuenow')));
    });
    el.addEventListener('lt-turn', () => turns++);
    el.addEventListener('lt-message', () => messages++);
    const begin = oneEvent(el, 'lt-begin');
    button(el).click();
    expect(el.state).to.equal('connecting');
    expect((await begin).detail.sessionId).to.be.a('string');
    expect(el.state).to.equal('listening');
    await el.updateComplete;
    expect(button(el).textContent!.trim()).to.equal('Stop');
    expect(visible($(el, '[part~="level"]'))).to.equal(true);

    // Partials show up outside the log before the first final.
    await until(() => !!$(el, '[part~="partial"]')!.textContent, 10_000, 'a partial');
    expect(finals(el)).to.deep.equal([]);
    await expect(el).to.be.accessible();

    await until(() => finals(el).length === 3, 30_000, 'three captions');
    expect(finals(el)).to.deep.equal(expected);
    expect(finalEvents).to.deep.equal(expected);
    expect(loudest, 'the meter moved').to.be.greaterThan(30);

    const end = oneEvent(el, 'lt-end');
    button(el).click();
    await end;
    await el.updateComplete;
    expect(el.state).to.equal('idle');
    expect(button(el).textContent!.trim()).to.equal('Start');
    expect(visible($(el, '[part~="partial"]'))).to.equal(false);
    expect(el.text).to.equal(expected.join('\n'));
    expect(el.export()).to.equal(expected.join('\n'));
    expect(states).to.deep.equal(['connecting', 'listening', 'stopping', 'idle']);
    expect(levels).to.be.greaterThan(50);
    expect(turns).to.be.greaterThan(10);
    expect(messages).to.be.greaterThan(turns);

    const { connections, tokens } = await fake.records();
    expect(connections).to.have.length(1);
    expect(connections[0]!.params).to.include({
      speech_model: 'universal-streaming-english',
      format_turns: 'true',
      sample_rate: '16000',
    });
    expect(connections[0]!.controls).to.deep.equal(['Terminate']);
    expect(tokens.map((t) => t.uses)).to.deep.equal([1]);
  });

  it('shows an error with a retry, and retries', async () => {
    fake = await startFakeServer();
    // One refusal (1008) is tried again with a new token; a second in a row is fatal.
    await fake.call('inject.refuse', { code: 1008, times: 2 });
    const el = await element({ 'no-reconnect': '' });
    const error = oneEvent(el, 'lt-error') as Promise<LtErrorEvent>;
    button(el).click();
    expect((await error).detail.error.code).to.equal('auth-failed');
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(el.error?.code).to.equal('auth-failed');
    const shown = $(el, '[part~="error"]')!;
    expect(visible(shown)).to.equal(true);
    expect(shown.textContent).to.contain(el.error!.message);
    await expect(el).to.be.accessible();

    const begin = oneEvent(el, 'lt-begin');
    $(el, '[part~="retry"]')!.click();
    await begin;
    await el.updateComplete;
    expect(el.state).to.equal('listening');
    expect(el.error).to.equal(undefined);
    expect($(el, '[part~="error"]')).to.equal(null);
    await el.stop();
    expect((await fake.records()).connections.map((c) => c.accepted)).to.deep.equal([
      false,
      false,
      true,
    ]);
  });

  it('renders a hostile transcript from the server as text', async () => {
    fake = await startFakeServer({ script: 'universal-english-format-turns-2025.jsonl' });
    const el = await element();
    const begin = oneEvent(el, 'lt-begin');
    button(el).click();
    await begin;
    const hostile = [
      '<img src=x onerror="window.__xss = 1">',
      '</style><style>*{display:none}</style><script>window.__xss = 2</script>',
      '{{constructor.constructor("window.__xss = 3")()}} ${window.__xss = 4}',
      '<svg><animate onbegin="window.__xss = 5" attributeName=x dur=1s>',
    ];
    for (const [i, text] of hostile.entries()) {
      const base = { type: 'Turn', turn_order: 100 + i, end_of_turn_confidence: 0.9 };
      const wordList = [{ text, start: 0, end: 100, confidence: 0.9, word_is_final: false }];
      await fake.call('send', {
        ...base,
        end_of_turn: false,
        turn_is_formatted: false,
        transcript: '',
        words: wordList,
        utterance: '',
      });
      await fake.call('send', {
        ...base,
        end_of_turn: true,
        turn_is_formatted: true,
        transcript: text,
        words: wordList.map((w) => ({ ...w, word_is_final: true })),
        utterance: text,
        speaker_label: '<i>A</i>',
      });
    }
    await until(
      () => hostile.every((text) => finals(el).includes(text)),
      10_000,
      'the hostile turns'
    );
    await el.stop();
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('img, script, svg, animate, i')).to.have.length(0);
    expect(root.querySelectorAll('style')).to.have.length(0);
    expect((window as { __xss?: number }).__xss).to.equal(undefined);
    expect(visible($(el, '[part~="log"]'))).to.equal(true);
    expect(el.transcript.turns.filter((t) => hostile.includes(t.text))).to.have.length(4);
  });

  it('sends live settings mid-session and the others at the next start, keeping the text', async () => {
    fake = await startFakeServer({ script: 'universal-english-format-turns-2025.jsonl' });
    const el = await element();
    await el.start();
    await until(() => finals(el).length >= 1, 20_000, 'a first caption');
    el.keyterms = ['Lit', 'AssemblyAI'];
    el.maxTurnSilence = 2000;
    el.speakerLabels = true;
    await el.updateComplete;
    el.forceEndpoint();
    el.pause();
    expect(el.state).to.equal('paused');
    el.resume();
    expect(el.state).to.equal('listening');
    await until(
      async () => (await fake.records()).connections[0]!.controls.includes('ForceEndpoint'),
      5000,
      'ForceEndpoint'
    );
    await el.stop();
    const first = (await fake.records()).connections[0]!;
    expect(first.controls.slice(0, 2)).to.deep.equal(['UpdateConfiguration', 'ForceEndpoint']);
    expect(first.params.speaker_labels).to.equal(undefined);
    const kept = finals(el);
    expect(kept.length).to.be.at.least(1);

    await el.start();
    await el.stop();
    const second = (await fake.records()).connections[1]!;
    expect(second.params).to.include({ speaker_labels: 'true', max_turn_silence: '2000' });
    expect(JSON.parse(second.params.keyterms_prompt!)).to.deep.equal(['Lit', 'AssemblyAI']);
    expect(finals(el).slice(0, kept.length)).to.deep.equal(kept);
  });

  it('never opens a socket for a bad attribute', async () => {
    fake = await startFakeServer();
    const el = await element({ 'sample-rate': 'abc' });
    expect(el.error?.code).to.equal('invalid-option');
    const error = oneEvent(el, 'lt-error') as Promise<LtErrorEvent>;
    button(el).click();
    expect((await error).detail.error.message).to.equal(
      'sample-rate must be a finite number, got "abc".'
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { connections, tokenRequests } = await fake.records();
    expect(connections).to.have.length(0);
    expect(tokenRequests).to.have.length(0);
  });

  it('counts down while reconnecting, then listens again', async () => {
    fake = await startFakeServer({
      script: 'universal-english.jsonl',
      continueAcrossSessions: true,
    });
    await fake.call('inject.drop', { afterAudioMs: 6500 });
    // The fake server finds where re-sent audio lies in the recording by its content, so this test
    // speaks the fixture itself (WebKit's mock microphone repeats one beep), from the first frame.
    const audio = await speechStream(undefined, { paused: true });
    try {
      const el = await element({ 'format-turns': null });
      el.source = audio.stream;
      el.reconnect = { baseDelayMs: 2500, maxDelayMs: 2500 };
      const reconnecting = oneEvent(el, 'lt-reconnecting');
      await el.start();
      audio.play();
      const { delayMs } = (await reconnecting).detail;
      await el.updateComplete;
      expect(el.state).to.equal('reconnecting');
      const shown = $(el, '[part~="status"] [aria-hidden]')!.textContent;
      expect(shown).to.match(delayMs >= 1000 ? /^Reconnecting in \d s$/ : /^Reconnecting…$/);
      // (A loaded machine may add an audio warning to what is announced: "…. Audio stalled".)
      expect($(el, '[role="status"]')!.textContent).to.match(/^Reconnecting…(\. |$)/);
      await oneEvent(el, 'lt-begin');
      expect(el.state).to.equal('listening');
      await until(
        () => words(finals(el).join(' ')) === words(expected.join(' ')),
        30_000,
        'every word after the reconnect'
      );
      await el.stop();
    } finally {
      await audio.close();
    }
  });

  it('stops when removed from the page, not when moved', async () => {
    fake = await startFakeServer();
    const el = await element();
    await el.start();
    const parent = el.parentElement!;
    parent.append(el); // a move: disconnected and connected in the same task
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(el.state).to.equal('listening');
    const end = oneEvent(el, 'lt-end');
    el.remove();
    await end;
    expect(el.state).to.equal('idle');
    await until(
      async () => (await fake.records()).connections.every((c) => c.closed !== null),
      3000,
      'the socket closed'
    );
  });
});
