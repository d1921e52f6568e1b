// SPDX-License-Identifier: MIT
// What a transcriber remembers for `diagnostics()`: the last state changes, server messages,
// closes, errors and warnings, with their times, and the tokens a report must never show. Up
// front, so keep it small: the state history starts before the engine loads. The report itself
// is built in the engine chunk (diagnostics.ts); base-report.ts is what there is without it.
import type { DiagnosticsReport } from './types.js';

/** The report's lists of recent events. */
export type JournalLists = Pick<
  DiagnosticsReport,
  'states' | 'messages' | 'closes' | 'errors' | 'warnings'
>;

/** The recent history of a transcriber, for its diagnostics report. */
export class Journal {
  lists: JournalLists = { states: [], messages: [], closes: [], errors: [], warnings: [] };
  /** Every token this transcriber fetched: the report never shows one. */
  readonly secrets = new Set<string>();
  /** The audio context and track in use (the last seen once the capture ended). */
  audio: (() => DiagnosticsReport['audio']) | undefined;

  /** Adds an entry (timed now) to a list, dropping the oldest beyond 50. */
  add<K extends keyof JournalLists>(list: K, entry: Omit<JournalLists[K][number], 'at'>): void {
    const items: object[] = this.lists[list];
    if (items.push({ at: new Date().toISOString(), ...entry }) > 50) items.shift();
  }
}
