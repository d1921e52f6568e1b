// SPDX-License-Identifier: MIT
// Drives an element's transcriber without a network: messages go into the element's own
// transcript store and the transcriber dispatches the events it would dispatch after merging
// them (the same order as LiveTranscriber: every `turn`, then every `final`). The e2e tests cover
// the real pipeline; these helpers make rendering tests exact and fast.
import {
  LiveTranscriptError,
  LiveTranscriptEvent,
  type LiveTranscriber,
  type LiveTranscriberEvents,
  type TranscriberState,
} from '@live-transcript/core';
import type { LiveTranscriptElement } from '@live-transcript/element';
import { applyMessage } from '@live-transcript/core/session';

/**
 * Waits until the element has its transcriber: its code loads on intent (a pointer over the
 * element, which this signals) or when the browser is idle.
 */
export async function loaded(el: LiveTranscriptElement): Promise<LiveTranscriber | undefined> {
  el.dispatchEvent(new PointerEvent('pointerenter'));
  // (an element with invalid options gets no transcriber)
  for (let i = 0; i < 200 && !el.transcriber && !el.error; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return el.transcriber;
}

export function transcriberOf(el: LiveTranscriptElement): LiveTranscriber {
  const transcriber = el.transcriber;
  if (!transcriber) throw new Error('The element has no transcriber (no token-url?)');
  return transcriber;
}

export function emit<K extends keyof LiveTranscriberEvents>(
  el: LiveTranscriptElement,
  type: K,
  detail: LiveTranscriberEvents[K]
): void {
  transcriberOf(el).dispatchEvent(new LiveTranscriptEvent(type, detail));
}

/** Applies one server message to the element's store and dispatches `turn`/`final`. */
export function feed(el: LiveTranscriptElement, message: unknown, sessionId = 'session-1'): void {
  const store = el.transcript;
  applyMessage(store, message, { sessionId });
  const transcript = store.getSnapshot();
  for (const turn of store.lastChanged) emit(el, 'turn', { turn, transcript });
  for (const turn of store.lastReady) emit(el, 'final', { turn });
}

let clock = 0;

/** A Universal `Turn` message with one word per token of `text`, 300 ms apart. */
export function turnMessage(
  order: number,
  text: string,
  {
    final = true,
    formatted = final,
    speaker,
  }: { final?: boolean; formatted?: boolean; speaker?: string } = {}
) {
  const words = text.split(' ').map((word) => {
    const start = (clock += 300);
    return { text: word, start, end: start + 250, confidence: 0.9, word_is_final: final };
  });
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: formatted,
    end_of_turn: final,
    transcript: final ? text : '',
    end_of_turn_confidence: final ? 0.9 : 0.1,
    words,
    utterance: final ? text : '',
    ...(speaker && { speaker_label: speaker }),
  };
}

/** Sets the transcriber's state (and error) as LiveTranscriber would. */
export function setState(
  el: LiveTranscriptElement,
  state: TranscriberState,
  error?: LiveTranscriptError
): void {
  const previous = el.state;
  if (error) emit(el, 'error', { error });
  emit(el, 'state-change', { state, previous, reason: error?.code ?? 'test' });
}

export { LiveTranscriptError };
