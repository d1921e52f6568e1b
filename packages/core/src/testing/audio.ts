// SPDX-License-Identifier: MIT
// Synthetic and recorded audio for tests: PCM16 tones and silence, framing, real-time pacing,
// and a WAV decoder. Platform-neutral (no Node or DOM imports).
import { LiveTranscriptError } from '../errors.js';

const samplesFor = (ms: number, sampleRate: number) => Math.round((ms * sampleRate) / 1000);

/**
 * A sine tone as 16-bit PCM. The fake server's speech detector hears it as speech.
 *
 * @example
 * ```ts
 * const speech = pcm16Tone(1200, 220);        // 1.2 s at 16 kHz
 * const pause = pcm16Silence(600);
 * ```
 */
export function pcm16Tone(
  ms: number,
  hz = 440,
  sampleRate = 16000,
  amplitude = 0.5
): Int16Array<ArrayBuffer> {
  const out = new Int16Array(samplesFor(ms, sampleRate));
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  }
  return out;
}

/** Digital silence as 16-bit PCM. */
export function pcm16Silence(ms: number, sampleRate = 16000): Int16Array<ArrayBuffer> {
  return new Int16Array(samplesFor(ms, sampleRate));
}

/** Float samples in [-1, 1] to 16-bit PCM (clamped, as the AudioWorklet encoder does). */
export function floatToPcm16(samples: Float32Array): Int16Array<ArrayBuffer> {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const x = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = x < 0 ? x * 0x8000 : x * 0x7fff;
  }
  return out;
}

/** Joins PCM chunks into one array. */
export function concatPcm16(...chunks: Int16Array[]): Int16Array<ArrayBuffer> {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Cuts PCM into frames of `frameMs`. The last frame is padded with silence to a full frame
 * (a short tail would break the 50 ms minimum), unless `pad` is false.
 */
export function splitFrames(
  pcm: Int16Array,
  frameMs = 50,
  sampleRate = 16000,
  pad = true
): Int16Array<ArrayBuffer>[] {
  const size = samplesFor(frameMs, sampleRate);
  const frames: Int16Array<ArrayBuffer>[] = [];
  for (let i = 0; i < pcm.length; i += size) {
    const frame = pcm.subarray(i, i + size);
    if (frame.length === size || !pad) frames.push(frame.slice());
    else {
      const padded = new Int16Array(size);
      padded.set(frame);
      frames.push(padded);
    }
  }
  return frames;
}

export interface SendPacedOptions {
  sampleRate?: number;
  /** Duration of each frame (default 50 ms). */
  frameMs?: number;
  /** 1 = real time (default); 3 sends three times faster than real time. */
  speed?: number;
  signal?: AbortSignal;
}

/**
 * Sends PCM in frames at the pace of real time (frame `i` goes out `i × frameMs / speed` ms after
 * the first, without drift). Resolves with the number of frames sent; stops early, without
 * throwing, when `send` throws or `signal` aborts.
 *
 * @example
 * ```ts
 * await sendPaced(pcm16Tone(1000), (frame) => socket.send(frame), { frameMs: 100 });
 * ```
 */
export async function sendPaced(
  pcm: Int16Array,
  send: (frame: Int16Array<ArrayBuffer>) => void,
  { sampleRate = 16000, frameMs = 50, speed = 1, signal }: SendPacedOptions = {}
): Promise<number> {
  const frames = splitFrames(pcm, frameMs, sampleRate);
  const start = Date.now();
  for (let i = 0; i < frames.length; i++) {
    const wait = start + (i * frameMs) / speed - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (signal?.aborted) return i;
    try {
      send(frames[i]!);
    } catch {
      return i;
    }
  }
  return frames.length;
}

/** A decoded WAV file. */
export interface DecodedWav {
  sampleRate: number;
  /** Channels in the file; `samples` is their average (mono). */
  channels: number;
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
}

/**
 * Decodes a RIFF/WAVE file with integer PCM (8, 16, 24, 32 bit) or 32-bit float samples,
 * including `WAVE_FORMAT_EXTENSIBLE`. Multichannel audio is averaged to mono.
 *
 * @example
 * ```ts
 * const wav = decodeWav(await (await fetch('/fixtures/speech-16k.wav')).arrayBuffer());
 * const pcm = floatToPcm16(wav.samples);
 * ```
 */
export function decodeWav(data: ArrayBuffer | ArrayBufferView): DecodedWav {
  const view = ArrayBuffer.isView(data)
    ? new DataView(data.buffer, data.byteOffset, data.byteLength)
    : new DataView(data);
  const text = (at: number) =>
    String.fromCharCode(...Array.from({ length: 4 }, (_, i) => view.getUint8(at + i)));
  const fail = (why: string): never => {
    throw new LiveTranscriptError(
      'invalid-option',
      `decodeWav: ${why}. Pass a PCM or float WAV file.`
    );
  };
  if (view.byteLength < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE')
    fail('not a RIFF/WAVE file');
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let body: DataView | undefined;
  for (let at = 12; at + 8 <= view.byteLength;) {
    const id = text(at);
    const size = view.getUint32(at + 4, true);
    const start = at + 8;
    if (id === 'fmt ') {
      format = view.getUint16(start, true);
      channels = view.getUint16(start + 2, true);
      sampleRate = view.getUint32(start + 4, true);
      bits = view.getUint16(start + 14, true);
      if (format === 0xfffe && size >= 26) format = view.getUint16(start + 24, true);
    } else if (id === 'data') {
      body = new DataView(
        view.buffer,
        view.byteOffset + start,
        Math.min(size, view.byteLength - start)
      );
    }
    at = start + size + (size & 1);
  }
  if (!body || !channels || !sampleRate) fail('missing fmt or data chunk');
  const bytes = bits / 8;
  const read: ((at: number) => number) | undefined =
    format === 3 && bits === 32
      ? (at) => body!.getFloat32(at, true)
      : format !== 1
        ? undefined
        : bits === 8
          ? (at) => (body!.getUint8(at) - 128) / 128
          : bits === 16
            ? (at) => body!.getInt16(at, true) / 32768
            : bits === 24
              ? (at) =>
                  ((body!.getUint8(at + 2) << 24) | (body!.getUint16(at, true) << 8)) / 2 ** 31
              : bits === 32
                ? (at) => body!.getInt32(at, true) / 2 ** 31
                : undefined;
  if (!read) fail(`unsupported sample format ${format} with ${bits} bits`);
  const frames = Math.floor(body!.byteLength / (bytes * channels));
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read!((i * channels + c) * bytes);
    samples[i] = sum / channels;
  }
  return { sampleRate, channels, samples };
}
