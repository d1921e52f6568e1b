// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * `@live-transcript/core/audio`: the microphone pipeline on its own — `AudioCapture` (sources,
 * the AudioWorklet with its anti-aliasing resampler, 16-bit PCM or μ-law frames, levels,
 * devices), the resampler and the PCM helpers. What `LiveTranscriber` loads as its engine.
 */
export { Resampler, type ResamplerOptions } from './resampler.js';
export { toInt16, dbfs } from './pcm.js';
export { MICROPHONE_DEFAULTS, microphoneConstraints } from './constraints.js';
export type { AudioWarningCode } from './health.js';
export {
  displaySource,
  elementSource,
  microphoneSource,
  streamSource,
  type AudioSource,
  type DisplaySourceOptions,
  type MicrophoneConstraints,
} from './sources.js';
export { listMicrophones, microphonePermission } from './devices.js';
export {
  AudioCapture,
  type AudioCaptureEvents,
  type AudioCaptureOptions,
  type AudioCaptureWarning,
  type AudioDeviceInfo,
  type AudioFrame,
  type AudioSourceInput,
  type CapturePrepared,
} from './capture.js';
