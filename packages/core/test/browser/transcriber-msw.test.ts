// SPDX-License-Identifier: MIT
// LiveTranscriber end to end through msw: the production token and socket URLs intercepted in
// the page by the fake AssemblyAI server (the in-page transport of @live-transcript/core/testing).
import { expect } from '@open-wc/testing';
import { setupWorker } from 'msw/browser';
import { LiveTranscriber } from '@live-transcript/core';
import { createFakeStreamingServer, type FakeStreamingServer } from '@live-transcript/core/testing';
import { handlers } from '@live-transcript/core/testing/msw';
import {
  sentences,
  speechStream,
  until,
  words,
} from '../../../../test-support/browser/fake-server.js';

/** An msw worker in the page that answers with `fake`'s handlers. */
async function startWorker(fake: FakeStreamingServer) {
  const worker = setupWorker(...handlers(fake));
  await worker.start({
    quiet: true,
    serviceWorker: { url: '/mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
  });
  return worker;
}

describe('LiveTranscriber (fake server through msw, in the page)', function () {
  this.timeout(60_000);

  it('transcribes a U3 Pro session with the production URLs intercepted', async () => {
    const fake = createFakeStreamingServer({
      script: await (await fetch('/fixtures/sessions/u3-pro.jsonl')).text(),
    });
    const worker = await startWorker(fake);
    const audio = await speechStream();
    try {
      const t = new LiveTranscriber({ tokenUrl: '/api/assemblyai-token', source: audio.stream });
      const finals: string[] = [];
      t.addEventListener('final', (e) => finals.push(e.detail.turn.text));
      await t.start();
      await until(() => finals.length === 3, 30_000, 'three finals');
      // The SpeakerRevision that follows relabels the second turn.
      await until(() => t.transcript.turns[1]?.speaker === 'A', 5000, 'the speaker revision');
      await t.stop();
      expect(finals).to.deep.equal(await sentences());
      expect(t.transcript.turns.map((turn) => turn.speaker)).to.deep.equal(['A', 'A', 'A']);
      const [session] = fake.connections;
      expect(session!.params.speech_model).to.equal('universal-3-5-pro');
      expect(session!.frames.every((f) => f.bytes === 1600)).to.equal(true);
      expect(session!.closed?.code).to.equal(1000);
    } finally {
      worker.stop();
      await audio.close();
    }
  });

  it('recovers from a drop and a server error through msw, every sentence once', async () => {
    const fake = createFakeStreamingServer({
      script: {
        lines: await (
          await fetch('/fixtures/sessions/universal-english-format-turns-inmodel.jsonl')
        ).text(),
        continueAcrossSessions: true,
      },
    });
    fake.inject.drop({ afterAudioMs: 3000 });
    fake.inject.failTokenRequests(1, 500);
    const worker = await startWorker(fake);
    // (from the first frame: the fake places re-sent audio by the speech it heard first)
    const audio = await speechStream(undefined, { paused: true });
    try {
      const t = new LiveTranscriber({
        tokenUrl: '/api/assemblyai-token',
        speechModel: 'universal-streaming-english',
        formatTurns: true,
        source: audio.stream,
      });
      const reconnects: string[] = [];
      t.addEventListener('reconnecting', (e) => reconnects.push(e.detail.error.code));
      await t.start();
      audio.play();
      await until(() => fake.connections.length >= 1, 5000, 'a first session');
      // The second session gets a 3005 a few seconds in.
      fake.inject.close({ code: 3005, afterAudioMs: 4000 });
      await until(
        () => t.transcript.turns.filter((turn) => turn.final).length >= 3,
        40_000,
        'three finals'
      );
      await t.stop();
      expect(t.transcript.turns.map((turn) => words(turn.text))).to.deep.equal(
        (await sentences()).map(words)
      );
      expect(reconnects).to.include.members(['token-request-failed', 'network', 'server-error']);
      expect(fake.connections.length).to.be.at.least(3);
      expect(fake.connections.every((c) => c.frames.every((f) => f.bytes === 1600))).to.equal(true);
    } finally {
      worker.stop();
      await audio.close();
    }
  });
});
