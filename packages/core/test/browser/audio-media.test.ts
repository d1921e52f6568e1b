// SPDX-License-Identifier: MIT
// An <audio> element as the source: it stays audible while captured and after, it can be
// captured again, and media from another origin without CORS (which browsers hand to Web Audio
// as silence) is refused up front with a typed error, or warned about when it shows up later.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { type AudioCaptureWarning } from '../../src/index.js';
import { AudioCapture } from '../../src/audio/index.js';
import {
  bestCorrelation,
  captureSuite,
  fetchWav,
  framesToFloat,
  recordFrames,
  rejection,
  sleep,
  stub,
  until,
} from './audio-helpers.js';

const FIXTURE = '/fixtures/speech-16k.wav';

/** The fixture's URL on the other name of the test server: another origin, without CORS. */
function crossOriginUrl(): string {
  const other = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return `${location.protocol}//${other}:${location.port}${FIXTURE}`;
}

/** Every `connect()` of a media element's source node, with its target. */
function watchElementConnections() {
  const connect = AudioNode.prototype.connect;
  const links: { to: AudioNode }[] = [];
  const undo = stub(AudioNode.prototype, 'connect', function (
    this: AudioNode,
    ...args: Parameters<AudioNode['connect']>
  ) {
    if (this instanceof MediaElementAudioSourceNode && args[0] instanceof AudioNode) {
      links.push({ to: args[0] });
    }
    return (connect as (...a: unknown[]) => AudioNode).apply(this, args);
  } as unknown as AudioNode['connect']);
  return { links, undo };
}

describe('AudioCapture: a media element as the source', function () {
  this.timeout(40_000);
  // Real-time audio: a loaded CI machine can glitch a playback now and then.
  this.retries(1);
  const suite = captureSuite();

  /** Plays `audio`, captured by a new capture, for ~2.5 s; returns the frames. */
  async function captureWhilePlaying(audio: HTMLAudioElement) {
    suite.capture = new AudioCapture({ source: audio });
    const frames = recordFrames(suite.capture);
    await suite.capture.start();
    audio.currentTime = 0;
    await audio.play();
    await until(() => frames.length >= 50, 8000, '2.5 s of the element');
    audio.pause();
    await suite.capture.stop();
    return frames;
  }

  it('keeps the media audible while captured and after, and captures it again', async () => {
    const watch = watchElementConnections();
    suite.restore.push(watch.undo);
    // Chromium defers media loads in a hidden page (another test file's page may be in front).
    await executeServerCommand('bring-to-front');
    const audio = new Audio(FIXTURE);
    const reference = await fetchWav(FIXTURE);
    const first = await captureWhilePlaying(audio);
    // The element's output goes to the speakers through a context that outlives the capture:
    // it rests while the element is paused and not captured, and runs when it plays again.
    const speakers = watch.links.filter((l) => l.to instanceof AudioDestinationNode);
    expect(speakers.length).to.equal(1);
    const output = speakers[0]!.to.context;
    await until(() => output.state === 'suspended', 2000, 'the context to rest');
    await audio.play();
    await until(() => output.state === 'running', 2000, 'the context to run with the element');
    audio.pause();
    // Captured again (Web Audio takes an element's output once in its life).
    const second = await captureWhilePlaying(audio);
    for (const frames of [first, second]) {
      const { value, lag } = bestCorrelation(
        framesToFloat(frames),
        reference.samples,
        -16000,
        8000
      );
      console.log(`element correlation ${value.toFixed(3)} at lag ${(lag / 16).toFixed(1)} ms`);
      expect(value).to.be.at.least(0.9);
    }
  });

  it('refuses a media from another origin without CORS, naming the origin, and leaves it alone', async () => {
    const created = { count: 0 };
    const create = AudioContext.prototype.createMediaElementSource;
    suite.restore.push(
      stub(
        AudioContext.prototype,
        'createMediaElementSource',
        function (this: AudioContext, element: HTMLMediaElement) {
          created.count += 1;
          return create.call(this, element);
        }
      )
    );
    const url = crossOriginUrl();
    const origin = new URL(url).origin;
    for (const audio of [
      new Audio(url),
      Object.assign(document.createElement('audio'), {
        innerHTML: `<source src="${url}" type="audio/wav">`,
      }),
    ]) {
      suite.capture = new AudioCapture({ source: audio });
      const error = await rejection(suite.capture.start());
      expect(error.code).to.equal('invalid-option');
      expect(error.message).to.contain(`comes from ${origin} without CORS`);
      expect(error.message).to.contain('crossorigin="anonymous"');
      expect(suite.capture.state).to.equal('idle');
    }
    expect(created.count).to.equal(0, 'the element was not routed into Web Audio');
    // With crossorigin the browser asks for CORS (and plays it, or fails to load): accepted.
    const cors = Object.assign(new Audio(), { crossOrigin: 'anonymous', src: url });
    suite.capture = new AudioCapture({ source: cors });
    await suite.capture.start();
    expect(suite.capture.state).to.equal('running');
  });

  it('warns with a CORS hint when a playing media gives only silence, not while it is paused', async () => {
    await executeServerCommand('bring-to-front');
    const audio = new Audio(); // no source yet: nothing to refuse up front
    suite.capture = new AudioCapture({ source: audio });
    const warnings: AudioCaptureWarning[] = [];
    suite.capture.addEventListener('warning', ({ detail }) => warnings.push(detail));
    const frames = recordFrames(suite.capture);
    await suite.capture.start();
    await until(() => frames.length >= 60, 8000, '3 s of a media that does not play');
    expect(warnings).to.deep.equal([]);
    // Another origin without CORS (e.g. after a redirect): Web Audio gets silence.
    audio.src = crossOriginUrl();
    await audio.play();
    await until(() => warnings.length > 0, 6000, 'a warning');
    audio.pause();
    expect(warnings.map((w) => w.code)).to.deep.equal(['silence']);
    expect(warnings[0]!.message).to.contain('CORS');
    await sleep(0);
  });
});
