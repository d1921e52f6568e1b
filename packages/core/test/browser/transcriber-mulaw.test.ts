// SPDX-License-Identifier: MIT
// `encoding: 'pcm_mulaw'` end to end: the fixture WAV as the microphone, the real AudioWorklet
// encoding G.711 mu-law, real WebSocket frames to the fake AssemblyAI server in Node with its
// default rules (50..1000 ms frames, no faster than real time), which decodes them to linear PCM.
import { expect } from '@open-wc/testing';
import { LiveTranscriber } from '@live-transcript/core';
import {
  startFakeServer,
  until,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';
import { skipIn } from '../../../../test-support/browser/engines.js';
import { fetchWav, speechCorrelation } from './audio-helpers.js';

const RAW = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };

describe("LiveTranscriber with encoding: 'pcm_mulaw' (fake server over ws)", function () {
  this.timeout(60_000);
  // Real-time audio: on a busy two-core CI machine Firefox's PulseAudio microphone can starve
  // and glitch (see speechCorrelation). A fault of the pipeline fails every attempt, a glitch one.
  this.retries(2);
  let fake: FakeServerHandle | undefined;

  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  /** A mu-law session on the fixture microphone, stopped once the server has `ms` of audio. */
  async function run(ms: number) {
    const server = (fake = await startFakeServer({ options: { recordAudio: true } }));
    const t = new LiveTranscriber({
      tokenUrl: server.tokenUrl,
      url: server.url,
      speechModel: 'universal-streaming-english',
      microphone: RAW,
      encoding: 'pcm_mulaw',
    });
    const errors: string[] = [];
    t.addEventListener('error', (e) => errors.push(e.detail.error.code));
    const started = performance.now();
    await t.start();
    await until(
      async () => ((await server.records()).connections[0]?.audioMs ?? 0) >= ms,
      ms + 10_000,
      `${ms} ms of audio at the server`
    );
    const capturedMs = performance.now() - started;
    await t.stop();
    return { t, errors, capturedMs, records: await server.records() };
  }

  it('sends 800-byte frames of 50 ms at 16 kHz at real-time pace: no 3007, a clean end', async () => {
    const { t, errors, capturedMs, records } = await run(3000);
    expect(records.connections).to.have.length(1);
    const [connection] = records.connections;
    expect(connection!.params).to.include({ encoding: 'pcm_mulaw', sample_rate: '16000' });
    expect(connection!.frames.length).to.be.at.least(60);
    const sizes = new Set(connection!.frames.map((f) => `${f.bytes} B / ${f.ms} ms`));
    expect([...sizes]).to.deep.equal(['800 B / 50 ms']);
    // As much audio as the microphone gave until stop() (its last frame padded), not more: one
    // byte per sample. (PCM16 cut into mu-law frames would count each second twice.)
    expect(connection!.audioMs).to.be.within(capturedMs - 1500, capturedMs + 150);
    // Closed by the server after Terminate -> Termination, never with an Error (3007 or other).
    expect(connection!.sent).to.not.include('Error');
    expect(connection!.sent.at(-1)).to.equal('Termination');
    expect(connection!.controls).to.deep.equal(['Terminate']);
    expect(connection!.closed).to.include({ code: 1000, by: 'server' });
    expect(errors).to.deep.equal([]);
    expect(t.state).to.equal('idle');
  });

  skipIn('webkit', 'the mock microphone beeps: no speech to compare')(
    'the server decodes the frames to the fixture speech (correlation >= 0.9) and hears it',
    async () => {
      const reference = await fetchWav('/fixtures/speech-16k.wav');
      // The first sentence runs from 0.5 s to 3.94 s of the file.
      const { t, records } = await run(4500);
      const { sampleRate, samples } = await fake!.audio(0);
      expect(sampleRate).to.equal(16000);
      expect(samples.length).to.equal(records.connections[0]!.frames.length * 800);
      const { lag, value } = speechCorrelation(samples.subarray(0, 90 * 800), reference.samples);
      console.log(
        `mu-law speech correlation ${value.toFixed(4)} at lag ${(lag / 16).toFixed(1)} ms`
      );
      expect(value).to.be.at.least(0.9);
      // The fake's transcript generator, fed the decoded audio, heard speech in it.
      expect(t.transcript.turns.length).to.be.at.least(1);
    }
  );
});
