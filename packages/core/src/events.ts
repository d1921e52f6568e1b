// SPDX-License-Identifier: MIT

/** The event class of every live-transcript event target: a `CustomEvent` with a typed detail. */
export class LiveTranscriptEvent<T extends string = string, D = unknown> extends CustomEvent<D> {
  declare readonly type: T;
  constructor(type: T, detail: D) {
    super(type, { detail });
  }
}

type Listener<E> = ((event: E) => void) | { handleEvent(event: E): void };

/**
 * An `EventTarget` whose `addEventListener` knows the detail type of each event in `M`.
 * Any number of listeners per event; remove them with `removeEventListener` or an `AbortSignal`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class TypedEventTarget<M extends object> extends EventTarget {
  /** Dispatches `type` with `detail`. Returns false if a listener called `preventDefault()`. */
  protected emit<K extends keyof M & string>(type: K, detail: M[K]): boolean {
    return this.dispatchEvent(new LiveTranscriptEvent(type, detail));
  }
}

// Typed listener overloads for the class above (declaration only).

export interface TypedEventTarget<M extends object> {
  addEventListener<K extends keyof M & string>(
    type: K,
    listener: Listener<LiveTranscriptEvent<K, M[K]>> | null,
    options?: boolean | AddEventListenerOptions
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions
  ): void;
  removeEventListener<K extends keyof M & string>(
    type: K,
    listener: Listener<LiveTranscriptEvent<K, M[K]>> | null,
    options?: boolean | EventListenerOptions
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions
  ): void;
}
