// SPDX-License-Identifier: MIT
import { expect } from '@open-wc/testing';
import { delay, http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import { LiveTranscriptError, type TokenOptions } from '../../src/index.js';
import { fetchToken } from '../../src/session/index.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbi1zZWNyZXQ.sig-value-7f3a9c';
const URL_PATH = '/api/assemblyai-token';
const worker = setupWorker();
/** Every error raised in this file: none may carry a token. */
const errors: LiveTranscriptError[] = [];

async function failure(options: TokenOptions): Promise<LiveTranscriptError> {
  try {
    await fetchToken(options);
  } catch (error) {
    expect(error).to.be.instanceOf(LiveTranscriptError);
    errors.push(error as LiveTranscriptError);
    return error as LiveTranscriptError;
  }
  throw new Error('fetchToken resolved');
}

function answer(status: number, body: string | object, headers: Record<string, string> = {}) {
  worker.use(
    http.get(URL_PATH, () =>
      typeof body === 'string'
        ? new HttpResponse(body, { status, headers })
        : HttpResponse.json(body, { status, headers })
    )
  );
}

after(() => {
  for (const error of errors) {
    const text = `${error.message} ${JSON.stringify(error)} ${String(error.cause)}`;
    expect(text).not.to.include(TOKEN);
    expect(text).not.to.include('c2Vzc2lvbi1zZWNyZXQ');
  }
  expect(errors.length).to.be.greaterThan(20);
});

describe('fetchToken() in the browser', () => {
  before(() =>
    worker.start({
      quiet: true,
      onUnhandledRequest: 'error',
      serviceWorker: { url: '/mockServiceWorker.js' },
    })
  );
  afterEach(() => worker.resetHandlers());
  after(() => worker.stop());

  it('GETs a relative token URL from the page origin, uncached, and returns the token', async () => {
    let seen: Request | undefined;
    worker.use(
      http.get(`${location.origin}${URL_PATH}`, ({ request }) => {
        seen = request;
        return HttpResponse.json({ token: TOKEN });
      })
    );
    expect(await fetchToken({ tokenUrl: URL_PATH })).to.equal(TOKEN);
    expect(seen!.method).to.equal('GET');
    expect(seen!.headers.get('accept')).to.equal('application/json');
    expect(seen!.cache).to.equal('no-store');
    expect(seen!.credentials).to.equal('same-origin');
    // A URL object works too, and `expires_in_seconds` beside the token is fine.
    answer(200, { token: TOKEN, expires_in_seconds: 60 });
    expect(await fetchToken({ tokenUrl: new URL(URL_PATH, location.href) })).to.equal(TOKEN);
  });

  it('sends tokenRequestInit: method, headers, body, credentials', async () => {
    let seen: { method: string; auth: string | null; accept: string | null; body: unknown };
    let credentials = '';
    worker.use(
      http.post(URL_PATH, async ({ request }) => {
        credentials = request.credentials;
        seen = {
          method: request.method,
          auth: request.headers.get('x-csrf'),
          accept: request.headers.get('accept'),
          body: await request.json(),
        };
        return HttpResponse.json({ token: TOKEN });
      })
    );
    const token = await fetchToken({
      tokenUrl: URL_PATH,
      tokenRequestInit: {
        method: 'POST',
        headers: { 'X-CSRF': 'csrf-1', Accept: 'application/vnd.token+json' },
        body: JSON.stringify({ room: 7 }),
        credentials: 'include',
      },
    });
    expect(token).to.equal(TOKEN);
    expect(seen!).to.deep.equal({
      method: 'POST',
      auth: 'csrf-1',
      accept: 'application/vnd.token+json',
      body: { room: 7 },
    });
    expect(credentials).to.equal('include');
  });

  for (const status of [500, 502, 503, 504, 408, 429]) {
    it(`HTTP ${status} is a retriable token-request-failed naming the URL`, async () => {
      answer(status, { error: `upstream trouble ${status}` });
      const error = await failure({ tokenUrl: URL_PATH });
      expect(error.code).to.equal('token-request-failed');
      expect(error.retriable).to.equal(true);
      expect(error.message).to.include(URL_PATH);
      expect(error.message).to.include(`HTTP ${status}`);
      expect(error.message).to.include(`upstream trouble ${status}`);
      if (status === 429) expect(error.message).to.include('(rate limited)');
      if (status === 408) expect(error.message).to.include('(timeout)');
      expect(error.message).to.include('try again');
    });
  }

  for (const status of [400, 401, 403, 404, 410]) {
    it(`HTTP ${status} is a non-retriable token-rejected with the server's error text`, async () => {
      answer(status, { error: 'Sign in to use live captions', token: TOKEN });
      const error = await failure({ tokenUrl: URL_PATH });
      expect(error.code).to.equal('token-rejected');
      expect(error.retriable).to.equal(false);
      expect(error.message).to.include(`HTTP ${status}`);
      expect(error.message).to.include('Sign in to use live captions');
      expect(error.message).to.include(URL_PATH);
    });
  }

  it('shortens a long error text and masks credential-like strings in it', async () => {
    answer(401, {
      error: `Bad key ${'a1b2c3d4'.repeat(4)} ${'very long explanation '.repeat(40)}`,
    });
    const error = await failure({ tokenUrl: URL_PATH });
    expect(error.message).to.include('Bad key [redacted]');
    expect(error.message).not.to.include('a1b2c3d4');
    expect(error.message.length).to.be.lessThan(500);
    // A non-JSON error page is not echoed.
    answer(403, '<html><body>Forbidden by proxy</body></html>', { 'Content-Type': 'text/html' });
    const html = await failure({ tokenUrl: URL_PATH });
    expect(html.code).to.equal('token-rejected');
    expect(html.message).not.to.include('<html>');
  });

  const invalid: Array<[string, string | object, string]> = [
    ['HTML', `<!doctype html><p>${TOKEN}</p>`, 'HTML'],
    ['plain text', TOKEN, 'text'],
    ['an empty body', '', 'nothing'],
    ['JSON without token', { access: TOKEN }, 'JSON without a "token"'],
    ['an empty token', { token: '  ' }, 'JSON without a "token"'],
    ['a numeric token', { token: 42 }, 'JSON without a "token"'],
    ['JSON null', 'null', 'JSON'],
  ];
  for (const [name, body, hint] of invalid) {
    it(`HTTP 200 with ${name} is token-invalid`, async () => {
      answer(200, body);
      const error = await failure({ tokenUrl: URL_PATH });
      expect(error.code).to.equal('token-invalid');
      expect(error.retriable).to.equal(false);
      expect(error.message).to.include(`gave ${hint}`);
      expect(error.message).to.include('answer JSON { "token": "..." }');
      expect(error.message).to.include(URL_PATH);
    });
  }

  it('a network failure is a retriable token-request-failed', async () => {
    worker.use(http.get(URL_PATH, () => HttpResponse.error()));
    const error = await failure({ tokenUrl: URL_PATH });
    expect(error.code).to.equal('token-request-failed');
    expect(error.retriable).to.equal(true);
    expect(error.message).to.include(`Could not reach the token URL ${URL_PATH}`);
    expect(error.cause).to.be.instanceOf(TypeError);
  });

  it('times out a server that does not answer', async () => {
    worker.use(
      http.get(URL_PATH, async () => {
        await delay('infinite');
        return HttpResponse.json({ token: TOKEN });
      })
    );
    const started = performance.now();
    const error = await failure({ tokenUrl: URL_PATH, timeoutMs: 300 });
    expect(error.code).to.equal('token-request-failed');
    expect(error.message).to.include('did not answer within 300 ms');
    expect(performance.now() - started).to.be.greaterThanOrEqual(290);
  });

  it('aborts with the caller signal, before or during the request', async () => {
    let requests = 0;
    let received!: () => void;
    const reached = new Promise<void>((resolve) => (received = resolve));
    worker.use(
      http.get(URL_PATH, async () => {
        requests++;
        received();
        await delay('infinite');
        return HttpResponse.json({ token: TOKEN });
      })
    );
    const before = new AbortController();
    before.abort();
    expect((await failure({ tokenUrl: URL_PATH, signal: before.signal })).code).to.equal('aborted');
    expect(requests).to.equal(0);

    // Aborted once the server has the request (not after a fixed time: a busy machine is slow).
    const during = new AbortController();
    const failed = failure({ tokenUrl: URL_PATH, signal: during.signal });
    await reached;
    during.abort();
    const error = await failed;
    expect(error.code).to.equal('aborted');
    expect(error.retriable).to.equal(false);
    expect(requests).to.equal(1);
  });

  it('warns once, without the value, when the token looks like a raw API key', async () => {
    const apiKey = '0123456789abcdef0123456789abcdef';
    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      answer(200, { token: apiKey });
      expect(await fetchToken({ tokenUrl: URL_PATH })).to.equal(apiKey);
      expect(await fetchToken({ getToken: () => apiKey.toUpperCase() })).to.equal(
        apiKey.toUpperCase()
      );
      answer(200, { token: TOKEN });
      await fetchToken({ tokenUrl: URL_PATH });
    } finally {
      console.warn = original;
    }
    expect(warnings).to.have.length(1);
    const text = String(warnings[0]![0]);
    expect(text).to.include('API key');
    expect(text).not.to.include(apiKey);
    expect(text).not.to.include(apiKey.toUpperCase());
  });
});

describe('fetchToken() with getToken', () => {
  it('passes an AbortSignal and returns the token; getToken wins over tokenUrl', async () => {
    let signal: AbortSignal | undefined;
    const token = await fetchToken({
      tokenUrl: '/never-fetched',
      getToken: async (s) => {
        signal = s;
        return ` ${TOKEN}\n`;
      },
    });
    expect(token).to.equal(TOKEN);
    expect(signal).to.be.instanceOf(AbortSignal);
    expect(signal!.aborted).to.equal(false);
  });

  it('wraps a throwing getToken as token-request-failed, keeps a LiveTranscriptError', async () => {
    const cause = new Error('session cookie expired');
    const error = await failure({
      getToken: () => {
        throw cause;
      },
    });
    expect(error.code).to.equal('token-request-failed');
    expect(error.cause).to.equal(cause);
    expect(error.message).to.include('session cookie expired');
    const own = new LiveTranscriptError('token-rejected', 'Not signed in.');
    expect(await failure({ getToken: () => Promise.reject(own) })).to.equal(own);
  });

  it('rejects an empty or non-string token as token-invalid', async () => {
    for (const value of ['', '   ', undefined, 42, { token: TOKEN }]) {
      const error = await failure({ getToken: () => value as string });
      expect(error.code).to.equal('token-invalid');
      expect(error.message).to.include('getToken()');
    }
  });

  it('times out and aborts a getToken that hangs, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const hang = (s: AbortSignal) => {
      signal = s;
      return new Promise<string>(() => {});
    };
    const error = await failure({ getToken: hang, timeoutMs: 100 });
    expect(error.code).to.equal('token-request-failed');
    expect(error.message).to.include('getToken() did not answer within 100 ms');
    expect(signal!.aborted).to.equal(true);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await failure({ getToken: hang, signal: controller.signal })).code).to.equal('aborted');
    expect(signal!.aborted).to.equal(true);
  });

  it('needs a token source and a positive timeout', async () => {
    expect((await failure({})).code).to.equal('invalid-option');
    expect((await failure(undefined as never)).code).to.equal('invalid-option');
    expect((await failure({ getToken: () => TOKEN, timeoutMs: 0 })).code).to.equal(
      'invalid-option'
    );
  });
});
