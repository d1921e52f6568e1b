// SPDX-License-Identifier: MIT
// In-page part of `bench/element-render.ts` (bundled and run in headless Chromium): the cost of
// one transcript update of <live-transcript> with few and with many final turns on screen.
// An update is what the element does for one Turn message: the `turn`/`final` events, the Lit
// update, and the style and layout they cause. The store merge (core's Transcript.apply) is
// timed apart, and the garbage collector runs between updates (when exposed), so the numbers
// are the element's own. The page must be cross-origin isolated for 5 µs timers.
import { LiveTranscriptEvent } from '@live-transcript/core';
import { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';
import { setState, transcriberOf, turnMessage } from '../browser/simulate.js';
import { applyMessage } from '@live-transcript/core/session';

const SENTENCE = 'the quick brown fox jumps over the lazy dog while the band plays on';

export interface RenderResult {
  turns: number;
  /** Median element cost of one partial update (a Turn for the turn in progress), in ms. */
  partialMs: number;
  /** Median element cost of one new final turn, in ms. */
  finalMs: number;
  /** Median store merge (Transcript.apply) of the same messages, in ms. */
  storePartialMs: number;
  storeFinalMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** A fresh listening element with `turns` final turns, and a timed `update(message)`. */
async function setup(turns: number) {
  document.body.replaceChildren();
  const el = new LiveTranscriptElement();
  el.setAttribute('token-url', '/token');
  el.setAttribute('show-timestamps', '');
  document.body.append(el);
  await el.updateComplete;
  setState(el, 'connecting');
  setState(el, 'listening');
  const store = el.transcript;
  const transcriber = transcriberOf(el);
  const scroller = el.shadowRoot!.querySelector<HTMLElement>('[part~="transcript"]')!;
  /** Returns [store ms, element ms]. */
  const update = async (message: unknown): Promise<[number, number]> => {
    const start = performance.now();
    applyMessage(store, message, { sessionId: 'bench' });
    const merged = performance.now();
    const transcript = store.getSnapshot();
    for (const turn of store.lastChanged) {
      transcriber.dispatchEvent(new LiveTranscriptEvent('turn', { turn, transcript }));
    }
    for (const turn of store.lastReady) {
      transcriber.dispatchEvent(new LiveTranscriptEvent('final', { turn }));
    }
    await el.updateComplete;
    void scroller.scrollHeight; // style and layout
    return [merged - start, performance.now() - merged];
  };
  for (let i = 0; i < turns; i++) await update(turnMessage(i, `${i}: ${SENTENCE}`));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return { el, update };
}

/** One round on a fresh element with `turns` finals: `count` partial updates, then `count` new finals. */
export async function measure(turns: number, count: number): Promise<RenderResult> {
  const { el, update } = await setup(turns);
  const words = SENTENCE.split(' ');
  const partial: Array<[number, number]> = [];
  const final: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    gc();
    const text = words.slice(0, 1 + (i % words.length)).join(' ');
    partial.push(await update(turnMessage(turns, text, { final: false })));
  }
  for (let i = 0; i < count; i++) {
    gc();
    final.push(await update(turnMessage(turns + i, `${turns + i}: ${SENTENCE}`)));
  }
  const onScreen = el.shadowRoot!.querySelectorAll('[part~="turn"]').length;
  if (onScreen !== turns + count)
    throw new Error(`expected ${turns + count} turns, found ${onScreen}`);
  el.remove();
  return {
    turns,
    partialMs: median(partial.map(([, ms]) => ms)),
    finalMs: median(final.map(([, ms]) => ms)),
    storePartialMs: median(partial.map(([ms]) => ms)),
    storeFinalMs: median(final.map(([ms]) => ms)),
  };
}

(globalThis as { measure?: typeof measure }).measure = measure;
