// SPDX-License-Identifier: MIT
export { LiveTranscriber } from './live-transcriber.js';
export {
  IDLE_SNAPSHOT,
  type DiagnosticsOptions,
  type DiagnosticsReport,
  type Level,
  type LiveTranscriberEvents,
  type LiveTranscriberOptions,
  type LiveTranscriberSnapshot,
  type LiveTranscriberWarning,
  type LiveTranscriberWarningCode,
  type StateChangeDetail,
  type TranscriberMetrics,
  type TranscriberState,
} from './types.js';
export {
  EVENT_HANDLERS,
  TranscriberBinding,
  type HandlerName,
  type TranscriberBindingOptions,
  type TranscriberControls,
  type TranscriberEventName,
  type TranscriberHandlers,
} from './binding.js';
