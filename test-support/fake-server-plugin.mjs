// SPDX-License-Identifier: MIT
// Serves the fake AssemblyAI server of @live-transcript/core/testing over real sockets (`ws`)
// next to the test runner, and lets browser tests drive it with `executeServerCommand`:
//   fake:start   { script?, continueAcrossSessions?, options? }   -> { id, url, tokenUrl }
//   fake:call    { id, path: 'inject.drop' | 'closeSession' | ..., args: [] }  -> result
//   fake:records { id }                                          -> what the server saw
//   fake:audio   { id, index }   -> the audio connection `index` sent, as linear PCM16 (base64);
//                                   needs `options: { recordAudio: true }` at fake:start
//   fake:stop    { id }
// Each test starts its own server (own port), so test files can run in parallel.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** A JSON-safe summary of one connection, for assertions in the browser. */
function summarize(record) {
  return {
    id: record.id,
    accepted: record.accepted,
    params: record.params,
    token: record.token,
    frames: record.frames.map((f) => ({ bytes: f.bytes, ms: f.ms, at: f.at })),
    controls: record.control.map((c) => c.message?.type ?? null),
    controlMessages: record.control.map((c) => c.message ?? null),
    sent: record.sent.map((s) => s.message?.type ?? null),
    closed: record.closed ?? null,
    audioMs: record.audioMs,
  };
}

export function fakeServerPlugin() {
  const servers = new Map();
  let next = 1;
  let modules;
  const load = async () =>
    (modules ??= await Promise.all([
      import('@live-transcript/core/testing'),
      import('@live-transcript/core/testing/node'),
    ]));

  return {
    name: 'fake-assemblyai-server',
    async executeCommand({ command, payload = {} }) {
      if (!command.startsWith('fake:')) return undefined;
      if (command === 'fake:start') {
        const [{ createFakeStreamingServer }, { listen }] = await load();
        const { script, continueAcrossSessions, options = {} } = payload;
        const fake = createFakeStreamingServer({
          ...options,
          ...(script && {
            script: {
              lines: readFileSync(join(fixtures, 'sessions', script), 'utf8'),
              continueAcrossSessions: Boolean(continueAcrossSessions),
            },
          }),
        });
        const server = await listen(fake, { host: '127.0.0.1', port: 0 });
        const id = next++;
        servers.set(id, { fake, server });
        return { id, url: server.url, tokenUrl: server.tokenUrl };
      }
      const entry = servers.get(payload.id);
      if (!entry) throw new Error(`No fake server ${payload.id}`);
      if (command === 'fake:call') {
        const path = String(payload.path).split('.');
        const method = path.pop();
        const target = path.reduce((object, key) => object[key], entry.fake);
        const result = target[method](...(payload.args ?? []));
        // A command answer must not be null or undefined (that means "not handled").
        return { result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
      }
      if (command === 'fake:records') {
        const { fake } = entry;
        return {
          connections: fake.connections.map(summarize),
          tokens: fake.tokens.map((t) => ({ uses: t.uses, token: t.token })),
          tokenRequests: fake.tokenRequests.map((r) => ({ status: r.status })),
        };
      }
      if (command === 'fake:audio') {
        const record = entry.fake.connections[payload.index ?? 0];
        if (!record) throw new Error(`No connection ${payload.index ?? 0}`);
        const frames = record.frames.map((frame) => frame.pcm);
        if (frames.some((pcm) => !pcm)) throw new Error('Start the fake with recordAudio: true');
        const bytes = Buffer.concat(
          frames.map((pcm) => Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength))
        );
        return { sampleRate: record.config.sampleRate, pcm: bytes.toString('base64') };
      }
      if (command === 'fake:stop') {
        entry.fake.close();
        await entry.server.close();
        servers.delete(payload.id);
        return true;
      }
      return undefined;
    },
    async serverStop() {
      for (const { fake, server } of servers.values()) {
        fake.close();
        await server.close();
      }
      servers.clear();
    },
  };
}
