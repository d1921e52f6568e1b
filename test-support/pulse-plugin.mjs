// SPDX-License-Identifier: MIT
// Firefox runs an AudioContext only with a sound server: this plugin runs a private PulseAudio
// for the test run, with a null sink as the output, and optionally a WAV file as the microphone:
// a pipe source that a worker thread feeds in real time, looping. The page asks for a restart of
// the file with `executeServerCommand('mic:restart')` (test-support/browser/setup.ts does it on
// every getUserMedia, as Chromium's fake file capture starts over for each stream).
// The null sink runs with `norewinds=1`: with rewinds, each time Firefox opened or closed a
// microphone its whole audio graph stalled for 2 s (no render quantum in any AudioContext).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Reads a 16-bit PCM WAV file: `{ rate, channels, pcm }` (pcm: the data chunk, s16le). */
export function readWav(file) {
  const buffer = readFileSync(file);
  let format;
  for (let at = 12; at + 8 <= buffer.length;) {
    const id = buffer.toString('latin1', at, at + 4);
    const size = buffer.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      format = {
        pcm: buffer.readUInt16LE(at + 8) === 1,
        channels: buffer.readUInt16LE(at + 10),
        rate: buffer.readUInt32LE(at + 12),
        bits: buffer.readUInt16LE(at + 22),
      };
    }
    if (id === 'data' && format?.pcm && format.bits === 16) {
      const pcm = buffer.subarray(at + 8, Math.min(buffer.length, at + 8 + size));
      return { rate: format.rate, channels: format.channels, pcm };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${file}: not a 16-bit PCM WAV file (the Firefox microphone needs one)`);
}

/** How far ahead of real time the writer keeps the FIFO: absorbs small delays of the writer. */
const LEAD_MS = 250;
/**
 * Where a restart starts the file: about the latency from the FIFO to Firefox's audio graph,
 * cut from the file's leading 0.5 s of silence, so that the page hears the file's start about
 * when the restart returns, as with Chromium's fake capture.
 */
const START_MS = 50;

// Writes the PCM into the FIFO at real-time pace (plus LEAD_MS), looping. The FIFO is opened
// O_RDWR|O_NONBLOCK: a blocking write on a full pipe would block the thread. Should the pipe
// be full, the file pauses there (no skip, no burst later). A restart empties the pipe (the
// same descriptor reads) and starts the file over.
const WRITER = `
const { openSync, readSync, writeSync, constants } = require('node:fs');
const { workerData, parentPort } = require('node:worker_threads');
const { fifo, pcm, bytesPerSecond, chunk, lead, start } = workerData;
const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
const sink = Buffer.alloc(65536);
let t0 = Date.now();
let sent = 0;
parentPort.on('message', (message) => {
  if (message !== 'restart') return;
  try { while (readSync(fd, sink) > 0); } catch (error) { if (error.code !== 'EAGAIN') throw error; }
  sent = Math.round((start / 1000) * bytesPerSecond / chunk) * chunk;
  t0 = Date.now() - start;
});
setInterval(() => {
  const due = Math.floor(((Date.now() - t0 + lead) / 1000) * bytesPerSecond / chunk) * chunk;
  while (sent < due) {
    const offset = sent % pcm.length;
    const piece = pcm.subarray(offset, Math.min(offset + chunk, pcm.length));
    try {
      writeSync(fd, piece);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
      t0 = Date.now() + lead - (sent / bytesPerSecond) * 1000; // full: pause, no burst later
      return;
    }
    sent += piece.length;
  }
}, 5);
`;

/**
 * @param {{ micFile?: string }} options `micFile`: a 16-bit PCM WAV as the microphone; without
 *   it Firefox uses its fake device (a tone).
 * @returns {import('@web/test-runner').TestRunnerPlugin & { env: Record<string, string> }}
 *   `env`: what the browser needs to reach this PulseAudio (`PULSE_SERVER`).
 */
export function pulsePlugin({ micFile } = {}) {
  // Decided now (Firefox's launch options need it); created only in serverStart.
  const dir = join(tmpdir(), `wtr-pulse-${process.pid}`);
  const socket = join(dir, 'native');
  let pulse;
  let writer;

  return {
    name: 'pulseaudio',
    env: { PULSE_SERVER: `unix:${socket}` },

    async serverStart() {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const wav = micFile ? readWav(micFile) : undefined;
      const fifo = join(dir, 'mic.fifo');
      const script = join(dir, 'default.pa');
      writeFileSync(
        script,
        [
          'load-module module-null-sink sink_name=null rate=48000 norewinds=1',
          ...(wav
            ? [
                `load-module module-pipe-source source_name=wavmic file=${fifo} format=s16le rate=${wav.rate} channels=${wav.channels}`,
                'set-default-source wavmic',
              ]
            : []),
          '# Last: once the socket exists, everything above is loaded.',
          `load-module module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
          '',
        ].join('\n')
      );
      pulse = spawn(
        'pulseaudio',
        ['-n', '-F', script, '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no'],
        // A private HOME keeps its cookie and state out of the user's ~/.config/pulse.
        { env: { ...process.env, HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] }
      );
      let log = '';
      pulse.stderr.on('data', (data) => (log = (log + data).slice(-2000)));
      const exited = new Promise((resolve) => pulse.once('exit', resolve));
      const deadline = Date.now() + 10_000;
      while (!existsSync(socket)) {
        const early = await Promise.race([
          exited.then(() => true),
          new Promise((resolve) => setTimeout(resolve, 50, false)),
        ]);
        if (early || Date.now() > deadline) {
          pulse.kill('SIGKILL');
          throw new Error(`pulseaudio did not start (needed by Firefox):\n${log}`);
        }
      }
      if (wav) {
        const frameBytes = wav.channels * 2;
        writer = new Worker(WRITER, {
          eval: true,
          workerData: {
            fifo,
            pcm: wav.pcm,
            bytesPerSecond: wav.rate * frameBytes,
            chunk: Math.round(wav.rate * 0.01) * frameBytes, // 10 ms
            lead: LEAD_MS,
            start: START_MS,
          },
        });
        writer.unref();
      }
    },

    async serverStop() {
      await writer?.terminate();
      if (pulse && pulse.exitCode === null && pulse.signalCode === null) {
        const exited = new Promise((resolve) => pulse.once('exit', resolve));
        pulse.kill('SIGTERM');
        const timer = setTimeout(() => pulse.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },

    executeCommand({ command }) {
      if (command !== 'mic:restart') return undefined;
      writer?.postMessage('restart');
      return Boolean(writer);
    },
  };
}
