// SPDX-License-Identifier: MIT
// Puts a <live-transcript> in any state without a microphone or a network, for the stories: the
// events its own LiveTranscriber would dispatch are dispatched on it, and server messages go into
// its transcript store, so the element renders exactly what it renders in a live session.
import {
  LiveTranscriptError,
  LiveTranscriptEvent,
  type LiveTranscriber,
  type LiveTranscriberEvents,
  type TranscriberState,
} from '@live-transcript/core';
import type { LiveTranscriptElement } from '@live-transcript/element';
import { applyMessage } from '@live-transcript/core/session';

export { LiveTranscriptError };

export class Simulation {
  #order = 0;
  #clockMs = 0;

  constructor(readonly element: LiveTranscriptElement) {}

  /**
   * Waits until the element has made its transcriber (it needs a `token-url`): its code loads
   * on intent, which this signals (as a pointer over the element would).
   */
  static async of(element: LiveTranscriptElement | null): Promise<Simulation> {
    if (!element) throw new Error('No <live-transcript> in the story.');
    await element.updateComplete;
    element.dispatchEvent(new PointerEvent('pointerenter'));
    for (let i = 0; i < 200 && !element.transcriber; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return new Simulation(element);
  }

  get #transcriber(): LiveTranscriber {
    const transcriber = this.element.transcriber;
    if (!transcriber) throw new Error('The element has no transcriber: give it a token-url.');
    return transcriber;
  }

  emit<K extends keyof LiveTranscriberEvents>(type: K, detail: LiveTranscriberEvents[K]): this {
    this.#transcriber.dispatchEvent(new LiveTranscriptEvent(type, detail));
    return this;
  }

  /** Moves to `state` (with `error` for the error state), as LiveTranscriber does. */
  state(state: TranscriberState, error?: LiveTranscriptError): this {
    const previous = this.element.state;
    if (error) this.emit('error', { error });
    return this.emit('state-change', { state, previous, reason: error?.code ?? 'story' });
  }

  /** The microphone level, in dBFS. */
  level(rms: number): this {
    return this.emit('level', { rms, peak: rms + 6 });
  }

  /** A Turn message for `text`: final (a caption) or not (the partial in progress). */
  say(text: string, { final = true, speaker }: { final?: boolean; speaker?: string } = {}): this {
    const words = text.split(' ').map((word) => {
      const start = (this.#clockMs += 320);
      return { text: word, start, end: start + 280, confidence: 0.92, word_is_final: final };
    });
    const transcript = final ? text : '';
    const message = {
      type: 'Turn',
      turn_order: this.#order,
      turn_is_formatted: final,
      end_of_turn: final,
      transcript,
      utterance: transcript,
      end_of_turn_confidence: final ? 0.9 : 0.1,
      words,
      ...(speaker && { speaker_label: speaker }),
    };
    if (final) {
      this.#order++;
      this.#clockMs += 900;
    }
    const store = this.element.transcript;
    applyMessage(store, message, { sessionId: 'story' });
    const snapshot = store.getSnapshot();
    for (const turn of store.lastChanged) this.emit('turn', { turn, transcript: snapshot });
    for (const turn of store.lastReady) this.emit('final', { turn });
    return this;
  }
}

/** Sentences for the stories (the speech fixture's, and a few more). */
export const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Live captions make every meeting accessible.',
  'Please send the report to Marta by Friday.',
  'Can everyone see the slides on their screen?',
  'Next quarter we will focus on the mobile app.',
  'Let us take five minutes and come back at half past.',
];
