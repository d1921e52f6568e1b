// SPDX-License-Identifier: MIT
// When to try again after a failed connection: pure functions, so the policy is tested alone.
import type { ReconnectOptions } from '../options.js';

/** Resolved reconnection settings (`reconnect: true` gives the defaults). */
export type ReconnectSettings = Required<ReconnectOptions>;

/** The settings of the `reconnect` option, or `undefined` when reconnecting is off. */
export function reconnectSettings(
  option: boolean | ReconnectOptions | undefined
): ReconnectSettings | undefined {
  if (option === false) return undefined;
  const given = option === true || option === undefined ? {} : option;
  return {
    maxAttempts: given.maxAttempts ?? 8,
    baseDelayMs: given.baseDelayMs ?? 500,
    maxDelayMs: given.maxDelayMs ?? 10_000,
  };
}

export interface BackoffContext {
  /** The failure was a session reaching its end (`session-expired`): expected. */
  expired?: boolean;
  /** The browser knows it is offline (`navigator.onLine === false`). */
  offline?: boolean;
  /** A number in [0, 1) for the jitter. Default `Math.random()`. */
  random?: number;
}

/**
 * The delay before attempt `attempt` (1 for the first retry). A first expiry rolls over at once;
 * offline, the longest delay (the `online` event ends it early); otherwise exponential from
 * `baseDelayMs`, capped at `maxDelayMs`, with full jitter in [50 %, 100 %].
 *
 * @example
 * ```ts
 * backoffDelay(3, reconnectSettings(true)!, { random: 0.5 }); // 1500 (2000 ms × 75 %)
 * ```
 */
export function backoffDelay(
  attempt: number,
  settings: ReconnectSettings,
  { expired = false, offline = false, random = Math.random() }: BackoffContext = {}
): number {
  const n = Math.max(attempt, 1);
  if (expired && n === 1) return 0;
  if (offline) return settings.maxDelayMs;
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (n - 1));
  return Math.round(exponential * (0.5 + random / 2));
}
