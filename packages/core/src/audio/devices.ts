// SPDX-License-Identifier: MIT
// The microphone list and permission, apart from the capture: a device picker loads them with
// the page (`@live-transcript/core/binding`), before any capture code.
import { LiveTranscriptError } from '../errors.js';

/** `microphone-unsupported`: no getUserMedia (old browser, or not https). */
export const unsupported = (cause?: unknown): LiveTranscriptError =>
  new LiveTranscriptError(
    'microphone-unsupported',
    'Microphone capture needs https and a browser with getUserMedia.',
    { cause }
  );

/**
 * The audio inputs (`kind: 'audioinput'`). Labels are empty until the user has granted the
 * microphone once; with `{ prompt: true }` the function asks for it (and releases it at once)
 * when they are.
 *
 * @throws {LiveTranscriptError} `microphone-unsupported` without `enumerateDevices`; with
 *   `prompt`, the `microphone-*` error of a refused or failed `getUserMedia`.
 *
 * @example
 * ```ts
 * const mics = await listMicrophones({ prompt: true });
 * select.append(...mics.map((m) => new Option(m.label, m.deviceId)));
 * ```
 */
export async function listMicrophones({ prompt = false } = {}): Promise<MediaDeviceInfo[]> {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.enumerateDevices) throw unsupported();
  const list = async () =>
    (await devices.enumerateDevices()).filter((device) => device.kind === 'audioinput');
  const mics = await list();
  if (!prompt || mics.some((mic) => mic.label)) return mics;
  let stream: MediaStream;
  try {
    stream = await devices.getUserMedia({ audio: true });
  } catch (error) {
    throw (await import('./sources.js')).microphoneError(error);
  }
  for (const track of stream.getTracks()) track.stop();
  return list();
}

/**
 * The microphone permission: `'granted'`, `'denied'`, `'prompt'`, or `'unknown'` where the
 * Permissions API cannot tell (older Firefox, non-browsers).
 */
export async function microphonePermission(): Promise<'granted' | 'denied' | 'prompt' | 'unknown'> {
  try {
    const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    return status.state;
  } catch {
    return 'unknown';
  }
}
