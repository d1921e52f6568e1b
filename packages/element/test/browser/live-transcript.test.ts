// SPDX-License-Identifier: MIT
// <live-transcript> in a real browser: registration, structure, attributes and properties,
// invalid options, events, rendering (O(1) updates, hostile text, auto-scroll), labels, a11y.
// The transcriber's events are simulated here (see simulate.ts); e2e.test.ts runs the real
// pipeline against the fake server.
import { expect, fixture, html, nextFrame, oneEvent } from '@open-wc/testing';
import {
  DEFAULT_LABELS,
  LiveTranscriptElement,
  LtBeginEvent,
  LtDeviceChangeEvent,
  LtEndEvent,
  LtErrorEvent,
  LtFinalEvent,
  LtLevelEvent,
  LtMessageEvent,
  LtReconnectingEvent,
  LtSpeechStartEvent,
  LtStateChangeEvent,
  LtTurnEvent,
  LtWarningEvent,
} from '@live-transcript/element';
import '@live-transcript/element/define';
import { emulateMedia } from '@web/test-runner-commands';
import { skipIn } from '../../../../test-support/browser/engines.js';
import type { LiveTranscriberEvents } from '@live-transcript/core';
import { optionSamples } from '../../../../test-support/browser/option-samples.js';
import { until } from '../../../../test-support/browser/fake-server.js';
import {
  emit,
  feed,
  loaded,
  LiveTranscriptError,
  setState,
  turnMessage,
  transcriberOf,
} from './simulate.js';
import { applyMessage } from '@live-transcript/core/session';

const TOKEN = '/token-route-that-is-never-called';

async function make(attributes = '', token = TOKEN) {
  const wrapper = await fixture<HTMLDivElement>(
    `<div><live-transcript ${token ? `token-url="${token}"` : ''} ${attributes}></live-transcript></div>`
  );
  const el = wrapper.firstElementChild as LiveTranscriptElement;
  await el.updateComplete;
  if (token) await loaded(el);
  return el;
}

const $ = (el: LiveTranscriptElement, selector: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(selector);
const $$ = (el: LiveTranscriptElement, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<HTMLElement>(selector),
];
const finals = (el: LiveTranscriptElement) =>
  $$(el, '[part~="log"] [part~="turn"] [part~="text"]').map((n) => n.textContent);
const partial = (el: LiveTranscriptElement) => $(el, '[part~="partial"]')!;
const visible = (node: Element | null) => !!node && getComputedStyle(node).display !== 'none';

async function listening(el: LiveTranscriptElement) {
  setState(el, 'connecting');
  setState(el, 'listening');
  await el.updateComplete;
}

describe('<live-transcript>', function () {
  // The first audit loads axe, the first element its engine: slow on a busy machine.
  this.timeout(30_000);
  it('passes the a11y audit (idle)', async () => {
    const el = await make();
    await expect(el).to.be.accessible();
  });

  it('passes the a11y audit while listening, with finals, a partial and speakers', async () => {
    const el = await make('show-timestamps speaker-labels');
    await listening(el);
    feed(el, turnMessage(0, 'Hello there.', { speaker: 'A' }));
    feed(el, turnMessage(1, 'and then', { final: false, speaker: 'B' }));
    emit(el, 'level', { rms: -20, peak: -6 });
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('passes the a11y audit in the error state (with retry) and with an invalid option', async () => {
    const el = await make();
    setState(el, 'error', new LiveTranscriptError('network', 'The network failed: try again.'));
    await el.updateComplete;
    expect($(el, '[part~="retry"]')).to.not.equal(null);
    expect($(el, 'button[part~="diagnostics"]')!.textContent!.trim()).to.equal('Copy diagnostics');
    await expect(el).to.be.accessible();
    const invalid = await make('region="mars"');
    await expect(invalid).to.be.accessible();
  });

  it('passes the a11y audit in the dark scheme (colours and contrast)', async () => {
    const el = await make('speaker-labels show-timestamps');
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(255, 255, 255)');
    el.style.colorScheme = 'dark';
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(13, 17, 23)');
    expect(getComputedStyle($(el, 'button[part~="control"]')!).backgroundColor).to.equal(
      'rgb(68, 147, 248)'
    );
    await listening(el);
    feed(el, turnMessage(0, 'Hello there.', { speaker: 'A' }));
    feed(el, turnMessage(1, 'and then', { final: false }));
    await el.updateComplete;
    await expect(el).to.be.accessible();
    setState(el, 'error', new LiveTranscriptError('network', 'The network failed: try again.'));
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('follows the page: color-scheme on an ancestor, inherited', async () => {
    const el = await make();
    el.style.colorScheme = 'inherit';
    el.parentElement!.style.colorScheme = 'dark';
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(13, 17, 23)');
    el.parentElement!.style.colorScheme = 'light';
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(255, 255, 255)');
  });

  // Media emulation needs the DevTools protocol: Firefox (WebDriver BiDi) and WebKit (WebDriver)
  // cannot switch the preference, which the tests above cover through color-scheme.
  skipIn(['firefox', 'webkit'], 'no prefers-color-scheme emulation without CDP')(
    "follows the reader's preference (prefers-color-scheme)",
    async () => {
      const el = await make();
      await emulateMedia({ colorScheme: 'dark' });
      try {
        expect(getComputedStyle(el).backgroundColor).to.equal('rgb(13, 17, 23)');
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(255, 255, 255)');
    }
  );

  it('registers the tag once, idempotently, and refuses another class', () => {
    expect(customElements.get('live-transcript')).to.equal(LiveTranscriptElement);
    LiveTranscriptElement.define();
    expect(customElements.get('live-transcript')).to.equal(LiveTranscriptElement);
    class Renamed extends LiveTranscriptElement {}
    Renamed.define('lt-other-name');
    Renamed.define('lt-other-name');
    expect(customElements.get('lt-other-name')).to.equal(Renamed);
    expect(() => class extends LiveTranscriptElement {}.define()).to.throw(/already defined/);
    expect(document.createElement('live-transcript')).to.be.instanceOf(LiveTranscriptElement);
  });

  it('renders the documented shadow DOM (idle)', async () => {
    const el = await make();
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el).shadowDom.to.equal(
      `<div part="base">
        <div part="header" class="bar">
          <slot name="control">
            <button part="control" type="button" class="">
              <span class="icon"></span>Start
            </button>
          </slot>
          <div part="status">
            <span class="sr" role="status">Not listening</span>
            <span aria-hidden="true">Not listening</span>
          </div>
          <div part="level" role="meter" aria-label="Microphone level" aria-valuemin="0"
            aria-valuemax="100" aria-valuenow="0" hidden><div></div></div>
        </div>
        <div part="transcript" tabindex="0">
          <div part="log" role="log" aria-live="polite" aria-label="Transcript"></div>
          <p part="partial" aria-hidden="true" hidden></p>
          <div part="empty">
            <slot name="empty">Press Start and speak: captions appear here.</slot>
          </div>
        </div>
      </div>`
    );
  });

  describe('attributes and properties', () => {
    // attribute, value, property, property value, core option path, core option value
    // Every option of the core table that has an attribute, then the element's own.
    const cases: [string, string, string, unknown, string, unknown][] = [
      ...optionSamples()
        .filter((sample) => sample.attribute)
        .map(
          ({
            attribute,
            text,
            property,
            value,
            key,
          }): [string, string, string, unknown, string, unknown] => [
            attribute!,
            text!,
            property,
            value,
            key,
            value,
          ]
        ),
      ['no-reconnect', '', 'noReconnect', true, 'reconnect', false],
      ['show-timestamps', '', 'showTimestamps', true, '', undefined],
    ];
    const read = (object: unknown, path: string) =>
      path.split('.').reduce((o: any, key) => o?.[key], object); // eslint-disable-line @typescript-eslint/no-explicit-any

    for (const [attribute, value, name, expected, option, optionValue] of cases) {
      it(`${attribute} ↔ ${name}${option ? ` → core ${option}` : ''}`, async () => {
        const el = await make(`${attribute}="${value}"`, attribute === 'token-url' ? '' : TOKEN);
        const properties = el as unknown as Record<string, unknown>;
        expect(properties[name]).to.deep.equal(expected);
        if (option) expect(read(transcriberOf(el).options, option)).to.deep.equal(optionValue);
        expect(el.state).to.equal('idle');
        // Removing the attribute goes back to the default; setting the property works the same.
        el.removeAttribute(attribute);
        await el.updateComplete;
        const reset = properties[name];
        expect(
          reset == null || reset === false || (Array.isArray(reset) && !reset.length),
          `${name} after removing the attribute: ${String(reset)}`
        ).to.equal(true);
        if (attribute === 'token-url') return;
        if (option) expect(read(transcriberOf(el).options, option)).to.equal(undefined);
        properties[name] = expected;
        await el.updateComplete;
        if (option) expect(read(transcriberOf(el).options, option)).to.deep.equal(optionValue);
      });
    }

    it('for names a media by id, as <label for> does, following the DOM; media wins over it', async () => {
      const el = await make('for="talk"');
      const wrapper = el.parentElement!;
      const source = () => transcriberOf(el).options.source as unknown;
      expect(el.htmlFor).to.equal('talk');
      // Nothing of that id yet: a source that fails at start and says why.
      expect(source()).to.not.be.an.instanceOf(HTMLMediaElement);
      const audio = document.createElement('audio');
      audio.id = 'talk';
      wrapper.append(audio);
      await until(() => source() === audio, 2000, 'the media, once it is in the document');
      audio.id = 'renamed';
      await until(() => source() !== audio, 2000, 'no media once the id changed');
      const video = document.createElement('video');
      el.media = video; // not in the document: a property needs no id
      await el.updateComplete;
      expect(source()).to.equal(video);
      el.media = undefined;
      el.htmlFor = 'renamed';
      await el.updateComplete;
      expect(source()).to.equal(audio);
      el.removeAttribute('for');
      await el.updateComplete;
      expect(source()).to.equal(undefined);
    });

    it('leaves unset options to the core and the server (false booleans are not sent)', async () => {
      const el = await make();
      const options = transcriberOf(el).options as Record<string, unknown>;
      for (const key of [
        'formatTurns',
        'speakerLabels',
        'sampleRate',
        'speechModel',
        'keytermsPrompt',
        'reconnect',
      ]) {
        expect(options[key], key).to.equal(undefined);
      }
    });

    it('passes the property-only options through', async () => {
      const el = await make('device-id="mic-1"');
      const getToken = async () => 'token';
      const init: RequestInit = { method: 'POST' };
      const stream = new MediaStream();
      el.getToken = getToken;
      el.tokenRequestInit = init;
      el.microphone = { echoCancellation: true };
      el.source = stream;
      el.extraParams = { new_param: 1 };
      el.reconnect = { maxAttempts: 2 };
      await el.updateComplete;
      const options = transcriberOf(el).options;
      // Wrapped by the binding, so that a later getToken is used without a new transcriber.
      expect(await options.getToken!(new AbortController().signal)).to.equal('token');
      expect(options.tokenRequestInit).to.equal(init);
      expect(options.microphone).to.deep.equal({ echoCancellation: true });
      expect(options.deviceId).to.equal('mic-1');
      expect(options.source).to.equal(stream);
      expect(options.extraParams).to.deep.equal({ new_param: 1 });
      expect(options.reconnect).to.deep.equal({ maxAttempts: 2 });
      expect(options.transcript).to.equal(el.transcript);
    });

    it('accepts attribute text set as a property (as Vue does)', async () => {
      const el = await make();
      Object.assign(el, {
        sampleRate: '8000',
        keyterms: 'a, b',
        maxSpeakers: '2',
        languageCodes: 'en',
      });
      await el.updateComplete;
      const options = transcriberOf(el).options;
      expect(options.sampleRate).to.equal(8000);
      expect(options.maxSpeakers).to.equal(2);
      expect(options.keytermsPrompt).to.deep.equal(['a', 'b']);
      expect(options.languageCodes).to.deep.equal(['en']);
      el.frameMs = 'abc' as never;
      await el.updateComplete;
      expect(el.error?.message).to.equal('frameMs must be a finite number, got "abc".');
    });

    it('reflects a read-only state', async () => {
      const el = await make();
      expect(() => ((el as unknown as { state: string }).state = 'listening')).to.throw();
      await listening(el);
      expect(el.state).to.equal('listening');
      expect(el.getAttribute('state')).to.equal('listening');
      expect(el.matches('[state="listening"]')).to.equal(true);
    });
  });

  describe('invalid options', () => {
    for (const [attributes, message] of [
      ['sample-rate="abc"', /sample-rate must be a finite number, got "abc"/],
      ['max-speakers="two"', /max-speakers must be a finite number, got "two"/],
      ['region="mars"', /region must be "us" or "eu", got "mars"/],
      ['url="ftp://example.test/"', /ws: or wss:/],
      ['sample-rate="96000"', /sample-rate must be an integer from 8000 to 48000/],
      ['frame-ms="10"', /frame-ms must be a number from 50 to 1000, got 10/],
      [
        'device-policy="sometimes"',
        /device-policy must be "follow-default" or "stop", got "sometimes"/,
      ],
      ['region="mars" url="wss://example.test/v3/ws"', /region must be "us" or "eu"/],
      ['max-speakers="11"', /max-speakers must be an integer from 1 to 10, got 11/],
      ['max-speakers="1.5"', /max-speakers must be an integer from 1 to 10, got 1.5/],
      ['inactivity-timeout="2"', /inactivity-timeout must be an integer from 5 to 3600, got 2/],
      ['vad-threshold="1.2"', /vad-threshold must be a number from 0 to 1, got 1.2/],
      [
        'end-of-turn-confidence-threshold="-0.1"',
        /end-of-turn-confidence-threshold must be a number from 0 to 1/,
      ],
      ['min-turn-silence="-5"', /min-turn-silence must be a number ≥ 0, got -5/],
      ['source="speakers"', /source must be "microphone" or "display", got "speakers"/],
    ] as const) {
      it(`${attributes}: lt-error (invalid-option), the error state and a visible message`, async () => {
        const errors: LtErrorEvent[] = [];
        const wrapper = await fixture<HTMLDivElement>(
          html`<div @lt-error=${(e: LtErrorEvent) => errors.push(e)}></div>`
        );
        wrapper.innerHTML = `<live-transcript token-url="${TOKEN}" ${attributes}></live-transcript>`;
        const el = wrapper.firstElementChild as LiveTranscriptElement;
        await el.updateComplete;
        expect(errors).to.have.length(1);
        expect(errors[0]).to.be.instanceOf(LtErrorEvent);
        expect(errors[0]!.detail.error.code).to.equal('invalid-option');
        expect(errors[0]!.detail.error.message).to.match(message);
        expect(el.error).to.equal(errors[0]!.detail.error);
        expect(el.state).to.equal('error');
        expect(el.getAttribute('state')).to.equal('error');
        const shown = $(el, '[part~="error"]')!;
        expect(visible(shown)).to.equal(true);
        expect(shown.getAttribute('role')).to.equal('alert');
        expect(shown.textContent).to.match(message);
        expect($(el, '[part~="retry"]'), 'no retry for a bad option').to.equal(null);
        // start() refuses too (no socket is ever opened for a bad option).
        const rejected = await el.start().then(
          () => undefined,
          (e: LiveTranscriptError) => e
        );
        expect(rejected?.code).to.equal('invalid-option');
        expect(el.state).to.equal('error');
        // Fixing the option clears the error.
        const name = attributes.split('=')[0]!;
        el.removeAttribute(name);
        await el.updateComplete;
        expect(el.error).to.equal(undefined);
        expect(el.state).to.equal('idle');
        expect($(el, '[part~="error"]')).to.equal(null);
      });
    }

    it('a NaN property names the property', async () => {
      const el = await make();
      const event = oneEvent(el, 'lt-error') as Promise<LtErrorEvent>;
      el.vadThreshold = Number('x');
      expect((await event).detail.error.message).to.equal(
        'vadThreshold must be a finite number, got NaN.'
      );
    });

    it('no token source: start() fails with a clear message, setting one fixes it', async () => {
      const el = await fixture<LiveTranscriptElement>(html`<live-transcript></live-transcript>`);
      expect(el.state, 'no complaint before start()').to.equal('idle');
      expect(el.error).to.equal(undefined);
      const event = oneEvent(el, 'lt-error') as Promise<LtErrorEvent>;
      $(el, 'button')!.click();
      const { error } = (await event).detail;
      expect(error.code).to.equal('invalid-option');
      expect(error.message).to.match(/Set tokenUrl .* or getToken/);
      await el.updateComplete;
      expect($(el, '[part~="error"]')!.textContent).to.match(/Set tokenUrl/);
      el.getToken = () => 'token';
      await el.updateComplete;
      expect(el.state).to.equal('idle');
      expect(el.error).to.equal(undefined);
    });
  });

  describe('events', () => {
    const EVENT_CLASSES = {
      'state-change': LtStateChangeEvent,
      begin: LtBeginEvent,
      'speech-start': LtSpeechStartEvent,
      turn: LtTurnEvent,
      final: LtFinalEvent,
      level: LtLevelEvent,
      reconnecting: LtReconnectingEvent,
      error: LtErrorEvent,
      end: LtEndEvent,
      message: LtMessageEvent,
      warning: LtWarningEvent,
      'device-change': LtDeviceChangeEvent,
    };

    it('re-dispatches every core event as lt-<name>: same detail, bubbles, composed', async () => {
      const el = await make();
      const store = el.transcript;
      applyMessage(store, turnMessage(0, 'One.'), { sessionId: 's' });
      const turn = store.turns[0]!;
      const details: { [K in keyof LiveTranscriberEvents]: LiveTranscriberEvents[K] } = {
        'state-change': { state: 'connecting', previous: 'idle', reason: 'start' },
        begin: { sessionId: 's', expiresAt: 123 },
        'speech-start': { timestamp: 500, confidence: 0.9 },
        turn: { turn, transcript: store.getSnapshot() },
        final: { turn },
        level: { rms: -30, peak: -12 },
        reconnecting: { attempt: 1, delayMs: 500, error: new LiveTranscriptError('network', 'x') },
        error: { error: new LiveTranscriptError('network', 'y') },
        end: { audioDurationSeconds: 1, sessionDurationSeconds: 2 },
        message: { message: { type: 'Unknown' } as never, sessionId: 's' },
        warning: { code: 'audio-dropped', message: 'z' },
        'device-change': { deviceId: 'mic-2', label: 'USB microphone' },
      };
      // Listen on the document: the events cross the shadow boundary and bubble.
      for (const [name, detail] of Object.entries(details) as Array<
        [keyof LiveTranscriberEvents, never]
      >) {
        const seen = oneEvent(document, `lt-${name}`);
        emit(el, name, detail);
        const event = await seen;
        expect(event, name).to.be.instanceOf(EVENT_CLASSES[name]);
        expect(event.type).to.equal(`lt-${name}`);
        expect(event.detail, name).to.equal(detail);
        expect(event.bubbles && event.composed, name).to.equal(true);
        expect(event.cancelable).to.equal(false);
        expect(event.target).to.equal(el);
      }
    });

    it('updates its own state before listeners of lt-state-change and lt-error run', async () => {
      const el = await make();
      const seen: Array<[string, string | undefined]> = [];
      el.addEventListener('lt-state-change', () => seen.push([el.state, el.error?.code]));
      el.addEventListener('lt-error', () => seen.push([el.state, el.error?.code]));
      el.getToken = () => Promise.reject(new LiveTranscriptError('microphone-denied', 'Denied.'));
      await el.start().catch(() => undefined);
      expect(seen).to.deep.equal([
        ['connecting', undefined],
        ['error', 'microphone-denied'],
        ['error', 'microphone-denied'],
      ]);
    });

    it('stops re-dispatching from a replaced transcriber', async () => {
      const el = await make();
      const old = transcriberOf(el);
      el.sampleRate = 8000;
      await el.updateComplete;
      expect(el.transcriber).to.not.equal(old);
      let count = 0;
      el.addEventListener('lt-warning', () => count++);
      const detail = { code: 'clipping', message: 'y' } as const;
      old.dispatchEvent(new CustomEvent('warning', { detail }));
      expect(count).to.equal(0);
      emit(el, 'warning', detail);
      expect(count).to.equal(1);
      expect(el.transcriber!.transcript, 'the transcript is kept').to.equal(old.transcript);
    });
  });

  describe('rendering', () => {
    it('appends finals to the log, shows the partial apart, and shows the empty state', async () => {
      const el = await make('format-turns speech-model="universal-streaming-english"');
      await listening(el);
      const empty = $(el, '[part~="empty"]')!;
      expect(visible(empty)).to.equal(true);
      expect(empty.textContent!.trim()).to.equal(DEFAULT_LABELS.emptyRunning);
      feed(el, turnMessage(0, 'hello wor', { final: false }));
      await el.updateComplete;
      expect(visible(empty)).to.equal(false);
      expect(partial(el).textContent).to.equal('hello wor');
      expect(partial(el).getAttribute('aria-hidden')).to.equal('true');
      expect(partial(el).closest('[role="log"]')).to.equal(null);
      expect(finals(el)).to.deep.equal([]);
      // Final but not formatted yet (format-turns): stays a partial, not announced yet.
      feed(el, turnMessage(0, 'hello world', { final: true, formatted: false }));
      await el.updateComplete;
      expect(finals(el)).to.deep.equal([]);
      expect(partial(el).textContent).to.equal('hello world');
      feed(el, turnMessage(0, 'Hello, world!', { final: true, formatted: true }));
      await el.updateComplete;
      expect(finals(el)).to.deep.equal(['Hello, world!']);
      expect(visible(partial(el))).to.equal(false);
      feed(el, turnMessage(1, 'second', { final: false }));
      feed(el, turnMessage(1, 'Second turn.'));
      await el.updateComplete;
      expect(finals(el)).to.deep.equal(['Hello, world!', 'Second turn.']);
      expect(el.text).to.equal('Hello, world!\nSecond turn.');
      const log = $(el, '[part~="log"]')!;
      expect(log.getAttribute('role')).to.equal('log');
      expect(log.getAttribute('aria-live')).to.equal('polite');
      expect(log.hasAttribute('aria-atomic')).to.equal(false);
    });

    it('touches nothing in the log for a partial, and one node for a final (O(1) updates)', async () => {
      const el = await make();
      await listening(el);
      const count = 49; // the second new final starts a new chunk of the log
      for (let i = 0; i < count; i++) feed(el, turnMessage(i, `Turn number ${i}.`));
      await el.updateComplete;
      const log = $(el, '[part~="log"]')!;
      const before = $$(el, '[part~="turn"]');
      const mutations: MutationRecord[] = [];
      const observer = new MutationObserver((records) => mutations.push(...records));
      observer.observe(log, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      for (const text of ['and', 'and so', 'and so on']) {
        feed(el, turnMessage(count, text, { final: false }));
        await el.updateComplete;
      }
      mutations.push(...observer.takeRecords());
      expect(mutations, 'partials do not touch the log').to.have.length(0);
      expect(partial(el).textContent).to.equal('and so on');
      // Each new final adds its own node and touches no other turn (in a chunk or a new one).
      for (let i = 0; i < 3; i++) {
        feed(el, turnMessage(count + i, `And so on ${i}.`));
        await el.updateComplete;
        mutations.push(...observer.takeRecords());
        const after = $$(el, '[part~="turn"]');
        expect(after.slice(0, before.length + i)).to.deep.equal([
          ...before,
          ...after.slice(before.length, before.length + i),
        ]);
        const added = after[before.length + i]!;
        expect(mutations.length).to.be.greaterThan(0);
        for (const m of mutations) {
          expect(m.removedNodes, 'nothing removed').to.have.length(0);
          expect(
            added.contains(m.target) || [...m.addedNodes].some((n) => n.contains(added)),
            'only the new turn is touched'
          ).to.equal(true);
        }
        mutations.length = 0;
      }
      expect(finals(el).slice(-3)).to.deep.equal(['And so on 0.', 'And so on 1.', 'And so on 2.']);
      // A later copy of a final (a speaker revision) re-renders that turn only.
      feed(
        el,
        { type: 'SpeakerRevision', revisions: [{ turn_order: 3, speaker_label: 'B' }] },
        'session-1'
      );
      await el.updateComplete;
      mutations.push(...observer.takeRecords());
      observer.disconnect();
      expect(mutations.length).to.be.greaterThan(0);
      expect(mutations.every((m) => before[3]!.contains(m.target))).to.equal(true);
      expect(before[3]!.querySelector('[part~="speaker"]')!.textContent).to.equal('Speaker B');
    });

    it('updates the level meter without rendering', async () => {
      const el = await make();
      await listening(el);
      const meter = $(el, '[part~="level"]')!;
      expect(visible(meter)).to.equal(true);
      emit(el, 'level', { rms: -30, peak: -10 });
      expect(el.isUpdatePending, 'no Lit update for a level').to.equal(false);
      expect(meter.style.getPropertyValue('--_value')).to.equal('0.5');
      expect(meter.getAttribute('aria-valuenow')).to.equal('50');
      emit(el, 'level', { rms: -100, peak: -100 });
      expect(meter.getAttribute('aria-valuenow')).to.equal('0');
    });

    it('renders hostile transcripts as text', async () => {
      const el = await make('show-timestamps');
      await listening(el);
      const hostile = [
        '<img src=x onerror="window.__xss=1">',
        '</style><script>window.__xss=2</script>',
        '<svg onload=window.__xss=3>',
        '{{constructor.constructor("window.__xss=4")()}}',
        '${window.__xss=5} <!-- comment --> &lt;b&gt; &amp;',
        '<lit-part> </p><p part="turn">fake</p>',
      ];
      hostile.forEach((text, i) => feed(el, turnMessage(i, text, { speaker: '<b>A</b>' })));
      feed(el, turnMessage(hostile.length, '<iframe src="javascript:alert(1)">', { final: false }));
      await el.updateComplete;
      expect(finals(el)).to.deep.equal(hostile);
      expect(partial(el).textContent).to.equal('<iframe src="javascript:alert(1)">');
      expect(
        el.shadowRoot!.querySelectorAll('img, script, svg, iframe, b, style:not(:first-child)')
      ).to.have.length(0);
      expect($$(el, '[part~="turn"]')).to.have.length(hostile.length);
      expect($(el, '[part~="speaker"]')!.textContent).to.equal('Speaker <b>A</b>');
      expect((window as { __xss?: number }).__xss).to.equal(undefined);
    });

    it('shows speakers when the server labels them, and timestamps with show-timestamps', async () => {
      const el = await make('speaker-labels');
      await listening(el);
      feed(el, turnMessage(0, 'First.', { speaker: 'A' }));
      feed(el, turnMessage(1, 'Second.', { speaker: 'B' }));
      await el.updateComplete;
      expect($$(el, '[part~="speaker"]').map((n) => n.textContent)).to.deep.equal([
        'Speaker A',
        'Speaker B',
      ]);
      expect($$(el, '[part~="timestamp"]')).to.have.length(0);
      el.showTimestamps = true;
      await el.updateComplete;
      const times = $$(el, 'time[part~="timestamp"]');
      expect(times).to.have.length(2);
      expect(times[0]!.textContent).to.match(/^\d+:\d\d$/);
      expect(times[0]!.getAttribute('datetime')).to.match(/^PT\d+S$/);
      el.labels = { speaker: 'Locuteur {speaker}' };
      await el.updateComplete;
      expect($$(el, '[part~="speaker"]').map((n) => n.textContent)).to.deep.equal([
        'Locuteur A',
        'Locuteur B',
      ]);
    });

    it('follows new text, stops when the reader scrolls up, resumes at the bottom', async () => {
      const el = await make();
      el.style.setProperty('--live-transcript-max-height', '120px');
      await listening(el);
      const scroller = $(el, '[part~="transcript"]')!;
      const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 2;
      for (let i = 0; i < 30; i++) feed(el, turnMessage(i, `Line ${i} of a transcript.`));
      await el.updateComplete;
      await nextFrame();
      expect(scroller.scrollHeight).to.be.greaterThan(scroller.clientHeight);
      expect(atBottom()).to.equal(true);
      scroller.scrollTop = 0;
      await oneEvent(scroller, 'scroll');
      feed(el, turnMessage(30, 'New line.'));
      feed(el, turnMessage(31, 'partial', { final: false }));
      await el.updateComplete;
      await nextFrame();
      await nextFrame();
      expect(scroller.scrollTop).to.equal(0);
      scroller.scrollTop = scroller.scrollHeight;
      await oneEvent(scroller, 'scroll');
      feed(el, turnMessage(31, 'Another new line.'));
      await el.updateComplete;
      await nextFrame();
      await nextFrame();
      expect(atBottom()).to.equal(true);
    });

    it('counts down to the next attempt while reconnecting', async () => {
      const el = await make();
      await listening(el);
      setState(el, 'reconnecting');
      emit(el, 'reconnecting', {
        attempt: 1,
        delayMs: 2000,
        error: new LiveTranscriptError('network', 'x'),
      });
      await el.updateComplete;
      const status = $(el, '[part~="status"]')!;
      expect(status.querySelector('[aria-hidden]')!.textContent).to.equal('Reconnecting in 2 s');
      expect(status.querySelector('[role="status"]')!.textContent, 'announced once').to.equal(
        'Reconnecting…'
      );
      await new Promise((resolve) => setTimeout(resolve, 1300));
      await el.updateComplete;
      expect(status.querySelector('[aria-hidden]')!.textContent).to.equal('Reconnecting in 1 s');
      setState(el, 'listening');
      await el.updateComplete;
      expect(status.textContent!.trim()).to.equal('ListeningListening');
    });

    it('says so, seen and announced, while reconnecting with the browser offline', async () => {
      const el = await make();
      await listening(el);
      Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
      try {
        setState(el, 'reconnecting');
        emit(el, 'reconnecting', {
          attempt: 1,
          delayMs: 10_000,
          error: new LiveTranscriptError('network', 'x'),
        });
        await el.updateComplete;
      } finally {
        delete (navigator as { onLine?: boolean }).onLine;
      }
      const status = $(el, '[part~="status"]')!;
      expect(status.querySelector('[aria-hidden]')!.textContent).to.equal(
        'Offline: waiting for the network'
      );
      expect(status.querySelector('[role="status"]')!.textContent).to.equal(
        'Offline: waiting for the network'
      );
      // Back online, the next attempt fails too: the countdown again.
      emit(el, 'reconnecting', {
        attempt: 2,
        delayMs: 2000,
        error: new LiveTranscriptError('network', 'x'),
      });
      await el.updateComplete;
      expect(status.querySelector('[aria-hidden]')!.textContent).to.equal('Reconnecting in 2 s');
      setState(el, 'listening');
      await el.updateComplete;
      expect(status.textContent!.trim()).to.equal('ListeningListening');
    });

    it('shows every state in the status line and the button', async () => {
      const el = await make();
      const button = $(el, 'button[part~="control"]') as HTMLButtonElement;
      for (const state of [
        'connecting',
        'listening',
        'paused',
        'reconnecting',
        'stopping',
        'idle',
      ] as const) {
        setState(el, state);
        await el.updateComplete;
        expect($(el, '[role="status"]')!.textContent).to.equal(DEFAULT_LABELS[state]);
        expect(button.textContent!.trim()).to.equal(
          state === 'idle' || state === 'stopping' ? 'Start' : 'Stop'
        );
        expect(button.disabled).to.equal(state === 'stopping');
      }
    });
  });

  describe('labels', () => {
    it('merges labels over the English defaults', async () => {
      const el = await make();
      el.labels = {
        start: 'Démarrer',
        idle: 'En attente',
        empty: 'Rien pour le moment.',
        level: 'Niveau du micro',
        transcript: 'Transcription',
        errorMessage: 'Erreur : {message}',
        errors: { 'microphone-denied': 'Autorisez le micro.' },
        retry: 'Réessayer',
        diagnostics: 'Copier le diagnostic',
      };
      await el.updateComplete;
      expect($(el, 'button')!.textContent!.trim()).to.equal('Démarrer');
      expect($(el, '[role="status"]')!.textContent).to.equal('En attente');
      expect($(el, 'slot[name="empty"]')!.textContent).to.equal('Rien pour le moment.');
      expect($(el, '[role="meter"]')!.getAttribute('aria-label')).to.equal('Niveau du micro');
      expect($(el, '[role="log"]')!.getAttribute('aria-label')).to.equal('Transcription');
      setState(el, 'connecting');
      expect(el.labels.stop).to.equal(undefined);
      await el.updateComplete;
      expect($(el, 'button')!.textContent!.trim()).to.equal('Stop');
      setState(el, 'error', new LiveTranscriptError('microphone-denied', 'Denied (English).'));
      await el.updateComplete;
      expect($(el, '[part~="error"] span')!.textContent).to.equal('Erreur : Autorisez le micro.');
      expect($(el, '[part~="retry"]')!.textContent!.trim()).to.equal('Réessayer');
      expect($(el, '[part~="diagnostics"]')!.textContent!.trim()).to.equal('Copier le diagnostic');
      await expect(el).to.be.accessible();
    });

    it('shows each audio warning with a label in the status line, until the run ends', async () => {
      const el = await make();
      await listening(el);
      const warning = () => $(el, '[part~="warning"]')?.textContent ?? null;
      const codes = [
        'clipping',
        'too-quiet',
        'silence',
        'no-frames',
        'low-bandwidth-input',
        'track-muted',
        'device-lost',
        'audio-dropped',
        'device-switch-failed',
      ] as const;
      for (const code of codes) {
        emit(el, 'warning', { code, message: `The ${code} message (English).` });
        await el.updateComplete;
        const camel = code.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
        const label = DEFAULT_LABELS[`warning${camel[0]!.toUpperCase()}${camel.slice(1)}` as never];
        expect(label, code).to.be.a('string');
        expect(warning(), code).to.equal(label);
        expect($(el, '[role="status"]')!.textContent).to.equal(`Listening. ${label}`);
      }
      await expect(el).to.be.accessible();
      // A code without a label is an event only; the last warning stays.
      emit(el, 'warning', { code: 'malformed-message', message: 'x' });
      await el.updateComplete;
      expect(warning()).to.equal(DEFAULT_LABELS.warningDeviceSwitchFailed);
      // Translated; nothing stopped; gone once the run ends.
      el.labels = { warningClipping: 'Trop fort' };
      emit(el, 'warning', { code: 'clipping', message: 'x' });
      await el.updateComplete;
      expect(warning()).to.equal('Trop fort');
      expect(el.state).to.equal('listening');
      setState(el, 'stopping');
      setState(el, 'idle');
      await el.updateComplete;
      expect(warning()).to.equal(null);
      expect($(el, '[role="status"]')!.textContent).to.equal('Not listening');
    });
  });

  describe('methods', () => {
    it('export() in every format, and rejects an unknown one', async () => {
      const el = await make();
      feed(el, turnMessage(0, 'One.', { speaker: 'A' }));
      feed(el, turnMessage(1, 'Two.', { speaker: 'B' }));
      expect(el.export()).to.equal('Speaker A: One.\nSpeaker B: Two.');
      expect(el.export('text')).to.equal(el.export());
      expect(
        JSON.parse(el.export('json')).turns.map((t: { text: string }) => t.text)
      ).to.deep.equal(['One.', 'Two.']);
      expect(el.export('vtt')).to.match(/^WEBVTT/);
      expect(el.export('vtt')).to.contain('<v Speaker A>One.');
      expect(el.export('srt')).to.match(/^1\n\d\d:\d\d:\d\d,\d{3} --> /);
      expect(() => el.export('docx' as never)).to.throw(/export\(\) takes/);
    });

    it('clear() empties the store and the screen', async () => {
      const el = await make();
      await listening(el);
      feed(el, turnMessage(0, 'One.'));
      feed(el, turnMessage(1, 'tw', { final: false }));
      await el.updateComplete;
      el.clear();
      await el.updateComplete;
      expect(el.text).to.equal('');
      expect(el.transcript.turns).to.have.length(0);
      expect($$(el, '[part~="turn"]')).to.have.length(0);
      expect(visible(partial(el))).to.equal(false);
      expect(visible($(el, '[part~="empty"]'))).to.equal(true);
      feed(el, turnMessage(2, 'Three.'));
      await el.updateComplete;
      expect(finals(el)).to.deep.equal(['Three.']);
    });

    it('shows the finals of a run started before the element was on the page', async () => {
      const el = new LiveTranscriptElement();
      el.getToken = () => new Promise<string>(() => undefined);
      el.start().catch(() => undefined);
      feed(el, turnMessage(0, 'Before the first render.'));
      feed(el, turnMessage(1, 'still talk', { final: false }));
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.append(el);
      while (!(await el.updateComplete)); // the first render schedules a second one
      expect(finals(el)).to.deep.equal(['Before the first render.']);
      expect(partial(el).textContent).to.equal('still talk');
      await el.stop();
    });

    it('starts and stops from a slotted control', async () => {
      let tokenAsked!: () => void;
      const asked = new Promise<void>((resolve) => (tokenAsked = resolve));
      const el = await fixture<LiveTranscriptElement>(
        html`<live-transcript
          .getToken=${(signal: AbortSignal) => {
            tokenAsked();
            return new Promise<string>((_, reject) =>
              signal.addEventListener('abort', () => reject(signal.reason))
            );
          }}
          ><button slot="control">Captions</button></live-transcript
        >`
      );
      el.querySelector('button')!.click();
      expect(el.state).to.equal('connecting');
      await asked;
      const stopped = oneEvent(el, 'lt-end');
      el.querySelector('button')!.click();
      await stopped;
      expect(el.state).to.equal('idle');
      expect(el.error).to.equal(undefined);
    });
  });
});
