// SPDX-License-Identifier: MIT
import { LiveTranscriptError } from '../errors.js';

/** Options of {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /** Your AssemblyAI API key. Default: `process.env.ASSEMBLYAI_API_KEY`. Never sent to browsers. */
  apiKey?: string;
  /** How long the token can be redeemed (open a WebSocket), 1..600 s. Default 60. */
  expiresInSeconds?: number;
  /** Cap on the length of the session opened with the token, 60..10800 s. Default: AssemblyAI's (3 h). */
  maxSessionDurationSeconds?: number;
  /** Data zone of the streaming sessions: `'eu'` mints on the EU host. Default: US/edge. */
  region?: 'us' | 'eu' | 'edge';
  /** AssemblyAI's streaming host (overrides `region`), e.g. for tests. */
  baseUrl?: string | URL;
  /**
   * Other origins whose pages may request tokens (`'*'` for any). Same-origin requests are
   * always allowed.
   */
  allowedOrigins?: readonly string[] | '*';
  /** Decides whether a request may get a token (check the session cookie...). `false` → 403. */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /** The `fetch` used to call AssemblyAI. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Give up on AssemblyAI after this many ms (504). Default 10000. */
  timeoutMs?: number;
}

/** A WHATWG request handler: Next.js route handlers, Workers, Deno, Bun, Hono... */
export type TokenHandler = (request: Request) => Promise<Response>;

const HOSTS = {
  us: 'https://streaming.assemblyai.com',
  edge: 'https://streaming.assemblyai.com',
  eu: 'https://streaming.eu.assemblyai.com',
};
const METHODS = 'GET, POST, OPTIONS';

function invalid(message: string): LiveTranscriptError {
  return new LiveTranscriptError('invalid-option', `createTokenHandler: ${message}`);
}

function integer(
  name: string,
  value: number | undefined,
  min: number,
  max: number
): number | undefined {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  }
  return value;
}

/**
 * Creates the token route of your backend: it mints a short-lived AssemblyAI streaming token
 * (`GET /v3/token` with your API key) and answers `{ token, expires_in_seconds }` with
 * `Cache-Control: no-store`. The API key never leaves the server. Cross-origin pages need
 * `allowedOrigins`; `authorize(request)` decides who may get a token. Upstream failures become
 * JSON `{ error, code }` answers: 401 (AssemblyAI refused the key), 429 (rate limited, with
 * `Retry-After`), 502 (AssemblyAI failed or is unreachable), 504 (timeout). Throws
 * `LiveTranscriptError('invalid-option')` at creation for a missing key or an out-of-range option.
 *
 * @example
 * ```ts
 * // app/api/assemblyai-token/route.ts (Next.js)
 * import { createTokenHandler } from '@live-transcript/core/server';
 * const handler = createTokenHandler({ expiresInSeconds: 60, authorize: (req) => isSignedIn(req) });
 * export { handler as GET, handler as POST };
 * ```
 */
export function createTokenHandler(options: TokenHandlerOptions = {}): TokenHandler {
  options ??= {};
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const apiKey = options.apiKey ?? env?.ASSEMBLYAI_API_KEY;
  if (typeof apiKey !== 'string' || !apiKey.trim()) {
    throw invalid(
      'no AssemblyAI API key. Set the ASSEMBLYAI_API_KEY environment variable on the server or pass { apiKey }.'
    );
  }
  const expires = integer('expiresInSeconds', options.expiresInSeconds, 1, 600) ?? 60;
  const maxSession = integer(
    'maxSessionDurationSeconds',
    options.maxSessionDurationSeconds,
    60,
    10_800
  );
  const { region = 'edge', allowedOrigins = [], authorize, timeoutMs = 10_000 } = options;
  if (!(region in HOSTS)) throw invalid(`region must be 'us', 'eu' or 'edge', got ${region}.`);
  if (!(timeoutMs > 0)) throw invalid('timeoutMs must be a positive number.');
  if (authorize !== undefined && typeof authorize !== 'function') {
    throw invalid('authorize must be a function.');
  }
  const upstreamFetch = options.fetch ?? globalThis.fetch;
  if (typeof upstreamFetch !== 'function')
    throw invalid('no fetch in this runtime; pass { fetch }.');
  let base: URL;
  try {
    base = new URL('/v3/token', options.baseUrl ?? HOSTS[region]);
  } catch {
    throw invalid(`baseUrl is not a URL: ${String(options.baseUrl)}.`);
  }
  base.searchParams.set('expires_in_seconds', String(expires));
  if (maxSession !== undefined) {
    base.searchParams.set('max_session_duration_seconds', String(maxSession));
  }
  const anyOrigin = allowedOrigins === '*';
  const origins = new Set<string>();
  if (!anyOrigin) {
    if (!Array.isArray(allowedOrigins)) throw invalid("allowedOrigins must be an array or '*'.");
    for (const origin of allowedOrigins) {
      try {
        origins.add(new URL(origin).origin);
      } catch {
        throw invalid(`allowedOrigins entry is not an origin: ${String(origin)}.`);
      }
    }
  }
  /** Never echo the key, nor anything long enough to be a credential. */
  const clean = (text: string): string =>
    text
      .split(apiKey)
      .join('[redacted]')
      .replace(/[\w.~+/=-]{24,}/g, '[redacted]')
      .slice(0, 200);

  return async (request) => {
    const headers = new Headers({ 'Cache-Control': 'no-store', Vary: 'Origin' });
    const reply = (status: number, body?: object): Response => {
      if (body) headers.set('Content-Type', 'application/json');
      return new Response(body ? JSON.stringify(body) : null, { status, headers });
    };
    const origin = request.headers.get('origin');
    let own: string | undefined;
    try {
      own = new URL(request.url).origin;
    } catch {
      /* a relative URL: no origin to compare */
    }
    const sameOrigin =
      !origin || origin === own || request.headers.get('sec-fetch-site') === 'same-origin';
    if (!sameOrigin) {
      if (!anyOrigin && !origins.has(origin)) {
        return reply(403, {
          error: `Origin ${clean(origin)} may not request AssemblyAI tokens here; add it to allowedOrigins.`,
          code: 'origin-not-allowed',
        });
      }
      headers.set('Access-Control-Allow-Origin', origin);
      if (!anyOrigin) headers.set('Access-Control-Allow-Credentials', 'true');
    }
    if (request.method === 'OPTIONS') {
      headers.set('Access-Control-Allow-Methods', METHODS);
      const asked = request.headers.get('access-control-request-headers');
      if (asked) headers.set('Access-Control-Allow-Headers', asked);
      headers.set('Access-Control-Max-Age', '600');
      headers.set('Allow', METHODS);
      return reply(204);
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      headers.set('Allow', METHODS);
      return reply(405, {
        error: `Use GET or POST, not ${request.method}.`,
        code: 'method-not-allowed',
      });
    }
    if (authorize) {
      let allowed: boolean;
      try {
        allowed = await authorize(request);
      } catch {
        return reply(500, {
          error: 'Could not check the authorization.',
          code: 'authorize-failed',
        });
      }
      if (!allowed) {
        return reply(403, {
          error: 'Not allowed to request a transcription token.',
          code: 'forbidden',
        });
      }
    }

    const controller = new AbortController();
    const { signal } = controller;
    const timeout = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason))
    );
    timeout.catch(() => {});
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let upstream: Response;
    let json: { token?: unknown; expires_in_seconds?: unknown; error?: unknown } | undefined;
    try {
      upstream = await Promise.race([
        upstreamFetch(base.href, {
          headers: { Authorization: apiKey, Accept: 'application/json' },
          signal,
        }),
        timeout,
      ]);
      const text = await Promise.race([upstream.text(), timeout]);
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON */
      }
    } catch {
      clearTimeout(timer);
      return signal.aborted
        ? reply(504, {
            error: `AssemblyAI did not answer the token request within ${timeoutMs} ms; try again.`,
            code: 'upstream-timeout',
          })
        : reply(502, {
            error: 'Could not reach AssemblyAI to mint a token; try again.',
            code: 'upstream-unreachable',
          });
    }
    clearTimeout(timer);
    const { status } = upstream;
    if (upstream.ok) {
      const token = json?.token;
      if (typeof token !== 'string' || !token) {
        return reply(502, {
          error: 'AssemblyAI answered without a token; try again.',
          code: 'upstream-invalid',
        });
      }
      const seconds = json?.expires_in_seconds;
      return reply(200, {
        token,
        expires_in_seconds: typeof seconds === 'number' ? seconds : expires,
      });
    }
    if (status === 401 || status === 403) {
      return reply(401, {
        error: "AssemblyAI rejected the server's API key; check ASSEMBLYAI_API_KEY on the server.",
        code: 'upstream-unauthorized',
      });
    }
    if (status === 429) {
      const retry = upstream.headers.get('retry-after');
      if (retry) headers.set('Retry-After', clean(retry));
      return reply(429, {
        error: 'AssemblyAI is rate-limiting token requests; try again shortly.',
        code: 'upstream-rate-limited',
      });
    }
    const detail = typeof json?.error === 'string' ? `: ${clean(json.error)}` : '';
    return reply(502, {
      error: `AssemblyAI could not mint a token (HTTP ${status}${detail}).`,
      code: status >= 500 ? 'upstream-error' : 'upstream-bad-request',
    });
  };
}
