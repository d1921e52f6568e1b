// SPDX-License-Identifier: MIT
import { LiveTranscriptError, isLiveTranscriptError } from '../errors.js';

/** Where a temporary AssemblyAI token comes from. One of `tokenUrl` or `getToken` is required. */
export interface TokenOptions {
  /**
   * Your server route that mints a token and answers JSON `{ token }`, ideally with
   * `expires_in_seconds` (relative URLs resolve against the page). Fetched with GET,
   * `credentials: 'same-origin'`, `cache: 'no-store'`.
   */
  tokenUrl?: string | URL;
  /** Overrides for the request to `tokenUrl`: method, headers, body, credentials... */
  tokenRequestInit?: RequestInit;
  /** Returns a token; takes precedence over `tokenUrl`. Honour `signal` to cancel. */
  getToken?: (signal: AbortSignal) => string | Promise<string>;
  /** Give up after this many ms (default 10000). */
  timeoutMs?: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

declare const process: { env: Record<string, string | undefined> };

let warned = false;

/** Shortens a server's text and masks anything that could be a credential. */
const scrub = (text: string): string =>
  text
    .replace(/[\w.~+/=-]{24,}/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);

/** A token and how long it may wait before it opens its session. */
export interface TokenGrant {
  token: string;
  /**
   * The redemption window the token route gave (`expires_in_seconds`): the session must be
   * opened within it. `undefined` when unknown (`getToken()`, or a route that does not say).
   */
  expiresInSeconds: number | undefined;
}

/**
 * Gets a fresh temporary token, from `getToken(signal)` or from `tokenUrl`. Call it for every
 * connection attempt: tokens are single-use.
 *
 * Errors (`LiveTranscriptError`): `token-request-failed` (network, timeout, HTTP 408, 429, 5xx;
 * retriable), `token-rejected` (other HTTP 4xx, with the status and the server's `error` text),
 * `token-invalid` (not JSON `{ token }`), `aborted`, `invalid-option`. Messages name the URL,
 * never the token.
 *
 * @example
 * ```ts
 * const token = await fetchToken({ tokenUrl: '/api/assemblyai-token', signal });
 * const socket = new WebSocket(`wss://streaming.assemblyai.com/v3/ws?token=${token}&...`);
 * ```
 */
export async function fetchToken(options: TokenOptions): Promise<string> {
  return (await fetchTokenGrant(options)).token;
}

/**
 * {@link fetchToken}, with the token's redemption window when the token route gives one
 * (`{ token, expires_in_seconds }`, as `createTokenHandler()` answers): a token older than that
 * is refused by AssemblyAI, so a caller that waited (a permission prompt) can fetch a new one.
 *
 * @example
 * ```ts
 * const requested = Date.now();
 * let { token, expiresInSeconds } = await fetchTokenGrant({ tokenUrl: '/api/assemblyai-token' });
 * await somethingSlow();
 * if (expiresInSeconds && Date.now() - requested > (expiresInSeconds - 5) * 1000) {
 *   ({ token } = await fetchTokenGrant({ tokenUrl: '/api/assemblyai-token' }));
 * }
 * ```
 */
export async function fetchTokenGrant(options: TokenOptions): Promise<TokenGrant> {
  const { tokenUrl, tokenRequestInit: init, getToken, timeoutMs = 10_000, signal } = options ?? {};
  if (typeof getToken !== 'function' && !tokenUrl) {
    throw new LiveTranscriptError(
      'invalid-option',
      'Set tokenUrl (your server route answering { "token": "..." }) or getToken(signal).'
    );
  }
  if (!(timeoutMs > 0)) {
    throw new LiveTranscriptError('invalid-option', 'timeoutMs must be a positive number of ms.');
  }
  const source = getToken ? 'getToken()' : `The token URL ${tokenUrl}`;
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs < 2 ** 31
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
  const stopped = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason))
  );
  stopped.catch(() => {});
  const abort = () => controller.abort();
  const signals = [signal, init?.signal];
  for (const s of signals) {
    if (s?.aborted) abort();
    s?.addEventListener('abort', abort);
  }
  const failed = (message: string, cause?: unknown) =>
    new LiveTranscriptError('token-request-failed', message, { cause });
  const reason = (error: unknown) => scrub(String((error as Error)?.message ?? error));
  let token: unknown;
  let lifetime: unknown;
  let kind: string;
  try {
    if (controller.signal.aborted) await stopped;
    if (getToken) {
      try {
        token = await Promise.race([getToken(controller.signal), stopped]);
      } catch (error) {
        if (isLiveTranscriptError(error) || controller.signal.aborted) throw error;
        throw failed(`getToken() failed: ${reason(error)}.`, error);
      }
      kind = typeof token === 'string' ? 'an empty string' : String(typeof token);
    } else {
      const headers = new Headers(init?.headers);
      if (!headers.has('accept')) headers.set('Accept', 'application/json');
      let response: Response;
      let body: string;
      try {
        response = await Promise.race([
          fetch(tokenUrl!, {
            credentials: 'same-origin',
            cache: 'no-store',
            ...init,
            headers,
            signal: controller.signal,
          }),
          stopped,
        ]);
        body = await Promise.race([response.text(), stopped]);
      } catch (error) {
        if (controller.signal.aborted) throw error;
        throw failed(`Could not reach the token URL ${tokenUrl} (${reason(error)}).`, error);
      }
      let json: { token?: unknown; expires_in_seconds?: unknown; error?: unknown } | undefined;
      try {
        json = JSON.parse(body);
      } catch {
        /* not JSON */
      }
      const { status } = response;
      if (!response.ok) {
        const detail = typeof json?.error === 'string' ? `: ${scrub(json.error)}` : '';
        if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
          throw new LiveTranscriptError(
            'token-rejected',
            `${source} refused the request: HTTP ${status}${detail}. Check sign-in, allowed origins and the server's API key.`
          );
        }
        throw failed(
          `${source} answered HTTP ${status}${detail}${
            status === 429 ? ' (rate limited)' : status === 408 ? ' (timeout)' : ''
          }; try again.`
        );
      }
      token = json?.token;
      lifetime = json?.expires_in_seconds;
      kind = /^\s*</.test(body)
        ? 'HTML'
        : json !== undefined
          ? 'JSON without a "token"'
          : body.trim()
            ? 'text'
            : 'nothing';
    }
  } catch (error) {
    if (!controller.signal.aborted || isLiveTranscriptError(error)) throw error;
    if (timedOut) throw failed(`${source} did not answer within ${timeoutMs} ms.`, error);
    throw new LiveTranscriptError('aborted', 'The token request was aborted.', { cause: error });
  } finally {
    clearTimeout(timer);
    for (const s of signals) s?.removeEventListener('abort', abort);
  }
  if (typeof token !== 'string' || !token.trim()) {
    throw new LiveTranscriptError(
      'token-invalid',
      `${source} gave ${kind}, not a token${getToken ? '' : ': answer JSON { "token": "..." }'}.`
    );
  }
  if (/^[0-9a-f]{32}$/i.test(token.trim()) && !warned) {
    let production = false;
    try {
      production = process.env.NODE_ENV === 'production';
    } catch {
      /* no `process` in this page */
    }
    warned = !production;
    if (warned) {
      console.warn(
        'live-transcript: got what looks like an AssemblyAI API key, not a temporary token. Never send the API key to the browser: mint tokens on your server (@live-transcript/core/server).'
      );
    }
  }
  return {
    token: token.trim(),
    expiresInSeconds:
      typeof lifetime === 'number' && Number.isFinite(lifetime) && lifetime > 0
        ? lifetime
        : undefined,
  };
}
