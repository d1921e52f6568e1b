// SPDX-License-Identifier: MIT
// Latency benchmark in headless Chromium with the fixture WAV as the microphone, against the
// fake AssemblyAI server over a real WebSocket on localhost:
// - start-to-first-frame: from `start()` (called in a click handler) to the first audio frame
//   handed to the socket, twice: with the engine chunk not loaded yet (a fresh browser context,
//   no HTTP cache: the click loads it), and after `preload()` (what `preload="intent"` gives
//   when the pointer reaches the button before the click);
// - capture-to-send: from the capture of a frame's last sample to `ws.send` of that frame.
// Each run opens a new page and a new session; the numbers are medians/percentiles over runs.
//
//   node bench/latency.mjs [--json] [--runs 5] [--seconds 4]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { createFakeStreamingServer } from '@live-transcript/core/testing';
import { listen } from '@live-transcript/core/testing/node';
import { findChromium } from '../scripts/browsers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const runs = option('runs', 5);
const seconds = option('seconds', 4);
const json = args.includes('--json');

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
const PAGE = `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports":{"@live-transcript/core":"/packages/core/dist/index.js"}}</script>
<button id="go">start</button>`;

/** Serves the built packages (and a blank page) from the repository root. */
async function staticServer() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(join(root, 'packages'))) return void res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function measureLatency() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found (install chromium or set CHROME_PATH).');
  const fake = createFakeStreamingServer();
  const socket = await listen(fake);
  const site = await staticServer();
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${join(root, 'fixtures/speech-48k.wav')}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const startToFirst = { cold: [], preloaded: [] };
  const sendLatencies = [];
  try {
    for (let run = 0; run < runs; run++) {
      for (const mode of ['cold', 'preloaded']) {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        await page.setCacheEnabled(false);
        await page.goto(site.origin);
        const result = await page.evaluate(
          async (tokenUrl, url, ms, preload) => {
            const { LiveTranscriber } = await import('@live-transcript/core');
            const t = new LiveTranscriber({
              tokenUrl,
              url,
              speechModel: 'universal-streaming-english',
            });
            if (preload) await t.preload();
            const button = document.getElementById('go');
            const started = new Promise((resolve, reject) => {
              button.onclick = () => t.start().then(resolve, reject);
            });
            button.click();
            await started;
            await new Promise((resolve) => setTimeout(resolve, ms));
            await t.stop();
            return { first: t.metrics.startToFirstFrameMs, latencies: t.metrics.sendLatenciesMs };
          },
          socket.tokenUrl,
          socket.url,
          seconds * 1000,
          mode === 'preloaded'
        );
        startToFirst[mode].push(result.first);
        if (mode === 'preloaded') sendLatencies.push(...result.latencies);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    site.close();
    await socket.close();
  }
  return {
    runs,
    startToFirstFrameMs: {
      p50: percentile(startToFirst.preloaded, 50),
      p95: percentile(startToFirst.preloaded, 95),
    },
    coldStartToFirstFrameMs: {
      p50: percentile(startToFirst.cold, 50),
      p95: percentile(startToFirst.cold, 95),
    },
    captureToSendMs: {
      p50: percentile(sendLatencies, 50),
      p95: percentile(sendLatencies, 95),
      frames: sendLatencies.length,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureLatency();
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    const f = (v) => `${v.toFixed(1)} ms`;
    console.log(
      `Latency in headless Chromium, fixture microphone, local fake server (${result.runs} runs)`
    );
    console.log(
      `  start() → first frame, engine not loaded   p50 ${f(result.coldStartToFirstFrameMs.p50)}   p95 ${f(result.coldStartToFirstFrameMs.p95)}`
    );
    console.log(
      `  start() → first frame, after preload()     p50 ${f(result.startToFirstFrameMs.p50)}   p95 ${f(result.startToFirstFrameMs.p95)}`
    );
    console.log(
      `  capture → ws.send (${result.captureToSendMs.frames} frames)   p50 ${f(result.captureToSendMs.p50)}   p95 ${f(result.captureToSendMs.p95)}`
    );
  }
}
