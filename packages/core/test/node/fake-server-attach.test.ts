// SPDX-License-Identifier: MIT
// attach(): the fake's WebSocket on an app's own http server (the example server's emulator).
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import {
  concatPcm16,
  createFakeStreamingServer,
  createVirtualClock,
  pcm16Silence,
  pcm16Tone,
  splitFrames,
} from '../../src/testing/index.js';
import { attach } from '../../src/testing/node.js';
import { rawClient, sessionUrl, until } from './fake-server-client.js';

async function appServer(
  t: TestContext,
  server: Server = createServer((_req, res) => res.end('app'))
) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  t.after(() => server.closeAllConnections());
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('attach(fake, server)', () => {
  it('runs a whole session on the app server, next to its own routes', async (t) => {
    const clock = createVirtualClock();
    const fake = createFakeStreamingServer({ clock });
    const server = createServer((_req, res) => res.end('app'));
    const attached = attach(fake, server);
    t.after(() => attached.close());
    const host = await appServer(t, server);

    assert.equal(await (await fetch(`http://${host}/`)).text(), 'app');
    const token = fake.issueToken();
    const client = rawClient(sessionUrl(`ws://${host}/v3/ws`, { token }));
    assert.equal(await client.opened, true);
    await client.next('Begin');
    // 0.6 s of a loud tone then silence: the generator makes one final turn of it.
    const pcm = concatPcm16(pcm16Tone(600, 440, 16000, 0.5), pcm16Silence(1500));
    for (const frame of splitFrames(pcm, 100)) {
      client.ws.send(frame);
      clock.advance(100);
    }
    client.json({ type: 'Terminate' });
    await client.next('Termination');
    const { code } = await client.closed;
    assert.equal(code, 1000);
    const [session] = fake.sessions;
    assert.equal(session?.params.token, token);
    assert.ok(session!.audioMs >= 2000, `${session!.audioMs} ms of audio recorded`);
    assert.ok(
      client.messages.some((m) => m.type === 'Turn' && m.end_of_turn === true),
      'a final turn came back'
    );
    const closed = await until(() => session!.closed);
    assert.deepEqual([closed.code, closed.by], [1000, 'server']);
  });

  it('answers only its path: 404 when alone, other upgrade listeners keep theirs', async (t) => {
    const fake = createFakeStreamingServer();
    const server = createServer();
    const attached = attach(fake, server, { path: '/emulator' });
    t.after(() => attached.close());
    const host = await appServer(t, server);

    const lost = rawClient(`ws://${host}/elsewhere`);
    assert.equal(await lost.opened, false);
    assert.equal(lost.status, 404);

    const other = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (req.url === '/chat') other.handleUpgrade(req, socket, head, (ws) => ws.send('hi'));
    });
    const chat = rawClient(`ws://${host}/chat`);
    assert.equal(await chat.opened, true);
    chat.ws.close();

    const session = rawClient(sessionUrl(`ws://${host}/emulator`, { token: fake.issueToken() }));
    assert.equal(await session.opened, true);
    await session.next('Begin');
    assert.equal(fake.sessions.length, 1);
    other.close();
  });

  it('close() ends live sessions with 1001 and stops answering', async (t) => {
    const fake = createFakeStreamingServer();
    const server = createServer();
    const attached = attach(fake, server);
    const host = await appServer(t, server);

    const client = rawClient(sessionUrl(`ws://${host}/v3/ws`, { token: fake.issueToken() }));
    await client.next('Begin');
    attached.close();
    assert.equal((await client.closed).code, 1001);
    assert.equal(server.listenerCount('upgrade'), 0);
  });
});
