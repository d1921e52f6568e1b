// SPDX-License-Identifier: MIT
// One LiveTranscriber per component instance, behind a store that outlives it: what framework
// bindings (useLiveTranscript() in @live-transcript/react and @live-transcript/vue) build on.
// Nothing here runs at import or touches a browser global.
import type { CapturePrepared } from '../audio/capture.js';
import { LiveTranscriptError } from '../errors.js';
import { LiveTranscriptEvent } from '../events.js';
import { checkOption, checkOptions, optionSpec, type LiveParameters } from '../options.js';
import { streamingUrl } from '../protocol/url.js';
import type { Transcript } from '../transcript/transcript.js';
import { prepareCapture, releaseCapture } from './gesture.js';
import { baseReport } from './base-report.js';
import type { LiveTranscriber } from './live-transcriber.js';
import type * as ShellModule from './live-transcriber.js';
import { loadEngine, loadTranscriber } from './load.js';
import {
  IDLE_SNAPSHOT,
  type DiagnosticsOptions,
  type DiagnosticsReport,
  type LiveTranscriberEvents,
  type LiveTranscriberOptions,
  type LiveTranscriberSnapshot,
  type StateChangeDetail,
  type TranscriberState,
} from './types.js';

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
  'device-change': 'onDeviceChange',
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
  /**
   * Switches the microphone (`undefined`: the system default): inside the running session, or
   * for the next start (`LiveTranscriber.setDevice()`). It wins over the `deviceId` option until
   * that option changes. Resolves once switched; a failure is also a `device-switch-failed`
   * warning, and the microphone in use goes on.
   */
  setDevice(deviceId: string | undefined): Promise<void>;
  /**
   * Loads the transcriber's code ahead of `start()`: call it when the user shows intent (pointer
   * over the button, focus). Idempotent; rejects with `engine-load-failed` (retriable).
   */
  preload(): Promise<void>;
  /**
   * The transcriber's diagnostics report (see `LiveTranscriber.diagnostics()`), with the state
   * and error this binding shows: JSON data without tokens, URL queries or (unless
   * `includeTranscript`) transcript text. Answers at once, in any state.
   */
  diagnostics(options?: DiagnosticsOptions): DiagnosticsReport;
}

const HANDLER_NAMES = new Set<string>(Object.values(EVENT_HANDLERS));
const STOPPED = new Set<TranscriberState>(['idle', 'error']);

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

const asError = (error: unknown) =>
  error instanceof LiveTranscriptError
    ? error
    : new LiveTranscriptError('invalid-option', String(error), { cause: error });

const hasTokenSource = (data: Data) => !!(data.tokenUrl || data.getToken);

/** A device list's identity: its ids and labels. */
const deviceKey = (devices: readonly MediaDeviceInfo[]) =>
  devices.map((device) => `${device.deviceId}:${device.label}`).join('\n');

/** What `getDevices()` gives before the list is known (and on the server). */
const NO_DEVICES: readonly MediaDeviceInfo[] = Object.freeze([]);

/** LiveTranscriber, once its chunk has loaded (shared by every binding of the page). */
let Shell: typeof ShellModule | undefined;

/**
 * A change that a running session can take: a `live` option (see `OPTIONS`) that is set. A list
 * emptied or removed mid-session is sent as `[]` (which clears it, e.g. keyterms); any other
 * removed setting cannot be unset mid-session and waits for the next start.
 */
function liveValue(key: string, value: unknown, running: boolean): [string, unknown] | undefined {
  const spec = optionSpec(key);
  if (spec?.scope !== 'live') return undefined;
  if (value !== undefined) return [key, value];
  return running && spec.type === 'list' ? [key, []] : undefined;
}

/** start() before LiveTranscriber had loaded: what the gesture prepared, and the promise. */
interface Starting {
  prepared: CapturePrepared;
  /** pause() (and no resume() after it) while loading. */
  paused?: boolean;
  promise: Promise<void>;
  resolve(): void;
  reject(error: LiveTranscriptError): void;
}

/**
 * The store behind `useLiveTranscript()` and `<live-transcript>`: every binding of the library
 * sits on it, so they all treat options the same way. It creates its `LiveTranscriber` only when
 * `update()` (a mounted component, so never during a server render) or `start()` asks for it;
 * `dispose()` releases it, and a later `update()` (a remount, as under React StrictMode) creates
 * a new one that continues the same transcript.
 *
 * Option changes follow the options table (`OPTIONS`): a `live` option goes to the running
 * session at once (`UpdateConfiguration`); any other change makes a new transcriber, once the
 * current one is idle, so it takes effect at the next start. Invalid options do not throw: they
 * show as an `invalid-option` error (the `error` state, unless a session is running, which goes
 * on with the last valid options) until they are fixed; a missing token source is reported by
 * `start()`. Every state change, the binding's own included, reaches `onStateChange`.
 */
export class TranscriberBinding implements TranscriberControls {
  #options: TranscriberBindingOptions;
  /** What the transcriber was made with, plus the live updates since. */
  #applied: Data | undefined;
  #transcriber: LiveTranscriber | undefined;
  /** The transcript a new transcriber continues. */
  #transcript: Transcript | undefined;
  /** The options are invalid (or start() found no token source): shown until they change. */
  #error: LiveTranscriptError | undefined;
  /** The options that gave `#error`. */
  #rejected: Data | undefined;
  /** The options changed in a way that needs a new transcriber: made once the current one is idle. */
  #stale = false;
  #unsubscribe: (() => void) | undefined;
  #disposed = false;
  #snapshot: LiveTranscriberSnapshot = IDLE_SNAPSHOT;
  /** The state last reported to `onStateChange`, and why the transcriber last changed state. */
  #state: TranscriberState = 'idle';
  #reason = 'options';
  #detail: StateChangeDetail | undefined;
  /**
   * The transcriber's state and error as its events tell them (the same as its snapshot, and
   * what a simulated transcriber, as in the element's rendering tests, dispatches).
   */
  #seen: { state: TranscriberState; error: LiveTranscriptError | undefined } = {
    state: 'idle',
    error: undefined,
  };
  #listeners = new Set<() => void>();
  #name: ((key: string) => string) | undefined;
  #created: ((transcriber: LiveTranscriber) => void) | undefined;
  /** setDevice(): the device, and the `deviceId` option it wins over (until that changes). */
  #device: { deviceId: string | undefined; option: unknown } | undefined;
  #devices = NO_DEVICES;
  #deviceListeners = new Set<() => void>();
  /** Set while someone subscribes to the device list: stops its `devicechange` listener. */
  #deviceWatch: AbortController | undefined;
  #starting: Starting | undefined;
  /** The last start failed before a transcriber existed (its chunk did not load). */
  #failure: LiveTranscriptError | undefined;

  /**
   * @param options The transcriber options and event callbacks (see `update()`).
   * @param settings `name`: the name an error gives an option (the element names attributes);
   *   `created`: called with each new transcriber, before anything starts it.
   */
  constructor(
    options: TranscriberBindingOptions,
    settings: {
      name?: (key: string) => string;
      created?: (transcriber: LiveTranscriber) => void;
    } = {}
  ) {
    this.#options = options;
    this.#name = settings.name;
    this.#created = settings.created;
  }

  /** The transcriber of the current or last run (a new one when options change while idle). */
  get transcriber(): LiveTranscriber | undefined {
    return this.#transcriber;
  }

  /** The current snapshot; the same object until something changes. */
  getSnapshot = (): LiveTranscriberSnapshot => this.#snapshot;

  /** Calls `listener` after each change of the snapshot; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /**
   * The microphones (`listMicrophones()`), kept current while anyone subscribes: listed again
   * on `devicechange` and when listening begins (labels come with the permission). The same
   * array until the list changes; empty until known, and on the server.
   */
  getDevices = (): readonly MediaDeviceInfo[] => this.#devices;

  /** Calls `listener` after each change of `getDevices()`; returns the unsubscribe function. */
  subscribeDevices = (listener: () => void): (() => void) => {
    this.#deviceListeners.add(listener);
    const devices = globalThis.navigator?.mediaDevices;
    if (!this.#deviceWatch && devices?.addEventListener) {
      const { signal } = (this.#deviceWatch = new AbortController());
      devices.addEventListener('devicechange', () => this.#listDevices(), { signal });
      this.#listDevices();
    }
    return () => {
      this.#deviceListeners.delete(listener);
      if (this.#deviceListeners.size) return;
      this.#deviceWatch?.abort();
      this.#deviceWatch = undefined;
    };
  };

  /** Takes the latest options (and callbacks), creating or updating the transcriber. Client only. */
  update(options: TranscriberBindingOptions): void {
    this.#options = options;
    this.#disposed = false;
    const data = this.#data();
    // The same options that failed (a re-render): the error stands.
    if (this.#error && this.#rejected && !changedKeys(this.#rejected, data).length) return;
    try {
      checkOptions(data, this.#name);
      streamingUrl(data);
    } catch (caught) {
      return this.#invalid(asError(caught));
    }
    const fixed = !!this.#error;
    this.#error = undefined;
    const transcriber = this.#transcriber;
    const changed = this.#applied ? changedKeys(this.#applied, data) : undefined;
    if (!transcriber || !changed) {
      if (!changed || changed.length) this.#create();
      else if (fixed) this.#refresh('options');
      return;
    }
    const running = !STOPPED.has(transcriber.state);
    const live = changed.flatMap((key) => {
      const entry = liveValue(key, data[key], running);
      return entry ? [entry] : [];
    });
    if (live.length) {
      transcriber.updateConfiguration(Object.fromEntries(live) as LiveParameters);
      for (const [key] of live) this.#applied![key] = copy(data[key]);
    }
    // Options with a method of their own (`deviceId` → `setDevice()`), in any state. A failure
    // is the transcriber's `device-switch-failed` warning.
    const set = changed.filter((key) => optionSpec(key)?.setter);
    for (const key of set) {
      handled(transcriber[optionSpec(key)!.setter!](data[key] as string | undefined));
      this.#applied![key] = copy(data[key]);
    }
    this.#stale = live.length + set.length < changed.length;
    this.#settle();
    if (fixed) this.#refresh('options');
  }

  /** Stops the transcriber and lets it go; the transcript is kept for a later `update()`. */
  dispose(): void {
    this.#disposed = true;
    this.#cancel();
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
    if (this.#error) {
      // Said again: the click did nothing, and this is why.
      this.#call('onError', new LiveTranscriptEvent('error', { error: this.#error }));
      return handled(Promise.reject(this.#error));
    }
    if (this.#starting) return this.#starting.promise;
    const failed = this.#transcriber?.state === 'error';
    if (Shell && (!this.#transcriber || (this.#stale && failed))) this.#create();
    const transcriber = this.#transcriber;
    if (transcriber) return handled(transcriber.start());
    if (!hasTokenSource(dataOf(this.#options))) {
      const error = new LiveTranscriptError(
        'invalid-option',
        'Set tokenUrl (your server route that answers { token }) or getToken.'
      );
      this.#invalid(error);
      return handled(Promise.reject(error));
    }
    // LiveTranscriber is still to load: do in the gesture what only a gesture allows, then hand
    // it over once loaded.
    let resolve!: () => void;
    let reject!: (error: LiveTranscriptError) => void;
    const promise = handled(
      new Promise<void>((yes, no) => {
        resolve = yes;
        reject = no;
      })
    );
    const starting: Starting = (this.#starting = {
      prepared: prepareCapture(this.#data()),
      promise,
      resolve,
      reject,
    });
    this.#failure = undefined;
    this.#refresh('start');
    this.#load().then(
      () => {
        if (this.#starting !== starting) return;
        this.#create();
        this.#starting = undefined;
        // (A microphone changed while loading: the engine switches to it once capturing.)
        this.#transcriber!.start(undefined, starting.prepared).then(resolve, reject);
        if (starting.paused) this.#transcriber!.pause();
      },
      (error: LiveTranscriptError) => {
        if (this.#starting !== starting) return;
        this.#starting = undefined;
        void releaseCapture(starting.prepared);
        this.#failure = error;
        this.#call('onError', new LiveTranscriptEvent('error', { error }));
        this.#refresh(error.code);
        reject(error);
      }
    );
    return promise;
  };

  /**
   * Loads LiveTranscriber and its engine ahead of `start()` (when the user shows intent), and
   * makes the transcriber. Idempotent; rejects with `engine-load-failed` (a later call tries
   * again).
   */
  preload = (): Promise<void> =>
    this.#load().then(() => {
      if (!this.#transcriber && !this.#starting && !this.#disposed && this.#applied) {
        this.#create();
      }
    });

  stop = (): Promise<void> => {
    if (!this.#cancel()) return this.#transcriber?.stop() ?? Promise.resolve();
    this.#refresh('stopped');
    return Promise.resolve();
  };
  diagnostics = (options?: DiagnosticsOptions): DiagnosticsReport => {
    const { state, error } = this.#snapshot;
    const transcriber = this.#transcriber;
    const report = transcriber?.diagnostics(options) ?? baseReport(state, error);
    // What this binding shows: an invalid option, or a chunk that did not load, is its own.
    return JSON.parse(
      JSON.stringify({
        ...report,
        state,
        error: error === transcriber?.error ? report.error : error,
      })
    ) as DiagnosticsReport;
  };
  setDevice = (deviceId: string | undefined): Promise<void> => {
    try {
      checkOption('deviceId', deviceId);
    } catch (error) {
      return handled(Promise.reject(error as Error));
    }
    this.#device = { deviceId, option: dataOf(this.#options).deviceId };
    if (this.#applied) this.#applied.deviceId = deviceId;
    return handled(this.#transcriber?.setDevice(deviceId) ?? Promise.resolve());
  };
  pause = (): void => {
    if (this.#starting) this.#starting.paused = true;
    else this.#transcriber?.pause();
  };
  resume = (): void => {
    if (this.#starting) this.#starting.paused = false;
    else this.#transcriber?.resume();
  };
  forceEndpoint = (): void => this.#transcriber?.forceEndpoint();
  clear = (): void => {
    if (this.#transcriber) this.#transcriber.clear();
    else if (this.#transcript?.clear()) this.#refresh();
  };

  /** The transcriber options: the latest given, with the device of `setDevice()`. */
  #data(): Data {
    const data = dataOf(this.#options);
    const device = this.#device;
    if (device && !same(device.option, data.deviceId)) this.#device = undefined;
    else if (device) data.deviceId = device.deviceId;
    return data;
  }

  #listDevices(): void {
    // With the engine (a chunk of its own would split the shared code into one more file),
    // when a picker or a hook first asks for the list.
    loadEngine()
      .then((engine) => engine.listMicrophones())
      .then(
        (devices) => {
          if (!this.#deviceWatch || deviceKey(devices) === deviceKey(this.#devices)) return;
          this.#devices = Object.freeze(devices);
          for (const listener of this.#deviceListeners) listener();
        },
        () => undefined // no device API: the list stays empty
      );
  }

  /** Makes the transcriber for the current options (none while there is no token source). */
  #create(): void {
    this.#release();
    const data = this.#data();
    this.#applied = copy(data) as Data;
    this.#stale = false;
    this.#transcript = (data.transcript as Transcript | undefined) ?? this.#transcript;
    if (Shell && hasTokenSource(data)) {
      const options = { ...data, transcript: this.#transcript } as LiveTranscriberOptions;
      const given = options.getToken;
      if (given) options.getToken = (signal) => (this.#options.getToken ?? given)(signal);
      const transcriber = new Shell.LiveTranscriber(options);
      // Only the current transcriber is heard (a released one may still be stopping).
      const listen = <K extends TranscriberEventName>(
        type: K,
        listener: (event: LiveTranscriptEvent<K, LiveTranscriberEvents[K]>) => void
      ) =>
        transcriber.addEventListener(type, (event) => {
          if (this.#transcriber === transcriber) listener(event);
        });
      for (const [type, name] of Object.entries(EVENT_HANDLERS)) {
        if (type === 'state-change') continue; // reported by #refresh(), with the binding's own
        listen(type as TranscriberEventName, (event) => this.#call(name, event));
      }
      this.#seen = { state: transcriber.state, error: undefined };
      listen('state-change', ({ detail }) => {
        this.#reason = detail.reason;
        this.#detail = detail;
        this.#seen = { state: detail.state, error: transcriber.error ?? this.#seen.error };
        if (detail.state !== 'error') this.#seen.error = undefined;
        this.#refresh();
      });
      listen('error', ({ detail }) => (this.#seen.error = detail.error));
      this.#unsubscribe = transcriber.subscribe(() => {
        this.#settle();
        this.#refresh();
      });
      this.#transcriber = transcriber;
      this.#transcript = transcriber.transcript;
      this.#created?.(transcriber);
    }
    this.#refresh('options');
  }

  /** Ends a start() still waiting for LiveTranscriber to load. Returns whether there was one. */
  #cancel(): boolean {
    const starting = this.#starting;
    if (!starting) return false;
    this.#starting = undefined;
    void releaseCapture(starting.prepared);
    starting.reject(
      new LiveTranscriptError('aborted', 'stop() was called before the session began.')
    );
    return true;
  }

  #load(): Promise<void> {
    return loadTranscriber().then((module) => void (Shell = module));
  }

  /** Invalid options: reported, and shown until they change. Nothing else is applied. */
  #invalid(error: LiveTranscriptError): void {
    this.#error = error;
    this.#rejected = copy(this.#data()) as Data;
    this.#call('onError', new LiveTranscriptEvent('error', { error }));
    this.#refresh(error.code);
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
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const transcriber = this.#transcriber;
    this.#transcriber = undefined; // first: its last events are not the binding's any more
    transcriber?.dispose();
  }

  /** A new snapshot if something changed, and `onStateChange` if the state did. */
  #refresh(reason?: string): void {
    const transcriber = this.#transcriber;
    let next: LiveTranscriberSnapshot = transcriber
      ? transcriber.getSnapshot()
      : { ...IDLE_SNAPSHOT, ...this.#transcript?.getSnapshot() };
    const seen = this.#seen;
    if (transcriber && (next.state !== seen.state || next.error !== seen.error)) {
      next = { ...next, ...seen };
    }
    if (this.#starting) next = { ...next, state: 'connecting' };
    else if (this.#failure && !transcriber)
      next = { ...next, state: 'error', error: this.#failure };
    const error = this.#error;
    if (error) {
      // A running session goes on with the last valid options; otherwise the error state.
      next = { ...next, error, state: STOPPED.has(next.state) ? 'error' : next.state };
    }
    if (!shallowEqual(next, this.#snapshot)) {
      this.#snapshot = Object.isFrozen(next) ? next : Object.freeze(next);
      for (const listener of this.#listeners) listener();
    }
    const { state } = this.#snapshot;
    const previous = this.#state;
    if (state === previous) return;
    this.#state = state;
    if (state === 'listening' && this.#deviceWatch) this.#listDevices();
    // The transcriber's own event detail when it says the same, else the binding's.
    const own = this.#detail;
    const detail =
      !reason && own?.state === state && own.previous === previous
        ? own
        : { state, previous, reason: reason ?? this.#reason };
    this.#call('onStateChange', new LiveTranscriptEvent('state-change', detail));
  }
}
