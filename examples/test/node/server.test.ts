// SPDX-License-Identifier: MIT
// The example server over real HTTP and WebSocket: the token route in both modes (it never
// returns the key and refuses other origins), the emulator, the pages it decorates, and what it
// refuses to serve.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createFakeStreamingServer } from '@live-transcript/core/testing';
import { listen, type ListeningFakeServer } from '@live-transcript/core/testing/node';
import { createExampleServer, decorate, type ExampleServer } from '../../server/server.mjs';

const EMULATOR_KEY = 'emulator0key0c0ffee0c0ffee0c0ffee0';
const REAL_KEY = 'real0api0key0deadbeef0deadbeef00';
const EVIL = 'https://evil.example';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Every answer of this file: none may contain either key. */
const answers: Answer[] = [];

/** A raw HTTP request (fetch cannot set `Host`, nor send a path with `..` as is). */
function get(
  origin: string,
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {}
): Promise<Answer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const answer = { status: res.statusCode ?? 0, headers: res.headers, body };
        answers.push(answer);
        resolve(answer);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

after(() => {
  assert.ok(answers.length > 20, `${answers.length} answers checked`);
  for (const answer of answers) {
    const text = `${answer.body} ${JSON.stringify(answer.headers)}`;
    assert.ok(!text.includes(EMULATOR_KEY) && !text.includes(REAL_KEY), `a key leaked: ${text}`);
  }
});

/** Opens a session on `url` with `token`; resolves with the first message or the close code. */
function openSession(url: string, token: string): Promise<{ type?: string; code?: number }> {
  const socket = new WebSocket(`${url}?token=${token}&sample_rate=16000&speech_model=u3-rt-pro`);
  return new Promise((resolve) => {
    socket.once('message', (data) => {
      resolve(JSON.parse(String(data)) as { type: string });
      socket.close(1000);
    });
    socket.once('close', (code) => resolve({ code }));
    socket.once('error', () => resolve({ code: 1006 }));
  });
}

describe('example server, emulator mode', () => {
  let server: ExampleServer;
  before(async () => {
    server = await createExampleServer({ apiKey: '', port: 0, emulator: { apiKey: EMULATOR_KEY } });
  });
  after(() => server.close());

  it('says which mode it is in, and where the emulator is', async () => {
    assert.equal(server.mode, 'emulator');
    const answer = await get(server.origin, '/api/config');
    assert.deepEqual(JSON.parse(answer.body), {
      mode: 'emulator',
      url: `ws://127.0.0.1:${server.port}/v3/ws`,
    });
  });

  it('mints single-use tokens that open a session on its own port', async () => {
    const answer = await get(server.origin, '/api/assemblyai-token');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['cache-control'], 'no-store');
    const { token, expires_in_seconds } = JSON.parse(answer.body) as Record<string, unknown>;
    assert.equal(typeof token, 'string');
    assert.equal(expires_in_seconds, 60);
    const url = `ws://127.0.0.1:${server.port}/v3/ws`;
    assert.equal((await openSession(url, token as string)).type, 'Begin');
    // The fake refuses a used token with an Error frame, then close 1008.
    assert.equal((await openSession(url, token as string)).type, 'Error');
    assert.equal(server.fake?.sessions.length, 1);
    assert.equal(server.fake?.sessions[0]?.params.token, token);
  });

  it('answers its own origin and refuses another (GET and preflight), without a token', async () => {
    const own = await get(server.origin, '/api/assemblyai-token', {
      headers: { Origin: server.origin },
    });
    assert.equal(own.status, 200);
    const requests = server.fake!.tokenRequests.length;
    for (const method of ['GET', 'POST', 'OPTIONS']) {
      const evil = await get(server.origin, '/api/assemblyai-token', {
        method,
        headers: { Origin: EVIL, 'Access-Control-Request-Method': 'GET' },
      });
      assert.equal(evil.status, 403, method);
      assert.equal(JSON.parse(evil.body).code, 'origin-not-allowed');
      assert.equal(evil.headers['access-control-allow-origin'], undefined);
      assert.doesNotMatch(evil.body, /token"/);
    }
    assert.equal(server.fake!.tokenRequests.length, requests, 'no token minted for them');
  });

  it('refuses a Host other than localhost (DNS rebinding)', async () => {
    const answer = await get(server.origin, '/api/assemblyai-token', {
      headers: {
        Host: `evil.example:${server.port}`,
        Origin: `http://evil.example:${server.port}`,
      },
    });
    assert.equal(answer.status, 403);
    assert.doesNotMatch(answer.body, /token/);
    const page = await get(server.origin, '/vanilla/', {
      headers: { Host: `localhost:${server.port}` },
    });
    assert.equal(page.status, 200);
  });

  it('serves the plain page with the banner and the emulator URL on the tag', async () => {
    const answer = await get(server.origin, '/vanilla/');
    assert.equal(answer.status, 200);
    assert.match(answer.headers['content-type'] as string, /^text\/html/);
    assert.match(answer.body, /<aside class="example-banner" data-mode="emulator"/);
    assert.match(answer.body, /words are placeholders/);
    const url = `ws://127.0.0.1:${server.port}/v3/ws`;
    assert.ok(answer.body.includes(`<meta name="live-transcript-url" content="${url}" />`));
    assert.ok(
      answer.body.includes(
        `<live-transcript url="${url}" token-url="/api/assemblyai-token"></live-transcript>`
      )
    );
  });

  it('serves the built apps, Storybook and the element bundle', async () => {
    for (const path of ['/react/', '/vue/']) {
      const answer = await get(server.origin, path);
      assert.equal(answer.status, 200, path);
      assert.match(answer.body, /<meta name="live-transcript-url"/, path);
      assert.match(answer.body, /data-mode="emulator"/, path);
    }
    const storybook = await get(server.origin, '/storybook/');
    assert.equal(storybook.status, 200);
    assert.doesNotMatch(storybook.body, /example-banner/, 'Storybook is served as built');
    const cdn = '/vendor/@live-transcript/element/dist';
    const bundle = await get(server.origin, `${cdn}/cdn/live-transcript.js`, { method: 'HEAD' });
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers['content-type'] as string, /^text\/javascript/);
    assert.equal(bundle.body, '');
    const worklet = await get(server.origin, `${cdn}/capture-worklet.js`);
    assert.match(worklet.body, /registerProcessor/);
  });

  it('answers byte ranges of a file, so that a <video> can seek', async () => {
    const path = '/media/speech-16k.wav';
    const whole = readFileSync(join(import.meta.dirname, '../../../fixtures/speech-16k.wav'));
    const fetchRange = async (range?: string) => {
      const response = await fetch(server.origin + path, {
        headers: range ? { Range: range } : {},
      });
      const body = Buffer.from(await response.arrayBuffer());
      const headers = Object.fromEntries(response.headers);
      answers.push({ status: response.status, headers, body: body.toString('latin1') });
      return { status: response.status, headers, body };
    };
    const full = await fetchRange();
    assert.equal(full.status, 200);
    assert.equal(full.headers['accept-ranges'], 'bytes');
    assert.ok(full.body.equals(whole), 'the whole file');
    const middle = await fetchRange('bytes=1000-1999');
    assert.equal(middle.status, 206);
    assert.equal(middle.headers['content-range'], `bytes 1000-1999/${whole.length}`);
    assert.equal(middle.headers['content-length'], '1000');
    assert.ok(middle.body.equals(whole.subarray(1000, 2000)), 'bytes 1000-1999');
    const open = await fetchRange(`bytes=${whole.length - 10}-`);
    assert.equal(open.status, 206);
    assert.ok(open.body.equals(whole.subarray(-10)), 'from an offset to the end');
    const last = await fetchRange('bytes=-44');
    assert.equal(
      last.headers['content-range'],
      `bytes ${whole.length - 44}-${whole.length - 1}/${whole.length}`
    );
    assert.ok(last.body.equals(whole.subarray(-44)), 'the last 44 bytes');
    const past = await fetchRange(`bytes=${whole.length}-`);
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${whole.length}`);
    // Several ranges, or one that is not bytes: the whole file.
    const several = await fetchRange('bytes=0-9,20-29');
    assert.equal(several.status, 200);
    assert.ok(several.body.equals(whole));
  });

  it('lists every example, and the commands that run the Next.js and Nuxt apps', async () => {
    const answer = await get(server.origin, '/');
    assert.equal(answer.status, 200);
    for (const path of ['/vanilla/', '/react/', '/vue/', '/storybook/']) {
      assert.ok(answer.body.includes(`href="${path}"`), path);
    }
    assert.match(answer.body, /cd examples\/nextjs &amp;&amp; npm install &amp;&amp; npm run dev/);
    assert.match(
      answer.body,
      /cd examples\/nuxt &amp;&amp; npm install &amp;&amp; PORT=3001 npm run dev/
    );
  });

  it('redirects a directory without its slash, so relative URLs work', async () => {
    for (const path of ['/react', '/vue?x=1', '/storybook', '/vanilla']) {
      const answer = await get(server.origin, path);
      assert.equal(answer.status, 301, path);
      assert.equal(answer.headers.location, path.replace(/(\?|$)/, '/$1'), path);
    }
  });

  it('serves nothing outside its directories, and only GET/HEAD', async () => {
    for (const path of [
      '/vanilla/../../package.json',
      '/vanilla/%2e%2e/%2e%2e/package.json',
      '/vanilla/..%2f..%2fpackage.json',
      '/server/server.mjs',
      '/package.json',
      '/react/../../../package.json',
      '/vendor/@live-transcript/element/package.json',
      '/vendor/@live-transcript/element/dist/../package.json',
    ]) {
      const answer = await get(server.origin, path);
      assert.equal(answer.status, 404, path);
      assert.doesNotMatch(answer.body, /"workspaces"|createExampleServer/, path);
    }
    assert.equal((await get(server.origin, '/vanilla/%E0%A4%A')).status, 400);
    const post = await get(server.origin, '/vanilla/', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });
});

describe('example server, real mode (AssemblyAI played by a fake)', () => {
  let upstream: ListeningFakeServer;
  let upstreamFake: ReturnType<typeof createFakeStreamingServer>;
  let server: ExampleServer;
  before(async () => {
    upstreamFake = createFakeStreamingServer({ apiKey: REAL_KEY });
    upstream = await listen(upstreamFake);
    server = await createExampleServer({
      apiKey: REAL_KEY,
      port: 0,
      tokenBaseUrl: upstream.origin,
      streamingUrl: upstream.url,
    });
  });
  after(async () => {
    await server.close();
    await upstream.close();
  });

  it('has no emulator and points the pages at the configured service', async () => {
    assert.equal(server.mode, 'assemblyai');
    assert.equal(server.fake, undefined);
    assert.deepEqual(JSON.parse((await get(server.origin, '/api/config')).body), {
      mode: 'assemblyai',
      url: upstream.url,
    });
    const page = await get(server.origin, '/vanilla/');
    assert.match(page.body, /data-mode="assemblyai"/);
    assert.match(page.body, /the API key never reaches the browser/);
    const closed = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/v3/ws`);
      socket.once('error', () => resolve(-1));
      socket.once('close', (code) => resolve(code));
    });
    assert.notEqual(closed, 1000, 'no emulator socket in real mode');
  });

  it('mints a token with the key on the server, returning only the token', async () => {
    const answer = await get(server.origin, '/api/assemblyai-token');
    assert.equal(answer.status, 200);
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['expires_in_seconds', 'token']);
    assert.equal(upstreamFake.tokenRequests.at(-1)?.status, 200);
    assert.equal((await openSession(upstream.url, body.token as string)).type, 'Begin');
  });

  it('refuses another origin before calling AssemblyAI', async () => {
    const before = upstreamFake.tokenRequests.length;
    const answer = await get(server.origin, '/api/assemblyai-token', { headers: { Origin: EVIL } });
    assert.equal(answer.status, 403);
    assert.equal(JSON.parse(answer.body).code, 'origin-not-allowed');
    assert.equal(upstreamFake.tokenRequests.length, before);
  });

  it('reports a rejected key without echoing it', async () => {
    const wrong = await createExampleServer({
      apiKey: `${REAL_KEY}x`,
      port: 0,
      tokenBaseUrl: upstream.origin,
    });
    try {
      const answer = await get(wrong.origin, '/api/assemblyai-token');
      assert.equal(answer.status, 401);
      assert.equal(JSON.parse(answer.body).code, 'upstream-unauthorized');
      assert.doesNotMatch(answer.body, /real0api0key/);
    } finally {
      await wrong.close();
    }
  });
});

describe('example server, extra routes', () => {
  let server: ExampleServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lt-routes-'));
    writeFileSync(
      join(dir, 'index.html'),
      '<html><head></head><body><p>other build</p></body></html>'
    );
    server = await createExampleServer({ apiKey: '', port: 0, routes: [['/react-18/', dir]] });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves another directory under its prefix, decorated like its own pages', async () => {
    const answer = await get(server.origin, '/react-18/');
    assert.equal(answer.status, 200);
    assert.match(answer.body, /other build/);
    assert.match(answer.body, /<meta name="live-transcript-url"/);
    assert.equal((await get(server.origin, '/react-18/../../etc/passwd')).status, 404);
    assert.equal((await get(server.origin, '/vanilla/')).status, 200, 'its own routes stay');
  });
});

describe('decorate()', () => {
  const page =
    '<html><head><title>t</title></head><body class="x"><live-transcript></live-transcript></body></html>';

  it('adds the url to tags without one, and to no other tag', () => {
    const html = decorate(
      '<head></head><body><live-transcript-list></live-transcript-list><live-transcript url="wss://mine"></live-transcript><live-transcript\n  token-url="/t"></live-transcript></body>',
      'emulator',
      'ws://h/v3/ws'
    );
    assert.ok(html.includes('<live-transcript-list></live-transcript-list>'));
    assert.ok(html.includes('<live-transcript url="wss://mine"></live-transcript>'));
    assert.ok(html.includes('<live-transcript url="ws://h/v3/ws"\n  token-url="/t">'));
  });

  it('leaves the tags alone in real mode, and escapes what it writes', () => {
    const real = decorate(page, 'assemblyai', undefined);
    assert.ok(real.includes('<live-transcript></live-transcript>'));
    assert.doesNotMatch(real, /live-transcript-url/);
    assert.match(real, /<body class="x">\s*<aside class="example-banner" data-mode="assemblyai"/);
    const odd = decorate(page, 'emulator', 'ws://h/"><script>');
    assert.doesNotMatch(odd, /"><script>/);
  });
});
