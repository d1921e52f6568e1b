// SPDX-License-Identifier: MIT
// PCM helpers shared by the capture worklet and the main thread: Float32 -> Int16 conversion,
// G.711 mu-law, dBFS levels, and the framer that cuts the resampled stream into fixed-size frames.

/**
 * Converts a float sample to a signed 16-bit value: clamps to [-1, 1] first (a plain
 * `Int16Array` store would wrap 1.2 to a negative number), then rounds to nearest
 * (a store would truncate toward zero). Symmetric: ±1 → ±32767. NaN → 0, never -0.
 */
export const toInt16 = (x: number): number =>
  Math.round((x > 1 ? 1 : x < -1 ? -1 : x || 0) * 32767) | 0;

/** The sample formats the capture produces: 16-bit little endian, or G.711 mu-law (8 bits). */
export type PcmEncoding = 'pcm_s16le' | 'pcm_mulaw';

/** Bytes per sample of an encoding: 1 for `pcm_mulaw`, else 2 (`pcm_s16le`). */
export const bytesPerSample = (encoding: string | undefined): 1 | 2 =>
  encoding === 'pcm_mulaw' ? 1 : 2;

/**
 * The G.711 mu-law byte of a linear 16-bit sample (ITU-T G.711, the classic CCITT encoder: bias
 * 0x84, magnitudes clipped at 32635, bits inverted). 0 → 0xFF, 32767 → 0x80, -32768 → 0x00.
 * Eight bits per sample, about 38 dB of signal to quantisation noise over a 40 dB range.
 */
export function toMulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(sign ? -sample : sample, 32635) + 0x84;
  // The segment: the position of the highest bit above the seven a segment-0 value has.
  const exponent = 31 - Math.clz32(magnitude >> 7);
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** The linear 16-bit sample of a G.711 mu-law byte: the middle of its step (0xFF → 0). */
export function fromMulaw(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84;
  return u & 0x80 ? -magnitude | 0 : magnitude;
}

/**
 * A linear level (0..1, full scale 1) in dBFS, floored at -100. A full-scale sine has an RMS of
 * -3.01 dBFS on this scale.
 */
export const dbfs = (level: number): number => 20 * Math.log10(Math.max(level, 1e-5));

/** Name the capture processor registers under. */
export const CAPTURE_PROCESSOR = 'live-transcript-capture';

/** `processorOptions` of the capture node. */
export interface CaptureProcessorOptions {
  /** Output sample rate in Hz. */
  targetRate: number;
  /** Samples per frame at the target rate. */
  frameSamples: number;
  /** Sample format of the frames (default `pcm_s16le`). */
  encoding?: PcmEncoding;
}

/**
 * Messages to the processor: `'pause'` (drop input until `'resume'`), `'resume'`, `'flush'`
 * (emit what is pending, the last frame padded with zeros, answer `'flushed'`, then end).
 */
export type CaptureCommand = 'pause' | 'resume' | 'flush';

/** One frame as the capture worklet posts it; `data` travels in the transfer list. */
export interface FrameMessage {
  /** `frameSamples` mono samples: PCM16 little endian (2 bytes each) or mu-law (1 byte each). */
  data: ArrayBuffer;
  seq: number;
  /** Samples emitted before this frame. */
  sampleOffset: number;
  /** dBFS of the float samples, before clamping and encoding. */
  rms: number;
  peak: number;
  /** Samples with |x| >= 0.999 before clamping. */
  clipped: number;
  /** AudioContext time (s) of the frame's last sample; set by the worklet. */
  time: number;
}

/**
 * Collects float samples into frames of exactly `size` samples, PCM16 LE or mu-law, metering
 * each frame on the linear samples. Allocates one buffer per frame, nothing per sample.
 */
export class Framer {
  /** Samples emitted in finished frames so far. */
  offset = 0;
  #seq = 0;
  #n = 0;
  #sumSq = 0;
  #peak = 0;
  #clipped = 0;
  readonly #mulaw: boolean;
  #view!: DataView;

  constructor(
    readonly size: number,
    private readonly emit: (frame: FrameMessage) => void,
    encoding: PcmEncoding = 'pcm_s16le'
  ) {
    this.#mulaw = encoding === 'pcm_mulaw';
    this.#view = this.#buffer();
  }

  #buffer(): DataView {
    return new DataView(new ArrayBuffer(this.size * (this.#mulaw ? 1 : 2)));
  }

  /** Adds one sample; emits a frame when it completes one. */
  push(x: number): void {
    const a = x < 0 ? -x : x;
    this.#sumSq += x * x;
    if (a > this.#peak) this.#peak = a;
    if (a >= 0.999) this.#clipped++;
    if (this.#mulaw) this.#view.setUint8(this.#n, toMulaw(toInt16(x)));
    else this.#view.setInt16(this.#n * 2, toInt16(x), true);
    if (++this.#n === this.size) {
      const frame: FrameMessage = {
        data: this.#view.buffer as ArrayBuffer,
        seq: this.#seq++,
        sampleOffset: this.offset,
        rms: dbfs(Math.sqrt(this.#sumSq / this.size)),
        peak: dbfs(this.#peak),
        clipped: this.#clipped,
        time: 0,
      };
      this.offset += this.size;
      this.#n = this.#sumSq = this.#peak = this.#clipped = 0;
      this.#view = this.#buffer();
      this.emit(frame);
    }
  }

  /** Pads a started frame with silence and emits it; returns whether there was one. */
  pad(): boolean {
    if (!this.#n) return false;
    while (this.#n) this.push(0);
    return true;
  }
}
