// SPDX-License-Identifier: MIT
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
