// SPDX-License-Identifier: MIT
// The synthetic-audio helpers and the virtual clock of @live-transcript/core/testing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LiveTranscriptError } from '../../src/errors.js';
import {
  concatPcm16,
  createVirtualClock,
  decodeWav,
  floatToPcm16,
  pcm16Silence,
  pcm16Tone,
  sendPaced,
  splitFrames,
} from '../../src/testing/index.js';
import { FIXTURES } from './fake-server-client.js';

/** Builds a WAV file: `format` 1 (PCM) or 3 (float), interleaved `frames` of `channels`. */
function wav(
  format: 1 | 3 | 0xfffe,
  bits: number,
  sampleRate: number,
  channels: number,
  samples: number[]
) {
  const bytes = bits / 8;
  const extensible = format === 0xfffe;
  const fmtSize = extensible ? 40 : 16;
  const data = samples.length * bytes;
  const view = new DataView(new ArrayBuffer(12 + 8 + fmtSize + 8 + data + 8));
  const text = (at: number, s: string) =>
    [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, view.byteLength - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, format, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytes, true);
  view.setUint16(32, channels * bytes, true);
  view.setUint16(34, bits, true);
  if (extensible) {
    view.setUint16(36, 22, true);
    view.setUint16(44, 1, true); // sub-format: PCM
  }
  let at = 20 + fmtSize;
  text(at, 'LIST'); // an extra chunk the decoder must skip
  view.setUint32(at + 4, 0, true);
  at += 8;
  text(at, 'data');
  view.setUint32(at + 4, data, true);
  at += 8;
  for (const s of samples) {
    if (bits === 16) view.setInt16(at, Math.round(s * 32767), true);
    else if (bits === 24) {
      const v = Math.round(s * 8388607);
      view.setUint8(at, v & 0xff);
      view.setUint8(at + 1, (v >> 8) & 0xff);
      view.setUint8(at + 2, (v >> 16) & 0xff);
    } else if (bits === 8) view.setUint8(at, Math.round(s * 127) + 128);
    else if (format === 3) view.setFloat32(at, s, true);
    else view.setInt32(at, Math.round(s * 2147483647), true);
    at += bytes;
  }
  return view.buffer;
}

describe('decodeWav', () => {
  it('decodes the three speech fixtures to the same 14.7 s of audio', () => {
    const decoded = ['speech-16k.wav', 'speech-44k1.wav', 'speech-48k.wav'].map((file) =>
      decodeWav(readFileSync(new URL(file, FIXTURES)))
    );
    assert.deepEqual(
      decoded.map((d) => [d.sampleRate, d.channels]),
      [
        [16000, 1],
        [44100, 1],
        [48000, 1],
      ]
    );
    for (const { sampleRate, samples } of decoded) {
      assert.ok(Math.abs((samples.length / sampleRate) * 1000 - 14692) < 2);
      const rms = (from: number, to: number) => {
        const part = samples.subarray((from * sampleRate) / 1000, (to * sampleRate) / 1000);
        return Math.sqrt(part.reduce((sum, x) => sum + x * x, 0) / part.length);
      };
      assert.ok(rms(0, 400) < 0.001, 'leading silence');
      assert.ok(rms(600, 3800) > 0.02, 'first sentence');
      assert.ok(rms(4100, 5300) < 0.001, 'pause');
    }
  });

  it('decodes 8/16/24/32-bit PCM, float and WAVE_FORMAT_EXTENSIBLE, averaging channels', () => {
    const values = [0.5, -0.5, 0.25, 0.75];
    const cases: Array<[1 | 3 | 0xfffe, number]> = [
      [1, 8],
      [1, 16],
      [1, 24],
      [1, 32],
      [3, 32],
      [0xfffe, 16],
    ];
    for (const [format, bits] of cases) {
      const decoded = decodeWav(wav(format, bits, 8000, 2, values));
      assert.equal(decoded.sampleRate, 8000);
      assert.equal(decoded.channels, 2);
      assert.equal(decoded.samples.length, 2);
      assert.ok(Math.abs(decoded.samples[0]!) < 0.01, `${format}/${bits}: (0.5 - 0.5) / 2`);
      assert.ok(Math.abs(decoded.samples[1]! - 0.5) < 0.01, `${format}/${bits}: (0.25 + 0.75) / 2`);
    }
    const view = new Uint8Array(wav(1, 16, 16000, 1, [0.1, 0.2]));
    assert.equal(decodeWav(view.subarray(0)).samples.length, 2, 'accepts a typed array');
  });

  it('throws a typed error on anything else', () => {
    const bad = [
      new ArrayBuffer(4),
      new TextEncoder().encode('RIFF\0\0\0\0WAVEjunk'),
      wav(1, 12, 8000, 1, []),
    ];
    for (const data of bad) {
      assert.throws(
        () => decodeWav(data),
        (error: unknown) =>
          error instanceof LiveTranscriptError &&
          error.code === 'invalid-option' &&
          /^decodeWav: /.test(error.message)
      );
    }
  });
});

describe('synthetic PCM', () => {
  it('makes tones of the right length, level and pitch, and silence', () => {
    const tone = pcm16Tone(500, 200, 16000, 0.5);
    assert.equal(tone.length, 8000);
    assert.equal(Math.max(...tone), 16384);
    let crossings = 0;
    for (let i = 1; i < tone.length; i++) if (tone[i - 1]! < 0 !== tone[i]! < 0) crossings++;
    assert.ok(Math.abs(crossings - 200) <= 2, `${crossings} zero crossings for 100 cycles`);
    assert.deepEqual([...new Set(pcm16Silence(20, 48000))], [0]);
    assert.equal(pcm16Silence(20, 48000).length, 960);
  });

  it('converts floats with clamping and joins chunks', () => {
    assert.deepEqual(
      [...floatToPcm16(Float32Array.of(-2, -1, 0, 0.5, 1, 2))],
      [-32768, -32768, 0, 16383, 32767, 32767]
    );
    assert.deepEqual(
      [...concatPcm16(Int16Array.of(1, 2), Int16Array.of(), Int16Array.of(3))],
      [1, 2, 3]
    );
  });

  it('splits into frames, padding the tail with silence unless told not to', () => {
    const pcm = Int16Array.from({ length: 2000 }, (_, i) => i + 1);
    const frames = splitFrames(pcm, 50, 16000);
    assert.deepEqual(
      frames.map((f) => f.length),
      [800, 800, 800]
    );
    assert.equal(frames[2]![399], 2000);
    assert.equal(frames[2]![400], 0);
    assert.deepEqual(
      splitFrames(pcm, 50, 16000, false).map((f) => f.length),
      [800, 800, 400]
    );
  });

  it('sends at real time, faster when asked, and stops on abort or a throwing send', async () => {
    const times: number[] = [];
    const start = Date.now();
    assert.equal(
      await sendPaced(pcm16Silence(500), () => times.push(Date.now() - start), { frameMs: 100 }),
      5
    );
    assert.ok(times[4]! >= 395 && times[4]! < 2000, `fifth frame after ${times[4]} ms`);
    const fast: number[] = [];
    const fastStart = Date.now();
    await sendPaced(pcm16Silence(600), () => fast.push(Date.now() - fastStart), {
      frameMs: 100,
      speed: 3,
    });
    assert.ok(fast[5]! >= 160 && fast[5]! < 1000, `sixth frame after ${fast[5]} ms at 3x`);
    const controller = new AbortController();
    let count = 0;
    const sent = await sendPaced(
      pcm16Silence(1000),
      () => {
        if (++count === 2) controller.abort();
      },
      { frameMs: 50, signal: controller.signal }
    );
    assert.equal(sent, 2);
    assert.equal(
      await sendPaced(pcm16Silence(1000), () => {
        throw new Error('closed');
      }),
      0
    );
  });
});

describe('createVirtualClock', () => {
  it('runs due timers in time order and only when advanced', () => {
    const clock = createVirtualClock(1000);
    const log: string[] = [];
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 200);
    const cancelled = clock.setTimeout(() => log.push('never'), 100);
    clock.setTimeout(() => {
      log.push(`a@${clock.now()}`);
      clock.setTimeout(() => log.push(`c@${clock.now()}`), 50);
    }, 150);
    clock.clearTimeout(cancelled);
    clock.advance(149);
    assert.deepEqual(log, []);
    clock.advance(1000);
    assert.deepEqual(log, ['a@1150', 'b@1200', 'c@1200']);
    assert.equal(clock.now(), 2149);
  });
});
