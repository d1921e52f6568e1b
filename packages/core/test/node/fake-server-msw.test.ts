// SPDX-License-Identifier: MIT
// The msw transport (`handlers(fake)`) in Node, with msw's `setupServer`. Node 20 has no
// WebSocket global for msw to patch, so this file installs `ws`' WebSocket as one (Node 22 has
// its own); msw replaces it with its interceptor and no real socket is opened.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { WebSocket as NodeWebSocket } from 'ws';
import {
  createFakeStreamingServer,
  pcm16Silence,
  sendPaced,
  type FakeStreamingServer,
} from '../../src/testing/index.js';
import { handlers } from '../../src/testing/msw.js';

(globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;

interface Seen {
  ws: WebSocket;
  messages: Array<Record<string, unknown>>;
  events: string[];
  closed: Promise<{ code: number; reason: string; wasClean: boolean }>;
}

function open(query: string): Seen {
  const ws = new WebSocket(`wss://streaming.assemblyai.com/v3/ws?speech_model=u3-rt-pro&${query}`);
  const messages: Array<Record<string, unknown>> = [];
  const events: string[] = [];
  ws.addEventListener('open', () => events.push('open'));
  ws.addEventListener('error', () => events.push('error'));
  ws.addEventListener('message', (e) => messages.push(JSON.parse(String(e.data))));
  const closed = new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) =>
    ws.addEventListener('close', ({ code, reason, wasClean }) =>
      resolve({ code, reason, wasClean })
    )
  );
  return { ws, messages, events, closed };
}

const token = async () =>
  ((await (await fetch('http://app.test/api/assemblyai-token')).json()) as { token: string }).token;

describe('fake server over msw in Node', () => {
  const server = setupServer();
  let fake: FakeStreamingServer;
  before(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => fake.close());
  after(() => server.close());
  const use = () => {
    fake = createFakeStreamingServer();
    server.resetHandlers(...handlers(fake));
  };

  it('runs a session: token, Begin, audio, Terminate, Termination, close 1000', async () => {
    use();
    const session = open(`token=${await token()}`);
    await new Promise((resolve) => session.ws.addEventListener('open', resolve));
    await sendPaced(pcm16Silence(600), (frame) => session.ws.send(frame), { frameMs: 100 });
    session.ws.send('{"type":"Terminate"}');
    assert.deepEqual(await session.closed, { code: 1000, reason: '', wasClean: true });
    assert.deepEqual(
      session.messages.map((m) => m.type),
      ['Begin', 'Termination']
    );
    assert.equal(fake.sessions[0]!.audioMs, 600);
    assert.deepEqual(
      fake.sessions[0]!.frames.map((f) => f.bytes),
      new Array(6).fill(3200)
    );
  });

  it('refuses a reused token (Error, then 1008) and rejects short frames (3007)', async () => {
    use();
    const reused = await token();
    const first = open(`token=${reused}`);
    await new Promise((resolve) => first.ws.addEventListener('open', resolve));
    first.ws.send(new Int16Array(320));
    assert.equal((await first.closed).code, 3007);
    const second = open(`token=${reused}`);
    const closed = await second.closed;
    assert.equal(closed.code, 1008);
    assert.deepEqual(
      second.events,
      ['open'],
      'the upgrade succeeded, then the Error frame and close'
    );
    assert.equal(second.messages[0]!.error_code, 1008);
  });

  it('shows a handshake refusal and a drop as error + 1006, not clean', async () => {
    use();
    fake.inject.refuse({ handshake: true });
    const refused = open(`token=${await token()}`);
    assert.deepEqual(await refused.closed, { code: 1006, reason: '', wasClean: false });
    assert.deepEqual(refused.events, ['error']);
    const dropped = open(`token=${await token()}`);
    await new Promise((resolve) => dropped.ws.addEventListener('open', resolve));
    fake.dropSession();
    assert.deepEqual(await dropped.closed, { code: 1006, reason: '', wasClean: false });
    assert.deepEqual(dropped.events, ['open', 'error']);
  });
});
