// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtFinalEvent}. */
export type LtFinalDetail = LiveTranscriberEvents['final'];

/** `lt-final`: a turn became final and display-ready (once per turn): `{ turn }`. Bubbles, composed. */
export class LtFinalEvent extends Event {
  readonly detail: LtFinalDetail;
  constructor(detail: LtFinalDetail) {
    super('lt-final', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-final': LtFinalEvent;
  }
}
