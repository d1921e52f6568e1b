#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The example server: every example page, the token route, and, without an API key, an
// emulator of AssemblyAI's streaming API on the same port.
//
//   node examples/server/server.mjs            (after `npm run build`; `npm start` does both)
//   ASSEMBLYAI_API_KEY=... node examples/server/server.mjs
//
// Routes:
//   /                        the list of examples
//   /vanilla/ /react/ /vue/  the examples (React and Vue as built by Vite into react/dist, vue/dist)
//   /storybook/              the built Storybook
//   /media/                  the speech recordings of fixtures/ (the <video> example)
//   /api/assemblyai-token    the token route: createTokenHandler() from @live-transcript/core/server
//   /api/config              { mode, url }: which service the pages talk to
//   /v3/ws                   (emulator mode) the fake AssemblyAI WebSocket
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTokenHandler, toNodeHandler } from '@live-transcript/core/server';
import { createFakeStreamingServer } from '@live-transcript/core/testing';
import { attach } from '@live-transcript/core/testing/node';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The element package's build: its CDN file (`dist/cdn/live-transcript.js`) for the plain page. */
const ELEMENT_DIST = join(
  dirname(createRequire(import.meta.url).resolve('@live-transcript/element/package.json')),
  'dist'
);
const TOKEN_PATH = '/api/assemblyai-token';
const WS_PATH = '/v3/ws';

/**
 * Where each URL prefix is served from: sources for the plain pages, Vite/Storybook builds.
 * @type {Array<[string, string]>}
 */
const ROUTES = [
  ['/vanilla/', join(EXAMPLES, 'vanilla')],
  ['/react/', join(EXAMPLES, 'react/dist')],
  ['/vue/', join(EXAMPLES, 'vue/dist')],
  ['/storybook/', join(EXAMPLES, 'dist/storybook')],
  // Laid out like a CDN that serves npm packages.
  ['/vendor/@live-transcript/element/dist/', ELEMENT_DIST],
  ['/shared/', join(EXAMPLES, 'shared')],
  // The speech recordings, for the page that captions a <video>.
  ['/media/', join(EXAMPLES, '../fixtures')],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/**
 * @typedef {object} ExampleServerOptions
 * @property {string} [apiKey] AssemblyAI API key; default `process.env.ASSEMBLYAI_API_KEY`.
 *   Without one the server runs the emulator.
 * @property {string} [host] Default `127.0.0.1`.
 * @property {number} [port] Default 5173; 0 picks a free port.
 * @property {string} [tokenBaseUrl] AssemblyAI's streaming host for tokens (tests).
 * @property {string} [streamingUrl] The WebSocket URL the pages use in real mode (tests).
 * @property {import('@live-transcript/core/testing').FakeStreamingServerOptions} [emulator]
 *   Options of the emulator's fake server (`apiKey`: the throwaway key its token route uses).
 * @property {Array<[string, string]>} [routes] More `[prefix, directory]` routes (e.g.
 *   `['/react-18/', dir]`), served and decorated like the built-in ones (tests serve other builds
 *   of the apps this way).
 *
 * @typedef {object} ExampleServer
 * @property {'emulator' | 'assemblyai'} mode
 * @property {string} origin e.g. `http://127.0.0.1:5173`
 * @property {number} port
 * @property {import('@live-transcript/core/testing').FakeStreamingServer | undefined} fake
 *   The emulator (its records: sessions, frames, tokens), in emulator mode.
 * @property {() => Promise<void>} close
 */

/**
 * Starts the example server.
 * @param {ExampleServerOptions} [options]
 * @returns {Promise<ExampleServer>}
 */
export async function createExampleServer(options = {}) {
  const { host = '127.0.0.1', port = 5173 } = options;
  const routes = [...(options.routes ?? []), ...ROUTES];
  const apiKey = (options.apiKey ?? process.env.ASSEMBLYAI_API_KEY ?? '').trim();
  const mode = apiKey ? 'assemblyai' : 'emulator';

  /** @type {import('@live-transcript/core/testing').FakeStreamingServer | undefined} */
  let fake;
  /** @type {import('@live-transcript/core/server').TokenHandler} */
  let tokenHandler;
  if (mode === 'assemblyai') {
    tokenHandler = createTokenHandler({
      apiKey,
      ...(options.tokenBaseUrl && { baseUrl: options.tokenBaseUrl }),
    });
  } else {
    // The emulator mints tokens like AssemblyAI: the same createTokenHandler() as in real mode,
    // with the fake's `GET /v3/token` as its upstream and a throwaway key, so the route's checks
    // (origin, methods, no key in answers) are the real ones.
    const emulatorKey = options.emulator?.apiKey ?? randomBytes(16).toString('hex');
    const emulator = createFakeStreamingServer({ ...options.emulator, apiKey: emulatorKey });
    fake = emulator;
    tokenHandler = createTokenHandler({
      apiKey: emulatorKey,
      baseUrl: 'http://emulator.invalid',
      fetch: async (input, init) => {
        const { status, body } = emulator.handleTokenRequest({
          url: String(input),
          method: 'GET',
          authorization: new Headers(init?.headers).get('authorization'),
          assemblyAi: true,
        });
        return Response.json(body, { status });
      },
    });
  }
  const token = toNodeHandler(tokenHandler);
  const checkHost = LOOPBACK.test(host);

  /** The WebSocket URL for a page reached through `hostHeader`, or undefined (the default). */
  const streamingUrl = (/** @type {string} */ hostHeader) =>
    mode === 'emulator' ? `ws://${hostHeader}${WS_PATH}` : options.streamingUrl;

  const server = createServer(async (req, res) => {
    try {
      const hostHeader = req.headers.host ?? '';
      // A page on another domain that resolves to 127.0.0.1 (DNS rebinding) gets nothing.
      if (checkHost && !LOOPBACK.test(hostHeader.replace(/:\d+$/, ''))) {
        return send(res, 403, 'text/plain; charset=utf-8', 'Use http://localhost or 127.0.0.1.');
      }
      let path;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      } catch {
        return send(res, 400, 'text/plain; charset=utf-8', 'Bad request.');
      }
      if (path === TOKEN_PATH) return await token(req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
      }
      if (path === '/api/config') {
        const body = JSON.stringify({ mode, url: streamingUrl(hostHeader) ?? null });
        return send(res, 200, TYPES['.json'], body);
      }
      const file = await locate(path, routes);
      if (!file) return send(res, 404, 'text/plain; charset=utf-8', notFound(path));
      if (file === DIRECTORY) {
        // `/react` → `/react/`, so the page's relative URLs resolve inside it.
        const { search } = new URL(req.url ?? '/', 'http://x');
        res.writeHead(301, { Location: `${encodeURI(path)}/${search}` });
        return void res.end();
      }
      if (file.endsWith('.html') && !path.startsWith('/storybook/')) {
        const html = decorate(await readFile(file, 'utf8'), mode, streamingUrl(hostHeader));
        return send(res, 200, TYPES['.html'], req.method === 'HEAD' ? '' : html);
      }
      // One byte range (`Range: bytes=…`), which browsers ask for to seek in a media file.
      const { size } = await stat(file);
      const range = byteRange(req.headers.range, size);
      const headers = {
        'Content-Type':
          TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        'Accept-Ranges': 'bytes',
      };
      if (range === 'unsatisfiable') {
        res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
        return void res.end();
      }
      const [start, end] = range ?? [0, size - 1];
      res.writeHead(range ? 206 : 200, {
        ...headers,
        'Content-Length': String(Math.max(0, end - start + 1)),
        ...(range && { 'Content-Range': `bytes ${start}-${end}/${size}` }),
      });
      if (req.method === 'HEAD' || size === 0) return void res.end();
      createReadStream(file, { start, end }).pipe(res);
    } catch (error) {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Server error.');
      else res.destroy();
      console.error(error);
    }
  });
  const attached = fake && attach(fake, server, { path: WS_PATH });

  await new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise(undefined);
    });
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const name =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    mode,
    origin: `http://${name}:${address.port}`,
    port: address.port,
    fake,
    close: () =>
      new Promise((resolveClose) => {
        attached?.close();
        server.close(() => resolveClose());
        setTimeout(() => server.closeAllConnections(), 200).unref();
      }),
  };
}

const DIRECTORY = Symbol('a directory, asked for without its trailing slash');

/**
 * The file for a URL path, {@link DIRECTORY}, or undefined. Only files under the route's
 * directory are served.
 * @param {string} path
 * @param {Array<[string, string]>} routes
 * @returns {Promise<string | typeof DIRECTORY | undefined>}
 */
async function locate(path, routes) {
  let file;
  if (path === '/' || path === '/index.html') file = join(EXAMPLES, 'index.html');
  else if (path === '/favicon.ico') file = join(EXAMPLES, 'shared/favicon.svg');
  else {
    const route = routes.find(
      ([prefix]) => path === prefix.slice(0, -1) || path.startsWith(prefix)
    );
    if (!route) return undefined;
    const [prefix, dir] = route;
    file = resolve(dir, '.' + path.slice(prefix.length - 1));
    if (file !== dir && !file.startsWith(dir + sep)) return undefined;
  }
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      if (!path.endsWith('/')) return DIRECTORY;
      file = join(file, 'index.html');
      await stat(file);
    }
    return file;
  } catch {
    return undefined;
  }
}

/**
 * The byte range a `Range` header asks for, as `[start, end]` (inclusive); undefined for the whole
 * file (no header, or one this server does not take, such as several ranges); 'unsatisfiable'
 * for a range past the end.
 * @param {string | undefined} header
 * @param {number} size
 * @returns {[number, number] | 'unsatisfiable' | undefined}
 */
function byteRange(header, size) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (!match[1] && !match[2])) return undefined;
  if (!match[1]) {
    // `bytes=-N`: the last N bytes.
    const length = Math.min(Number(match[2]), size);
    return length > 0 ? [size - length, size - 1] : 'unsatisfiable';
  }
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size) return 'unsatisfiable';
  return end >= start ? [start, end] : undefined;
}

/** @param {string} path */
function notFound(path) {
  const built = /^\/(react|vue|storybook|vendor)\b/.test(path);
  return built
    ? `Not found: ${path}. Build the examples first: \`npm start\` does it (or \`npm run build\`).`
    : `Not found: ${path}`;
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} type
 * @param {string} body
 */
function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/** @param {string} text */
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Adds what the example server knows to a page: which service it talks to (a banner and
 * `<meta name="live-transcript-mode">`) and, for the emulator, its WebSocket URL
 * (`<meta name="live-transcript-url">`, and a `url` attribute on every `<live-transcript>` tag
 * without one). Your own pages need none of this: without `url` the element talks to AssemblyAI.
 * @param {string} html
 * @param {'emulator' | 'assemblyai'} mode
 * @param {string | undefined} url
 */
export function decorate(html, mode, url) {
  const meta =
    `<meta name="live-transcript-mode" content="${mode}" />` +
    (url ? `<meta name="live-transcript-url" content="${escapeHtml(url)}" />` : '') +
    `<link rel="stylesheet" href="/shared/banner.css" />`;
  const banner =
    mode === 'emulator'
      ? `<aside class="example-banner" data-mode="emulator" role="note"><strong>Emulator</strong> — no <code>ASSEMBLYAI_API_KEY</code> is set, so this page talks to a local imitation of AssemblyAI. It hears when you speak, but the words are placeholders (<em>alpha bravo charlie…</em>). For real transcription, stop the server and run <code>ASSEMBLYAI_API_KEY=your-key npm start</code>. <a href="/">All examples</a></aside>`
      : `<aside class="example-banner" data-mode="assemblyai" role="note"><strong>AssemblyAI</strong> — real transcription by AssemblyAI's Universal Streaming API. This server mints a short-lived token for each connection at <code>${TOKEN_PATH}</code>; the API key never reaches the browser. <a href="/">All examples</a></aside>`;
  let out = html.replace(/<head>/i, (head) => `${head}\n    ${meta}`);
  out = out.replace(/<body([^>]*)>/i, (body) => `${body}\n    ${banner}`);
  if (url) {
    out = out.replace(/<live-transcript(?![\w-])([^>]*)>/g, (tag, attributes) =>
      /\surl=/.test(attributes) ? tag : `<live-transcript url="${escapeHtml(url)}"${attributes}>`
    );
  }
  return out;
}

/** Prints where everything is. */
function printUrls(/** @type {ExampleServer} */ started) {
  const { origin, mode } = started;
  const lines = [
    '',
    `  live-transcript examples on ${origin}/`,
    '',
    `    Plain HTML   ${origin}/vanilla/`,
    `    React        ${origin}/react/`,
    `    Vue          ${origin}/vue/`,
    `    Storybook    ${origin}/storybook/`,
    `    Token route  ${origin}${TOKEN_PATH}`,
    '',
    '  The Next.js and Nuxt apps run on their own (see examples/README.md):',
    '    Next.js      cd examples/nextjs && npm install && npm run dev            (port 3000)',
    '    Nuxt         cd examples/nuxt && npm install && PORT=3001 npm run dev    (port 3001)',
    '',
    mode === 'emulator'
      ? '  Mode: EMULATOR. No ASSEMBLYAI_API_KEY is set, so the pages talk to a local imitation of\n' +
        '  AssemblyAI on this port: it hears speech, but the words are placeholders. For real\n' +
        '  transcription: ASSEMBLYAI_API_KEY=your-key npm start'
      : '  Mode: ASSEMBLYAI. Real transcription; tokens are minted with ASSEMBLYAI_API_KEY, which\n' +
        '  never leaves this server. Unset it to use the offline emulator.',
    '',
    '  Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}

/**
 * Runs the server until SIGINT/SIGTERM: `PORT` (default 5173, else any free port), `HOST`
 * (default 127.0.0.1).
 */
export async function main() {
  const host = process.env.HOST || '127.0.0.1';
  const wanted = process.env.PORT ? Number(process.env.PORT) : 5173;
  /** @type {ExampleServer} */
  let started;
  try {
    started = await createExampleServer({ host, port: wanted });
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code !== 'EADDRINUSE' || process.env.PORT) throw error;
    console.log(`  Port ${wanted} is taken; using a free one.`);
    started = await createExampleServer({ host, port: 0 });
  }
  printUrls(started);
  let stopping = false;
  const stop = async () => {
    if (stopping) return process.exit(130);
    stopping = true;
    console.log('\n  Stopping the example server...');
    await started.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return started;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
