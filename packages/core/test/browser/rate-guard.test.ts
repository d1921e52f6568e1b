// SPDX-License-Identifier: MIT
// The cross-sample-rate bug of Firefox up to ESR 140, caught in every engine: under the rate
// guard (test-support/browser/rate-guard.ts, on in every test page) a naive 16 kHz capture of
// the microphone fails with Firefox's exact error, while our pipeline, which captures at the
// device rate and resamples in its worklet, streams as usual.
import { expect } from '@open-wc/testing';
import { LiveTranscriber } from '../../src/index.js';
import { AudioCapture } from '../../src/audio/index.js';
import {
  CROSS_RATE_CONSTRUCTOR_MESSAGE,
  CROSS_RATE_MESSAGE,
  installRateGuard,
  rateGuardInstalled,
} from '../../../../test-support/browser/rate-guard.js';
import { engine } from '../../../../test-support/browser/engines.js';
import { startFakeServer, until } from '../../../../test-support/browser/fake-server.js';
import { recordFrames } from './audio-helpers.js';

/** Firefox up to ESR 140 has the bug itself. */
const firefox = Number(/\bFirefox\/(\d+)/.exec(navigator.userAgent)?.[1] ?? 0);
const NATIVE_BUG = engine() === 'firefox' && firefox <= 140;

/** What a naive library does: a 16 kHz AudioContext on the microphone. */
async function naiveCapture(how: 'create' | 'construct' | 'destination') {
  const context = new AudioContext({ sampleRate: 16000 });
  let stream: MediaStream | undefined;
  try {
    if (how === 'destination') {
      // The other way round: a 16 kHz graph's stream into a context at the device rate.
      const device = new AudioContext();
      try {
        return device.createMediaStreamSource(context.createMediaStreamDestination().stream)
          .numberOfOutputs;
      } finally {
        await device.close();
      }
    }
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const node =
      how === 'create'
        ? context.createMediaStreamSource(stream)
        : new MediaStreamAudioSourceNode(context, { mediaStream: stream });
    return node.numberOfOutputs; // (never hand an AudioNode to chai: browsers.md §7)
  } finally {
    for (const track of stream?.getTracks() ?? []) track.stop();
    await context.close();
  }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: DOMException) => ({
      name: error.name,
      message: error.message,
      dom: error instanceof DOMException,
    })
  );

describe('Rate guard: a MediaStream into an AudioContext of another rate', function () {
  this.timeout(60_000);
  const wasOn = rateGuardInstalled();
  beforeEach(() => installRateGuard());
  afterEach(() => {
    if (wasOn) installRateGuard();
    else if (rateGuardInstalled()) installRateGuard()();
  });

  it("fails a naive 16 kHz capture with Firefox's NotSupportedError, both ways to connect", async () => {
    expect(await failure(naiveCapture('create'))).to.deep.equal({
      name: 'NotSupportedError',
      message: CROSS_RATE_MESSAGE,
      dom: true,
    });
    expect(await failure(naiveCapture('construct'))).to.deep.equal({
      name: 'NotSupportedError',
      message: CROSS_RATE_CONSTRUCTOR_MESSAGE,
      dom: true,
    });
    expect(await failure(naiveCapture('destination'))).to.deep.equal({
      name: 'NotSupportedError',
      message: CROSS_RATE_MESSAGE,
      dom: true,
    });
  });

  it(`without the guard: ${NATIVE_BUG ? 'this Firefox fails the same way' : 'this engine resamples'}`, async () => {
    installRateGuard()(); // off for this test
    expect(rateGuardInstalled()).to.equal(false);
    if (NATIVE_BUG) {
      // The guard's messages are Firefox's own, word for word.
      expect(await failure(naiveCapture('create'))).to.deep.equal({
        name: 'NotSupportedError',
        message: CROSS_RATE_MESSAGE,
        dom: true,
      });
      expect((await failure(naiveCapture('construct')))?.message).to.equal(
        CROSS_RATE_CONSTRUCTOR_MESSAGE
      );
    } else {
      expect(await naiveCapture('create')).to.equal(1);
      expect(await naiveCapture('construct')).to.equal(1);
    }
  });

  it('keeps instanceof and the constructor working for streams at the right rate', async () => {
    const context = new AudioContext();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    try {
      const node = new MediaStreamAudioSourceNode(context, { mediaStream: stream });
      expect(node instanceof MediaStreamAudioSourceNode).to.equal(true);
      expect(
        context.createMediaStreamSource(stream) instanceof MediaStreamAudioSourceNode
      ).to.equal(true);
      expect(node.mediaStream === stream).to.equal(true);
    } finally {
      for (const track of stream.getTracks()) track.stop();
      await context.close();
    }
  });

  it('AudioCapture streams the microphone under the guard, at the device rate', async () => {
    const probe = new AudioContext();
    const deviceRate = probe.sampleRate;
    await probe.close();
    const capture = new AudioCapture();
    const frames = recordFrames(capture);
    try {
      await capture.start();
      expect(capture.contextSampleRate).to.equal(deviceRate);
      await until(() => frames.length >= 10, 10_000, '10 frames');
    } finally {
      await capture.stop();
    }
    expect(frames.every((f) => f.data.byteLength === 1600)).to.equal(true);
  });

  it('LiveTranscriber streams the microphone under the guard', async () => {
    const fake = await startFakeServer();
    const t = new LiveTranscriber({ tokenUrl: fake.tokenUrl, url: fake.url });
    try {
      await t.start();
      await until(
        async () => ((await fake.records()).connections[0]?.frames.length ?? 0) >= 10,
        10_000,
        '10 frames on the wire'
      );
      await t.stop();
      const [session] = (await fake.records()).connections;
      expect(t.error).to.equal(undefined);
      expect(session!.params.sample_rate).to.equal('16000');
      expect(session!.frames.every((f) => f.bytes === 1600)).to.equal(true);
    } finally {
      await t.stop();
      await fake.stop();
    }
  });
});
