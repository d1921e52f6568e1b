// SPDX-License-Identifier: MIT
// LiveTranscriber on a bad network, against the fake AssemblyAI server over real sockets: it
// catches up after an outage by shortening the next long pause, and it follows the browser's
// online/offline state while reconnecting. Each test speaks the first sentence of the fixture
// (its own MediaStream), then silence.
import { expect } from '@open-wc/testing';
import { LiveTranscriber, type LiveTranscriberOptions } from '@live-transcript/core';
import {
  sentences,
  speechStream,
  startFakeServer,
  until,
  words,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';
import { stub } from './audio-helpers.js';

/** The first sentence of the fixture and a little of the pause after it (it ends at 3.94 s). */
const FIRST_SENTENCE_MS = 4300;

/** Makes the browser say it is offline (`navigator.onLine`) until the returned function. */
function offline() {
  const restore = stub(navigator, 'onLine', false);
  return () => {
    restore();
    window.dispatchEvent(new Event('online'));
  };
}

describe('LiveTranscriber on a bad network', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle;
  let first: string;

  before(async () => {
    [first] = (await sentences()) as [string];
  });
  afterEach(async () => {
    await fake?.stop();
  });

  async function run(
    options: Partial<LiveTranscriberOptions>,
    body: (t: LiveTranscriber, audio: { play(): void }) => Promise<void>
  ) {
    fake = await startFakeServer({
      script: 'universal-english.jsonl',
      continueAcrossSessions: true,
    });
    // The connection drops in the middle of the sentence.
    await fake.call('inject.drop', { afterAudioMs: 2500 });
    const audio = await speechStream(undefined, { paused: true, durationMs: FIRST_SENTENCE_MS });
    try {
      const t = new LiveTranscriber({
        tokenUrl: fake.tokenUrl,
        url: fake.url,
        speechModel: 'universal-streaming-english',
        source: audio.stream,
        ...options,
      });
      await body(t, audio);
      await until(() => words(t.transcript.finalText) === words(first), 30_000, 'the sentence');
      await t.stop();
      // The sentence cut by the drop comes back whole, once.
      expect(t.transcript.turns.map((turn) => words(turn.text))).to.deep.equal([words(first)]);
      const { connections } = await fake.records();
      expect(connections).to.have.length(2);
      for (const connection of connections) {
        expect(connection.frames.every((f) => f.bytes === 1600)).to.equal(true);
        expect(connection.closed?.code).to.not.equal(3007);
      }
      return t;
    } finally {
      await audio.close();
    }
  }

  it('catches up after an outage by shortening the next long pause, words in place', async () => {
    // Back 2–4 s later (with jitter): the audio of the outage goes out after it at real-time
    // pace, so everything after it is late, until a pause longer than 2 s gives the time back.
    const t = await run(
      { reconnect: { baseDelayMs: 4000, maxDelayMs: 4000 } },
      async (t, audio) => {
        await t.start();
        audio.play();
        await until(() => words(t.transcript.finalText) === words(first), 30_000, 'the sentence');
        const behind = Math.max(...t.metrics.sendLatenciesMs);
        expect(behind, 'late after the outage').to.be.greaterThan(1500);
        await until(
          () => t.metrics.sendLatenciesMs.at(-1)! < behind / 4,
          15_000,
          () =>
            `caught up (latest ${t.metrics.sendLatenciesMs.at(-1)} ms, ` +
            `${t.metrics.skippedSilenceMs} ms left out)`
        );
        expect(t.metrics.skippedSilenceMs).to.be.greaterThan(behind / 2);
      }
    );
    // Its words span 3.44 s of the fixture (0.50–3.94 s), across both sessions: the second
    // session's times are on the captured audio.
    const [turn] = t.transcript.turns;
    expect(turn!.endMs - turn!.startMs).to.be.within(3200, 3700);
  });

  it('does not count attempts that fail while the browser is offline, and loses nothing', async () => {
    let online: (() => void) | undefined;
    const delays: number[] = [];
    try {
      await run(
        { reconnect: { baseDelayMs: 100, maxDelayMs: 200, maxAttempts: 2 } },
        async (t, audio) => {
          t.addEventListener('reconnecting', (e) => delays.push(e.detail.delayMs));
          await t.start();
          // Offline, the token route fails four times: twice the attempts allowed.
          online = offline();
          await fake.call('inject.failTokenRequests', 4, 503);
          audio.play();
          await until(() => t.state === 'reconnecting', 10_000, 'the drop');
          await until(
            () => t.state === 'listening',
            10_000,
            () => `listening (${t.state})`
          );
          online();
          online = undefined;
        }
      );
    } finally {
      online?.();
    }
    expect(delays, 'each at the longest delay').to.deep.equal([200, 200, 200, 200, 200]);
    expect((await fake.records()).tokenRequests).to.have.length(6);
  });

  it('reconnects at once when the network comes back during the backoff delay', async () => {
    let delayMs = 0;
    await run({ reconnect: { baseDelayMs: 60_000, maxDelayMs: 60_000 } }, async (t, audio) => {
      t.addEventListener('reconnecting', (e) => (delayMs = e.detail.delayMs));
      await t.start();
      audio.play();
      await until(() => t.state === 'reconnecting', 10_000, 'the drop');
      expect(delayMs).to.be.at.least(30_000);
      window.dispatchEvent(new Event('online'));
      await until(() => t.state === 'listening', 5000, 'listening, long before the delay');
    });
  });
});
