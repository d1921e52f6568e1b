// SPDX-License-Identifier: MIT
// The capture AudioWorklet processor: downmix to mono, resample to the target rate, convert to
// PCM16 LE or G.711 mu-law, and post frames of exactly `frameSamples` samples (transferred, with seq, sample
// offset, levels and the context time of the last sample). Nothing is allocated per render
// quantum: one buffer per frame. The build bundles this file and its imports into the
// self-contained module `dist/capture-worklet.js` (no imports), loaded with `addModule()`.
import { Resampler } from './resampler.js';
import {
  CAPTURE_PROCESSOR,
  Framer,
  type CaptureCommand,
  type CaptureProcessorOptions,
  type FrameMessage,
} from './pcm.js';

// AudioWorkletGlobalScope, declared here so this file type-checks with the DOM lib too.
declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: { processorOptions: CaptureProcessorOptions }) => AudioWorkletProcessor
): void;

class CaptureProcessor extends AudioWorkletProcessor {
  #resampler: Resampler;
  #framer: Framer;
  #out = new Float32Array(0);
  #mono = new Float32Array(0);
  #zeros = new Float32Array(128);
  /** Input samples fed to the resampler before the current quantum. */
  #fed = 0;
  /** Context time of the current quantum's first sample. */
  #now = 0;
  #paused = false;
  #done = false;

  constructor({
    processorOptions: { targetRate, frameSamples, encoding },
  }: {
    processorOptions: CaptureProcessorOptions;
  }) {
    super();
    const resampler = (this.#resampler = new Resampler(sampleRate, targetRate));
    const ratio = sampleRate / targetRate;
    this.#framer = new Framer(
      frameSamples,
      (frame: FrameMessage) => {
        // The resampler output is aligned with its input: output n is input position n * ratio.
        frame.time =
          this.#now + ((frame.sampleOffset + frameSamples) * ratio - this.#fed) / sampleRate;
        this.port.postMessage(frame, [frame.data]);
      },
      encoding
    );
    this.port.onmessage = ({ data }: MessageEvent<CaptureCommand>) => {
      if (data === 'flush' && !this.#done) {
        this.#done = true;
        this.#push(resampler.flush());
        this.#framer.pad();
        this.port.postMessage('flushed');
      } else this.#paused = data === 'pause';
    };
  }

  #push(samples: Float32Array, n = samples.length): void {
    for (let i = 0; i < n; i++) this.#framer.push(samples[i]!);
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.#done) return false;
    const channels = inputs[0] ?? [];
    let input = channels[0] ?? this.#zeros;
    const q = input.length;
    if (channels.length > 1) {
      // The node asks for one channel, so the browser downmixes; this covers any other layout.
      if (this.#mono.length !== q) this.#mono = new Float32Array(q);
      const mono = this.#mono;
      for (let i = 0; i < q; i++) {
        let sum = 0;
        for (let c = 0; c < channels.length; c++) sum += channels[c]![i]!;
        mono[i] = sum / channels.length;
      }
      input = mono;
    }
    if (q !== this.#zeros.length) this.#zeros = new Float32Array(q);
    if (this.#paused) return true;
    const max = Math.ceil((q * this.#resampler.outputRate) / sampleRate) + 2;
    if (this.#out.length < max) this.#out = new Float32Array(max);
    this.#now = currentTime;
    this.#push(this.#out, this.#resampler.processInto(input, this.#out));
    this.#fed += q;
    return true;
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
