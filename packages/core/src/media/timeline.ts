// SPDX-License-Identifier: MIT
// Where a moment of the transcript lies on a media element's own timeline. Pure: Node tests
// drive it with made-up times.

/** A point where the transcript's clock and the media's timeline are known to meet. */
interface Anchor {
  /** Transcript time, ms of captured audio. */
  t: number;
  /** Media time, s. */
  m: number;
  /** Playback rate from here. */
  rate: number;
  /** Whether the media plays from here (false: paused, seeking or stalled). */
  moving: boolean;
  /** Count of jumps (seeks) before this anchor. */
  epoch: number;
}

/** A media time this far from where the media should be is a jump (a seek), in s. */
const JUMP_S = 0.5;

/**
 * Maps times on the transcript's clock (ms of audio captured) to times on a media element's
 * timeline (`currentTime`, in s). Record an {@link anchor} whenever the relation changes: when
 * audio starts flowing, and at every play, pause, seek, stall and rate change. Between two
 * anchors, the media moves at its rate while it plays, and stands still otherwise.
 *
 * @example
 * ```ts
 * const timeline = new MediaTimeline();
 * timeline.anchor(0, 12, 1, true); // audio starts flowing at 12 s into the video
 * timeline.toMedia(1500); // 13.5
 * ```
 */
export class MediaTimeline {
  #anchors: Anchor[] = [];

  /** Whether no anchor is known yet. */
  get empty(): boolean {
    return this.#anchors.length === 0;
  }

  /**
   * Records that transcript time `t` (ms) is media time `m` (s), and how the media moves from
   * there. The transcript's clock never goes back: an anchor at the time of the last one
   * replaces it, and an earlier one starts over.
   */
  anchor(t: number, m: number, rate: number, moving: boolean): void {
    const anchors = this.#anchors;
    while (anchors.length && anchors.at(-1)!.t >= t) anchors.pop();
    const last = anchors.at(-1);
    const expected = this.toMedia(t);
    const jump = expected !== undefined && Math.abs(expected - m) > JUMP_S;
    const epoch = (last?.epoch ?? 0) + (jump ? 1 : 0);
    anchors.push({ t, m, rate: rate > 0 ? rate : 1, moving, epoch });
  }

  /** The media time (s) of transcript time `t` (ms); `undefined` before any anchor. */
  toMedia(t: number): number | undefined {
    const i = this.#index(t);
    return i < 0 ? undefined : this.#mediaAt(this.#anchors[i]!, t);
  }

  /**
   * The media times (s) of a span of the transcript (ms): a span that runs past a jump (a word
   * cut by a seek) ends where the media was when it jumped.
   */
  toMediaSpan(start: number, end: number): [number, number] | undefined {
    const anchors = this.#anchors;
    const i = this.#index(start);
    if (i < 0) return undefined;
    let j = i;
    while (j + 1 < anchors.length && anchors[j + 1]!.t <= end) {
      if (anchors[j + 1]!.epoch !== anchors[i]!.epoch) break;
      j += 1;
    }
    const limit = j + 1 < anchors.length ? Math.min(end, anchors[j + 1]!.t) : end;
    const from = this.#mediaAt(anchors[i]!, start);
    return [from, Math.max(from, this.#mediaAt(anchors[j]!, limit))];
  }

  /**
   * The transcript time (ms) at which the media, moving on from the last anchor, reaches media
   * time `m` (s); `undefined` when it stands still there or no anchor is known.
   */
  toTranscript(m: number): number | undefined {
    const a = this.#anchors.at(-1);
    return a?.moving ? a.t + ((m - a.m) / a.rate) * 1000 : undefined;
  }

  /** The media time at `t` from anchor `a`. */
  #mediaAt(a: Anchor, t: number): number {
    // Before the first anchor (audio from before it): as if the media had played into it.
    const elapsed = a.moving || t < a.t ? (t - a.t) / 1000 : 0;
    return Math.max(0, a.m + elapsed * a.rate);
  }

  /**
   * Which unbroken stretch of the media transcript time `t` (ms) lies in: it changes at every
   * jump (a seek), so audio on both sides of one is never captioned as one cue.
   */
  epoch(t: number): number {
    return this.#anchors[this.#index(t)]?.epoch ?? 0;
  }

  /** The index of the anchor in force at `t` (the last one at or before it, or the first); -1 for none. */
  #index(t: number): number {
    const anchors = this.#anchors;
    let i = anchors.length - 1;
    while (i > 0 && anchors[i]!.t > t) i -= 1;
    return i;
  }

  /**
   * Moves every anchor by `ms` on the transcript's clock: anchors made on an estimate of the
   * clock, once its true origin is known.
   */
  shift(ms: number): void {
    for (const anchor of this.#anchors) anchor.t += ms;
  }

  /** Forgets every anchor (a new run of the transcriber: its clock starts at 0 again). */
  reset(): void {
    this.#anchors = [];
  }
}

/**
 * An estimate of the transcript's clock from outside the transcriber: ms of audio captured,
 * i.e. the time it ran unpaused. {@link run} when audio flows, {@link hold} when it stops.
 */
export class RunningClock {
  #base = 0;
  #since: number | undefined;
  #now: () => number;

  /** `now`: the time source, in ms (default `performance.now()`). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** The clock now, in ms. */
  get ms(): number {
    return this.#base + (this.#since === undefined ? 0 : this.#now() - this.#since);
  }

  /** Whether it runs. */
  get running(): boolean {
    return this.#since !== undefined;
  }

  run(): void {
    this.#since ??= this.#now();
  }

  hold(): void {
    this.#base = this.ms;
    this.#since = undefined;
  }

  /** Back to 0, held. */
  reset(): void {
    this.#base = 0;
    this.#since = undefined;
  }
}
