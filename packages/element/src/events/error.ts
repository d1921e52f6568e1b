// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtErrorEvent}. */
export type LtErrorDetail = LiveTranscriberEvents['error'];

/** `lt-error`: a fatal error (the element is in the `error` state), or an invalid option: `{ error }`. Bubbles, composed. */
export class LtErrorEvent extends Event {
  readonly detail: LtErrorDetail;
  constructor(detail: LtErrorDetail) {
    super('lt-error', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-error': LtErrorEvent;
  }
}
