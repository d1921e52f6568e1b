// SPDX-License-Identifier: MIT
import type { Level } from '@live-transcript/core/binding';

/** `lt-level`: microphone level, about 20 times a second: `{ rms, peak }` in dBFS. Bubbles, composed. */
export class LtLevelEvent extends Event {
  readonly detail: Level;
  constructor(detail: Level) {
    super('lt-level', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-level': LtLevelEvent;
  }
}
