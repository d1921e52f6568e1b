// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtBeginEvent}. */
export type LtBeginDetail = LiveTranscriberEvents['begin'];

/** `lt-begin`: a session began (the first, and each one after a reconnect or rollover): `{ sessionId, expiresAt }`. Bubbles, composed. */
export class LtBeginEvent extends Event {
  readonly detail: LtBeginDetail;
  constructor(detail: LtBeginDetail) {
    super('lt-begin', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-begin': LtBeginEvent;
  }
}
