// SPDX-License-Identifier: MIT
// The decisive check: AssemblyAI's own npm client (`assemblyai`, StreamingTranscriber) completes
// a session against our fake served by listen(). The SDK insists on `wss:` and offers no TLS
// options, so the fake listens with a throwaway self-signed certificate and the SDK runs in a
// child process that trusts it through NODE_EXTRA_CA_CERTS (read once, at process start).
//
// Where the SDK (4.41) and protocol.md disagree, protocol.md wins; the differences seen here:
// - The SDK treats close/error code 1008 as retryable (its non-retryable list holds only legacy
//   v2 4xxx codes), so a refused single-use token is retried twice more with the same token.
// - After `Termination` the SDK closes the socket itself instead of waiting for the server's
//   close 1000; `close()` resolves on `Termination` (or a 5 s timeout).
// - connect() gives up after 1 s by default (`connectTimeout`), so a `Begin` delayed longer fails.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFakeStreamingServer, type FakeStreamingServer } from '../../src/testing/index.js';
import { listen, type ListeningFakeServer } from '../../src/testing/node.js';

const run = promisify(execFile);

/** Runs `body` (an ES module) in a child Node that trusts the certificate; returns its JSON. */
async function child(
  cert: string,
  body: string,
  ...args: string[]
): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', body, ...args], {
    cwd: join(import.meta.dirname, '../..'),
    env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

const SESSION = `
import { AssemblyAI, StreamingTranscriber } from 'assemblyai';
const [origin, url] = process.argv.slice(1);
const token = await new AssemblyAI({ apiKey: 'test-api-key', streamingBaseUrl: origin })
  .streaming.createTemporaryToken({ expires_in_seconds: 60, max_session_duration_seconds: 600 });
const transcriber = new StreamingTranscriber({
  websocketBaseUrl: url, token, sampleRate: 16000, speechModel: 'universal-streaming-english', formatTurns: true,
});
const events = [];
transcriber.on('turn', (t) => events.push(['turn', t.turn_order, t.end_of_turn, t.turn_is_formatted, t.transcript]));
transcriber.on('error', (e) => events.push(['error', e.message]));
transcriber.on('close', (code) => events.push(['close', code]));
const begin = await transcriber.connect();
// 1.2 s of a 220 Hz tone, then 0.8 s of silence, in 100 ms frames at real time.
for (let f = 0; f < 20; f++) {
  const frame = new Int16Array(1600);
  if (f < 12) for (let i = 0; i < 1600; i++) frame[i] = Math.round(12000 * Math.sin((2 * Math.PI * 220 * (f * 1600 + i)) / 16000));
  transcriber.sendAudio(frame.buffer);
  await new Promise((r) => setTimeout(r, 100));
}
const started = Date.now();
await transcriber.close();
console.log(JSON.stringify({ token, begin, events, closeMs: Date.now() - started }));
`;

const REFUSED = `
import { StreamingTranscriber } from 'assemblyai';
const [url, token] = process.argv.slice(1);
const transcriber = new StreamingTranscriber({ websocketBaseUrl: url, token, sampleRate: 16000, speechModel: 'u3-rt-pro' });
transcriber.on('error', () => {});
try {
  await transcriber.connect();
  await transcriber.close();
  console.log(JSON.stringify({ connected: true }));
} catch (error) {
  console.log(JSON.stringify({ rejected: error.message, code: error.code }));
}
`;

describe('the official assemblyai StreamingTranscriber against listen() over wss', () => {
  let dir: string | undefined;
  let fake: FakeStreamingServer;
  let server: ListeningFakeServer | undefined;
  let skip: string | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lt-fake-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' }
      );
    } catch {
      skip = 'openssl is not available to make a throwaway certificate';
      return;
    }
    fake = createFakeStreamingServer({ apiKey: 'test-api-key' });
    server = await listen(fake, {
      tls: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    });
  });

  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('mints a token, connects on Begin, streams audio, gets turns, and closes after Termination', async (t) => {
    if (skip) return t.skip(skip);
    assert.match(server!.url, /^wss:\/\//);
    const result = await child(join(dir!, 'cert.pem'), SESSION, server!.origin, server!.url);
    const session = fake.sessions[0]!;
    // Token: minted through our GET /v3/token with the API key, then used once.
    assert.equal(fake.tokenRequests[0]!.status, 200);
    assert.match(
      fake.tokenRequests[0]!.url,
      /\/v3\/token\?expires_in_seconds=60&max_session_duration_seconds=600$/
    );
    assert.equal(session.token, result.token);
    assert.equal(fake.tokens[0]!.uses, 1);
    // connect() resolved with our Begin.
    const begin = result.begin as { type: string; id: string; expires_at: number };
    assert.equal(begin.id, session.id);
    assert.equal(begin.expires_at, Math.floor(session.beganAt! / 1000) + 600);
    // The SDK's query string, as the fake parsed it.
    assert.deepEqual(session.params, {
      token: result.token,
      sample_rate: '16000',
      format_turns: 'true',
      speech_model: 'universal-streaming-english',
    });
    // Audio accepted: 20 frames of 100 ms, nothing refused.
    assert.deepEqual(new Set(session.frames.map((f) => f.bytes)), new Set([3200]));
    assert.equal(session.frames.length, 20);
    assert.equal(session.audioMs, 2000);
    // Turns arrived: partials, the unformatted final and its formatted copy.
    const events = result.events as Array<[string, ...unknown[]]>;
    const finals = events.filter((e) => e[0] === 'turn' && e[2]);
    assert.deepEqual(finals, [
      ['turn', 0, true, false, 'alpha bravo charlie delta'],
      ['turn', 0, true, true, 'Alpha bravo charlie delta.'],
    ]);
    assert.ok(events.filter((e) => e[0] === 'turn' && !e[2]).length >= 3, 'partials too');
    assert.ok(!events.some((e) => e[0] === 'error'), JSON.stringify(events));
    // close() sent Terminate and resolved once Termination came (well before its 5 s timeout).
    assert.deepEqual(
      session.control.map((c) => c.message),
      [{ type: 'Terminate' }]
    );
    assert.equal((session.sent.at(-1)!.message as { type: string }).type, 'Termination');
    assert.ok((result.closeMs as number) < 4500, `close() took ${result.closeMs} ms`);
    assert.equal(session.closed?.code, 1000);
  });

  it('rejects connect() when the token is refused (and retries it, unlike protocol.md advises)', async (t) => {
    if (skip) return t.skip(skip);
    const token = fake.issueToken();
    const used = await child(join(dir!, 'cert.pem'), REFUSED, server!.url, token);
    assert.deepEqual(used, { connected: true });
    const before = fake.connections.length;
    const refused = await child(join(dir!, 'cert.pem'), REFUSED, server!.url, token);
    assert.deepEqual(refused, {
      rejected: 'Unauthorized Connection: Temporary token has already been used',
      code: 1008,
    });
    const attempts = fake.connections.slice(before);
    assert.equal(attempts.length, 3, 'the SDK retried a 1008 twice');
    assert.ok(attempts.every((c) => c.closed?.code === 1008 && c.token === token));
  });
});
