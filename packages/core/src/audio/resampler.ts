// SPDX-License-Identifier: MIT
import { LiveTranscriptError } from '../errors.js';

/** Filter design options of {@link Resampler}. The defaults suit speech recognition. */
export interface ResamplerOptions {
  /** Stopband attenuation in dB, 40..140. Default 80. */
  attenuation?: number;
  /** Passband edge in Hz. Default 0.45 × the lower of the two rates (7.2 kHz for 16 kHz out). */
  passHz?: number;
  /** Stopband edge in Hz. Default 0.55 × the lower rate (8.8 kHz for 16 kHz out). */
  stopHz?: number;
}

/** Above this many phases (odd rate pairs such as 44 101 Hz), phases are interpolated. */
const MAX_PHASES = 1024;
const INTERPOLATED_PHASES = 512;

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/** Modified Bessel function of the first kind, order 0 (power series). */
function bessel0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; term > sum * 1e-12; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/**
 * Streaming sample-rate converter: a rational polyphase FIR (Kaiser-windowed sinc) that turns
 * any input rate into any output rate, with a flat passband (0.001 dB with the defaults) and
 * 80 dB of alias rejection. Equal rates pass samples through unchanged.
 *
 * The output is aligned with the input (the filter delay of about 1.6 ms is compensated, not
 * added), is bit-identical however the input is chunked, and after {@link flush} holds exactly
 * `ceil(inputLength × outputRate / inputRate)` samples.
 *
 * @example
 * ```ts
 * const resampler = new Resampler(48000, 16000);
 * const a = resampler.process(chunk1); // Float32Array at 16 kHz
 * const b = resampler.process(chunk2);
 * const tail = resampler.flush();      // the last samples; the resampler is reset
 * ```
 */
export class Resampler {
  /** Input sample rate in Hz. */
  readonly inputRate: number;
  /** Output sample rate in Hz. */
  readonly outputRate: number;
  /** Filter taps per output sample (1 when the rates are equal). */
  readonly taps: number;
  /** Output step in input samples, as the exact fraction `step / phases`. */
  readonly #L: number;
  readonly #M: number;
  /** Rows of the coefficient table per input sample (= #L unless interpolated). */
  readonly #P: number;
  /** One row of `taps` coefficients per phase, each row reversed for a forward dot product. */
  readonly #table: Float32Array;
  /** Filter delay in input samples: (taps - 1) / 2. */
  readonly #delay: number;
  /** Input history: `#buf[0]` is input sample number `#start`. */
  #buf = new Float32Array(0);
  #len = 0;
  #start = 0;
  /** Newest input sample index used by the next output, and that output's phase (0..L-1). */
  #next = 0;
  #phase = 0;

  /**
   * @param inputRate Input sample rate in Hz (1000..768000; 8–96 kHz in practice).
   * @param outputRate Output sample rate in Hz.
   * @throws {LiveTranscriptError} `invalid-option` for a rate or option out of range.
   */
  constructor(inputRate: number, outputRate: number, options: ResamplerOptions = {}) {
    const fin = (this.inputRate = Math.round(inputRate));
    const fout = (this.outputRate = Math.round(outputRate));
    const low = Math.min(fin, fout);
    const { attenuation = 80, passHz = 0.45 * low, stopHz = 0.55 * low } = options;
    if (
      !(Math.min(fin, 768_000 - fin, fout, 768_000 - fout) >= 1000) ||
      !(attenuation >= 40 && attenuation <= 140 && passHz > 0 && stopHz > passHz)
    ) {
      throw new LiveTranscriptError(
        'invalid-option',
        `Resampler: rates must be 1000..768000 Hz (got ${inputRate}, ${outputRate}), 0 < passHz < stopHz, attenuation 40..140 dB.`
      );
    }
    const g = gcd(fin, fout);
    const L = (this.#L = fout / g);
    const M = (this.#M = fin / g);
    let K = 1;
    if (L !== M) {
      // Kaiser's estimate of the length, made odd so the delay is a whole number of samples,
      // and long enough that one output step never skips past the history.
      K = Math.ceil((attenuation - 7.95) / ((14.36 * (stopHz - passHz)) / fin)) + 1;
      K = Math.max(K, Math.ceil(M / L) + 2) | 1;
    }
    this.taps = K;
    const D = (this.#delay = (K - 1) / 2);
    const P = (this.#P = L > MAX_PHASES ? INTERPOLATED_PHASES : L);
    const rows = L > MAX_PHASES ? P + 1 : P;
    const table = (this.#table = new Float32Array(rows * K));
    const fc = (passHz + stopHz) / 2 / fin;
    const beta =
      attenuation > 50
        ? 0.1102 * (attenuation - 8.7)
        : 0.5842 * (attenuation - 21) ** 0.4 + 0.07886 * (attenuation - 21);
    const norm = bessel0(beta);
    const row = new Float64Array(K);
    for (let r = 0; r < rows; r++) {
      // Output at fractional input position `r / P` past the newest tap's base: tap k sits
      // `r / P + k` samples before it, on a window spanning 0..K-1 centred on the delay D.
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const t = r / P + k;
        const u = K > 1 ? (2 * t) / (K - 1) - 1 : 0;
        const x = t - D;
        const c =
          u > 1
            ? 0
            : (x ? Math.sin(2 * Math.PI * fc * x) / (Math.PI * x) : 2 * fc) *
              (bessel0(beta * Math.sqrt(1 - u * u)) / norm);
        row[K - 1 - k] = c;
        sum += c;
      }
      for (let i = 0; i < K; i++) table[r * K + i] = row[i]! / sum;
    }
    this.reset();
  }

  /** Forgets all input: the next sample starts a new stream. */
  reset(): void {
    const K = this.taps;
    if (this.#buf.length < K) this.#buf = new Float32Array(K + 1024);
    this.#buf.fill(0, 0, K - 1);
    this.#len = K - 1;
    this.#start = 1 - K;
    this.#next = this.#delay;
    this.#phase = 0;
  }

  /**
   * Resamples the next chunk of the stream (any length, even 0) and returns every output
   * sample it completes. The last `taps / 2` input samples stay pending until more input or
   * {@link flush}.
   */
  process(input: Float32Array): Float32Array {
    const end = this.#start + this.#len + input.length;
    const count = Math.max(0, Math.ceil(((end - this.#next) * this.#L - this.#phase) / this.#M));
    const out = new Float32Array(count);
    this.processInto(input, out);
    return out;
  }

  /**
   * Ends the stream: returns the remaining output (as if the input went on with zeros for the
   * filter's delay) and resets the resampler.
   */
  flush(): Float32Array {
    const out = this.process(new Float32Array(this.#delay));
    this.reset();
    return out;
  }

  /**
   * Like {@link process}, without allocating (once the history buffer has grown to the chunk
   * size): writes at most `output.length` samples and returns how many. Samples that do not fit
   * are produced by the next call.
   */
  processInto(input: Float32Array, output: Float32Array): number {
    const K = this.taps;
    const L = this.#L;
    const P = this.#P;
    const table = this.#table;
    const stepWhole = Math.floor(this.#M / L);
    const stepPhase = this.#M % L;
    let buf = this.#buf;
    let len = this.#len;
    if (len + input.length > buf.length) {
      buf = new Float32Array(Math.max(len + input.length, buf.length * 2));
      buf.set(this.#buf.subarray(0, len));
      this.#buf = buf;
    }
    buf.set(input, len);
    len += input.length;
    const start = this.#start;
    const end = start + len;
    let next = this.#next;
    let phase = this.#phase;
    let n = 0;
    while (next < end && n < output.length) {
      const from = next - K + 1 - start;
      if (P === L) {
        output[n++] = dot(table, phase * K, buf, from, K);
      } else {
        const x = (phase * P) / L;
        const r = Math.floor(x);
        const f = x - r;
        output[n++] =
          (1 - f) * dot(table, r * K, buf, from, K) + f * dot(table, (r + 1) * K, buf, from, K);
      }
      next += stepWhole;
      phase += stepPhase;
      if (phase >= L) {
        phase -= L;
        next++;
      }
    }
    const drop = Math.min(next - K + 1 - start, len);
    if (drop > 0) {
      buf.copyWithin(0, drop, len);
      len -= drop;
      this.#start = start + drop;
    }
    this.#len = len;
    this.#next = next;
    this.#phase = phase;
    return n;
  }
}

/** `sum(t[o + i] * x[s + i])` for i < n, in doubles with four accumulators. */
function dot(t: Float32Array, o: number, x: Float32Array, s: number, n: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = 0;
  for (const m = n - 3; i < m; i += 4) {
    a += t[o + i]! * x[s + i]!;
    b += t[o + i + 1]! * x[s + i + 1]!;
    c += t[o + i + 2]! * x[s + i + 2]!;
    d += t[o + i + 3]! * x[s + i + 3]!;
  }
  for (; i < n; i++) a += t[o + i]! * x[s + i]!;
  return a + b + c + d;
}
