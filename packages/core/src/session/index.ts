// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * `@live-transcript/core/session`: one AssemblyAI v3 session without the state machine of
 * `LiveTranscriber` — the token, the connection URL, `StreamingSession` (framing, pacing,
 * control messages, close codes), server message parsing and the transcript's merge rules. What
 * `LiveTranscriber` loads as its engine; import it to build your own pipeline.
 */
export {
  StreamingSession,
  type AudioSentInfo,
  type SessionClose,
  type SessionWarning,
  type SessionWarningCode,
  type StreamingSessionEvents,
  type StreamingSessionOptions,
  type StreamingSessionState,
  type WebSocketConstructor,
} from './streaming-session.js';
export { fetchToken, fetchTokenGrant, type TokenGrant, type TokenOptions } from '../token/token.js';
export { buildConnectionUrl } from '../protocol/connection-url.js';
export { parseServerMessage, type ParseResult } from '../protocol/parse.js';
export { classifyClose, type CloseInfo } from '../protocol/close-codes.js';
export { applyMessage, endSession, interruptSession } from '../transcript/merge.js';
