// SPDX-License-Identifier: MIT
import { bytesPerSample, fromMulaw } from '../audio/pcm.js';
import { LiveTranscriptError } from '../errors.js';
import { TypedEventTarget } from '../events.js';
import { classifyClose } from '../protocol/close-codes.js';
import type {
  BeginMessage,
  ClientMessage,
  ErrorMessage,
  ServerMessage,
  SpeechStartedMessage,
  TerminationMessage,
  TurnMessage,
} from '../protocol/messages.js';
import { checkLiveChanges, checkOption, wireParameters, type LiveParameters } from '../options.js';
import { parseServerMessage } from '../protocol/parse.js';
import { buildConnectionUrl } from '../protocol/connection-url.js';
import type { ConnectionTarget, StreamingParameters } from '../protocol/url.js';

/** A `WebSocket` constructor: the browser's, or e.g. `ws` in Node. */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface StreamingSessionOptions extends StreamingParameters, ConnectionTarget {
  /** A temporary token from your server. Tokens are single-use: one per session. */
  token: string;
  /** Give up if `Begin` has not arrived after this long. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** How long `terminate()` waits for `Termination` once `Terminate` is sent. Default 5 000 ms. */
  stopTimeoutMs?: number;
  /** Duration of each audio frame sent (50–1000 ms). Default 50 ms. */
  frameMs?: number;
  /** At most this much audio waits in the send queue; the oldest is dropped beyond. Default 10 000 ms. */
  maxQueueMs?: number;
  /**
   * How far ahead of real time (counted from `Begin`) the session may be in total. The server
   * closes sessions that send audio faster than real time (3007). Default 250 ms.
   */
  pacingAllowanceMs?: number;
  /** Hold frames while `bufferedAmount` exceeds this many bytes. Default: 1 s of audio. */
  highWaterMark?: number;
  /**
   * Give the connection up (a retriable `network` error) when the socket's buffer has not
   * drained below `highWaterMark` for this long: a half-dead connection sends no close event.
   * Default 10 000 ms.
   */
  stallTimeoutMs?: number;
  /** The WebSocket implementation. Default `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Called as each audio frame leaves for the socket (for latency measurements). */
  onAudioSent?: (info: AudioSentInfo) => void;
}

export interface AudioSentInfo {
  /** `performance.now()` when the frame was handed to the socket. */
  sentAt: number;
  /** The `capturedAt` passed to {@link StreamingSession.send}, if any. */
  capturedAt?: number;
  /** Audio sent so far in this session, in ms (this frame included). */
  audioSentMs: number;
}

export type SessionWarningCode = 'audio-dropped' | 'malformed-message' | 'server-warning';

export interface SessionWarning {
  code: SessionWarningCode;
  message: string;
  /** For `audio-dropped`: how much audio was dropped, in ms. */
  droppedMs?: number;
}

export interface SessionClose {
  code: number;
  reason: string;
  /** Why the session ended, unless it was a clean `Terminate` → `Termination` → 1000. */
  error?: LiveTranscriptError;
}

export interface StreamingSessionEvents {
  /** The server accepted the session. */
  begin: BeginMessage;
  'speech-started': SpeechStartedMessage;
  /** Every `Turn` message, as received. */
  turn: TurnMessage;
  termination: TerminationMessage;
  /** Every server message, unknown types included. */
  message: ServerMessage;
  warning: SessionWarning;
  /** A failure after `Begin` (failures before it reject `connect()`; during `terminate()`, reject it). */
  error: { error: LiveTranscriptError };
  close: SessionClose;
}

export type StreamingSessionState = 'idle' | 'connecting' | 'open' | 'terminating' | 'closed';

type Queued = { audio: ArrayBuffer; capturedAt: number | undefined } | { json: string };

const OPEN = 1;

/**
 * One WebSocket session with AssemblyAI Universal Streaming, from upgrade to close.
 *
 * `connect()` resolves with `Begin` and rejects (never hangs) on an `Error` frame, a close
 * before `Begin`, the connect timeout or an abort. `send()` takes audio of any length in the
 * session's `encoding` (PCM16 LE, 2 bytes per sample, or mu-law, 1 byte): the session cuts it
 * into frames of exactly `frameMs`, queues frames sent before `Begin`, never
 * gets ahead of real time, and drops the oldest audio (with a `warning`) rather than queue
 * without bound. Control messages keep their place in the queue behind the audio before them.
 *
 * @example
 * ```ts
 * const session = new StreamingSession({ token, speechModel: 'universal-streaming-english' });
 * session.addEventListener('turn', (e) => console.log(e.detail.transcript));
 * await session.connect();
 * session.send(pcmFrame);
 * const termination = await session.terminate();
 * ```
 */
export class StreamingSession extends TypedEventTarget<StreamingSessionEvents> {
  /** The session id from `Begin`. */
  id: string | undefined;
  /** When the server will end the session (ms since the epoch), from `Begin`. */
  expiresAt: number | undefined;
  state: StreamingSessionState = 'idle';
  /** Audio handed to the socket so far, in ms. */
  audioSentMs = 0;
  /** Audio taken by `send()` and cut into frames so far, in ms (sent, queued or dropped). */
  audioAcceptedMs = 0;
  /** Audio dropped because the queue was full, in ms. */
  audioDroppedMs = 0;

  readonly #options: StreamingSessionOptions;
  /** Bytes per frame: samples per frame times 1 (mu-law) or 2 (PCM16). */
  readonly #frameBytes: number;
  readonly #frameMs: number;
  #ws: WebSocket | undefined;
  #queue: Queued[] = [];
  #queuedFrames = 0;
  #staging: Uint8Array | undefined;
  #stagingCapturedAt: number | undefined;
  #beganAt = 0;
  #stalledSince: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #errorTimer: ReturnType<typeof setTimeout> | undefined;
  #errorFrame: ErrorMessage | undefined;
  #termination: TerminationMessage | undefined;
  #terminateSent = false;
  #connect:
    { resolve(begin: BeginMessage): void; reject(error: LiveTranscriptError): void } | undefined;
  #terminate: Promise<TerminationMessage | undefined> | undefined;
  #closed: Promise<SessionClose>;
  #resolveClosed!: (close: SessionClose) => void;

  constructor(options: StreamingSessionOptions) {
    super();
    this.#options = options;
    const frameMs = options.frameMs ?? 50;
    checkOption('frameMs', frameMs);
    const rate = options.sampleRate ?? 16000;
    this.#frameBytes = Math.round((rate * frameMs) / 1000) * bytesPerSample(options.encoding);
    this.#frameMs = frameMs;
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  get #mulaw(): boolean {
    return this.#options.encoding === 'pcm_mulaw';
  }

  /** Audio waiting in the queue, in ms. */
  get queuedMs(): number {
    return this.#queuedFrames * this.#frameMs;
  }

  /** Resolves when the socket has closed, with how it closed. */
  get closed(): Promise<SessionClose> {
    return this.#closed;
  }

  /** Opens the socket and resolves with the server's `Begin`. */
  connect(signal?: AbortSignal): Promise<BeginMessage> {
    if (this.state !== 'idle') {
      return Promise.reject(
        new LiveTranscriptError('invalid-option', 'connect() was already called on this session.')
      );
    }
    this.state = 'connecting';
    return new Promise<BeginMessage>((resolve, reject) => {
      this.#connect = { resolve, reject };
      if (signal?.aborted) return this.#abort();
      signal?.addEventListener('abort', () => this.#abort(), { once: true });
      const { token, url, region, WebSocket: Ws = globalThis.WebSocket } = this.#options;
      let socket: WebSocket;
      try {
        if (!token)
          throw new LiveTranscriptError(
            'token-invalid',
            'The session needs a token: the token source returned none.'
          );
        if (!Ws) {
          throw new LiveTranscriptError(
            'invalid-option',
            'No WebSocket implementation here: pass the WebSocket option (for example the "ws" package in Node).'
          );
        }
        socket = new Ws(buildConnectionUrl(this.#options, { url, region, token }).href);
      } catch (error) {
        return this.#fail(
          error instanceof LiveTranscriptError
            ? error
            : new LiveTranscriptError(
                'invalid-option',
                `Could not open the WebSocket: ${String(error)}`,
                { cause: error }
              )
        );
      }
      socket.binaryType = 'arraybuffer';
      socket.onmessage = (event) => this.#handleMessage(event.data);
      socket.onclose = (event) => this.#handleClose(event.code, event.reason);
      // The close event that follows says what happened (`ws` in Node throws without a listener).
      socket.onerror = () => undefined;
      this.#ws = socket;
      this.#schedule(this.#options.connectTimeoutMs ?? 10_000, () =>
        this.#fail(
          new LiveTranscriptError(
            'connect-timeout',
            `AssemblyAI did not start the session within ${this.#options.connectTimeoutMs ?? 10_000} ms. Check the network; retrying with a new token.`
          )
        )
      );
    });
  }

  /**
   * Queues audio in the session's `encoding` (any length; the session cuts exact `frameMs`
   * frames). Returns false when the session no longer takes audio (terminating or closed).
   */
  send(audio: ArrayBuffer | ArrayBufferView, capturedAt?: number): boolean {
    if (this.state === 'terminating' || this.state === 'closed') return false;
    const bytes =
      audio instanceof ArrayBuffer
        ? new Uint8Array(audio)
        : new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength);
    const size = this.#frameBytes;
    if (!this.#staging && bytes.byteLength === size) {
      const whole = bytes.byteOffset === 0 && bytes.buffer.byteLength === size;
      this.#pushAudio((whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer, capturedAt);
    } else {
      let staged = this.#staging ? concat(this.#staging, bytes) : bytes;
      let offset = 0;
      for (; staged.byteLength - offset >= size; offset += size) {
        this.#pushAudio(staged.slice(offset, offset + size).buffer as ArrayBuffer, capturedAt);
      }
      staged = staged.subarray(offset);
      this.#staging = staged.byteLength ? staged.slice() : undefined;
      this.#stagingCapturedAt = capturedAt;
    }
    this.#trim();
    this.#drain();
    return true;
  }

  /**
   * Changes settings mid-session (only the given fields; `undefined` ones are left out). Takes
   * the `live` options of the table only: anything else throws `invalid-option`, and nothing is
   * sent.
   */
  updateConfiguration(changes: LiveParameters): void {
    checkLiveChanges(changes);
    const fields = wireParameters(changes, Object.keys(changes));
    this.#control({ type: 'UpdateConfiguration', ...fields } as ClientMessage);
  }

  /** Ends the current turn now (after the audio already queued). */
  forceEndpoint(): void {
    this.#control({ type: 'ForceEndpoint' });
  }

  /** Resets the server's inactivity timer (meaningful with `inactivityTimeout`). */
  keepAlive(): void {
    this.#control({ type: 'KeepAlive' });
  }

  /**
   * Ends the session gracefully: sends the queued audio (the last partial frame padded with
   * silence), then `Terminate`, and waits for `Termination` and the close. Resolves with the
   * `Termination` payload, or `undefined` when the server did not answer within `stopTimeoutMs`
   * (the socket is then closed anyway). Rejects if the server ends the session with an error.
   */
  terminate(): Promise<TerminationMessage | undefined> {
    if (this.#terminate) return this.#terminate;
    if (this.state === 'idle' || this.state === 'closed') {
      this.state = 'closed';
      return (this.#terminate = Promise.resolve(this.#termination));
    }
    if (this.state === 'connecting') {
      this.#abort();
      return (this.#terminate = this.#closed.then(() => undefined));
    }
    this.state = 'terminating';
    if (this.#staging) {
      // Padded with silence: zero bytes in PCM16, 0xFF in mu-law (whose 0x00 is full scale).
      const frame = new Uint8Array(this.#frameBytes).fill(this.#mulaw ? 0xff : 0);
      frame.set(this.#staging);
      this.#staging = undefined;
      this.#pushAudio(frame.buffer, this.#stagingCapturedAt);
    }
    this.#dropTrailingSilence();
    this.#queue.push({ json: JSON.stringify({ type: 'Terminate' }) });
    this.#drain();
    return (this.#terminate = new Promise((resolve, reject) => {
      // The queued audio takes its real-time length to leave; then the server gets stopTimeoutMs.
      const timeout = this.queuedMs + (this.#options.stopTimeoutMs ?? 5_000);
      const timer = setTimeout(() => this.#finish(1000, '', undefined), timeout);
      void this.#closed.then(({ error }) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(this.#termination);
      });
    }));
  }

  /**
   * Closes the socket at once; queued audio is discarded. With `sendTerminate`, a `Terminate`
   * goes out first (best effort, e.g. on `pagehide`, so the server does not bill on).
   */
  close(sendTerminate = false): void {
    if (this.state === 'connecting') return this.#abort();
    if (this.state === 'closed') return;
    if (sendTerminate && !this.#terminateSent && this.#ws?.readyState === OPEN) {
      this.#ws.send(JSON.stringify({ type: 'Terminate' }));
      this.#terminateSent = true;
    }
    this.#finish(1000, '', undefined);
  }

  #abort(): void {
    this.#fail(new LiveTranscriptError('aborted', 'The connection attempt was cancelled.'));
  }

  /** Ends the session now with `error` (before `Begin`: rejects `connect()`). */
  #fail(error: LiveTranscriptError): void {
    this.#finish(1000, '', error);
  }

  #control(message: ClientMessage): void {
    if (this.state === 'terminating' || this.state === 'closed') return;
    this.#queue.push({ json: JSON.stringify(message) });
    this.#drain();
  }

  #pushAudio(audio: ArrayBuffer, capturedAt: number | undefined): void {
    this.#queue.push({ audio, capturedAt });
    this.#queuedFrames += 1;
    this.audioAcceptedMs += this.#frameMs;
  }

  /**
   * Silence at the end of the queue has nothing left to say: leaving it out lets `terminate()`
   * finish without waiting for it to leave at real-time pace.
   */
  #dropTrailingSilence(): void {
    const queue = this.#queue;
    while (
      queue.length &&
      'audio' in queue.at(-1)! &&
      isSilent((queue.at(-1) as { audio: ArrayBuffer }).audio, this.#mulaw)
    ) {
      queue.pop();
      this.#queuedFrames -= 1;
    }
  }

  /** Drops the oldest audio beyond `maxQueueMs` (control messages stay). */
  #trim(): void {
    const limit = Math.floor((this.#options.maxQueueMs ?? 10_000) / this.#frameMs);
    let dropped = 0;
    while (this.#queuedFrames > limit) {
      const index = this.#queue.findIndex((item) => 'audio' in item);
      this.#queue.splice(index, 1);
      this.#queuedFrames -= 1;
      dropped += this.#frameMs;
    }
    if (dropped) {
      this.audioDroppedMs += dropped;
      this.emit('warning', {
        code: 'audio-dropped',
        message: `Dropped ${dropped} ms of audio: the connection is slower than real time or down.`,
        droppedMs: dropped,
      });
    }
  }

  #drain(): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== OPEN || (this.state !== 'open' && this.state !== 'terminating'))
      return;
    const highWater = this.#options.highWaterMark ?? this.#frameBytes * (1000 / this.#frameMs);
    const allowance = this.#options.pacingAllowanceMs ?? 250;
    while (this.#queue.length) {
      const item = this.#queue[0]!;
      if ('audio' in item) {
        if (ws.bufferedAmount > highWater) {
          const now = performance.now();
          this.#stalledSince ??= now;
          if (now - this.#stalledSince > (this.#options.stallTimeoutMs ?? 10_000)) {
            return this.#fail(
              new LiveTranscriptError(
                'network',
                'The connection stalled: nothing left the socket for too long; reconnecting.'
              )
            );
          }
          return this.#schedule(50);
        }
        this.#stalledSince = undefined;
        const ahead =
          this.audioSentMs + this.#frameMs - (performance.now() - this.#beganAt) - allowance;
        if (ahead > 0) return this.#schedule(ahead);
      }
      this.#queue.shift();
      try {
        if ('audio' in item) {
          ws.send(item.audio);
          this.#queuedFrames -= 1;
          this.audioSentMs += this.#frameMs;
          this.#options.onAudioSent?.({
            sentAt: performance.now(),
            capturedAt: item.capturedAt,
            audioSentMs: this.audioSentMs,
          });
        } else {
          ws.send(item.json);
          if (item.json.includes('"Terminate"')) this.#terminateSent = true;
        }
      } catch {
        return; // the socket is closing; its close event ends the session
      }
    }
  }

  #schedule(ms: number, run = () => this.#drain()): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        run();
      },
      Math.max(1, Math.ceil(ms))
    );
  }

  #handleMessage(data: unknown): void {
    const result = parseServerMessage(data);
    if (!result.ok) {
      this.emit('warning', {
        code: 'malformed-message',
        message: `Ignored a malformed server frame (${result.error}).`,
      });
      return;
    }
    const message = result.message;
    this.emit('message', message);
    switch (message.type) {
      case 'Begin': {
        if (!this.#connect) return;
        const begin = message as BeginMessage;
        const { resolve } = this.#connect;
        this.#connect = undefined;
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.id = begin.id;
        this.expiresAt = begin.expires_at ? begin.expires_at * 1000 : undefined;
        this.#beganAt = performance.now();
        this.state = 'open';
        resolve(begin);
        this.emit('begin', begin);
        this.#drain();
        return;
      }
      case 'Turn':
        return void this.emit('turn', message as TurnMessage);
      case 'SpeechStarted':
        return void this.emit('speech-started', message as SpeechStartedMessage);
      case 'Termination':
        this.#termination = message as TerminationMessage;
        return void this.emit('termination', this.#termination);
      case 'Warning':
        return void this.emit('warning', {
          code: 'server-warning',
          message: `AssemblyAI: ${this.#hide(String((message as { warning: string }).warning))}`,
        });
      case 'Error': {
        this.#errorFrame = message as ErrorMessage;
        // The server closes right after an Error frame; if it does not, end the session ourselves.
        clearTimeout(this.#errorTimer);
        this.#errorTimer = setTimeout(
          () => this.#handleClose(this.#errorFrame?.error_code ?? 3005, ''),
          1_000
        );
        return;
      }
    }
  }

  /** `text` from the server, without this session's token (a server may quote it). */
  #hide(text: string): string {
    const { token } = this.#options;
    return token ? text.split(token).join('[redacted]') : text;
  }

  #handleClose(code: number, text: string): void {
    if (this.state === 'closed') return;
    const beforeBegin = this.#connect !== undefined;
    const reason = this.#hide(text);
    const frame = this.#errorFrame?.error;
    let error = classifyClose({
      code,
      reason,
      error: frame === undefined ? frame : this.#hide(String(frame)),
      errorCode: this.#errorFrame?.error_code,
      beforeBegin,
    });
    if (!error && beforeBegin) {
      error = new LiveTranscriptError(
        'network',
        'The server closed the connection before the session began; retrying.',
        {
          closeCode: code,
        }
      );
    } else if (!error && !this.#terminateSent) {
      error = this.#termination
        ? new LiveTranscriptError(
            'session-expired',
            'AssemblyAI ended the session; a new session continues the transcript.',
            {
              closeCode: code,
            }
          )
        : new LiveTranscriptError(
            'server-error',
            'AssemblyAI closed the session without being asked to; reconnecting.',
            {
              closeCode: code,
            }
          );
    }
    this.#finish(code, reason, error);
  }

  #finish(code: number, reason: string, error: LiveTranscriptError | undefined): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    clearTimeout(this.#timer);
    clearTimeout(this.#errorTimer);
    this.#timer = undefined;
    this.#queue = [];
    this.#queuedFrames = 0;
    const ws = this.#ws;
    if (ws) {
      ws.onmessage = ws.onclose = null; // onerror stays: closing while connecting reports one
      if (ws.readyState <= OPEN) {
        try {
          ws.close(1000);
        } catch {
          /* already closing */
        }
      }
    }
    const connect = this.#connect;
    this.#connect = undefined;
    if (connect) connect.reject(error!);
    else if (error && wasOpen) this.emit('error', { error });
    const close: SessionClose = error ? { code, reason, error } : { code, reason };
    this.emit('close', close);
    this.#resolveClosed(close);
  }
}

/** True when no sample (16-bit, or mu-law decoded) reaches −60 dBFS. */
function isSilent(audio: ArrayBuffer, mulaw: boolean): boolean {
  const samples = mulaw ? new Uint8Array(audio) : new Int16Array(audio);
  for (let i = 0; i < samples.length; i++) {
    const sample = mulaw ? fromMulaw(samples[i]!) : samples[i]!;
    if (sample > 32 || sample < -32) return false;
  }
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
