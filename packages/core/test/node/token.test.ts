// SPDX-License-Identifier: MIT
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveTranscriptError, type TokenOptions } from '../../src/index.js';
import { fetchToken, fetchTokenGrant } from '../../src/session/index.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.bm9kZS1zZWNyZXQ.sig-8d1e';

async function failure(options: TokenOptions): Promise<LiveTranscriptError> {
  const error = await fetchToken(options).then(
    () => assert.fail('fetchToken resolved'),
    (e: unknown) => e
  );
  assert.ok(error instanceof LiveTranscriptError, String(error));
  assert.ok(!`${error.message}${JSON.stringify(error)}`.includes(TOKEN), 'no token in the error');
  return error;
}

describe('fetchToken() in Node against a real HTTP server', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ method?: string; url?: string; accept?: string }> = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, accept: req.headers.accept });
      const route = new URL(req.url!, 'http://x').pathname;
      if (route === '/hang') return;
      const [status, body, type] = (
        {
          '/ok': [200, JSON.stringify({ token: TOKEN, expires_in_seconds: 60 }), 'json'],
          '/no-lifetime': [200, JSON.stringify({ token: TOKEN }), 'json'],
          '/bad-lifetime': [
            200,
            JSON.stringify({ token: TOKEN, expires_in_seconds: '60' }),
            'json',
          ],
          '/forbidden': [403, JSON.stringify({ error: 'Not signed in' }), 'json'],
          '/busy': [429, JSON.stringify({ error: 'Slow down' }), 'json'],
          '/broken': [500, 'Internal Server Error', 'text/plain'],
          '/html': [200, '<!doctype html><title>App</title>', 'text/html'],
        } as Record<string, [number, string, string]>
      )[route] ?? [404, '', 'text/plain'];
      res.writeHead(status, { 'Content-Type': type === 'json' ? 'application/json' : type });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('returns the token of a JSON { token, expires_in_seconds } answer', async () => {
    assert.equal(await fetchToken({ tokenUrl: `${base}/ok` }), TOKEN);
    assert.deepEqual(seen.at(-1), { method: 'GET', url: '/ok', accept: 'application/json' });
  });

  it('fetchTokenGrant() gives the redemption window when the route says it, else undefined', async () => {
    assert.deepEqual(await fetchTokenGrant({ tokenUrl: `${base}/ok` }), {
      token: TOKEN,
      expiresInSeconds: 60,
    });
    for (const route of ['/no-lifetime', '/bad-lifetime']) {
      assert.deepEqual(await fetchTokenGrant({ tokenUrl: `${base}${route}` }), {
        token: TOKEN,
        expiresInSeconds: undefined,
      });
    }
    assert.deepEqual(await fetchTokenGrant({ getToken: () => TOKEN }), {
      token: TOKEN,
      expiresInSeconds: undefined,
    });
  });

  it('maps statuses and bodies to error codes', async () => {
    const cases: Array<[string, string, boolean, string]> = [
      ['/forbidden', 'token-rejected', false, 'HTTP 403: Not signed in'],
      ['/missing', 'token-rejected', false, 'HTTP 404'],
      ['/busy', 'token-request-failed', true, 'HTTP 429: Slow down (rate limited)'],
      ['/broken', 'token-request-failed', true, 'HTTP 500'],
      ['/html', 'token-invalid', false, 'gave HTML, not a token'],
    ];
    for (const [route, code, retriable, text] of cases) {
      const error = await failure({ tokenUrl: `${base}${route}` });
      assert.equal(error.code, code, route);
      assert.equal(error.retriable, retriable, route);
      assert.ok(error.message.includes(text), error.message);
      assert.ok(error.message.includes(`${base}${route}`), 'names the URL');
    }
  });

  it('times out, and aborts', async () => {
    const timeout = await failure({ tokenUrl: `${base}/hang`, timeoutMs: 150 });
    assert.equal(timeout.code, 'token-request-failed');
    assert.match(timeout.message, /did not answer within 150 ms/);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await failure({ tokenUrl: `${base}/hang`, signal: controller.signal });
    assert.equal(aborted.code, 'aborted');
  });

  it('reports an unreachable server as a retriable failure', async () => {
    const error = await failure({ tokenUrl: 'http://127.0.0.1:9/token', timeoutMs: 5000 });
    assert.equal(error.code, 'token-request-failed');
    assert.ok(error.retriable);
    assert.match(error.message, /Could not reach the token URL http:\/\/127\.0\.0\.1:9\/token/);
  });
});

describe('fetchToken() API-key warning', () => {
  it('stays quiet in production and warns once, without the value, in development', async () => {
    const key = 'ffeeddccbbaa99887766554433221100';
    const warnings: string[] = [];
    const original = console.warn;
    const env = process.env.NODE_ENV;
    console.warn = (message: string) => warnings.push(message);
    try {
      process.env.NODE_ENV = 'production';
      assert.equal(await fetchToken({ getToken: () => key }), key);
      assert.equal(warnings.length, 0);
      process.env.NODE_ENV = 'development';
      await fetchToken({ getToken: () => key });
      await fetchToken({ getToken: () => key });
      assert.equal(warnings.length, 1);
      assert.ok(!warnings[0]!.includes(key));
      assert.match(warnings[0]!, /API key/);
    } finally {
      console.warn = original;
      if (env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = env;
    }
  });
});
