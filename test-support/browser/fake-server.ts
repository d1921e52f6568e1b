// SPDX-License-Identifier: MIT
// Browser-side handle on the fake AssemblyAI servers that test-support/fake-server-plugin.mjs
// runs in Node over real sockets, plus the speech fixture helpers shared by the e2e tests.
import { executeServerCommand } from '@web/test-runner-commands';

export interface FakeRecords {
  connections: Array<{
    id: string | undefined;
    accepted: boolean;
    params: Record<string, string>;
    token: string | undefined;
    frames: Array<{ bytes: number; ms: number; at: number }>;
    controls: Array<string | null>;
    /** The JSON control messages themselves (`{ type: 'UpdateConfiguration', ... }`). */
    controlMessages: Array<Record<string, unknown> | null>;
    sent: Array<string | null>;
    closed: { code: number; reason: string; by: 'server' | 'client'; at: number } | null;
    audioMs: number;
  }>;
  tokens: Array<{ uses: number; token: string }>;
  tokenRequests: Array<{ status: number }>;
}

export interface FakeServerHandle {
  id: number;
  /** `ws://127.0.0.1:<port>/v3/ws` */
  url: string;
  /** `http://127.0.0.1:<port>/token` */
  tokenUrl: string;
  /** Calls a method of the fake by path, e.g. `call('inject.drop', { afterAudioMs: 3000 })`. */
  call(path: string, ...args: unknown[]): Promise<unknown>;
  records(): Promise<FakeRecords>;
  /**
   * The audio that connection `index` (default 0) sent, as the fake decoded it (mu-law to linear),
   * in floats of [-1, 1). Needs `options: { recordAudio: true }`.
   */
  audio(index?: number): Promise<{ sampleRate: number; samples: Float32Array }>;
  stop(): Promise<void>;
}

export interface FakeServerStartOptions {
  /** A file of fixtures/sessions, e.g. `universal-english.jsonl`. Default: the speech generator. */
  script?: string;
  continueAcrossSessions?: boolean;
  /** Other options of createFakeStreamingServer (JSON only). */
  options?: Record<string, unknown>;
}

export async function startFakeServer(
  options: FakeServerStartOptions = {}
): Promise<FakeServerHandle> {
  const started = await executeServerCommand<
    { id: number; url: string; tokenUrl: string },
    FakeServerStartOptions
  >('fake:start', options);
  const { id } = started;
  return {
    ...started,
    call: async (path, ...args) =>
      (await executeServerCommand<{ result: unknown }, object>('fake:call', { id, path, args }))
        .result,
    records: () => executeServerCommand<FakeRecords, { id: number }>('fake:records', { id }),
    audio: async (index = 0) => {
      const { sampleRate, pcm } = await executeServerCommand<
        { sampleRate: number; pcm: string },
        { id: number; index: number }
      >('fake:audio', { id, index });
      const bytes = Uint8Array.from(atob(pcm), (c) => c.charCodeAt(0));
      const view = new DataView(bytes.buffer);
      const samples = Float32Array.from(
        { length: bytes.length >> 1 },
        (_, i) => view.getInt16(i * 2, true) / 32768
      );
      return { sampleRate, samples };
    },
    stop: async () => void (await executeServerCommand('fake:stop', { id })),
  };
}

/** The three sentences of the speech fixture, in order. */
export async function sentences(): Promise<string[]> {
  const json = (await (await fetch('/fixtures/speech.json')).json()) as {
    sentences: Array<{ text: string }>;
  };
  return json.sentences.map((s) => s.text);
}

/** Lowercase words without punctuation: compares formatted and unformatted text. */
export function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

/**
 * The speech fixture played once (then silence) as a live MediaStream of its own: for tests that
 * run several transcribers at the same time, where one fake microphone cannot serve them all.
 *
 * `durationMs` plays only the start of the file. With `{ paused: true }` the stream stays silent
 * until `play()`. Tests that reconnect call it once the transcriber listens, so that the capture
 * hears the fixture from its start: the fake server lines its script up with the first sound it
 * hears, which must be the first word and not the middle of one, or a client re-sending audio
 * from the script's word ends misses real words.
 */
export async function speechStream(
  file = '/fixtures/speech-48k.wav',
  { paused = false, durationMs }: { paused?: boolean; durationMs?: number } = {}
): Promise<{ stream: MediaStream; play(): void; close(): Promise<void> }> {
  const context = new AudioContext();
  const buffer = await context.decodeAudioData(await (await fetch(file)).arrayBuffer());
  const source = new AudioBufferSourceNode(context, { buffer });
  const destination = context.createMediaStreamDestination();
  source.connect(destination);
  await context.resume();
  let playing = false;
  const play = () => {
    if (playing) return;
    playing = true;
    if (durationMs === undefined) source.start();
    else source.start(0, 0, durationMs / 1000);
  };
  if (!paused) play();
  return { stream: destination.stream, play, close: () => context.close() };
}

/**
 * Resolves when `predicate()` is true, polling every 50 ms; rejects after `timeoutMs`. `what`
 * names the wait in the error; as a function, it is read at the timeout (to say what was seen).
 */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string) = 'condition'
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() > deadline) {
      const name = typeof what === 'function' ? what() : what;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${name}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until every socket the fake server saw is closed; returns the connections. */
export async function socketsClosed(fake: FakeServerHandle, timeoutMs = 8000) {
  await until(
    async () => (await fake.records()).connections.every((c) => c.closed !== null),
    timeoutMs,
    'every socket closed'
  );
  return (await fake.records()).connections;
}
