// SPDX-License-Identifier: MIT
// The Node transport of the fake server: a real `ws` WebSocket server and the HTTP token routes
// on one port, optionally over TLS (`wss:`/`https:`, which AssemblyAI's own SDK requires), or
// the WebSocket alone on an app's own server (`attach()`).
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { FakeConnection, FakeStreamingServer } from './fake-types.js';

export interface ListenOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Serve `https:`/`wss:` with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface ListeningFakeServer {
  /** The socket URL, e.g. `ws://127.0.0.1:41234/v3/ws`. */
  url: string;
  /** The app-style token route, answering `{ token, expires_in_seconds }` (CORS: `*`). */
  tokenUrl: string;
  /** `http(s)://host:port`; `/v3/token` there mimics AssemblyAI's own token endpoint. */
  origin: string;
  port: number;
  /** Closes every socket (1001) and the server. */
  close(): Promise<void>;
}

const APP_TOKEN_PATHS = new Set(['/token', '/api/assemblyai-token']);
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
};

/**
 * Serves `fake` over a real `ws` server (path `/v3/ws`) and HTTP token routes (`/token`,
 * `/api/assemblyai-token`, and AssemblyAI's `/v3/token`) on one port.
 *
 * @example
 * ```ts
 * const fake = createFakeStreamingServer();
 * const server = await listen(fake);
 * const { token } = await (await fetch(server.tokenUrl)).json();
 * const socket = new WebSocket(`${server.url}?token=${token}&speech_model=u3-rt-pro&sample_rate=16000`);
 * // ...
 * await server.close();
 * ```
 */
export async function listen(
  fake: FakeStreamingServer,
  { host = '127.0.0.1', port = 0, tls }: ListenOptions = {}
): Promise<ListeningFakeServer> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const assemblyAi = path === '/v3/token';
    if (!assemblyAi && !APP_TOKEN_PATHS.has(path)) {
      res
        .writeHead(404, { 'content-type': 'application/json', ...CORS })
        .end('{"error":"Not found"}');
      return;
    }
    if (req.method === 'OPTIONS') return void res.writeHead(204, CORS).end();
    const { status, body } = fake.handleTokenRequest({
      url: `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`,
      method: req.method ?? 'GET',
      authorization: req.headers.authorization,
      assemblyAi,
    });
    res
      .writeHead(status, { 'content-type': 'application/json', ...CORS })
      .end(JSON.stringify(body));
  };
  const server = tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest);
  const attached = attach(fake, server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const name = /^(0\.0\.0\.0|::)$/.test(host)
    ? '127.0.0.1'
    : host.includes(':')
      ? `[${host}]`
      : host;
  const origin = `${tls ? 'https' : 'http'}://${name}:${address.port}`;
  return {
    url: `${tls ? 'wss' : 'ws'}://${name}:${address.port}/v3/ws`,
    tokenUrl: `${origin}/token`,
    origin,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        attached.close();
        server.close(() => resolve());
        setTimeout(() => server.closeAllConnections(), 200).unref();
      }),
  };
}

export interface AttachOptions {
  /** The WebSocket path to answer (default `/v3/ws`, AssemblyAI's). */
  path?: string;
}

export interface AttachedFakeServer {
  /** Closes every socket of the fake (1001, cut 200 ms later) and stops answering upgrades. */
  close(): void;
}

/**
 * Serves `fake`'s WebSocket on an existing `node:http`/`node:https` server, at `path`, so an app
 * or dev server can offer the emulator on its own port. Upgrades to other paths are left to the
 * server's other `upgrade` listeners (refused with 404 when there are none). Token routes are the
 * caller's: answer them with `fake.handleTokenRequest()` or `fake.issueToken()`.
 *
 * @example
 * ```ts
 * const server = createServer(app);
 * const emulator = attach(createFakeStreamingServer(), server);
 * server.listen(5173); // pages connect to ws://localhost:5173/v3/ws
 * ```
 */
export function attach(
  fake: FakeStreamingServer,
  server: HttpServer | HttpsServer,
  { path = '/v3/ws' }: AttachOptions = {}
): AttachedFakeServer {
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Map<WebSocket, FakeConnection>();
  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const secure = (socket as Socket & { encrypted?: boolean }).encrypted === true;
    const url = `${secure ? 'wss' : 'ws'}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
    const request = { url, authorization: req.headers.authorization };
    const reject = (status: number, text: string) => {
      const body = JSON.stringify({ error: text });
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Unauthorized'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
      );
    };
    if (new URL(url).pathname !== path) {
      if (server.listenerCount('upgrade') === 1) reject(404, 'Not found');
      return;
    }
    const refusal = fake.handshake(request);
    if (refusal) return reject(refusal.status, refusal.error);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = fake.connect(request, {
        send: (data) => ws.send(data),
        close: (code, reason) => ws.close(code, reason),
        drop: () => ws.terminate(),
      });
      sockets.set(ws, connection);
      ws.on('message', (data: RawData, isBinary: boolean) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        connection.message(isBinary ? bytes : bytes.toString('utf8'));
      });
      ws.on('close', (code: number, reason: Buffer) => {
        sockets.delete(ws);
        connection.closed(code, reason.toString('utf8'));
      });
      ws.on('error', () => ws.terminate());
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const connection of sockets.values()) connection.close(1001, 'Going Away');
      wss.close();
      // Give clients a moment to answer the close frames, then cut what is left.
      setTimeout(() => {
        for (const ws of sockets.keys()) ws.terminate();
      }, 200).unref();
    },
  };
}
