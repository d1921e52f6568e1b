// SPDX-License-Identifier: MIT
// Audio health: what the levels of the captured frames say about the input (clipping, too quiet,
// only silence), as warnings a user can act on. Pure: Node tests drive it with synthetic frames.

/** Codes of the `warning` events of the audio capture. */
export type AudioWarningCode =
  | 'clipping'
  | 'too-quiet'
  | 'silence'
  | 'no-frames'
  | 'low-bandwidth-input'
  | 'track-muted'
  | 'device-lost';

/** What {@link AudioHealth} reads from a frame (an `AudioFrame` has all three). */
export interface FrameLevels {
  /** RMS level of the frame in dBFS (floor −100). */
  rms: number;
  /** Peak level of the frame in dBFS (floor −100). */
  peak: number;
  /** Samples at or over full scale before clamping. */
  clipped: number;
}

/** Thresholds of {@link AudioHealth}; the defaults suit speech. Times are audio time, in ms. */
export interface AudioHealthOptions {
  /** Duration of one frame. Default 50. */
  frameMs?: number;
  /** Called for each warning (once per episode). */
  onWarning(code: AudioWarningCode, message: string): void;
  /** A frame with at least this many clipped samples counts as clipping. Default 2. */
  clippedSamples?: number;
  /** `clipping`: this many clipping frames within {@link clippingWindowMs}. Default 3. */
  clippedFrames?: number;
  /** Default 3000. */
  clippingWindowMs?: number;
  /** `too-quiet`: the speech level (dBFS) stays below this... Default −50. */
  quietDb?: number;
  /** ...for this long. Default 3000. */
  quietMs?: number;
  /** Speech at or above this level (dBFS) ends a `too-quiet` episode. Default −45. */
  loudDb?: number;
  /** `silence`: peaks at or below this level (dBFS)... Default −90. */
  silentDb?: number;
  /** ...for longer than this. Default 2000. */
  silenceMs?: number;
  /** A condition that is gone for this long ends its episode. Default 5000. */
  recoverMs?: number;
  /** The same analysed condition warns again at most this often. Default 30 000. */
  repeatMs?: number;
}

/** How the messages name the input, by `AudioSource.kind`. */
const NOUNS: Record<string, string> = {
  microphone: 'The microphone',
  display: 'The shared tab or screen',
  element: 'The media',
};

/** Level analysis over a window of this long, for `too-quiet`. */
const WINDOW_MS = 5000;
/** The window needs this much speech-like activity to judge the speech level. */
const ACTIVE_MS = 1500;
/** A frame this far above the noise floor is activity (speech moves, steady noise does not). */
const ACTIVITY_DB = 10;
/** The noise floor follows a quieter frame at once, and rises this fast otherwise. */
const FLOOR_RISE_DB_PER_S = 3;

/** The message of a warning, for an input of `kind` (`microphone`, `display`, `element`, ...). */
export function warningMessage(code: AudioWarningCode, kind = 'microphone'): string {
  const mic = kind === 'microphone';
  const noun = NOUNS[kind] ?? 'The audio input';
  switch (code) {
    case 'clipping':
      return mic
        ? 'The microphone is clipping (too loud): lower its input volume in the system sound settings, or move it further away.'
        : `${noun} is clipping (too loud), which costs accuracy: lower its volume at the source.`;
    case 'too-quiet':
      return mic
        ? 'The microphone is very quiet: raise its input volume in the system sound settings, or move closer to it.'
        : `${noun} is very quiet, which costs accuracy: raise its volume at the source.`;
    case 'silence':
      if (kind === 'element')
        return 'The media plays but gives only silence: if it comes from another site, that site must send CORS headers and the element needs crossorigin="anonymous".';
      return mic
        ? 'The microphone gives only silence: check that it is not muted and that no other app is using it.'
        : `${noun} gives only silence: check that it plays sound and is not muted.`;
    case 'track-muted':
      return mic
        ? 'The system muted the microphone: unmute it (a switch on the device, the system settings, or another app that holds it).'
        : `The browser muted ${noun.toLowerCase()}: captions resume when it plays sound again.`;
    default:
      return `${noun}: ${code}.`;
  }
}

/** One warning code's episode: whether it was raised, and when it last warned. */
interface Episode {
  on: boolean;
  lastAt: number | undefined;
}

/**
 * Watches the levels of captured frames and warns, once per episode, when the input is
 * clipping, too quiet for good recognition, or gives only silence. A condition that has been
 * gone for `recoverMs` ends its episode and can warn again (at most every `repeatMs`). Other
 * parts of the capture raise and clear their own codes through {@link raise} and {@link clear},
 * and share the once-per-episode rule.
 *
 * - `clipping`: at least `clippedFrames` frames with clipped samples within `clippingWindowMs`
 *   (one loud click is not clipping).
 * - `too-quiet`: speech-like activity (frames at least 10 dB over the noise floor, which steady
 *   noise never is) whose level (the 90th percentile of those frames' RMS over 5 s) stays under
 *   `quietDb` for `quietMs`. Silence and steady noise are not speech: they never count.
 * - `silence`: peaks at or under `silentDb` for longer than `silenceMs`.
 *
 * @example
 * ```ts
 * const health = new AudioHealth({ onWarning: (code, message) => show(message) });
 * capture.addEventListener('frame', ({ detail }) => health.frame(detail));
 * ```
 */
export class AudioHealth {
  /** The `AudioSource.kind` that the messages name. */
  kind = 'microphone';
  readonly #o: Required<Omit<AudioHealthOptions, 'onWarning'>>;
  readonly #onWarning: AudioHealthOptions['onWarning'];
  #episodes = new Map<AudioWarningCode, Episode>();
  /** Audio time: frames seen × frameMs. */
  #now = 0;
  #clipAt: number[] = [];
  #lastClipAt = -Infinity;
  #floor: number | undefined;
  #window: Array<{ at: number; rms: number; active: boolean }> = [];
  #quietSince: number | undefined;
  #loudSince: number | undefined;
  #silentMs = 0;

  constructor(options: AudioHealthOptions) {
    this.#onWarning = options.onWarning;
    this.#o = {
      frameMs: 50,
      clippedSamples: 2,
      clippedFrames: 3,
      clippingWindowMs: 3000,
      quietDb: -50,
      quietMs: 3000,
      loudDb: -45,
      silentDb: -90,
      silenceMs: 2000,
      recoverMs: 5000,
      repeatMs: 30_000,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v === 'number')),
    };
  }

  /** Analyses the next frame. */
  frame({ rms, peak, clipped }: FrameLevels): void {
    const o = this.#o;
    const now = (this.#now += o.frameMs);
    // Clipping.
    if (clipped >= o.clippedSamples) {
      this.#lastClipAt = now;
      this.#clipAt.push(now);
    }
    while (this.#clipAt.length && this.#clipAt[0]! <= now - o.clippingWindowMs)
      this.#clipAt.shift();
    if (this.#clipAt.length >= o.clippedFrames) this.#raise('clipping', true);
    else if (now - this.#lastClipAt >= o.recoverMs) this.clear('clipping');
    // Silence.
    if (peak > o.silentDb) {
      this.#silentMs = 0;
      this.clear('silence');
    } else if ((this.#silentMs += o.frameMs) > o.silenceMs) {
      this.#raise('silence', true);
    }
    this.#level(now, rms);
  }

  /** `too-quiet`: the level of speech-like activity over the last few seconds. */
  #level(now: number, rms: number): void {
    const o = this.#o;
    const floor = this.#floor;
    this.#floor =
      floor === undefined || rms < floor ? rms : floor + (FLOOR_RISE_DB_PER_S * o.frameMs) / 1000;
    const active = rms > o.silentDb && floor !== undefined && rms >= floor + ACTIVITY_DB;
    const window = this.#window;
    window.push({ at: now, rms, active });
    while (window[0]!.at <= now - WINDOW_MS) window.shift();
    const levels = window.filter((f) => f.active).map((f) => f.rms);
    if (levels.length * o.frameMs < ACTIVE_MS) return; // no speech to judge
    levels.sort((a, b) => a - b);
    const level = levels[Math.floor(levels.length * 0.9)]!;
    if (level < o.quietDb) {
      this.#loudSince = undefined;
      this.#quietSince ??= now;
      if (now - this.#quietSince >= o.quietMs) this.#raise('too-quiet', true);
    } else if (level >= o.loudDb) {
      this.#quietSince = undefined;
      this.#loudSince ??= now;
      if (now - this.#loudSince >= o.recoverMs) this.clear('too-quiet');
    }
  }

  /**
   * Warns with `code` unless its episode is on (then nothing). `limited` codes (the analysed
   * ones) warn at most every `repeatMs`. Returns whether it warned.
   */
  raise(code: AudioWarningCode, message = warningMessage(code, this.kind)): boolean {
    return this.#raise(code, false, message);
  }

  #raise(code: AudioWarningCode, limited: boolean, message?: string): boolean {
    const episode = this.#episodes.get(code) ?? { on: false, lastAt: undefined };
    this.#episodes.set(code, episode);
    if (episode.on) return false;
    if (limited && episode.lastAt !== undefined && this.#now - episode.lastAt < this.#o.repeatMs) {
      return false;
    }
    episode.on = true;
    episode.lastAt = this.#now;
    this.#onWarning(code, message ?? warningMessage(code, this.kind));
    return true;
  }

  /** Ends the episode of `code`: the condition is gone, and may warn again. */
  clear(code: AudioWarningCode): void {
    const episode = this.#episodes.get(code);
    if (episode) episode.on = false;
  }

  /** Forgets everything (a new capture). */
  reset(): void {
    this.#episodes.clear();
    this.#now = 0;
    this.#clipAt = [];
    this.#lastClipAt = -Infinity;
    this.#floor = this.#quietSince = this.#loudSince = undefined;
    this.#window = [];
    this.#silentMs = 0;
  }
}
