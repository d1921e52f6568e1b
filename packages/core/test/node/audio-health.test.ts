// SPDX-License-Identifier: MIT
// AudioHealth on synthetic frames: speech-like signals (noise shaped into syllables, with
// pauses) at a normal level, overdriven, and 45 dB too quiet; steady noise; digital silence.
// Frames are metered by the capture's own Framer, as in the worklet.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Framer, type FrameMessage } from '../../src/audio/pcm.js';
import { AudioHealth, warningMessage, type AudioWarningCode } from '../../src/audio/health.js';
import { noise } from './audio-signals.js';

const RATE = 16000;

/**
 * Speech-like audio: 4 syllables per second of noise under a raised-sine envelope, in phrases of
 * 3 s with 1 s pauses of digital silence; peaks near `amp`.
 */
function speech(seconds: number, amp: number, seed = 7): Float32Array {
  const x = noise(Math.round(seconds * RATE), seed, 1);
  for (let i = 0; i < x.length; i++) {
    const t = i / RATE;
    const inPhrase = t % 4 < 3;
    const envelope = Math.sin(Math.PI * ((t * 4) % 1)) ** 2;
    x[i] = inPhrase ? x[i]! * envelope * amp : 0;
  }
  return x;
}

/** Steady noise (a fan, a hum), RMS about `db` dBFS. */
function steady(seconds: number, db: number): Float32Array {
  const x = noise(Math.round(seconds * RATE), 3, 1);
  const gain = 10 ** (db / 20) * Math.sqrt(3);
  for (let i = 0; i < x.length; i++) x[i]! *= gain;
  return x;
}

/** Overdriven: `gain` times louder; samples past full scale count as clipped. */
const overdrive = (x: Float32Array, gain: number) => x.map((v) => v * gain);

/** Frames of 50 ms, metered as the worklet meters them. */
function frames(...signals: Float32Array[]): FrameMessage[] {
  const out: FrameMessage[] = [];
  const framer = new Framer(800, (frame) => out.push(frame));
  for (const signal of signals) for (const x of signal) framer.push(x);
  return out;
}

/** Feeds frames; returns each warning with the audio time (ms) it came at. */
function run(health: AudioHealth, list: FrameMessage[], warnings: Warned[] = [], at = { ms: 0 }) {
  for (const frame of list) {
    at.ms += 50;
    health.frame(frame);
    for (const w of pending.splice(0)) warnings.push({ ...w, atMs: at.ms });
  }
  return warnings;
}

interface Warned {
  code: AudioWarningCode;
  message: string;
  atMs: number;
}
const pending: Omit<Warned, 'atMs'>[] = [];
const newHealth = (kind = 'microphone') => {
  const health = new AudioHealth({ onWarning: (code, message) => pending.push({ code, message }) });
  health.kind = kind;
  return health;
};
const codes = (warnings: Warned[]) => warnings.map((w) => w.code);

describe('AudioHealth', () => {
  it('says nothing about speech at a normal level (peaks around -6 dBFS)', () => {
    const health = newHealth();
    assert.deepEqual(codes(run(health, frames(speech(40, 0.5)))), []);
  });

  it('warns about sustained clipping once, and tells to lower the input volume', () => {
    const health = newHealth();
    const warnings = run(health, frames(overdrive(speech(30, 0.5), 4)));
    assert.deepEqual(codes(warnings), ['clipping']);
    assert.ok(warnings[0]!.atMs <= 1500, `after ${warnings[0]!.atMs} ms`);
    assert.match(warnings[0]!.message, /clipping.*lower its input volume/);
  });

  it('does not call one loud click every few seconds clipping', () => {
    const health = newHealth();
    const signal = speech(30, 0.5);
    for (let s = 1; s < 30; s += 4) for (let i = 0; i < 10; i++) signal[s * RATE + i] = 1.2;
    assert.ok(
      frames(signal).some((f) => f.clipped >= 2),
      'the clicks clip'
    );
    assert.deepEqual(codes(run(health, frames(signal))), []);
  });

  it('warns once about speech 45 dB too quiet, after a few seconds, and tells to raise the volume', () => {
    const health = newHealth();
    const quiet = speech(30, 0.5 * 10 ** (-45 / 20));
    const warnings = run(health, frames(quiet));
    assert.deepEqual(codes(warnings), ['too-quiet']);
    assert.ok(
      warnings[0]!.atMs >= 3000 && warnings[0]!.atMs <= 8000,
      `after ${warnings[0]!.atMs} ms`
    );
    assert.match(warnings[0]!.message, /very quiet: raise its input volume/);
  });

  it('tells quiet speech from silence and steady noise: neither is too quiet', () => {
    const health = newHealth();
    const warnings = run(health, frames(steady(20, -60), steady(20, -75)));
    assert.deepEqual(codes(warnings), []);
    // Digital silence is `silence`, never `too-quiet`.
    assert.deepEqual(codes(run(health, frames(new Float32Array(20 * RATE)))), ['silence']);
  });

  it('warns again after the condition has recovered, at most every 30 s', () => {
    const quiet = (seconds: number) => speech(seconds, 0.5 * 10 ** (-45 / 20), 11);
    const normal = (seconds: number) => speech(seconds, 0.5, 13);
    const health = newHealth();
    const at = { ms: 0 };
    const warnings: Warned[] = [];
    run(health, frames(quiet(10)), warnings, at);
    run(health, frames(quiet(5)), warnings, at); // the same episode
    assert.deepEqual(codes(warnings), ['too-quiet']);
    run(health, frames(normal(8)), warnings, at); // recovered
    run(health, frames(quiet(10)), warnings, at); // too quiet again, within 30 s of the warning
    assert.deepEqual(codes(warnings), ['too-quiet'], 'rate-limited');
    const second = run(health, frames(quiet(10)), [], at);
    assert.deepEqual(codes(second), ['too-quiet'], 'warned again once 30 s had passed');
    const gap = second[0]!.atMs - warnings[0]!.atMs;
    assert.ok(gap >= 30_000 && gap < 31_000, `${gap} ms apart`);

    // Clipping too: an episode ends after 5 s without clipping.
    const clip = newHealth();
    const c: Warned[] = [];
    const t = { ms: 0 };
    run(clip, frames(overdrive(speech(5, 0.5), 4)), c, t);
    run(clip, frames(speech(30, 0.5)), c, t);
    run(clip, frames(overdrive(speech(5, 0.5), 4)), c, t);
    assert.deepEqual(codes(c), ['clipping', 'clipping']);
  });

  it('warns about silence after 2 s, naming what to check for each kind of input', () => {
    const health = newHealth('element');
    const warnings = run(health, frames(new Float32Array(3 * RATE)));
    assert.deepEqual(codes(warnings), ['silence']);
    assert.equal(warnings[0]!.atMs, 2050);
    assert.match(warnings[0]!.message, /CORS/);
    assert.match(warningMessage('silence'), /microphone.*not muted/);
    assert.match(warningMessage('clipping', 'display'), /shared tab/);
  });

  it('raises event-driven codes once per episode, without a rate limit', () => {
    const health = newHealth();
    assert.equal(health.raise('track-muted'), true);
    assert.equal(health.raise('track-muted'), false);
    health.clear('track-muted');
    assert.equal(health.raise('track-muted', 'custom'), true);
    assert.deepEqual(pending.splice(0), [
      { code: 'track-muted', message: warningMessage('track-muted') },
      { code: 'track-muted', message: 'custom' },
    ]);
    health.reset();
    assert.equal(health.raise('track-muted'), true);
    pending.splice(0);
  });
});
