// SPDX-License-Identifier: MIT
import type { StateChangeDetail } from '@live-transcript/core/binding';

/** `lt-state-change`: the state changed: `{ state, previous, reason }`. Bubbles, composed. */
export class LtStateChangeEvent extends Event {
  readonly detail: StateChangeDetail;
  constructor(detail: StateChangeDetail) {
    super('lt-state-change', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-state-change': LtStateChangeEvent;
  }
}
