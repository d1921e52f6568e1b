// SPDX-License-Identifier: MIT
// The engine of LiveTranscriber, loaded with import() at the first start() or preload(): one
// run from start() to its end, composing the capture, a token per connection, the sessions
// (reconnection, rollover before expiry, catching up after an outage) and the transcript merge.
// The shell (live-transcriber.ts) owns the public state; the engine reports to it through
// `EngineHost`. Nothing here runs at import.
import { AudioCapture, type AudioFrame } from '../audio/capture.js';
import { LiveTranscriptError } from '../errors.js';
import { optionValue, type OptionKey } from '../options.js';
import type { ServerMessage } from '../protocol/messages.js';
import { StreamingSession } from '../session/streaming-session.js';
import { fetchTokenGrant, type TokenGrant } from '../token/token.js';
import { applyMessage, endSession, interruptSession } from '../transcript/merge.js';
import type { Transcript } from '../transcript/transcript.js';
import { backoffDelay, reconnectSettings } from './backoff.js';
import { FrameBuffer, SILENCE_DBFS } from './frame-buffer.js';
import type { Journal } from './journal.js';
import { SessionClock } from './session-clock.js';
import type {
  Level,
  LiveTranscriberEvents,
  LiveTranscriberOptions,
  LiveTranscriberWarning,
  TranscriberMetrics,
  TranscriberState,
} from './live-transcriber.js';

export { buildDiagnostics } from './diagnostics.js';
/** For the bindings' device lists, which load it with the engine. */
export { listMicrophones } from '../audio/devices.js';

/** What the engine needs of the transcriber that loaded it. */
export interface EngineHost {
  /** The options in use (`updateConfiguration()` changes them while the engine runs). */
  options(): LiveTranscriberOptions;
  readonly transcript: Transcript;
  /** The history `diagnostics()` reports: the engine adds messages, closes, errors, warnings. */
  readonly journal: Journal;
  metrics(): TranscriberMetrics;
  state(): TranscriberState;
  setState(state: TranscriberState, reason: string): void;
  setLevel(level: Level): void;
  emit<K extends keyof LiveTranscriberEvents & string>(
    type: K,
    detail: LiveTranscriberEvents[K]
  ): void;
  /** The transcript changed: a new snapshot. */
  notify(): void;
  /** Whether this engine is still the transcriber's current run. */
  current(engine: TranscriberEngine): boolean;
  /** The run ended (stopped): the transcriber is idle. */
  ended(engine: TranscriberEngine): void;
  /** The run failed: the transcriber is in the `error` state. */
  failed(engine: TranscriberEngine, error: LiveTranscriptError): void;
}

/** What start() prepared inside the user gesture. */
export interface EngineSetup {
  /** Aborted by stop(): every step of the run listens to it. */
  controller: AbortController;
  /** Created and resumed in the user gesture. */
  context: AudioContext | undefined;
  /** The microphone, already asked for (the capture takes it over). */
  microphone: Promise<MediaStream> | undefined;
  /** `performance.now()` at start(). */
  startedAt: number;
  resolveStarted(): void;
  rejectStarted(error: LiveTranscriptError): void;
}

/** A token, and when it was asked for (`performance.now()`). */
interface Grant extends TokenGrant {
  requestedAt: number;
}

const SILENT: Level = Object.freeze({ rms: -100, peak: -100 });
/** A token is used this long before its redemption window ends, at most (a quarter of short ones). */
const TOKEN_MARGIN_MS = 5000;
/** Tokens the journal keeps, to keep them out of reports (the newest). */
const SECRETS_KEPT = 100;
/** Whether the browser knows it has no network (`navigator.onLine` is only sure when false). */
const offline = () => globalThis.navigator?.onLine === false;
/** A rollover waits this long for the end of a turn, then takes the next silent frame. */
const HANDOVER_WAIT_MS = 15_000;
/** Behind real time by more than this, a session is caught up by shortening long pauses... */
const CATCH_UP_MS = 500;
/** ...to this (or `maxTurnSilence` and a frame, if longer): the server ends the turn in it. */
const KEEP_SILENCE_MS = 2000;

/** Whether a token can still open a session (a token of unknown lifetime is tried). */
function fresh({ expiresInSeconds, requestedAt }: Grant): boolean {
  if (expiresInSeconds === undefined) return true;
  const windowMs = expiresInSeconds * 1000;
  return performance.now() < requestedAt + windowMs - Math.min(TOKEN_MARGIN_MS, windowMs / 4);
}

export function asError(error: unknown): LiveTranscriptError {
  return error instanceof LiveTranscriptError
    ? error
    : new LiveTranscriptError('network', `Unexpected failure: ${String(error)}`, { cause: error });
}

/** One run of a transcriber: from start() to stop() or a fatal error. */
export class TranscriberEngine {
  readonly #host: EngineHost;
  readonly #setup: EngineSetup;
  readonly #capture: AudioCapture;
  readonly #frames: FrameBuffer;
  /** The live session. */
  #session: StreamingSession | undefined;
  /** Every session not closed yet (the live one, one connecting, one retiring). */
  #sessions = new Set<StreamingSession>();
  /** Each session's clock: where its audio starts, and the silence it was not given. */
  #clocks = new Map<StreamingSession, SessionClock>();
  #expiry: ReturnType<typeof setTimeout> | undefined;
  /** A session opened ahead of the live one's expiry, waiting for a pause to take over. */
  #next: { session: StreamingSession; since: number } | undefined;
  #began = false;
  /** The run failed: nothing of it acts any more. */
  #failed = false;
  #paused = false;
  #attempt = 0;
  #stopping: Promise<void> | undefined;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #totals = { audio: 0, session: 0 };
  /** The capture's start; microphone switches wait for it, and for each other. */
  #capturing: Promise<unknown> = Promise.resolve();

  constructor(host: EngineHost, setup: EngineSetup, paused: boolean) {
    this.#host = host;
    this.#setup = setup;
    this.#paused = paused;
    const { microphone, deviceId } = host.options();
    this.#capture = new AudioCapture({
      ...host.options(),
      sampleRate: this.#get('sampleRate'),
      microphone: deviceId ? { ...microphone, deviceId } : microphone,
    });
    this.#frames = new FrameBuffer(this.#get('frameMs'), this.#get('sampleRate'));
  }

  get stopping(): boolean {
    return !!this.#stopping;
  }

  /** Starts the capture, the token and the connection, in parallel. */
  run(): void {
    const { signal } = this.#setup.controller;
    const capture = this.#capture;
    this.#host.journal.audio = undefined;
    const capturing = capture.start(signal, {
      context: this.#setup.context,
      microphone: this.#setup.microphone,
    });
    this.#capturing = capturing.catch(() => undefined);
    capture.addEventListener('frame', (e) => this.#handleFrame(e.detail), { signal });
    capture.addEventListener('warning', (e) => this.#warn(e.detail as LiveTranscriberWarning), {
      signal,
    });
    capture.addEventListener('device-change', (e) => this.#host.emit('device-change', e.detail), {
      signal,
    });
    capture.addEventListener('error', (e) => this.#fatal(e.detail.error), { signal });
    globalThis.addEventListener?.('pagehide', () => this.#handlePageHide(), { signal });
    const token = this.#fetchToken();
    token.catch(() => undefined);
    void (async () => {
      try {
        await capturing;
        this.#describeAudio();
        if (this.#paused) capture.pause(); // paused while the microphone was opening
        // The microphone was changed (setDevice()) after the gesture asked for another one.
        const { deviceId } = this.#host.options();
        if (deviceId) this.setDevice(deviceId).catch(() => undefined);
        await this.#connect(token);
      } catch (error) {
        this.#fatal(asError(error));
      }
    })();
  }

  /** Mutes the microphone; the session stays open (with `KeepAlive` when `inactivityTimeout` is set). */
  pause(): void {
    if (this.#stopping || this.#paused) return;
    this.#paused = true;
    this.#capture.pause();
    this.#host.setLevel(SILENT);
    if (this.#host.state() === 'listening') this.#host.setState('paused', 'pause');
    const seconds = this.#host.options().inactivityTimeout;
    if (seconds) {
      const keepAlive = () => {
        if (!this.#paused || !this.#current()) return;
        this.#session?.keepAlive();
        this.#later(keepAlive, (seconds * 1000) / 2);
      };
      this.#later(keepAlive, (seconds * 1000) / 2);
    }
  }

  resume(): void {
    if (this.#stopping || !this.#paused) return;
    this.#paused = false;
    this.#capture.resume();
    if (this.#host.state() === 'paused') this.#host.setState('listening', 'resume');
  }

  forceEndpoint(): void {
    this.#session?.forceEndpoint();
  }

  /**
   * Switches the microphone inside the session, once the capture runs (see
   * `LiveTranscriber.setDevice()`); one switch at a time, in order. Nothing to do when the
   * capture has another source, already has that microphone, or has ended. A failure is also a
   * `device-switch-failed` warning: the microphone in use goes on.
   */
  setDevice(deviceId: string | undefined): Promise<void> {
    const switching = this.#capturing.then(async () => {
      const capture = this.#capture;
      const live = capture.state === 'running' || capture.state === 'paused';
      if (this.#stopping || !this.#current() || !live || capture.source?.kind !== 'microphone') {
        return;
      }
      if (deviceId && capture.source.track?.getSettings().deviceId === deviceId) return;
      try {
        await capture.switchSource('microphone', { deviceId });
      } catch (caught) {
        const error = asError(caught);
        if (error.code !== 'aborted' && this.#current() && !this.#stopping) {
          this.#warn({
            code: 'device-switch-failed',
            message: `${error.message} Captions go on from the microphone in use.`,
          });
        }
        throw error;
      }
    });
    this.#capturing = switching.catch(() => undefined);
    return switching;
  }

  updateConfiguration(changes: Record<string, unknown>): void {
    this.#session?.updateConfiguration(changes);
  }

  /** Ends the run (see `LiveTranscriber.stop()`). Idempotent. */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#stop());
  }

  #current(): boolean {
    return !this.#failed && this.#host.current(this);
  }

  /** An option's value, or its default. */
  #get<K extends OptionKey>(key: K) {
    return optionValue(this.#host.options(), key);
  }

  async #fetchToken(): Promise<Grant> {
    const { tokenUrl, tokenRequestInit, getToken } = this.#host.options();
    const requestedAt = performance.now();
    const grant = await fetchTokenGrant({
      tokenUrl,
      tokenRequestInit,
      getToken,
      timeoutMs: this.#get('tokenTimeoutMs'),
      signal: this.#setup.controller.signal,
    });
    const { secrets } = this.#host.journal;
    secrets.add(grant.token);
    if (secrets.size > SECRETS_KEPT) secrets.delete(secrets.values().next().value!);
    return { ...grant, requestedAt };
  }

  /**
   * Connects (retrying retriable failures with backoff and a new token each time) and adopts the
   * session. `token` was fetched while the microphone opened: a new one replaces it when its
   * redemption window (if known) ends soon. A token refused with 1008 gets one more try with a
   * new token (it may have expired on the way); a second refusal in a row is fatal.
   */
  async #connect(token?: Promise<Grant>): Promise<void> {
    let authRetried = false;
    for (;;) {
      try {
        let grant = await (token ?? this.#fetchToken());
        token = undefined;
        if (!fresh(grant)) grant = await this.#fetchToken();
        const session = this.#createSession(grant.token);
        await session.connect(this.#setup.controller.signal);
        this.#adopt(session);
        return;
      } catch (caught) {
        token = undefined;
        const error = asError(caught);
        if (this.#setup.controller.signal.aborted || !this.#current()) return;
        if (error.code === 'auth-failed' && error.closeCode === 1008 && !authRetried) {
          authRetried = true;
          this.#host.journal.add('errors', { ...error.toJSON(), fatal: false });
          continue;
        }
        const settings = reconnectSettings(this.#get('reconnect'));
        // An attempt that failed while the browser knows it is offline does not count.
        if (!offline()) this.#attempt += 1;
        if (!error.retriable || !settings || this.#attempt > settings.maxAttempts) throw error;
        await this.#backoff(error);
      }
    }
  }

  async #backoff(error: LiveTranscriptError): Promise<void> {
    const attempt = Math.max(this.#attempt, 1);
    const delayMs = backoffDelay(attempt, reconnectSettings(this.#get('reconnect'))!, {
      expired: error.code === 'session-expired',
      offline: offline(),
    });
    if (this.#host.state() !== 'reconnecting') this.#host.setState('reconnecting', error.code);
    this.#host.journal.add('errors', { ...error.toJSON(), fatal: false });
    this.#host.emit('reconnecting', { attempt, delayMs, error });
    const { signal } = this.#setup.controller;
    await new Promise<void>((resolve) => {
      const waiting = new AbortController();
      const go = () => {
        waiting.abort();
        resolve();
      };
      this.#later(go, delayMs);
      // The network coming back starts the attempt at once.
      globalThis.addEventListener?.('online', go, { signal: waiting.signal });
      signal.addEventListener('abort', go, { signal: waiting.signal });
    });
    if (signal.aborted || this.#stopping) {
      throw new LiveTranscriptError('aborted', 'Stopped while reconnecting.');
    }
  }

  #createSession(token: string): StreamingSession {
    const o = this.#host.options();
    const metrics = this.#host.metrics();
    const session = new StreamingSession({
      ...o,
      token,
      maxQueueMs: o.outageBufferMs,
      onAudioSent: (info) => {
        metrics.startToFirstFrameMs ??= info.sentAt - this.#setup.startedAt;
        if (info.capturedAt !== undefined) {
          const list = metrics.sendLatenciesMs;
          list.push(info.sentAt - info.capturedAt);
          if (list.length > 500) list.shift();
        }
      },
    });
    this.#sessions.add(session);
    const { signal } = this.#setup.controller;
    session.addEventListener(
      'message',
      ({ detail: message }) => {
        // Begin comes before the session knows its id: it carries it.
        const sessionId = session.id ?? (message as { id?: string }).id;
        this.#host.journal.add('messages', { type: message.type, sessionId });
        this.#host.emit('message', { message, sessionId: session.id });
        const clock = this.#clocks.get(session);
        const mapped = clock?.map(message) ?? message;
        if (
          message.type === 'Turn' ||
          message.type === 'SpeakerRevision' ||
          message.type === 'Termination'
        ) {
          this.#apply(mapped, session, clock?.offsetMs);
        } else if (message.type === 'SpeechStarted') {
          const { timestamp } = mapped as { timestamp: number };
          this.#host.emit('speech-start', {
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
          this.#clocks.get(session)?.dropped(session.audioSentMs, detail.droppedMs);
        this.#warn(detail);
      },
      { signal }
    );
    session.addEventListener('termination', ({ detail }) => {
      this.#totals.audio += detail.audio_duration_seconds;
      this.#totals.session += detail.session_duration_seconds;
    });
    session.addEventListener('close', ({ detail: { code, reason, error } }) => {
      this.#host.journal.add('closes', { code, reason, error: error?.code, sessionId: session.id });
      this.#handleClose(session, error);
    });
    return session;
  }

  #handleClose(session: StreamingSession, error: LiveTranscriptError | undefined): void {
    this.#sessions.delete(session);
    this.#clocks.delete(session);
    if (!error || !session.id) return;
    const live = this.#session === session && !this.#stopping && this.#current();
    const settings = reconnectSettings(this.#get('reconnect'));
    if (!live || !error.retriable || !settings) {
      this.#closeTurns(session.id);
      if (live) this.#fatal(error);
      return;
    }
    // The live session failed after Begin. The words it finalized stay; the audio after them
    // goes to the next session first, then what is captured meanwhile.
    this.#session = undefined;
    this.#clearExpiry();
    const resumeMs = interruptSession(this.#host.transcript, session.id);
    this.#announce();
    // Frames still queued were never heard: they go as they are.
    const frameMs = this.#get('frameMs');
    const unsent = Math.round(
      (session.audioAcceptedMs - session.audioSentMs - session.audioDroppedMs) / frameMs
    );
    this.#frames.replay(resumeMs, unsent);
    const next = this.#next;
    this.#next = undefined;
    if (next?.session.state === 'open') return this.#adopt(next.session);
    void (async () => {
      try {
        this.#attempt = 1;
        await this.#backoff(error);
        await this.#connect();
      } catch (caught) {
        this.#fatal(asError(caught));
      }
    })();
  }

  /** The session began: it gets the buffered audio, then every new frame. */
  #adopt(session: StreamingSession): void {
    const previous = this.#session;
    this.#session = session;
    this.#frames.forget();
    this.#began = true;
    this.#attempt = 0;
    const backlog = this.#frames.take();
    const frameMs = this.#get('frameMs');
    backlog.forEach((frame, i) => this.#send(session, frame, (backlog.length - i) * frameMs));
    this.#host.emit('begin', { sessionId: session.id!, expiresAt: session.expiresAt });
    this.#host.setState(this.#paused ? 'paused' : 'listening', 'begin');
    this.#setup.resolveStarted();
    if (previous && previous !== session) void this.#retire(previous);
    this.#scheduleRollover(session);
  }

  /** Sends a frame to the live session, unless it is silence to leave out (`SessionClock`). */
  #send(session: StreamingSession, frame: AudioFrame, backlogMs = 0): void {
    const frameMs = this.#get('frameMs');
    const atMs = (frame.sampleOffset * 1000) / this.#get('sampleRate');
    let clock = this.#clocks.get(session);
    if (!clock) this.#clocks.set(session, (clock = new SessionClock(atMs)));
    const silent = frame.peak < SILENCE_DBFS;
    const keepMs = Math.max(KEEP_SILENCE_MS, (this.#host.options().maxTurnSilence ?? 0) + frameMs);
    if (clock.skip(atMs, frameMs, silent, session.queuedMs + backlogMs, keepMs, CATCH_UP_MS)) {
      this.#host.metrics().skippedSilenceMs += frameMs;
      return;
    }
    session.send(frame.data, frame.capturedAt);
    if (session === this.#session) this.#frames.remember(frame, this.#get('outageBufferMs'));
  }

  #handleFrame(frame: AudioFrame): void {
    if (!this.#current()) return;
    this.#host.setLevel({ rms: frame.rms, peak: frame.peak });
    const next = this.#next;
    if (
      next &&
      frame.peak < SILENCE_DBFS &&
      (!this.#host.transcript.partial || performance.now() - next.since > HANDOVER_WAIT_MS)
    ) {
      this.#next = undefined;
      if (next.session.state === 'open') this.#adopt(next.session);
    }
    const session = this.#session;
    if (session && session.state === 'open') return this.#send(session, frame);
    const limit = this.#began ? this.#get('outageBufferMs') : this.#get('preRollMs');
    const droppedMs = this.#frames.hold(frame, limit);
    if (droppedMs) {
      this.#warn({
        code: 'audio-dropped',
        message: `Dropped ${droppedMs} ms of audio captured while not connected.`,
      });
    }
  }

  #apply(message: ServerMessage, session: StreamingSession, offsetMs: number | undefined): void {
    applyMessage(this.#host.transcript, message, { sessionId: session.id, offsetMs });
    this.#announce();
  }

  #endSession(sessionId: string): void {
    endSession(this.#host.transcript, sessionId, { reason: 'terminated' });
    this.#announce();
  }

  /** A session ended badly and nothing will re-send its audio: keep what the server finalized. */
  #closeTurns(sessionId: string): void {
    interruptSession(this.#host.transcript, sessionId);
    this.#endSession(sessionId);
  }

  /** Emits `turn` for each turn the last store call changed and `final` for each that became ready. */
  #announce(): void {
    const { lastChanged, lastReady } = this.#host.transcript;
    if (!lastChanged.length && !lastReady.length) return;
    const transcript = this.#host.transcript.getSnapshot();
    for (const turn of lastChanged) this.#host.emit('turn', { turn, transcript });
    for (const turn of lastReady) this.#host.emit('final', { turn });
    this.#host.notify();
  }

  #scheduleRollover(session: StreamingSession): void {
    this.#clearExpiry();
    if (!session.expiresAt) return;
    const delay = session.expiresAt - Date.now() - this.#get('rolloverLeadMs');
    if (delay > 2 ** 31 - 1) return;
    this.#expiry = this.#later(() => void this.#rollover(session), Math.max(0, delay));
  }

  #clearExpiry(): void {
    if (!this.#expiry) return;
    clearTimeout(this.#expiry);
    this.#timers.delete(this.#expiry);
    this.#expiry = undefined;
  }

  /** Opens the next session before `current` expires, then moves the audio over. */
  async #rollover(current: StreamingSession): Promise<void> {
    const still = () => this.#current() && this.#session === current && !this.#stopping;
    if (!still()) return;
    try {
      const next = this.#createSession((await this.#fetchToken()).token);
      await next.connect(this.#setup.controller.signal);
      if (!still()) return void next.close();
      // Hand over in a pause, so no word is cut in two (see #handleFrame).
      this.#next = { session: next, since: performance.now() };
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

  async #stop(): Promise<void> {
    const wasStarting = !this.#began;
    this.#host.setState('stopping', 'stop');
    this.#clearTimers();
    try {
      await this.#capture.stop();
    } catch {
      // The microphone is released either way.
    }
    const session = this.#session;
    if (session && session.state === 'open') {
      try {
        await session.terminate();
      } catch {
        // Ended with an error: its close handler kept the turns heard so far.
      }
      if (session.id) this.#endSession(session.id);
    }
    this.#setup.controller.abort();
    for (const other of this.#sessions) other.close();
    this.#host.ended(this);
    if (wasStarting) {
      this.#setup.rejectStarted(
        new LiveTranscriptError('aborted', 'stop() was called before the session began.')
      );
    }
    this.#host.emit('end', {
      audioDurationSeconds: this.#totals.audio,
      sessionDurationSeconds: this.#totals.session,
    });
  }

  #fatal(error: LiveTranscriptError): void {
    if (!this.#current() || this.#stopping) return;
    if (error.code === 'aborted') return void this.stop();
    this.#failed = true;
    this.#setup.controller.abort();
    this.#clearTimers();
    for (const session of this.#sessions) {
      if (session.id) this.#closeTurns(session.id);
      session.close();
    }
    void this.#capture.stop().catch(() => undefined);
    this.#host.failed(this, error);
    this.#setup.rejectStarted(error);
  }

  #warn(warning: LiveTranscriberWarning): void {
    this.#host.journal.add('warnings', { code: warning.code, message: warning.message });
    this.#host.emit('warning', warning);
  }

  /**
   * Gives the journal the audio for diagnostics(): the context and input track in use (a device
   * switch brings a new one), read when a report is made, so their state is current (`closed`
   * and `ended` once the run is over).
   */
  #describeAudio(): void {
    const capture = this.#capture;
    let { context, source } = capture;
    const seen = () => void (capture.source && ({ context, source } = capture));
    capture.addEventListener('device-change', seen, { signal: this.#setup.controller.signal });
    this.#host.journal.audio = () => {
      seen();
      const track = source?.track;
      const settings = track?.getSettings() ?? {};
      return {
        source: source?.kind,
        context: context && {
          sampleRate: context.sampleRate,
          state: context.state,
          baseLatency: context.baseLatency,
        },
        track: track && {
          label: track.label,
          readyState: track.readyState,
          muted: track.muted,
          enabled: track.enabled,
          sampleRate: settings.sampleRate,
          channelCount: settings.channelCount,
          echoCancellation: settings.echoCancellation,
          noiseSuppression: settings.noiseSuppression,
          autoGainControl: settings.autoGainControl,
          latency: (settings as { latency?: number }).latency,
        },
      };
    };
  }

  /** Best effort when the page goes away: tell the server, so the session is not billed on. */
  #handlePageHide(): void {
    for (const session of this.#sessions) session.close(true);
  }

  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #later(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }
}
