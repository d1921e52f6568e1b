// SPDX-License-Identifier: MIT

/**
 * The time source of a fake server: a millisecond clock and one-shot timers. The default is the
 * platform's (`Date.now`, `setTimeout`); tests that replay long scripts pass a
 * {@link VirtualClock} and move time themselves.
 */
export interface FakeClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The platform clock. Timers are `unref()`ed in Node so a forgotten session never holds the process. */
export const systemClock: FakeClock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms) as unknown as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/** A clock that only moves when told to. */
export interface VirtualClock extends FakeClock {
  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void;
}

/**
 * Creates a {@link VirtualClock} starting at `start` (ms since the epoch).
 *
 * @example
 * ```ts
 * const clock = createVirtualClock();
 * const fake = createFakeStreamingServer({ clock });
 * // ... send 100 ms of audio, then:
 * clock.advance(100);
 * ```
 */
export function createVirtualClock(start = Date.now()): VirtualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      timers.set(++seq, { at: now + Math.max(0, ms), callback });
      return seq;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let next: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (!next || entry[1].at < next[1].at) next = entry;
        if (!next || next[1].at > target) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].callback();
      }
      now = target;
    },
  };
}
