// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtTurnEvent}. */
export type LtTurnDetail = LiveTranscriberEvents['turn'];

/** `lt-turn`: a turn was added or changed (every Turn message, after merging): `{ turn, transcript }`. Bubbles, composed. */
export class LtTurnEvent extends Event {
  readonly detail: LtTurnDetail;
  constructor(detail: LtTurnDetail) {
    super('lt-turn', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-turn': LtTurnEvent;
  }
}
