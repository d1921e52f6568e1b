// SPDX-License-Identifier: MIT
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { LiveTranscriptElement, type LiveTranscriptElementEvent } from '@live-transcript/element';
import '@live-transcript/element/define';
import {
  EVENT_HANDLERS,
  type HandlerName,
  type TranscriberEventName,
} from '@live-transcript/core/binding';

/** The React prop of each element event: `onTurn` for `lt-turn`, and so on. */
export type LiveTranscriptEventProps = {
  [K in TranscriberEventName as HandlerName<K>]: EventName<LiveTranscriptElementEvent<`lt-${K}`>>;
};

/**
 * The `events` map given to `@lit/react`: React prop name → DOM event name
 * (`{ onTurn: 'lt-turn', onStateChange: 'lt-state-change', ... }`), one entry per event of the
 * element.
 */
export const liveTranscriptEvents = Object.fromEntries(
  Object.entries(EVENT_HANDLERS).map(([type, prop]) => [prop, `lt-${type}`])
) as LiveTranscriptEventProps;

/**
 * `<live-transcript>` as a React component (registers the element). Element properties are
 * props (set as properties, so arrays and `getToken` work), `onTurn`, `onFinal`, `onStateChange`,
 * `onError`, ... listen to the element's `lt-*` events, and `ref` is the element, with its
 * methods (`start()`, `stop()`, ...).
 *
 * @example
 * ```tsx
 * import { LiveTranscript } from '@live-transcript/react';
 *
 * <LiveTranscript tokenUrl="/api/assemblyai-token" onFinal={(e) => save(e.detail.turn.text)} />
 * ```
 */
export const LiveTranscript = createComponent({
  tagName: 'live-transcript',
  elementClass: LiveTranscriptElement,
  react: React,
  events: liveTranscriptEvents,
  displayName: 'LiveTranscript',
});

/** The props of {@link LiveTranscript}. */
export type LiveTranscriptProps = React.ComponentProps<typeof LiveTranscript>;
