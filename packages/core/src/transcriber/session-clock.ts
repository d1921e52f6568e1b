// SPDX-License-Identifier: MIT
import type { ServerMessage } from '../protocol/messages.js';
import { isObject } from '../protocol/parse.js';

/**
 * The audio one session hears, against the audio captured. Pacing lets a session hear audio no
 * faster than real time, so audio queued during an outage would keep every caption after it late
 * for the rest of the session. While the queue is behind, a long pause is shortened instead: its
 * first `keepMs` go out (the server needs the pause to end the turn), the rest is left out. The
 * clock maps the server's times (on the audio it heard) back to times on the audio captured,
 * across what was left out and across gaps in audio re-sent from an earlier session.
 */
export class SessionClock {
  /** Where the session's first frame starts on the transcript's clock, in ms. */
  readonly offsetMs: number;
  /** Audio given to the session, in ms: the server's clock. */
  heardMs = 0;
  /** Captured audio the session did not hear, in ms: silence left out, gaps in re-sent audio. */
  skippedMs = 0;
  /** [server ms where audio was left out, ms left out by then], in order. */
  #skips: Array<[number, number]> = [];
  /** Silence given to the session in a row, in ms. */
  #silentMs = 0;

  constructor(offsetMs: number) {
    this.offsetMs = offsetMs;
  }

  /**
   * Says whether to leave out the frame captured at `atMs` (on the transcript's clock): it is
   * silent, `keepMs` of this pause went out already, and the session is more than `catchUpMs`
   * behind. A frame not left out is heard: audio missing before it (left out, or never re-sent)
   * is counted as skipped there.
   */
  skip(
    atMs: number,
    frameMs: number,
    silent: boolean,
    behindMs: number,
    keepMs: number,
    catchUpMs: number
  ): boolean {
    if (silent && this.#silentMs >= keepMs && behindMs > catchUpMs) return true;
    const gap = atMs - (this.offsetMs + this.heardMs + this.skippedMs);
    if (gap >= 1) {
      this.skippedMs += gap;
      const last = this.#skips.at(-1);
      if (last?.[0] === this.heardMs) last[1] = this.skippedMs;
      else this.#skips.push([this.heardMs, this.skippedMs]);
    }
    this.#silentMs = silent ? this.#silentMs + frameMs : 0;
    this.heardMs += frameMs;
    return false;
  }

  /**
   * The session dropped `ms` of the audio it was given (its queue overflowed): what the server
   * would have heard from `atMs` on. The audio after it is heard `ms` earlier.
   */
  dropped(atMs: number, ms: number): void {
    const end = atMs + ms;
    const before = this.#skips.filter(([at]) => at < atMs);
    const within = this.#skips.filter(([at]) => at >= atMs && at <= end);
    const after = this.#skips.filter(([at]) => at > end);
    const total = ((within.at(-1) ?? before.at(-1))?.[1] ?? 0) + ms;
    this.#skips = [
      ...before,
      [atMs, total],
      ...after.map(([at, sum]): [number, number] => [at - ms, sum + ms]),
    ];
    this.heardMs -= ms;
    this.skippedMs += ms;
  }

  /**
   * A time of the server's, in ms from the session's first frame, on the audio captured. A word
   * that starts where audio was left out starts after it; one that ends there ends before it.
   */
  toCaptured(ms: number, end = false): number {
    let skipped = 0;
    for (const [at, total] of this.#skips) {
      if (at > ms || (end && at === ms)) break;
      skipped = total;
    }
    return ms + skipped;
  }

  /** The message with its times on the audio captured (itself while nothing was left out). */
  map<T extends ServerMessage>(message: T): T {
    if (!this.#skips.length || !isObject(message)) return message;
    const m = message as Record<string, unknown>;
    const time = (value: unknown, end?: boolean) =>
      typeof value === 'number' ? this.toCaptured(value, end) : value;
    const words = (list: unknown) =>
      Array.isArray(list)
        ? list.map((w: unknown) =>
            isObject(w) ? { ...w, start: time(w.start), end: time(w.end, true) } : w
          )
        : list;
    if (m.type === 'Turn') return { ...m, words: words(m.words) } as T;
    if (m.type === 'SpeechStarted') return { ...m, timestamp: time(m.timestamp) } as T;
    if (m.type === 'SpeakerRevision' && Array.isArray(m.revisions)) {
      const revisions = m.revisions.map((r: unknown) =>
        isObject(r) ? { ...r, words: words(r.words) } : r
      );
      return { ...m, revisions } as T;
    }
    return message;
  }
}
