// SPDX-License-Identifier: MIT
// The fake AssemblyAI v3 server over a real `ws` server (listen()), driven by a raw WebSocket
// client that knows only the wire protocol.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import {
  concatPcm16,
  createFakeStreamingServer,
  createVirtualClock,
  pcm16Silence,
  pcm16Tone,
  sendPaced,
  splitFrames,
  type FakeStreamingServerOptions,
  type VirtualClock,
} from '../../src/testing/index.js';
import { listen } from '../../src/testing/node.js';
import { fromMulaw, toMulaw } from '../../src/audio/pcm.js';
import {
  fetchToken,
  rawClient,
  sessionUrl,
  until,
  type Message,
  type RawClient,
} from './fake-server-client.js';

async function serve(t: TestContext, options: FakeStreamingServerOptions = {}) {
  const fake = createFakeStreamingServer(options);
  const server = await listen(fake);
  t.after(() => server.close());
  const open = async (params: Record<string, string | undefined> = {}) => {
    const token = 'token' in params ? params.token : await fetchToken(server.tokenUrl);
    return rawClient(sessionUrl(server.url, { ...params, token }));
  };
  return { fake, server, open };
}

/** Sends PCM in frames, moving the virtual clock one frame per frame (no real waiting). */
function sendVirtual(client: RawClient, clock: VirtualClock, pcm: Int16Array, frameMs = 100) {
  for (const frame of splitFrames(pcm, frameMs)) {
    client.ws.send(frame);
    clock.advance(frameMs);
  }
}

const turns = (messages: Message[]) =>
  messages.filter((m) => m.type === 'Turn') as Array<
    Message & {
      turn_order: number;
      end_of_turn: boolean;
      turn_is_formatted: boolean;
      transcript: string;
      utterance: string;
      words: Array<{ text: string; word_is_final: boolean; start: number; end: number }>;
    }
  >;

describe('fake server over ws: the checker list', () => {
  it('refuses a missing token with an Error frame and close 1008', async (t) => {
    const { fake, open } = await serve(t);
    const client = await open({ token: undefined });
    assert.deepEqual(await client.closed, {
      code: 1008,
      reason: 'Unauthorized Connection: Missing Authorization header',
    });
    assert.deepEqual(client.messages, [
      {
        type: 'Error',
        error_code: 1008,
        error: 'Unauthorized Connection: Missing Authorization header',
      },
    ]);
    assert.equal(fake.connections[0]!.accepted, false);
    assert.equal(fake.connections[0]!.closed?.by, 'server');
  });

  it('accepts a good token once (Begin) and refuses it when reused or unknown (1008)', async (t) => {
    const { fake, server, open } = await serve(t);
    const token = await fetchToken(server.tokenUrl);
    const first = await open({ token });
    const begin = await first.next('Begin');
    assert.match(
      begin.id as string,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    );
    assert.equal(begin.expires_at, Math.floor(fake.sessions[0]!.beganAt! / 1000) + 10800);
    const reused = await open({ token });
    assert.equal((await reused.closed).code, 1008);
    assert.match(
      String(reused.messages[0]!.error),
      /^Unauthorized Connection: .*already been used/
    );
    const unknown = await open({ token: token.slice(0, -4) + 'AAAA' });
    assert.equal((await unknown.closed).code, 1008);
    assert.match(String(unknown.messages[0]!.error), /Invalid temporary token/);
    const second = await open();
    assert.notEqual((await second.next('Begin')).id, begin.id, 'session ids are unique');
    assert.deepEqual(
      fake.connections.map((c) => c.accepted),
      [true, false, false, true]
    );
    assert.equal(fake.tokens.find((r) => r.token === token)?.uses, 1);
    first.ws.close();
    second.ws.close();
  });

  it('closes with 3007 on a 20 ms frame', async (t) => {
    const { open } = await serve(t);
    const client = await open();
    await client.next('Begin');
    client.ws.send(new Int16Array(320));
    const error = 'Input duration violation: 20 ms. Expected between 50 and 1000 ms';
    assert.deepEqual(await client.closed, { code: 3007, reason: error });
    assert.deepEqual(client.messages.at(-1), { type: 'Error', error_code: 3007, error });
  });

  it('closes with 3007 on frames over 1000 ms or with an odd byte count, accepts 50 and 1000 ms', async (t) => {
    const { fake, open } = await serve(t);
    const bounds = await open();
    await bounds.next('Begin');
    bounds.ws.send(new Int16Array(800));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    bounds.ws.send(new Int16Array(16000));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 2);
    assert.equal(fake.connections[0]!.closed, undefined);
    bounds.json({ type: 'Terminate' });
    assert.equal((await bounds.closed).code, 1000);

    const long = await open();
    await long.next('Begin');
    long.ws.send(new Int16Array(16016));
    assert.equal(
      (await long.closed).reason,
      'Input duration violation: 1001 ms. Expected between 50 and 1000 ms'
    );
    const odd = await open();
    await odd.next('Begin');
    odd.ws.send(new Uint8Array(1601));
    assert.equal((await odd.closed).code, 3007);
  });

  it('closes with 3007 when audio arrives at 3x real time', async (t) => {
    const { fake, open } = await serve(t);
    const client = await open();
    await client.next('Begin');
    const send = (frame: Int16Array) => {
      if (client.ws.readyState !== client.ws.OPEN) throw new Error('closed');
      client.ws.send(frame);
    };
    const sent = await sendPaced(pcm16Tone(3000), send, {
      frameMs: 50,
      speed: 3,
    });
    const { code, reason } = await client.closed;
    assert.equal(code, 3007);
    assert.match(
      reason,
      /^Audio Transmission Rate Exceeded: Received \d+(\.\d)? sec\. audio in \d+(\.\d)? sec$/
    );
    const record = fake.connections[0]!;
    const elapsed = record.frames.at(-1)!.at - record.beganAt!;
    assert.ok(record.audioMs > elapsed + 500, 'the last frame broke the 500 ms tolerance');
    assert.ok(sent < 60, `stopped early (sent ${sent} of 60 frames)`);
  });

  it('accepts audio at real time and enforces the tolerance exactly (virtual clock)', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock, pacing: { toleranceMs: 250 } });
    const client = await open();
    await client.next('Begin');
    // At time 0: 300 ms of audio is within 0 + 250? No: the third 100 ms frame breaks it.
    for (let i = 0; i < 2; i++) client.ws.send(new Int16Array(1600));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 2);
    assert.equal(fake.connections[0]!.closed, undefined, '200 ms ahead is within 250 ms');
    clock.advance(100);
    client.ws.send(new Int16Array(1600));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 3);
    assert.equal(fake.connections[0]!.closed, undefined, '300 ms of audio after 100 ms');
    client.ws.send(new Int16Array(1600));
    assert.deepEqual(await client.closed, {
      code: 3007,
      reason: 'Audio Transmission Rate Exceeded: Received 0.4 sec. audio in 0.1 sec',
    });
  });

  it('closes with 3006 on an unknown message type, invalid JSON, a non-object or a missing type', async (t) => {
    const { open } = await serve(t);
    const cases: Array<[string, string]> = [
      ['{"type":"Nope"}', 'Invalid Message Type: Nope'],
      ['{"type":', 'Invalid JSON: {"type":'],
      ['[]', 'Invalid Message: expected a JSON object'],
      ['{"foo":1}', 'Invalid Message: missing "type"'],
    ];
    for (const [frame, error] of cases) {
      const client = await open();
      await client.next('Begin');
      client.ws.send(frame);
      assert.deepEqual(await client.closed, { code: 3006, reason: error });
      assert.deepEqual(client.messages.at(-1), { type: 'Error', error_code: 3006, error });
    }
  });

  it('answers Terminate with Termination, then close 1000', async (t) => {
    const { fake, open } = await serve(t);
    const client = await open();
    await client.next('Begin');
    await sendPaced(pcm16Silence(1600), (f) => client.ws.send(f), { frameMs: 100 });
    client.json({ type: 'Terminate' });
    assert.deepEqual(await client.closed, { code: 1000, reason: '' });
    const termination = client.messages.at(-1)!;
    assert.equal(termination.type, 'Termination');
    assert.equal(termination.audio_duration_seconds, 2, '1.6 s rounds to 2');
    assert.ok(Number.isInteger(termination.session_duration_seconds));
    assert.deepEqual(fake.connections[0]!.closed && { ...fake.connections[0]!.closed, at: 0 }, {
      code: 1000,
      reason: '',
      by: 'server',
      at: 0,
    });
  });

  it('records connections, tokens, every frame and every message', async (t) => {
    const { fake, server, open } = await serve(t);
    const token = await fetchToken(server.tokenUrl);
    const client = await open({
      token,
      format_turns: 'true',
      keyterms_prompt: '["Marta","Friday"]',
    });
    await client.next('Begin');
    const sizes = [1600, 3200, 4800, 1600];
    const start = Date.now();
    for (const samples of sizes.map((bytes) => bytes / 2)) {
      client.ws.send(new Int16Array(samples));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    client.json({ type: 'UpdateConfiguration', min_turn_silence: 300 });
    client.json({ type: 'KeepAlive' });
    client.json({ type: 'Terminate' });
    await client.closed;
    const record = fake.connections[0]!;
    assert.equal(record.token, token);
    assert.equal(
      record.url,
      sessionUrl(server.url, {
        token,
        format_turns: 'true',
        keyterms_prompt: '["Marta","Friday"]',
      }).replace('127.0.0.1', new URL(record.url).host.split(':')[0]!)
    );
    assert.deepEqual(record.params, {
      sample_rate: '16000',
      speech_model: 'universal-streaming-english',
      token,
      format_turns: 'true',
      keyterms_prompt: '["Marta","Friday"]',
    });
    assert.deepEqual(record.config.keytermsPrompt, ['Marta', 'Friday']);
    assert.equal(record.config.formatTurns, true);
    assert.equal(record.config.minTurnSilence, 300, 'UpdateConfiguration applied');
    assert.deepEqual(
      record.frames.map((f) => f.bytes),
      sizes
    );
    assert.deepEqual(
      record.frames.map((f) => f.ms),
      [50, 100, 150, 50]
    );
    assert.equal(record.audioMs, 350);
    for (let i = 1; i < record.frames.length; i++) {
      assert.ok(record.frames[i]!.at >= record.frames[i - 1]!.at, 'arrival times in order');
    }
    assert.ok(record.frames[0]!.at >= start - 5);
    assert.ok(record.frames[3]!.at - record.frames[0]!.at >= 290, 'sent 100 ms apart');
    assert.deepEqual(
      record.control.map((c) => c.message),
      [
        { type: 'UpdateConfiguration', min_turn_silence: 300 },
        { type: 'KeepAlive' },
        { type: 'Terminate' },
      ]
    );
    assert.equal(record.control[1]!.raw, '{"type":"KeepAlive"}');
    assert.deepEqual(
      record.sent.map((s) => (s.message as Message).type),
      client.messages.map((m) => m.type)
    );
    assert.deepEqual(
      record.sent.map((s) => JSON.parse(s.raw as string)),
      client.messages
    );
    assert.equal(fake.tokenRequests.length, 1);
    assert.equal(fake.tokenRequests[0]!.status, 200);
    assert.equal(fake.tokens[0]!.uses, 1);
  });
});

describe('fake server over ws: handshake and query parameters', () => {
  it('refuses bad sample_rate, encoding, booleans and JSON arrays with 3006', async (t) => {
    const { fake, open } = await serve(t);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ sample_rate: 'abc' }, /sample_rate must be an integer from 8000 to 48000, got "abc"/],
      [{ sample_rate: '4000' }, /sample_rate/],
      [{ sample_rate: '16000.5' }, /sample_rate/],
      [{ encoding: 'opus' }, /encoding must be pcm_s16le or pcm_mulaw/],
      [{ format_turns: 'yes' }, /format_turns must be true or false/],
      [{ keyterms_prompt: 'Marta,Friday' }, /keyterms_prompt must be a JSON array/],
      [{ inactivity_timeout: '2' }, /inactivity_timeout must be a number from 5 to 3600/],
      [{ end_of_turn_confidence_threshold: '1.5' }, /end_of_turn_confidence_threshold/],
    ];
    for (const [params, pattern] of cases) {
      const client = await open(params);
      const { code, reason } = await client.closed;
      assert.equal(code, 3006, JSON.stringify(params));
      assert.match(String(client.messages[0]!.error), pattern);
      assert.match(reason, /^Invalid Message: query parameter /);
    }
    assert.ok(fake.connections.every((c) => !c.accepted));
    // A close reason is at most 123 bytes: longer errors travel only in the Error frame.
    const long = await open({ keyterms_prompt: 'x'.repeat(200) });
    assert.deepEqual(await long.closed, { code: 3006, reason: 'See Error message for details' });
    assert.ok(String(long.messages[0]!.error).includes('x'.repeat(200)));
  });

  it('requires speech_model by default, or defaults it when configured', async (t) => {
    const strict = await serve(t);
    const refused = await strict.open({ speech_model: undefined });
    assert.deepEqual(await refused.closed, {
      code: 3006,
      reason: 'Invalid Message: query parameter speech_model is required',
    });

    const lenient = await serve(t, { speechModel: 'defaulted', defaultSpeechModel: 'u3-rt-pro' });
    const client = await lenient.open({ speech_model: undefined });
    await client.next('Begin');
    assert.equal(lenient.fake.sessions[0]!.config.speechModel, 'u3-rt-pro');
    assert.equal(lenient.fake.sessions[0]!.config.minTurnSilence, 100, 'U3 Pro defaults');
    client.ws.close();
  });

  it('accepts pcm_mulaw and measures its frames at one byte per sample', async (t) => {
    const { fake, open } = await serve(t);
    const client = await open({ encoding: 'pcm_mulaw', sample_rate: '8000' });
    await client.next('Begin');
    client.ws.send(new Uint8Array(400).fill(0xff));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 1);
    assert.equal(fake.connections[0]!.frames[0]!.ms, 50);
    client.ws.send(new Uint8Array(160).fill(0xff));
    assert.equal(
      (await client.closed).reason,
      'Input duration violation: 20 ms. Expected between 50 and 1000 ms'
    );
  });

  it('records the audio received as linear PCM with recordAudio, mu-law decoded', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock, recordAudio: true });
    const tone = pcm16Tone(300, 440, 16000);
    const mulaw = Uint8Array.from(tone, toMulaw);
    const client = await open({ encoding: 'pcm_mulaw' });
    await client.next('Begin');
    for (let i = 0; i < mulaw.length; i += 800) {
      client.ws.send(mulaw.subarray(i, i + 800));
      clock.advance(50);
    }
    const pcm = await open({ sample_rate: '8000' });
    await pcm.next('Begin');
    pcm.ws.send(tone.slice(0, 400));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 6);
    await fake.waitFor(() => fake.connections[1]!.frames.length === 1);
    const [mulawSession, pcmSession] = fake.connections;
    assert.deepEqual(
      mulawSession!.frames.map((f) => [f.bytes, f.ms, f.pcm?.length]),
      new Array(6).fill([800, 50, 800])
    );
    const received = Int16Array.from(mulawSession!.frames.flatMap((f) => Array.from(f.pcm!)));
    assert.deepEqual(Array.from(received), Array.from(mulaw, fromMulaw));
    const error = Math.max(...received.map((v, i) => Math.abs(v - tone[i]!)));
    assert.ok(error <= 512, `within half a mu-law step of the tone: ${error}`);
    assert.deepEqual(Array.from(pcmSession!.frames[0]!.pcm!), Array.from(tone.slice(0, 400)));
    assert.equal(pcmSession!.frames[0]!.ms, 50);
    client.ws.close();
    pcm.ws.close();
    // Without the option, no audio is kept.
    const plain = await serve(t);
    const other = await plain.open();
    await other.next('Begin');
    other.ws.send(tone.slice(0, 800));
    await plain.fake.waitFor(() => plain.fake.connections[0]!.frames.length === 1);
    assert.equal(plain.fake.connections[0]!.frames[0]!.pcm, undefined);
    other.ws.close();
  });

  it('accepts the API key in the Authorization header (server-side clients) and nothing else', async (t) => {
    const { fake, server } = await serve(t, { apiKey: 'test-api-key' });
    const good = rawClient(sessionUrl(server.url), { headers: { Authorization: 'test-api-key' } });
    await good.next('Begin');
    const bad = rawClient(sessionUrl(server.url), { headers: { Authorization: 'wrong' } });
    assert.equal((await bad.closed).code, 1008);
    const token = fake.issueToken();
    const viaHeader = rawClient(sessionUrl(server.url), { headers: { Authorization: token } });
    await viaHeader.next('Begin');
    assert.equal(fake.tokens[0]!.uses, 1, 'a temporary token also works in the header');
    good.ws.close();
    viaHeader.ws.close();
  });

  it('refuses an expired token with 1008', async (t) => {
    const clock = createVirtualClock();
    const { fake, server, open } = await serve(t, { clock, expiresInSeconds: 30 });
    const token = await fetchToken(server.tokenUrl);
    const short = await fetchToken(`${server.tokenUrl}?expires_in_seconds=5`);
    clock.advance(10_000);
    const expiredShort = await open({ token: short });
    assert.equal((await expiredShort.closed).code, 1008);
    assert.match(String(expiredShort.messages[0]!.error), /Temporary token has expired/);
    const stillGood = await open({ token });
    await stillGood.next('Begin');
    stillGood.ws.close();
    const late = fake.issueToken();
    clock.advance(30_001);
    const expired = await open({ token: late });
    assert.equal((await expired.closed).code, 1008);
  });

  it('simulates an HTTP-level refusal (401) without burning the token', async (t) => {
    const { fake, server, open } = await serve(t);
    fake.inject.refuse({ handshake: true });
    const token = await fetchToken(server.tokenUrl);
    const refused = await open({ token });
    assert.equal(await refused.opened, false);
    assert.equal(refused.status, 401);
    assert.deepEqual(fake.connections[0]!.handshakeRefused, {
      status: 401,
      error: 'Unauthorized Connection: Refused by the fake server',
    });
    assert.equal(fake.connections[0]!.closed?.code, 1006);
    const retry = await open({ token });
    await retry.next('Begin');
    retry.ws.close();
  });

  it('refuses the next connections with an injected code, after redeeming the token', async (t) => {
    const { fake, server, open } = await serve(t);
    fake.inject.refuse({ code: 3009, times: 2 });
    const token = await fetchToken(server.tokenUrl);
    for (let i = 0; i < 2; i++) {
      const client = await open(i === 0 ? { token } : {});
      assert.deepEqual(await client.closed, {
        code: 3009,
        reason: 'Unauthorized Connection: Too many concurrent sessions',
      });
      assert.equal(client.messages[0]!.error_code, 3009);
    }
    const reused = await open({ token });
    assert.equal((await reused.closed).code, 1008, 'the refused session used the token up');
    const fresh = await open();
    await fresh.next('Begin');
    fresh.ws.close();
    fake.inject.refuse({
      code: 1008,
      reason: 'Unauthorized Connection: Insufficient balance',
      errorFrame: false,
    });
    const silent = await open();
    assert.deepEqual(await silent.closed, {
      code: 1008,
      reason: 'Unauthorized Connection: Insufficient balance',
    });
    assert.deepEqual(silent.messages, []);
  });

  it('404s other paths', async (t) => {
    const { server } = await serve(t);
    const client = rawClient(server.url.replace('/v3/ws', '/v2/realtime/ws'));
    assert.equal(await client.opened, false);
    assert.equal(client.status, 404);
    assert.equal((await fetch(`${server.origin}/nope`)).status, 404);
  });
});

describe('fake server over ws: token endpoints', () => {
  it('serves app-style tokens on /token and /api/assemblyai-token with CORS', async (t) => {
    const { fake, server } = await serve(t);
    for (const path of ['/token', '/api/assemblyai-token']) {
      const response = await fetch(`${server.origin}${path}`, {
        method: path === '/token' ? 'GET' : 'POST',
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      const body = (await response.json()) as { token: string; expires_in_seconds: number };
      assert.equal(body.expires_in_seconds, 60);
      assert.match(body.token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/, 'JWT-shaped');
      assert.doesNotMatch(body.token, /^[0-9a-f]{32}$/);
    }
    const preflight = await fetch(server.tokenUrl, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(new Set(fake.tokens.map((r) => r.token)).size, 2);
  });

  it('fails the next token requests when told to, then recovers', async (t) => {
    const { fake, server } = await serve(t);
    fake.inject.failTokenRequests(2, 503);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(server.tokenUrl)).status);
    assert.deepEqual(statuses, [503, 503, 200]);
    assert.deepEqual(
      fake.tokenRequests.map((r) => r.status),
      [503, 503, 200]
    );
    assert.equal(fake.tokens.length, 1);
  });

  it("mimics AssemblyAI's GET /v3/token: API key, expires_in_seconds and max_session_duration_seconds", async (t) => {
    const { fake, server, open } = await serve(t, { apiKey: 'k' });
    const mint = (query: string, key?: string) =>
      fetch(`${server.origin}/v3/token${query}`, key ? { headers: { Authorization: key } } : {});
    assert.equal((await mint('?expires_in_seconds=60')).status, 401);
    assert.equal((await mint('?expires_in_seconds=60', 'other')).status, 401);
    assert.equal((await mint('', 'k')).status, 400);
    assert.equal((await mint('?expires_in_seconds=601', 'k')).status, 400);
    assert.equal(
      (await mint('?expires_in_seconds=60&max_session_duration_seconds=59', 'k')).status,
      400
    );
    const ok = await mint('?expires_in_seconds=60&max_session_duration_seconds=120', 'k');
    const { token, expires_in_seconds } = (await ok.json()) as {
      token: string;
      expires_in_seconds: number;
    };
    assert.equal(expires_in_seconds, 60);
    const client = await open({ token });
    const begin = await client.next('Begin');
    assert.equal(begin.expires_at, Math.floor(fake.sessions[0]!.beganAt! / 1000) + 120);
    client.ws.close();
  });
});

describe('fake server over ws: control messages and timers', () => {
  it('rejects a malformed UpdateConfiguration with 3006 and accepts KeepAlive silently', async (t) => {
    const { fake, open } = await serve(t);
    const client = await open();
    await client.next('Begin');
    client.json({ type: 'KeepAlive' });
    client.json({ type: 'UpdateConfiguration', keyterms_prompt: ['a'], max_turn_silence: 3000 });
    await fake.waitFor(() => fake.connections[0]!.control.length === 2);
    assert.equal(fake.connections[0]!.config.maxTurnSilence, 3000);
    assert.deepEqual(fake.connections[0]!.config.keytermsPrompt, ['a']);
    assert.deepEqual(
      client.messages.map((m) => m.type),
      ['Begin'],
      'no acknowledgement'
    );
    client.json({ type: 'UpdateConfiguration', min_turn_silence: 'long' });
    assert.deepEqual(await client.closed, {
      code: 3006,
      reason: 'Invalid Message: UpdateConfiguration field min_turn_silence must be a number >= 0',
    });
  });

  it('closes with 3008 when the session reaches its maximum duration', async (t) => {
    const clock = createVirtualClock();
    const { fake, server, open } = await serve(t, { clock });
    const token = await fetchToken(`${server.tokenUrl}?max_session_duration_seconds=60`);
    const client = await open({ token });
    const begin = await client.next('Begin');
    assert.equal(begin.expires_at, Math.floor(clock.now() / 1000) + 60);
    clock.advance(59_999);
    assert.equal(fake.connections[0]!.closed, undefined);
    clock.advance(1);
    assert.deepEqual(await client.closed, {
      code: 3008,
      reason: 'Session Expired: Maximum session duration exceeded',
    });
    assert.deepEqual(client.messages.at(-1), {
      type: 'Error',
      error_code: 3008,
      error: 'Session Expired: Maximum session duration exceeded',
    });
  });

  it('ends an inactive session after inactivity_timeout (Termination + 1000); KeepAlive resets the timer', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock });
    const client = await open({ inactivity_timeout: '5' });
    await client.next('Begin');
    clock.advance(4000);
    client.json({ type: 'KeepAlive' });
    await fake.waitFor(() => fake.connections[0]!.control.length === 1);
    clock.advance(4000);
    assert.equal(fake.connections[0]!.closed, undefined, 'KeepAlive reset the timer');
    client.ws.send(new Int16Array(1600));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 1);
    clock.advance(4999);
    assert.equal(fake.connections[0]!.closed, undefined, 'audio reset the timer');
    clock.advance(1);
    assert.deepEqual(await client.closed, { code: 1000, reason: '' });
    assert.deepEqual(client.messages.at(-1), {
      type: 'Termination',
      audio_duration_seconds: 0,
      session_duration_seconds: 13,
    });
  });

  it('can close an inactive session with an error code instead', async (t) => {
    const clock = createVirtualClock();
    const { open } = await serve(t, {
      clock,
      inactivityClose: { code: 3005, reason: 'Session Cancelled: Inactivity timeout' },
      inactivityTimeoutRange: [1, 3600],
    });
    const client = await open({ inactivity_timeout: '1' });
    await client.next('Begin');
    clock.advance(1000);
    assert.deepEqual(await client.closed, {
      code: 3005,
      reason: 'Session Cancelled: Inactivity timeout',
    });
  });
});

describe('fake server over ws: the speech-driven generator', () => {
  const speech = () =>
    concatPcm16(
      pcm16Silence(300),
      pcm16Tone(1300, 220),
      pcm16Silence(700),
      pcm16Tone(700, 330),
      pcm16Silence(700)
    );

  it('Universal: word-by-word partials, a final after min_turn_silence, formatted copies (2025 style)', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock });
    const client = await open({ format_turns: 'true' });
    await client.next('Begin');
    sendVirtual(client, clock, speech());
    client.json({ type: 'Terminate' });
    await client.closed;
    const all = turns(client.messages);
    const first = all.filter((m) => m.turn_order === 0);
    const partials = first.filter((m) => !m.end_of_turn);
    assert.deepEqual(
      partials.map((m) => m.transcript),
      ['', 'alpha', 'alpha bravo', 'alpha bravo charlie', 'alpha bravo charlie delta']
    );
    for (const partial of partials) {
      assert.deepEqual(
        partial.words.map((w) => w.word_is_final),
        partial.words.map((_, i, a) => i < a.length - 1)
      );
      assert.equal(partial.turn_is_formatted, false);
    }
    const finals = first.filter((m) => m.end_of_turn);
    assert.deepEqual(
      finals.map((m) => [m.turn_is_formatted, m.transcript, m.utterance]),
      [
        [false, 'alpha bravo charlie delta echo', 'alpha bravo charlie delta echo'],
        [true, 'Alpha bravo charlie delta echo.', ''],
      ]
    );
    assert.equal(finals[0]!.words[0]!.start, 300, 'word times are relative to the session audio');
    assert.ok(finals[0]!.words.at(-1)!.end <= 1600);
    const second = all.filter((m) => m.turn_order === 1 && m.end_of_turn);
    assert.deepEqual(
      second.map((m) => m.transcript),
      ['foxtrot golf hotel', 'Foxtrot golf hotel.']
    );
    assert.equal(client.messages.at(-1)!.type, 'Termination');
    assert.equal(fake.connections[0]!.closed?.code, 1000);
  });

  it('Universal with in-model formatting: one formatted final per turn', async (t) => {
    const clock = createVirtualClock();
    const { open } = await serve(t, {
      clock,
      generator: { formatStyle: 'in-model', words: ['one', 'two', 'three'] },
    });
    const client = await open({ format_turns: 'true' });
    await client.next('Begin');
    sendVirtual(client, clock, speech());
    client.json({ type: 'Terminate' });
    await client.closed;
    const finals = turns(client.messages).filter((m) => m.end_of_turn);
    assert.deepEqual(
      finals.map((m) => [m.turn_order, m.turn_is_formatted, m.transcript]),
      [
        [0, true, 'One two three one two.'],
        [1, true, 'Three one two.'],
      ]
    );
  });

  it('U3 Pro family: SpeechStarted, one sparse early partial, one formatted final per turn', async (t) => {
    const clock = createVirtualClock();
    const { open } = await serve(t, { clock });
    const client = await open({ speech_model: 'u3-rt-pro' });
    await client.next('Begin');
    sendVirtual(client, clock, speech());
    client.json({ type: 'Terminate' });
    await client.closed;
    const types = client.messages.map((m) =>
      m.type === 'Turn' ? `Turn${m.end_of_turn ? '!' : ''}` : m.type
    );
    assert.deepEqual(types, [
      'Begin',
      'SpeechStarted',
      'Turn',
      'Turn!',
      'SpeechStarted',
      'Turn!',
      'Termination',
    ]);
    assert.deepEqual(
      client.messages.filter((m) => m.type === 'SpeechStarted').map((m) => m.timestamp),
      [300, 2300]
    );
    const [early, final] = turns(client.messages);
    assert.equal(early!.transcript, 'Alpha bravo charlie\u2014');
    assert.ok(early!.words.every((w) => !w.word_is_final));
    assert.equal(early!.turn_is_formatted, true);
    assert.equal(final!.transcript, 'Alpha bravo charlie delta echo.');
    assert.equal(final!.utterance, final!.transcript);
    assert.equal(final!.end_of_turn_confidence, 1);
    assert.ok(final!.words.every((w) => w.word_is_final));
  });

  it('honours min_turn_silence from the query and from UpdateConfiguration, and a custom U3 predicate', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock, isU3Pro: (model) => model === 'my-u3' });
    const long = await open({ min_turn_silence: '1000', speech_model: 'u3-rt-pro' });
    await long.next('Begin');
    sendVirtual(long, clock, speech());
    await fake.waitFor(() => fake.connections[0]!.frames.length === 37);
    assert.equal(
      turns(long.messages).filter((m) => m.end_of_turn).length,
      0,
      'a 700 ms pause is not enough'
    );
    assert.equal(
      long.messages.filter((m) => m.type === 'SpeechStarted').length,
      0,
      'u3-rt-pro is not U3 here'
    );
    long.json({ type: 'UpdateConfiguration', min_turn_silence: 200 });
    sendVirtual(long, clock, concatPcm16(pcm16Tone(300), pcm16Silence(300)));
    await long.next('Turn');
    await until(() => turns(long.messages).some((m) => m.end_of_turn));
    assert.equal(
      turns(long.messages)
        .find((m) => m.end_of_turn)!
        .transcript.split(' ').length,
      8
    );
    long.ws.close();

    const custom = await open({ speech_model: 'my-u3' });
    await custom.next('Begin');
    sendVirtual(custom, clock, speech());
    await custom.next('SpeechStarted');
    custom.ws.close();
  });

  it('ForceEndpoint ends the current turn at once; Terminate flushes the turn in flight', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock });
    const client = await open();
    await client.next('Begin');
    sendVirtual(client, clock, pcm16Tone(700));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 7);
    client.json({ type: 'ForceEndpoint' });
    const final = await until(() => turns(client.messages).find((m) => m.end_of_turn));
    assert.equal(final.transcript, 'alpha bravo charlie');
    sendVirtual(client, clock, pcm16Tone(400));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 11);
    client.json({ type: 'Terminate' });
    await client.closed;
    const finals = turns(client.messages).filter((m) => m.end_of_turn);
    assert.deepEqual(
      finals.map((m) => [m.turn_order, m.transcript]),
      [
        [0, 'alpha bravo charlie'],
        [1, 'delta echo'],
      ]
    );
    assert.equal(client.messages.at(-1)!.type, 'Termination');
  });

  it('hears pcm_mulaw speech', async (t) => {
    const clock = createVirtualClock();
    const { open } = await serve(t, { clock });
    const client = await open({ encoding: 'pcm_mulaw', sample_rate: '8000' });
    await client.next('Begin');
    const mulaw = Uint8Array.from(pcm16Tone(800, 200, 8000), toMulaw);
    for (let i = 0; i < mulaw.length; i += 800) {
      client.ws.send(mulaw.subarray(i, i + 800));
      clock.advance(100);
    }
    client.json({ type: 'Terminate' });
    await client.closed;
    assert.equal(
      turns(client.messages).find((m) => m.end_of_turn)?.transcript,
      'alpha bravo charlie'
    );
  });
});

describe('fake server over ws: faults', () => {
  it('closes with any code after N ms of audio, with an Error frame for 3xxx codes', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock });
    fake.inject.close({ code: 3005, afterAudioMs: 1000 });
    const client = await open();
    await client.next('Begin');
    sendVirtual(client, clock, pcm16Silence(2000));
    assert.deepEqual(await client.closed, {
      code: 3005,
      reason: 'Session Cancelled: An error occurred',
    });
    assert.deepEqual(client.messages.at(-1), {
      type: 'Error',
      error_code: 3005,
      error: 'Session Cancelled: An error occurred',
    });
    assert.equal(fake.connections[0]!.audioMs, 1000);

    fake.inject.close({ code: 1011, afterAudioMs: 200 });
    const second = await open();
    await second.next('Begin');
    sendVirtual(second, clock, pcm16Silence(500));
    assert.deepEqual(await second.closed, { code: 1011, reason: 'Internal Server Error' });
    assert.deepEqual(
      second.messages.map((m) => m.type),
      ['Begin'],
      'no Error frame for 1011'
    );

    const third = await open();
    await third.next('Begin');
    fake.closeSession(undefined, 4321, 'custom', { errorFrame: true });
    assert.deepEqual(await third.closed, { code: 4321, reason: 'custom' });
    assert.equal(third.messages.at(-1)!.error_code, 4321);
  });

  it('drops the connection without a close frame (the client sees 1006)', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock });
    fake.inject.drop({ afterAudioMs: 300 });
    const client = await open();
    await client.next('Begin');
    sendVirtual(client, clock, pcm16Silence(1000));
    assert.equal((await client.closed).code, 1006);
    assert.deepEqual(
      { ...fake.connections[0]!.closed, at: 0 },
      { code: 1006, reason: '', by: 'server', at: 0 }
    );
    const second = await open();
    const begin = await second.next('Begin');
    fake.dropSession(begin.id as string);
    assert.equal((await second.closed).code, 1006);
  });

  it('sends malformed frames on demand and keeps the session', async (t) => {
    const { fake, open } = await serve(t);
    const client = await open();
    await client.next('Begin');
    for (const kind of ['invalid-json', 'no-type', 'not-object', 'binary', 'huge'] as const)
      fake.sendMalformed(kind);
    await until(() => client.messages.length === 6);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(client.messages.length, 6);
    assert.deepEqual(client.messages.slice(1, 5), [
      { type: '(invalid)', raw: '{"type":"Turn","turn_order":' },
      { transcript: 'a message without a type' },
      ['Turn'],
      { type: '(binary)', bytes: 8 },
    ]);
    assert.equal(client.messages[5]!.type, 'Oversized');
    assert.ok((client.messages[5]!.padding as string).length >= 1 << 20);
    client.json({ type: 'Terminate' });
    assert.equal((await client.closed).code, 1000);
  });

  it('sends a malformed frame after N ms of audio in the next session', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock });
    fake.inject.malformed('invalid-json', { afterAudioMs: 500 });
    const client = await open();
    await client.next('Begin');
    sendVirtual(client, clock, pcm16Silence(400));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 4);
    assert.equal(client.messages.length, 1);
    sendVirtual(client, clock, pcm16Silence(100));
    await client.next('(invalid)');
    client.ws.close();
  });

  it('delays Begin; audio sent before Begin is accepted and counted', async (t) => {
    // The real-time rule counts from Begin, so audio streamed during a 400 ms delay puts the
    // client 400 ms ahead for good: this test is about acceptance, so it widens the tolerance.
    const { fake, open } = await serve(t, { pacing: { toleranceMs: 1000 } });
    fake.inject.delayBegin(400);
    const client = await open({ speech_model: 'u3-rt-pro' });
    await client.opened;
    const opened = Date.now();
    const sending = sendPaced(
      concatPcm16(pcm16Tone(1000), pcm16Silence(400)),
      (f) => client.ws.send(f),
      { frameMs: 100 }
    );
    await client.next('Begin');
    assert.ok(Date.now() - opened >= 350, 'Begin came late');
    await sending;
    client.json({ type: 'Terminate' });
    await client.closed;
    const record = fake.connections[0]!;
    assert.ok(record.frames[0]!.at < record.beganAt!, 'frames arrived before Begin');
    assert.equal(record.audioMs, 1400);
    assert.equal(client.messages.at(-1)!.audio_duration_seconds, 1);
    assert.equal(
      turns(client.messages).find((m) => m.end_of_turn)!.words[0]!.start,
      0,
      'pre-Begin audio was transcribed'
    );
  });

  it('applies a fault to a live session by id, and to several sessions with times', async (t) => {
    const clock = createVirtualClock();
    const { fake, open } = await serve(t, { clock });
    const live = await open();
    const { id } = await live.next('Begin');
    fake.inject.close({ code: 3005, session: id as string });
    assert.equal((await live.closed).code, 3005);
    fake.inject.close({ code: 3008, afterAudioMs: 100, times: 2 });
    for (let i = 0; i < 3; i++) {
      const client = await open();
      await client.next('Begin');
      sendVirtual(client, clock, pcm16Silence(200));
      if (i < 2) assert.equal((await client.closed).code, 3008);
      else {
        await fake.waitFor(() => fake.connections.at(-1)!.frames.length === 2);
        assert.equal(fake.connections.at(-1)!.closed, undefined);
        client.ws.close();
      }
    }
  });

  it('reset() closes live sessions (1001) and clears records; close() ends every session', async (t) => {
    const { fake, open } = await serve(t);
    const events: string[] = [];
    fake.subscribe((e) => events.push(`${e.type}:${e.session.index}`));
    const first = await open();
    await first.next('Begin');
    fake.inject.delayBegin(10_000);
    fake.reset();
    assert.deepEqual(await first.closed, { code: 1001, reason: 'Going Away' });
    assert.equal(fake.connections.length, 0);
    assert.equal(fake.tokens.length, 0);
    const second = await open();
    await second.next('Begin');
    fake.close();
    assert.equal((await second.closed).code, 1001);
    assert.deepEqual(events.slice(0, 4), ['connection:0', 'send:0', 'begin:0', 'close:0']);
  });
});
