// SPDX-License-Identifier: MIT
// In-page part of `bench/element-render.ts` (bundled and run in headless Chromium): the cost of
// one transcript update of <live-transcript> with few and with many final turns on screen.
// An update is what the element does for one Turn message: the `turn`/`final` events, the Lit
// update, and the style and layout they cause. The store merge (core's applyMessage) is
// timed apart, and the garbage collector runs between updates (when exposed), so the numbers
// are the element's own. The page must be cross-origin isolated for 5 µs timers.
import { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';
import { loaded, setState, turnMessage } from '../browser/simulate.js';
import { SENTENCE, timedUpdater, timeUpdates, type UpdateTimes } from './update-timing.js';

export interface RenderResult extends UpdateTimes {
  turns: number;
}

/** A fresh listening element with `turns` final turns, and a timed `update(message)`. */
async function setup(turns: number) {
  document.body.replaceChildren();
  const el = new LiveTranscriptElement();
  el.setAttribute('token-url', '/token');
  el.setAttribute('show-timestamps', '');
  document.body.append(el);
  await el.updateComplete;
  await loaded(el);
  setState(el, 'connecting');
  setState(el, 'listening');
  const update = timedUpdater(el);
  for (let i = 0; i < turns; i++) await update(turnMessage(i, `${i}: ${SENTENCE}`));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return { el, update };
}

/** One round on a fresh element with `turns` finals: `count` partial updates, then `count` new finals. */
export async function measure(turns: number, count: number): Promise<RenderResult> {
  const { el, update } = await setup(turns);
  const times = await timeUpdates(update, turns, count);
  const onScreen = el.shadowRoot!.querySelectorAll('[part~="turn"]').length;
  if (onScreen !== turns + count)
    throw new Error(`expected ${turns + count} turns, found ${onScreen}`);
  el.remove();
  return { turns, ...times };
}

(globalThis as { measure?: typeof measure }).measure = measure;
