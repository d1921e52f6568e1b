// SPDX-License-Identifier: MIT

/**
 * Every failure the library reports, as a kebab-case code. The code says what went wrong;
 * {@link LiveTranscriptError.retriable} says whether trying again (with a new token) can help.
 */
export type LiveTranscriptErrorCode =
  | 'token-request-failed'
  | 'token-rejected'
  | 'token-invalid'
  | 'microphone-denied'
  | 'microphone-not-found'
  | 'microphone-busy'
  | 'microphone-unsupported'
  | 'audio-context-blocked'
  | 'worklet-load-failed'
  | 'engine-load-failed'
  | 'connect-timeout'
  | 'auth-failed'
  | 'session-expired'
  | 'too-many-sessions'
  | 'server-error'
  | 'protocol-error'
  | 'network'
  | 'invalid-option'
  | 'aborted';

const RETRIABLE: ReadonlySet<LiveTranscriptErrorCode> = new Set<LiveTranscriptErrorCode>([
  'token-request-failed',
  'engine-load-failed',
  'connect-timeout',
  'session-expired',
  'too-many-sessions',
  'server-error',
  'network',
]);

export interface LiveTranscriptErrorOptions {
  /** Overrides the code's default (see {@link LiveTranscriptError.retriable}). */
  retriable?: boolean;
  /** The WebSocket close code that carried this error, if any. */
  closeCode?: number;
  /** The underlying error (a `DOMException`, a `TypeError` from `fetch`, ...). */
  cause?: unknown;
}

/**
 * The one error class of live-transcript. Its `message` names what went wrong and what to do;
 * it never contains a token or an API key.
 *
 * @example
 * ```ts
 * transcriber.addEventListener('error', ({ detail: { error } }) => {
 *   if (error.code === 'microphone-denied') showPermissionHelp();
 * });
 * ```
 */
export class LiveTranscriptError extends Error {
  override readonly name = 'LiveTranscriptError';
  /** What went wrong. */
  readonly code: LiveTranscriptErrorCode;
  /** Whether a new attempt (new token, new connection) may succeed. */
  readonly retriable: boolean;
  /** The WebSocket close code, when the failure came with one. */
  readonly closeCode: number | undefined;

  constructor(
    code: LiveTranscriptErrorCode,
    message: string,
    options: LiveTranscriptErrorOptions = {}
  ) {
    super(
      redactSecrets(message),
      options.cause === undefined ? undefined : { cause: options.cause }
    );
    this.code = code;
    this.retriable = options.retriable ?? RETRIABLE.has(code);
    this.closeCode = options.closeCode;
  }

  /** A plain object for logs and `JSON.stringify` (the cause is left out). */
  toJSON(): {
    name: string;
    code: LiveTranscriptErrorCode;
    message: string;
    retriable: boolean;
    closeCode?: number;
  } {
    const json = {
      name: this.name,
      code: this.code,
      message: this.message,
      retriable: this.retriable,
    };
    return this.closeCode === undefined ? json : { ...json, closeCode: this.closeCode };
  }
}

/** True for errors thrown or reported by live-transcript. */
export function isLiveTranscriptError(value: unknown): value is LiveTranscriptError {
  return value instanceof LiveTranscriptError;
}

/**
 * Masks credentials in a text before it reaches a message, event or log: `token=` query
 * parameters and `Authorization` header values.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([?&](?:token|api_key|apiKey|key)=)[^&#\s"']+/gi, '$1[redacted]')
    .replace(/(authorization["']?\s*[:=]\s*["']?)(?:bearer\s+)?[^\s"',}]+/gi, '$1[redacted]');
}
