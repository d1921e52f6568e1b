// SPDX-License-Identifier: MIT
// `@live-transcript/core/testing/msw`: the msw transport of the fake server, HTTP handlers for
// the token routes and `ws.link` handlers for the socket. This is the only module that imports
// msw (an optional peer); it imports the fake, never the other way round, so
// `@live-transcript/core/testing` loads without msw installed.
//
// What msw can and cannot show a client (checked against @mswjs/interceptors 0.41 source):
// - Close codes: `client.close(code, reason)` reaches the page's WebSocket with any code,
//   including codes a page may not use itself (1006, 1008, 1011, 3005...), via the internal
//   close path that skips the 1000/3000-4999 check. Such closes report `wasClean: true`.
// - Frames sent before a close arrive first only if the close waits a microtask (msw queues
//   every send in a microtask); the socket adapter below does that, and also holds closes
//   until the page saw `open`, so an `Error` frame always precedes its close as on the wire.
// - A dropped connection (`inject.drop`, a handshake refusal): msw has no public way to close
//   without a close frame. The adapter fires `error` and then closes with 1006 and
//   `wasClean: false` through the interceptor's internal close method (looked up by its symbol
//   description `kClose`); if that lookup ever fails it falls back to `client.close(1006)`.
// - A handshake refusal happens inside the connection listener, before msw dispatches `open`,
//   so the page sees `error` + close 1006 and never `open`, as with a real HTTP 401/403.
// - No headers: a browser cannot set `Authorization` on a WebSocket, so only `?token=` works.
// - Frames are the objects the page passed to `send()` (ArrayBuffer, typed array, Blob), not
//   wire bytes; a Blob is read asynchronously but kept in order.
// - The official `assemblyai` browser build captures `globalThis.WebSocket` when it is first
//   imported: start msw before importing it, or its sockets bypass msw.
import { http, HttpResponse, ws, type HttpHandler, type WebSocketHandler } from 'msw';
import type { FakeRequest, FakeSocket, FakeStreamingServer } from './fake-types.js';

/** A handler returned by {@link handlers}. */
export type FakeHandler = HttpHandler | WebSocketHandler;

/** Where {@link handlers} listen. */
export interface FakeHandlersOptions {
  /**
   * The app's token route(s), answering `{ token, expires_in_seconds }` to GET or POST.
   * A path (default `/api/assemblyai-token`) matches on any origin.
   */
  tokenUrl?: string | string[];
  /** Socket URL(s) (default `wss://streaming.assemblyai.com/v3/ws`). */
  socketUrl?: string | string[];
  /** Also serve the US and EU data-residency hosts (when `socketUrl` is not given). */
  regions?: boolean;
}

const HOSTS = [
  'streaming.assemblyai.com',
  'streaming.us.assemblyai.com',
  'streaming.eu.assemblyai.com',
];

type Closable = WebSocket &
  Record<symbol, (code: number, reason: string, wasClean: boolean) => void>;

/** The interceptor's internal close (accepts any code and `wasClean`), if it can be found. */
function internalClose(socket: Closable) {
  for (let proto = Object.getPrototypeOf(socket); proto; proto = Object.getPrototypeOf(proto)) {
    const key = Object.getOwnPropertySymbols(proto).find((s) => s.description === 'kClose');
    if (key) return (code: number) => socket[key]!(code, '', false);
  }
  return undefined;
}

/** A path on any origin (msw's `*` would also match longer paths, e.g. `/v3/token` for `/token`). */
const onAnyOrigin = (path: string) =>
  new RegExp(`^[a-z]+://[^/]+${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const respond = ({ status, body }: { status: number; body: Record<string, unknown> }) =>
  HttpResponse.json(body, { status });

/**
 * msw handlers that serve `fake`: the app's token route(s), AssemblyAI's `/v3/token` and the
 * streaming socket(s), for `setupWorker()` in the browser or `setupServer()` in Node.
 *
 * @example
 * ```ts
 * import { createFakeStreamingServer } from '@live-transcript/core/testing';
 * import { handlers } from '@live-transcript/core/testing/msw';
 * import { setupWorker } from 'msw/browser';
 *
 * const fake = createFakeStreamingServer();
 * await setupWorker(...handlers(fake)).start(); // /api/assemblyai-token + wss://streaming.assemblyai.com/v3/ws
 * ```
 */
export function handlers(
  fake: FakeStreamingServer,
  { tokenUrl = '/api/assemblyai-token', socketUrl, regions = false }: FakeHandlersOptions = {}
): FakeHandler[] {
  const sockets = socketUrl
    ? [socketUrl].flat()
    : HOSTS.slice(0, regions ? 3 : 1).map((host) => `wss://${host}/v3/ws`);
  const list: FakeHandler[] = [tokenUrl]
    .flat()
    .map((route) =>
      http.all(route.startsWith('/') ? onAnyOrigin(route) : route, ({ request }) =>
        respond(fake.handleTokenRequest({ url: request.url, method: request.method }))
      )
    );
  for (const url of sockets) {
    const { origin } = new URL(url.replace(/^ws/, 'http'));
    list.push(
      http.get(`${origin}/v3/token`, ({ request }) =>
        respond(
          fake.handleTokenRequest({
            url: request.url,
            method: 'GET',
            authorization: request.headers.get('authorization'),
            assemblyAi: true,
          })
        )
      ),
      ws.link(url).addEventListener('connection', ({ client }) => {
        const page = (client as unknown as { socket: Closable }).socket;
        const request: FakeRequest = { url: client.url.href };
        const abort = () => {
          page.dispatchEvent(new Event('error'));
          (internalClose(page) ?? ((code: number) => client.close(code, '')))(1006);
        };
        if (fake.handshake(request)) return abort();
        // After queued sends, and only once the page has seen `open`.
        const later = (action: () => void) =>
          queueMicrotask(() =>
            page.readyState === 0 ? page.addEventListener('open', action, { once: true }) : action()
          );
        const socket: FakeSocket = {
          send: (data) =>
            client.send(
              typeof data === 'string'
                ? data
                : page.binaryType === 'arraybuffer'
                  ? data.slice().buffer
                  : new Blob([data.slice()])
            ),
          close: (code, reason) => later(() => client.close(code, reason)),
          drop: () => later(abort),
        };
        const connection = fake.connect(request, socket);
        let chain: Promise<void> | undefined;
        client.addEventListener('message', ({ data }) => {
          if (!chain && !(data instanceof Blob))
            return connection.message(data as ArrayBuffer | string);
          const next = (chain ?? Promise.resolve()).then(async () =>
            connection.message(
              data instanceof Blob ? await data.arrayBuffer() : (data as ArrayBuffer | string)
            )
          );
          chain = next;
          void next.then(() => {
            if (chain === next) chain = undefined;
          });
        });
        client.addEventListener('close', ({ code, reason }) => connection.closed(code, reason));
      })
    );
  }
  return list;
}
