// SPDX-License-Identifier: MIT
// <live-transcript> rendering benchmark: the cost of one transcript update (a partial, a new
// final) with 10 and with 2 000 final turns on screen, in headless Chromium, and their ratio.
// Rendering must stay O(1): the ratio should be close to 1. Each update is timed on its own (a
// cross-origin isolated page has 5 µs timers; the GC runs between updates); medians, best of N
// rounds alternating between the sizes. The store merge (core's Transcript.apply) is reported
// apart.
// Needs a built core (`npx turbo run build --filter=@live-transcript/core`).
//
//   node --import tsx bench/element-render.ts [--json] [--rounds 5] [--updates 100]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import type { RenderResult } from '../packages/element/test/bench/render.js';
import { findChromium } from '../scripts/browsers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const json = args.includes('--json');
const rounds = option('rounds', 5);
const updates = option('updates', 100);
const ORIGIN = 'http://bench.localhost/';
const SIZES = [10, 2000];

const bundle = await build({
  entryPoints: [join(root, 'packages/element/test/bench/render.ts')],
  bundle: true,
  format: 'esm',
  write: false,
  conditions: ['browser', 'production'],
  tsconfig: join(root, 'tsconfig.base.json'),
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
});
const code = bundle.outputFiles[0]!.text;

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH.');
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--js-flags=--expose-gc'],
});
const best: Record<number, RenderResult> = {};
const browserVersion = await browser.version();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 800, height: 600 });
  page.on('pageerror', (error) => console.error(error));
  // Served from an intercepted origin with COOP/COEP: cross-origin isolated, 5 µs timers.
  await page.setRequestInterception(true);
  page.on('request', (request) =>
    request.respond({
      status: 200,
      contentType: 'text/html',
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
      body: `<!doctype html><html lang="en"><body><script type="module">${code.replace(/<\/script/g, '<\\/script')}</script></body></html>`,
    })
  );
  await page.goto(ORIGIN);
  if (!(await page.evaluate(() => crossOriginIsolated)))
    throw new Error('Not cross-origin isolated');
  await page.waitForFunction('typeof globalThis.measure === "function"');
  // Warm-up (JIT, style sheets), then alternate the sizes.
  for (const turns of SIZES) await page.evaluate((n, c) => globalThis.measure!(n, c), turns, 20);
  for (let round = 0; round < rounds; round++) {
    for (const turns of SIZES) {
      const result = await page.evaluate((n, c) => globalThis.measure!(n, c), turns, updates);
      const previous = best[turns];
      best[turns] = previous
        ? (Object.fromEntries(
            Object.entries(result).map(([key, value]) => [
              key,
              Math.min(value, previous[key as keyof RenderResult]),
            ])
          ) as unknown as RenderResult)
        : result;
    }
  }
} finally {
  await browser.close();
}

declare global {
  var measure: ((turns: number, count: number) => Promise<RenderResult>) | undefined;
}

const [few, many] = SIZES.map((n) => best[n]!) as [RenderResult, RenderResult];
const ratio = {
  partial: many.partialMs / few.partialMs,
  final: many.finalMs / few.finalMs,
  withStorePartial: (many.partialMs + many.storePartialMs) / (few.partialMs + few.storePartialMs),
  withStoreFinal: (many.finalMs + many.storeFinalMs) / (few.finalMs + few.storeFinalMs),
};
if (json) {
  console.log(
    JSON.stringify(
      {
        benchmark: 'element-render',
        browser: browserVersion,
        rounds,
        updates,
        results: [few, many],
        ratio,
      },
      null,
      2
    )
  );
} else {
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  console.log(
    `<live-transcript> render: one update with ${SIZES.join(' vs ')} final turns on screen (${browserVersion}, median of ${updates} updates, best of ${rounds} rounds)`
  );
  for (const r of [few, many]) {
    console.log(
      `  ${String(r.turns).padStart(5)} turns: partial ${ms(r.partialMs)}, new final ${ms(r.finalMs)}` +
        `   (store merge: partial ${ms(r.storePartialMs)}, final ${ms(r.storeFinalMs)})`
    );
  }
  console.log(
    `  ratio ${SIZES[1]}/${SIZES[0]}: partial ${ratio.partial.toFixed(2)}x, new final ${ratio.final.toFixed(2)}x` +
      `   (with the store merge: ${ratio.withStorePartial.toFixed(2)}x, ${ratio.withStoreFinal.toFixed(2)}x)`
  );
}
