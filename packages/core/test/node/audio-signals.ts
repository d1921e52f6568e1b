// SPDX-License-Identifier: MIT
// Test signals and measurements for the audio tests: tones, chirps, noise, RMS, a real FFT,
// a least-squares sine fit. No expected outputs are stored anywhere: every check measures.

/** A sine of `freq` Hz, `seconds` long, at `rate`, amplitude `amp`. */
export function tone(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** A linear chirp from `f0` to `f1` Hz. */
export function chirp(f0: number, f1: number, rate: number, seconds: number, amp = 0.5) {
  const out = new Float32Array(Math.round(rate * seconds));
  const k = (f1 - f0) / seconds;
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    out[i] = amp * Math.sin(2 * Math.PI * (f0 * t + (k * t * t) / 2));
  }
  return out;
}

/** Deterministic white noise in [-amp, amp) (LCG). */
export function noise(length: number, seed = 1, amp = 0.5): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * amp;
  }
  return out;
}

/** Root mean square of `x[from..to)`. */
export function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

export const db = (ratio: number) => 20 * Math.log10(ratio);

/** Feeds `input` in chunks of `size` (a number or a function of the chunk index), then flushes. */
export function streamed(
  resampler: { process(x: Float32Array): Float32Array; flush(): Float32Array },
  input: Float32Array,
  size: number | ((i: number) => number) = 128
): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0, at = 0; at < input.length; i++) {
    const n = typeof size === 'number' ? size : size(i);
    parts.push(resampler.process(input.subarray(at, at + n)));
    at += n;
  }
  parts.push(resampler.flush());
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Least-squares fit of `a·sin + b·cos` at a known frequency to `x[from..to)`; returns the fitted
 * amplitude and the RMS of what is left (noise and distortion).
 */
export function sineFit(x: Float32Array, freq: number, rate: number, from: number, to: number) {
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let xs = 0;
  let xc = 0;
  for (let i = from; i < to; i++) {
    const s = Math.sin((2 * Math.PI * freq * i) / rate);
    const c = Math.cos((2 * Math.PI * freq * i) / rate);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    xs += x[i]! * s;
    xc += x[i]! * c;
  }
  const det = ss * cc - sc * sc;
  const a = (xs * cc - xc * sc) / det;
  const b = (xc * ss - xs * sc) / det;
  let residual = 0;
  for (let i = from; i < to; i++) {
    const fit =
      a * Math.sin((2 * Math.PI * freq * i) / rate) + b * Math.cos((2 * Math.PI * freq * i) / rate);
    residual += (x[i]! - fit) ** 2;
  }
  return { amplitude: Math.hypot(a, b), residualRms: Math.sqrt(residual / (to - from)) };
}

/** Magnitude spectrum (|X[k]|, k = 0..n/2) of `x` (length a power of two), Hann-windowed. */
export function spectrum(x: Float32Array): Float64Array {
  const n = x.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) re[i] = x[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * wr - im[b]! * wi;
        const ti = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
  const mag = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) mag[k] = Math.hypot(re[k]!, im[k]!);
  return mag;
}

/**
 * The naive resampler that several SDKs ship: linear interpolation between neighbours, no
 * low-pass. Streaming, for comparison in tests and the benchmark.
 */
export class LinearResampler {
  readonly #step: number;
  /** Position of the next output, relative to the next chunk (-1 is the previous sample). */
  #pos = 0;
  #last = 0;
  constructor(inputRate: number, outputRate: number) {
    this.#step = inputRate / outputRate;
  }
  process(input: Float32Array): Float32Array {
    const n = input.length;
    const out = new Float32Array(Math.max(0, Math.ceil((n - 1 - this.#pos) / this.#step)));
    let k = 0;
    let pos = this.#pos;
    for (; pos < n - 1; pos += this.#step) {
      const i = Math.floor(pos);
      const a = i < 0 ? this.#last : input[i]!;
      out[k++] = a + (input[i + 1]! - a) * (pos - i);
    }
    if (n) {
      this.#pos = pos - n;
      this.#last = input[n - 1]!;
    }
    return k === out.length ? out : out.subarray(0, k);
  }
  flush(): Float32Array {
    return new Float32Array(0);
  }
}
