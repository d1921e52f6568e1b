// SPDX-License-Identifier: MIT
import type { TokenHandler } from './token-handler.js';

/** The parts of Node's `http.IncomingMessage` (or Express's `req`) the adapter reads. */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** A TLS socket has `encrypted: true`. */
  socket?: object | null;
}

/** The parts of Node's `http.ServerResponse` (or Express's `res`) the adapter writes. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: Uint8Array): unknown;
}

const MAX_BODY = 64 * 1024;

/**
 * Adapts a WHATWG handler (from `createTokenHandler`) to Node's `(req, res)` signature, for
 * `node:http`, Express, Fastify's raw mode... Behind a proxy, `X-Forwarded-Proto` and
 * `X-Forwarded-Host` give the public origin.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createTokenHandler, toNodeHandler } from '@live-transcript/core/server';
 * const token = toNodeHandler(createTokenHandler());
 * createServer((req, res) => (req.url === '/api/token' ? token(req, res) : serveApp(req, res)));
 * // Express: app.all('/api/token', toNodeHandler(createTokenHandler()));
 * ```
 */
export function toNodeHandler(
  handler: TokenHandler
): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  return async (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const fail = (status: number, error: string, code: string) =>
      new Response(JSON.stringify({ error, code }), {
        status,
        headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      });
    let response: Response;
    try {
      const first = (value: string | string[] | undefined): string =>
        String((Array.isArray(value) ? value[0] : value) ?? '')
          .split(',')[0]!
          .trim();
      const proto =
        first(req.headers['x-forwarded-proto']) ||
        ((req.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http');
      const host = first(req.headers['x-forwarded-host']) || first(req.headers.host) || 'localhost';
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (name.startsWith(':') || value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      let body: Uint8Array | undefined;
      if (method === 'POST') {
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of req) {
          const bytes =
            typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
          chunks.push(bytes);
          if ((size += bytes.byteLength) > MAX_BODY) break;
        }
        body = new Uint8Array(size);
        size = 0;
        for (const chunk of chunks) {
          body.set(chunk, size);
          size += chunk.byteLength;
        }
      }
      response =
        body && body.byteLength > MAX_BODY
          ? fail(413, 'The request body is too large.', 'body-too-large')
          : await handler(
              new Request(new URL(req.url ?? '/', `${proto}://${host}`), {
                method,
                headers,
                body: body as BodyInit | undefined,
              })
            );
    } catch {
      response = /^(GET|POST|OPTIONS)$/.test(method)
        ? fail(400, 'Could not read the request.', 'bad-request')
        : fail(405, `Use GET or POST, not ${method}.`, 'method-not-allowed');
    }
    res.statusCode = response.status;
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.end(new Uint8Array(await response.arrayBuffer()));
  };
}
