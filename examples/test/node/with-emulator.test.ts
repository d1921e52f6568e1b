// SPDX-License-Identifier: MIT
// scripts/with-emulator.mjs, which the apps' `npm run dev` and `npm start` go through: without a
// key it starts the emulator and tells the command where it is; the token route it offers Vite
// mints real-looking tokens that the emulator's socket accepts; with a key it changes nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const SCRIPT = fileURLToPath(new URL('../../scripts/with-emulator.mjs', import.meta.url));
const NAMES = [
  'ASSEMBLYAI_API_KEY',
  'LIVE_TRANSCRIPT_EMULATOR',
  'LIVE_TRANSCRIPT_URL',
  'NUXT_PUBLIC_LIVE_TRANSCRIPT_URL',
  'VITE_LIVE_TRANSCRIPT_URL',
  'API_ORIGIN',
  'NEXT_TELEMETRY_DISABLED',
];
/** The command run under the script: prints the variables it got, then waits for stdin to end. */
const PRINT_ENV = `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(NAMES)}.map((n) => [n, process.env[n]])))); process.stdin.resume().on('end', () => process.exit(7));`;

/** Runs the script around PRINT_ENV; `done()` ends the command and resolves the exit code. */
async function run(flags: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [SCRIPT, ...flags, process.execPath, '-e', PRINT_ENV], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  while (!out.includes('{"')) await once(child.stdout, 'data');
  await new Promise((resolve) => setTimeout(resolve, 100)); // the rest of the line
  const line = out.split('\n').find((l) => l.startsWith('{'))!;
  return {
    vars: JSON.parse(line) as Record<string, string | undefined>,
    done: async () => {
      child.stdin.end();
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Opens the emulator's socket with a token; resolves with the first message's type. */
async function firstMessage(url: string, token: string): Promise<string> {
  const socket = new WebSocket(`${url}?token=${token}&sample_rate=16000&speech_model=u3-rt-pro`);
  const [data] = (await once(socket, 'message')) as [Buffer];
  socket.close(1000);
  return (JSON.parse(String(data)) as { type: string }).type;
}

describe('with-emulator.mjs', () => {
  it('without a key: starts the emulator and tells the command where it is', async () => {
    const { vars, done } = await run([], { ASSEMBLYAI_API_KEY: '' });
    try {
      const origin = vars.LIVE_TRANSCRIPT_EMULATOR!;
      assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(vars.LIVE_TRANSCRIPT_URL, `${origin.replace('http', 'ws')}/v3/ws`);
      assert.equal(vars.NUXT_PUBLIC_LIVE_TRANSCRIPT_URL, vars.LIVE_TRANSCRIPT_URL);
      assert.equal(vars.VITE_LIVE_TRANSCRIPT_URL, vars.LIVE_TRANSCRIPT_URL);
      assert.equal(vars.NEXT_TELEMETRY_DISABLED, '1');
      assert.equal(vars.API_ORIGIN, undefined, 'no token route unless asked for');
      // A token route mints with the key it was given, at the emulator (AssemblyAI's /v3/token).
      const refused = await fetch(`${origin}/v3/token?expires_in_seconds=60`, {
        headers: { Authorization: 'not-the-key' },
      });
      assert.equal(refused.status, 401);
      const minted = await fetch(`${origin}/v3/token?expires_in_seconds=60`, {
        headers: { Authorization: vars.ASSEMBLYAI_API_KEY! },
      });
      const { token } = (await minted.json()) as { token: string };
      assert.equal(await firstMessage(vars.LIVE_TRANSCRIPT_URL!, token), 'Begin');
    } finally {
      assert.equal(await done(), 7, "the command's exit code");
    }
  });

  it('--token-route: a createTokenHandler() route for the Vite apps, minting at the emulator', async () => {
    const { vars, done } = await run(['--token-route'], { ASSEMBLYAI_API_KEY: '' });
    try {
      const answer = await fetch(`${vars.API_ORIGIN}/api/assemblyai-token`);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      const body = (await answer.json()) as { token: string; expires_in_seconds: number };
      assert.deepEqual(Object.keys(body).sort(), ['expires_in_seconds', 'token']);
      assert.ok(!JSON.stringify(body).includes(vars.ASSEMBLYAI_API_KEY!), 'the key stays');
      assert.equal(await firstMessage(vars.LIVE_TRANSCRIPT_URL!, body.token), 'Begin');
      assert.equal((await fetch(`${vars.API_ORIGIN}/other`)).status, 404);
    } finally {
      await done();
    }
  });

  it('with a key: runs the command as it is', async () => {
    const { vars, done } = await run([], { ASSEMBLYAI_API_KEY: 'a-real-key' });
    assert.equal(vars.ASSEMBLYAI_API_KEY, 'a-real-key');
    assert.equal(vars.LIVE_TRANSCRIPT_EMULATOR, undefined);
    assert.equal(vars.LIVE_TRANSCRIPT_URL, undefined);
    assert.equal(await done(), 7);
  });
});
