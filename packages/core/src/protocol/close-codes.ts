// SPDX-License-Identifier: MIT
import { LiveTranscriptError, type LiveTranscriptErrorCode } from '../errors.js';

/** What a session's end looked like on the wire. */
export interface CloseInfo {
  /** The WebSocket close code (1006 when the connection dropped without a close frame). */
  code: number;
  /** The close frame's reason (at most 123 bytes; often empty or truncated). */
  reason?: string;
  /** The text of the `Error` frame that preceded the close, if any: it wins over `reason`. */
  error?: string;
  /** The `error_code` of that frame, if any. */
  errorCode?: number;
  /** True when the server had not sent `Begin` yet. */
  beforeBegin?: boolean;
}

type Rule = [LiveTranscriptErrorCode, boolean, string];

const AUTH: Rule = [
  'auth-failed',
  false,
  'AssemblyAI refused the token. Check that your token route mints it with a valid API key, for the same region as the socket, and that each token is used once.',
];
const TOO_MANY: Rule = [
  'too-many-sessions',
  true,
  'Too many new sessions for this AssemblyAI account right now; retrying shortly.',
];
const EXPIRED: Rule = [
  'session-expired',
  true,
  'The session reached its maximum duration; a new session continues the transcript.',
];
const INPUT: Rule = [
  'protocol-error',
  false,
  'The server rejected the audio stream (frame size or pace). This is a bug in the client: please report it.',
];
const MESSAGE: Rule = [
  'protocol-error',
  false,
  'The server rejected a control message. This is a bug in the client: please report it.',
];
const SERVER: Rule = [
  'server-error',
  true,
  'AssemblyAI ended the session on its side; retrying usually helps.',
];

/** Close codes by number (protocol.md §7.1), and the legacy v2 4xxx codes as a fallback. */
const BY_CODE: Record<number, Rule> = {
  1001: SERVER,
  1008: AUTH,
  1011: SERVER,
  1012: SERVER,
  1013: SERVER,
  3005: SERVER,
  3006: MESSAGE,
  3007: INPUT,
  3008: EXPIRED,
  3009: TOO_MANY,
  4001: AUTH,
  4002: [
    'auth-failed',
    false,
    'The AssemblyAI account cannot open sessions (insufficient funds). Check the account.',
  ],
  4003: AUTH,
  4008: EXPIRED,
  4029: INPUT,
  4032: INPUT,
  4033: INPUT,
  4100: MESSAGE,
  4101: MESSAGE,
  4102: TOO_MANY,
};

/**
 * The server's text decides first: the 2025 service sent 3005 for every reason, and the
 * concurrency limit has been reported as both 1008 and 3009.
 */
const BY_TEXT: Array<[RegExp, Rule]> = [
  [/concurren|too many/i, TOO_MANY],
  [/expired?:|session expired|maximum session duration/i, EXPIRED],
  [/input duration|transmission rate|too (short|long|fast)/i, INPUT],
  [/invalid (json|message)/i, MESSAGE],
  [/unauthori[sz]ed|authoriz|token|insufficient|balance|disabled/i, AUTH],
];

/**
 * Turns a session's close into one {@link LiveTranscriptError}, or `undefined` for a normal
 * close (1000). The `Error` frame's text is preferred over the close reason.
 *
 * @example
 * ```ts
 * classifyClose({ code: 3009, reason: 'Unauthorized Connection: Too many concurrent sessions' });
 * // LiveTranscriptError { code: 'too-many-sessions', retriable: true, closeCode: 3009 }
 * ```
 */
export function classifyClose(info: CloseInfo): LiveTranscriptError | undefined {
  const { code, beforeBegin } = info;
  const text = (info.error ?? info.reason ?? '').trim();
  if (code === 1000 && !info.error) return undefined;
  if (code === 1005 || code === 1006) {
    return new LiveTranscriptError(
      'network',
      beforeBegin
        ? 'The streaming connection closed before the session began. The network may be down or blocked, or the server refused the token; retrying with a new token.'
        : 'The streaming connection dropped; reconnecting with a new token.',
      { closeCode: code }
    );
  }
  const rule =
    BY_TEXT.find(([pattern]) => pattern.test(text))?.[1] ??
    BY_CODE[info.errorCode ?? code] ??
    BY_CODE[code] ??
    SERVER;
  const [errorCode, retriable, advice] = rule;
  const said = text ? `: ${text}` : '';
  return new LiveTranscriptError(
    errorCode,
    `AssemblyAI closed the session (${code})${said}. ${advice}`,
    {
      retriable,
      closeCode: code,
    }
  );
}
