// SPDX-License-Identifier: MIT
import { EVENT_HANDLERS } from '@live-transcript/core/binding';
import type { LiveTranscriptElementEvent, LiveTranscriptEventName } from '@live-transcript/element';

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
