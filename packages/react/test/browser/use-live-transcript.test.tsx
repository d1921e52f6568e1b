// SPDX-License-Identifier: MIT
// useLiveTranscript() end to end: React apps under StrictMode, the fixture WAV as the microphone,
// real sockets to the fake AssemblyAI server (test-support/fake-server-plugin.mjs).
import { expect } from '@open-wc/testing';
import { StrictMode, useState } from 'react';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import {
  useLiveTranscript,
  type UseLiveTranscriptOptions,
  type UseLiveTranscriptResult,
} from '@live-transcript/react';
import {
  sentences,
  startFakeServer,
  until,
  words,
  type FakeServerHandle,
  socketsClosed,
} from '../../../../test-support/browser/fake-server.js';
import { RAW_MICROPHONE, watchMicrophone } from '../../../../test-support/browser/microphone.js';
import { MIC_A, MIC_B, fakeMicrophones } from '../../../../test-support/browser/devices.js';

// These tests wait for real sockets and audio, outside act(): let React schedule as in an app.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

/** The hook's latest result, for assertions. */
let latest: UseLiveTranscriptResult;
/** Every state rendered, in order (to say what happened when a wait times out). */
let rendered: string[] = [];

function Captions({ options }: { options: UseLiveTranscriptOptions }) {
  const result = useLiveTranscript(options);
  latest = result;
  if (rendered.at(-1) !== result.state) rendered.push(result.state);
  return (
    <div>
      <button onClick={result.start}>Start</button>
      <output>{result.state}</output>
      {result.turns.map((turn) => (
        <p key={turn.id} data-final={turn.final}>
          {turn.text}
        </p>
      ))}
      <i>{result.partial}</i>
      {result.error && <strong>{result.error.code}</strong>}
    </div>
  );
}

/** A parent whose state drives the options, so a test can change them. */
let setOptions: (options: UseLiveTranscriptOptions) => void;
function App({ initial }: { initial: UseLiveTranscriptOptions }) {
  const [options, set] = useState(initial);
  setOptions = set;
  return <Captions options={options} />;
}

describe('useLiveTranscript() (React, StrictMode)', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle | undefined;
  let host: HTMLElement;
  let root: Root | undefined;
  let mic: ReturnType<typeof watchMicrophone>;

  const shown = (selector: string) =>
    [...host.querySelectorAll(selector)].map((n) => n.textContent);
  const state = () => host.querySelector('output')?.textContent;
  /**
   * Waits for `listening` (30 s: a first start loads the transcriber's code, slow in WebKit on a
   * loaded machine); at the timeout, names the states rendered and the error.
   */
  const listening = (what: string, ms = 30_000) =>
    until(
      () => state() === 'listening',
      ms,
      () => `${what} (states: ${rendered.join(' → ')}; error: ${latest.error?.message ?? 'none'})`
    );

  beforeEach(() => {
    rendered = [];
    host = document.body.appendChild(document.createElement('div'));
    mic = watchMicrophone();
  });
  afterEach(async () => {
    root?.unmount();
    root = undefined;
    host.remove();
    mic.restore();
    await fake?.stop();
    fake = undefined;
  });

  function mount(options: UseLiveTranscriptOptions) {
    root = createRoot(host);
    root.render(
      <StrictMode>
        <App initial={options} />
      </StrictMode>
    );
  }

  // One run before the tests, so that none of them waits on the test server's first build of
  // the transcriber's modules and worklet: on a loaded CI machine, WebKit's first start here
  // took over 30 s (the later ones a second or two). Now and then, under load, that first start
  // never leaves `connecting`; the file's rerun passes, so it gives up after a minute.
  before(async function () {
    this.timeout(90_000);
    rendered = [];
    host = document.body.appendChild(document.createElement('div'));
    fake = await startFakeServer();
    mount({ tokenUrl: fake.tokenUrl, url: fake.url });
    await until(() => state() === 'idle', 10_000, 'the first render');
    host.querySelector('button')!.click();
    await listening('a first run', 60_000);
    root!.unmount();
    root = undefined;
    host.remove();
    await fake.stop();
    fake = undefined;
  });

  it('transcribes a whole session with one socket, then unmounting closes it and frees the mic', async () => {
    fake = await startFakeServer({ script: 'universal-english-format-turns-2025.jsonl' });
    const states: string[] = [];
    const finals: string[] = [];
    mount({
      tokenUrl: fake.tokenUrl,
      url: fake.url,
      speechModel: 'universal-streaming-english',
      formatTurns: true,
      microphone: RAW_MICROPHONE,
      onStateChange: (e) => states.push(e.detail.state),
      onFinal: (e) => finals.push(e.detail.turn.text),
    });
    await until(() => state() === 'idle', 2000, 'the first render');
    host.querySelector('button')!.click();
    await listening('listening');
    const expected = await sentences();
    await until(() => finals.length === 3, 30_000, 'three display-ready final turns');
    await until(() => shown('p').join() === expected.join(), 2000, 'the three turns on screen');
    expect(shown('p[data-final="true"]')).to.deep.equal(expected);
    expect(finals).to.deep.equal(expected);
    expect(latest.text).to.equal(expected.join('\n'));
    expect(latest.finalText).to.equal(expected.join('\n'));
    expect(latest.level.rms).to.be.a('number');
    expect(states).to.deep.equal(['connecting', 'listening']);

    root!.unmount();
    root = undefined;
    const connections = await socketsClosed(fake);
    expect(connections, 'one socket under StrictMode').to.have.length(1);
    expect(connections[0]!.controls).to.include('Terminate');
    expect(connections[0]!.closed).to.include({ code: 1000 });
    expect((await fake.records()).tokenRequests).to.have.length(1);
    await until(() => mic.released(), 5000, 'the microphone released');
    expect(mic.streams).to.have.length(1);
    expect(states.slice(-2), 'callbacks stop with the component').to.deep.equal([
      'connecting',
      'listening',
    ]);
  });

  it('sends live settings at once; other changes wait for stop() and keep the transcript', async () => {
    fake = await startFakeServer({ script: 'universal-english.jsonl' });
    const base: UseLiveTranscriptOptions = {
      tokenUrl: fake.tokenUrl,
      url: fake.url,
      speechModel: 'universal-streaming-english',
      microphone: RAW_MICROPHONE,
    };
    mount(base);
    await until(() => state() === 'idle', 2000, 'the first render');
    const actions = latest;
    // A new options object with the same content changes nothing.
    setOptions({ ...base, microphone: { ...RAW_MICROPHONE } });
    host.querySelector('button')!.click();
    await listening('listening');
    expect(latest.start, 'actions are stable').to.equal(actions.start);

    setOptions({ ...base, keytermsPrompt: ['Marta'], maxTurnSilence: 2000 });
    await until(
      async () => (await fake!.records()).connections[0]!.controls.includes('UpdateConfiguration'),
      3000,
      'UpdateConfiguration'
    );
    setOptions({ ...base, keytermsPrompt: ['Marta'], speechModel: 'universal-3-5-pro' });
    await until(() => shown('p').length > 0 && latest.turns[0]!.final, 15_000, 'a final turn');
    expect(state(), 'still the same session').to.equal('listening');

    latest.pause();
    await until(() => state() === 'paused', 2000, 'paused');
    latest.resume();
    await listening('listening again', 2000);

    await latest.stop();
    await until(() => state() === 'idle', 5000, 'idle');
    const kept = latest.turns.map((turn) => turn.text);
    expect(kept.length).to.be.greaterThan(0);
    expect(words(kept[0]!)).to.equal(words((await sentences())[0]!));

    host.querySelector('button')!.click();
    await listening('listening (second run)');
    const { connections } = await fake.records();
    expect(connections).to.have.length(2);
    expect(
      connections[0]!.controls.filter((c) => c === 'UpdateConfiguration'),
      'one UpdateConfiguration: removing a setting sends none'
    ).to.have.length(1);
    expect(connections[1]!.params).to.include({ speech_model: 'universal-3-5-pro' });
    expect(connections[1]!.params.keyterms_prompt).to.contain('Marta');
    expect(latest.turns.slice(0, kept.length).map((t) => t.text)).to.deep.equal(kept);

    latest.clear();
    await until(() => shown('p').length === 0, 2000, 'cleared');
    await latest.stop();
  });

  it('keeps a failure on screen; the next start() takes the options changed meanwhile', async () => {
    fake = await startFakeServer({ script: 'server-error-midway.jsonl' });
    const base: UseLiveTranscriptOptions = {
      tokenUrl: fake.tokenUrl,
      url: fake.url,
      speechModel: 'universal-streaming-english',
      microphone: RAW_MICROPHONE,
      reconnect: false,
    };
    mount(base);
    await until(() => state() === 'idle', 2000, 'the first render');
    host.querySelector('button')!.click();
    await listening('listening');
    setOptions({ ...base, speechModel: 'universal-3-5-pro' });
    await until(() => state() === 'error', 10_000, 'the server error');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(state(), 'the error stays').to.equal('error');
    expect(host.querySelector('strong')?.textContent).to.equal(latest.error?.code);

    host.querySelector('button')!.click();
    await listening('listening again');
    expect(latest.error).to.equal(undefined);
    const { connections } = await fake.records();
    expect(connections.map((c) => c.params.speech_model)).to.deep.equal([
      'universal-streaming-english',
      'universal-3-5-pro',
    ]);
    await latest.stop();
  });

  it('calls the latest callbacks and getToken, without a new transcriber', async () => {
    fake = await startFakeServer();
    const calls: string[] = [];
    const token = async (which: string) => {
      calls.push(which);
      return ((await (await fetch(fake!.tokenUrl)).json()) as { token: string }).token;
    };
    const base = { url: fake.url, speechModel: 'universal-streaming-english' };
    mount({
      ...base,
      getToken: () => token('first getToken'),
      onStateChange: (e) => calls.push(`first ${e.detail.state}`),
    });
    await until(() => state() === 'idle', 2000, 'the first render');
    setOptions({
      ...base,
      getToken: () => token('second getToken'),
      onStateChange: (e) => calls.push(`second ${e.detail.state}`),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    host.querySelector('button')!.click();
    await listening('listening');
    expect(calls).to.deep.equal(['second connecting', 'second getToken', 'second listening']);
    await latest.stop();
    expect((await fake.records()).connections).to.have.length(1);
  });

  it('shows invalid options as an error without throwing, and recovers when they are fixed', async () => {
    const errors: string[] = [];
    // No token source yet: not an error until start() (an app may set getToken later).
    mount({ onError: (e) => errors.push(e.detail.error.code) });
    await until(() => state() === 'idle', 2000, 'a render');
    const failure = await latest.start().then(
      () => undefined,
      (error: unknown) => error
    );
    await until(() => state() === 'error', 2000, 'the error state');
    expect(failure).to.equal(latest.error);
    expect(host.querySelector('strong')?.textContent).to.equal('invalid-option');
    expect(latest.error?.message).to.contain('tokenUrl');
    expect(errors).to.deep.equal(['invalid-option']);
    expect(mic.streams, 'no microphone for invalid options').to.have.length(0);
    // diagnostics() reports what the hook shows, as JSON data.
    const report = latest.diagnostics();
    expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
    expect(report.state).to.equal('error');
    expect(report.error?.code).to.equal('invalid-option');

    setOptions({ tokenUrl: '/api/token' });
    await until(() => state() === 'idle', 2000, 'idle');
    expect(latest.error).to.equal(undefined);
  });

  it('returns the microphones, kept current, and setDevice() switches inside the session', async () => {
    const mics = await fakeMicrophones();
    try {
      fake = await startFakeServer();
      const changes: string[] = [];
      mount({
        tokenUrl: fake.tokenUrl,
        url: fake.url,
        microphone: RAW_MICROPHONE,
        onDeviceChange: (e) => changes.push(e.detail.label),
      });
      // (`latest` is the previous test's until this component renders: wait for the fakes.)
      await until(
        () => latest.devices.length === 2 && latest.devices[0]!.deviceId === MIC_A.deviceId,
        5000,
        'the microphones'
      );
      const devices = latest.devices;
      expect(devices.map((d) => [d.deviceId, d.label])).to.deep.equal([
        [MIC_A.deviceId, MIC_A.label],
        [MIC_B.deviceId, MIC_B.label],
      ]);
      host.querySelector('button')!.click();
      await listening('listening');
      expect(latest.devices).to.equal(devices, 'the same array while the list is the same');
      await latest.setDevice(MIC_B.deviceId);
      expect(changes).to.deep.equal([MIC_B.label]);
      expect(mics.opened).to.deep.equal([MIC_A.deviceId, MIC_B.deviceId]);
      mics.plug([MIC_B]); // A unplugged
      await until(() => latest.devices.length === 1, 5000, 'the list without A');
      expect(state()).to.equal('listening');
      const records = await fake.records();
      expect(records.connections, 'one session').to.have.length(1);
      expect(records.tokenRequests, 'one token').to.have.length(1);
    } finally {
      root?.unmount();
      root = undefined;
      await mics.restore();
    }
  });

  it('hydrates server HTML (idle) without a mismatch', async () => {
    const options = { tokenUrl: '/api/token' };
    const html = renderToString(
      <StrictMode>
        <Captions options={options} />
      </StrictMode>
    );
    expect(html).to.contain('<output>idle</output>');
    host.innerHTML = html;
    const logged: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      root = hydrateRoot(
        host,
        <StrictMode>
          <Captions options={options} />
        </StrictMode>,
        { onRecoverableError: (e) => logged.push(e) }
      );
      await until(() => latest !== undefined && latest.state === 'idle', 2000, 'hydrated');
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      console.error = error;
    }
    expect(logged).to.deep.equal([]);
    expect(state()).to.equal('idle');
  });
});
