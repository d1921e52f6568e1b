// SPDX-License-Identifier: MIT
export type * from './messages.js';
export {
  DEFAULT_STREAMING_URL,
  buildConnectionUrl,
  streamingUrl,
  type ConnectionTarget,
  type SpeechModel,
  type StreamingParameters,
  type StreamingRegion,
} from './url.js';
export { parseServerMessage, type ParseResult } from './parse.js';
export { classifyClose, type CloseInfo } from './close-codes.js';
