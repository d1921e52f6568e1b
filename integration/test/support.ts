// SPDX-License-Identifier: MIT
// Installing, building and serving the example apps that install on their own (examples/nextjs,
// examples/nuxt): each has its own package-lock.json and takes this repository's packages from
// `file:` links packed like npm tarballs (`install-links`), as an app takes published ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLES = join(ROOT, 'examples');

/** Where builds keep caches between clones of the repository (as .ci/run keeps Firefox 140). */
export const CACHE_DIR =
  process.env.LT_CACHE_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'live-transcript');

/**
 * Runs a command to its end, its output prefixed by `label`; rejects on a non-zero exit with the
 * output's tail. `background` lowers its CPU priority (nice 10) and its disk priority (ionice
 * idle: an install writes hundreds of megabytes) so that it does not take the machine from the
 * browser tests that play audio in real time beside it.
 */
export async function run(
  label: string,
  cwd: string,
  command: string,
  args: string[],
  { env = {}, background = false }: { env?: NodeJS.ProcessEnv; background?: boolean } = {}
): Promise<void> {
  const started = Date.now();
  const shown = [command, ...args].join(' ').split('\n')[0]!.slice(0, 60);
  let [file, argv] = [command, args];
  if (background && existsSync('/usr/bin/nice'))
    [file, argv] = ['/usr/bin/nice', ['-n', '10', file, ...argv]];
  if (background && existsSync('/usr/bin/ionice'))
    [file, argv] = ['/usr/bin/ionice', ['-c', '3', file, ...argv]];
  const child = spawn(file, argv, { cwd, env: { ...process.env, ...env } });
  const output: string[] = [];
  const print = (chunk: Buffer) => {
    output.push(chunk.toString());
    for (const line of chunk.toString().split('\n')) if (line) console.log(`  ${label}: ${line}`);
  };
  child.stdout.on('data', print);
  child.stderr.on('data', print);
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    const tail = output.join('').split('\n').slice(-15).join('\n');
    throw new Error(`${label}: \`${shown}\` exited with ${code}:\n${tail}`);
  }
  console.log(`  ${label}: \`${shown}\` took ${seconds} s`);
}

/** The `file:` dependencies of an app: this repository's packages. */
function localPackages(app: string): string[] {
  const { dependencies = {} } = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.values(dependencies)
    .filter((spec) => spec.startsWith('file:'))
    .map((spec) => resolve(app, spec.slice(5)));
}

/** Adds every file of `dir` (its path and content) to `hash`: what `npm pack` takes from a build. */
function hashFiles(hash: Hash, dir: string): void {
  if (!existsSync(dir)) return;
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(file));
}

/**
 * `npm ci` in the app, unless its node_modules came from the same lockfile and the same builds
 * of the local packages (the copies in node_modules are packed, so a rebuild needs a reinstall).
 */
export async function install(label: string, app: string): Promise<void> {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(app, 'package.json')));
  hash.update(readFileSync(join(app, 'package-lock.json')));
  for (const dir of localPackages(app)) {
    hash.update(readFileSync(join(dir, 'package.json')));
    hashFiles(hash, join(dir, 'dist'));
  }
  const fingerprint = hash.digest('hex');
  const marker = join(app, 'node_modules/.live-transcript-install');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === fingerprint) {
    console.log(`  ${label}: node_modules is up to date`);
    return;
  }
  await run(label, app, 'npm', ['ci', '--no-audit', '--no-fund'], { background: true });
  await writeFile(marker, fingerprint);
}

/**
 * Runs `build` with `relative` (a build cache inside the app, e.g. `.next/cache`) restored from
 * CACHE_DIR first and saved there after, so that a fresh clone builds warm.
 */
export async function withBuildCache(
  app: string,
  relative: string,
  name: string,
  build: () => Promise<void>
): Promise<void> {
  const inApp = join(app, relative);
  const kept = join(CACHE_DIR, name);
  if (!existsSync(inApp) && existsSync(kept)) cpSync(kept, inApp, { recursive: true });
  await build();
  if (existsSync(inApp)) {
    rmSync(kept, { recursive: true, force: true });
    cpSync(inApp, kept, { recursive: true });
  }
}

/** A port that was free a moment ago, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface Served {
  origin: string;
  /** Everything the server printed. */
  output(): string;
  /** Stops the server and everything it started (its process group). */
  stop(): Promise<void>;
}

/**
 * Starts `npm <args>` in the app (its own process group) and waits until `origin` answers.
 */
export async function serve(
  app: string,
  args: string[],
  { port, env }: { port: number; env: NodeJS.ProcessEnv }
): Promise<Served> {
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('npm', args, {
    cwd: app,
    detached: true,
    env: { ...process.env, ...env, PORT: String(port) },
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return; // gone already
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm ${args.join(' ')} exited:\n${out}`);
    try {
      const answer = await fetch(origin, { signal: AbortSignal.timeout(30_000) });
      if (answer.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${origin} did not answer within 120 s:\n${out}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  return { origin, output: () => out, stop };
}
