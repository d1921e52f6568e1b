// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtEndEvent}. */
export type LtEndDetail = LiveTranscriberEvents['end'];

/** `lt-end`: a run ended after `stop()`: `{ audioDurationSeconds, sessionDurationSeconds }`. Bubbles, composed. */
export class LtEndEvent extends Event {
  readonly detail: LtEndDetail;
  constructor(detail: LtEndDetail) {
    super('lt-end', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-end': LtEndEvent;
  }
}
