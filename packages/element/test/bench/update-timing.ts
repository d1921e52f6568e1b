// SPDX-License-Identifier: MIT
// How the benchmarks time one transcript update of a <live-transcript>: what the element does for
// one Turn message (the `turn`/`final` events, the Lit update, and the style and layout they
// cause), with the store merge (core's applyMessage) timed apart, and the garbage collector
// run before each update when exposed. Shared by the render benchmark (bench/element-render.ts)
// and the soak (bench/soak.ts). Timers: the page should be cross-origin isolated (5 µs).
import { LiveTranscriptEvent } from '@live-transcript/core';
import { applyMessage } from '@live-transcript/core/session';
import type { LiveTranscriptElement } from '@live-transcript/element';
import { transcriberOf, turnMessage } from '../browser/simulate.js';

export const SENTENCE = 'the quick brown fox jumps over the lazy dog while the band plays on';

/** Costs of one update, in ms: medians, and interquartile means (finer than the 5 µs timer). */
export interface UpdateTimes {
  /** Element cost of one partial update (a Turn for the turn in progress). */
  partialMs: number;
  /** Element cost of one new final turn. */
  finalMs: number;
  /** Store merge (applyMessage) of the same messages. */
  storePartialMs: number;
  storeFinalMs: number;
  partialMeanMs: number;
  finalMeanMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
/** The mean of the middle half. */
const interquartileMean = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((sorted.length * 3) / 4));
  return middle.reduce((sum, x) => sum + x, 0) / middle.length;
};
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * A timed `update(message)` for `el`: applies the message to the element's store (as session
 * `sessionId`), dispatches `turn`/`final` on its transcriber as LiveTranscriber does, waits for
 * the render and forces style and layout. Resolves to [store ms, element ms]. `now` is the clock
 * (the soak's page replaces `performance.now`).
 */
export function timedUpdater(
  el: LiveTranscriptElement,
  { sessionId = 'bench', now = () => performance.now() } = {}
): (message: unknown) => Promise<[number, number]> {
  const store = el.transcript;
  const transcriber = transcriberOf(el);
  const scroller = el.shadowRoot!.querySelector<HTMLElement>('[part~="transcript"]')!;
  return async (message) => {
    const start = now();
    applyMessage(store, message, { sessionId });
    const merged = now();
    const transcript = store.getSnapshot();
    for (const turn of store.lastChanged) {
      transcriber.dispatchEvent(new LiveTranscriptEvent('turn', { turn, transcript }));
    }
    for (const turn of store.lastReady) {
      transcriber.dispatchEvent(new LiveTranscriptEvent('final', { turn }));
    }
    await el.updateComplete;
    void scroller.scrollHeight; // style and layout
    return [merged - start, now() - merged];
  };
}

/**
 * Times `count` partial updates of turn `order` (the turn in progress), then `count` new final
 * turns from `order` on: the medians.
 */
export async function timeUpdates(
  update: (message: unknown) => Promise<[number, number]>,
  order: number,
  count: number
): Promise<UpdateTimes> {
  const words = SENTENCE.split(' ');
  const partial: Array<[number, number]> = [];
  const final: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    gc();
    const text = words.slice(0, 1 + (i % words.length)).join(' ');
    partial.push(await update(turnMessage(order, text, { final: false })));
  }
  for (let i = 0; i < count; i++) {
    gc();
    final.push(await update(turnMessage(order + i, `${order + i}: ${SENTENCE}`)));
  }
  return {
    partialMs: median(partial.map(([, ms]) => ms)),
    finalMs: median(final.map(([, ms]) => ms)),
    storePartialMs: median(partial.map(([ms]) => ms)),
    storeFinalMs: median(final.map(([ms]) => ms)),
    partialMeanMs: interquartileMean(partial.map(([, ms]) => ms)),
    finalMeanMs: interquartileMean(final.map(([, ms]) => ms)),
  };
}
