// SPDX-License-Identifier: MIT
import type { LiveTranscriberWarning } from '@live-transcript/core/binding';

/** `lt-warning`: something needs attention, nothing stopped (clipping, a muted or lost microphone, dropped audio...): `{ code, message }`. Bubbles, composed. */
export class LtWarningEvent extends Event {
  readonly detail: LiveTranscriberWarning;
  constructor(detail: LiveTranscriberWarning) {
    super('lt-warning', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-warning': LtWarningEvent;
  }
}
