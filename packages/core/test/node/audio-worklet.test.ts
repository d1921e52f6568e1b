// SPDX-License-Identifier: MIT
// The capture processor in a fake AudioWorkletGlobalScope: exact frames, padding on flush,
// downmix, empty inputs, pause/resume, timestamps, and no allocation per render quantum
// (audio.md §4; §10 targets 8, 10, 11). The browser tests run the same file in a real worklet.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Resampler, toInt16 } from '../../src/audio/index.js';
import {
  toMulaw,
  type CaptureProcessorOptions,
  type FrameMessage,
  type PcmEncoding,
} from '../../src/audio/pcm.js';
import { noise, tone } from './audio-signals.js';

interface FakePort {
  sent: { message: FrameMessage | string; transfer?: Transferable[] }[];
  postMessage(message: FrameMessage | string, transfer?: Transferable[]): void;
  onmessage: ((event: { data: string }) => void) | null;
}
interface Processor {
  port: FakePort;
  process(inputs: Float32Array[][]): boolean;
}
type ProcessorClass = new (options: { processorOptions: CaptureProcessorOptions }) => Processor;

const scope = globalThis as unknown as Record<string, unknown>;
const registered = new Map<string, ProcessorClass>();

before(async () => {
  scope.sampleRate = 48000;
  scope.currentTime = 0;
  scope.AudioWorkletProcessor = class {
    port: FakePort = {
      sent: [],
      postMessage(message, transfer) {
        this.sent.push({ message, transfer });
      },
      onmessage: null,
    };
  };
  scope.registerProcessor = (name: string, processor: ProcessorClass) =>
    registered.set(name, processor);
  await import('../../src/audio/capture-worklet.js');
});

after(() => {
  for (const name of ['sampleRate', 'currentTime', 'AudioWorkletProcessor', 'registerProcessor']) {
    delete scope[name];
  }
});

/** A processor at `rate` Hz, as the browser would create it. */
function createProcessor(
  rate: number,
  frameSamples = 800,
  targetRate = 16000,
  encoding?: PcmEncoding
) {
  scope.sampleRate = rate;
  const Processor = registered.get('live-transcript-capture')!;
  const processor = new Processor({ processorOptions: { targetRate, frameSamples, encoding } });
  let fed = 0;
  return {
    processor,
    /** Runs render quanta of `q` samples over `signal` (each channel an array), like the graph. */
    run(channels: Float32Array[], q = 128) {
      for (let at = 0; at < channels[0]!.length; at += q) {
        scope.currentTime = fed / rate;
        processor.process([channels.map((c) => c.subarray(at, at + q))]);
        fed += Math.min(q, channels[0]!.length - at);
      }
    },
    /** Runs quanta with an empty input (nothing connected), as the spec allows. */
    runEmpty(quanta: number, q = 128) {
      for (let i = 0; i < quanta; i++) {
        scope.currentTime = fed / rate;
        processor.process([[]]);
        fed += q;
      }
    },
    command(data: string) {
      processor.port.onmessage!({ data });
    },
    get frames() {
      return processor.port.sent
        .map((s) => s.message)
        .filter((m): m is FrameMessage => typeof m === 'object');
    },
  };
}

function pcm(frames: FrameMessage[]): Int16Array {
  const out = new Int16Array((frames.length * (frames[0]?.data.byteLength ?? 0)) / 2);
  frames.forEach((f, i) => out.set(new Int16Array(f.data), (i * f.data.byteLength) / 2));
  return out;
}

describe('capture worklet processor', () => {
  for (const rate of [48000, 44100]) {
    it(`${rate} Hz: 10 s make exactly 200 frames of 1600 bytes, equal to Resampler + toInt16`, () => {
      const input = noise(rate * 10, 21, 0.4);
      const w = createProcessor(rate);
      w.run([input]);
      w.command('flush');
      const frames = w.frames;
      assert.equal(frames.length, 200);
      frames.forEach((frame, i) => {
        assert.equal(frame.data.byteLength, 1600);
        assert.equal(frame.seq, i);
        assert.equal(frame.sampleOffset, i * 800);
      });
      const sent = w.processor.port.sent;
      assert.equal(sent.at(-1)!.message, 'flushed');
      assert.ok(
        sent.slice(0, -1).every((s) => s.transfer?.[0] === (s.message as FrameMessage).data)
      );
      const r = new Resampler(rate, 16000);
      const expected = [...r.process(input), ...r.flush()].map(toInt16);
      assert.deepEqual(Array.from(pcm(frames)), expected);
      assert.equal(w.processor.process([[new Float32Array(128)]]), false, 'ends after flush');
    });
  }

  it('encodes mu-law when asked: 10 s at 48 kHz make 200 frames of 800 bytes, padded with 0xFF', () => {
    const input = noise(48000 * 10 + 480, 21, 0.4);
    const w = createProcessor(48000, 800, 16000, 'pcm_mulaw');
    w.run([input]);
    w.command('flush');
    const frames = w.frames;
    assert.equal(frames.length, 201);
    frames.forEach((frame, i) => {
      assert.equal(frame.data.byteLength, 800);
      assert.equal(frame.sampleOffset, i * 800);
    });
    const r = new Resampler(48000, 16000);
    const expected = [...r.process(input), ...r.flush()].map((x) => toMulaw(toInt16(x)));
    const bytes = frames.flatMap((f) => Array.from(new Uint8Array(f.data)));
    assert.deepEqual(bytes.slice(0, expected.length), expected);
    assert.ok(
      bytes.slice(expected.length).every((b) => b === 0xff),
      'silence after the end'
    );
    // Levels come from the linear samples: the same as a PCM16 capture of the same input.
    const linear = createProcessor(48000);
    linear.run([input]);
    assert.deepEqual(
      frames.slice(0, 200).map((f) => [f.rms, f.peak, f.clipped]),
      linear.frames.map((f) => [f.rms, f.peak, f.clipped])
    );
  });

  it('passes samples straight through when the context already runs at the target rate', () => {
    const input = noise(16000, 3, 0.7);
    const w = createProcessor(16000);
    w.run([input]);
    assert.equal(w.frames.length, 20);
    assert.deepEqual(Array.from(pcm(w.frames)), Array.from(input, toInt16));
  });

  it('pads the last partial frame with zeros on flush', () => {
    const w = createProcessor(48000);
    w.run([tone(440, 48000, 0.51, 0.5)]); // 8160 samples at 16 kHz: 10 frames + 160
    w.command('flush');
    const frames = w.frames;
    assert.equal(frames.length, 11);
    const last = new Int16Array(frames[10]!.data);
    assert.equal(last.length, 800);
    assert.ok(
      last.subarray(100, 150).some((v) => v !== 0),
      'real samples first'
    );
    assert.ok(
      last.subarray(160).every((v) => v === 0),
      'then zeros'
    );
  });

  it('supports other frame durations and target rates (100 ms at 8 kHz)', () => {
    const w = createProcessor(44100, 800, 8000);
    w.run([noise(44100, 2)]);
    w.command('flush');
    assert.deepEqual(
      w.frames.map((f) => f.data.byteLength),
      Array.from({ length: 10 }, () => 1600)
    );
  });

  it('downmixes several channels to their mean', () => {
    const left = tone(500, 48000, 0.2, 0.5);
    const right = tone(1300, 48000, 0.2, 0.3);
    const mean = left.map((l, i) => (l + right[i]!) / 2);
    const stereo = createProcessor(48000);
    stereo.run([left, right]);
    const mono = createProcessor(48000);
    mono.run([mean]);
    assert.equal(stereo.frames.length, 3);
    assert.deepEqual(Array.from(pcm(stereo.frames)), Array.from(pcm(mono.frames)));
  });

  it('treats an empty input as silence, so frames and time keep going', () => {
    const w = createProcessor(48000);
    w.runEmpty(375); // 1 s
    assert.equal(w.frames.length, 19); // 20 minus the filter delay, pending
    assert.ok(w.frames.every((f) => f.rms === -100 && f.peak === -100));
  });

  it('stamps each frame with the context time of its last sample', () => {
    for (const rate of [48000, 44100]) {
      const w = createProcessor(rate);
      w.run([noise(rate, 4)]);
      for (const frame of w.frames) {
        const expected = (frame.sampleOffset + 800) / 16000;
        assert.ok(Math.abs(frame.time - expected) < 1e-9, `${frame.time} vs ${expected}`);
      }
    }
  });

  it('pause drops input and resume continues seq and sampleOffset', () => {
    const w = createProcessor(48000);
    w.run([noise(48000, 5)]);
    const before = w.frames.length;
    w.command('pause');
    w.run([noise(48000, 6)]);
    assert.equal(w.frames.length, before, 'no frames while paused');
    w.command('resume');
    w.run([noise(48000, 7)]);
    const frames = w.frames;
    assert.ok(frames.length >= before + 19);
    frames.forEach((frame, i) => {
      assert.equal(frame.seq, i);
      assert.equal(frame.sampleOffset, i * 800);
    });
  });

  it('allocates nothing per render quantum: one buffer per frame only', () => {
    const names = ['ArrayBuffer', 'DataView', 'Float32Array', 'Float64Array', 'Int16Array'];
    const original = names.map((name) => scope[name]);
    const counts: Record<string, number> = {};
    const w = createProcessor(44100);
    const input = noise(128 * 1000, 8);
    w.run([input.subarray(0, 128 * 300)]); // warm up: buffers grow to the quantum size once
    const framesBefore = w.frames.length;
    try {
      names.forEach((name, i) => {
        counts[name] = 0;
        scope[name] = class extends (original[i] as new (...args: unknown[]) => object) {
          constructor(...args: unknown[]) {
            super(...args);
            counts[name]!++;
          }
        };
      });
      w.run([input.subarray(128 * 300)]); // 700 quanta, 2.03 s
    } finally {
      names.forEach((name, i) => (scope[name] = original[i]));
    }
    const frames = w.frames.length - framesBefore;
    assert.ok(frames >= 40 && frames <= 41, `${frames} frames`);
    assert.deepEqual(counts, {
      ArrayBuffer: frames,
      DataView: frames,
      Float32Array: 0,
      Float64Array: 0,
      Int16Array: 0,
    });
  });

  it('meters in dBFS and saturates loud input without wrapping', () => {
    const w = createProcessor(48000);
    w.run([tone(1000, 48000, 0.5, 1.5)]);
    const frames = w.frames.slice(1);
    const samples = pcm(frames);
    assert.equal(Math.max(...samples), 32767);
    assert.equal(Math.min(...samples), -32767);
    assert.ok(frames.every((f) => f.clipped > 0 && f.peak > 3));
    const quiet = createProcessor(48000);
    quiet.run([tone(1000, 48000, 0.5, 1)]);
    const rms = quiet.frames[3]!.rms;
    assert.ok(Math.abs(rms - -3.01) < 0.05, `full-scale sine at ${rms} dBFS`);
  });
});
