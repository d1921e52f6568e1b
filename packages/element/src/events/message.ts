// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtMessageEvent}. */
export type LtMessageDetail = LiveTranscriberEvents['message'];

/** `lt-message`: any server message, unknown types included: `{ message, sessionId }`. Bubbles, composed. */
export class LtMessageEvent extends Event {
  readonly detail: LtMessageDetail;
  constructor(detail: LtMessageDetail) {
    super('lt-message', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-message': LtMessageEvent;
  }
}
