// SPDX-License-Identifier: MIT
// The microphone list, the permission and what a refused microphone means, apart from the
// capture: a device picker loads this module alone (the binding imports it on demand).
import { LiveTranscriptError, type LiveTranscriptErrorCode } from '../errors.js';

/** `microphone-unsupported`: no getUserMedia (old browser, or not https). */
export const unsupported = (cause?: unknown): LiveTranscriptError =>
  new LiveTranscriptError(
    'microphone-unsupported',
    'Microphone capture needs https and a browser with getUserMedia.',
    { cause }
  );

const DENIED: [LiveTranscriptErrorCode, string] = [
  'microphone-denied',
  'Microphone access was denied: allow it for this site and try again.',
];
const NOT_FOUND: [LiveTranscriptErrorCode, string] = [
  'microphone-not-found',
  'No microphone found (or not the one requested): connect one or pick another.',
];
const BUSY: [LiveTranscriptErrorCode, string] = [
  'microphone-busy',
  'The microphone is busy or blocked: close other apps using it, or check the system privacy settings.',
];
const MICROPHONE_ERRORS: Record<string, [LiveTranscriptErrorCode, string]> = {
  NotAllowedError: DENIED,
  SecurityError: DENIED,
  NotFoundError: NOT_FOUND,
  OverconstrainedError: NOT_FOUND,
  NotReadableError: BUSY,
  AbortError: BUSY,
};

/** The error of `table` for a `DOMException`'s name, else `fallback`'s. */
export function mapError(
  error: unknown,
  table: Record<string, [LiveTranscriptErrorCode, string]>,
  fallback: (cause: unknown) => LiveTranscriptError
): LiveTranscriptError {
  const known = table[(error as { name?: string } | null)?.name ?? ''];
  return known ? new LiveTranscriptError(known[0], known[1], { cause: error }) : fallback(error);
}

/** Maps a `getUserMedia` failure (a `DOMException`) to a {@link LiveTranscriptError}. */
export function microphoneError(error: unknown): LiveTranscriptError {
  return mapError(error, MICROPHONE_ERRORS, unsupported);
}

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
    throw microphoneError(error);
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
