// SPDX-License-Identifier: MIT
// The Node transport of the fake server: a real `ws` WebSocket server and the HTTP token routes
// on one port, optionally over TLS (`wss:`/`https:`, which AssemblyAI's own SDK requires).
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { FakeConnection, FakeStreamingServer } from './fake-server.js';

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
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Map<WebSocket, FakeConnection>();

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = `${tls ? 'wss' : 'ws'}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
    const request = { url, authorization: req.headers.authorization };
    const reject = (status: number, text: string) => {
      const body = JSON.stringify({ error: text });
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Unauthorized'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
      );
    };
    if (new URL(url).pathname !== '/v3/ws') return reject(404, 'Not found');
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
  });

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
        for (const connection of sockets.values()) connection.close(1001, 'Going Away');
        wss.close();
        server.close(() => resolve());
        // Give clients a moment to answer the close frames, then cut what is left.
        setTimeout(() => {
          for (const ws of sockets.keys()) ws.terminate();
          server.closeAllConnections();
        }, 200).unref();
      }),
  };
}
