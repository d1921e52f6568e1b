// SPDX-License-Identifier: MIT
// Helpers for the audio browser tests: frame collection, WAV decoding, cross-correlation,
// synthetic streams, and reversible stubs of browser APIs.
import type { AudioFrame, AudioSource, LiveTranscriptError } from '../../src/index.js';
import type { AudioCapture } from '../../src/audio/index.js';
import { engine } from '../../../../test-support/browser/engines.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every frame of `capture`, with `performance.now()` at its arrival. */
export function recordFrames(capture: AudioCapture) {
  const frames: (AudioFrame & { receivedAt: number })[] = [];
  capture.addEventListener('frame', ({ detail }) => {
    frames.push({ ...detail, receivedAt: performance.now() });
  });
  return frames;
}

/**
 * How far the count of `frames` is from 20 per second of audio clock between the first and the
 * last one (their `capturedAt` times come from the AudioContext clock, so a busy main thread
 * delivering them late does not matter).
 */
export function frameRateError(frames: { capturedAt: number }[], perSecond = 20): number {
  const seconds = (frames.at(-1)!.capturedAt - frames[0]!.capturedAt) / 1000;
  return Math.abs(frames.length - 1 - perSecond * seconds);
}

/** Resolves with the next event of `type` on `target` (rejects after `ms`). */
export function nextEvent<T extends Event>(target: EventTarget, type: string, ms = 5000) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${ms} ms`)), ms);
    target.addEventListener(
      type,
      (event) => {
        clearTimeout(timer);
        resolve(event as T);
      },
      { once: true }
    );
  });
}

/** Waits until `condition()` holds (polling), or throws after `ms`. */
export async function until(condition: () => boolean, ms = 5000, what = 'condition') {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The PCM of frames, as floats in [-1, 1]. */
export function framesToFloat(frames: { data: ArrayBuffer }[]): Float32Array {
  const out = new Float32Array(frames.reduce((n, f) => n + f.data.byteLength / 2, 0));
  let at = 0;
  for (const frame of frames) {
    const view = new DataView(frame.data);
    for (let i = 0; i < frame.data.byteLength; i += 2) out[at++] = view.getInt16(i, true) / 32767;
  }
  return out;
}

/** Decodes a mono 16-bit PCM WAV file. */
export async function fetchWav(url: string): Promise<{ rate: number; samples: Float32Array }> {
  const buffer = await (await fetch(url)).arrayBuffer();
  const view = new DataView(buffer);
  let rate = 0;
  for (let at = 12; at + 8 <= buffer.byteLength;) {
    const id = String.fromCharCode(...new Uint8Array(buffer, at, 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') rate = view.getUint32(at + 12, true);
    if (id === 'data') {
      const samples = new Float32Array(size / 2);
      for (let i = 0; i < samples.length; i++)
        samples[i] = view.getInt16(at + 8 + i * 2, true) / 32768;
      return { rate, samples };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${url} has no data chunk`);
}

/** Normalised cross-correlation of `a` against `b` shifted by `lag` (a[i] ~ b[i + lag]). */
function ncc(a: Float32Array, b: Float32Array, lag: number, step = 1): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  const from = Math.max(0, -lag);
  const to = Math.min(a.length, b.length - lag);
  for (let i = from; i < to; i += step) {
    const x = a[i]!;
    const y = b[i + lag]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa && bb ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * The best normalised cross-correlation of `captured` with `reference` over lags from
 * `minLag` to `maxLag` samples: a coarse search on 4× decimated signals, then every lag
 * around the best coarse one.
 */
export function bestCorrelation(
  captured: Float32Array,
  reference: Float32Array,
  minLag: number,
  maxLag: number
) {
  const decimate = (x: Float32Array) => {
    const out = new Float32Array(Math.floor(x.length / 4));
    for (let i = 0; i < out.length; i++)
      out[i] = x[4 * i]! + x[4 * i + 1]! + x[4 * i + 2]! + x[4 * i + 3]!;
    return out;
  };
  const a = decimate(captured);
  const b = decimate(reference);
  let coarse = 0;
  let best = -Infinity;
  for (let lag = Math.floor(minLag / 4); lag <= Math.ceil(maxLag / 4); lag++) {
    const value = ncc(a, b, lag);
    if (value > best) [best, coarse] = [value, lag * 4];
  }
  let result = { lag: coarse, value: -Infinity };
  for (let lag = coarse - 8; lag <= coarse + 8; lag++) {
    const value = ncc(captured, reference, lag);
    if (value > result.value) result = { lag, value };
  }
  return result;
}

/**
 * How well `captured` (16 kHz, from the start of a capture of the speech fixture) matches the
 * fixture `reference`: the best normalised cross-correlation at lags of -200..500 ms.
 *
 * Firefox's microphone here is a pipe that PulseAudio reads and a writer thread fills: a busy CI
 * machine can starve the writer, and one gap shifts everything after it. There the best second of
 * the capture counts too; a wrong rate, a broken resampler or a wrong decoding spoils every second
 * alike.
 */
export function speechCorrelation(captured: Float32Array, reference: Float32Array) {
  let { lag, value } = bestCorrelation(captured, reference, -3200, 8000);
  if (engine() === 'firefox') {
    for (let at = 8000; at + 16000 <= captured.length; at += 8000) {
      const second = bestCorrelation(
        captured.subarray(at, at + 16000),
        reference,
        at - 3200,
        at + 8000
      );
      if (second.value > value) ({ lag, value } = { lag: second.lag - at, value: second.value });
    }
  }
  return { lag, value };
}

/** A MediaStream carrying a sine (or silence with `amplitude` 0) from its own AudioContext. */
export function toneStream(frequency: number, amplitude: number) {
  const context = new AudioContext();
  const destination = context.createMediaStreamDestination();
  const oscillator = new OscillatorNode(context, { frequency });
  const gain = new GainNode(context, { gain: amplitude });
  oscillator.connect(gain).connect(destination);
  oscillator.start();
  // (a context made outside a user gesture may start suspended, as WebKit's can)
  void context.resume();
  return { stream: destination.stream, close: () => context.close() };
}

/**
 * A sine made in the capture's own AudioContext (an `AudioSource`): no stream between two
 * contexts, so no dropout when the machine is busy.
 */
export function toneSource(frequency: number, amplitude: number): AudioSource {
  let oscillator: OscillatorNode | undefined;
  return {
    kind: 'tone',
    open(context) {
      oscillator = new OscillatorNode(context, { frequency });
      oscillator.start();
      return Promise.resolve(oscillator.connect(new GainNode(context, { gain: amplitude })));
    },
    close() {
      oscillator?.stop();
    },
  };
}

/** Replaces `object[key]` until the returned function is called. */
export function stub<T extends object, K extends keyof T>(object: T, key: K, value: T[K]) {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  Object.defineProperty(object, key, { value, configurable: true, writable: true });
  return () => {
    if (descriptor) Object.defineProperty(object, key, descriptor);
    else delete object[key];
  };
}

/** A `getUserMedia` that fails with a DOMException of `name`. */
export function failingGetUserMedia(name: string) {
  return () => Promise.reject(new DOMException(`simulated ${name}`, name));
}

/**
 * The speech fixture as an `AudioSource` in the capture's own context (every engine, no stream
 * between contexts), scaled by `gain` and hard-clipped at full scale as an overdriven converter
 * clips: `gain` 4 is a microphone set far too loud, 10^(-45/20) one set far too low.
 */
export function fixtureSource(gain = 1, url = '/fixtures/speech-48k.wav'): AudioSource {
  let node: AudioBufferSourceNode | undefined;
  return {
    kind: 'microphone',
    async open(context) {
      const buffer = await context.decodeAudioData(await (await fetch(url)).arrayBuffer());
      for (let c = 0; c < buffer.numberOfChannels; c++) {
        const data = buffer.getChannelData(c);
        for (let i = 0; i < data.length; i++) data[i] = Math.max(-1, Math.min(1, data[i]! * gain));
      }
      node = new AudioBufferSourceNode(context, { buffer });
      node.start();
      return node;
    },
    close() {
      node?.stop();
    },
  };
}

/** The error `promise` rejects with; throws if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<LiveTranscriptError> {
  try {
    await promise;
  } catch (error) {
    return error as LiveTranscriptError;
  }
  throw new Error('it resolved');
}

/**
 * A suite's capture and stubs: after each test the capture is stopped and the stubs undone (last
 * first). Set `suite.capture`, push undo functions to `suite.restore`.
 */
export function captureSuite() {
  const suite = { capture: undefined as AudioCapture | undefined, restore: [] as (() => void)[] };
  afterEach(async () => {
    await suite.capture?.stop();
    suite.capture = undefined;
    for (const undo of suite.restore.splice(0).reverse()) undo();
  });
  return suite;
}

/**
 * A WebSocket class that keeps a copy of every binary frame it sends, with the time it was sent
 * (`performance.now()`).
 */
export function recordingSocket() {
  const audio: { data: ArrayBuffer; at: number }[] = [];
  class RecordingWebSocket extends WebSocket {
    override send(data: Parameters<WebSocket['send']>[0]): void {
      const at = performance.now();
      if (data instanceof ArrayBuffer) audio.push({ data: data.slice(0), at });
      else if (ArrayBuffer.isView(data)) {
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        audio.push({ data: bytes.slice().buffer, at });
      }
      super.send(data);
    }
  }
  return { WebSocket: RecordingWebSocket, audio };
}
