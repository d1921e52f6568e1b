// SPDX-License-Identifier: MIT
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createTokenHandler,
  toNodeHandler,
  type TokenHandlerOptions,
} from '../../src/server/index.js';
import { LiveTranscriptError } from '../../src/index.js';

const KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const UPSTREAM_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.dXBzdHJlYW0.tok';
const APP = 'https://app.example';

interface Call {
  url: URL;
  authorization: string | null;
}

/** A fake AssemblyAI token endpoint: records calls, answers what the test scripted. */
function fakeUpstream(answer: () => Response | Promise<Response> = () => tokenResponse()) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: new URL(String(input)),
      authorization: new Headers(init?.headers).get('authorization'),
    });
    return answer();
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const tokenResponse = (body: unknown = { token: UPSTREAM_TOKEN, expires_in_seconds: 60 }) =>
  new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });

/** Every response of this file: none may contain the API key. */
const seen: Response[] = [];
async function call(
  options: TokenHandlerOptions,
  init: RequestInit & { url?: string } = {}
): Promise<{ response: Response; body: Record<string, unknown> | undefined }> {
  const handler = createTokenHandler({ apiKey: KEY, ...options });
  const response = await handler(new Request(init.url ?? `${APP}/api/token`, init));
  seen.push(response.clone());
  const text = await response.text();
  return { response, body: text ? JSON.parse(text) : undefined };
}

after(async () => {
  assert.ok(seen.length > 30, `${seen.length} responses checked`);
  for (const response of seen) {
    const text = `${await response.text()} ${JSON.stringify([...response.headers])}`;
    assert.ok(!text.includes(KEY), `the API key leaked: ${text}`);
  }
});

describe('createTokenHandler(): options', () => {
  const env = process.env.ASSEMBLYAI_API_KEY;
  afterEach(() => {
    if (env === undefined) delete process.env.ASSEMBLYAI_API_KEY;
    else process.env.ASSEMBLYAI_API_KEY = env;
  });

  it('needs an API key, from the option or ASSEMBLYAI_API_KEY', async () => {
    delete process.env.ASSEMBLYAI_API_KEY;
    for (const apiKey of [undefined, '', '  ']) {
      assert.throws(
        () => createTokenHandler({ apiKey }),
        (error: unknown) =>
          error instanceof LiveTranscriptError &&
          error.code === 'invalid-option' &&
          error.message.includes('ASSEMBLYAI_API_KEY')
      );
    }
    process.env.ASSEMBLYAI_API_KEY = 'from-env-key';
    const upstream = fakeUpstream();
    await createTokenHandler({ fetch: upstream.fetch })(new Request(`${APP}/t`));
    assert.equal(upstream.calls[0]!.authorization, 'from-env-key');
  });

  it('rejects out-of-range or non-integer durations, bad regions, origins and URLs at creation', () => {
    const bad: TokenHandlerOptions[] = [
      { expiresInSeconds: 0 },
      { expiresInSeconds: 601 },
      { expiresInSeconds: 1.5 },
      { expiresInSeconds: Number.NaN },
      { expiresInSeconds: '60' as never },
      { maxSessionDurationSeconds: 59 },
      { maxSessionDurationSeconds: 10_801 },
      { maxSessionDurationSeconds: 600.5 },
      { region: 'mars' as never },
      { allowedOrigins: ['not an origin'] },
      { allowedOrigins: 'https://one.example' as never },
      { baseUrl: 'nope' },
      { timeoutMs: 0 },
      { authorize: true as never },
    ];
    for (const options of bad) {
      assert.throws(
        () => createTokenHandler({ apiKey: KEY, ...options }),
        (error: unknown) => error instanceof LiveTranscriptError && error.code === 'invalid-option',
        JSON.stringify(options)
      );
    }
    for (const options of [
      { expiresInSeconds: 1, maxSessionDurationSeconds: 60 },
      { expiresInSeconds: 600, maxSessionDurationSeconds: 10_800 },
    ]) {
      assert.doesNotThrow(() => createTokenHandler({ apiKey: KEY, ...options }));
    }
  });

  it('names the option and the range in the error', () => {
    assert.throws(() => createTokenHandler({ apiKey: KEY, expiresInSeconds: 900 }), {
      message: /expiresInSeconds must be an integer from 1 to 600, got 900/,
    });
  });
});

describe('createTokenHandler(): minting', () => {
  it('calls GET /v3/token with the key and answers { token, expires_in_seconds }, uncached', async () => {
    const upstream = fakeUpstream();
    const { response, body } = await call({ fetch: upstream.fetch });
    assert.equal(response.status, 200);
    assert.deepEqual(body, { token: UPSTREAM_TOKEN, expires_in_seconds: 60 });
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(response.headers.get('content-type')!, /application\/json/);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(upstream.calls.length, 1);
    const [{ url, authorization }] = upstream.calls as [Call];
    assert.equal(url.origin + url.pathname, 'https://streaming.assemblyai.com/v3/token');
    assert.deepEqual([...url.searchParams], [['expires_in_seconds', '60']]);
    assert.equal(authorization, KEY);
  });

  it('passes the durations and picks the host by region or baseUrl', async () => {
    const cases: Array<[TokenHandlerOptions, string]> = [
      [{ region: 'eu' }, 'https://streaming.eu.assemblyai.com/v3/token'],
      [{ region: 'us' }, 'https://streaming.assemblyai.com/v3/token'],
      [{ baseUrl: 'http://127.0.0.1:9999' }, 'http://127.0.0.1:9999/v3/token'],
    ];
    for (const [options, host] of cases) {
      const upstream = fakeUpstream(() => tokenResponse({ token: UPSTREAM_TOKEN }));
      const { body } = await call({
        ...options,
        fetch: upstream.fetch,
        expiresInSeconds: 30,
        maxSessionDurationSeconds: 600,
      });
      const { url } = upstream.calls[0]!;
      assert.equal(url.origin + url.pathname, host);
      assert.equal(url.searchParams.get('expires_in_seconds'), '30');
      assert.equal(url.searchParams.get('max_session_duration_seconds'), '600');
      assert.deepEqual(body, { token: UPSTREAM_TOKEN, expires_in_seconds: 30 });
    }
  });

  it('maps upstream failures to clear JSON errors with a matching status', async () => {
    const cases: Array<[() => Response | Promise<Response>, number, string]> = [
      [
        () => Response.json({ error: 'Invalid API key' }, { status: 401 }),
        401,
        'upstream-unauthorized',
      ],
      [() => new Response('nope', { status: 403 }), 401, 'upstream-unauthorized'],
      [() => Response.json({ error: 'Too many' }, { status: 429 }), 429, 'upstream-rate-limited'],
      [() => new Response('oops', { status: 500 }), 502, 'upstream-error'],
      [() => new Response('<html>', { status: 503 }), 502, 'upstream-error'],
      [
        () => Response.json({ error: `bad key ${KEY}` }, { status: 400 }),
        502,
        'upstream-bad-request',
      ],
      [() => Promise.reject(new TypeError('fetch failed')), 502, 'upstream-unreachable'],
      [() => tokenResponse({ nothing: true }), 502, 'upstream-invalid'],
      [() => new Response('<html>login</html>'), 502, 'upstream-invalid'],
    ];
    for (const [answer, status, code] of cases) {
      const { response, body } = await call({ fetch: fakeUpstream(answer).fetch });
      assert.equal(response.status, status, code);
      assert.equal(body?.code, code);
      assert.equal(typeof body?.error, 'string');
      assert.equal(response.headers.get('cache-control'), 'no-store');
    }
    const unauthorized = await call({
      fetch: fakeUpstream(() => new Response('', { status: 401 })).fetch,
    });
    assert.match(String(unauthorized.body?.error), /AssemblyAI rejected the server's API key/);
    const badRequest = await call({
      fetch: fakeUpstream(() => Response.json({ error: `bad key ${KEY}` }, { status: 400 })).fetch,
    });
    assert.match(String(badRequest.body?.error), /HTTP 400: bad key \[redacted\]/);
  });

  it('passes Retry-After through on 429', async () => {
    const upstream = fakeUpstream(
      () => new Response('{}', { status: 429, headers: { 'Retry-After': '7' } })
    );
    const { response } = await call({ fetch: upstream.fetch });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '7');
  });

  it('answers 504 when AssemblyAI does not answer in time', async () => {
    const hang = fakeUpstream(() => new Promise<Response>(() => {}));
    const { response, body } = await call({ fetch: hang.fetch, timeoutMs: 100 });
    assert.equal(response.status, 504);
    assert.equal(body?.code, 'upstream-timeout');
    // A body that never ends counts too.
    const slowBody = fakeUpstream(
      () => new Response(new ReadableStream({ start() {} }), { status: 200 })
    );
    assert.equal((await call({ fetch: slowBody.fetch, timeoutMs: 100 })).response.status, 504);
  });
});

describe('createTokenHandler(): origins, methods and authorization', () => {
  it('allows same-origin requests without CORS headers', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { Origin: APP },
      { Origin: 'https://proxy.example', 'Sec-Fetch-Site': 'same-origin' },
    ]) {
      const upstream = fakeUpstream();
      const { response } = await call({ fetch: upstream.fetch }, { headers, method: 'POST' });
      assert.equal(response.status, 200, JSON.stringify(headers));
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.equal(response.headers.get('vary'), 'Origin');
    }
  });

  it('refuses other origins with 403 unless listed, and never calls AssemblyAI for them', async () => {
    const upstream = fakeUpstream();
    const options = { fetch: upstream.fetch, allowedOrigins: ['https://widget.example/'] };
    const refused = await call(options, { headers: { Origin: 'https://evil.example' } });
    assert.equal(refused.response.status, 403);
    assert.equal(refused.body?.code, 'origin-not-allowed');
    assert.match(String(refused.body?.error), /allowedOrigins/);
    assert.equal(refused.response.headers.get('access-control-allow-origin'), null);
    assert.equal(upstream.calls.length, 0);

    const allowed = await call(options, { headers: { Origin: 'https://widget.example' } });
    assert.equal(allowed.response.status, 200);
    assert.equal(
      allowed.response.headers.get('access-control-allow-origin'),
      'https://widget.example'
    );
    assert.equal(allowed.response.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(allowed.response.headers.get('vary'), 'Origin');

    const any = await call(
      { fetch: upstream.fetch, allowedOrigins: '*' },
      { headers: { Origin: 'https://anyone.example' } }
    );
    assert.equal(any.response.headers.get('access-control-allow-origin'), 'https://anyone.example');
    assert.equal(
      any.response.headers.get('access-control-allow-credentials'),
      null,
      "'*' never allows credentials"
    );
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const upstream = fakeUpstream();
    const options = { fetch: upstream.fetch, allowedOrigins: ['https://widget.example'] };
    const preflight = {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://widget.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, x-csrf',
      },
    };
    const { response, body } = await call(options, preflight);
    assert.equal(response.status, 204);
    assert.equal(body, undefined);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://widget.example');
    assert.equal(response.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
    assert.equal(response.headers.get('access-control-allow-headers'), 'content-type, x-csrf');
    const refused = await call(options, {
      ...preflight,
      headers: { ...preflight.headers, Origin: 'https://evil.example' },
    });
    assert.equal(refused.response.status, 403);
    assert.equal(upstream.calls.length, 0);
  });

  it('answers 405 to other methods', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'HEAD']) {
      const { response } = await call({ fetch: fakeUpstream().fetch }, { method });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'GET, POST, OPTIONS');
    }
  });

  it('asks authorize(request): false is 403, a throw is 500 without details', async () => {
    const upstream = fakeUpstream();
    let asked: Request | undefined;
    const yes = await call(
      {
        fetch: upstream.fetch,
        authorize: async (request) => {
          asked = request;
          return (await request.json()).user === 'ada';
        },
      },
      { method: 'POST', body: JSON.stringify({ user: 'ada' }) }
    );
    assert.equal(yes.response.status, 200);
    assert.equal(asked?.method, 'POST');

    const no = await call({ fetch: upstream.fetch, authorize: () => false });
    assert.equal(no.response.status, 403);
    assert.equal(no.body?.code, 'forbidden');

    const broken = await call({
      fetch: upstream.fetch,
      authorize: () => {
        throw new Error('database password is hunter2');
      },
    });
    assert.equal(broken.response.status, 500);
    assert.equal(broken.body?.code, 'authorize-failed');
    assert.ok(!JSON.stringify(broken.body).includes('hunter2'));
    assert.equal(upstream.calls.length, 1, 'only the authorized request reached AssemblyAI');
  });
});

describe('toNodeHandler() on a real node:http server', () => {
  let server: Server;
  let base = '';
  const upstream = fakeUpstream();
  before(async () => {
    const handler = toNodeHandler(
      createTokenHandler({
        apiKey: KEY,
        fetch: upstream.fetch,
        allowedOrigins: ['https://widget.example'],
        authorize: async (request) =>
          request.method === 'GET' || (await request.text()) === 'let me in',
      })
    );
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const check = async (response: Response) => {
    seen.push(response.clone());
    return response;
  };

  it('mints a token over GET and POST', async () => {
    const get = await check(await fetch(`${base}/api/token`));
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await get.json(), { token: UPSTREAM_TOKEN, expires_in_seconds: 60 });
    const post = await check(
      await fetch(`${base}/api/token`, { method: 'POST', body: 'let me in' })
    );
    assert.equal(post.status, 200);
    const denied = await check(await fetch(`${base}/api/token`, { method: 'POST', body: 'hi' }));
    assert.equal(denied.status, 403);
    assert.equal(upstream.calls.at(-1)!.authorization, KEY);
  });

  it('handles CORS, preflights and methods', async () => {
    const cross = await check(
      await fetch(`${base}/api/token`, { headers: { Origin: 'https://widget.example' } })
    );
    assert.equal(cross.headers.get('access-control-allow-origin'), 'https://widget.example');
    const evil = await check(
      await fetch(`${base}/api/token`, { headers: { Origin: 'https://evil.example' } })
    );
    assert.equal(evil.status, 403);
    const preflight = await check(
      await fetch(`${base}/api/token`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://widget.example', 'Access-Control-Request-Method': 'POST' },
      })
    );
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
    const put = await check(await fetch(`${base}/api/token`, { method: 'PUT', body: 'x' }));
    assert.equal(put.status, 405);
  });

  it('takes the public origin from X-Forwarded-* behind a proxy', async () => {
    const response = await check(
      await fetch(`${base}/api/token`, {
        headers: {
          Origin: 'https://captions.example',
          'X-Forwarded-Proto': 'https',
          'X-Forwarded-Host': 'captions.example',
        },
      })
    );
    assert.equal(response.status, 200);
  });

  it('refuses methods fetch cannot even represent, and oversized bodies', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/api/token`, { method: 'TRACE' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 405);
    const big = await check(
      await fetch(`${base}/api/token`, { method: 'POST', body: 'x'.repeat(200_000) })
    );
    assert.equal(big.status, 413);
  });
});

describe('@live-transcript/core/server', () => {
  it('bundles for the browser platform without any Node module', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      absWorkingDir: join(import.meta.dirname, '../..'),
      entryPoints: ['src/server/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((p) => p.endsWith('token-handler.ts')));
    assert.deepEqual(
      inputs.filter((p) => !p.startsWith('src/')),
      []
    );
  });
});
