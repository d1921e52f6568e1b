// SPDX-License-Identifier: MIT
import { AudioCapture, type AudioCaptureOptions, type AudioFrame } from '../audio/index.js';
import { LiveTranscriptError } from '../errors.js';
import { TypedEventTarget } from '../events.js';
import { SessionClock } from './session-clock.js';
import type { ServerMessage } from '../protocol/messages.js';
import {
  buildConnectionUrl,
  type ConnectionTarget,
  type StreamingParameters,
} from '../protocol/url.js';
import { StreamingSession, type WebSocketConstructor } from '../session/streaming-session.js';
import { fetchToken, type TokenOptions } from '../token/token.js';
import {
  Transcript,
  type TranscriptSnapshot,
  type TranscriptTurn,
} from '../transcript/transcript.js';

/** Where a {@link LiveTranscriber} is. */
export type TranscriberState =
  'idle' | 'connecting' | 'listening' | 'paused' | 'reconnecting' | 'stopping' | 'error';

export interface ReconnectOptions {
  /** Consecutive failed attempts before giving up. Default 8. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each attempt (with jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** Upper bound of the delay. Default 10 000 ms. */
  maxDelayMs?: number;
}

export interface LiveTranscriberOptions
  extends
    StreamingParameters,
    ConnectionTarget,
    TokenOptions,
    Omit<AudioCaptureOptions, 'sampleRate'> {
  /** Give up on a connection attempt after this long without `Begin`. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** How long `stop()` waits for the last turns and `Termination`. Default 5 000 ms. */
  stopTimeoutMs?: number;
  /** Reconnect after retriable failures (default), or not (`false`), or with these settings. */
  reconnect?: boolean | ReconnectOptions;
  /** Audio kept from the click until the session begins, so no word is lost. Default 2 000 ms. */
  preRollMs?: number;
  /** Audio kept while reconnecting, sent (at real-time pace) once the new session begins. Default 10 000 ms. */
  outageBufferMs?: number;
  /** Start the next session this long before the current one expires. Default 60 000 ms. */
  rolloverLeadMs?: number;
  /** The WebSocket implementation. Default `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /**
   * A transcript store to continue (e.g. from a previous transcriber whose options changed).
   * Default: a new, empty one.
   */
  transcript?: Transcript;
}

export interface StateChangeDetail {
  state: TranscriberState;
  previous: TranscriberState;
  /** Why: `start`, `begin`, `pause`, `resume`, `stop`, `stopped`, an error code, ... */
  reason: string;
}

export interface Level {
  /** RMS level in dBFS (−100 is silence; a full-scale sine reads −3). */
  rms: number;
  /** Peak level in dBFS. */
  peak: number;
}

export interface LiveTranscriberWarning {
  code: string;
  message: string;
}

export interface LiveTranscriberEvents {
  'state-change': StateChangeDetail;
  /** A session began (the first one, and each one after a reconnect or rollover). */
  begin: { sessionId: string; expiresAt: number | undefined };
  /** The server heard speech start (`timestamp` in ms on the transcript's clock). */
  'speech-start': { timestamp: number; confidence: number | undefined };
  /** Every Turn message, after merging. */
  turn: { turn: TranscriptTurn; transcript: TranscriptSnapshot };
  /** A turn became final and display-ready (once per turn). */
  final: { turn: TranscriptTurn };
  /** Microphone level, about every frame. */
  level: Level;
  reconnecting: { attempt: number; delayMs: number; error: LiveTranscriptError };
  error: { error: LiveTranscriptError };
  /** A run ended (after `stop()`), with the totals the server reported. */
  end: { audioDurationSeconds: number; sessionDurationSeconds: number };
  /** Every server message, unknown types included. */
  message: { message: ServerMessage; sessionId: string | undefined };
  warning: LiveTranscriberWarning;
}

/** What `getSnapshot()` returns: immutable, a new object only when something changed. */
export interface LiveTranscriberSnapshot extends TranscriptSnapshot {
  readonly state: TranscriberState;
  readonly error: LiveTranscriptError | undefined;
  readonly level: Level;
}

/** Latency measurements of the current or last run, in ms. */
export interface TranscriberMetrics {
  /** From `start()` to the first audio frame on the wire. */
  startToFirstFrameMs: number | undefined;
  /** Capture-to-send delay of recent frames (up to the last 500). */
  sendLatenciesMs: number[];
  /** Silence left out to catch up after an outage, in ms (long pauses shortened to 2 s). */
  skippedSilenceMs: number;
}

const SILENT: Level = Object.freeze({ rms: -100, peak: -100 });
/** Whether the browser knows it has no network (`navigator.onLine` is only sure when false). */
const offline = () => globalThis.navigator?.onLine === false;
/** Frames peaking below this (dBFS) count as silence. */
const SILENCE_DBFS = -60;
/** A rollover waits this long for the end of a turn, then takes the next silent frame. */
const HANDOVER_WAIT_MS = 15_000;
/** Behind real time by more than this, a session is caught up by shortening long pauses... */
const CATCH_UP_MS = 500;
/** ...to this (or `maxTurnSilence` and a frame, if longer): the server ends the turn in it. */
const KEEP_SILENCE_MS = 2000;
const EMPTY_TRANSCRIPT = new Transcript().getSnapshot();

/** The snapshot of a transcriber that never started (also the server snapshot for SSR). */
export const IDLE_SNAPSHOT: LiveTranscriberSnapshot = Object.freeze({
  ...EMPTY_TRANSCRIPT,
  state: 'idle',
  error: undefined,
  level: SILENT,
});

interface Run {
  controller: AbortController;
  capture: AudioCapture;
  started: Promise<void>;
  resolveStarted(): void;
  rejectStarted(error: LiveTranscriptError): void;
  session: StreamingSession | undefined;
  /** Every session of the run not closed yet (the live one, one connecting, one retiring). */
  sessions: Set<StreamingSession>;
  /** Each session's clock: where its audio starts, and the silence it was not given. */
  clocks: Map<StreamingSession, SessionClock>;
  expiry: ReturnType<typeof setTimeout> | undefined;
  /** A session opened ahead of the live one's expiry, waiting for a pause to take over. */
  next: { session: StreamingSession; since: number } | undefined;
  /** Frames waiting for a session (pre-roll before the first one, outage audio later). */
  buffer: AudioFrame[];
  /**
   * Recent frames sent to the live session (up to `outageBufferMs`): if the session fails, the
   * ones after its last finalized word go to the next session, so no word is lost.
   */
  sent: AudioFrame[];
  began: boolean;
  paused: boolean;
  attempt: number;
  stopping: Promise<void> | undefined;
  timers: Set<ReturnType<typeof setTimeout>>;
  totals: { audio: number; session: number };
  startedAt: number;
}

const DEFAULTS = {
  speechModel: 'universal-3-5-pro',
  sampleRate: 16000,
};

function asError(error: unknown): LiveTranscriptError {
  return error instanceof LiveTranscriptError
    ? error
    : new LiveTranscriptError('network', `Unexpected failure: ${String(error)}`, { cause: error });
}

/**
 * Live captions from the microphone: a token per connection, the audio pipeline, the
 * AssemblyAI session, reconnection and the transcript, as one state machine.
 *
 * States: `idle → connecting → listening ⇄ paused → reconnecting → stopping → idle | error`.
 *
 * @example
 * ```ts
 * const transcriber = new LiveTranscriber({ tokenUrl: '/api/assemblyai-token' });
 * transcriber.addEventListener('turn', (e) => render(e.detail.transcript));
 * button.onclick = () => transcriber.start();   // from a user gesture
 * stopButton.onclick = () => transcriber.stop();
 * ```
 */
export class LiveTranscriber extends TypedEventTarget<LiveTranscriberEvents> {
  /** The transcript store: every turn of every session of this transcriber. */
  readonly transcript: Transcript;
  state: TranscriberState = 'idle';
  /** The error that put the transcriber in the `error` state. */
  error: LiveTranscriptError | undefined;
  readonly metrics: TranscriberMetrics = {
    startToFirstFrameMs: undefined,
    sendLatenciesMs: [],
    skippedSilenceMs: 0,
  };

  #options: LiveTranscriberOptions;
  #run: Run | undefined;
  #level: Level = SILENT;
  #snapshot: LiveTranscriberSnapshot = IDLE_SNAPSHOT;
  #listeners = new Set<() => void>();

  constructor(options: LiveTranscriberOptions) {
    super();
    this.#options = { ...options };
    this.#validate();
    const { formatTurns, speechModel = DEFAULTS.speechModel, transcript } = this.#options;
    this.transcript = transcript ?? new Transcript();
    this.transcript.configure({ formatTurns, speechModel });
    this.#snapshot = this.#snapshotNow();
  }

  /** The options in use (a copy). `updateConfiguration()` changes them for later sessions too. */
  get options(): Readonly<LiveTranscriberOptions> {
    return { ...this.#options };
  }

  /**
   * Opens the microphone, fetches a token and connects, in parallel. Call it from a user gesture
   * (a click): browsers only start audio there. Resolves once the first session has begun;
   * rejects with a {@link LiveTranscriptError} on a fatal failure, or `aborted` if `stop()` or the
   * signal cancels it. Calling it again while running returns the same promise (one session).
   */
  start(signal?: AbortSignal): Promise<void> {
    const current = this.#run;
    if (current && !current.stopping) return current.started;
    if (current?.stopping) return current.stopping.then(() => this.start(signal));
    const controller = new AbortController();
    const capture = new AudioCapture({
      ...this.#options,
      sampleRate: this.#options.sampleRate ?? DEFAULTS.sampleRate,
    });
    let resolveStarted!: () => void;
    let rejectStarted!: (error: LiveTranscriptError) => void;
    const started = new Promise<void>((resolve, reject) => {
      resolveStarted = resolve;
      rejectStarted = reject;
    });
    // Failures are also reported as `error` events: a caller that does not await start() must
    // not get an unhandled rejection.
    started.catch(() => undefined);
    const run: Run = {
      controller,
      capture,
      started,
      resolveStarted,
      rejectStarted,
      session: undefined,
      sessions: new Set(),
      clocks: new Map(),
      expiry: undefined,
      next: undefined,
      buffer: [],
      sent: [],
      began: false,
      paused: false,
      attempt: 0,
      stopping: undefined,
      timers: new Set(),
      totals: { audio: 0, session: 0 },
      startedAt: performance.now(),
    };
    this.#run = run;
    this.error = undefined;
    this.metrics.startToFirstFrameMs = undefined;
    this.metrics.sendLatenciesMs = [];
    this.metrics.skippedSilenceMs = 0;
    if (signal?.aborted) {
      queueMicrotask(() => void this.stop());
    } else {
      signal?.addEventListener('abort', () => this.#run === run && void this.stop(), {
        once: true,
      });
    }
    // The AudioContext must be created inside the user gesture: start capturing before any await.
    const capturing = capture.start(controller.signal);
    this.#setState('connecting', 'start');
    capture.addEventListener('frame', (e) => this.#handleFrame(run, e.detail), {
      signal: controller.signal,
    });
    capture.addEventListener('warning', (e) => this.emit('warning', e.detail), {
      signal: controller.signal,
    });
    capture.addEventListener('error', (e) => this.#fatal(run, e.detail.error), {
      signal: controller.signal,
    });
    globalThis.addEventListener?.('pagehide', () => this.#handlePageHide(run), {
      signal: controller.signal,
    });
    const token = this.#fetchToken(run);
    token.catch(() => undefined);
    void (async () => {
      try {
        await capturing;
        if (run.paused) capture.pause(); // paused while the microphone was opening
        await this.#connect(run, token);
      } catch (error) {
        this.#fatal(run, asError(error));
      }
    })();
    return started;
  }

  /** Mutes the microphone; the session stays open (with `KeepAlive` when `inactivityTimeout` is set). */
  pause(): void {
    const run = this.#run;
    if (!run || run.stopping || run.paused) return;
    run.paused = true;
    run.capture.pause();
    this.#setLevel(SILENT);
    if (this.state === 'listening') this.#setState('paused', 'pause');
    const seconds = this.#options.inactivityTimeout;
    if (seconds) {
      const keepAlive = () => {
        if (!run.paused || this.#run !== run) return;
        run.session?.keepAlive();
        this.#later(run, keepAlive, (seconds * 1000) / 2);
      };
      this.#later(run, keepAlive, (seconds * 1000) / 2);
    }
  }

  /** Unmutes the microphone after {@link pause}. */
  resume(): void {
    const run = this.#run;
    if (!run || run.stopping || !run.paused) return;
    run.paused = false;
    run.capture.resume();
    if (this.state === 'paused') this.#setState('listening', 'resume');
  }

  /**
   * Ends the run: stops the microphone, sends the last audio and `Terminate`, waits (bounded by
   * `stopTimeoutMs`) for the last turns and `Termination`, releases the microphone, fires `end`.
   * Safe to call at any time, any number of times.
   */
  stop(): Promise<void> {
    const run = this.#run;
    if (!run) return Promise.resolve();
    return (run.stopping ??= this.#stop(run));
  }

  /** Ends the current turn now (push-to-talk, or a client-side VAD). */
  forceEndpoint(): void {
    this.#run?.session?.forceEndpoint();
  }

  /** Changes settings mid-session; later sessions (reconnects) use them too. */
  updateConfiguration(changes: Partial<StreamingParameters>): void {
    Object.assign(this.#options, changes);
    this.#run?.session?.updateConfiguration(changes);
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
    for (const key of [
      'connectTimeoutMs',
      'stopTimeoutMs',
      'preRollMs',
      'outageBufferMs',
      'rolloverLeadMs',
    ] as const) {
      const value = o[key];
      if (value !== undefined && !(value >= 0 && Number.isFinite(value))) {
        throw new LiveTranscriptError(
          'invalid-option',
          `${key} must be a number of milliseconds ≥ 0, got ${value}.`
        );
      }
    }
    const rate = o.sampleRate ?? DEFAULTS.sampleRate;
    if (!Number.isInteger(rate) || rate < 8000 || rate > 48000) {
      throw new LiveTranscriptError(
        'invalid-option',
        `sampleRate must be an integer from 8000 to 48000 Hz, got ${rate}.`
      );
    }
    const frameMs = o.frameMs ?? 50;
    if (!(frameMs >= 50 && frameMs <= 1000)) {
      throw new LiveTranscriptError(
        'invalid-option',
        `frameMs must be between 50 and 1000, got ${frameMs}.`
      );
    }
    if (o.encoding !== undefined && o.encoding !== 'pcm_s16le' && o.encoding !== 'pcm_mulaw') {
      throw new LiveTranscriptError(
        'invalid-option',
        `encoding must be 'pcm_s16le' or 'pcm_mulaw' (what the capture produces), got ${String(o.encoding)}.`
      );
    }
    // Throws invalid-option for a bad url, region or parameter value.
    buildConnectionUrl(this.#parameters(), o);
  }

  #parameters(): StreamingParameters {
    const o = this.#options;
    return {
      speechModel: o.speechModel ?? DEFAULTS.speechModel,
      sampleRate: o.sampleRate ?? DEFAULTS.sampleRate,
      encoding: o.encoding,
      formatTurns: o.formatTurns,
      keytermsPrompt: o.keytermsPrompt,
      prompt: o.prompt,
      languageDetection: o.languageDetection,
      languageCodes: o.languageCodes,
      mode: o.mode,
      speakerLabels: o.speakerLabels,
      maxSpeakers: o.maxSpeakers,
      endOfTurnConfidenceThreshold: o.endOfTurnConfidenceThreshold,
      minTurnSilence: o.minTurnSilence,
      maxTurnSilence: o.maxTurnSilence,
      vadThreshold: o.vadThreshold,
      inactivityTimeout: o.inactivityTimeout,
      filterProfanity: o.filterProfanity,
      extraParams: o.extraParams,
    };
  }

  #fetchToken(run: Run): Promise<string> {
    const { tokenUrl, tokenRequestInit, getToken } = this.#options;
    return fetchToken({ tokenUrl, tokenRequestInit, getToken, signal: run.controller.signal });
  }

  #reconnectSettings(): Required<ReconnectOptions> | undefined {
    const setting = this.#options.reconnect ?? true;
    if (setting === false) return undefined;
    const given = setting === true ? {} : setting;
    return {
      maxAttempts: given.maxAttempts ?? 8,
      baseDelayMs: given.baseDelayMs ?? 500,
      maxDelayMs: given.maxDelayMs ?? 10_000,
    };
  }

  /** Connects (retrying retriable failures with backoff and a new token each time) and adopts the session. */
  async #connect(run: Run, token?: Promise<string>): Promise<void> {
    for (;;) {
      try {
        const session = this.#createSession(run, await (token ?? this.#fetchToken(run)));
        token = undefined;
        await session.connect(run.controller.signal);
        this.#adopt(run, session);
        return;
      } catch (caught) {
        token = undefined;
        const error = asError(caught);
        if (run.controller.signal.aborted || this.#run !== run) return;
        const settings = this.#reconnectSettings();
        // An attempt that failed while the browser knows it is offline does not count.
        if (!offline()) run.attempt += 1;
        if (!error.retriable || !settings || run.attempt > settings.maxAttempts) throw error;
        await this.#backoff(run, error, settings);
      }
    }
  }

  async #backoff(
    run: Run,
    error: LiveTranscriptError,
    settings: Required<ReconnectOptions>
  ): Promise<void> {
    const attempt = Math.max(run.attempt, 1);
    const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
    // Session expiry is expected: roll over at once. Offline, try at the longest delay (the
    // network coming back starts the attempt at once). Otherwise full jitter in [50 %, 100 %].
    const delayMs =
      error.code === 'session-expired' && attempt === 1
        ? 0
        : offline()
          ? settings.maxDelayMs
          : Math.round(exponential * (0.5 + Math.random() / 2));
    if (this.state !== 'reconnecting') this.#setState('reconnecting', error.code);
    this.emit('reconnecting', { attempt, delayMs, error });
    const { signal } = run.controller;
    await new Promise<void>((resolve) => {
      const waiting = new AbortController();
      const go = () => {
        waiting.abort();
        resolve();
      };
      this.#later(run, go, delayMs);
      globalThis.addEventListener?.('online', go, { signal: waiting.signal });
      signal.addEventListener('abort', go, { signal: waiting.signal });
    });
    if (signal.aborted || run.stopping) {
      throw new LiveTranscriptError('aborted', 'Stopped while reconnecting.');
    }
  }

  #createSession(run: Run, token: string): StreamingSession {
    const o = this.#options;
    const session = new StreamingSession({
      ...this.#parameters(),
      token,
      url: o.url,
      region: o.region,
      connectTimeoutMs: o.connectTimeoutMs,
      stopTimeoutMs: o.stopTimeoutMs,
      frameMs: o.frameMs,
      maxQueueMs: o.outageBufferMs,
      WebSocket: o.WebSocket,
      onAudioSent: (info) => {
        if (this.metrics.startToFirstFrameMs === undefined)
          this.metrics.startToFirstFrameMs = info.sentAt - run.startedAt;
        if (info.capturedAt !== undefined) {
          const list = this.metrics.sendLatenciesMs;
          list.push(info.sentAt - info.capturedAt);
          if (list.length > 500) list.shift();
        }
      },
    });
    run.sessions.add(session);
    const signal = run.controller.signal;
    session.addEventListener(
      'message',
      ({ detail: message }) => {
        this.emit('message', { message, sessionId: session.id });
        const clock = run.clocks.get(session);
        const mapped = clock?.map(message) ?? message;
        if (
          message.type === 'Turn' ||
          message.type === 'SpeakerRevision' ||
          message.type === 'Termination'
        ) {
          this.#apply(mapped, session, clock?.offsetMs);
        } else if (message.type === 'SpeechStarted') {
          const { timestamp } = mapped as { timestamp: number };
          this.emit('speech-start', {
            timestamp: timestamp + (clock?.offsetMs ?? 0),
            confidence: (message as { confidence?: number }).confidence,
          });
        }
      },
      { signal }
    );
    session.addEventListener(
      'warning',
      ({ detail }) => {
        // Only `audio-dropped` has droppedMs.
        if (detail.droppedMs)
          run.clocks.get(session)?.dropped(session.audioSentMs, detail.droppedMs);
        this.emit('warning', detail);
      },
      { signal }
    );
    session.addEventListener('termination', ({ detail }) => {
      run.totals.audio += detail.audio_duration_seconds;
      run.totals.session += detail.session_duration_seconds;
    });
    session.addEventListener('close', ({ detail }) => {
      run.sessions.delete(session);
      run.clocks.delete(session);
      const { error } = detail;
      if (!error || !session.id) return;
      const live = run.session === session && !run.stopping && this.#run === run;
      const settings = this.#reconnectSettings();
      if (!live || !error.retriable || !settings) {
        this.#closeTurns(session.id);
        if (live) this.#fatal(run, error);
        return;
      }
      // The live session failed after Begin. The words it finalized stay; the audio after them
      // goes to the next session first, then what is captured meanwhile.
      run.session = undefined;
      this.#clearExpiry(run);
      const rate = this.#options.sampleRate ?? DEFAULTS.sampleRate;
      const resume = (this.transcript.interruptSession(session.id) * rate) / 1000;
      this.#announce();
      const frameSamples = ((this.#options.frameMs ?? 50) * rate) / 1000;
      const replay = run.sent.filter((frame) => frame.sampleOffset + frameSamples > resume);
      // Silence the server heard before the next word needs no second hearing (the clock follows
      // the first frame sent). Frames still queued were never heard: they go as they are.
      const frameMs = this.#options.frameMs ?? 50;
      const unsent = Math.round(
        (session.audioAcceptedMs - session.audioSentMs - session.audioDroppedMs) / frameMs
      );
      let heard = replay.length - unsent;
      while (heard-- > 0 && replay[0]!.peak < SILENCE_DBFS) replay.shift();
      run.sent = [];
      run.buffer.unshift(...replay);
      const next = run.next;
      run.next = undefined;
      if (next?.session.state === 'open') return this.#adopt(run, next.session);
      void (async () => {
        try {
          run.attempt = 1;
          await this.#backoff(run, error, settings);
          await this.#connect(run);
        } catch (caught) {
          this.#fatal(run, asError(caught));
        }
      })();
    });
    return session;
  }

  /** The session began: it gets the buffered audio, then every new frame. */
  #adopt(run: Run, session: StreamingSession): void {
    const previous = run.session;
    run.session = session;
    run.sent = [];
    run.began = true;
    run.attempt = 0;
    const backlog = run.buffer.splice(0);
    const frameMs = this.#options.frameMs ?? 50;
    backlog.forEach((frame, i) => this.#send(run, session, frame, (backlog.length - i) * frameMs));
    this.emit('begin', { sessionId: session.id!, expiresAt: session.expiresAt });
    this.#setState(run.paused ? 'paused' : 'listening', 'begin');
    run.resolveStarted();
    if (previous && previous !== session) void this.#retire(previous);
    this.#scheduleRollover(run, session);
  }

  /** Sends a frame to the live session, unless it is silence to leave out (`SessionClock`). */
  #send(run: Run, session: StreamingSession, frame: AudioFrame, backlogMs = 0): void {
    const o = this.#options;
    const frameMs = o.frameMs ?? 50;
    const atMs = (frame.sampleOffset * 1000) / (o.sampleRate ?? DEFAULTS.sampleRate);
    let clock = run.clocks.get(session);
    if (!clock) run.clocks.set(session, (clock = new SessionClock(atMs)));
    const silent = frame.peak < SILENCE_DBFS;
    const keepMs = Math.max(KEEP_SILENCE_MS, (o.maxTurnSilence ?? 0) + frameMs);
    if (clock.skip(atMs, frameMs, silent, session.queuedMs + backlogMs, keepMs, CATCH_UP_MS)) {
      this.metrics.skippedSilenceMs += frameMs;
      return;
    }
    session.send(frame.data, frame.capturedAt);
    if (session !== run.session) return;
    run.sent.push(frame);
    const limit = Math.floor(
      (this.#options.outageBufferMs ?? 10_000) / (this.#options.frameMs ?? 50)
    );
    if (run.sent.length > limit) run.sent.splice(0, run.sent.length - limit);
  }

  #handleFrame(run: Run, frame: AudioFrame): void {
    if (this.#run !== run) return;
    this.#setLevel({ rms: frame.rms, peak: frame.peak });
    const next = run.next;
    if (
      next &&
      frame.peak < SILENCE_DBFS &&
      (!this.transcript.partial || performance.now() - next.since > HANDOVER_WAIT_MS)
    ) {
      run.next = undefined;
      if (next.session.state === 'open') this.#adopt(run, next.session);
    }
    const session = run.session;
    if (session && session.state === 'open') return this.#send(run, session, frame);
    run.buffer.push(frame);
    const limit = run.began
      ? (this.#options.outageBufferMs ?? 10_000)
      : (this.#options.preRollMs ?? 2_000);
    const frameMs = this.#options.frameMs ?? 50;
    const excess = run.buffer.length - Math.max(1, Math.floor(limit / frameMs));
    if (excess > 0) {
      run.buffer.splice(0, excess);
      this.emit('warning', {
        code: 'audio-dropped',
        message: `Dropped ${excess * frameMs} ms of audio captured while not connected.`,
      });
    }
  }

  #apply(message: ServerMessage, session: StreamingSession, offsetMs: number | undefined): void {
    this.transcript.apply(message, { sessionId: session.id, offsetMs });
    this.#announce();
  }

  #endSession(sessionId: string): void {
    this.transcript.endSession(sessionId, { reason: 'terminated' });
    this.#announce();
  }

  /** A session ended badly and nothing will re-send its audio: keep what the server finalized. */
  #closeTurns(sessionId: string): void {
    this.transcript.interruptSession(sessionId);
    this.#endSession(sessionId);
  }

  /** Emits `turn` for each turn the last store call changed and `final` for each that became ready. */
  #announce(): void {
    const { lastChanged, lastReady } = this.transcript;
    if (!lastChanged.length && !lastReady.length) return;
    const transcript = this.transcript.getSnapshot();
    for (const turn of lastChanged) this.emit('turn', { turn, transcript });
    for (const turn of lastReady) this.emit('final', { turn });
    this.#notify();
  }

  #scheduleRollover(run: Run, session: StreamingSession): void {
    this.#clearExpiry(run);
    if (!session.expiresAt) return;
    const lead = this.#options.rolloverLeadMs ?? 60_000;
    const delay = session.expiresAt - Date.now() - lead;
    if (delay > 2 ** 31 - 1) return;
    run.expiry = this.#later(run, () => void this.#rollover(run, session), Math.max(0, delay));
  }

  #clearExpiry(run: Run): void {
    if (!run.expiry) return;
    clearTimeout(run.expiry);
    run.timers.delete(run.expiry);
    run.expiry = undefined;
  }

  /** Opens the next session before `current` expires, then moves the audio over. */
  async #rollover(run: Run, current: StreamingSession): Promise<void> {
    if (this.#run !== run || run.session !== current || run.stopping) return;
    try {
      const next = this.#createSession(run, await this.#fetchToken(run));
      await next.connect(run.controller.signal);
      if (this.#run !== run || run.session !== current || run.stopping) return void next.close();
      // Hand over in a pause, so no word is cut in two (see #handleFrame).
      run.next = { session: next, since: performance.now() };
    } catch {
      // The current session goes on until it expires; its close then reconnects as usual.
    }
  }

  /** Ends a session that no longer gets audio, keeping its last turns. */
  async #retire(session: StreamingSession): Promise<void> {
    try {
      await session.terminate();
    } catch {
      // Its close handler already ended its turns.
    }
    if (session.id) this.#endSession(session.id);
  }

  async #stop(run: Run): Promise<void> {
    const wasStarting = !run.began;
    this.#setState('stopping', 'stop');
    for (const timer of run.timers) clearTimeout(timer);
    run.timers.clear();
    try {
      await run.capture.stop();
    } catch {
      // The microphone is released either way.
    }
    const session = run.session;
    if (session && session.state === 'open') {
      try {
        await session.terminate();
      } catch {
        // Ended with an error: its close handler kept the turns heard so far.
      }
      if (session.id) this.#endSession(session.id);
    }
    run.controller.abort();
    for (const other of run.sessions) other.close();
    if (this.#run === run) this.#run = undefined;
    this.#setLevel(SILENT);
    this.#setState('idle', 'stopped');
    if (wasStarting)
      run.rejectStarted(
        new LiveTranscriptError('aborted', 'stop() was called before the session began.')
      );
    this.emit('end', {
      audioDurationSeconds: run.totals.audio,
      sessionDurationSeconds: run.totals.session,
    });
  }

  #fatal(run: Run, error: LiveTranscriptError): void {
    if (this.#run !== run || run.stopping) return;
    if (error.code === 'aborted') return void this.stop();
    this.#run = undefined;
    run.controller.abort();
    for (const timer of run.timers) clearTimeout(timer);
    for (const session of run.sessions) {
      if (session.id) this.#closeTurns(session.id);
      session.close();
    }
    void run.capture.stop().catch(() => undefined);
    this.error = error;
    this.#setLevel(SILENT);
    this.#setState('error', error.code);
    this.emit('error', { error });
    run.rejectStarted(error);
  }

  /** Best effort when the page goes away: tell the server, so the session is not billed on. */
  #handlePageHide(run: Run): void {
    for (const session of run.sessions) session.close(true);
  }

  #later(run: Run, callback: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      callback();
    }, ms);
    run.timers.add(timer);
    return timer;
  }

  #setState(state: TranscriberState, reason: string): void {
    const previous = this.state;
    if (previous === state) return;
    this.state = state;
    this.#notify();
    this.emit('state-change', { state, previous, reason });
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
        { turns: transcript.turns, state: this.state, error: this.error, level: this.#level },
        { finalText: text('finalText'), partial: text('partial'), text: text('text') }
      ) as LiveTranscriberSnapshot
    );
  }

  #notify(): void {
    this.#snapshot = this.#snapshotNow();
    for (const listener of this.#listeners) listener();
  }
}
