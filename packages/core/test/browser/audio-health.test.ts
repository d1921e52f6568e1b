// SPDX-License-Identifier: MIT
// Audio health warnings in real browsers: the speech fixture fed as too loud (clipped), far too
// quiet, and at its own level; a Bluetooth headset and a narrowband track. The fixture is an
// AudioSource in the capture's own context, so this runs the same in every engine.
import { expect } from '@open-wc/testing';
import { type AudioCaptureWarning } from '../../src/index.js';
import { AudioCapture } from '../../src/audio/index.js';
import { captureSuite, fixtureSource, recordFrames, stub, until } from './audio-helpers.js';

describe('AudioCapture: audio health warnings', function () {
  this.timeout(30_000);
  this.retries(1);
  const suite = captureSuite();

  function warningsOf(c: AudioCapture) {
    const warnings: AudioCaptureWarning[] = [];
    c.addEventListener('warning', ({ detail }) => warnings.push(detail));
    return warnings;
  }

  it('warns once that the microphone is clipping when the fixture comes 12 dB too loud', async () => {
    suite.capture = new AudioCapture({ source: fixtureSource(4) });
    const warnings = warningsOf(suite.capture);
    const frames = recordFrames(suite.capture);
    await suite.capture.start();
    await until(() => warnings.some((w) => w.code === 'clipping'), 8000, 'a clipping warning');
    // Sustained: it came after several clipped frames, and only once however long it goes on.
    expect(frames.filter((f) => f.clipped > 0).length).to.be.at.least(3);
    await until(() => frames.length >= 120, 8000, '6 s of audio');
    expect(warnings.map((w) => w.code)).to.deep.equal(['clipping']);
    expect(warnings[0]!.message).to.match(/clipping.*lower its input volume/);
  });

  it('warns that speech is too quiet when the fixture comes 45 dB too low, not about silence', async () => {
    suite.capture = new AudioCapture({ source: fixtureSource(10 ** (-45 / 20)) });
    const warnings = warningsOf(suite.capture);
    const frames = recordFrames(suite.capture);
    await suite.capture.start();
    await until(() => warnings.some((w) => w.code === 'too-quiet'), 12_000, 'a too-quiet warning');
    // Several seconds of quiet speech first (the fixture speaks from 0.5 s).
    expect(frames.length * 0.05).to.be.at.least(3.5);
    expect(Math.max(...frames.map((f) => f.rms))).to.be.below(-50);
    expect(warnings.map((w) => w.code)).to.deep.equal(['too-quiet']);
    expect(warnings[0]!.message).to.match(/very quiet.*raise its input volume/);
  });

  it('says nothing about the fixture at its own level', async () => {
    suite.capture = new AudioCapture({ source: fixtureSource(1) });
    const warnings = warningsOf(suite.capture);
    const frames = recordFrames(suite.capture);
    await suite.capture.start();
    await until(() => frames.length >= 160, 12_000, '8 s of audio');
    expect(frames.some((f) => f.rms > -30)).to.equal(true, 'speech was heard');
    expect(warnings).to.deep.equal([]);
  });

  /** getUserMedia tracks that look like `label` with `settings` over their own. */
  function disguiseMicrophone(label: string, settings: MediaTrackSettings) {
    const devices = navigator.mediaDevices;
    const real = devices.getUserMedia.bind(devices);
    suite.restore.push(
      stub(devices, 'getUserMedia', async (constraints?: MediaStreamConstraints) => {
        const stream = await real(constraints);
        for (const track of stream.getAudioTracks()) {
          const own = track.getSettings();
          Object.defineProperty(track, 'label', { value: label });
          Object.defineProperty(track, 'getSettings', { value: () => ({ ...own, ...settings }) });
        }
        return stream;
      })
    );
  }

  it('warns about a Bluetooth headset in call mode, and about a narrowband track', async () => {
    const cases: [string, MediaTrackSettings, string[], string][] = [
      ['AirPods Pro (Bluetooth) Hands-Free', {}, ['low-bandwidth-input'], 'is a Bluetooth headset'],
      ['USB audio', { sampleRate: 16000 }, ['low-bandwidth-input'], 'runs at 16 kHz'],
      ['Built-in Microphone', { sampleRate: 48000 }, [], ''], // wideband, an ordinary name
    ];
    for (const [label, settings, codes, text] of cases) {
      disguiseMicrophone(label, settings);
      suite.capture = new AudioCapture();
      const warnings = warningsOf(suite.capture);
      await suite.capture.start();
      expect(warnings.map((w) => w.code)).to.deep.equal(codes, label);
      if (text) expect(warnings[0]!.message).to.contain(text).and.to.contain('wired microphone');
      await suite.capture.stop();
      for (const undo of suite.restore.splice(0).reverse()) undo();
    }
  });
});
