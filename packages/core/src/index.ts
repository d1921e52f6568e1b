// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * Framework-agnostic live captions for the browser, streamed to AssemblyAI Universal
 * Streaming (v3). Importing this module has no side effects and touches no browser global.
 */
export {
  LiveTranscriptError,
  isLiveTranscriptError,
  redactSecrets,
  type LiveTranscriptErrorCode,
  type LiveTranscriptErrorOptions,
} from './errors.js';
export {
  AudioCapture,
  MICROPHONE_DEFAULTS,
  Resampler,
  dbfs,
  elementSource,
  listMicrophones,
  microphonePermission,
  microphoneSource,
  streamSource,
  toInt16,
  type AudioCaptureEventMap,
  type AudioCaptureOptions,
  type AudioCaptureWarning,
  type AudioDeviceInfo,
  type AudioFrame,
  type AudioSource,
  type AudioSourceInput,
  type MicrophoneConstraints,
  type ResamplerOptions,
} from './audio/index.js';
