// SPDX-License-Identifier: MIT
// Session scripts: parsing, playback of every fixture in step with the speech fixture's audio,
// and continuation across sessions (a client that reconnects mid-sentence).
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LiveTranscriptError } from '../../src/errors.js';
import {
  createFakeStreamingServer,
  createVirtualClock,
  parseSessionScript,
  splitFrames,
  type FakeScriptOptions,
  type FakeStreamingServerOptions,
  type SessionScriptLine,
  type VirtualClock,
} from '../../src/testing/index.js';
import { listen } from '../../src/testing/node.js';
import {
  FIXTURES,
  fetchToken,
  rawClient,
  sessionUrl,
  speechPcm,
  until,
  type Message,
  type RawClient,
} from './fake-server-client.js';

const FILES = [
  'universal-english.jsonl',
  'universal-english-format-turns-2025.jsonl',
  'universal-english-format-turns-inmodel.jsonl',
  'u3-pro.jsonl',
  'server-error-midway.jsonl',
];
const script = (file: string) => readFileSync(new URL(`sessions/${file}`, FIXTURES), 'utf8');
const SENTENCES = (
  JSON.parse(readFileSync(new URL('speech.json', FIXTURES), 'utf8')) as {
    sentences: Array<{ text: string }>;
  }
).sentences.map((s) => s.text);
const plain = (text: string) => text.toLowerCase().replace(/[.,]/g, '');

type Turn = Message & {
  turn_order: number;
  end_of_turn: boolean;
  turn_is_formatted: boolean;
  transcript: string;
  utterance?: string;
  words: Array<{
    text: string;
    start: number;
    end: number;
    confidence: number;
    word_is_final: boolean;
  }>;
};
const turns = (messages: Message[]) => messages.filter((m) => m.type === 'Turn') as Turn[];

async function serve(t: TestContext, options: FakeStreamingServerOptions) {
  const clock = createVirtualClock();
  const fake = createFakeStreamingServer({ clock, ...options });
  const server = await listen(fake);
  t.after(() => server.close());
  const open = async (params: Record<string, string> = {}) =>
    rawClient(sessionUrl(server.url, { token: await fetchToken(server.tokenUrl), ...params }));
  return { fake, clock, open };
}

/** Sends frames one by one, advancing the virtual clock, until sent or the socket closes. */
async function stream(client: RawClient, clock: VirtualClock, frames: Int16Array[], frameMs = 100) {
  for (const frame of frames) {
    if (client.ws.readyState !== client.ws.OPEN) return;
    client.ws.send(frame);
    clock.advance(frameMs);
    // Let the frame reach the server before the next one: playback is checked per frame.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('parseSessionScript', () => {
  it('parses every fixture, skipping blank lines', () => {
    for (const file of FILES) {
      const text = script(file);
      const lines = parseSessionScript(`\n${text}\n\n`);
      assert.equal(lines.length, text.trim().split('\n').length, file);
      assert.equal(lines[0]!.message?.type, 'Begin');
    }
  });

  it('throws a LiveTranscriptError naming the bad line', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"after_audio_ms": 0, "message": {"type": "Begin"}}\n\n{oops', /line 3: invalid JSON/],
      ['[1]', /line 1: not a JSON object/],
      ['{"message": {"type": "Turn"}}', /line 1: "after_audio_ms" must be a number/],
      [
        '{"after_audio_ms": 5, "message": {"turn_order": 1}}',
        /"message" must be an object with a string "type"/,
      ],
      ['{"after_audio_ms": 5}', /needs exactly one of "message" or "close"/],
      [
        '{"after_audio_ms": 5, "close": {"reason": "x"}}',
        /"close" must be an object with a numeric "code"/,
      ],
      [
        '{"after_audio_ms": 5, "on": "Begin", "close": {"code": 1000}}',
        /"on" can only be "Terminate"/,
      ],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(
        () => parseSessionScript(text),
        (error: unknown) =>
          error instanceof LiveTranscriptError &&
          error.code === 'invalid-option' &&
          pattern.test(error.message)
      );
    }
  });
});

describe('script playback over ws, fed with the speech fixture', () => {
  const frames = splitFrames(speechPcm(), 100);

  for (const file of FILES) {
    it(`plays ${file} in step with the audio received`, async (t) => {
      const lines = parseSessionScript(script(file));
      const { fake, clock, open } = await serve(t, { script: { lines } });
      /** Audio received when each frame was sent, for the playback-step check. */
      const sentAt: number[] = [];
      fake.subscribe((e) => e.type === 'send' && sentAt.push(e.session.audioMs));
      const client = await open();
      const begin = await client.next('Begin');
      assert.notEqual(begin.id, lines[0]!.message!.id, 'a fresh session id');
      await stream(client, clock, frames);
      if (client.ws.readyState === client.ws.OPEN) {
        await fake.waitFor(() => fake.connections[0]!.frames.length === frames.length);
        client.json({ type: 'Terminate' });
      }
      const closed = await client.closed;
      const timed = lines
        .filter((l, i) => i > 0 && !l.on)
        .sort((a, b) => a.after_audio_ms - b.after_audio_ms);
      const error = timed.find((l) => l.close);
      const expected = error
        ? timed.filter((l) => l.after_audio_ms <= error.after_audio_ms)
        : timed;
      const messages = client.messages.slice(1);
      assert.deepEqual(
        messages.slice(0, expected.filter((l) => l.message).length),
        expected.filter((l) => l.message).map((l) => l.message),
        'the timed lines, in order of after_audio_ms'
      );
      expected
        .filter((l) => l.message)
        .forEach((line, i) => {
          const audio = sentAt[i + 1]!;
          assert.ok(
            audio >= line.after_audio_ms && audio < line.after_audio_ms + 100,
            `line at ${line.after_audio_ms} ms sent after ${audio} ms of audio`
          );
        });
      if (error) {
        assert.deepEqual(closed, { code: 3005, reason: 'Session Cancelled: An error occurred' });
        assert.equal(messages.length, expected.length - 1, 'nothing after the error');
        assert.ok(turns(messages).every((m) => !m.end_of_turn));
        return;
      }
      assert.deepEqual(closed, { code: 1000, reason: '' });
      assert.deepEqual(messages.at(-1), {
        type: 'Termination',
        audio_duration_seconds: 15,
        session_duration_seconds: 15,
      });
      // Every sentence arrives as a final, formatted when the script formats.
      const finals = new Map<number, Turn>();
      for (const turn of turns(messages)) if (turn.end_of_turn) finals.set(turn.turn_order, turn);
      assert.deepEqual(
        [...finals.values()].map((m) => (m.turn_is_formatted ? m.transcript : plain(m.transcript))),
        SENTENCES.map((s) => (file === 'universal-english.jsonl' ? plain(s) : s))
      );
    });
  }

  it('keeps the script values when asked to', async (t) => {
    const lines = parseSessionScript(script('u3-pro.jsonl'));
    const { clock, open } = await serve(t, { script: { lines, keepScriptValues: true } });
    const client = await open();
    assert.deepEqual(await client.next('Begin'), lines[0]!.message);
    await stream(client, clock, frames.slice(0, 10));
    client.json({ type: 'Terminate' });
    await client.closed;
    assert.deepEqual(client.messages.at(-1), lines.at(-2)!.message);
  });

  it('flushes the open turn as a final on Terminate, and on ForceEndpoint skips its later lines', async (t) => {
    const { fake, clock, open } = await serve(t, { script: script('universal-english.jsonl') });
    const client = await open();
    await client.next('Begin');
    await stream(client, clock, frames.slice(0, 25));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 25);
    client.json({ type: 'ForceEndpoint' });
    const forced = await until(() => turns(client.messages).find((m) => m.end_of_turn));
    assert.equal(forced.transcript, 'the quick brown fox jump', 'the last partial, finalized');
    assert.ok(forced.words.every((w) => w.word_is_final));
    await stream(client, clock, frames.slice(25, 70));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 70);
    client.json({ type: 'Terminate' });
    await client.closed;
    const all = turns(client.messages);
    assert.equal(
      all.filter((m) => m.turn_order === 0 && m.end_of_turn).length,
      1,
      'no later line of turn 0'
    );
    assert.ok(all.indexOf(forced) === all.filter((m) => m.turn_order === 0).length - 1);
    const last = all.at(-1)!;
    assert.deepEqual(
      [last.turn_order, last.end_of_turn, last.transcript],
      [1, true, 'live caption']
    );
    assert.equal(client.messages.at(-1)!.type, 'Termination');
  });

  it('delivers lines with latency; Terminate flushes the ones in flight', async (t) => {
    const { fake, clock, open } = await serve(t, {
      script: { lines: script('universal-english.jsonl'), latencyMs: 300 },
    });
    const client = await open();
    await client.next('Begin');
    await stream(client, clock, frames.slice(0, 10));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(turns(client.messages).length, 0, 'the line due at 945 ms is in flight');
    clock.advance(300);
    await until(() => turns(client.messages).length === 1);
    for (const frame of frames.slice(10, 14)) client.ws.send(frame);
    await fake.waitFor(() => fake.connections[0]!.frames.length === 14);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(turns(client.messages).length, 1, 'the line due at 1327 ms is in flight');
    client.json({ type: 'Terminate' });
    await client.closed;
    assert.deepEqual(
      client.messages.map((m) => (m.type === 'Turn' ? m.transcript : m.type)),
      ['Begin', '', 'the', 'the quic', 'Termination']
    );
  });
});

describe('script continuation across sessions', () => {
  const frames = splitFrames(speechPcm(), 100);

  it('continues the script where the previous session stopped, re-basing words and turn order', async (t) => {
    const options: FakeScriptOptions = {
      lines: script('universal-english.jsonl'),
      continueAcrossSessions: true,
    };
    const { fake, clock, open } = await serve(t, { script: options });
    const first = await open();
    await first.next('Begin');
    await stream(first, clock, frames.slice(0, 20));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 20);
    first.ws.terminate(); // the network dies at 2000 ms
    await first.closed;
    assert.deepEqual(
      turns(first.messages).map((m) => m.transcript),
      ['', 'the', 'the quick']
    );

    const second = await open();
    await second.next('Begin');
    await stream(second, clock, frames.slice(20));
    await fake.waitFor(() => fake.connections[1]!.frames.length === frames.length - 20);
    second.json({ type: 'Terminate' });
    await second.closed;
    const all = turns(second.messages);
    // The rest of sentence 1 as turn 0 of the new session, then sentences 2 and 3 as turns 1, 2.
    const firstTurn = all.filter((m) => m.turn_order === 0);
    assert.deepEqual(firstTurn[0]!.words, [
      {
        text: 'jump',
        start: 28,
        end: 353,
        confidence: firstTurn[0]!.words[0]!.confidence,
        word_is_final: false,
      },
    ]);
    assert.equal(firstTurn[0]!.transcript, '');
    assert.deepEqual(
      firstTurn.map((m) => m.transcript),
      [
        '',
        'jumps',
        'jumps over',
        'jumps over the',
        'jumps over the lazy',
        'jumps over the lazy dog',
      ]
    );
    assert.equal(firstTurn.at(-1)!.utterance, 'jumps over the lazy dog');
    const finals = all.filter((m) => m.end_of_turn);
    assert.deepEqual(
      finals.map((m) => [m.turn_order, m.transcript]),
      [
        [0, 'jumps over the lazy dog'],
        [1, plain(SENTENCES[1]!)],
        [2, plain(SENTENCES[2]!)],
      ]
    );
    assert.equal(finals[1]!.words[0]!.start, 5438 - 2000, 'times re-based to the new session');
    assert.deepEqual(second.messages.at(-1), {
      type: 'Termination',
      audio_duration_seconds: 13,
      session_duration_seconds: 13,
    });
  });

  it('follows a client that re-sends the unfinished turn: the whole sentence comes again', async (t) => {
    const { fake, clock, open } = await serve(t, {
      script: { lines: script('universal-english.jsonl'), continueAcrossSessions: true },
    });
    const first = await open();
    await first.next('Begin');
    await stream(first, clock, frames.slice(0, 30));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 30);
    first.ws.terminate(); // dropped at 3000 ms, mid-sentence
    await first.closed;
    assert.equal(
      turns(first.messages).some((m) => m.end_of_turn),
      false
    );

    // The client re-sends the audio of the unfinished turn (from 400 ms on), then goes on.
    const second = await open();
    await second.next('Begin');
    await stream(second, clock, frames.slice(4));
    await fake.waitFor(() => fake.connections[1]!.frames.length === frames.length - 4);
    second.json({ type: 'Terminate' });
    await second.closed;
    const finals = turns(second.messages).filter((m) => m.end_of_turn);
    assert.deepEqual(
      finals.map((m) => [m.turn_order, m.transcript]),
      SENTENCES.map((sentence, i) => [i, plain(sentence)])
    );
    assert.equal(finals[0]!.words[0]!.start, 500 - 400, 'times re-based to the re-sent audio');
    assert.equal(finals[1]!.words[0]!.start, 5438 - 400);
  });

  it('lines the script up with the first sound, after any silence the client sent first', async (t) => {
    const { fake, clock, open } = await serve(t, {
      script: { lines: script('universal-english.jsonl'), continueAcrossSessions: true },
    });
    // A client whose capture started 700 ms before the speaker: 7 more silent frames of 100 ms.
    const lead = Array.from({ length: 7 }, () => new Int16Array(frames[0]!.length));
    const first = await open();
    await first.next('Begin');
    await stream(first, clock, [...lead, ...frames.slice(0, 30)]);
    await fake.waitFor(() => fake.connections[0]!.frames.length === 37);
    first.ws.terminate();
    await first.closed;
    const partials = turns(first.messages);
    assert.equal(partials[0]!.words[0]!.start, 500 + 700, 'word times on the audio sent');
    // The client re-sends from its first word (1200 ms into its audio): nothing lost or doubled.
    const second = await open();
    await second.next('Begin');
    await stream(second, clock, frames.slice(5));
    await fake.waitFor(() => fake.connections[1]!.frames.length === frames.length - 5);
    second.json({ type: 'Terminate' });
    await second.closed;
    const finals = turns(second.messages).filter((m) => m.end_of_turn);
    assert.deepEqual(
      finals.map((m) => m.transcript),
      SENTENCES.map(plain)
    );
    assert.equal(finals[0]!.words[0]!.start, 0);
  });

  /** A `locate` that knows where each frame of the speech fixture lies (100 ms frames). */
  const locate = () => {
    const at = new Map(
      frames.map((frame, i) => [Buffer.from(frame.buffer).toString('base64'), i * 100])
    );
    return (pcm: Int16Array) => at.get(Buffer.from(pcm.buffer).toString('base64'));
  };

  it('with locate, follows a client that leaves silence out of a pause', async (t) => {
    const { fake, clock, open } = await serve(t, {
      script: {
        lines: script('universal-english.jsonl'),
        continueAcrossSessions: true,
        locate: locate(),
      },
    });
    const client = await open();
    await client.next('Begin');
    // Sentence 1 and the start of the pause after it, then the pause's last 200 ms: the client
    // leaves 800 ms of silence out (frames 45-52), as a transcriber does to catch up.
    const sent = [...frames.slice(0, 45), ...frames.slice(53)];
    await stream(client, clock, sent);
    await fake.waitFor(() => fake.connections[0]!.frames.length === sent.length);
    client.json({ type: 'Terminate' });
    await client.closed;
    const finals = turns(client.messages).filter((m) => m.end_of_turn);
    assert.deepEqual(
      finals.map((m) => m.transcript),
      SENTENCES.map(plain)
    );
    // Times on the audio the server heard: 800 ms earlier than in the script from then on.
    assert.equal(finals[0]!.words[0]!.start, 500);
    assert.equal(finals[1]!.words[0]!.start, 5438 - 800);
    assert.equal(finals[2]!.words.at(-1)!.end, 13135 - 800);
  });

  it('with locate, places a session that starts with new audio where its sound lies', async (t) => {
    const { fake, clock, open } = await serve(t, {
      script: {
        lines: script('universal-english.jsonl'),
        continueAcrossSessions: true,
        locate: locate(),
      },
    });
    const first = await open();
    await first.next('Begin');
    await stream(first, clock, frames.slice(0, 40));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 40);
    // A second session takes over at 5400 ms, before the first heard the rest of the pause (a
    // rollover while the first is behind): its audio is new, not re-sent.
    const second = await open();
    await second.next('Begin');
    await stream(second, clock, frames.slice(54));
    await fake.waitFor(() => fake.connections[1]!.frames.length === frames.length - 54);
    second.json({ type: 'Terminate' });
    await second.closed;
    first.ws.terminate();
    const finals = turns(second.messages).filter((m) => m.end_of_turn);
    assert.deepEqual(
      finals.map((m) => m.transcript),
      SENTENCES.slice(1).map(plain)
    );
    assert.equal(finals[0]!.words[0]!.start, 5438 - 5400, 'times re-based to where it started');
  });

  it('renumbers SpeechStarted and SpeakerRevision for U3 Pro, and restarts after reset()', async (t) => {
    const lines: SessionScriptLine[] = parseSessionScript(script('u3-pro.jsonl'));
    const { fake, clock, open } = await serve(t, {
      script: { lines, continueAcrossSessions: true },
    });
    const first = await open({ speech_model: 'u3-rt-pro' });
    await first.next('Begin');
    await stream(first, clock, frames.slice(0, 60));
    await fake.waitFor(() => fake.connections[0]!.frames.length === 60);
    first.ws.close();
    await first.closed;
    const second = await open({ speech_model: 'u3-rt-pro' });
    await second.next('Begin');
    await stream(second, clock, frames.slice(60));
    await fake.waitFor(() => fake.connections[1]!.frames.length === frames.length - 60);
    second.json({ type: 'Terminate' });
    await second.closed;
    const types = second.messages.map((m) => m.type);
    assert.deepEqual(types, [
      'Begin',
      'Turn',
      'Turn',
      'SpeechStarted',
      'Turn',
      'Turn',
      'SpeakerRevision',
      'Termination',
    ]);
    const all = turns(second.messages);
    assert.deepEqual(
      all.map((m) => [m.turn_order, m.end_of_turn, m.transcript]),
      [
        [0, false, 'caption make'],
        [0, true, 'captions make every meeting accessible.'],
        [1, false, 'Please send the report\u2014'],
        [1, true, 'Please send the report to Marta by Friday.'],
      ]
    );
    assert.equal(second.messages[3]!.timestamp, 10154 - 6000);
    assert.deepEqual(
      (second.messages[6]!.revisions as Array<{ turn_order: number }>).map((r) => r.turn_order),
      [0]
    );

    fake.reset();
    const fresh = await open({ speech_model: 'u3-rt-pro' });
    await fresh.next('Begin');
    await stream(fresh, clock, frames.slice(0, 20));
    await until(() => fresh.messages.some((m) => m.type === 'Turn'));
    assert.equal(
      turns(fresh.messages)[0]!.transcript,
      'The quik brown fox\u2014',
      'the script starts over'
    );
    fresh.ws.close();
  });

  it('plays the script from the start in every session without continuation', async (t) => {
    const { fake, clock, open } = await serve(t, { script: script('universal-english.jsonl') });
    for (let i = 0; i < 2; i++) {
      const client = await open();
      await client.next('Begin');
      await stream(client, clock, frames.slice(0, 14));
      await fake.waitFor(() => fake.connections[i]!.frames.length === 14);
      client.json({ type: 'Terminate' });
      await client.closed;
      assert.deepEqual(
        turns(client.messages).map((m) => [m.turn_order, m.end_of_turn, m.transcript]),
        [
          [0, false, ''],
          [0, false, 'the'],
          [0, true, 'the quic'],
        ]
      );
    }
  });
});
