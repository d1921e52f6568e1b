// SPDX-License-Identifier: MIT
// Resampler benchmark: CPU time per second of audio for 48 -> 16 kHz and 44.1 -> 16 kHz, fed in
// 128-sample chunks (one render quantum), for our polyphase Resampler, for the whole capture
// worklet path (resampler + Int16 + levels + framing), and for a naive linear-interpolation
// resampler measured in the same process. Rounds alternate between them; best of N.
//
//   node --import tsx bench/resampler.ts [--json] [--seconds 30] [--rounds 5]
import { cpuUsage, version } from 'node:process';
import { Resampler } from '../packages/core/src/audio/resampler.js';
import { Framer } from '../packages/core/src/audio/pcm.js';
import { LinearResampler, noise } from '../packages/core/test/node/audio-signals.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const json = args.includes('--json');
const seconds = option('seconds', 30);
const rounds = option('rounds', 5);
const CHUNK = 128;
const OUT = 16000;

/** CPU milliseconds (user + system) that `run` takes. */
function cpuMs(run: () => void): number {
  const start = cpuUsage();
  run();
  const used = cpuUsage(start);
  return (used.user + used.system) / 1000;
}

type Candidate = { name: string; run: (input: Float32Array) => void };

function candidates(rate: number): Candidate[] {
  return [
    {
      name: 'resampler',
      run(input) {
        const r = new Resampler(rate, OUT);
        const out = new Float32Array(CHUNK);
        for (let at = 0; at < input.length; at += CHUNK) {
          r.processInto(input.subarray(at, at + CHUNK), out);
        }
      },
    },
    {
      name: 'capturePath',
      run(input) {
        // What the worklet does per quantum: resample, then Int16 + levels + 50 ms frames.
        const r = new Resampler(rate, OUT);
        const framer = new Framer(800, () => {});
        const out = new Float32Array(CHUNK);
        for (let at = 0; at < input.length; at += CHUNK) {
          const n = r.processInto(input.subarray(at, at + CHUNK), out);
          for (let i = 0; i < n; i++) framer.push(out[i]!);
        }
      },
    },
    {
      name: 'linear',
      run(input) {
        const r = new LinearResampler(rate, OUT);
        for (let at = 0; at < input.length; at += CHUNK) r.process(input.subarray(at, at + CHUNK));
      },
    },
  ];
}

const results = [48000, 44100].map((rate) => {
  const input = noise(rate * seconds, 12345);
  const list = candidates(rate);
  // Repeat the fast candidates so that every measurement spans at least ~100 ms of CPU.
  const repeats: Record<string, number> = {};
  for (const c of list) {
    const once = cpuMs(() => c.run(input)); // also warms up the JIT
    repeats[c.name] = Math.max(1, Math.ceil(100 / Math.max(once, 1)));
  }
  const best: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    for (const c of list) {
      const ms = cpuMs(() => {
        for (let i = 0; i < repeats[c.name]!; i++) c.run(input);
      });
      best[c.name] = Math.min(best[c.name] ?? Infinity, ms / repeats[c.name]!);
    }
  }
  const perSecond = (name: string) => best[name]! / seconds;
  return {
    inputRate: rate,
    outputRate: OUT,
    taps: new Resampler(rate, OUT).taps,
    resamplerMsPerSecond: perSecond('resampler'),
    capturePathMsPerSecond: perSecond('capturePath'),
    linearMsPerSecond: perSecond('linear'),
    ratioToLinear: best.resampler! / best.linear!,
  };
});

if (json) {
  console.log(
    JSON.stringify(
      { benchmark: 'resampler', node: version, seconds, chunk: CHUNK, rounds, results },
      null,
      2
    )
  );
} else {
  console.log(
    `Resampler: CPU ms per second of audio (Node ${version}, ${seconds} s of noise, ${CHUNK}-sample chunks, best of ${rounds})`
  );
  for (const r of results) {
    console.log(
      `  ${r.inputRate} -> ${r.outputRate} Hz: polyphase ${r.resamplerMsPerSecond.toFixed(2)} ms/s (${r.taps} taps),` +
        ` capture path ${r.capturePathMsPerSecond.toFixed(2)} ms/s,` +
        ` linear interpolation ${r.linearMsPerSecond.toFixed(2)} ms/s, ratio ${r.ratioToLinear.toFixed(1)}x`
    );
  }
}
