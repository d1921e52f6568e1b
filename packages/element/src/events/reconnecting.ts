// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtReconnectingEvent}. */
export type LtReconnectingDetail = LiveTranscriberEvents['reconnecting'];

/** `lt-reconnecting`: a connection failed and another attempt follows after `delayMs`: `{ attempt, delayMs, error }`. Bubbles, composed. */
export class LtReconnectingEvent extends Event {
  readonly detail: LtReconnectingDetail;
  constructor(detail: LtReconnectingDetail) {
    super('lt-reconnecting', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-reconnecting': LtReconnectingEvent;
  }
}
