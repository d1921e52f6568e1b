// SPDX-License-Identifier: MIT
// The audio a fake session receives, read the way the server reads it: bytes per sample of the
// session's encoding, linear samples (mu-law decoded), silence and frame identity.
import { bytesPerSample, fromMulaw } from '../audio/pcm.js';
import type { SessionConfig } from './fake-types.js';

/** The bytes of a binary frame, whatever view it came in. */
export function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

/** The audio duration of a frame, in ms: 1 byte per sample in mu-law, 2 in PCM16. */
export const durationMs = (bytes: Uint8Array, { encoding, sampleRate }: SessionConfig): number =>
  (bytes.length / bytesPerSample(encoding) / sampleRate) * 1000;

/** The frame as linear 16-bit samples: PCM16 LE as is, mu-law decoded (G.711). */
export function linearPcm(bytes: Uint8Array, encoding: SessionConfig['encoding']): Int16Array {
  if (encoding === 'pcm_mulaw') return Int16Array.from(bytes, fromMulaw);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int16Array.from({ length: bytes.length >> 1 }, (_, i) => view.getInt16(i * 2, true));
}

/** A frame whose samples all stay within ±0.1 % of full scale counts as silence. */
export const silent = (bytes: Uint8Array, encoding: SessionConfig['encoding']): boolean =>
  linearPcm(bytes, encoding).every((sample) => sample >= -32 && sample <= 32);

/** FNV-1a of the bytes, with the length: identifies a re-sent frame. */
export function frameKey(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return `${bytes.length}:${(hash >>> 0).toString(36)}`;
}
