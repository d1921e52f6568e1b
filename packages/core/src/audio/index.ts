// SPDX-License-Identifier: MIT
export { Resampler, type ResamplerOptions } from './resampler.js';
export { toInt16, dbfs } from './pcm.js';
export {
  MICROPHONE_DEFAULTS,
  elementSource,
  microphoneSource,
  streamSource,
  type AudioSource,
  type MicrophoneConstraints,
} from './sources.js';
export {
  AudioCapture,
  listMicrophones,
  microphonePermission,
  type AudioCaptureEvents,
  type AudioCaptureOptions,
  type AudioCaptureWarning,
  type CapturePrepared,
  type AudioDeviceInfo,
  type AudioFrame,
  type AudioSourceInput,
} from './capture.js';
