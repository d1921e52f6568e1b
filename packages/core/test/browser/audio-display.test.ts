// SPDX-License-Identifier: MIT
// `source: 'display'`: the audio of a shared tab or screen. Chromium's fake capture (the test
// flags) shares a screen whose audio is the fixture WAV; WebKitGTK's mock screen has no audio
// (as Safari shares none); headless Firefox finds nothing to share (NotFoundError), and
// Firefox shares no audio anyway. getDisplayMedia() needs a user gesture in Firefox and WebKit:
// the tests start the capture from a real click (sendMouse).
import { expect } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { AudioCapture } from '../../src/audio/index.js';
import {
  bestCorrelation,
  captureSuite,
  fetchWav,
  framesToFloat,
  recordFrames,
  rejection,
  stub,
  until,
} from './audio-helpers.js';
import { engine, skipIn } from '../../../../test-support/browser/engines.js';

/** Runs `action` in the handler of a real click (a user gesture). */
async function inClick<T>(action: () => Promise<T>): Promise<T> {
  const button = document.createElement('button');
  button.textContent = 'Share';
  button.style.cssText = 'position: fixed; inset: 0 auto auto 0; width: 80px; height: 40px';
  document.body.append(button);
  let result!: Promise<T>;
  button.addEventListener(
    'click',
    () => {
      result = action();
      result.catch(() => {}); // handled by the caller, after the click
    },
    { once: true }
  );
  try {
    await sendMouse({ type: 'click', position: [40, 20] });
    await until(() => result !== undefined, 2000, 'the click');
  } finally {
    button.remove();
  }
  return result;
}

/** Records what getDisplayMedia() is asked and the streams it gives; `give` can replace them. */
function watchDisplayMedia(give?: (options?: DisplayMediaStreamOptions) => Promise<MediaStream>) {
  const devices = navigator.mediaDevices;
  const real = devices.getDisplayMedia.bind(devices);
  const calls: { options: DisplayMediaStreamOptions | undefined; tracks: MediaStreamTrack[] }[] =
    [];
  const restore = stub(devices, 'getDisplayMedia', async (options?: DisplayMediaStreamOptions) => {
    const stream = await (give ?? real)(options);
    calls.push({ options, tracks: stream.getTracks() });
    return stream;
  });
  return { calls, restore };
}

/** A stream with a video track only: what a share without its audio gives. */
function videoOnly(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.getContext('2d')!.fillRect(0, 0, 1, 1);
  return canvas.captureStream(1);
}

describe("AudioCapture: source 'display' (tab and screen audio)", function () {
  this.timeout(30_000);
  // Real-time audio: a loaded CI machine can glitch a capture now and then.
  this.retries(1);
  const suite = captureSuite();

  skipIn({
    firefox: 'headless Firefox has no screen to share (NotFoundError), and Firefox shares no audio',
    webkit: 'WebKit shares no audio (its mock screen is video only: see the next test)',
  })('captures the shared audio, asks for the least video and stops the video track', async () => {
    const watch = watchDisplayMedia();
    suite.restore.push(watch.restore);
    suite.capture = new AudioCapture({ source: 'display' });
    const frames = recordFrames(suite.capture);
    await inClick(() => suite.capture!.start());
    expect(suite.capture.source!.kind).to.equal('display');
    await until(() => frames.length >= 100, 10_000, '5 s of shared audio');
    const [call] = watch.calls;
    const options = call!.options as DisplayMediaStreamOptions & Record<string, unknown>;
    expect(options.video).to.deep.include({ width: 1, height: 1, frameRate: 1 });
    expect(options.audio).to.deep.include({
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
    });
    const video = call!.tracks.filter((t) => t.kind === 'video');
    expect(video.length).to.equal(1);
    expect(video[0]!.readyState).to.equal('ended', 'the video track is stopped at once');
    const audio = suite.capture.source!.track!;
    expect(audio.readyState).to.equal('live');
    await suite.capture.stop();
    expect(audio.readyState).to.equal('ended', 'sharing ends with the capture');
    // Chromium's fake screen shares the fixture WAV as its audio, looping, from wherever it is:
    // of two 2.5 s halves, one at least lies within one pass of the file.
    const reference = await fetchWav('/fixtures/speech-16k.wav');
    const captured = framesToFloat(frames.slice(0, 100));
    const values = [0, 40_000].map(
      (at) =>
        bestCorrelation(captured.subarray(at, at + 40_000), reference.samples, -40_000, 240_000)
          .value
    );
    console.log(`shared audio vs fixture: correlation ${values.map((v) => v.toFixed(3))}`);
    expect(Math.max(...values)).to.be.at.least(0.9);
  });

  it('says to tick "Share tab audio" when the share has no audio, and stops the video', async () => {
    // Chromium: the real share without its audio (the box left unticked). WebKit: the real
    // share, which has no audio. Firefox: nothing to share headless, so a video-only stream.
    const real = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
    const watch = watchDisplayMedia(
      engine() === 'firefox'
        ? async () => videoOnly()
        : (options) => real({ ...options, audio: false })
    );
    suite.restore.push(watch.restore);
    suite.capture = new AudioCapture({ source: 'display' });
    const error = await rejection(inClick(() => suite.capture!.start()));
    expect(error.code).to.equal('microphone-not-found');
    expect(error.message).to.contain('tick "Share tab audio"');
    expect(watch.calls[0]!.tracks.map((t) => [t.kind, t.readyState])).to.deep.equal([
      ['video', 'ended'],
    ]);
    expect(suite.capture.state).to.equal('idle');
  });

  it('maps a cancelled share, a missing getDisplayMedia and a missing gesture to typed errors', async () => {
    const fail = (name: string) => async () => {
      throw new DOMException(`simulated ${name}`, name);
    };
    const cases = [
      ['NotAllowedError', 'microphone-denied', 'Share tab audio'],
      ['NotReadableError', 'microphone-busy', 'screen recording'],
      ['InvalidStateError', 'audio-context-blocked', 'click'],
      ['TypeError', 'microphone-unsupported', 'Chrome or Edge'],
    ] as const;
    for (const [name, code, hint] of cases) {
      const undo = stub(navigator.mediaDevices, 'getDisplayMedia', fail(name));
      const error = await rejection(inClick(() => new AudioCapture({ source: 'display' }).start()));
      undo();
      expect([error.code, (error.cause as DOMException).name]).to.deep.equal([code, name]);
      expect(error.message).to.contain(hint);
    }
    suite.restore.push(
      stub(navigator.mediaDevices, 'getDisplayMedia', undefined as unknown as () => never)
    );
    const error = await rejection(inClick(() => new AudioCapture({ source: 'display' }).start()));
    expect(error.code).to.equal('microphone-unsupported');
  });
});
