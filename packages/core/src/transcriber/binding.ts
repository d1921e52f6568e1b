// SPDX-License-Identifier: MIT
// One LiveTranscriber per component instance, behind a store that outlives it: what framework
// bindings (useLiveTranscript() in @live-transcript/react and @live-transcript/vue) build on.
// Nothing here runs at import or touches a browser global.
import { LiveTranscriptError } from '../errors.js';
import { LiveTranscriptEvent } from '../events.js';
import type { Transcript } from '../transcript/transcript.js';
import {
  IDLE_SNAPSHOT,
  LiveTranscriber,
  type LiveTranscriberEvents,
  type LiveTranscriberOptions,
  type LiveTranscriberSnapshot,
} from './live-transcriber.js';

/** The name of an event of the core `LiveTranscriber`: `turn`, `state-change`, ... */
export type TranscriberEventName = keyof LiveTranscriberEvents & string;

type Camel<S extends string> = S extends `${infer A}-${infer B}`
  ? `${A}${Capitalize<Camel<B>>}`
  : S;

/** The callback name of an event: `turn` → `onTurn`, `state-change` → `onStateChange`. */
export type HandlerName<K extends string> = `on${Capitalize<Camel<K>>}`;

/**
 * Every event of the core, with its callback name. The element re-dispatches each one as
 * `lt-<name>`.
 */
export const EVENT_HANDLERS = {
  'state-change': 'onStateChange',
  begin: 'onBegin',
  'speech-start': 'onSpeechStart',
  turn: 'onTurn',
  final: 'onFinal',
  level: 'onLevel',
  reconnecting: 'onReconnecting',
  error: 'onError',
  end: 'onEnd',
  message: 'onMessage',
  warning: 'onWarning',
} as const satisfies { [K in TranscriberEventName]: HandlerName<K> };

/** Callbacks for the transcriber's events; each gets the core event (read `event.detail`). */
export type TranscriberHandlers = {
  [K in TranscriberEventName as HandlerName<K>]?: (
    event: LiveTranscriptEvent<K, LiveTranscriberEvents[K]>
  ) => void;
};

/** `LiveTranscriber` options plus event callbacks. */
export type TranscriberBindingOptions = LiveTranscriberOptions & TranscriberHandlers;

/** The actions of a binding: stable functions, safe to pass as event handlers. */
export interface TranscriberControls {
  /**
   * Starts listening. Call it from a click (or another user gesture): it reaches
   * `LiveTranscriber.start()` synchronously. Resolves when the session has begun; rejects with
   * the `LiveTranscriptError` that is also in `error` (a rejection nobody awaits is not reported
   * as unhandled). Ignores its arguments, so `onClick={start}` is fine.
   */
  start(): Promise<void>;
  /** Stops listening; resolves when the microphone is released and the session closed. */
  stop(): Promise<void>;
  /** Mutes the microphone; the session stays open. */
  pause(): void;
  /** Unmutes the microphone after `pause()`. */
  resume(): void;
  /** Empties the transcript. */
  clear(): void;
  /** Ends the current turn now. */
  forceEndpoint(): void;
}

/** Settings a running session can take (`UpdateConfiguration`); others need a new transcriber. */
const LIVE_KEYS = new Set([
  'keytermsPrompt',
  'prompt',
  'minTurnSilence',
  'maxTurnSilence',
  'endOfTurnConfidenceThreshold',
  'vadThreshold',
  'mode',
  'languageCodes',
  'filterProfanity',
]);
const HANDLER_NAMES = new Set<string>(Object.values(EVENT_HANDLERS));

type Data = Record<string, unknown>;

const isPlain = (value: unknown): value is Data =>
  Array.isArray(value) ||
  (typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype);

/** Deep equality of plain data (arrays, plain objects); identity for everything else. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof URL && b instanceof URL) return a.href === b.href;
  if (!isPlain(a) || !isPlain(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => same(a[key], b[key]));
}

/** A deep copy of plain data, so that later in-place edits show up as changes. */
const copy = (value: unknown): unknown =>
  !isPlain(value)
    ? value
    : Array.isArray(value)
      ? value.map(copy)
      : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)]));

/** The transcriber options in `options` (callbacks left out). */
const dataOf = (options: TranscriberBindingOptions): Data =>
  Object.fromEntries(Object.entries(options).filter(([key]) => !HANDLER_NAMES.has(key)));

function changedKeys(before: Data, after: Data): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) =>
    key === 'getToken'
      ? typeof before[key] !== typeof after[key] // the latest callback is always used
      : !same(before[key], after[key])
  );
}

const shallowEqual = (a: object, b: object) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([key, value]) => Object.is(value, (b as Data)[key]));

const handled = (promise: Promise<void>) => (promise.catch(() => undefined), promise);

/**
 * The store behind `useLiveTranscript()`. It creates its `LiveTranscriber` only when `update()`
 * (a mounted component, so never during a server render) or `start()` asks for it; `dispose()`
 * releases it, and a later `update()` (a remount, as under React StrictMode) creates a new one
 * that continues the same transcript. Option changes go to the running session when it can take
 * them (`updateConfiguration`); the others make a new transcriber, once the current one is idle.
 * Invalid options do not throw: they show as `state: 'error'` with an `invalid-option` error.
 */
export class TranscriberBinding implements TranscriberControls {
  #options: TranscriberBindingOptions;
  /** What the transcriber was made with (or the failed attempt), plus live updates. */
  #applied: Data | undefined;
  #transcriber: LiveTranscriber | undefined;
  /** The transcript a new transcriber continues. */
  #transcript: Transcript | undefined;
  /** Set when the options are invalid (then there is no transcriber). */
  #error: LiveTranscriptError | undefined;
  /** The options changed in a way that needs a new transcriber: made once the current one is idle. */
  #stale = false;
  #detach: AbortController | undefined;
  #disposed = false;
  #snapshot: LiveTranscriberSnapshot = IDLE_SNAPSHOT;
  #listeners = new Set<() => void>();

  constructor(options: TranscriberBindingOptions) {
    this.#options = options;
  }

  /** The current snapshot; the same object until something changes. */
  getSnapshot = (): LiveTranscriberSnapshot => this.#snapshot;

  /** Calls `listener` after each change of the snapshot; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /** Takes the latest options (and callbacks), creating or updating the transcriber. Client only. */
  update(options: TranscriberBindingOptions): void {
    this.#options = options;
    this.#disposed = false;
    const transcriber = this.#transcriber;
    if (!this.#applied || (!transcriber && !this.#error)) return this.#create();
    const data = dataOf(options);
    const changed = changedKeys(this.#applied, data);
    if (!transcriber) {
      if (changed.length) this.#create();
      return;
    }
    // A setting removed cannot be unset mid-session: that takes a new transcriber too.
    const live = changed.filter((key) => LIVE_KEYS.has(key) && data[key] !== undefined);
    if (live.length) {
      transcriber.updateConfiguration(Object.fromEntries(live.map((key) => [key, data[key]])));
      for (const key of live) this.#applied[key] = copy(data[key]);
    }
    this.#stale = live.length < changed.length;
    this.#settle();
  }

  /** Stops the transcriber and lets it go; the transcript is kept for a later `update()`. */
  dispose(): void {
    this.#disposed = true;
    this.#release();
  }

  start = (): Promise<void> => {
    if (this.#disposed) {
      return handled(
        Promise.reject(
          new LiveTranscriptError('aborted', 'start() was called after the component unmounted.')
        )
      );
    }
    const failed = this.#transcriber?.state === 'error';
    if ((!this.#transcriber && !this.#error) || (this.#stale && failed)) this.#create();
    return handled(this.#transcriber?.start() ?? Promise.reject(this.#error));
  };

  stop = (): Promise<void> => this.#transcriber?.stop() ?? Promise.resolve();
  pause = (): void => this.#transcriber?.pause();
  resume = (): void => this.#transcriber?.resume();
  forceEndpoint = (): void => this.#transcriber?.forceEndpoint();
  clear = (): void => {
    if (this.#transcriber) this.#transcriber.clear();
    else if (this.#transcript?.clear()) this.#refresh();
  };

  #create(): void {
    this.#release();
    const data = dataOf(this.#options);
    this.#applied = copy(data) as Data;
    this.#stale = false;
    this.#error = undefined;
    try {
      const options = {
        ...data,
        transcript: (data.transcript as Transcript | undefined) ?? this.#transcript,
      } as LiveTranscriberOptions;
      const given = options.getToken;
      if (given) options.getToken = (signal) => (this.#options.getToken ?? given)(signal);
      const transcriber = new LiveTranscriber(options);
      const detach = new AbortController();
      for (const [type, name] of Object.entries(EVENT_HANDLERS)) {
        transcriber.addEventListener(type, (event) => this.#call(name, event), {
          signal: detach.signal,
        });
      }
      const unsubscribe = transcriber.subscribe(() => {
        this.#settle();
        this.#refresh();
      });
      detach.signal.addEventListener('abort', unsubscribe);
      this.#transcriber = transcriber;
      this.#transcript = transcriber.transcript;
      this.#detach = detach;
    } catch (caught) {
      const error =
        caught instanceof LiveTranscriptError
          ? caught
          : new LiveTranscriptError('invalid-option', String(caught), { cause: caught });
      this.#error = error;
      this.#call('onError', new LiveTranscriptEvent('error', { error }));
    }
    this.#refresh();
  }

  #call(name: string, event: Event): void {
    (this.#options as Record<string, ((event: Event) => void) | undefined>)[name]?.(event);
  }

  /**
   * Makes the new transcriber the options ask for, as soon as the current one is idle. (After a
   * failure, `start()` does it: the error stays on screen until then.)
   */
  #settle(): void {
    if (this.#stale && this.#transcriber?.state === 'idle') this.#create();
  }

  #release(): void {
    this.#detach?.abort();
    this.#detach = undefined;
    this.#transcriber?.dispose();
    this.#transcriber = undefined;
  }

  #refresh(): void {
    const transcriber = this.#transcriber;
    const next: LiveTranscriberSnapshot = transcriber
      ? transcriber.getSnapshot()
      : {
          ...IDLE_SNAPSHOT,
          ...this.#transcript?.getSnapshot(),
          state: this.#error ? 'error' : 'idle',
          error: this.#error,
        };
    if (shallowEqual(next, this.#snapshot)) return;
    this.#snapshot = Object.isFrozen(next) ? next : Object.freeze(next);
    for (const listener of this.#listeners) listener();
  }
}
