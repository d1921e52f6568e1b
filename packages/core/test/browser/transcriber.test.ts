// SPDX-License-Identifier: MIT
// LiveTranscriber end to end: the fixture WAV as the microphone, the real AudioWorklet, real
// WebSocket frames to the fake AssemblyAI server running in Node (test-support/fake-server-plugin).
import { expect } from '@open-wc/testing';
import {
  LiveTranscriber,
  type LiveTranscriberOptions,
  type TranscriberState,
} from '@live-transcript/core';
import {
  sentences,
  speechStream,
  startFakeServer,
  until,
  words,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';

const RAW = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };

describe('LiveTranscriber (fake server over ws, fixture microphone)', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle;
  let expected: string[];

  before(async () => {
    expected = await sentences();
  });
  afterEach(async () => {
    await fake?.stop();
  });

  function transcriber(options: Partial<LiveTranscriberOptions> = {}) {
    return new LiveTranscriber({
      tokenUrl: fake.tokenUrl,
      url: fake.url,
      speechModel: 'universal-streaming-english',
      microphone: RAW,
      ...options,
    });
  }

  it('transcribes a whole session: three sentences, exact frames, clean end', async () => {
    fake = await startFakeServer({ script: 'universal-english-format-turns-2025.jsonl' });
    const t = transcriber({ formatTurns: true });
    const states: TranscriberState[] = [];
    const finals: string[] = [];
    t.addEventListener('state-change', (e) => states.push(e.detail.state));
    t.addEventListener('final', (e) => finals.push(e.detail.turn.text));
    await t.start();
    expect(t.state).to.equal('listening');
    await until(() => finals.length === 3, 30_000, 'three final turns');
    await t.stop();

    expect(finals).to.deep.equal(expected);
    expect(t.transcript.turns.map((turn) => turn.text)).to.deep.equal(expected);
    expect(t.transcript.partial).to.equal('');
    expect(states).to.deep.equal(['connecting', 'listening', 'stopping', 'idle']);

    const { connections, tokens } = await fake.records();
    expect(connections).to.have.length(1);
    const [session] = connections;
    expect(session!.params).to.include({
      sample_rate: '16000',
      speech_model: 'universal-streaming-english',
      format_turns: 'true',
    });
    expect(session!.frames.length).to.be.greaterThan(250);
    expect(session!.frames.every((f) => f.bytes === 1600)).to.equal(true);
    expect(session!.controls).to.deep.equal(['Terminate']);
    expect(session!.closed).to.include({ code: 1000 });
    expect(tokens.map((token) => token.uses)).to.deep.equal([1]);
    expect(t.metrics.startToFirstFrameMs).to.be.a('number');
    console.log(`start → first frame on the wire: ${t.metrics.startToFirstFrameMs!.toFixed(0)} ms`);
  });

  it('opens one socket for a double start (React StrictMode, double clicks)', async () => {
    fake = await startFakeServer();
    const t = transcriber();
    const first = t.start();
    const second = t.start();
    expect(second).to.equal(first);
    await Promise.all([first, second, t.start()]);
    await t.stop();
    const { connections, tokenRequests } = await fake.records();
    expect(connections).to.have.length(1);
    expect(tokenRequests).to.have.length(1);
  });

  it('cancels cleanly when stopped while connecting', async () => {
    fake = await startFakeServer();
    await fake.call('inject.delayBegin', 3000);
    const t = transcriber();
    const states: string[] = [];
    t.addEventListener('state-change', (e) => states.push(e.detail.state));
    const started = t.start();
    await until(() => t.state === 'connecting', 2000, 'connecting');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await t.stop();
    const error = await started.then(
      () => undefined,
      (e: unknown) => e
    );
    expect((error as { code?: string })?.code).to.equal('aborted');
    expect(t.state).to.equal('idle');
    expect(states).to.deep.equal(['connecting', 'stopping', 'idle']);
    await until(
      async () => (await fake.records()).connections.every((c) => c.closed !== null),
      2000,
      'no socket left open'
    );
    // Starting again works.
    await t.start();
    expect(t.state).to.equal('listening');
    await t.stop();
  });

  it('stops cleanly while reconnecting', async () => {
    fake = await startFakeServer();
    await fake.call('inject.failTokenRequests', 10, 503);
    const t = transcriber({ reconnect: { baseDelayMs: 2000 } });
    const attempts: number[] = [];
    t.addEventListener('reconnecting', (e) => attempts.push(e.detail.attempt));
    const started = t.start();
    await until(() => t.state === 'reconnecting', 5000, 'reconnecting');
    await t.stop();
    expect(t.state).to.equal('idle');
    expect(((await started.catch((e: unknown) => e)) as { code?: string }).code).to.equal(
      'aborted'
    );
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(attempts).to.deep.equal([1], 'no attempt after stop()');
    expect(t.state).to.equal('idle');
  });

  it('pauses (no audio, KeepAlive for inactivity_timeout) and resumes', async () => {
    fake = await startFakeServer();
    const t = transcriber({ inactivityTimeout: 5 });
    await t.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    t.pause();
    expect(t.state).to.equal('paused');
    const before = (await fake.records()).connections[0]!.frames.length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const during = (await fake.records()).connections[0]!;
    expect(during.frames.length - before).to.be.at.most(2, 'at most the frames in flight');
    expect(during.controls).to.include('KeepAlive');
    t.resume();
    expect(t.state).to.equal('listening');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await fake.records()).connections[0]!.frames.length).to.be.greaterThan(
      during.frames.length + 5
    );
    await t.stop();
  });

  it('tells the server on pagehide, so the session is not billed on', async () => {
    fake = await startFakeServer();
    const t = transcriber();
    await t.start();
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await until(
      async () => (await fake.records()).connections[0]!.controls.at(-1) === 'Terminate',
      2000,
      'Terminate on pagehide'
    );
    await t.stop();
  });

  it('rolls over to a new session before the current one expires', async () => {
    fake = await startFakeServer({
      script: 'universal-english.jsonl',
      continueAcrossSessions: true,
      options: { maxSessionDurationSeconds: 64 },
    });
    // The handover waits for a silent frame, which WebKit's mock microphone never sends: this
    // test speaks the fixture itself.
    const audio = await speechStream(undefined, { paused: true });
    try {
      // expires_at is a minute away: roll over 58 s early, i.e. about 6 s in.
      const t = transcriber({ rolloverLeadMs: 58_000, source: audio.stream });
      const begins: string[] = [];
      t.addEventListener('begin', (e) => begins.push(e.detail.sessionId));
      await t.start();
      audio.play();
      const all = words(expected.join(' '));
      await until(() => words(t.transcript.finalText) === all, 30_000, 'every word final');
      await t.stop();
      const { connections } = await fake.records();
      expect(begins.length).to.be.at.least(2);
      expect(connections).to.have.length(begins.length);
      for (const connection of connections) {
        expect(connection.controls.at(-1)).to.equal('Terminate');
        expect(connection.closed).to.include({ code: 1000 });
      }
      // A sentence cut by the switch is split in two turns, but no word is lost or doubled.
      expect(words(t.transcript.turns.map((turn) => turn.text).join(' '))).to.equal(
        words(expected.join(' '))
      );
    } finally {
      await audio.close();
    }
  });
});
