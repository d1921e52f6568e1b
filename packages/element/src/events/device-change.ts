// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core/binding';

/** The `detail` of {@link LtDeviceChangeEvent}. */
export type LtDeviceChangeDetail = LiveTranscriberEvents['device-change'];

/** `lt-device-change`: the microphone changed mid-session (picked, unplugged, a new system default): `{ deviceId, label }`. Bubbles, composed. */
export class LtDeviceChangeEvent extends Event {
  readonly detail: LtDeviceChangeDetail;
  constructor(detail: LtDeviceChangeDetail) {
    super('lt-device-change', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lt-device-change': LtDeviceChangeEvent;
  }
}
