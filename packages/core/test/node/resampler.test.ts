// SPDX-License-Identifier: MIT
// Measures the resampler with generated signals (audio.md §2.4, §10 targets 1-4, 9, 10, 13):
// alias rejection of tones and sweeps, passband flatness, SINAD, alignment, chunk invariance
// and exact output lengths. The naive linear-interpolation resampler runs through the same
// measurements and fails them, which shows that the measurements can fail.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LiveTranscriptError } from '../../src/index.js';
import { Resampler } from '../../src/audio/index.js';
import {
  LinearResampler,
  chirp,
  db,
  noise,
  rms,
  sineFit,
  spectrum,
  streamed,
  tone,
} from './audio-signals.js';

const OUT = 16000;
/** Filter warm-up skipped at both ends of a measurement (audio.md §2.4). */
const TRIM = 0.12;

function gainDb(
  make: () => { process(x: Float32Array): Float32Array; flush(): Float32Array },
  input: Float32Array,
  fin: number
) {
  const out = streamed(make(), input, 128);
  const skipIn = Math.round(TRIM * fin);
  const skipOut = Math.round(TRIM * OUT);
  return db(rms(out, skipOut, out.length - skipOut) / rms(input, skipIn, input.length - skipIn));
}

/** The strongest output left by any single tone from 8.8 kHz to Nyquist (150 Hz steps). */
function worstAlias(
  fin: number,
  make: () => { process(x: Float32Array): Float32Array; flush(): Float32Array }
) {
  let worst = { f: 0, db: -Infinity };
  for (let f = 8800; f <= fin / 2 - 100; f += 150) {
    const level = gainDb(make, tone(f, fin, 0.5), fin);
    if (level > worst.db) worst = { f, db: level };
  }
  return worst;
}

describe('Resampler: alias rejection (every tone >= 8.8 kHz at least 70 dB down)', () => {
  for (const fin of [48000, 44100]) {
    it(`${fin} -> 16000: every tone from 8.8 kHz to ${fin / 2 - 100} Hz`, () => {
      const worst = worstAlias(fin, () => new Resampler(fin, OUT));
      console.log(`  worst alias ${fin}: ${worst.db.toFixed(1)} dB at ${worst.f} Hz`);
      assert.ok(worst.db <= -70, `alias at ${worst.f} Hz is only ${worst.db.toFixed(1)} dB down`);
    });

    it(`${fin} -> 16000: a sweep from 8.8 kHz to Nyquist is at least 85 dB down`, () => {
      const level = gainDb(() => new Resampler(fin, OUT), chirp(8800, fin / 2 - 50, fin, 3), fin);
      console.log(`  sweep ${fin}: ${level.toFixed(1)} dB`);
      assert.ok(level <= -85, `sweep leaks ${level.toFixed(1)} dB`);
    });
  }

  for (const fin of [96000, 32000, 22050, 44101]) {
    it(`${fin} -> 16000: tones above 8.8 kHz at least 70 dB down`, () => {
      let worst = -Infinity;
      for (let f = 8800; f <= fin / 2 - 100; f += fin > 48000 ? 450 : 150) {
        worst = Math.max(
          worst,
          gainDb(() => new Resampler(fin, OUT), tone(f, fin, 0.3), fin)
        );
      }
      assert.ok(worst <= -70, `worst alias ${worst.toFixed(1)} dB`);
    });
  }

  it('the same measurement fails a linear-interpolation resampler (0 dB at 48 kHz)', () => {
    const linear = worstAlias(48000, () => new LinearResampler(48000, OUT));
    assert.ok(linear.db > -3, `linear interpolation measured ${linear.db.toFixed(1)} dB`);
    const linear44 = gainDb(() => new LinearResampler(44100, OUT), tone(12000, 44100, 0.5), 44100);
    assert.ok(
      linear44 > -20,
      `linear interpolation at 44.1 kHz measured ${linear44.toFixed(1)} dB`
    );
  });

  it('the output spectrum of a 12 kHz tone at 48 kHz has no line at its 4 kHz alias', () => {
    const out = streamed(new Resampler(48000, OUT), tone(12000, 48000, 1, 0.5), 128);
    const bins = spectrum(out.subarray(4000, 4000 + 8192));
    const reference = spectrum(tone(4000, OUT, 8192 / OUT, 0.5));
    const k = Math.round((4000 * 8192) / OUT);
    assert.ok(
      db(bins[k]! / reference[k]!) < -70,
      `4 kHz alias at ${db(bins[k]! / reference[k]!)} dB`
    );
  });
});

describe('Resampler: passband (within 0.1 dB to 7 kHz)', () => {
  for (const fin of [48000, 44100, 96000, 22050, 8000]) {
    it(`${fin} -> 16000`, () => {
      const top = Math.min(7000, fin * 0.45);
      const freqs = [100, 300, 1000, 2000, 3400, 5000, 6000, 7000].filter((f) => f <= top);
      let worst = 0;
      for (const f of freqs) {
        const level = gainDb(() => new Resampler(fin, OUT), tone(f, fin, 0.5), fin);
        if (Math.abs(level) > Math.abs(worst)) worst = level;
      }
      console.log(`  passband ${fin}: worst ${worst.toFixed(4)} dB`);
      assert.ok(Math.abs(worst) <= 0.1, `passband deviation ${worst.toFixed(3)} dB`);
    });
  }
});

describe('Resampler: fidelity and timing', () => {
  for (const fin of [48000, 44100]) {
    it(`${fin} -> 16000: SINAD at 997 Hz >= 90 dB`, () => {
      const out = streamed(new Resampler(fin, OUT), tone(997, fin, 1, 0.5), 128);
      const { amplitude, residualRms } = sineFit(out, 997, OUT, 2000, out.length - 2000);
      const sinad = db(amplitude / Math.SQRT2 / residualRms);
      console.log(`  SINAD ${fin}: ${sinad.toFixed(1)} dB`);
      assert.ok(sinad >= 90, `SINAD ${sinad.toFixed(1)} dB`);
    });

    it(`${fin} -> 16000: output is aligned with the input (delay compensated)`, () => {
      // A 1 kHz tone in, the same tone out, in phase: the residual against the ideal tone at
      // the output rate is tiny only if no delay was added.
      const out = streamed(new Resampler(fin, OUT), tone(1000, fin, 0.5), 128);
      const ideal = tone(1000, OUT, 0.5);
      let err = 0;
      for (let i = 2000; i < out.length - 2000; i++) err += (out[i]! - ideal[i]!) ** 2;
      const level = db(Math.sqrt(err / (out.length - 4000)) / rms(ideal, 2000, out.length - 2000));
      assert.ok(level < -70, `misalignment residual ${level.toFixed(1)} dB`);
    });
  }

  it('group delay (filter latency) stays within 2 ms', () => {
    for (const fin of [48000, 44100]) {
      const r = new Resampler(fin, OUT);
      const delayMs = ((r.taps - 1) / 2 / fin) * 1000;
      assert.ok(delayMs <= 2, `${fin}: ${delayMs} ms`);
      // An impulse at input sample 300 peaks at output sample 300 × out / in: no added delay.
      const impulse = new Float32Array(3 * 200);
      impulse[300] = 1;
      const out = streamed(new Resampler(fin, OUT), impulse, 1);
      let peak = 0;
      for (let i = 1; i < out.length; i++) if (Math.abs(out[i]!) > Math.abs(out[peak]!)) peak = i;
      assert.ok(Math.abs(peak - (300 * OUT) / fin) <= 1, `impulse peak at ${peak}`);
    }
  });

  it('equal rates pass samples through bit for bit', () => {
    const input = noise(5000, 7);
    const r = new Resampler(16000, 16000);
    assert.equal(r.taps, 1);
    const out = streamed(r, input, 333);
    assert.deepEqual(Array.from(out), Array.from(input));
  });
});

describe('Resampler: streaming', () => {
  const rates = [48000, 44100, 96000, 32000, 22050, 16000, 8000, 44101];

  for (const fin of rates) {
    it(`${fin} -> 16000: bit-identical for chunk sizes 1, 127, 128, 441, 4096 and random`, () => {
      const input = noise(fin, 3); // 1 s
      const whole = streamed(new Resampler(fin, OUT), input, input.length);
      let seed = 5;
      const random = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return 1 + (seed % 2000);
      };
      for (const size of [1, 127, 128, 441, 4096, random]) {
        const out = streamed(new Resampler(fin, OUT), input, size);
        assert.equal(out.length, whole.length);
        let diff = 0;
        for (let i = 0; i < out.length; i++) diff = Math.max(diff, Math.abs(out[i]! - whole[i]!));
        assert.equal(diff, 0, `chunk size ${typeof size === 'number' ? size : 'random'}`);
      }
    });
  }

  it('output length is exactly ceil(length x out / in), for any length', () => {
    for (const fin of rates) {
      for (const length of [0, 1, 2, 3, 440, 441, 442, 1000, 12345, fin]) {
        const out = streamed(new Resampler(fin, OUT), noise(length, length + 1), 128);
        assert.equal(out.length, Math.ceil((length * OUT) / fin), `${fin} Hz, ${length} samples`);
      }
    }
  });

  it('10 s at 48 and 44.1 kHz give exactly 160 000 samples = 200 frames of 800', () => {
    for (const fin of [48000, 44100]) {
      const r = new Resampler(fin, OUT);
      const input = noise(fin * 10, 9);
      let total = 0;
      for (let at = 0; at < input.length; at += 128) {
        total += r.process(input.subarray(at, at + 128)).length;
      }
      total += r.flush().length;
      assert.equal(total, 160000);
      assert.equal(total / 800, 200);
    }
  });

  it('flush() resets: a second stream gives the same output as a fresh resampler', () => {
    const input = noise(4800, 11);
    const r = new Resampler(48000, OUT);
    const first = streamed(r, input, 100);
    const second = streamed(r, input, 100);
    assert.deepEqual(Array.from(second), Array.from(first));
  });

  it('processInto() writes no more than the output has room for and keeps the rest', () => {
    const input = noise(48000, 13);
    const expected = streamed(new Resampler(48000, OUT), input, 128);
    const r = new Resampler(48000, OUT);
    const small = new Float32Array(10);
    const got: number[] = [];
    for (let at = 0; at < input.length; at += 128) {
      let n = r.processInto(input.subarray(at, at + 128), small);
      got.push(...small.subarray(0, n));
      while (n === small.length) {
        n = r.processInto(new Float32Array(0), small);
        got.push(...small.subarray(0, n));
      }
    }
    got.push(...r.flush());
    assert.deepEqual(got, Array.from(expected));
  });
});

describe('Resampler: bad input', () => {
  it('rejects rates and options out of range with a typed error', () => {
    for (const [a, b, options] of [
      [0, 16000],
      [48000, NaN],
      [2_000_000, 16000],
      [48000, 16000, { attenuation: 10 }],
      [48000, 16000, { passHz: 9000, stopHz: 8000 }],
    ] as const) {
      assert.throws(
        () => new Resampler(a, b, options),
        (error) => error instanceof LiveTranscriptError && error.code === 'invalid-option'
      );
    }
  });

  it('accepts an empty chunk and a flush without input', () => {
    const r = new Resampler(44100, OUT);
    assert.equal(r.process(new Float32Array(0)).length, 0);
    assert.equal(r.flush().length, 0);
  });
});
