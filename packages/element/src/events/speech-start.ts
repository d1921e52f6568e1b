// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtSpeechStartEvent}. */
export type LtSpeechStartDetail = LiveTranscriberEvents['speech-start'];

/** `lt-speech-start`: the server heard speech start: `{ timestamp, confidence }` (ms on the transcript's clock). Bubbles, composed. */
export class LtSpeechStartEvent extends Event {
  readonly detail: LtSpeechStartDetail;
  constructor(detail: LtSpeechStartDetail) {
    super('lt-speech-start', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-speech-start': LtSpeechStartEvent;
  }
}
