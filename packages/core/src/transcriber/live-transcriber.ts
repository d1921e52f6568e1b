// SPDX-License-Identifier: MIT
// LiveTranscriber: the public state machine, small enough to load with the page. Its engine
// (capture, token, sessions, reconnection, merge) is a chunk of its own (engine.ts), loaded by
// start() or preload(); start() still creates and resumes the AudioContext and asks for the
// microphone inside the user gesture, and hands both to the engine.
import type { CapturePrepared } from '../audio/capture.js';
import { LiveTranscriptError } from '../errors.js';
import { TypedEventTarget } from '../events.js';
import {
  checkLiveChanges,
  checkOption,
  checkOptions,
  optionValue,
  type LiveParameters,
} from '../options.js';
import { streamingUrl } from '../protocol/url.js';
import { Transcript } from '../transcript/transcript.js';
import type { EngineHost, EngineSetup, TranscriberEngine } from './engine.js';
import { prepareCapture, releaseCapture } from './gesture.js';
import { baseReport } from './base-report.js';
import { Journal } from './journal.js';
import { loadEngine, loadedEngine } from './load.js';
import {
  IDLE_SNAPSHOT,
  SILENT,
  type DiagnosticsOptions,
  type DiagnosticsReport,
  type Level,
  type LiveTranscriberEvents,
  type LiveTranscriberOptions,
  type LiveTranscriberSnapshot,
  type TranscriberMetrics,
  type TranscriberState,
} from './types.js';

export * from './types.js';

/** One run, from start() to its end; `engine` once the chunk has loaded. */
interface Run {
  controller: AbortController;
  setup: EngineSetup;
  started: Promise<void>;
  engine: TranscriberEngine | undefined;
  /** pause() before the engine came. */
  paused: boolean;
  stopping: Promise<void> | undefined;
}

/**
 * Live captions from the microphone: a token per connection, the audio pipeline, the
 * AssemblyAI session, reconnection and the transcript, as one state machine.
 *
 * States: `idle → connecting → listening ⇄ paused → reconnecting → stopping → idle | error`.
 *
 * The engine loads at the first `start()`, or earlier with `preload()` (when the user shows
 * intent: hover, focus), so a page pays for it only when captions are used.
 *
 * @example
 * ```ts
 * const transcriber = new LiveTranscriber({ tokenUrl: '/api/assemblyai-token' });
 * transcriber.addEventListener('turn', (e) => render(e.detail.transcript));
 * button.onpointerenter = () => void transcriber.preload();
 * button.onclick = () => transcriber.start();   // from a user gesture
 * stopButton.onclick = () => transcriber.stop();
 * ```
 */
export class LiveTranscriber extends TypedEventTarget<LiveTranscriberEvents> {
  /** The transcript store: every turn of every session of this transcriber. */
  readonly transcript: Transcript;

  #options: LiveTranscriberOptions;
  #state: TranscriberState = 'idle';
  #error: LiveTranscriptError | undefined;
  #metrics: TranscriberMetrics = {
    startToFirstFrameMs: undefined,
    sendLatenciesMs: [],
    skippedSilenceMs: 0,
  };
  #run: Run | undefined;
  #level: Level = SILENT;
  #snapshot: LiveTranscriberSnapshot = IDLE_SNAPSHOT;
  #listeners = new Set<() => void>();
  #host: EngineHost;
  #journal = new Journal();

  constructor(options: LiveTranscriberOptions) {
    super();
    this.#options = { ...options };
    this.#validate();
    this.transcript = this.#options.transcript ?? new Transcript();
    this.#configureTranscript();
    this.#snapshot = this.#snapshotNow();
    this.#host = {
      options: () => this.#options,
      transcript: this.transcript,
      journal: this.#journal,
      metrics: () => this.#metrics,
      state: () => this.#state,
      setState: (state, reason) => this.#setState(state, reason),
      setLevel: (level) => this.#setLevel(level),
      emit: (type, detail) => this.emit(type, detail),
      notify: () => this.#notify(),
      current: (engine) => this.#run?.engine === engine,
      ended: (engine) => {
        if (this.#run?.engine === engine) this.#run = undefined;
        this.#setLevel(SILENT);
        this.#setState('idle', 'stopped');
      },
      failed: (_engine, error) => this.#failed(error),
    };
  }

  /** Where the transcriber is: `idle`, `connecting`, `listening`, `paused`, `reconnecting`, `stopping` or `error`. */
  get state(): TranscriberState {
    return this.#state;
  }

  /** The error that put the transcriber in the `error` state (until the next start). */
  get error(): LiveTranscriptError | undefined {
    return this.#error;
  }

  /** Latency measurements of the current or last run (a copy). */
  get metrics(): Readonly<TranscriberMetrics> {
    return { ...this.#metrics, sendLatenciesMs: [...this.#metrics.sendLatenciesMs] };
  }

  /** The options in use (a copy). `updateConfiguration()` changes them for later sessions too. */
  get options(): Readonly<LiveTranscriberOptions> {
    return { ...this.#options };
  }

  /**
   * Loads the engine (capture, session, token, reconnection) ahead of `start()`, so that the
   * first click starts at once: call it when the user shows intent (pointer over the button,
   * focus). Idempotent; resolves when the engine is there, rejects with `engine-load-failed`
   * (retriable: a later call tries again).
   */
  preload(): Promise<void> {
    return loadEngine().then(() => undefined);
  }

  /**
   * Opens the microphone, fetches a token and connects, in parallel. Call it from a user gesture
   * (a click): browsers only start audio there. Resolves once the first session has begun;
   * rejects with a {@link LiveTranscriptError} on a fatal failure, or `aborted` if `stop()` or the
   * signal cancels it. Calling it again while running returns the same promise (one session).
   *
   * @param prepared What the caller already did in the gesture, when it calls start() later
   *   (after a chunk loaded): the AudioContext and the microphone request; the transcriber
   *   takes them over.
   */
  start(signal?: AbortSignal, prepared?: CapturePrepared): Promise<void> {
    const current = this.#run;
    if (current && !current.stopping) return current.started;
    if (current?.stopping) return current.stopping.then(() => this.start(signal, prepared));
    const controller = new AbortController();
    let resolveStarted!: () => void;
    let rejectStarted!: (error: LiveTranscriptError) => void;
    const started = new Promise<void>((resolve, reject) => {
      resolveStarted = resolve;
      rejectStarted = reject;
    });
    // Failures are also reported as `error` events: a caller that does not await start() must
    // not get an unhandled rejection.
    started.catch(() => undefined);
    // In the user gesture, before any await: the AudioContext (browsers start audio only there)
    // and the microphone, while the engine loads.
    const { context, microphone } = prepared ?? prepareCapture(this.#options);
    const setup: EngineSetup = {
      controller,
      context,
      microphone,
      startedAt: performance.now(),
      resolveStarted,
      rejectStarted,
    };
    const run: Run = {
      controller,
      setup,
      started,
      engine: undefined,
      paused: false,
      stopping: undefined,
    };
    this.#run = run;
    this.#error = undefined;
    this.#metrics = { startToFirstFrameMs: undefined, sendLatenciesMs: [], skippedSilenceMs: 0 };
    if (signal?.aborted) {
      queueMicrotask(() => void this.stop());
    } else {
      signal?.addEventListener('abort', () => this.#run === run && void this.stop(), {
        once: true,
      });
    }
    this.#setState('connecting', 'start');
    loadEngine().then(
      ({ TranscriberEngine }) => {
        if (this.#run !== run || run.stopping) return;
        (run.engine = new TranscriberEngine(this.#host, setup, run.paused)).run();
      },
      (error: LiveTranscriptError) => {
        if (this.#run !== run || run.stopping) return;
        void releaseCapture(setup);
        this.#failed(error);
      }
    );
    return started;
  }

  /** Mutes the microphone; the session stays open (with `KeepAlive` when `inactivityTimeout` is set). */
  pause(): void {
    const run = this.#run;
    if (!run || run.stopping) return;
    if (run.engine) run.engine.pause();
    else run.paused = true;
  }

  /** Unmutes the microphone after {@link pause}. */
  resume(): void {
    const run = this.#run;
    if (!run || run.stopping) return;
    if (run.engine) run.engine.resume();
    else run.paused = false;
  }

  /**
   * Ends the run: stops the microphone, sends the last audio and `Terminate`, waits (bounded by
   * `stopTimeoutMs`) for the last turns and `Termination`, releases the microphone, fires `end`.
   * Safe to call at any time, any number of times.
   */
  stop(): Promise<void> {
    const run = this.#run;
    if (!run) return Promise.resolve();
    return (run.stopping ??= run.engine ? run.engine.stop() : this.#cancel(run));
  }

  /**
   * Switches the microphone (a `deviceId` from `listMicrophones()`, or `undefined` for the
   * system default). While capturing the microphone, it switches inside the running session:
   * no new session, no new token, no gap in the audio; a `device-change` event follows. Idle (or
   * capturing another source), it sets the `deviceId` option for the next start.
   *
   * @returns Resolves once the new microphone is heard. Rejects with a `LiveTranscriptError`
   *   (`microphone-not-found`, `microphone-busy`, `microphone-denied`), also reported as a
   *   `device-switch-failed` warning: the microphone in use goes on. `invalid-option` for a
   *   `deviceId` that is not a string.
   *
   * @example
   * ```ts
   * const [, second] = await listMicrophones();
   * await transcriber.setDevice(second.deviceId);
   * ```
   */
  setDevice(deviceId: string | undefined): Promise<void> {
    try {
      checkOption('deviceId', deviceId);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#options.deviceId = deviceId;
    const run = this.#run;
    if (!run || run.stopping) return Promise.resolve();
    // Before the engine came: the engine takes the option once the capture runs.
    return run.engine
      ? run.engine.setDevice(deviceId)
      : run.started.then(
          () => run.engine?.setDevice(this.#options.deviceId),
          () => undefined
        );
  }

  /** Ends the current turn now (push-to-talk, or a client-side VAD). */
  forceEndpoint(): void {
    this.#run?.engine?.forceEndpoint();
  }

  /**
   * Changes settings mid-session (`UpdateConfiguration`); later sessions (reconnects) use them
   * too. Takes the `live` options only (`keytermsPrompt`, `prompt`, `minTurnSilence`, ...): any
   * other key throws an `invalid-option` error that names it, and nothing is sent.
   *
   * @example
   * ```ts
   * transcriber.updateConfiguration({ maxTurnSilence: 3000 }); // while the user reads out a number
   * ```
   */
  updateConfiguration(changes: LiveParameters): void {
    checkLiveChanges(changes);
    const given = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined)
    );
    Object.assign(this.#options, given);
    if ('formatTurns' in given) this.#configureTranscript();
    if (Object.keys(given).length) this.#run?.engine?.updateConfiguration(given);
  }

  /** Empties the transcript. */
  clear(): void {
    if (this.transcript.clear()) this.#notify();
  }

  /** Stops without waiting and drops every listener of the store. */
  dispose(): void {
    void this.stop();
    this.#listeners.clear();
  }

  /**
   * A report for a bug report or a support ticket, as JSON data: the library version, the
   * browser, the audio context and input track, the options, the last 50 state changes (with
   * their reasons), server messages (by type) and closes, the errors (retried and fatal), the
   * warnings and the metrics, with times. No token, no query string of a URL, and no transcript
   * text unless `includeTranscript` is set. Safe to call in any state, at once; before the engine
   * has loaded (or if it could not) the report has the state history and the error only
   * (`engine: false`).
   *
   * @example
   * ```ts
   * transcriber.addEventListener('error', () => {
   *   void navigator.clipboard.writeText(JSON.stringify(transcriber.diagnostics(), null, 2));
   * });
   * ```
   */
  diagnostics(options?: DiagnosticsOptions): DiagnosticsReport {
    return (
      loadedEngine()?.buildDiagnostics(this.#host, this.#error, options) ??
      baseReport(this.#state, this.#error, this.#journal.lists)
    );
  }

  /** The current state and transcript, for `useSyncExternalStore`-style bindings. */
  getSnapshot(): LiveTranscriberSnapshot {
    return this.#snapshot;
  }

  /** Calls `listener` after every change of the snapshot. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #validate(): void {
    const o = this.#options;
    if (!o.tokenUrl && !o.getToken) {
      throw new LiveTranscriptError(
        'invalid-option',
        'Set tokenUrl (your server route that answers { token }) or getToken.'
      );
    }
    checkOptions(o);
    streamingUrl(o); // a bad url or region
  }

  #configureTranscript(): void {
    const { formatTurns } = this.#options;
    this.transcript.configure({
      formatTurns,
      speechModel: optionValue(this.#options, 'speechModel'),
    });
  }

  /** stop() before the engine came: release what start() opened. */
  async #cancel(run: Run): Promise<void> {
    this.#setState('stopping', 'stop');
    run.controller.abort();
    await releaseCapture(run.setup);
    if (this.#run === run) this.#run = undefined;
    this.#setLevel(SILENT);
    this.#setState('idle', 'stopped');
    run.setup.rejectStarted(
      new LiveTranscriptError('aborted', 'stop() was called before the session began.')
    );
    this.emit('end', { audioDurationSeconds: 0, sessionDurationSeconds: 0 });
  }

  #failed(error: LiveTranscriptError): void {
    const run = this.#run;
    this.#run = undefined;
    this.#error = error;
    this.#journal.add('errors', { ...error.toJSON(), fatal: true });
    this.#setLevel(SILENT);
    this.#setState('error', error.code);
    this.emit('error', { error });
    run?.setup.rejectStarted(error);
  }

  #setState(state: TranscriberState, reason: string): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#journal.add('states', { state, previous, reason });
    // The snapshot first (listeners of the event may read it), the event, then subscribers (a
    // binding reports the change with the event's reason).
    this.#snapshot = this.#snapshotNow();
    this.emit('state-change', { state, previous, reason });
    this.#notify(false);
  }

  #setLevel(level: Level): void {
    if (level.rms === this.#level.rms && level.peak === this.#level.peak) return;
    this.#level = level;
    this.emit('level', level);
    this.#notify();
  }

  #snapshotNow(): LiveTranscriberSnapshot {
    const transcript = this.transcript.getSnapshot();
    const text = (key: 'finalText' | 'partial' | 'text') => ({
      get: () => transcript[key],
      enumerable: true,
    });
    return Object.freeze(
      Object.defineProperties(
        { turns: transcript.turns, state: this.#state, error: this.#error, level: this.#level },
        { finalText: text('finalText'), partial: text('partial'), text: text('text') }
      ) as LiveTranscriberSnapshot
    );
  }

  #notify(update = true): void {
    if (update) this.#snapshot = this.#snapshotNow();
    for (const listener of this.#listeners) listener();
  }
}
