// SPDX-License-Identifier: MIT
// The soak's "speaker": an AudioWorklet processor that plays the planned words as sound and room
// noise between them (about -72 dBFS: silence to the transcriber and the fake server, but not
// the digital silence the capture warns about). A word is two tones that say which word it is
// (its index modulo 64, tones.ts: the fake server's `locate` hears it, locate.ts)
// plus a little noise (no two 50 ms frames are alike: the fake recognises re-sent audio by its
// bytes), on the audio timeline of bench/soak/plan.ts. It runs
// `timeScale` times faster than real time, like the capture worklet it feeds (bench/soak.ts).
// It starts on 'start', freezes on 'pause' (the page pauses the capture in the same task, so the
// audio timeline and what the server hears stay in step), holds the timeline while the page is
// stalled (no heartbeat), and tells the page when each word ends, when a gap between turns
// begins, and when the timeline is done.

import { wordTones } from './tones.js';

declare const sampleRate: number;
declare const currentTime: number;
declare global {
  /** Read by the capture worklet's wrapper (bench/soak.ts): the audio timeline is held. */
  var __soakHeld: boolean;
}
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: { processorOptions: SpeechProcessorOptions }) => AudioWorkletProcessor
): void;

export interface SpeechProcessorOptions {
  /** Start and end of every word, in ms on the audio timeline, in order. */
  starts: number[];
  ends: number[];
  /** Index of each turn's last word. */
  turnEnds: number[];
  /** Length of the timeline in ms. */
  totalMs: number;
  timeScale: number;
}

/** From the processor: a word ended, a gap between turns began, or the timeline is done. */
export type SpeechEvent =
  { type: 'word'; index: number } | { type: 'gap'; turn: number } | { type: 'done' };

/** To the processor: start, pause, resume, or the page's heartbeat. */
export type SpeechCommand = 'start' | 'pause' | 'resume' | 'beat';

/** Without a heartbeat for this long (real seconds), the page is stalled: hold the audio. */
const STALLED_S = 0.025;

class SpeechProcessor extends AudioWorkletProcessor {
  #options: SpeechProcessorOptions;
  /** Samples per second of audio-timeline time. */
  #rate: number;
  #played = 0;
  #word = 0;
  #turn = 0;
  #running = false;
  #done = false;
  #seed = 1;
  /** Context time of the page's last heartbeat. */
  #beat = 0;

  constructor({ processorOptions }: { processorOptions: SpeechProcessorOptions }) {
    super();
    this.#options = processorOptions;
    this.#rate = sampleRate / processorOptions.timeScale;
    globalThis.__soakHeld = false;
    this.port.onmessage = ({ data }: MessageEvent<SpeechCommand>) => {
      this.#beat = currentTime;
      if (data !== 'beat') this.#running = data !== 'pause';
    };
  }

  #post(event: SpeechEvent): void {
    this.port.postMessage(event);
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]![0]!;
    // A stalled page would get the audio of its whole stall at once, `timeScale` times longer in
    // session time than the stall: a backlog no real session has. Hold the timeline instead (the
    // capture worklet skips the same render quanta): the stall is a gap in the audio.
    globalThis.__soakHeld = this.#running && currentTime - this.#beat > STALLED_S;
    if (!this.#running || this.#done || globalThis.__soakHeld) {
      out.fill(0);
      return !this.#done;
    }
    const { starts, ends, turnEnds, totalMs } = this.#options;
    for (let i = 0; i < out.length; i++) {
      const ms = (this.#played++ * 1000) / this.#rate;
      while (this.#word < ends.length && ends[this.#word]! <= ms) {
        this.#post({ type: 'word', index: this.#word });
        if (turnEnds[this.#turn] === this.#word) this.#post({ type: 'gap', turn: this.#turn++ });
        this.#word += 1;
      }
      this.#seed = (Math.imul(this.#seed, 1664525) + 1013904223) >>> 0;
      const noise = this.#seed / 2 ** 32 - 0.5; // LCG, in [-0.5, 0.5)
      if (this.#word < ends.length && starts[this.#word]! <= ms) {
        const [low, high] = wordTones(this.#word);
        const t = (2 * Math.PI * this.#played) / this.#rate;
        out[i] = 0.15 * Math.sin(low * t) + 0.15 * Math.sin(high * t) + 0.03 * noise;
      } else {
        out[i] = 0.0005 * noise;
      }
      if (ms >= totalMs && !this.#done) {
        this.#done = true;
        this.#post({ type: 'done' });
      }
    }
    return true;
  }
}

registerProcessor('soak-speech', SpeechProcessor);
