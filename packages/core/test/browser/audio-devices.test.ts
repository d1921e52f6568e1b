// SPDX-License-Identifier: MIT
// AudioCapture failure paths and device events in real Chromium: getUserMedia errors
// (simulated with the right DOMException names, plus a real OverconstrainedError), no
// mediaDevices, a suspended AudioContext, aborts, track `ended`/`mute`, and `devicechange`.
import { expect } from '@open-wc/testing';
import { type AudioCaptureWarning, type LiveTranscriptError } from '../../src/index.js';
import { AudioCapture, listMicrophones, microphonePermission } from '../../src/audio/index.js';
import {
  failingGetUserMedia,
  frameRateError,
  nextEvent,
  recordFrames,
  sleep,
  stub,
  until,
} from './audio-helpers.js';
import { engine, skipIn } from '../../../../test-support/browser/engines.js';

/** Why the tests that fake an unplugged or muted microphone cannot run in Firefox. */
const FIREFOX_TRACK_EVENTS =
  'Firefox delivers script-dispatched (untrusted) events on a getUserMedia track only to on<event> handlers, not to addEventListener listeners (real ones are trusted), so an unplugged or muted device cannot be simulated';

async function startError(capture: AudioCapture, signal?: AbortSignal) {
  try {
    await capture.start(signal);
  } catch (error) {
    return error as LiveTranscriptError;
  }
  throw new Error('start() resolved');
}

describe('AudioCapture: errors', function () {
  this.timeout(20_000);
  const restore: (() => void)[] = [];
  afterEach(() => {
    for (const undo of restore.splice(0).reverse()) undo();
  });

  const cases = [
    ['NotAllowedError', 'microphone-denied'],
    ['SecurityError', 'microphone-denied'],
    ['NotFoundError', 'microphone-not-found'],
    ['NotReadableError', 'microphone-busy'],
    ['AbortError', 'microphone-busy'],
    ['TypeError', 'microphone-unsupported'],
  ] as const;
  for (const [name, code] of cases) {
    it(`maps getUserMedia ${name} to ${code} and releases the AudioContext`, async () => {
      restore.push(stub(navigator.mediaDevices, 'getUserMedia', failingGetUserMedia(name)));
      const capture = new AudioCapture();
      const error = await startError(capture);
      expect(error.name).to.equal('LiveTranscriptError');
      expect(error.code).to.equal(code);
      expect((error.cause as DOMException).name).to.equal(name);
      expect(error.message.length).to.be.greaterThan(30);
      expect(capture.state).to.equal('idle');
      expect(capture.context).to.equal(undefined);
    });
  }

  it('maps a real OverconstrainedError (unknown deviceId) to microphone-not-found', async () => {
    const capture = new AudioCapture({ microphone: { deviceId: 'no-such-microphone' } });
    const error = await startError(capture);
    expect(error.code).to.equal('microphone-not-found');
    expect((error.cause as DOMException).name).to.equal('OverconstrainedError');
  });

  it('reports microphone-unsupported without navigator.mediaDevices', async () => {
    restore.push(stub(navigator, 'mediaDevices', undefined as unknown as MediaDevices));
    const error = await startError(new AudioCapture());
    expect(error.code).to.equal('microphone-unsupported');
    expect(error.message).to.contain('https');
    let listError: LiveTranscriptError | undefined;
    await listMicrophones().catch((e) => (listError = e));
    expect(listError?.code).to.equal('microphone-unsupported');
  });

  /** The autoplay policy's view of the page: whether start() runs inside a user gesture. */
  function inGesture(gesture: boolean) {
    const nav = navigator as Navigator & { getAutoplayPolicy?: unknown };
    restore.push(stub(nav, 'getAutoplayPolicy', undefined));
    const activation = { isActive: gesture, hasBeenActive: gesture } as UserActivation;
    restore.push(stub(navigator, 'userActivation', activation));
  }

  /** Contexts stay suspended until resume() has waited `ms` (forever when undefined). */
  function slowResume(ms?: number) {
    const resume = AudioContext.prototype.resume;
    const state = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, 'state')!;
    expect(state.get).to.be.a('function');
    const started = new WeakSet<BaseAudioContext>();
    restore.push(
      stub(AudioContext.prototype, 'resume', function (this: AudioContext) {
        if (ms === undefined) return new Promise<void>(() => {});
        return sleep(ms)
          .then(() => resume.call(this))
          .then(() => void started.add(this));
      })
    );
    Object.defineProperty(AudioContext.prototype, 'state', {
      get(this: AudioContext) {
        return started.has(this) ? state.get!.call(this) : 'suspended';
      },
      configurable: true,
    });
    restore.push(() => delete (AudioContext.prototype as { state?: unknown }).state);
  }

  it('reports audio-context-blocked when the context stays suspended outside a gesture', async () => {
    inGesture(false);
    slowResume();
    const capture = new AudioCapture();
    const error = await startError(capture);
    expect(error.code).to.equal('audio-context-blocked');
    expect(error.message).to.contain('click');
    expect(capture.state).to.equal('idle');
  });

  it('waits for a slow audio device when start() runs in a user gesture', async () => {
    inGesture(true);
    slowResume(3000);
    const capture = new AudioCapture();
    const frames = recordFrames(capture);
    await capture.start();
    expect(capture.state).to.equal('running');
    await until(() => frames.length > 0, 5000, 'a frame');
    await capture.stop();
  });

  it('names the sound device when audio does not start in 10 s despite a gesture', async () => {
    inGesture(true);
    slowResume();
    const capture = new AudioCapture();
    const error = await startError(capture);
    expect(error.code).to.equal('audio-context-blocked');
    expect(error.message).to.contain('sound output device');
    expect(capture.state).to.equal('idle');
  });

  it('aborts a pending start (signal or stop()) and releases a late microphone', async () => {
    const streams: MediaStream[] = [];
    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    restore.push(
      stub(navigator.mediaDevices, 'getUserMedia', async (constraints?: MediaStreamConstraints) => {
        await sleep(300); // a permission prompt
        const stream = await real(constraints);
        streams.push(stream);
        return stream;
      })
    );
    const controller = new AbortController();
    const capture = new AudioCapture();
    const pending = startError(capture, controller.signal);
    await sleep(50);
    controller.abort();
    expect((await pending).code).to.equal('aborted');
    expect(capture.state).to.equal('idle');

    const other = new AudioCapture();
    const second = startError(other);
    await sleep(50);
    await other.stop();
    expect((await second).code).to.equal('aborted');

    await until(() => streams.length === 2, 3000, 'the late streams');
    await sleep(50);
    expect(streams.map((s) => s.getAudioTracks()[0]!.readyState)).to.deep.equal(['ended', 'ended']);
  });

  it('lists microphones and reads the permission state', async () => {
    const mics = await listMicrophones({ prompt: true });
    expect(mics.length).to.be.greaterThan(0);
    expect(mics.every((m) => m.kind === 'audioinput' && m.label !== '')).to.equal(true);
    expect(await microphonePermission()).to.equal('granted');
    restore.push(stub(navigator, 'permissions', undefined as unknown as Permissions));
    expect(await microphonePermission()).to.equal('unknown');
  });
});

describe('AudioCapture: devices', function () {
  this.timeout(20_000);
  // These tests measure audio in real time. On a busy two-core CI machine the sound server can
  // starve and glitch; a fault of the capture fails every attempt, a glitch only one.
  this.retries(2);
  let capture: AudioCapture | undefined;
  const restore: (() => void)[] = [];
  afterEach(async () => {
    await capture?.stop();
    capture = undefined;
    for (const undo of restore.splice(0).reverse()) undo();
  });

  skipIn('firefox', FIREFOX_TRACK_EVENTS)(
    'follows the default microphone when the track ends, without a gap in the frames',
    async () => {
      capture = new AudioCapture();
      const frames = recordFrames(capture);
      await capture.start();
      await until(() => frames.length >= 5, 5000, 'frames');
      const first = capture.source!.track!;
      const changed = nextEvent<CustomEvent<{ deviceId: string; label: string }>>(
        capture,
        'device-change'
      );
      const warnings: AudioCaptureWarning[] = [];
      capture.addEventListener('warning', ({ detail }) => warnings.push(detail));
      first.dispatchEvent(new Event('ended')); // what an unplugged device does
      const { detail } = await changed;
      expect(detail.label).to.be.a('string');
      expect(warnings.map((w) => w.code)).to.deep.equal(['device-lost']);
      expect(warnings[0]!.message).to.contain(`"${first.label}" was disconnected: now using`);
      expect(first.readyState).to.equal('ended', 'the old track is released');
      expect(capture.source!.track!.readyState).to.equal('live');
      const switched = frames.length;
      await until(() => frames.length >= switched + 10, 5000, 'frames from the new track');
      expect(frames.map((f) => f.seq)).to.deep.equal(frames.map((_, i) => i));
      // The frames also keep pace with the audio clock. Not checked in WebKit: on a busy CI
      // machine its clock once ran 380 ms ahead of the frames across the new getUserMedia, which
      // an idle machine never shows (the gap-free sequence above is checked everywhere).
      if (engine() !== 'webkit') expect(frameRateError(frames)).to.be.at.most(1);
    }
  );

  it("stops with microphone-not-found when the device goes away under devicePolicy 'stop'", async () => {
    capture = new AudioCapture({ devicePolicy: 'stop' });
    const frames = recordFrames(capture);
    await capture.start();
    await until(() => frames.length >= 3, 5000, 'frames');
    const failed = nextEvent<CustomEvent<{ error: LiveTranscriptError }>>(capture, 'error');
    // The device disappears from the list (the track itself stays live, as on PulseAudio).
    const devices = await navigator.mediaDevices.enumerateDevices();
    const mine = capture.source!.track!.getSettings().deviceId;
    restore.push(
      stub(navigator.mediaDevices, 'enumerateDevices', async () =>
        devices.filter((d) => d.deviceId !== mine)
      )
    );
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    const { error } = (await failed).detail;
    expect(error.code).to.equal('microphone-not-found');
    expect(capture.state).to.equal('idle');
    const count = frames.length;
    await sleep(200);
    expect(frames.length).to.equal(count);
  });

  it('falls back to the default microphone when the one in use is unplugged, with a device-lost warning', async () => {
    const [mic] = (await navigator.mediaDevices.enumerateDevices()).filter(
      (d) => d.kind === 'audioinput'
    );
    capture = new AudioCapture({ microphone: { deviceId: mic!.deviceId } });
    const frames = recordFrames(capture);
    const warnings: AudioCaptureWarning[] = [];
    capture.addEventListener('warning', ({ detail }) => warnings.push(detail));
    await capture.start();
    await until(() => frames.length >= 3, 5000, 'frames');
    const first = capture.source!.track!;
    // The device disappears from the list (the track itself stays live, as on PulseAudio).
    const devices = await navigator.mediaDevices.enumerateDevices();
    const mine = first.getSettings().deviceId;
    restore.push(
      stub(navigator.mediaDevices, 'enumerateDevices', async () =>
        devices.filter((d) => d.deviceId !== mine)
      )
    );
    const changed = nextEvent(capture, 'device-change');
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await changed;
    expect(warnings.map((w) => w.code)).to.deep.equal(['device-lost']);
    expect(warnings[0]!.message).to.match(/was disconnected: now using .*Pick another one/);
    expect(first.readyState).to.equal('ended', 'the old track is released');
    expect(capture.state).to.equal('running');
    const switched = frames.length;
    await until(() => frames.length >= switched + 5, 5000, 'frames after the switch');
    expect(frames.map((f) => f.seq)).to.deep.equal(frames.map((_, i) => i));
  });

  it('switches when the system default microphone changes', async () => {
    capture = new AudioCapture();
    const frames = recordFrames(capture);
    await capture.start();
    await until(() => frames.length >= 3, 5000, 'frames');
    const devices = await navigator.mediaDevices.enumerateDevices();
    // The system default: Chromium lists it as deviceId 'default', Firefox and WebKit first.
    const inputs = devices.filter((d) => d.kind === 'audioinput');
    const system = inputs.find((d) => d.deviceId === 'default') ?? inputs[0];
    const moved = devices.map((d) =>
      d === system ? { ...d.toJSON(), groupId: 'another-group', kind: d.kind } : d
    ) as MediaDeviceInfo[];
    restore.push(stub(navigator.mediaDevices, 'enumerateDevices', async () => moved));
    const changed = nextEvent(capture, 'device-change');
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await changed;
    const switched = frames.length;
    await until(() => frames.length >= switched + 5, 5000, 'frames after the switch');
    expect(frames.map((f) => f.seq)).to.deep.equal(frames.map((_, i) => i));
  });

  skipIn('firefox', FIREFOX_TRACK_EVENTS)('warns when the system mutes the track', async () => {
    capture = new AudioCapture();
    const warnings: AudioCaptureWarning[] = [];
    capture.addEventListener('warning', ({ detail }) => warnings.push(detail));
    await capture.start();
    const track = capture.source!.track!;
    track.dispatchEvent(new Event('mute'));
    track.dispatchEvent(new Event('mute'));
    expect(warnings.map((w) => w.code)).to.deep.equal(['track-muted']);
    expect(warnings[0]!.message).to.contain('unmute it');
    // Unmuted, then muted again: a new episode.
    track.dispatchEvent(new Event('unmute'));
    track.dispatchEvent(new Event('mute'));
    expect(warnings.map((w) => w.code)).to.deep.equal(['track-muted', 'track-muted']);
  });

  it('switchSource() before start() is an invalid-option error', async () => {
    let error: LiveTranscriptError | undefined;
    await new AudioCapture().switchSource().catch((e) => (error = e));
    expect(error?.code).to.equal('invalid-option');
  });
});
