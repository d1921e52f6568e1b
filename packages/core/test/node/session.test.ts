// SPDX-License-Identifier: MIT
// StreamingSession against the fake AssemblyAI server over real sockets (`ws`), and the
// transcript store fed by it.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { WebSocketServer, WebSocket as NodeWebSocket } from 'ws';
import {
  LiveTranscriptError,
  Transcript,
  type ServerMessage,
  type SessionWarning,
  type WebSocketConstructor,
} from '../../src/index.js';
import { StreamingSession, type StreamingSessionOptions } from '../../src/session/index.js';
import {
  createFakeStreamingServer,
  pcm16Tone,
  sendPaced,
  type FakeStreamingServerOptions,
} from '../../src/testing/index.js';
import { listen, type ListeningFakeServer } from '../../src/testing/node.js';
import { fromMulaw, toMulaw } from '../../src/audio/pcm.js';
import { FIXTURES, speechPcm } from './fake-server-client.js';
import { applyMessage } from '../../src/session/index.js';

const WebSocket = NodeWebSocket as unknown as WebSocketConstructor;
const sentences = (
  JSON.parse(readFileSync(new URL('speech.json', FIXTURES), 'utf8')) as {
    sentences: Array<{ text: string }>;
  }
).sentences.map((s) => s.text);
const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const servers: ListeningFakeServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(options: FakeStreamingServerOptions = {}) {
  const fake = createFakeStreamingServer(options);
  const server = await listen(fake);
  servers.push(server);
  const open = (extra: Partial<StreamingSessionOptions> = {}) => {
    const token = fake.issueToken();
    const session = new StreamingSession({
      token,
      url: server.url,
      WebSocket,
      speechModel: 'universal-streaming-english',
      ...extra,
    });
    const log = record(session);
    return { session, token, ...log };
  };
  return { fake, server, open };
}

function record(session: StreamingSession) {
  const errors: LiveTranscriptError[] = [];
  const warnings: SessionWarning[] = [];
  const messages: ServerMessage[] = [];
  session.addEventListener('error', (e) => errors.push(e.detail.error));
  session.addEventListener('warning', (e) => warnings.push(e.detail));
  session.addEventListener('message', (e) => messages.push(e.detail));
  return { errors, warnings, messages };
}

async function rejection(promise: Promise<unknown>): Promise<LiveTranscriptError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LiveTranscriptError, `a LiveTranscriptError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('StreamingSession + Transcript: the recorded sessions, end to end', () => {
  const files = readdirSync(new URL('sessions/', FIXTURES)).filter((f) => f.endsWith('.jsonl'));

  it('shows exactly the three sentences for every fixture (none after the error)', async () => {
    const pcm = speechPcm();
    await Promise.all(
      files.map(async (file) => {
        const script = readFileSync(new URL(`sessions/${file}`, FIXTURES), 'utf8');
        const { fake, open } = await serve({ script });
        const formatTurns = file.includes('format-turns');
        const u3 = file.startsWith('u3');
        const speechModel = u3 ? 'u3-rt-pro' : 'universal-streaming-english';
        const { session, errors } = open({ speechModel, formatTurns });
        const transcript = new Transcript({ formatTurns, speechModel });
        const finals: string[] = [];
        session.addEventListener('message', ({ detail }) => {
          applyMessage(transcript, detail, { sessionId: session.id });
          finals.push(...transcript.lastReady.map((turn) => turn.text));
        });
        const closed = session.closed;
        await session.connect();
        // 7 ms chunks: the session re-cuts them into exact 50 ms frames.
        await sendPaced(pcm, (chunk) => session.send(chunk), { frameMs: 7 });
        if (file.includes('error')) {
          const { error } = await closed;
          assert.equal(error?.code, 'server-error', file);
          assert.equal(error?.retriable, true);
          assert.equal(error?.closeCode, 3005);
          assert.deepEqual(
            errors.map((e) => e.code),
            ['server-error'],
            'one error for the Error frame and the close'
          );
          assert.equal(session.send(pcm16Tone(50)), false, 'no audio after the end');
          assert.deepEqual(finals, [], `${file}: no final turn`);
          assert.equal(transcript.partial, '', `${file}: no stale partial`);
          return;
        }
        const termination = await session.terminate();
        assert.equal(termination?.type, 'Termination', file);
        assert.deepEqual(errors, [], file);
        const expected = formatTurns || u3 ? sentences : sentences.map(words);
        assert.deepEqual(finals, expected, file);
        assert.deepEqual(
          transcript.turns.map((turn) => turn.text),
          expected,
          `${file}: no duplicate`
        );
        assert.equal(transcript.partial, '', `${file}: no stale partial`);
        const [connection] = fake.connections;
        assert.ok(
          connection!.frames.every((f) => f.bytes === 1600),
          `${file}: exact frames`
        );
        assert.equal(connection!.closed?.code, 1000);
      })
    );
  });
});

describe('StreamingSession: close codes before Begin, mid-session and during terminate()', () => {
  const codes: Array<[number, string, string, boolean]> = [
    [1008, 'Unauthorized Connection: Invalid temporary token', 'auth-failed', false],
    [1008, 'Unauthorized connection: Too many concurrent sessions', 'too-many-sessions', true],
    [3005, 'Session Cancelled: An error occurred', 'server-error', true],
    [3006, 'Invalid Message Type: Nope', 'protocol-error', false],
    [
      3007,
      'Input duration violation: 20 ms. Expected between 50 and 1000 ms',
      'protocol-error',
      false,
    ],
    [3008, 'Session Expired: Maximum session duration exceeded', 'session-expired', true],
    [3009, 'Unauthorized Connection: Too many concurrent sessions', 'too-many-sessions', true],
    [1001, 'Going Away', 'server-error', true],
    [1011, 'Internal Error', 'server-error', true],
    [1012, 'Service Restart', 'server-error', true],
    [1013, 'Try Again Later', 'server-error', true],
  ];

  for (const [code, reason, expected, retriable] of codes) {
    it(`${code} ${reason}`, async () => {
      const { fake, open } = await serve();
      const check = (error: LiveTranscriptError, phase: string, token: string) => {
        assert.equal(error.code, expected, phase);
        assert.equal(error.retriable, retriable, phase);
        assert.equal(error.closeCode, code, phase);
        assert.ok(!error.message.includes(token), `${phase}: no token in the message`);
      };

      // Before Begin: connect() rejects; no 'error' event (one error per failure).
      fake.inject.refuse({ code, reason });
      const before = open();
      check(await rejection(before.session.connect()), 'before Begin', before.token);
      assert.deepEqual(before.errors, []);

      // Mid-session: one 'error' event, and the close carries the same error.
      const mid = open();
      await mid.session.connect();
      mid.session.send(pcm16Tone(200));
      await fake.waitFor(() => fake.connections.at(-1)!.frames.length >= 2);
      fake.closeSession(mid.session.id, code, reason);
      const midClose = await mid.session.closed;
      assert.equal(mid.errors.length, 1);
      check(mid.errors[0]!, 'mid-session', mid.token);
      assert.equal(midClose.error, mid.errors[0]);

      // During terminate(): it rejects with the error (and no 'error' event).
      const late = open();
      await late.session.connect();
      late.session.send(pcm16Tone(1500)); // takes ~1.25 s to leave at real-time pace
      const terminating = late.session.terminate();
      await delay(100);
      fake.closeSession(late.session.id, code, reason);
      check(await rejection(terminating), 'during terminate', late.token);
      assert.deepEqual(late.errors, []);
    });
  }

  it('1006: refused at the HTTP level before Begin, or dropped mid-session', async () => {
    const { fake, open } = await serve();
    fake.inject.refuse({ handshake: true, status: 401 });
    const before = open();
    const error = await rejection(before.session.connect());
    assert.equal(error.code, 'network');
    assert.equal(error.retriable, true);
    assert.equal(error.closeCode, 1006);
    assert.match(error.message, /before the session began/);

    const mid = open();
    await mid.session.connect();
    fake.dropSession(mid.session.id);
    const { error: dropped } = await mid.session.closed;
    assert.equal(dropped?.code, 'network');
    assert.equal(dropped?.closeCode, 1006);
    assert.equal(mid.errors.length, 1);
  });
});

describe('StreamingSession: timeouts never hang', () => {
  /** A server that upgrades and then says nothing (or only Begin), ever. */
  async function silentServer(sendBegin: boolean) {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    const received: string[] = [];
    wss.on('connection', (socket) => {
      if (sendBegin) socket.send(JSON.stringify({ type: 'Begin', id: 'quiet', expires_at: 0 }));
      socket.on('message', (data, binary) => {
        if (!binary) received.push(String(data));
      });
    });
    const { port } = wss.address() as { port: number };
    return { url: `ws://127.0.0.1:${port}/v3/ws`, received, close: () => wss.close() };
  }

  it('connect() rejects with connect-timeout when Begin never comes', async () => {
    const server = await silentServer(false);
    const session = new StreamingSession({
      token: 't',
      url: server.url,
      WebSocket,
      connectTimeoutMs: 300,
    });
    const started = performance.now();
    const error = await rejection(session.connect());
    assert.equal(error.code, 'connect-timeout');
    assert.equal(error.retriable, true);
    assert.ok(performance.now() - started < 2000);
    assert.equal(session.state, 'closed');
    server.close();
  });

  it('terminate() resolves (without a Termination) when the server never answers', async () => {
    const server = await silentServer(true);
    const session = new StreamingSession({
      token: 't',
      url: server.url,
      WebSocket,
      stopTimeoutMs: 300,
    });
    await session.connect();
    session.send(pcm16Tone(100));
    const started = performance.now();
    assert.equal(await session.terminate(), undefined);
    assert.ok(performance.now() - started < 2000);
    assert.equal(session.state, 'closed');
    assert.ok(server.received.some((text) => text.includes('"Terminate"')));
    server.close();
  });

  it('connect() can be aborted', async () => {
    const server = await silentServer(false);
    const controller = new AbortController();
    const session = new StreamingSession({ token: 't', url: server.url, WebSocket });
    const connecting = session.connect(controller.signal);
    controller.abort();
    assert.equal((await rejection(connecting)).code, 'aborted');
    server.close();
  });
});

describe('StreamingSession: audio framing, pacing and the queue', () => {
  it('cuts any input into exact 50 ms frames, queues audio sent before Begin, pads the tail', async () => {
    const { fake, open } = await serve();
    fake.inject.delayBegin(400);
    const { session } = open();
    const pcm = pcm16Tone(1234, 440);
    const bytes = new Uint8Array(pcm.buffer);
    // Odd chunk sizes, before Begin.
    for (let i = 0; i < bytes.length; i += 333) session.send(bytes.subarray(i, i + 333));
    await session.connect();
    await session.terminate();
    const [connection] = fake.connections;
    assert.ok(connection!.frames.every((f) => f.bytes === 1600));
    assert.equal(connection!.frames.length, Math.ceil(1234 / 50));
    assert.equal(connection!.closed?.code, 1000);
  });

  it('mu-law: 800-byte frames per 50 ms at 16 kHz, the queue counted in ms, the tail padded with 0xFF', async () => {
    const { fake, open } = await serve({ recordAudio: true });
    fake.inject.delayBegin(300);
    const { session, warnings, errors } = open({ encoding: 'pcm_mulaw', maxQueueMs: 1000 });
    const mulaw = Uint8Array.from(pcm16Tone(1234, 440), toMulaw); // 1 byte per sample
    for (let i = 0; i < mulaw.length; i += 333) session.send(mulaw.subarray(i, i + 333));
    // 24 whole frames (1200 ms) and 34 ms staged; 1000 ms queued, the oldest 200 ms dropped.
    assert.equal(session.audioAcceptedMs, 1200);
    assert.equal(session.queuedMs, 1000);
    assert.equal(session.audioDroppedMs, 200);
    assert.equal(
      warnings.reduce((sum, w) => sum + (w.droppedMs ?? 0), 0),
      200
    );
    await session.connect();
    await session.terminate();
    assert.deepEqual(errors, []);
    assert.equal(session.audioSentMs, 1050);
    const [connection] = fake.connections;
    assert.deepEqual(
      connection!.frames.map((f) => [f.bytes, f.ms]),
      new Array(21).fill([800, 50])
    );
    assert.equal(connection!.audioMs, 1050);
    assert.equal(connection!.params.encoding, 'pcm_mulaw');
    assert.deepEqual(connection!.closed && [connection!.closed.code, connection!.closed.by], [
      1000,
      'server',
    ]);
    // The newest audio, in order (the oldest 200 ms dropped); the tail: 34 ms of it, then 0xFF.
    const received = connection!.frames.flatMap((f) => Array.from(f.pcm!));
    const tail = new Uint8Array(800).fill(0xff);
    tail.set(mulaw.subarray(1200 * 16));
    const expected = [...mulaw.subarray(200 * 16, 1200 * 16), ...tail].map(fromMulaw);
    assert.deepEqual(received, expected);
    assert.ok(
      received.slice(-256).every((v) => v === 0),
      'padding decodes to 0, not -32124'
    );
  });

  for (const encoding of ['pcm_s16le', 'pcm_mulaw'] as const) {
    it(`${encoding}: terminate() leaves out the silence at the end of the queue`, async () => {
      const { fake, open } = await serve();
      const { session } = open({ encoding });
      await session.connect();
      const tone = pcm16Tone(200, 440);
      const silence = new Int16Array(16 * 600);
      const encode = (pcm: Int16Array) =>
        encoding === 'pcm_mulaw' ? Uint8Array.from(pcm, toMulaw) : pcm;
      session.send(encode(tone));
      session.send(encode(silence));
      const started = performance.now();
      assert.equal(session.queuedMs, 800 - session.audioSentMs);
      await session.terminate();
      // The tone (4 frames), and what the 250 ms pacing allowance let out at once; not the rest.
      assert.ok(fake.connections[0]!.frames.length <= 6, 'no silence from the end of the queue');
      assert.equal(fake.connections[0]!.audioMs, session.audioSentMs);
      assert.ok(performance.now() - started < 600, 'without waiting for 600 ms of silence');
    });
  }

  it('never sends faster than real time, even with seconds of audio queued', async () => {
    const { fake, open } = await serve({ pacing: { toleranceMs: 500 } });
    const { session, errors } = open();
    await session.connect();
    const started = performance.now();
    session.send(pcm16Tone(3000)); // three seconds at once
    assert.ok(session.queuedMs > 2000);
    await session.terminate();
    assert.deepEqual(errors, []);
    const [connection] = fake.connections;
    assert.equal(connection!.closed?.code, 1000, 'no 3007');
    assert.equal(connection!.frames.length, 60);
    const elapsed = performance.now() - started;
    assert.ok(elapsed > 2500, `3 s of audio took ${elapsed.toFixed(0)} ms to send`);
    // Every frame arrived no earlier than real time allows (+ the 250 ms allowance).
    const began = connection!.beganAt!;
    connection!.frames.forEach((frame, i) => {
      assert.ok((i + 1) * 50 <= frame.at - began + 250 + 20, `frame ${i} early`);
    });
  });

  it('drops the oldest audio beyond maxQueueMs, with a warning', async () => {
    const { open } = await serve();
    const { session, warnings } = open({ maxQueueMs: 1000 });
    session.send(pcm16Tone(1500));
    assert.equal(session.queuedMs, 1000);
    assert.equal(session.audioDroppedMs, 500);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.droppedMs]),
      [['audio-dropped', 500]]
    );
    session.close();
  });

  it('holds frames while bufferedAmount is above the high-water mark, and gives up a stalled socket', async () => {
    // A socket whose buffer never drains (a stalled network): only the WebSocket is simulated.
    const sent: unknown[] = [];
    class StalledSocket {
      binaryType = 'blob';
      readyState = 0;
      bufferedAmount = 0;
      onmessage: ((e: { data: unknown }) => void) | null = null;
      onclose: ((e: { code: number; reason: string }) => void) | null = null;
      constructor() {
        setTimeout(() => {
          this.readyState = 1;
          this.onmessage?.({ data: JSON.stringify({ type: 'Begin', id: 's', expires_at: 0 }) });
        });
      }
      send(data: ArrayBuffer | string) {
        sent.push(data);
        if (typeof data !== 'string') this.bufferedAmount += data.byteLength;
      }
      close() {
        this.readyState = 3;
      }
    }
    const session = new StreamingSession({
      token: 't',
      WebSocket: StalledSocket as unknown as WebSocketConstructor,
      highWaterMark: 3200,
      pacingAllowanceMs: 10_000,
    });
    await session.connect();
    session.send(pcm16Tone(500));
    await delay(100);
    // Frames go out until the buffer passes 3200 bytes, then wait.
    assert.equal(sent.length, 3);
    assert.equal(session.queuedMs, 350);
    session.close();

    // A buffer that never drains is a dead connection: after stallTimeoutMs it is given up.
    const stalled = new StreamingSession({
      token: 't',
      WebSocket: StalledSocket as unknown as WebSocketConstructor,
      highWaterMark: 3200,
      pacingAllowanceMs: 10_000,
      stallTimeoutMs: 300,
    });
    const { errors } = record(stalled);
    await stalled.connect();
    stalled.send(pcm16Tone(500));
    const { error } = await stalled.closed;
    assert.equal(error?.code, 'network');
    assert.equal(error?.retriable, true);
    assert.deepEqual(errors, [error]);
  });

  it('keeps control messages in order behind the audio before them', async () => {
    const { fake, open } = await serve();
    const { session } = open({ inactivityTimeout: 30 });
    await session.connect();
    session.send(pcm16Tone(500));
    session.updateConfiguration({
      maxTurnSilence: 0,
      keytermsPrompt: ['Marta'],
      mode: 'balanced',
    });
    session.forceEndpoint();
    session.keepAlive();
    await session.terminate();
    const [connection] = fake.connections;
    assert.deepEqual(
      connection!.control.map((c) => (c.message as { type?: string } | undefined)?.type),
      ['UpdateConfiguration', 'ForceEndpoint', 'KeepAlive', 'Terminate']
    );
    assert.deepEqual(connection!.control[0]!.message, {
      type: 'UpdateConfiguration',
      max_turn_silence: 0,
      keyterms_prompt: ['Marta'],
      mode: 'balanced',
    });
    // All ten frames went before the first control message.
    const firstControl = connection!.control[0]!.at;
    assert.equal(connection!.frames.filter((f) => f.at <= firstControl).length, 10);
  });
});

describe('StreamingSession: hostile and unknown server frames', () => {
  it('survives malformed frames with warnings, and passes unknown types on as messages', async () => {
    const { fake, open } = await serve();
    const { session, warnings, messages, errors } = open();
    await session.connect();
    for (const kind of ['invalid-json', 'no-type', 'not-object', 'binary', 'huge'] as const) {
      fake.sendMalformed(kind, session.id);
    }
    fake.send(
      { type: 'LLMGatewayResponse', turn_order: 0, data: { answer: 42 } } as never,
      session.id
    );
    fake.send(
      { type: 'Turn', turn_order: 'zero', transcript: 5, words: 'none' } as never,
      session.id
    );
    await delay(200);
    assert.equal(session.state, 'open');
    assert.deepEqual(errors, []);
    assert.ok(warnings.filter((w) => w.code === 'malformed-message').length >= 4);
    assert.ok(
      messages.some(
        (m) => m.type === 'LLMGatewayResponse' && (m.data as { answer: number }).answer === 42
      )
    );
    assert.equal(await session.terminate().then((t) => t?.type), 'Termination');
  });
});
