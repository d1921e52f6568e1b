// SPDX-License-Identifier: MIT
// The fake AssemblyAI v3 server through its msw transport (`handlers(fake)`), seen by a plain
// browser WebSocket and by AssemblyAI's own StreamingTranscriber, in real Chromium.
import { expect } from '@open-wc/testing';
import { setupWorker } from 'msw/browser';
import {
  concatPcm16,
  createFakeStreamingServer,
  createVirtualClock,
  decodeWav,
  floatToPcm16,
  parseSessionScript,
  pcm16Silence,
  pcm16Tone,
  sendPaced,
  splitFrames,
  type FakeStreamingServer,
  type FakeStreamingServerOptions,
} from '../../src/testing/index.js';
import { handlers } from '../../src/testing/msw.js';

const SOCKET = 'wss://streaming.assemblyai.com/v3/ws';
const FIXTURES = new URL('../../../../fixtures/', import.meta.url);

type Message = { type?: string } & Record<string, unknown>;

/** One plain browser WebSocket and everything it saw. */
interface PageSocket {
  ws: WebSocket;
  messages: Message[];
  events: string[];
  closed: Promise<CloseEvent>;
  next(type: string): Promise<Message>;
}

function openSocket(params: Record<string, string | undefined>): PageSocket {
  const url = new URL(SOCKET);
  const all = { sample_rate: '16000', speech_model: 'universal-streaming-english', ...params };
  for (const [key, value] of Object.entries(all))
    if (value !== undefined) url.searchParams.set(key, value);
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const messages: Message[] = [];
  const events: string[] = [];
  const waiters = new Set<() => void>();
  ws.addEventListener('open', () => events.push('open'));
  ws.addEventListener('error', () => events.push('error'));
  ws.addEventListener('message', ({ data }) => {
    try {
      messages.push(typeof data === 'string' ? JSON.parse(data) : { type: '(binary)' });
    } catch {
      messages.push({ type: '(invalid)', raw: data });
    }
    for (const wake of [...waiters]) wake();
  });
  const closed = new Promise<CloseEvent>((resolve) =>
    ws.addEventListener('close', (event) => {
      events.push(`close ${event.code}`);
      resolve(event);
      for (const wake of [...waiters]) wake();
    })
  );
  return {
    ws,
    messages,
    events,
    closed,
    next: (type) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find((m) => m.type === type);
          if (found) resolve(found);
          else if (ws.readyState === WebSocket.CLOSED) reject(new Error(`closed before ${type}`));
          else return;
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
}

async function token(path = '/api/assemblyai-token'): Promise<string> {
  const response = await fetch(path);
  expect(response.status).to.equal(200);
  return ((await response.json()) as { token: string }).token;
}

const turns = (messages: Message[]) =>
  messages.filter((m) => m.type === 'Turn') as Array<
    Message & {
      turn_order: number;
      end_of_turn: boolean;
      turn_is_formatted: boolean;
      transcript: string;
    }
  >;

describe('fake AssemblyAI server over msw (browser)', () => {
  const worker = setupWorker();
  let fake: FakeStreamingServer;
  const use = (options: FakeStreamingServerOptions = {}) => {
    fake = createFakeStreamingServer(options);
    worker.resetHandlers(...handlers(fake));
    return fake;
  };

  before(async () => {
    await worker.start({
      quiet: true,
      onUnhandledRequest: 'bypass',
      serviceWorker: { url: '/mockServiceWorker.js' },
    });
  });
  afterEach(() => fake?.close());
  after(() => worker.stop());

  it('serves a token and a whole session to a plain WebSocket', async () => {
    use();
    const tokenResponse = await fetch('/api/assemblyai-token');
    const body = (await tokenResponse.json()) as { token: string; expires_in_seconds: number };
    expect(body.expires_in_seconds).to.equal(60);
    expect(body.token).to.match(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const socket = openSocket({ token: body.token, format_turns: 'true' });
    const begin = await socket.next('Begin');
    expect(begin.id).to.equal(fake.sessions[0]!.id);
    const pcm = concatPcm16(pcm16Tone(1000, 220), pcm16Silence(600));
    await sendPaced(pcm, (frame) => socket.ws.send(frame), { frameMs: 100 });
    socket.ws.send(JSON.stringify({ type: 'Terminate' }));
    const close = await socket.closed;
    expect(close.code).to.equal(1000);
    const finals = turns(socket.messages).filter((m) => m.end_of_turn);
    expect(finals.map((m) => m.transcript)).to.deep.equal([
      'alpha bravo charlie delta',
      'Alpha bravo charlie delta.',
    ]);
    const termination = socket.messages.at(-1)!;
    expect(termination.type).to.equal('Termination');
    expect(termination.audio_duration_seconds).to.equal(2, '1.6 s of audio, rounded');
    expect(termination.session_duration_seconds).to.be.oneOf([2, 3, 4]);
    const record = fake.sessions[0]!;
    expect(record.token).to.equal(body.token);
    expect(record.frames.map((f) => f.bytes)).to.deep.equal(new Array(16).fill(3200));
    expect(record.closed?.by).to.equal('server');
    expect(socket.events[0]).to.equal('open');
  });

  it("answers AssemblyAI's own /v3/token on every regional host", async () => {
    use({ apiKey: 'test-api-key' });
    worker.resetHandlers(
      ...handlers(fake, { regions: true, tokenUrl: ['/token', '/api/assemblyai-token'] })
    );
    for (const host of ['streaming', 'streaming.us', 'streaming.eu']) {
      const url = `https://${host}.assemblyai.com/v3/token?expires_in_seconds=30`;
      expect((await fetch(url)).status, host).to.equal(401);
      const ok = await fetch(url, { headers: { Authorization: 'test-api-key' } });
      expect(await ok.json()).to.have.property('expires_in_seconds', 30);
    }
    expect((await fetch('/token', { method: 'POST' })).status).to.equal(200);
    const socket = openSocket({ token: await token() });
    socket.ws.close();
    const eu = new WebSocket(
      `wss://streaming.eu.assemblyai.com/v3/ws?token=${await token()}&speech_model=x`
    );
    await new Promise((resolve) => eu.addEventListener('message', resolve, { once: true }));
    eu.close();
    expect(fake.sessions.map((s) => new URL(s.url).host)).to.include('streaming.eu.assemblyai.com');
    expect(fake.tokenRequests.map((r) => r.status)).to.deep.equal([
      401, 200, 401, 200, 401, 200, 200, 200, 200,
    ]);
  });

  it('replays a session script in step with the speech fixture (virtual clock)', async () => {
    const clock = createVirtualClock();
    const lines = parseSessionScript(
      await (
        await fetch(new URL('sessions/universal-english-format-turns-2025.jsonl', FIXTURES))
      ).text()
    );
    use({ clock, script: { lines } });
    const wav = decodeWav(await (await fetch(new URL('speech-16k.wav', FIXTURES))).arrayBuffer());
    const socket = openSocket({ token: await token(), format_turns: 'true' });
    await socket.next('Begin');
    const frames = splitFrames(floatToPcm16(wav.samples), 100);
    for (const frame of frames) {
      socket.ws.send(frame);
      clock.advance(100);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    socket.ws.send('{"type":"Terminate"}');
    expect((await socket.closed).code).to.equal(1000);
    const speech = (await (await fetch(new URL('speech.json', FIXTURES))).json()) as {
      sentences: Array<{ text: string }>;
    };
    const formatted = turns(socket.messages).filter((m) => m.end_of_turn && m.turn_is_formatted);
    expect(formatted.map((m) => m.transcript)).to.deep.equal(speech.sentences.map((s) => s.text));
    expect(turns(socket.messages).length).to.equal(
      lines.filter((l) => l.message?.type === 'Turn').length
    );
    expect(fake.sessions[0]!.audioMs).to.equal(frames.length * 100);
  });

  it('shows refusals and close codes to the browser WebSocket as the real server would', async () => {
    const clock = createVirtualClock();
    use({ clock });
    const cases: Array<
      [Record<string, string | undefined>, (s: PageSocket) => void, number, RegExp]
    > = [
      [
        { token: undefined },
        () => {},
        1008,
        /^Unauthorized Connection: Missing Authorization header$/,
      ],
      [{ token: 'eyJ.unknown.token' }, () => {}, 1008, /Invalid temporary token/],
      [{ sample_rate: 'abc' }, () => {}, 3006, /sample_rate/],
      [{}, (s) => s.ws.send(new Int16Array(320)), 3007, /^Input duration violation: 20 ms/],
      [{}, (s) => s.ws.send('{"type":"Nope"}'), 3006, /^Invalid Message Type: Nope$/],
      [{}, (s) => s.ws.send(new Blob([new Int16Array(320)])), 3007, /20 ms/],
    ];
    for (const [params, act, code, pattern] of cases) {
      const socket = openSocket({ token: await token(), ...params });
      await new Promise((resolve) => socket.ws.addEventListener('open', resolve, { once: true }));
      act(socket);
      const close = await socket.closed;
      expect(close.code, JSON.stringify(params)).to.equal(code);
      const error = socket.messages.at(-1)!;
      expect(error.type).to.equal('Error');
      expect(error.error_code).to.equal(code);
      expect(String(error.error)).to.match(pattern);
      expect(close.reason).to.equal(error.error);
    }
    // A reused token.
    const reusable = await token();
    const first = openSocket({ token: reusable });
    await first.next('Begin');
    const second = openSocket({ token: reusable });
    expect((await second.closed).code).to.equal(1008);
    first.ws.close();
    // Session expiry.
    const expiring = openSocket({
      token: await token('/api/assemblyai-token?max_session_duration_seconds=60'),
    });
    await expiring.next('Begin');
    clock.advance(60_000);
    expect((await expiring.closed).code).to.equal(3008);
  });

  it('shows a handshake refusal and a dropped connection as error + close 1006, not clean', async () => {
    use();
    fake.inject.refuse({ handshake: true });
    const refused = openSocket({ token: await token() });
    const close = await refused.closed;
    expect(close.code).to.equal(1006);
    expect(close.wasClean).to.equal(false);
    expect(refused.events).to.deep.equal(['error', 'close 1006'], 'never open');

    fake.inject.drop({ afterAudioMs: 200 });
    const dropped = openSocket({ token: await token() });
    await dropped.next('Begin');
    await sendPaced(pcm16Silence(600), (f) => dropped.ws.send(f), { frameMs: 100 });
    const dropClose = await dropped.closed;
    expect(dropClose.code).to.equal(1006);
    expect(dropClose.wasClean).to.equal(false);
    expect(dropped.events).to.deep.equal(['open', 'error', 'close 1006']);
    expect(fake.connections[1]!.closed?.code).to.equal(1006);
  });

  it('delivers an Error frame before an injected close, and malformed frames as sent', async () => {
    use();
    fake.inject.close({ code: 3005, afterAudioMs: 200 });
    const socket = openSocket({ token: await token() });
    await socket.next('Begin');
    fake.sendMalformed('invalid-json');
    fake.sendMalformed('binary');
    await sendPaced(pcm16Silence(500), (f) => socket.ws.send(f), { frameMs: 100 });
    const close = await socket.closed;
    expect(close.code).to.equal(3005);
    expect(socket.messages.map((m) => m.type)).to.deep.equal([
      'Begin',
      '(invalid)',
      '(binary)',
      'Error',
    ]);
    expect(close.reason).to.equal('Session Cancelled: An error occurred');
  });

  it("completes a session with AssemblyAI's own StreamingTranscriber", async () => {
    use();
    // The SDK's browser build captures globalThis.WebSocket when first imported, so import it
    // only now that msw has patched WebSocket (see src/testing/msw.ts). It also reads
    // `process.versions.node` when a `process` global exists: hide the test page's
    // `window.process` shim (only `env`, for React and Vue) while it loads.
    const shim = Object.getOwnPropertyDescriptor(globalThis, 'process');
    if (shim) delete (globalThis as { process?: unknown }).process;
    const { StreamingTranscriber } = await import('assemblyai').finally(() => {
      if (shim) Object.defineProperty(globalThis, 'process', shim);
    });
    const transcriber = new StreamingTranscriber({
      token: await token(),
      sampleRate: 16000,
      speechModel: 'u3-rt-pro',
    });
    const seen: string[] = [];
    transcriber.on('turn', (turn) =>
      seen.push(`${turn.end_of_turn ? 'final' : 'partial'}:${turn.transcript}`)
    );
    transcriber.on('error', (error) => seen.push(`error:${error.message}`));
    const begin = await transcriber.connect();
    expect(begin.id).to.equal(fake.sessions[0]!.id);
    const pcm = concatPcm16(pcm16Tone(1000, 220), pcm16Silence(400));
    await sendPaced(pcm, (frame) => transcriber.sendAudio(frame.buffer), { frameMs: 100 });
    await transcriber.close();
    expect(seen).to.deep.equal([
      'partial:Alpha bravo charlie\u2014',
      'final:Alpha bravo charlie delta.',
    ]);
    const record = fake.sessions[0]!;
    expect(record.audioMs).to.equal(1400);
    expect(record.control.map((c) => c.message)).to.deep.equal([{ type: 'Terminate' }]);
    expect((record.sent.at(-1)!.message as Message).type).to.equal('Termination');
    expect(record.closed?.code).to.equal(1000);
  });
});
