// SPDX-License-Identifier: MIT
export { LtStateChangeEvent } from './state-change.js';
export { LtBeginEvent, type LtBeginDetail } from './begin.js';
export { LtSpeechStartEvent, type LtSpeechStartDetail } from './speech-start.js';
export { LtTurnEvent, type LtTurnDetail } from './turn.js';
export { LtFinalEvent, type LtFinalDetail } from './final.js';
export { LtLevelEvent } from './level.js';
export { LtReconnectingEvent, type LtReconnectingDetail } from './reconnecting.js';
export { LtErrorEvent, type LtErrorDetail } from './error.js';
export { LtEndEvent, type LtEndDetail } from './end.js';
export { LtMessageEvent, type LtMessageDetail } from './message.js';
export { LtWarningEvent } from './warning.js';
export { LtDeviceChangeEvent, type LtDeviceChangeDetail } from './device-change.js';
export type {
  Level,
  LiveTranscriberWarning,
  LiveTranscriberWarningCode,
  StateChangeDetail,
} from '@live-transcript/core/binding';

import type { LiveTranscriberEvents, TranscriberEventName } from '@live-transcript/core/binding';

/** The DOM events `<live-transcript>` dispatches: `lt-turn`, `lt-state-change`, ... */
export type LiveTranscriptEventName = `lt-${TranscriberEventName}`;

/**
 * The event object of `<live-transcript>`'s event `N`: the element's own event class where it
 * declares one in `GlobalEventHandlersEventMap`, else an `Event` with the core's `detail`.
 */
export type LiveTranscriptElementEvent<N extends LiveTranscriptEventName> =
  N extends keyof GlobalEventHandlersEventMap
    ? GlobalEventHandlersEventMap[N]
    : Event & {
        readonly detail: LiveTranscriberEvents[N extends `lt-${infer K extends TranscriberEventName}`
          ? K
          : never];
      };
