#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Runs an example app's command (`next dev`, `nuxt start`, `vite`...) so that it works offline:
// without ASSEMBLYAI_API_KEY it first starts the emulator (the fake AssemblyAI streaming server of
// @live-transcript/core/testing, over a real WebSocket on 127.0.0.1) and tells the app where it
// is through environment variables; with a key it runs the command as it is. Your own app needs
// none of this: its scripts are plain `next dev`, `nuxt dev`, `vite`.
//
//   node ../scripts/with-emulator.mjs next dev
//   node ../scripts/with-emulator.mjs --token-route vite    (a Vite app: no server of its own)
//
// What the command gets, in emulator mode:
//   ASSEMBLYAI_API_KEY               a throwaway key that the emulator accepts
//   LIVE_TRANSCRIPT_EMULATOR         the emulator's origin: the token route mints there
//                                    (createTokenHandler({ baseUrl }))
//   LIVE_TRANSCRIPT_URL              the WebSocket URL the page connects to (the element's `url`);
//   NUXT_PUBLIC_LIVE_TRANSCRIPT_URL  the same, for Nuxt's runtime config, and
//   VITE_LIVE_TRANSCRIPT_URL         for Vite
// and with --token-route (both modes): API_ORIGIN, a token route made with createTokenHandler()
// at `${API_ORIGIN}/api/assemblyai-token`, which the Vite apps' dev proxy forwards to.
//
// EMULATOR_PORT picks the emulator's port (default: a free one).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createTokenHandler, toNodeHandler } from '@live-transcript/core/server';
import { createFakeStreamingServer } from '@live-transcript/core/testing';
import { listen } from '@live-transcript/core/testing/node';

const TOKEN_PATH = '/api/assemblyai-token';

const args = process.argv.slice(2);
const tokenRoute = args[0] === '--token-route';
if (tokenRoute) args.shift();
if (args.length === 0) {
  console.error('Usage: node with-emulator.mjs [--token-route] <command> [args...]');
  process.exit(2);
}

/** @type {Array<() => Promise<void>>} Everything started here, stopped when the command ends. */
const closers = [];
/** @type {NodeJS.ProcessEnv} */
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NUXT_TELEMETRY_DISABLED: '1' };

if (!process.env.ASSEMBLYAI_API_KEY?.trim()) {
  const apiKey = randomBytes(16).toString('hex');
  const emulator = await listen(createFakeStreamingServer({ apiKey }), {
    port: Number(process.env.EMULATOR_PORT ?? 0),
  });
  closers.push(emulator.close);
  Object.assign(env, {
    ASSEMBLYAI_API_KEY: apiKey,
    LIVE_TRANSCRIPT_EMULATOR: emulator.origin,
    LIVE_TRANSCRIPT_URL: emulator.url,
    NUXT_PUBLIC_LIVE_TRANSCRIPT_URL: emulator.url,
    VITE_LIVE_TRANSCRIPT_URL: emulator.url,
  });
  console.log(
    `\n  Emulator: no ASSEMBLYAI_API_KEY is set, so the app talks to a local imitation of\n` +
      `  AssemblyAI at ${emulator.url}: it hears speech, but the words are\n` +
      `  placeholders. For real transcription: ASSEMBLYAI_API_KEY=your-key npm run ...\n`
  );
}

if (tokenRoute) {
  const handler = toNodeHandler(
    createTokenHandler({ apiKey: env.ASSEMBLYAI_API_KEY, baseUrl: env.LIVE_TRANSCRIPT_EMULATOR })
  );
  const server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === TOKEN_PATH) return void handler(req, res);
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  env.API_ORIGIN = `http://127.0.0.1:${port}`;
  closers.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
}

const [command, ...rest] = args;
// `next`, `nuxt`, `vite`... are the app's own bins: npm run puts node_modules/.bin on PATH.
const child = spawn(command, rest, { stdio: 'inherit', env });
const stop = async (/** @type {number} */ code) => {
  await Promise.all(closers.map((close) => close()));
  process.exit(code);
};
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  console.error(`Could not run ${command}: ${error.message}`);
  void stop(1);
});
child.on('exit', (code, signal) => void stop(code ?? (signal ? 1 : 0)));
