// SPDX-License-Identifier: MIT
// PCM helpers shared by the capture worklet and the main thread: Float32 -> Int16 conversion,
// dBFS levels, and the framer that cuts the resampled stream into fixed-size frames.

/**
 * Converts a float sample to a signed 16-bit value: clamps to [-1, 1] first (a plain
 * `Int16Array` store would wrap 1.2 to a negative number), then rounds to nearest
 * (a store would truncate toward zero). Symmetric: ±1 → ±32767. NaN → 0, never -0.
 */
export const toInt16 = (x: number): number =>
  Math.round((x > 1 ? 1 : x < -1 ? -1 : x || 0) * 32767) | 0;

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
}

/**
 * Messages to the processor: `'pause'` (drop input until `'resume'`), `'resume'`, `'flush'`
 * (emit what is pending, the last frame padded with zeros, answer `'flushed'`, then end).
 */
export type CaptureCommand = 'pause' | 'resume' | 'flush';

/** One frame as the capture worklet posts it; `data` travels in the transfer list. */
export interface FrameMessage {
  /** `frameSamples` PCM16 little-endian mono samples. */
  data: ArrayBuffer;
  seq: number;
  /** Samples emitted before this frame. */
  sampleOffset: number;
  /** dBFS of the float samples, before clamping. */
  rms: number;
  peak: number;
  /** Samples with |x| >= 0.999 before clamping. */
  clipped: number;
  /** AudioContext time (s) of the frame's last sample; set by the worklet. */
  time: number;
}

/**
 * Collects float samples into frames of exactly `size` PCM16 LE samples, metering each frame.
 * Allocates one buffer per frame, nothing per sample.
 */
export class Framer {
  /** Samples emitted in finished frames so far. */
  offset = 0;
  #seq = 0;
  #n = 0;
  #sumSq = 0;
  #peak = 0;
  #clipped = 0;
  #view!: DataView;

  constructor(
    readonly size: number,
    private readonly emit: (frame: FrameMessage) => void
  ) {
    this.#view = new DataView(new ArrayBuffer(size * 2));
  }

  /** Adds one sample; emits a frame when it completes one. */
  push(x: number): void {
    const a = x < 0 ? -x : x;
    this.#sumSq += x * x;
    if (a > this.#peak) this.#peak = a;
    if (a >= 0.999) this.#clipped++;
    this.#view.setInt16(this.#n * 2, toInt16(x), true);
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
      this.#view = new DataView(new ArrayBuffer(this.size * 2));
      this.emit(frame);
    }
  }

  /** Pads a started frame with zeros and emits it; returns whether there was one. */
  pad(): boolean {
    if (!this.#n) return false;
    while (this.#n) this.push(0);
    return true;
  }
}
