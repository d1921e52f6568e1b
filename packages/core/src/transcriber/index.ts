// SPDX-License-Identifier: MIT
export {
  IDLE_SNAPSHOT,
  LiveTranscriber,
  type Level,
  type LiveTranscriberEvents,
  type LiveTranscriberOptions,
  type LiveTranscriberSnapshot,
  type LiveTranscriberWarning,
  type StateChangeDetail,
  type TranscriberMetrics,
  type TranscriberState,
} from './live-transcriber.js';
export {
  EVENT_HANDLERS,
  TranscriberBinding,
  type HandlerName,
  type TranscriberBindingOptions,
  type TranscriberControls,
  type TranscriberEventName,
  type TranscriberHandlers,
} from './binding.js';
