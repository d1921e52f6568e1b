// SPDX-License-Identifier: MIT
// The soak: one hour of live captions in three to four minutes. A <live-transcript> element with
// its real LiveTranscriber, capture worklet and reconnect logic, in headless Chromium, streams
// planned speech (bench/soak/plan.ts: 1 500 turns, natural pauses) over real WebSockets to the
// fake server (`listen()` from @live-transcript/core/testing/node), through 20 connection drops,
// 2 session rollovers and 3 pauses (one of them across a drop).
//
// Compressed real time: everything runs `--scale` (20) times faster than real time, together.
// - The page: `performance.now()`, `Date.now()`, `setTimeout` and `setInterval` are sped up
//   before any script runs (`installClock`), so the transcriber's timers (backoff, pacing,
//   rollover lead, keep-alives, handover wait) keep their meaning in session time.
// - The audio: the capture worklet is the real one, told that its context runs at 1/scale of its
//   real rate (a `sampleRate` of its own, prepended to `dist/capture-worklet.js`): it resamples as
//   usual and emits scale × real time of 16 kHz frames. The speech source (soak/speech-processor.ts)
//   plays the planned words on the same time base; each word's two tones say which word it is,
//   and the fake server hears them (`locate`, soak/locate.ts), so its script follows the audio
//   when the transcriber leaves silence out to catch up, as a real server would.
// - The fake server: a clock sped up the same way (`warpedClock`) decides Begin's `expires_at`,
//   the pacing check (audio must not run ahead of real time), inactivity and expiry.
// Every time below is session time (virtual ms), unless it says "real"/"wall". The one thing that
// does not scale is the machine: 1 ms of real CPU is 20 ms of session time, so stalls (GC, a
// loaded machine) weigh 20 times more than in a real session: caption delays are upper bounds,
// and the page reports its stalls.
//
// It reports:
// - heap growth excluding transcript text. Method: the soak is held (speech and transcriber
//   paused at a gap between turns, the session open) one minute in and at the end; in the page,
//   Chromium's full GC (CDP `HeapProfiler.collectGarbage`), then `Runtime.getHeapUsage`: V8's
//   used heap plus Blink's (the embedder heap: DOM nodes); the lowest of 3 readings. The growth
//   minus the text the transcript holds by then (turn texts and word texts, 1 byte per character
//   plus a 16-byte string header each) is what the run costs beyond its text. To tell a leak from
//   the transcript's own cost, a fresh element holding the same finals (the twin) and a bare
//   store holding them are measured the same way after the run: growth the twin does not explain
//   is what the hour of sessions left behind. `--diagnose` adds heap snapshots, diffed by
//   constructor: the soak's growth, the twin's share, and what is left.
// - finals lost and duplicated: the finals the page received (`lt-final`, in order) against the
//   script's finals (the ground truth of the speech), by text and order, and word by word (every
//   planned word is unique); also how many finals the fake server emitted (re-sent audio is
//   transcribed again: the client must not show it twice).
// - caption delay after each drop: for every word, the time from its last sound (the speech
//   source says so) to its first appearance on screen (`lt-turn`, partial or final). Per drop:
//   the largest such delay of the words that ended from 1 s before the drop to 30 s after it, and
//   the time from the drop to the first caption after it. The median delay elsewhere is the
//   baseline.
// - the element's update cost at the end vs the start: bench/element-render.ts's measure (one
//   partial, one new final; interquartile means, best of 7 rounds) on the soak's element after
//   the run, against a fresh element holding the soak's first minute of finals, in the same page;
//   and on the twin (the size alone, without the hour of history). Tens of microseconds: on a
//   loaded machine the ratio moves from run to run.
//
//   node --import tsx bench/soak.ts [--json] [--scale 20] [--turns 1500] [--drops 20]
//     [--no-long-pauses] [--diagnose] [--out result.json] [--raw reports.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer, { type CDPSession, type Page } from 'puppeteer-core';
import {
  createFakeStreamingServer,
  type FakeClock,
  type SessionRecord,
} from '@live-transcript/core/testing';
import { listen } from '@live-transcript/core/testing/node';
import { findChromium } from '../scripts/browsers.mjs';
import { speechLocator } from './soak/locate.js';
import { makePlan, type Plan } from './soak/plan.js';
import type { SoakPageConfig, SoakReport } from './soak/page.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const json = args.includes('--json');
const diagnose = args.includes('--diagnose');
const SCALE = option('scale', 20);
/**
 * The session's inactivity_timeout: the transcriber sends KeepAlive while paused. Heap snapshots
 * (`--diagnose`) stall the page for seconds, a minute of session time: then an hour.
 */
const INACTIVITY_SECONDS = diagnose ? 3600 : 120;
/** When the "start" heap is read, and how many finals make the element's start size. */
const START_MS = 60_000;
const RECOVERY_WINDOW_MS = 30_000;
/**
 * A stall of the page or of the fake server longer than this (real ms) disturbs the run: it is
 * `scale` times longer in session time, which no real session sees, and past the transcriber's
 * outage buffer (10 s of session time) a drop then loses audio. (500 ms real at 20x.) The page's
 * stalls cost less than the server's: the speech holds its audio while the page is stalled.
 */
const DISTURBED_STALL_MS = 10_000 / SCALE;

const log = (line: string) => {
  if (!json) console.log(line);
  else process.stderr.write(`${line}\n`);
};

/** A fake-server clock running `scale` times faster than real time, on a shared epoch. */
function warpedClock(t0: number, scale: number): FakeClock & { at(ms: number): Promise<void> } {
  const real = () => performance.timeOrigin + performance.now();
  const now = () => t0 + (real() - t0) * scale;
  return {
    now,
    setTimeout(callback, ms) {
      const handle = setTimeout(callback, ms / scale);
      handle.unref();
      return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    /** Resolves when virtual epoch time `ms` has come. */
    at: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, (ms - now()) / scale))),
  };
}

/**
 * Runs in the page before any of its scripts (`evaluateOnNewDocument`): speeds up the page's
 * clock and timers by `scale`, on the epoch shared with the driver. (A string: tsx would add
 * helpers to a function that the page does not have.)
 */
const installClock = (t0: number, scale: number) => `(() => {
  const t0 = ${t0}, scale = ${scale};
  const realNow = performance.now.bind(performance);
  const origin = performance.timeOrigin;
  const epoch = () => t0 + (origin + realNow() - t0) * scale;
  const realTimeout = window.setTimeout, realInterval = window.setInterval;
  performance.now = () => realNow() * scale;
  Date.now = () => Math.floor(epoch());
  window.setTimeout = (handler, ms = 0, ...rest) => realTimeout(handler, ms / scale, ...rest);
  window.setInterval = (handler, ms = 0, ...rest) => realInterval(handler, ms / scale, ...rest);
  window.__soakClock = { realNow, epoch };
})();`;

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    format: 'esm',
    write: false,
    conditions: ['browser', 'production'],
    tsconfig: join(root, 'tsconfig.base.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/**
 * Serves the page and the worklets on 127.0.0.1 (a page on a public origin may not reach the
 * fake server on loopback), cross-origin isolated for 5 µs timers.
 */
async function serve(files: Record<string, [type: string, body: string]>) {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return void res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
    res
      .writeHead(200, {
        'content-type': file[0],
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      })
      .end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

interface HeapReading {
  /** V8's used heap, bytes. */
  usedSize: number;
  /** Blink's heap (DOM and other embedder objects), bytes. */
  embedderHeapUsedSize: number;
  total: number;
}

async function readHeap(cdp: CDPSession): Promise<HeapReading> {
  let best: HeapReading | undefined;
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as {
      usedSize: number;
      embedderHeapUsedSize?: number;
    };
    const embedder = usage.embedderHeapUsedSize ?? 0;
    const reading = {
      usedSize: usage.usedSize,
      embedderHeapUsedSize: embedder,
      total: usage.usedSize + embedder,
    };
    if (!best || reading.total < best.total) best = reading;
  }
  return best!;
}

/** Self size and count per constructor name in a heap snapshot (for `--diagnose`). */
async function snapshotByConstructor(cdp: CDPSession): Promise<Map<string, [number, number]>> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snapshot = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const totals = new Map<string, [number, number]>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt!]!]!;
    const name = snapshot.strings[snapshot.nodes[i + nameAt!]!]!;
    const key = type === 'object' || type === 'native' ? name : `(${type})`;
    const entry = totals.get(key) ?? [0, 0];
    entry[0] += snapshot.nodes[i + sizeAt!]!;
    entry[1] += 1;
    totals.set(key, entry);
  }
  return totals;
}

/** Bytes of the transcript's text: 1 byte per (ASCII) character, plus a 16-byte string header. */
const textBytes = (size: { chars: number; turns: number; words: number }) =>
  size.chars + 16 * (size.turns + size.words);

/** Index of each turn's last word, counting the words of all turns. */
function turnEnds(plan: Plan): number[] {
  let last = -1;
  return plan.turns.map((t) => (last += t.words.length));
}

const median = (values: number[]) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

export async function soak({
  turns = option('turns', 1500),
  drops = option('drops', 20),
  longPauses = !args.includes('--no-long-pauses'),
}: { turns?: number; drops?: number; longPauses?: boolean } = {}) {
  const plan: Plan = makePlan({ turns, drops, longPauses });
  const wallStart = performance.now();
  const [page, processor] = await Promise.all([
    bundle('bench/soak/page.ts'),
    bundle('bench/soak/speech-processor.ts'),
  ]);
  const worklet =
    `// The capture worklet, told that its context runs ${SCALE} times slower than it does, and\n` +
    `// skipping the render quanta in which the soak's speech holds the audio (a stalled page).\n` +
    `const sampleRate = globalThis.sampleRate / ${SCALE};\n` +
    `const registerProcessor = (name, Processor) =>\n` +
    `  globalThis.registerProcessor(name, class extends Processor {\n` +
    `    process(...args) { return globalThis.__soakHeld ? true : super.process(...args); }\n` +
    `  });\n` +
    readFileSync(join(root, 'packages/core/dist/capture-worklet.js'), 'utf8');

  const t0 = Date.now();
  const clock = warpedClock(t0, SCALE);
  const fake = createFakeStreamingServer({
    clock,
    maxSessionDurationSeconds: plan.maxSessionSeconds,
    script: {
      lines: plan.script,
      continueAcrossSessions: true,
      latencyMs: 200,
      locate: speechLocator(plan.turns.flatMap((t) => t.words)),
    },
  });
  let sessionStart: number | undefined;
  fake.subscribe(({ type }) => {
    if (type === 'begin') sessionStart ??= clock.now();
  });
  const server = await listen(fake);
  const site = await serve({
    '/': [
      'text/html',
      `<!doctype html><html lang="en"><body><script type="module">${page.replace(/<\/script/g, '<\\/script')}</script></body></html>`,
    ],
    '/capture-worklet.js': ['text/javascript', worklet],
    '/speech-processor.js': ['text/javascript', processor],
  });

  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH.');
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    protocolTimeout: 900_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const browserVersion = await browser.version();
  const reports: SoakReport[] = [];
  const dropTimes: Array<{ at: number; session: string | undefined }> = [];
  const serverStalls: number[] = [];
  try {
    const tab: Page = await browser.newPage();
    await tab.setViewport({ width: 800, height: 600 });
    tab.on('pageerror', (error) => log(`page error: ${String(error)}`));
    tab.on('console', (message) => {
      if (message.type() === 'error') log(`console: ${message.text()}`);
    });
    await tab.exposeFunction('__soakReport', (batch: string) => {
      reports.push(...(JSON.parse(batch) as SoakReport[]));
    });
    await tab.evaluateOnNewDocument(installClock(t0, SCALE));
    await tab.goto(`${site.origin}/`);
    await tab.waitForFunction('typeof globalThis.soak === "object"');
    const cdp = await tab.createCDPSession();

    const starts = plan.turns.flatMap((t) => t.words.map((w) => w.start));
    const config: SoakPageConfig = {
      tokenUrl: server.tokenUrl,
      url: server.url,
      workletUrl: `${site.origin}/capture-worklet.js`,
      processorUrl: `${site.origin}/speech-processor.js`,
      speech: {
        starts,
        ends: plan.turns.flatMap((t) => t.words.map((w) => w.end)),
        turnEnds: turnEnds(plan),
        totalMs: plan.audioMs,
        timeScale: SCALE,
      },
      pauses: plan.pauses,
      inactivityTimeout: INACTIVITY_SECONDS,
    };
    log(
      `soak: ${plan.turns.length} turns, ${(plan.audioMs / 60_000).toFixed(1)} min of speech, ${plan.drops.length} drops, ${plan.rollovers.length} rollovers, ${plan.pauses.length} pauses, at ${SCALE}x`
    );
    await tab.evaluate((c) => globalThis.soak.start(c), config);
    const began = sessionStart!;
    // The fake server's own stalls (this process, on a busy machine): real ms between ticks.
    let tick = performance.now();
    const monitor = setInterval(() => {
      const now = performance.now();
      if (now - tick > 60) serverStalls.push(now - tick);
      tick = now;
    }, 10);

    // Drops, on session time.
    const dropping = (async () => {
      for (const at of plan.drops) {
        await clock.at(began + at);
        const live = fake.connections.filter((c) => c.accepted && !c.closed).at(-1);
        dropTimes.push({ at: clock.now(), session: live?.id });
        fake.dropSession(live?.id);
      }
    })();
    /** Holds the soak at a gap between turns, reads the heap (and a snapshot) and the text. */
    const measure = async () => {
      await tab.evaluate(() => globalThis.soak.hold());
      return {
        heap: await readHeap(cdp),
        text: await tab.evaluate(() => globalThis.soak.textSize()),
        at: clock.now() - began,
        snapshot: diagnose ? await snapshotByConstructor(cdp) : undefined,
      };
    };
    await clock.at(began + START_MS);
    const before = await measure();
    await tab.evaluate(() => globalThis.soak.release());
    const startFinals = reports.filter((r) => r.type === 'final').length;
    log(
      `  heap at ${(before.at / 60_000).toFixed(1)} min: ${(before.heap.total / 1e6).toFixed(2)} MB`
    );
    const progress = setInterval(() => {
      const minutes = (clock.now() - began) / 60_000;
      const finals = reports.filter((r) => r.type === 'final').length;
      log(`  ${minutes.toFixed(0)} min: ${finals} finals, ${fake.sessions.length} sessions`);
    }, 15_000);
    await tab.evaluate(() => globalThis.soak.finished());
    await dropping;
    clearInterval(monitor);
    const after = await measure();
    clearInterval(progress);
    const { finals: storeFinals } = await tab.evaluate(() => globalThis.soak.stop());
    const sessionMs = clock.now() - began;
    const wallMs = performance.now() - wallStart;
    const stopped = await readHeap(cdp);
    const snapshotStopped = diagnose ? await snapshotByConstructor(cdp) : undefined;
    // What the transcript itself costs: a fresh element, and a bare store, holding its finals.
    const twinTurns = await tab.evaluate(() => globalThis.soak.addTwin());
    const withTwin = await readHeap(cdp);
    const snapshotTwin = diagnose ? await snapshotByConstructor(cdp) : undefined;
    await tab.evaluate(() => globalThis.soak.addStoreTwin());
    const withStoreTwin = await readHeap(cdp);
    const twin = {
      turns: twinTurns,
      elementBytes: withTwin.total - stopped.total,
      storeBytes: withStoreTwin.total - withTwin.total,
    };
    log('  measuring the element...');
    const render = await tab.evaluate((n) => globalThis.soak.measureRender(n, 7, 100), startFinals);

    if (args.includes('--raw')) {
      const file = args[args.indexOf('--raw') + 1]!;
      writeFileSync(
        file,
        JSON.stringify({
          began,
          reports,
          dropTimes,
          sessions: fake.connections.map((c) => ({
            id: c.id,
            beganAt: c.beganAt,
            closed: c.closed,
            audioMs: c.audioMs,
            frames: c.frames.length,
            control: c.control.map((m) => [m.at, (m.message as { type?: string })?.type]),
            sent: c.sent.map((m) => [m.at, m.message]),
          })),
        })
      );
    }
    return analyse({
      plan,
      reports,
      storeFinals,
      connections: fake.connections,
      dropTimes,
      serverStalls,
      began,
      before,
      after,
      stopped,
      twin,
      render,
      sessionMs,
      wallMs,
      browserVersion,
      diff:
        before.snapshot && after.snapshot && snapshotStopped && snapshotTwin
          ? residue(
              diff(before.snapshot, after.snapshot),
              diff(snapshotStopped, snapshotTwin),
              (after.text.turns - before.text.turns) / twinTurns
            )
          : undefined,
    });
  } finally {
    await browser.close();
    site.close();
    fake.close();
    await server.close();
  }
}

type Diff = Map<string, { bytes: number; count: number }>;

function diff(before: Map<string, [number, number]>, after: Map<string, [number, number]>): Diff {
  const names = new Set([...before.keys(), ...after.keys()]);
  return new Map(
    [...names].map((name) => {
      const [size, count] = after.get(name) ?? [0, 0];
      const [size0, count0] = before.get(name) ?? [0, 0];
      return [name, { bytes: size - size0, count: count - count0 }];
    })
  );
}

/**
 * Per constructor: the soak's growth, the twin's share for as many turns, and what is left.
 * The 25 largest growths and the 15 largest residues.
 */
function residue(growth: Diff, twin: Diff, share: number) {
  const rows = [...growth].map(([name, g]) => {
    const t = twin.get(name) ?? { bytes: 0, count: 0 };
    return {
      name,
      bytes: g.bytes,
      count: g.count,
      twinBytes: Math.round(t.bytes * share),
      twinCount: Math.round(t.count * share),
      residueBytes: Math.round(g.bytes - t.bytes * share),
    };
  });
  return {
    largest: [...rows].sort((a, b) => b.bytes - a.bytes).slice(0, 25),
    residue: [...rows].sort((a, b) => b.residueBytes - a.residueBytes).slice(0, 15),
  };
}

interface AnalyseInput {
  plan: Plan;
  reports: SoakReport[];
  storeFinals: string[];
  connections: readonly SessionRecord[];
  dropTimes: Array<{ at: number; session: string | undefined }>;
  /** Real ms the driver's event loop (the fake server) stood still, when over 60 ms. */
  serverStalls: number[];
  began: number;
  before: { heap: HeapReading; text: { turns: number; words: number; chars: number }; at: number };
  after: { heap: HeapReading; text: { turns: number; words: number; chars: number }; at: number };
  stopped: HeapReading;
  twin: { turns: number; elementBytes: number; storeBytes: number };
  render: Awaited<ReturnType<typeof globalThis.soak.measureRender>>;
  sessionMs: number;
  wallMs: number;
  browserVersion: string;
  diff: ReturnType<typeof residue> | undefined;
}

function analyse(input: AnalyseInput) {
  const { plan, reports, connections, began } = input;
  const of = <T extends SoakReport['type']>(type: T) =>
    reports.filter((r): r is Extract<SoakReport, { type: T }> => r.type === type);

  // Finals: by text and order, and word by word.
  const expected = plan.turns.map((t) => t.text);
  const received = of('final').map((r) => r.text);
  const wordIndex = new Map<string, number>();
  plan.turns.forEach((t) => t.words.forEach((w) => wordIndex.set(w.text, wordIndex.size)));
  const receivedWords = received.flatMap((text) => text.split(' '));
  const seenWords = new Map<string, number>();
  for (const word of receivedWords) seenWords.set(word, (seenWords.get(word) ?? 0) + 1);
  let outOfOrder = 0;
  let highest = -1;
  for (const word of receivedWords) {
    const index = wordIndex.get(word);
    if (index === undefined) continue;
    if (index < highest) outOfOrder += 1;
    highest = Math.max(highest, index);
  }
  const receivedTexts = new Map<string, number>();
  for (const text of received) receivedTexts.set(text, (receivedTexts.get(text) ?? 0) + 1);
  const finals = {
    expected: expected.length,
    received: received.length,
    lost: expected.filter((text) => !receivedTexts.has(text)).length,
    duplicated: [...receivedTexts.values()].reduce((n, count) => n + count - 1, 0),
    /** Received finals that are no planned turn (a turn split in two, or two merged). */
    reshaped: received.filter((text) => !expected.includes(text)).length,
    outOfOrder: received.filter(
      (text, i) => i > 0 && expected.indexOf(text) < expected.indexOf(received[i - 1]!)
    ).length,
    words: {
      expected: wordIndex.size,
      lost: [...wordIndex.keys()].filter((w) => !seenWords.has(w)).length,
      duplicated: [...seenWords.values()].reduce((n, count) => n + count - 1, 0),
      unexpected: [...seenWords.keys()].filter((w) => !wordIndex.has(w)).length,
      outOfOrder,
    },
    /** The store's finals at the end are the finals announced, in the same order. */
    storeMatchesEvents:
      input.storeFinals.length === received.length &&
      input.storeFinals.every((text, i) => text === received[i]),
    /** Finals the fake server emitted, over all sessions (re-sent audio is transcribed again). */
    emittedByServer: connections.reduce(
      (n, c) =>
        n +
        c.sent.filter((s) => {
          const m = s.message as { type?: string; end_of_turn?: boolean } | undefined;
          return m?.type === 'Turn' && m.end_of_turn;
        }).length,
      0
    ),
    firstLost: expected.find((text) => !receivedTexts.has(text)),
    firstReshaped: received.find((text) => !expected.includes(text)),
  };

  // Caption delay: from a word's last sound to its first appearance on screen.
  const words = plan.turns.flatMap((t) => t.words.map((w) => w.text));
  const ended = new Map<string, number>();
  for (const r of of('word')) ended.set(words[r.index]!, r.t);
  const shown = new Map<string, number>();
  for (const r of of('turn'))
    for (const word of r.words) if (!shown.has(word)) shown.set(word, r.t);
  const delays: Array<{ word: string; at: number; ms: number }> = [];
  for (const [word, at] of ended) {
    const t = shown.get(word);
    if (t !== undefined) delays.push({ word, at, ms: t - at });
  }
  const captions = of('turn').map((r) => r.t);
  const recovery = input.dropTimes.map(({ at }) => {
    const near = delays.filter((d) => d.at >= at - 1000 && d.at <= at + RECOVERY_WINDOW_MS);
    const firstCaption = captions.find((t) => t > at);
    const begins = of('begin').filter((r) => r.t > at);
    return {
      atMin: Number(((at - began) / 60_000).toFixed(2)),
      maxDelayMs: Math.round(Math.max(0, ...near.map((d) => d.ms))),
      firstCaptionMs: firstCaption === undefined ? null : Math.round(firstCaption - at),
      reconnectedMs: begins[0] ? Math.round(begins[0].t - at) : null,
    };
  });
  const inRecovery = (at: number) =>
    input.dropTimes.some((d) => at >= d.at - 1000 && at <= d.at + RECOVERY_WINDOW_MS);
  const steady = delays.filter((d) => !inRecovery(d.at)).map((d) => d.ms);

  // Sessions: rollovers are sessions terminated by the client while the next one was live.
  const sessions = connections.filter((c) => c.accepted);
  const rollovers = sessions.filter((s, i) => {
    const next = sessions[i + 1];
    const terminate = s.control.find((c) => (c.message as { type?: string })?.type === 'Terminate');
    return next && terminate && next.beganAt! <= terminate.at;
  }).length;
  const closes: Record<string, number> = {};
  for (const s of connections) {
    const key = `${s.closed?.code ?? 'open'} by ${s.closed?.by ?? '-'}`;
    closes[key] = (closes[key] ?? 0) + 1;
  }
  const warnings: Record<string, number> = {};
  for (const r of of('warning')) warnings[r.code] = (warnings[r.code] ?? 0) + 1;
  const pauses = of('pause').map((p, i) => ({
    atMin: Number(((p.t - began) / 60_000).toFixed(2)),
    ms: Math.round((of('resume')[i]?.t ?? p.t) - p.t),
  }));

  const growth = input.after.heap.total - input.before.heap.total;
  const text = textBytes(input.after.text) - textBytes(input.before.text);
  const { twin } = input;
  // The part of the growth that the turns added since the first reading explain.
  const explained =
    (twin.elementBytes * (input.after.text.turns - input.before.text.turns)) / twin.turns;
  const r = input.render;
  const stallsOf = (list: number[]) => ({
    count: list.length,
    longestRealMs: Math.round(Math.max(0, ...list)),
  });
  const stalls = {
    page: stallsOf(of('stall').map((x) => x.realMs)),
    server: stallsOf(input.serverStalls),
  };
  return {
    benchmark: 'soak',
    browser: input.browserVersion,
    scale: SCALE,
    wallSeconds: Math.round(input.wallMs / 1000),
    sessionMinutes: Number((input.sessionMs / 60_000).toFixed(1)),
    turns: plan.turns.length,
    drops: input.dropTimes.length,
    rollovers,
    pauses,
    sessions: sessions.length,
    connections: connections.length,
    closes,
    errors: of('error').map((e) => `${e.code}: ${e.message}`),
    /**
     * Stalls of the page and of the fake server (this process) longer than 60 ms real while the
     * soak ran: each real ms is `scale` ms of session time.
     */
    stalls,
    /** A stall so long that the figures say more about the machine than about the library. */
    disturbed:
      Math.max(stalls.page.longestRealMs, stalls.server.longestRealMs) > DISTURBED_STALL_MS,
    warnings,
    heap: {
      before: {
        ...input.before.heap,
        atMin: Number((input.before.at / 60_000).toFixed(1)),
        text: input.before.text,
      },
      after: {
        ...input.after.heap,
        atMin: Number((input.after.at / 60_000).toFixed(1)),
        text: input.after.text,
      },
      stopped: input.stopped,
      growthBytes: growth,
      textBytes: text,
      growthExcludingTextBytes: growth - text,
      goalBytes: 1_000_000,
      /** A fresh element holding the same finals (store and DOM), and a bare store. */
      twin: {
        ...twin,
        elementBytesPerTurn: Math.round(twin.elementBytes / twin.turns),
        storeBytesPerTurn: Math.round(twin.storeBytes / twin.turns),
        textBytesPerTurn: Math.round(textBytes(input.after.text) / input.after.text.turns),
      },
      /** Growth the transcript does not explain: what an hour of sessions left behind. */
      unexplainedBytes: Math.round(growth - explained),
      topGrowth: input.diff,
    },
    finals,
    captionDelay: {
      afterDrops: recovery,
      maxAfterDropMs: Math.max(...recovery.map((d) => d.maxDelayMs)),
      medianMaxAfterDropMs: median(recovery.map((d) => d.maxDelayMs)),
      // Drops with no caption after them (the speech was over) are left out.
      maxFirstCaptionMs: Math.max(0, ...recovery.map((d) => d.firstCaptionMs ?? 0)),
      steadyMedianMs: Math.round(median(steady)),
      steadyP95Ms: Math.round(percentile(steady, 95)),
      wordsNeverShown: [...ended.keys()].filter((w) => !shown.has(w)).length,
    },
    render: {
      ...r,
      /** Interquartile means (medians sit on the 5 µs timer steps). */
      ratio: {
        partial: r.end.partialMeanMs / r.start.partialMeanMs,
        final: r.end.finalMeanMs / r.start.finalMeanMs,
      },
      sizeOnlyRatio: {
        partial: r.endSizeFresh.partialMeanMs / r.start.partialMeanMs,
        final: r.endSizeFresh.finalMeanMs / r.start.finalMeanMs,
      },
      goalRatio: 1.5,
    },
  };
}

/** The soak's result as the lines of a table: [name, value, note]. */
export function soakRows(r: Awaited<ReturnType<typeof soak>>): Array<[string, string, string]> {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const x = (ratio: number) => `${ratio.toFixed(2)}x`;
  const { heap, finals, captionDelay: delay, render } = r;
  return [
    [
      `${r.sessionMinutes} min session, ${r.turns} turns`,
      `${r.wallSeconds} s wall`,
      `${r.scale}x real time; ${r.drops} drops, ${r.rollovers} rollovers, ${r.pauses.length} pauses, ${r.sessions} sessions; stalls over 60 ms real: page ${r.stalls.page.count} (longest ${r.stalls.page.longestRealMs} ms), server ${r.stalls.server.count} (longest ${r.stalls.server.longestRealMs} ms)` +
        (r.disturbed
          ? '; DISTURBED: the machine stalled the page, run it again on a quieter one'
          : ''),
    ],
    [
      'heap growth excluding transcript text',
      mb(heap.growthExcludingTextBytes),
      `goal ≤ 1 MB; growth ${mb(heap.growthBytes)}, text ${mb(heap.textBytes)}; a fresh element holding the same finals takes ${heap.twin.elementBytesPerTurn} B/turn (its store ${heap.twin.storeBytesPerTurn}, text ${heap.twin.textBytesPerTurn}); unexplained by them ${mb(heap.unexplainedBytes)}`,
    ],
    [
      'finals lost / duplicated',
      `${finals.lost} / ${finals.duplicated}`,
      `goal 0 / 0; ${finals.received} of ${finals.expected} received; words lost ${finals.words.lost}, duplicated ${finals.words.duplicated}; the server emitted ${finals.emittedByServer}`,
    ],
    [
      'caption delay after a drop, largest',
      s(delay.maxAfterDropMs),
      `median of the per-drop largest ${s(delay.medianMaxAfterDropMs)}; first caption within ${s(delay.maxFirstCaptionMs)}; elsewhere median ${delay.steadyMedianMs} ms`,
    ],
    [
      'element update, end vs start',
      `${x(render.ratio.partial)} / ${x(render.ratio.final)}`,
      `partial / new final, goal ≤ 1.5x; ${render.start.turns} vs ${render.end.turns} turns; the same turns without the hour: ${x(render.sizeOnlyRatio.partial)} / ${x(render.sizeOnlyRatio.final)}`,
    ],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await soak();
  if (args.includes('--out')) {
    writeFileSync(args[args.indexOf('--out') + 1]!, JSON.stringify(result, null, 2) + '\n');
  }
  // With --json, the table's lines too (for scripts/bench.mjs).
  if (json) console.log(JSON.stringify({ ...result, table: soakRows(result) }, null, 2));
  else {
    console.log(`Soak in headless Chromium (${result.browser}), local fake server:`);
    for (const [name, value, note] of soakRows(result)) {
      console.log(`  ${name.padEnd(40)} ${value.padStart(14)}  ${note}`);
    }
    for (const drop of result.captionDelay.afterDrops) {
      console.log(
        `    drop at ${drop.atMin.toFixed(2)} min: largest delay ${drop.maxDelayMs} ms, first caption after ${drop.firstCaptionMs} ms, new session after ${drop.reconnectedMs} ms`
      );
    }
  }
}
