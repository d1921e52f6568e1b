// SPDX-License-Identifier: MIT
// The fake's temporary tokens: minting (JWT-shaped, single-use, with a redemption window), the
// token routes (the app's and AssemblyAI's own `/v3/token`), and the check a connection's token
// gets before `Begin`.
import type {
  FakeRequest,
  FakeStreamingServer,
  SessionRecord,
  TokenRequestRecord,
} from './fake-types.js';
import type { State } from './fake-state.js';

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** A random (v4) UUID, as session ids are. */
export function uuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const base64url = (text: string) =>
  btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** An opaque JWT-shaped token, like AssemblyAI's temporary tokens (never a 32-hex API key). */
function mintToken(iat: number, exp: number): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify({ iss: 'live-transcript-fake', jti: uuid(), iat, exp }));
  return `${header}.${body}.${base64url(String.fromCharCode(...randomBytes(32)))}`;
}

/** `fake.issueToken()`: mints and records a token. */
export function issueToken(
  state: State,
  opts: Parameters<FakeStreamingServer['issueToken']>[0] = {}
): string {
  const { options } = state;
  const now = state.clock.now();
  const expiresIn = opts.expiresInSeconds ?? options.expiresInSeconds ?? 60;
  const token = mintToken(Math.floor(now / 1000), Math.floor(now / 1000) + expiresIn);
  state.tokens.set(token, {
    token,
    issuedAt: now,
    expiresAt: now + expiresIn * 1000,
    maxSessionDurationSeconds:
      opts.maxSessionDurationSeconds ?? options.maxSessionDurationSeconds ?? 10800,
    uses: 0,
  });
  return token;
}

/** `fake.handleTokenRequest()`: answers a token route, recording the request. */
export function handleTokenRequest(
  state: State,
  { url, method = 'GET', authorization, assemblyAi = false }: FakeRequest & { assemblyAi?: boolean }
): { status: number; body: Record<string, unknown> } {
  const { options } = state;
  const entry: TokenRequestRecord = { method, url, status: 200, at: state.clock.now() };
  state.tokenRequests.push(entry);
  const answer = (status: number, body: Record<string, unknown>) => {
    entry.status = status;
    return { status, body };
  };
  if (state.tokenFailures.count > 0) {
    state.tokenFailures.count--;
    return answer(state.tokenFailures.status, {
      error: 'Token service failure (injected by the fake server)',
    });
  }
  if (
    assemblyAi &&
    (!authorization || (options.apiKey !== undefined && authorization !== options.apiKey))
  ) {
    return answer(401, { error: 'Authentication error, API token missing/invalid' });
  }
  const query = new URL(url, 'http://localhost').searchParams;
  const range = (name: string, min: number, max: number): number | string | undefined => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    const value = Number(raw);
    return Number.isInteger(value) && value >= min && value <= max
      ? value
      : `${name} must be an integer from ${min} to ${max}`;
  };
  const expiresIn = range('expires_in_seconds', 1, 600);
  const maxDuration = range('max_session_duration_seconds', 60, 10800);
  if (assemblyAi && expiresIn === undefined)
    return answer(400, { error: 'expires_in_seconds is required' });
  for (const value of [expiresIn, maxDuration])
    if (typeof value === 'string') return answer(400, { error: value });
  const seconds = (expiresIn as number | undefined) ?? options.expiresInSeconds ?? 60;
  const token = issueToken(state, {
    expiresInSeconds: seconds,
    maxSessionDurationSeconds: maxDuration as number | undefined,
  });
  entry.token = token;
  return answer(200, { token, expires_in_seconds: seconds });
}

/**
 * Checks a connection's token (query `token`, else the `Authorization` header: a token or the
 * API key) and redeems it. Returns what is wrong with it, and the session cap it carries.
 */
export function redeemToken(
  state: State,
  record: SessionRecord
): { error: string | undefined; maxSessionDurationSeconds: number } {
  const { options } = state;
  const token = record.token;
  const entry = token === undefined ? undefined : state.tokens.get(token);
  let error: string | undefined;
  if (token === undefined) error = 'Missing Authorization header';
  else if (!entry) {
    const apiKey = !record.params.token && options.apiKey !== undefined && token === options.apiKey;
    if (!apiKey) error = 'Invalid temporary token';
  } else if (entry.uses > 0 && options.singleUseTokens !== false) {
    error = 'Temporary token has already been used';
  } else if (state.clock.now() > entry.expiresAt) error = 'Temporary token has expired';
  if (entry && !error) entry.uses++;
  return {
    error,
    maxSessionDurationSeconds:
      entry?.maxSessionDurationSeconds ?? options.maxSessionDurationSeconds ?? 10800,
  };
}
