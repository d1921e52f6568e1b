// SPDX-License-Identifier: MIT
// What is asked of getUserMedia for the microphone: shared by the capture and by
// LiveTranscriber.start(), which asks for the microphone inside the user gesture while its
// engine loads.
import type { MicrophoneConstraints } from './sources.js';

/**
 * Defaults for speech recognition (audio.md §5): no browser processing (it costs accuracy
 * unless the page itself plays audio: then turn `echoCancellation` on), mono preferred, and no
 * `sampleRate` (the capture resamples).
 */
export const MICROPHONE_DEFAULTS: Readonly<MediaTrackConstraints> = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
  channelCount: { ideal: 1 },
};

/** The `audio` constraints for `constraints`: over the defaults, a `deviceId` string `exact`. */
export function microphoneConstraints(
  constraints: MicrophoneConstraints = {}
): MediaTrackConstraints {
  const { deviceId, ...rest } = constraints;
  const audio: MediaTrackConstraints = { ...MICROPHONE_DEFAULTS, ...rest };
  if (deviceId) audio.deviceId = typeof deviceId === 'string' ? { exact: deviceId } : deviceId;
  return audio;
}
