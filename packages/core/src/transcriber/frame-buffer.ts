// SPDX-License-Identifier: MIT
// The audio a transcriber keeps so that no word is lost: frames captured while no session takes
// them (pre-roll before the first session, the outage while reconnecting), and the frames sent
// to the live session lately, some of which go again to the next session if it fails.
import type { AudioFrame } from '../audio/capture.js';

/** Frames peaking below this (dBFS) count as silence. */
export const SILENCE_DBFS = -60;

/**
 * Frames in waiting, and the recent history of frames sent.
 *
 * @example
 * ```ts
 * const buffer = new FrameBuffer(50, 16000);
 * buffer.hold(frame, 2000);              // no session yet: kept (2 s at most)
 * for (const f of buffer.take()) send(f); // the session began
 * ```
 */
export class FrameBuffer {
  #waiting: AudioFrame[] = [];
  #sent: AudioFrame[] = [];

  /**
   * @param frameMs Audio per frame, in ms.
   * @param sampleRate The frames' sample rate (`sampleOffset` counts samples at this rate).
   */
  constructor(
    readonly frameMs: number,
    readonly sampleRate: number
  ) {}

  /** Frames waiting for a session. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Keeps a frame until a session takes it. Beyond `limitMs` of audio the oldest frames go
   * (one frame is always kept). Returns the audio dropped, in ms.
   */
  hold(frame: AudioFrame, limitMs: number): number {
    this.#waiting.push(frame);
    const excess = this.#waiting.length - Math.max(1, Math.floor(limitMs / this.frameMs));
    if (excess <= 0) return 0;
    this.#waiting.splice(0, excess);
    return excess * this.frameMs;
  }

  /** The frames waiting, oldest first; none wait afterwards. */
  take(): AudioFrame[] {
    return this.#waiting.splice(0);
  }

  /** Remembers a frame sent to the live session, keeping the last `limitMs` of them. */
  remember(frame: AudioFrame, limitMs: number): void {
    this.#sent.push(frame);
    const limit = Math.floor(limitMs / this.frameMs);
    if (this.#sent.length > limit) this.#sent.splice(0, this.#sent.length - limit);
  }

  /** Forgets the frames sent (a new session began). */
  forget(): void {
    this.#sent = [];
  }

  /**
   * The live session failed: the frames sent from `resumeMs` on (the end of its last finalized
   * word, on the capture's clock) go first to the next session, before the frames waiting.
   * `unsent` of the last frames sent never left the socket's queue: they go as they are; of the
   * others, the silence the server already heard before the next word is left out.
   */
  replay(resumeMs: number, unsent: number): void {
    const resume = (resumeMs * this.sampleRate) / 1000;
    const frameSamples = (this.frameMs * this.sampleRate) / 1000;
    const replay = this.#sent.filter((frame) => frame.sampleOffset + frameSamples > resume);
    let heard = replay.length - unsent;
    while (heard-- > 0 && replay[0]!.peak < SILENCE_DBFS) replay.shift();
    this.#sent = [];
    this.#waiting.unshift(...replay);
  }
}
