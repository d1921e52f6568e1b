// SPDX-License-Identifier: MIT
// A raw WebSocket client for the fake-server tests: it knows nothing of our client code, only
// the wire (query string in, JSON text frames and close codes out).
import { readFileSync } from 'node:fs';
import WebSocket, { type ClientOptions } from 'ws';
import { decodeWav, floatToPcm16 } from '../../src/testing/index.js';

export const FIXTURES = new URL('../../../../fixtures/', import.meta.url);

/** The 14.7 s speech fixture as 16 kHz PCM16. */
export function speechPcm(): Int16Array {
  return floatToPcm16(decodeWav(readFileSync(new URL('speech-16k.wav', FIXTURES))).samples);
}

export type Message = { type?: string } & Record<string, unknown>;

export interface RawClient {
  ws: WebSocket;
  messages: Message[];
  /** Resolves true on `open`, false if the upgrade failed (`status` then holds the HTTP status). */
  opened: Promise<boolean>;
  status?: number;
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first message of `type` at or after index `from` (default: any). */
  next(type: string, from?: number): Promise<Message>;
  json(message: unknown): void;
}

/** Builds a session URL from `base` and query parameters (defaults: 16 kHz, a Universal model). */
export function sessionUrl(base: string, params: Record<string, string | undefined> = {}): string {
  const url = new URL(base);
  const all = { sample_rate: '16000', speech_model: 'universal-streaming-english', ...params };
  for (const [key, value] of Object.entries(all))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.href;
}

export function rawClient(url: string, options?: ClientOptions): RawClient {
  const ws = new WebSocket(url, options);
  const messages: Message[] = [];
  const waiters = new Set<() => void>();
  const client: RawClient = {
    ws,
    messages,
    opened: new Promise((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('unexpected-response', (_req, res) => {
        client.status = res.statusCode;
        resolve(false);
        ws.terminate();
      });
      ws.once('error', () => resolve(false));
    }),
    closed: new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of waiters) wake();
      })
    ),
    next(type, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.slice(from).find((m) => m.type === type);
          if (found) {
            waiters.delete(check);
            resolve(found);
          } else if (ws.readyState === WebSocket.CLOSED) {
            waiters.delete(check);
            reject(
              new Error(
                `closed before a ${type} message; got ${messages.map((m) => m.type).join(', ')}`
              )
            );
          }
        };
        waiters.add(check);
        check();
      });
    },
    json: (message) => ws.send(JSON.stringify(message)),
  };
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => {
    let message: Message;
    try {
      message = isBinary
        ? { type: '(binary)', bytes: (data as Buffer).length }
        : (JSON.parse(data.toString()) as Message);
    } catch {
      message = { type: '(invalid)', raw: data.toString() };
    }
    messages.push(message);
    for (const wake of [...waiters]) wake();
  });
  return client;
}

/** Fetches a token from the fake's app-style token route. */
export async function fetchToken(tokenUrl: string): Promise<string> {
  const response = await fetch(tokenUrl);
  if (!response.ok) throw new Error(`token route answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Polls `predicate` every 10 ms until it returns a truthy value (client-side conditions). */
export async function until<T>(
  predicate: () => T | undefined | false | null,
  timeoutMs = 5000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`until: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
