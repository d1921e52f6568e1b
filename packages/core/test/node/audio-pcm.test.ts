// SPDX-License-Identifier: MIT
// Float32 -> Int16 conversion, dBFS levels and framing (audio.md §3, §7; §10 targets 11, 16, 18).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbfs, toInt16 } from '../../src/index.js';
import { Framer, type FrameMessage } from '../../src/audio/pcm.js';
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
