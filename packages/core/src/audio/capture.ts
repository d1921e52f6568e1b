// SPDX-License-Identifier: MIT
import { checkOptions } from '../options.js';
import { LiveTranscriptError } from '../errors.js';
import { TypedEventTarget } from '../events.js';
import {
  CAPTURE_PROCESSOR,
  type CaptureCommand,
  type CaptureProcessorOptions,
  type FrameMessage,
} from './pcm.js';
import { AudioHealth, type AudioWarningCode } from './health.js';
import { recordMediaFrame, resetMediaClock } from './media-clock.js';
import { unsupported } from './devices.js';
import {
  displaySource,
  elementSource,
  microphoneSource,
  streamSource,
  type AudioSource,
  type MicrophoneConstraints,
} from './sources.js';

/** One frame of captured audio, ready to send. */
export interface AudioFrame {
  /**
   * Exactly `frameMs` of mono audio at the target rate, in the capture's `encoding`: PCM16 LE
   * (2 bytes per sample) or G.711 mu-law (1 byte per sample). Transferred, owned by the receiver.
   */
  data: ArrayBuffer;
  /** 0, 1, 2, ... per capture (continues across pause and source switches). */
  seq: number;
  /** Target-rate samples emitted before this frame since the capture started. */
  sampleOffset: number;
  /** Levels of the frame in dBFS (floor -100; a full-scale sine reads -3.01 RMS), before encoding. */
  rms: number;
  peak: number;
  /** Samples at or over full scale (|x| >= 0.999) before clamping. */
  clipped: number;
  /** `performance.now()` estimate of when the frame's last sample was captured. */
  capturedAt: number;
}

/**
 * `detail` of a `warning` event: the capture goes on, but something needs attention. `message`
 * says what happened and what to do. See {@link AudioWarningCode} for the codes.
 */
export interface AudioCaptureWarning {
  code: AudioWarningCode | (string & {});
  message: string;
}

/** `detail` of a `device-change` event. */
export interface AudioDeviceInfo {
  deviceId: string;
  label: string;
}

/**
 * What to capture; see {@link AudioCapture}. `'display'` is the audio of a tab or screen the user
 * shares ({@link displaySource}).
 */
export type AudioSourceInput =
  'microphone' | 'display' | MediaStream | HTMLMediaElement | AudioSource;

/** Options of {@link AudioCapture}; all optional. */
export interface AudioCaptureOptions {
  /** Default `'microphone'`. */
  source?: AudioSourceInput;
  /** Microphone constraints, merged over {@link MICROPHONE_DEFAULTS}. */
  microphone?: MicrophoneConstraints;
  /**
   * URL of `@live-transcript/core/capture-worklet.js` served by your site: the way to go under a
   * Content-Security-Policy without `blob:` in `script-src`. Tried first.
   */
  workletUrl?: string | URL;
  /** Frame duration in ms, 50..1000. Default 50. */
  frameMs?: number;
  /** Target sample rate in Hz, 8000..48000. Default 16000. */
  sampleRate?: number;
  /**
   * Sample format of the frames: `'pcm_s16le'` (default, 16-bit little endian) or `'pcm_mulaw'`
   * (G.711 mu-law: 8 bits per sample, half the bytes, at a small cost in fidelity). Typed as
   * the session's `encoding` option; any other value is an `invalid-option`.
   */
  encoding?: 'pcm_s16le' | 'pcm_mulaw' | (string & {});
  /**
   * When the microphone goes away (unplugged, `ended`) or the system default changes:
   * `'follow-default'` (default) switches to the default microphone without a gap in the
   * frames; `'stop'` stops with a `microphone-not-found` error.
   */
  devicePolicy?: 'follow-default' | 'stop';
}

/**
 * What a caller prepared inside the user gesture, for a `start()` that comes later (after a
 * chunk loaded): the capture takes both over (it closes the context when it stops).
 */
export interface CapturePrepared {
  /** An AudioContext created (and resumed) in the gesture. */
  context?: AudioContext | undefined;
  /** `getUserMedia()` already called with the capture's microphone constraints. */
  microphone?: Promise<MediaStream> | undefined;
}

/** Events of {@link AudioCapture} and their `detail`. */
export interface AudioCaptureEvents {
  frame: AudioFrame;
  warning: AudioCaptureWarning;
  /** Fatal: the capture has stopped. */
  error: { error: LiveTranscriptError };
  'device-change': AudioDeviceInfo;
}

/**
 * How long start() waits for a suspended AudioContext to run: briefly when the autoplay policy
 * may be what holds it, longer when it cannot be (start() runs in a user gesture, or the browser
 * says audio may start), since a slow audio device or a Bluetooth headset switching profiles can
 * take seconds.
 */
const RESUME_TIMEOUT_MS = 2000;
const SLOW_RESUME_TIMEOUT_MS = 10_000;
const FLUSH_TIMEOUT_MS = 1000;
/** A track label of a Bluetooth headset: its microphone only works in call mode (narrowband). */
const BLUETOOTH = /bluetooth|hands-?free|\bhfp\b|\bhsp\b|head ?unit|airpods/i;

/** Whether the browser lets an AudioContext start now (Firefox says so; others: a gesture). */
function audioAllowed(): boolean {
  const nav = navigator as Navigator & { getAutoplayPolicy?(type: 'audiocontext'): string };
  return (
    nav.getAutoplayPolicy?.('audiocontext') === 'allowed' || nav.userActivation?.isActive === true
  );
}

const aborted = () => new LiveTranscriptError('aborted', 'Audio capture was stopped.');
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function toSource(
  input: AudioSourceInput,
  microphone: MicrophoneConstraints,
  opening?: Promise<MediaStream>
): AudioSource {
  if (input === 'microphone') return microphoneSource(microphone, opening);
  if (input === 'display') return displaySource();
  if (globalThis.MediaStream && input instanceof MediaStream) return streamSource(input);
  if (globalThis.HTMLMediaElement && input instanceof HTMLMediaElement) return elementSource(input);
  if (typeof (input as AudioSource)?.open === 'function') return input as AudioSource;
  throw new LiveTranscriptError(
    'invalid-option',
    "The audio source must be 'microphone', 'display', a MediaStream, an HTMLMediaElement or an AudioSource."
  );
}

/** Contexts with the capture processor registered. */
const workletContexts = new WeakSet<BaseAudioContext>();

/**
 * Loads the capture processor: the caller's `workletUrl`, the file next to this package, a Blob
 * URL and a `data:` URL of the same code, in that order.
 */
async function loadWorklet(context: AudioContext, workletUrl?: string | URL): Promise<void> {
  // A source's own context (a media element's) outlives a capture: load the processor once.
  if (workletContexts.has(context)) return;
  let cause: unknown;
  const load = async (url: string | URL) => {
    try {
      await context.audioWorklet.addModule(url);
      workletContexts.add(context);
      return true;
    } catch (error) {
      cause = error;
      return false;
    }
  };
  if (workletUrl && (await load(workletUrl))) return;
  if (await load(new URL('../capture-worklet.js', import.meta.url))) return;
  const { default: code } = await import('./worklet-code.js').catch((error) => {
    throw workletError(error);
  });
  const blob = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const loaded = await load(blob);
  URL.revokeObjectURL(blob);
  if (loaded || (await load(`data:text/javascript,${encodeURIComponent(code)}`))) return;
  throw workletError(cause);
}

const workletError = (cause: unknown) =>
  new LiveTranscriptError(
    'worklet-load-failed',
    "Could not load the audio worklet. Under a Content-Security-Policy, serve @live-transcript/core/capture-worklet.js from your site and pass its URL as workletUrl (script-src 'self'), or add blob: to script-src.",
    { cause }
  );

/**
 * The microphone pipeline: captures a source at the device's native rate, and emits `frame`
 * events of exactly `frameMs` of 16 kHz mono PCM16 (little endian; or G.711 mu-law with
 * `encoding: 'pcm_mulaw'`), resampled, converted and metered in an AudioWorklet. Nothing touches browser globals before `start()`.
 *
 * Events (`LiveTranscriptEvent`s, i.e. `CustomEvent`s): `frame` ({@link AudioFrame}), `warning`
 * ({@link AudioCaptureWarning}, once per episode: `clipping`, `too-quiet`, `silence`,
 * `no-frames`, `low-bandwidth-input`, `track-muted`, `device-lost`), `error` (`{ error }`, fatal;
 * the capture has stopped), `device-change` ({@link AudioDeviceInfo}, after every switch).
 *
 * @example
 * ```ts
 * const capture = new AudioCapture({ microphone: { deviceId } });
 * capture.addEventListener('frame', ({ detail }) => socket.send(detail.data));
 * button.onclick = () => capture.start().catch(showError); // from a user gesture
 * // ...
 * await capture.stop(); // the last frame is padded and emitted, then the mic is released
 * ```
 */
export class AudioCapture extends TypedEventTarget<AudioCaptureEvents> {
  /** Target sample rate in Hz. */
  readonly sampleRate: number;
  /** Frame duration in ms. */
  readonly frameMs: number;
  /** Sample format of the frames. */
  readonly encoding: 'pcm_s16le' | 'pcm_mulaw';
  #options: AudioCaptureOptions;
  #frameSamples: number;
  #state: 'idle' | 'starting' | 'running' | 'paused' | 'stopping' = 'idle';
  #context?: AudioContext | undefined;
  /** Whether the capture made its context (and closes it), or the source lent its own. */
  #ownContext = true;
  #node?: AudioWorkletNode | undefined;
  #source?: AudioSource | undefined;
  #input?: AudioNode | undefined;
  #starting?: Promise<void> | undefined;
  #stopping?: Promise<void> | undefined;
  /** Aborts a pending start. */
  #abort?: AbortController | undefined;
  /** Removes the listeners of the current source; aborted on switch and stop. */
  #watch?: AbortController | undefined;
  /** The requested microphone, undefined for the default one. */
  #deviceId?: string | undefined;
  #defaultDevice?: string | undefined;
  #held: AudioFrame[] = [];
  #flushed?: (() => void) | undefined;
  #timer?: ReturnType<typeof setInterval>;
  #lastFrameAt = 0;
  #health: AudioHealth;

  /**
   * @throws {LiveTranscriptError} `invalid-option` for a bad `frameMs`, `sampleRate`, `encoding`
   *   or policy.
   */
  constructor(options: AudioCaptureOptions = {}) {
    super();
    const {
      frameMs = 50,
      sampleRate = 16000,
      encoding = 'pcm_s16le',
      devicePolicy = 'follow-default',
    } = options;
    checkOptions({ frameMs, sampleRate, encoding, devicePolicy });
    this.#options = options;
    this.frameMs = frameMs;
    this.sampleRate = sampleRate;
    this.encoding = encoding === 'pcm_mulaw' ? 'pcm_mulaw' : 'pcm_s16le';
    // Round up: a frame never holds less than frameMs (AssemblyAI rejects < 50 ms).
    this.#frameSamples = Math.ceil((sampleRate * frameMs) / 1000);
    this.#health = new AudioHealth({
      frameMs: (this.#frameSamples * 1000) / sampleRate,
      onWarning: (code, message) => this.emit('warning', { code, message }),
    });
  }

  /** The AudioContext's (native) sample rate while capturing. */
  get contextSampleRate(): number | undefined {
    return this.#context?.sampleRate;
  }

  /** The AudioContext while capturing (for meters or visualisers on the same graph). */
  get context(): AudioContext | undefined {
    return this.#context;
  }

  /** The source being captured. */
  get source(): AudioSource | undefined {
    return this.#source;
  }

  /** `idle`, `starting`, `running`, `paused` or `stopping`. */
  get state(): 'idle' | 'starting' | 'running' | 'paused' | 'stopping' {
    return this.#state;
  }

  /**
   * Starts capturing. Call it from a user gesture (a click handler): it creates and resumes the
   * AudioContext synchronously, then opens the source and loads the worklet in parallel.
   * Resolves when audio flows; a second call while starting or running changes nothing.
   *
   * @throws {LiveTranscriptError} `microphone-denied`, `microphone-not-found`,
   *   `microphone-busy`, `microphone-unsupported`, `audio-context-blocked`,
   *   `worklet-load-failed`, `invalid-option`, or `aborted` (by `signal` or `stop()`).
   */
  start(signal?: AbortSignal, prepared: CapturePrepared = {}): Promise<void> {
    if (this.#state === 'stopping') {
      return this.#stopping!.then(() => this.start(signal, prepared));
    }
    if (this.#state === 'idle') {
      this.#state = 'starting';
      this.#starting = this.#start(signal, prepared).finally(() => (this.#starting = undefined));
    }
    return this.#starting ?? Promise.resolve();
  }

  async #start(signal: AbortSignal | undefined, prepared: CapturePrepared): Promise<void> {
    const abort = (this.#abort = new AbortController());
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      if (signal?.aborted) throw aborted();
      this.#deviceId = this.#options.microphone?.deviceId;
      const source = (this.#source = toSource(
        this.#options.source ?? 'microphone',
        this.#mic(),
        prepared.microphone
      ));
      if (source.media) resetMediaClock(source.media);
      if (!globalThis.AudioWorkletNode) throw unsupported();
      // Synchronous, before any await: iOS/Safari only start audio inside the user gesture. A
      // media element plays through a context of its own: the one prepared is not needed.
      const own = source.audioContext?.();
      this.#ownContext = !own;
      if (own) void prepared.context?.close().catch(() => undefined);
      const context = (this.#context = own ?? prepared.context ?? new AudioContext());
      const resumed = context.resume().catch(() => {});
      const allowed = audioAllowed();
      const [input] = await abortable(
        Promise.all([source.open(context), loadWorklet(context, this.#options.workletUrl)]),
        abort.signal
      );
      try {
        this.#node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
          numberOfOutputs: 0,
          channelCount: 1,
          channelCountMode: 'explicit',
          processorOptions: {
            targetRate: this.sampleRate,
            frameSamples: this.#frameSamples,
            encoding: this.encoding,
          } satisfies CaptureProcessorOptions,
        });
      } catch (error) {
        throw workletError(error);
      }
      this.#node.port.onmessage = ({ data }: MessageEvent<FrameMessage | 'flushed'>) =>
        this.#receive(data);
      (this.#input = input).connect(this.#node);
      const timeout = allowed ? SLOW_RESUME_TIMEOUT_MS : RESUME_TIMEOUT_MS;
      await abortable(Promise.race([resumed, delay(timeout)]), abort.signal);
      if (context.state !== 'running') {
        throw new LiveTranscriptError(
          'audio-context-blocked',
          allowed
            ? `Audio did not start within ${timeout / 1000} s: check the sound output device, then try again.`
            : 'The browser keeps audio suspended: call start() from a click or key handler.'
        );
      }
      this.#state = 'running';
      this.#lastFrameAt = performance.now();
      this.#timer = setInterval(() => this.#checkFrames(), 250);
      this.#watchSource(source);
    } catch (error) {
      await this.#teardown();
      throw abort.signal.aborted
        ? aborted()
        : error instanceof LiveTranscriptError
          ? error
          : unsupported(error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops emitting frames and mutes the microphone; {@link resume} continues the sequence. */
  pause(): void {
    if (this.#state === 'running') this.#pause(true);
  }

  /** Resumes after {@link pause}: `seq` and `sampleOffset` continue where they were. */
  resume(): void {
    if (this.#state === 'paused') this.#pause(false);
  }

  #pause(paused: boolean): void {
    this.#state = paused ? 'paused' : 'running';
    this.#node!.port.postMessage((paused ? 'pause' : 'resume') satisfies CaptureCommand);
    this.#mute();
    this.#lastFrameAt = performance.now();
    if (!paused) this.#release();
  }

  /**
   * Stops: the last partial frame is padded with zeros and emitted, then the source is released
   * and the AudioContext closed. Aborts a pending `start()`. Idempotent.
   */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#stop().finally(() => (this.#stopping = undefined)));
  }

  async #stop(): Promise<void> {
    if (this.#state === 'starting') {
      this.#abort!.abort();
      await this.#starting!.catch(() => {});
    } else if (this.#state !== 'idle') {
      this.#state = 'stopping';
      this.#release();
      await new Promise<void>((resolve) => {
        this.#flushed = resolve;
        this.#node!.port.postMessage('flush' satisfies CaptureCommand);
        setTimeout(resolve, FLUSH_TIMEOUT_MS);
      });
      await this.#teardown();
    }
  }

  /**
   * Switches what is captured without interrupting the frames (same worklet, same resampler):
   * `switchSource('microphone', { deviceId })` picks another microphone. The old source is
   * released once the new one is connected.
   *
   * @throws {LiveTranscriptError} the `microphone-*` errors of {@link start} (the capture
   *   continues with the old source), `invalid-option` when not capturing.
   */
  switchSource(
    input: AudioSourceInput = 'microphone',
    microphone?: MicrophoneConstraints
  ): Promise<void> {
    return this.#switch(input, microphone);
  }

  /** {@link switchSource}; `lost` names a device that went away (a `device-lost` warning). */
  async #switch(
    input: AudioSourceInput,
    microphone?: MicrophoneConstraints,
    lost?: string
  ): Promise<void> {
    const node = this.#node;
    if (!node || !this.#live()) {
      throw new LiveTranscriptError('invalid-option', 'Call start() before switchSource().');
    }
    const constraints = { ...this.#mic(), ...microphone };
    const source = toSource(input, constraints);
    if (source.media) resetMediaClock(source.media);
    const connected = await source.open(this.#context!);
    if (this.#node !== node || !this.#live()) {
      source.close();
      throw aborted();
    }
    connected.connect(node);
    this.#input!.disconnect();
    this.#source!.close();
    this.#input = connected;
    this.#source = source;
    this.#deviceId = input === 'microphone' ? constraints.deviceId : undefined;
    this.#mute();
    this.#watchSource(source);
    const track = source.track;
    if (lost !== undefined) {
      const now = track?.label ? `"${track.label}"` : 'the default microphone';
      this.#health.clear('device-lost');
      this.#health.raise(
        'device-lost',
        `The microphone ${lost} was disconnected: now using ${now}. Pick another one if that is not right.`
      );
    }
    this.emit('device-change', {
      deviceId: track?.getSettings().deviceId ?? '',
      label: track?.label ?? '',
    });
  }

  #live(): boolean {
    return this.#state === 'running' || this.#state === 'paused';
  }

  #mic(): MicrophoneConstraints {
    return { ...this.#options.microphone, deviceId: this.#deviceId } as MicrophoneConstraints;
  }

  /** Mutes our own microphone while paused. */
  #mute(): void {
    const track = this.#source?.track;
    if (track && this.#source!.kind === 'microphone') track.enabled = this.#state !== 'paused';
  }

  /** Delivers the frames held back during a pause. */
  #release(): void {
    for (const frame of this.#held.splice(0)) this.emit('frame', frame);
  }

  #receive(message: FrameMessage | 'flushed'): void {
    if (message === 'flushed') return this.#flushed?.();
    if (!this.#context) return;
    const { time, ...rest } = message;
    const frame: AudioFrame = {
      ...rest,
      capturedAt: performance.now() - (this.#context.currentTime - time) * 1000,
    };
    this.#lastFrameAt = performance.now();
    this.#health.clear('no-frames');
    const media = this.#source?.media;
    if (media) {
      const ms = 1000 / this.sampleRate;
      recordMediaFrame(
        media,
        (frame.sampleOffset + this.#frameSamples) * ms,
        frame.capturedAt,
        this.#frameSamples * ms
      );
    }
    // A media element that does not play (paused, seeking, loading) gives silence: not a fault.
    if (!media || (!media.paused && !media.seeking && media.readyState > 2)) {
      this.#health.frame(frame);
    }
    if (this.#state === 'paused') this.#held.push(frame);
    else this.emit('frame', frame);
  }

  #checkFrames(): void {
    const context = this.#context!;
    if (this.#state === 'running' && performance.now() - this.#lastFrameAt > this.frameMs + 500) {
      context.resume().catch(() => {});
      this.#health.raise(
        'no-frames',
        `No audio for ${this.frameMs + 500} ms (the audio context is ${context.state}): resuming it. If captions stop, start again.`
      );
    }
  }

  #watchSource(source: AudioSource): void {
    this.#watch?.abort();
    const { signal } = (this.#watch = new AbortController());
    const track = source.track;
    const on = (target: EventTarget, type: string, listener: () => unknown) =>
      target.addEventListener(type, listener, { signal });
    const health = this.#health;
    health.kind = source.kind;
    health.clear('track-muted');
    health.clear('low-bandwidth-input');
    if (!track) return;
    on(track, 'ended', () => this.#lost());
    on(track, 'mute', () => health.raise('track-muted'));
    on(track, 'unmute', () => health.clear('track-muted'));
    if (track.muted) health.raise('track-muted');
    const narrowband = lowBandwidth(track, source.kind);
    if (narrowband) health.raise('low-bandwidth-input', narrowband);
    const devices = navigator.mediaDevices;
    if (source.kind !== 'microphone' || !devices?.enumerateDevices) return;
    /** The device list, and a key of the system default microphone. */
    const list = async () => {
      const inputs = (await devices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
      const device = inputs.find((d) => d.deviceId === 'default') ?? inputs[0];
      return [inputs, device && (device.groupId || device.deviceId)] as const;
    };
    list().then(
      ([, key]) => (this.#defaultDevice = key),
      () => {}
    );
    on(devices, 'devicechange', async () => {
      const [inputs, key] = await list().catch(() => [[], this.#defaultDevice] as const);
      const id = track.getSettings().deviceId;
      const changed = key !== this.#defaultDevice;
      this.#defaultDevice = key;
      if (signal.aborted) return;
      if (track.readyState === 'ended' || (id && !inputs.some((d) => d.deviceId === id))) {
        this.#lost();
      } else if (changed && !this.#deviceId && this.#options.devicePolicy !== 'stop') {
        this.switchSource().catch((error) => this.#fail(error));
      }
    });
  }

  /**
   * The source's track ended or its device went away: under `follow-default`, a microphone is
   * replaced by the default one (with a `device-lost` warning); anything else stops.
   */
  #lost(): void {
    this.#watch!.abort();
    const { kind, track } = this.#source!;
    if (kind === 'microphone' && this.#options.devicePolicy !== 'stop') {
      this.#deviceId = undefined;
      const lost = track?.label ? `"${track.label}"` : 'in use';
      this.#switch('microphone', undefined, lost).catch((error) => this.#fail(error));
    } else {
      this.#fail(
        new LiveTranscriptError(
          'microphone-not-found',
          kind === 'display'
            ? 'Sharing stopped: share the tab again (with "Share tab audio" ticked) to continue.'
            : 'The audio input went away: connect a microphone and start again.'
        )
      );
    }
  }

  async #fail(error: LiveTranscriptError): Promise<void> {
    if (!this.#live()) return;
    await this.stop();
    this.emit('error', { error });
  }

  async #teardown(): Promise<void> {
    clearInterval(this.#timer);
    this.#watch?.abort();
    if (this.#node) this.#node.port.onmessage = null;
    this.#input?.disconnect();
    this.#node?.disconnect();
    this.#source?.close();
    // A source's own context stays open (a media element plays on through it): end the
    // processor there (a stop has flushed it already; a failed start has not).
    if (!this.#ownContext) this.#node?.port.postMessage('flush' satisfies CaptureCommand);
    const context = this.#ownContext ? this.#context : undefined;
    this.#context = this.#node = this.#input = this.#source = this.#flushed = undefined;
    this.#held = [];
    this.#health.reset();
    this.#state = 'idle';
    await context?.close().catch(() => {});
  }
}

/**
 * Why `track` gives narrowband audio, if it does: a Bluetooth headset's microphone (only usable
 * in call mode, 8 or 16 kHz), or a track below 32 kHz.
 */
function lowBandwidth(track: MediaStreamTrack, kind: string): string | undefined {
  const rate = track.getSettings().sampleRate;
  const advice = 'a built-in or wired microphone will be more accurate.';
  if (kind === 'microphone' && BLUETOOTH.test(track.label)) {
    return `"${track.label}" is a Bluetooth headset: its microphone works in call mode, with narrowband audio. For better captions, ${advice}`;
  }
  if (rate && rate < 32000) {
    return `The input runs at ${rate / 1000} kHz (a Bluetooth headset in call mode?), which costs accuracy: ${advice}`;
  }
  return undefined;
}
