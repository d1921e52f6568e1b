// SPDX-License-Identifier: MIT
export { Resampler, type ResamplerOptions } from './resampler.js';
export { toInt16, dbfs } from './pcm.js';
export type { AudioWarningCode } from './health.js';
export {
  MICROPHONE_DEFAULTS,
  displaySource,
  elementSource,
  microphoneSource,
  streamSource,
  type AudioSource,
  type DisplaySourceOptions,
  type MicrophoneConstraints,
} from './sources.js';
export {
  AudioCapture,
  listMicrophones,
  microphonePermission,
  type AudioCaptureEvents,
  type AudioCaptureOptions,
  type AudioCaptureWarning,
  type AudioDeviceInfo,
  type AudioFrame,
  type AudioSourceInput,
} from './capture.js';
