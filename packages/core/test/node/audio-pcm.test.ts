// SPDX-License-Identifier: MIT
// Float32 -> Int16 conversion, G.711 mu-law, dBFS levels and framing (audio.md §3, §7; §10
// targets 11, 16, 18).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbfs, toInt16 } from '../../src/audio/index.js';
import { Framer, fromMulaw, toMulaw, type FrameMessage } from '../../src/audio/pcm.js';
import { tone } from './audio-signals.js';

describe('toInt16', () => {
  it('clamps instead of wrapping', () => {
    assert.equal(toInt16(1.5), 32767);
    assert.equal(toInt16(-1.5), -32767);
    assert.equal(toInt16(1), 32767);
    assert.equal(toInt16(-1), -32767);
    assert.equal(toInt16(40000 / 32767), 32767);
    assert.equal(toInt16(Infinity), 32767);
    assert.equal(toInt16(-Infinity), -32767);
    // What a plain Int16Array store would have done:
    assert.equal(new Int16Array([40000])[0], -25536);
  });

  it('rounds to nearest instead of truncating toward zero', () => {
    assert.equal(toInt16(0.7 / 32767), 1);
    assert.equal(toInt16(-0.7 / 32767), -1);
    assert.equal(toInt16(0.3 / 32767), 0);
    assert.equal(toInt16(0.5), 16384);
    assert.equal(toInt16(-0.25), -8192);
    assert.equal(new Int16Array([0.7])[0], 0);
  });

  it('maps NaN and -0 to 0', () => {
    assert.equal(toInt16(NaN), 0);
    assert.ok(Object.is(toInt16(-0), 0));
    assert.ok(Object.is(toInt16(-0.3 / 32767), 0));
  });

  it('is monotonic and within [-32767, 32767] over the whole range', () => {
    let previous = -Infinity;
    for (let x = -1.2; x <= 1.2; x += 1 / 65536) {
      const v = toInt16(x);
      assert.ok(v >= previous && v >= -32767 && v <= 32767);
      previous = v;
    }
  });
});

describe('G.711 mu-law', () => {
  it('encodes the reference values: 0 → 0xFF, full scale → 0x80 / 0x00, segment edges', () => {
    assert.equal(toMulaw(0), 0xff);
    assert.equal(toMulaw(-1), 0x7f, 'the negative zero code');
    assert.equal(toMulaw(32767), 0x80);
    assert.equal(toMulaw(-32768), 0x00);
    assert.equal(toMulaw(32635), 0x80, 'the clip level is the top code');
    assert.equal(toMulaw(40000), 0x80, 'beyond it, clipped');
    // Segment 0 (steps of 8), then each segment doubles the step: the first code of each.
    assert.equal(toMulaw(8), 0xfe);
    assert.equal(toMulaw(123), 0xf0, 'the last code of segment 0');
    assert.equal(toMulaw(124), 0xef, 'the first of segment 1');
    assert.equal(toMulaw(-124), 0x6f);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((segment) => toMulaw((0x84 << segment) - 0x84)),
      [0xff, 0xef, 0xdf, 0xcf, 0xbf, 0xaf, 0x9f, 0x8f]
    );
  });

  it('decodes the reference values', () => {
    assert.equal(fromMulaw(0xff), 0);
    assert.ok(Object.is(fromMulaw(0x7f), 0), 'no -0');
    assert.equal(fromMulaw(0x80), 32124);
    assert.equal(fromMulaw(0x00), -32124);
    assert.equal(fromMulaw(0xfe), 8);
    assert.equal(fromMulaw(0xef), 132, 'the middle of its step, 124..139');
    assert.equal(fromMulaw(0x6f), -132);
    assert.equal(fromMulaw(0x8f), 16764, 'the middle of its step, 16252..17275');
  });

  it('round-trips every code (but -0), and every 16-bit sample within half a step', () => {
    for (let code = 0; code < 256; code++) {
      assert.equal(toMulaw(fromMulaw(code)), code === 0x7f ? 0xff : code, `code ${code}`);
    }
    let previous = -Infinity;
    for (let x = -32768; x <= 32767; x++) {
      const code = toMulaw(x);
      assert.ok(code >= 0 && code <= 255 && Number.isInteger(code));
      const back = fromMulaw(code);
      const magnitude = Math.min(Math.abs(x), 32635);
      // The step of a segment is 1/16 of its lower edge (biased): half a step is at most 1/32.
      const bound = (magnitude + 0x84) / 32 + (Math.abs(x) - magnitude);
      assert.ok(Math.abs(back - x) <= bound, `${x} -> ${code} -> ${back}`);
      // Monotonic: a larger sample never decodes smaller.
      assert.ok(back >= previous, `monotonic at ${x}`);
      previous = back;
    }
  });

  it('keeps a sine 35-39 dB above the quantisation noise from full scale down to -40 dBFS', () => {
    for (const amplitude of [0.9, 0.5, 0.1, 0.03, 0.01]) {
      let signal = 0;
      let noise = 0;
      for (const x of tone(997, 16000, 1, amplitude)) {
        const s = toInt16(x);
        signal += s * s;
        noise += (fromMulaw(toMulaw(s)) - s) ** 2;
      }
      const snr = 10 * Math.log10(signal / noise);
      assert.ok(snr > 35 && snr < 39, `amplitude ${amplitude}: SNR ${snr.toFixed(1)} dB`);
    }
  });
});

describe('dbfs', () => {
  it('is 20 log10 with a -100 dB floor', () => {
    assert.equal(dbfs(1), 0);
    assert.ok(Math.abs(dbfs(0.5) - -6.0206) < 1e-4);
    assert.equal(dbfs(0), -100);
    assert.equal(dbfs(1e-9), -100);
  });
});

describe('Framer', () => {
  const collect = (size: number) => {
    const frames: FrameMessage[] = [];
    return { frames, framer: new Framer(size, (frame) => frames.push(frame)) };
  };

  it('emits frames of exactly size samples, little endian, with seq and offsets', () => {
    const { frames, framer } = collect(800);
    for (let i = 0; i < 800 * 3 + 10; i++) framer.push(i === 1 ? 0x1234 / 32767 : 0);
    assert.equal(frames.length, 3);
    assert.deepEqual(
      frames.map((f) => [f.data.byteLength, f.seq, f.sampleOffset]),
      [
        [1600, 0, 0],
        [1600, 1, 800],
        [1600, 2, 1600],
      ]
    );
    const bytes = new Uint8Array(frames[0]!.data);
    assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 0x34, 0x12]);
    assert.equal(new DataView(frames[0]!.data).getInt16(2, true), 0x1234);
    assert.notEqual(frames[0]!.data, frames[1]!.data, 'a new buffer per frame');
  });

  it('pads the last partial frame with zeros, once', () => {
    const { frames, framer } = collect(800);
    for (let i = 0; i < 1000; i++) framer.push(0.5);
    assert.equal(framer.pad(), true);
    assert.equal(framer.pad(), false);
    assert.equal(frames.length, 2);
    const last = new DataView(frames[1]!.data);
    assert.equal(last.getInt16(199 * 2, true), 16384);
    assert.equal(last.getInt16(200 * 2, true), 0);
    assert.equal(last.getInt16(799 * 2, true), 0);
  });

  it('meters: a full-scale sine reads -3.01 dBFS RMS, 0 dBFS peak, and counts clipping', () => {
    const { frames, framer } = collect(800);
    for (const x of tone(1000, 16000, 0.1, 1)) framer.push(x);
    assert.equal(frames.length, 2);
    assert.ok(Math.abs(frames[0]!.rms - -3.0103) < 0.05, `rms ${frames[0]!.rms}`);
    assert.ok(Math.abs(frames[0]!.peak) < 0.01, `peak ${frames[0]!.peak}`);
    assert.ok(frames[0]!.clipped > 0);
  });

  it('meters: silence reads -100 dBFS; half scale -9.03 dBFS RMS; no clipping', () => {
    const { frames, framer } = collect(800);
    for (let i = 0; i < 800; i++) framer.push(0);
    for (const x of tone(1000, 16000, 0.05, 0.5)) framer.push(x);
    assert.deepEqual([frames[0]!.rms, frames[0]!.peak, frames[0]!.clipped], [-100, -100, 0]);
    assert.ok(Math.abs(frames[1]!.rms - -9.0309) < 0.05);
    assert.equal(frames[1]!.clipped, 0);
  });

  it('mu-law: one byte per sample (800 bytes per 50 ms at 16 kHz), levels of the linear samples', () => {
    const frames: FrameMessage[] = [];
    const framer = new Framer(800, (frame) => frames.push(frame), 'pcm_mulaw');
    const signal = tone(1000, 16000, 0.1, 1);
    for (const x of signal) framer.push(x);
    for (let i = 0; i < 10; i++) framer.push(0.25);
    assert.equal(framer.pad(), true);
    assert.deepEqual(
      frames.map((f) => [f.data.byteLength, f.seq, f.sampleOffset]),
      [
        [800, 0, 0],
        [800, 1, 800],
        [800, 2, 1600],
      ]
    );
    const bytes = new Uint8Array(frames[0]!.data);
    assert.deepEqual(
      Array.from(bytes.subarray(0, 100)),
      Array.from(signal.subarray(0, 100), (x) => toMulaw(toInt16(x)))
    );
    // The same levels as PCM16 frames: metered before encoding.
    assert.ok(Math.abs(frames[0]!.rms - -3.0103) < 0.05, `rms ${frames[0]!.rms}`);
    assert.ok(Math.abs(frames[0]!.peak) < 0.01, `peak ${frames[0]!.peak}`);
    assert.ok(frames[0]!.clipped > 0);
    // The padding is mu-law silence (0xFF), not 0x00 (full scale negative).
    const last = new Uint8Array(frames[2]!.data);
    assert.deepEqual([...last.subarray(0, 10)], new Array(10).fill(toMulaw(toInt16(0.25))));
    assert.ok(last.subarray(10).every((b) => b === 0xff));
  });

  it('counts samples over full scale and saturates them', () => {
    const { frames, framer } = collect(4);
    for (const x of [1.5, -1.5, 0.9995, 0.5]) framer.push(x);
    assert.equal(frames[0]!.clipped, 3);
    const view = new DataView(frames[0]!.data);
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => view.getInt16(i * 2, true)),
      [32767, -32767, 32751, 16384]
    );
  });
});
