// SPDX-License-Identifier: MIT
import type { LiveTranscriberEvents } from '@live-transcript/core';
import { EVENT_HANDLERS, type TranscriberEventName } from '@live-transcript/core';

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

/** The `emits` of `<LiveTranscript>`: each element event, with the DOM event as payload. */
export type LiveTranscriptEmits = {
  [N in LiveTranscriptEventName]: (event: LiveTranscriptElementEvent<N>) => boolean;
};

type Camel<S extends string> = S extends `${infer A}-${infer B}`
  ? `${A}${Capitalize<Camel<B>>}`
  : S;

/**
 * Listener props for `h(LiveTranscript, { onLtTurn: ... })` (Vue's own typing of the emits only
 * knows `'onLt-turn'`; both work).
 */
export type LiveTranscriptListeners = {
  [N in LiveTranscriptEventName as `on${Capitalize<Camel<N>>}`]?: (
    event: LiveTranscriptElementEvent<N>
  ) => void;
};

const isEvent = (event: unknown) => event instanceof Event;

/** `{ 'lt-turn': validator, 'lt-state-change': validator, ... }`, one entry per element event. */
export const liveTranscriptEmits = Object.fromEntries(
  Object.keys(EVENT_HANDLERS).map((type) => [`lt-${type}`, isEvent])
) as unknown as LiveTranscriptEmits;
