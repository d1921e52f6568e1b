// SPDX-License-Identifier: MIT
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Transcript,
  isU3ProModel,
  type TranscriptOptions,
  type TranscriptTurn,
} from '../../src/index.js';
import type { TurnMessage, WireWord } from '../../src/protocol/messages.js';
import { applyMessage, endSession, interruptSession } from '../../src/session/index.js';
import { toWebVTT, toSRT } from '../../src/index.js';

const fixtures = join(import.meta.dirname, '../../../../fixtures');
const speech = JSON.parse(readFileSync(join(fixtures, 'speech.json'), 'utf8')) as {
  sentences: Array<{ text: string; start_ms: number; end_ms: number }>;
};
const sentences = speech.sentences.map((s) => s.text);

interface Line {
  after_audio_ms: number;
  on?: string;
  message?: Record<string, unknown>;
  close?: { code: number };
}

/** The messages of a session fixture in the order a client receives them. */
function received(file: string): Array<Record<string, unknown>> {
  const lines = readFileSync(join(fixtures, 'sessions', file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
  const ordered = lines
    .map((line, index) => ({ line, index }))
    .sort(
      (a, b) =>
        Number(!!a.line.on) - Number(!!b.line.on) ||
        a.line.after_audio_ms - b.line.after_audio_ms ||
        a.index - b.index
    )
    .map(({ line }) => line);
  const messages = [];
  for (const line of ordered) {
    if (line.close) break;
    if (line.message) messages.push(line.message);
  }
  return messages;
}

const sessionFiles = readdirSync(join(fixtures, 'sessions')).filter((f) => f.endsWith('.jsonl'));
const loose = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Options a transcriber would pass for a fixture. */
function optionsFor(file: string, formatTurns = file.includes('format-turns')): TranscriptOptions {
  return {
    formatTurns,
    speechModel: file.startsWith('u3') ? 'u3-rt-pro' : 'universal-streaming-english',
  };
}

function replay(file: string, options = optionsFor(file)) {
  const transcript = new Transcript(options);
  const ready: TranscriptTurn[] = [];
  for (const message of received(file)) {
    applyMessage(transcript, message);
    ready.push(...transcript.lastReady);
    // Invariants after every message: unique ids, ordered turns, at most one turn in progress.
    const ids = transcript.turns.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length, `${file}: duplicate turn ids ${ids.join()}`);
    assert.deepEqual(
      transcript.turns.map((t) => t.order),
      transcript.turns.map((t) => t.order).toSorted((a, b) => a - b)
    );
    assert.ok(transcript.turns.filter((t) => !t.final).length <= 1, `${file}: two partials`);
  }
  return { transcript, ready };
}

let seq = 0;
function turn(
  order: number,
  text: string,
  extra: Partial<TurnMessage> & { start?: number; step?: number; finalWords?: boolean } = {}
): TurnMessage {
  const { start = 1000, step = 300, finalWords, ...fields } = extra;
  const final = fields.end_of_turn ?? false;
  const tokens = text ? text.split(' ') : [];
  const words: WireWord[] = tokens.map((t, i) => ({
    text: t,
    start: start + i * step,
    end: start + i * step + step - 40,
    confidence: 0.9,
    word_is_final: finalWords ?? (final || i < tokens.length - 1),
  }));
  seq++;
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: false,
    end_of_turn: final,
    transcript: final ? text : tokens.slice(0, -1).join(' '),
    end_of_turn_confidence: final ? 0.9 : 0.01 * (seq % 10),
    words,
    utterance: '',
    ...fields,
  };
}

describe('Transcript: replaying the recorded sessions', () => {
  for (const file of sessionFiles.filter((f) => !f.includes('error'))) {
    it(`${file}: exactly the three sentences, once each, no stale partial`, () => {
      const { transcript, ready } = replay(file);
      const exact = file.startsWith('u3') || file.includes('format-turns');
      const texts = transcript.turns.map((t) => t.text);
      if (exact) assert.deepEqual(texts, sentences);
      else assert.deepEqual(texts.map(loose), sentences.map(loose));
      assert.ok(transcript.turns.every((t) => t.final));
      assert.equal(transcript.partial, '');
      assert.equal(transcript.finalText, texts.join('\n'));
      assert.equal(transcript.text, transcript.finalText);
      // `final` fires once per turn, with the display-ready (formatted when asked) text.
      assert.deepEqual(
        ready.map((t) => t.id),
        transcript.turns.map((t) => t.id)
      );
      if (exact) {
        assert.deepEqual(
          ready.map((t) => t.text),
          sentences
        );
      }
      // Times come from the words and match the recording.
      transcript.turns.forEach((t, i) => {
        assert.ok(Math.abs(t.startMs - speech.sentences[i]!.start_ms) < 100, `start of ${i}`);
        assert.ok(Math.abs(t.endMs - speech.sentences[i]!.end_ms) < 300, `end of ${i}`);
        assert.equal(t.words.length, sentences[i]!.split(' ').length);
      });
    });
  }

  it('shows partials while speech is in progress, the word in progress included', () => {
    const transcript = new Transcript(optionsFor('universal-english.jsonl'));
    const partials = new Set<string>();
    for (const message of received('universal-english.jsonl')) {
      applyMessage(transcript, message);
      if (transcript.partial) partials.add(transcript.partial);
    }
    // Every growing prefix of every sentence was visible, never a word twice.
    for (const p of partials) {
      assert.ok(
        sentences.some((s) => loose(s).startsWith(loose(p).split(' ').slice(0, -1).join(' '))),
        p
      );
      const words = loose(p).split(' ');
      assert.ok(
        words.every((w, i) => w !== words[i - 1]),
        p
      );
    }
    assert.ok(
      [...partials].some((p) => p === 'th'),
      'the first sub-word partial is shown'
    );
    assert.ok(partials.size > 15);
  });

  it('2025 formatted copies: with format_turns the final fires once, formatted', () => {
    const { ready } = replay('universal-english-format-turns-2025.jsonl');
    assert.deepEqual(
      ready.map((t) => [t.text, t.formatted]),
      sentences.map((s) => [s, true])
    );
  });

  it('2025 formatted copies: without format_turns the unformatted final fires, the copy then replaces it silently', () => {
    const { transcript, ready } = replay(
      'universal-english-format-turns-2025.jsonl',
      optionsFor('universal-english-format-turns-2025.jsonl', false)
    );
    assert.deepEqual(
      ready.map((t) => t.formatted),
      [false, false, false]
    );
    assert.deepEqual(
      transcript.turns.map((t) => t.text),
      sentences
    );
  });

  it('U3 Pro: re-transcribed partials replace each other, the speaker revision relabels turn 1', () => {
    const transcript = new Transcript(optionsFor('u3-pro.jsonl'));
    const seen: string[] = [];
    let before: TranscriptTurn | undefined;
    let revised: readonly TranscriptTurn[] = [];
    for (const message of received('u3-pro.jsonl')) {
      if (message.type === 'SpeakerRevision') before = transcript.turns[1];
      applyMessage(transcript, message);
      if (message.type === 'SpeakerRevision') revised = transcript.lastChanged;
      if (transcript.partial) seen.push(transcript.partial);
    }
    assert.ok(seen.includes('The quik brown fox\u2014'), 'the sparse partial was shown as sent');
    assert.equal(before?.speaker, 'B');
    assert.ok(before?.words.every((w) => w.speaker === 'B'));
    const after = transcript.turns[1]!;
    assert.equal(after.speaker, 'A');
    assert.ok(after.words.every((w) => w.speaker === 'A'));
    assert.equal(after.text, before?.text);
    assert.notEqual(after, before);
    assert.deepEqual(revised, [after]);
    assert.equal(transcript.turns[0]!.speaker, 'A');
  });

  it('server error midway: no final turn, and the Error frame leaves no stale partial', () => {
    const messages = received('server-error-midway.jsonl');
    assert.equal(messages.at(-1)?.type, 'Error');
    const transcript = new Transcript(optionsFor('server-error-midway.jsonl'));
    for (const message of messages.slice(0, -1)) applyMessage(transcript, message);
    assert.equal(transcript.finalText, '');
    assert.ok(transcript.turns.every((t) => !t.final));
    const heard = transcript.partial;
    assert.ok(heard.length > 0);
    assert.ok(loose(sentences[0]!).startsWith(loose(heard).split(' ').slice(0, -1).join(' ')));

    // The Error frame ends the session: its unfinished turn was never finalized by the server.
    assert.equal(applyMessage(transcript, messages.at(-1)!), true);
    assert.equal(transcript.partial, '');
    assert.equal(transcript.finalText, '');
    assert.deepEqual(transcript.turns, []);
    assert.deepEqual(transcript.lastReady, []);
    // The dead session's late partials change nothing.
    assert.equal(applyMessage(transcript, messages[3]!), false);
    const begin = messages[0] as { id: string };
    assert.equal(endSession(transcript, begin.id, { reason: 'interrupted' }), false);
  });

  it('server error midway: ending the session as interrupted removes the unfinished turn', () => {
    const messages = received('server-error-midway.jsonl').slice(0, -1);
    const transcript = new Transcript(optionsFor('server-error-midway.jsonl'));
    for (const message of messages) applyMessage(transcript, message);
    const begin = messages[0] as { id: string };
    assert.ok(transcript.partial.length > 0);
    assert.equal(endSession(transcript, begin.id, { reason: 'interrupted' }), true);
    assert.equal(transcript.text, '');
    assert.deepEqual(transcript.turns, []);
  });
});

describe('Transcript: merge rules', () => {
  it('replaces a turn on every message and never appends', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 's1', expires_at: 0 });
    assert.equal(applyMessage(t, turn(0, 'hello')), true);
    assert.equal(t.partial, 'hello');
    applyMessage(t, turn(0, 'hello wor'));
    assert.equal(t.partial, 'hello wor');
    applyMessage(t, turn(0, 'hello world'));
    assert.equal(t.partial, 'hello world');
    applyMessage(t, turn(0, 'hello world', { end_of_turn: true }));
    assert.deepEqual(
      t.turns.map((x) => [x.id, x.text, x.final]),
      [['s1:0', 'hello world', true]]
    );
    assert.equal(t.finalText, 'hello world');
    assert.equal(t.partial, '');
  });

  it('shows Universal text as transcript plus the words beyond it, U3 text as sent', () => {
    const t = new Transcript();
    const universal = turn(0, 'please send it to mar');
    assert.equal(universal.transcript, 'please send it to');
    applyMessage(t, universal);
    assert.equal(t.partial, 'please send it to mar');
    // U3 Pro: all words non-final, `transcript` already has all of them.
    const u3 = turn(1, 'The quick brown fox\u2014', { turn_is_formatted: true, finalWords: false });
    u3.transcript = 'The quick brown fox\u2014';
    applyMessage(t, u3);
    assert.equal(t.turns[1]!.text, 'The quick brown fox\u2014');
    // A partial whose transcript is empty shows its words.
    applyMessage(t, { ...turn(2, 'th'), transcript: '' });
    assert.equal(t.turns[2]!.text, 'th');
  });

  it('ignores a non-final message after the final, and duplicates', () => {
    const t = new Transcript();
    applyMessage(t, turn(0, 'one two', { end_of_turn: true }));
    const snap = t.getSnapshot();
    assert.equal(applyMessage(t, turn(0, 'one two three')), false);
    assert.equal(applyMessage(t, turn(0, 'one', { end_of_turn: false })), false);
    assert.equal(t.getSnapshot(), snap);
    const final = turn(0, 'one two', { end_of_turn: true });
    assert.equal(applyMessage(t, final), false, 'identical content is no change');
    assert.equal(applyMessage(t, structuredClone(final)), false);
    assert.equal(t.getSnapshot(), snap);
    assert.deepEqual(t.lastChanged, []);
  });

  it('lets a formatted final replace an unformatted one once, and never the reverse', () => {
    const t = new Transcript({ formatTurns: true });
    applyMessage(t, turn(0, 'hello my name is zack', { end_of_turn: true }));
    assert.equal(t.lastReady.length, 0, 'an unformatted final waits for its formatted copy');
    assert.equal(t.turns[0]!.final, true);
    const formatted = turn(0, 'Hello, my name is Zack.', {
      end_of_turn: true,
      turn_is_formatted: true,
    });
    assert.equal(applyMessage(t, formatted), true);
    assert.deepEqual(
      t.lastReady.map((x) => x.text),
      ['Hello, my name is Zack.']
    );
    assert.equal(applyMessage(t, turn(0, 'hello my name is zack', { end_of_turn: true })), false);
    assert.equal(
      applyMessage(t, turn(0, 'hello my name', { turn_is_formatted: true, end_of_turn: false })),
      false
    );
    assert.equal(t.turns[0]!.text, 'Hello, my name is Zack.');
    // A corrected formatted final still replaces, without a second `final`.
    assert.equal(
      applyMessage(
        t,
        turn(0, 'Hello, my name is Zac.', { end_of_turn: true, turn_is_formatted: true })
      ),
      true
    );
    assert.equal(t.turns[0]!.text, 'Hello, my name is Zac.');
    assert.equal(t.lastReady.length, 0);
  });

  it('makes finals display-ready without waiting on U3 Pro models or without format_turns', () => {
    for (const options of [
      { formatTurns: true, speechModel: 'universal-3-5-pro' },
      { formatTurns: true, speechModel: 'custom', isU3Pro: (m: string) => m === 'custom' },
      { formatTurns: false },
      {},
    ]) {
      const t = new Transcript(options);
      applyMessage(t, turn(0, 'hello there', { end_of_turn: true }));
      assert.equal(t.lastReady.length, 1, JSON.stringify(options));
    }
  });

  it('releases an unformatted final when its session ends without the formatted copy', () => {
    const t = new Transcript({ formatTurns: true });
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 });
    applyMessage(t, turn(0, 'hello there', { end_of_turn: true }));
    assert.equal(t.lastReady.length, 0);
    const snap = t.getSnapshot();
    assert.equal(
      applyMessage(t, {
        type: 'Termination',
        audio_duration_seconds: 1,
        session_duration_seconds: 1,
      }),
      false
    );
    assert.equal(t.getSnapshot(), snap);
    assert.deepEqual(
      t.lastReady.map((x) => x.text),
      ['hello there']
    );
    // The late formatted copy still replaces it, silently.
    applyMessage(t, turn(0, 'Hello there.', { end_of_turn: true, turn_is_formatted: true }));
    assert.equal(t.text, 'Hello there.');
    assert.equal(t.lastReady.length, 0);
  });

  it('orders turns by turn_order whatever the arrival order', () => {
    const t = new Transcript();
    applyMessage(t, turn(2, 'three', { end_of_turn: true, start: 3000 }));
    applyMessage(t, turn(0, 'one', { end_of_turn: true, start: 1000 }));
    applyMessage(t, turn(1, 'two', { end_of_turn: true, start: 2000 }));
    assert.deepEqual(
      t.turns.map((x) => x.order),
      [0, 1, 2]
    );
    assert.equal(t.finalText, 'one\ntwo\nthree');
  });

  it('ends a terminated session: partials become final or vanish, later partials are ignored', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 });
    applyMessage(t, turn(0, 'kept words'));
    applyMessage(t, { ...turn(1, ''), words: [] });
    assert.equal(t.turns.length, 1, 'a turn without text is not shown');
    assert.equal(endSession(t, 'a', { reason: 'terminated' }), true);
    assert.deepEqual(
      t.turns.map((x) => [x.text, x.final]),
      [['kept words', true]]
    );
    assert.deepEqual(
      t.lastReady.map((x) => x.id),
      ['a:0']
    );
    assert.equal(applyMessage(t, turn(1, 'late partial')), false);
    assert.equal(applyMessage(t, turn(0, 'kept words again')), false);
    // A late final for the ended session is still taken, and is display-ready at once.
    applyMessage(t, turn(1, 'late final', { end_of_turn: true }));
    assert.deepEqual(
      t.lastReady.map((x) => x.text),
      ['late final']
    );
  });

  it('a new Begin ends the previous session as interrupted: its open turn goes, its finals stay', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 });
    applyMessage(t, turn(0, 'said and done', { end_of_turn: true }));
    applyMessage(t, turn(1, 'cut off mid'));
    applyMessage(t, { type: 'Begin', id: 'b', expires_at: 0 }, { offsetMs: 5000 });
    assert.deepEqual(
      t.turns.map((x) => [x.id, x.final]),
      [['a:0', true]]
    );
    assert.equal(t.partial, '');
  });

  it('continues the transcript across sessions, times offset by the session start', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 }, { offsetMs: 0 });
    applyMessage(t, turn(0, 'first session', { end_of_turn: true, start: 500 }));
    applyMessage(t, turn(1, 'still first', { end_of_turn: true, start: 2000 }));
    endSession(t, 'a', { reason: 'interrupted' });
    applyMessage(t, { type: 'Begin', id: 'b', expires_at: 0 }, { offsetMs: 10_000 });
    applyMessage(t, turn(0, 'second session', { end_of_turn: true, start: 400 }));
    // Without an offset, a third session starts where the transcript's words end.
    applyMessage(t, { type: 'Begin', id: 'c', expires_at: 0 });
    applyMessage(t, turn(0, 'third', { start: 0, end_of_turn: true }));
    assert.deepEqual(
      t.turns.map((x) => [x.id, x.sessionId, x.order, x.startMs]),
      [
        ['a:0', 'a', 0, 500],
        ['a:1', 'a', 1, 2000],
        ['b:0', 'b', 0, 10_400],
        ['c:0', 'c', 0, 10_400 + 300 - 40 + 300],
      ]
    );
    const b = t.turns[2]!;
    assert.deepEqual(
      b.words.map((w) => [w.start, w.end]),
      [
        [10_400, 10_660],
        [10_700, 10_960],
      ]
    );
    assert.equal(b.endMs, 10_960);
    // Explicit session ids override the last Begin; the offset is read on first sight only.
    applyMessage(t, turn(5, 'tagged', { end_of_turn: true, start: 0 }), {
      sessionId: 'b',
      offsetMs: 1,
    });
    assert.equal(t.turns.find((x) => x.id === 'b:5')?.startMs, 10_000);
    assert.equal(t.turns.at(-2)!.id, 'b:5', 'session b stays before session c');
  });

  it('keeps the snapshot in step through in-place changes, new turns, removals and clear()', () => {
    const t = new Transcript();
    const texts = () => t.turns.map((x) => `${x.final ? 'F' : 'P'}:${x.text}`);
    const at = (order: number) => ({ start: 1000 + order * 5000 });
    applyMessage(t, { type: 'Begin', id: 's1', expires_at: 0 });
    for (let i = 0; i < 3; i++)
      applyMessage(t, turn(i, `final ${i}`, { end_of_turn: true, ...at(i) }));
    applyMessage(t, turn(3, 'grow', at(3)));
    const before = t.turns;
    assert.equal(applyMessage(t, turn(3, 'grow more', at(3))), true);
    assert.deepEqual(texts(), ['F:final 0', 'F:final 1', 'F:final 2', 'P:grow more']);
    assert.equal(t.turns[0], before[0], 'unchanged turns keep their objects');
    assert.notEqual(t.turns, before, 'a new snapshot, the old one untouched');
    assert.deepEqual(
      before.map((x) => x.text),
      ['final 0', 'final 1', 'final 2', 'grow']
    );
    assert.equal(Object.isFrozen(t.turns), true);
    // An earlier turn changes in place (a speaker revision), the partial becomes final.
    applyMessage(t, {
      type: 'SpeakerRevision',
      revisions: [{ turn_order: 1, speaker_label: 'B' }],
    });
    assert.equal(t.turns[1]!.speaker, 'B');
    applyMessage(t, turn(3, 'grow more now', { end_of_turn: true, ...at(3) }));
    applyMessage(t, turn(4, 'next', at(4)));
    assert.deepEqual(texts(), ['F:final 0', 'F:final 1', 'F:final 2', 'F:grow more now', 'P:next']);
    // A turn that empties and fills again goes back to its place.
    applyMessage(t, turn(4, '', at(4)));
    applyMessage(t, turn(5, 'later', at(5)));
    applyMessage(t, turn(4, 'next', at(4)));
    assert.deepEqual(texts().slice(3), ['F:grow more now', 'P:next', 'P:later']);
    // The session ends: its empty partial goes, the rest stays.
    applyMessage(t, turn(5, '', at(5)));
    endSession(t, 's1', { reason: 'interrupted' });
    assert.deepEqual(texts(), ['F:final 0', 'F:final 1', 'F:final 2', 'F:grow more now']);
    assert.equal(t.clear(), true);
    assert.deepEqual(texts(), []);
    applyMessage(t, { type: 'Begin', id: 's2', expires_at: 0 }, { sessionId: 's2' });
    const again = turn(0, 'again', at(0));
    applyMessage(t, again, { sessionId: 's2' });
    assert.deepEqual(texts(), ['P:again']);
    assert.equal(
      applyMessage(t, again, { sessionId: 's2' }),
      false,
      'the same message again: no change'
    );
  });

  it('applies speaker revisions to turns and their words', () => {
    const t = new Transcript();
    const speaking = (order: number, label: string, text: string, start: number) => {
      const m = turn(order, text, { end_of_turn: true, start, speaker_label: label });
      m.words = m.words.map((w) => ({ ...w, speaker: label }));
      return m;
    };
    applyMessage(t, speaking(0, 'A', 'hi there', 0));
    const mixed = speaking(1, 'B', 'yes indeed you', 2000);
    mixed.words[2]!.speaker = 'A';
    applyMessage(t, mixed);
    const first = t.turns[0];
    assert.equal(
      applyMessage(t, {
        type: 'SpeakerRevision',
        revisions: [
          { turn_order: 1, speaker_label: 'C' },
          { turn_order: 7, speaker_label: 'C' },
          { turn_order: 0, speaker_label: 'A' },
        ],
      }),
      true
    );
    assert.equal(t.turns[0], first, 'an unchanged revision keeps the turn object');
    assert.equal(t.turns[1]!.speaker, 'C');
    assert.deepEqual(
      t.turns[1]!.words.map((w) => w.speaker),
      ['C', 'C', 'A']
    );
    assert.deepEqual(
      t.lastChanged.map((x) => x.id),
      [':1']
    );
    // Word-level revisions by start time.
    applyMessage(t, {
      type: 'SpeakerRevision',
      revisions: [
        {
          turn_order: 1,
          speaker_label: 'C',
          words: [
            {
              text: 'indeed',
              start: 2300,
              end: 2560,
              confidence: 1,
              word_is_final: true,
              speaker: 'D',
            },
          ],
        },
      ],
    });
    assert.deepEqual(
      t.turns[1]!.words.map((w) => w.speaker),
      ['C', 'D', 'A']
    );
  });

  it('keeps the utterance text and language metadata', () => {
    const t = new Transcript();
    applyMessage(t, turn(0, 'hola amigo', { utterance: 'hola amigo', language_code: 'es' }));
    applyMessage(
      t,
      turn(0, 'hola amigo', { end_of_turn: true, utterance: '', language_code: 'es' })
    );
    assert.equal(t.turns[0]!.utterance, 'hola amigo');
    assert.equal(t.turns[0]!.language, 'es');
    assert.equal(t.turns[0]!.endOfTurnConfidence, 0.9);
  });
});

describe('Transcript: snapshots', () => {
  it('are frozen and change identity only when the content changes', () => {
    const t = new Transcript();
    const empty = t.getSnapshot();
    assert.equal(applyMessage(t, { type: 'Begin', id: 's', expires_at: 0 }), false);
    assert.equal(t.getSnapshot(), empty);
    applyMessage(t, turn(0, 'alpha', { end_of_turn: true }));
    applyMessage(t, turn(1, 'beta gam', { start: 3000 }));
    const snap = t.getSnapshot();
    const [first, second] = snap.turns;
    assert.ok(Object.isFrozen(snap) && Object.isFrozen(snap.turns));
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first!.words));
    assert.ok(Object.isFrozen(first!.words[0]));
    assert.throws(() => {
      (snap.turns as TranscriptTurn[]).push(first!);
    });
    applyMessage(t, turn(1, 'beta gamma', { start: 3000 }));
    const next = t.getSnapshot();
    assert.notEqual(next, snap);
    assert.equal(next.turns[0], first, 'the untouched turn keeps its identity');
    assert.notEqual(next.turns[1], second);
    assert.equal(next.turns[1]!.id, second!.id, 'the updated turn keeps its id');
    assert.deepEqual(t.lastChanged, [next.turns[1]]);
    assert.equal(snap.turns[1]!.text, 'beta gam', 'old snapshots never change');
    assert.equal(t.turns, next.turns);
    assert.equal(t.text, 'alpha\nbeta gamma');
  });

  it('clear() empties the transcript and ignores late copies of cleared finals', () => {
    const t = new Transcript({ formatTurns: true });
    applyMessage(t, turn(0, 'gone soon', { end_of_turn: true }));
    applyMessage(t, turn(1, 'still talk'));
    assert.equal(t.clear(), true);
    assert.deepEqual(t.turns, []);
    assert.equal(t.text, '');
    assert.equal(t.clear(), false);
    assert.equal(
      applyMessage(t, turn(0, 'Gone soon.', { end_of_turn: true, turn_is_formatted: true })),
      false
    );
    applyMessage(t, turn(1, 'still talking'));
    assert.equal(t.partial, 'still talking', 'speech in progress shows again');
  });
});

describe('Transcript: malformed input never throws', () => {
  const odd: unknown[] = [
    null,
    undefined,
    42,
    'Turn',
    [],
    {},
    { type: 42 },
    { type: 'Turn' },
    { type: 'Turn', turn_order: -1, transcript: 'negative' },
    { type: 'Turn', turn_order: 1.5, transcript: 'fraction' },
    { type: 'Turn', turn_order: '2', transcript: 'string order' },
    { type: 'Turn', turn_order: Number.NaN, transcript: 'nan' },
    { type: 'Turn', turn_order: true, transcript: 'boolean order' },
    { type: 'Turn', turn_order: 0, words: null, transcript: null },
    { type: 'Turn', turn_order: 0, words: 'nope', transcript: 12 },
    { type: 'Turn', turn_order: 0, words: [null, 3, 'x', {}, { text: 7 }, { text: '  ' }] },
    { type: 'Turn', turn_order: 0, words: [{ text: 'bare' }], end_of_turn: 'yes' },
    { type: 'SpeakerRevision' },
    { type: 'SpeakerRevision', revisions: [null, { turn_order: 0 }, { turn_order: 'x' }] },
    { type: 'SpeakerRevision', revisions: 'all' },
    { type: 'Begin' },
    { type: 'Begin', id: 7 },
    { type: 'Termination' },
    { type: 'Error', error: 'boom' },
    { error: 'legacy' },
    { type: 'Warning', warning: 'soon' },
    { type: 'LLMGatewayResponse', turn_order: 0, transcript: 'not a turn' },
    { type: 'SpeechStarted', timestamp: 'soon' },
    {
      type: 'Turn',
      turn_order: 3,
      end_of_turn: true,
      transcript: 'ok',
      words: [{ text: 'ok', start: 'x', end: null }],
    },
  ];

  it('ignores what it cannot use and keeps the rest consistent', () => {
    const t = new Transcript();
    for (const message of odd) {
      assert.doesNotThrow(() => applyMessage(t, message), JSON.stringify(message));
      assert.doesNotThrow(() => applyMessage(t, message, null as never));
      assert.doesNotThrow(() =>
        applyMessage(t, message, { sessionId: 5 as never, offsetMs: 'x' as never })
      );
    }
    assert.deepEqual(
      t.turns.map((x) => x.text),
      ['bare', 'ok']
    );
    assert.ok(t.turns.every((x) => x.words.every((w) => Number.isFinite(w.start + w.end))));
    assert.ok(t.turns.every((x) => Number.isFinite(x.startMs + x.endMs)));
    assert.doesNotThrow(() => endSession(t, undefined as never, null as never));
    assert.doesNotThrow(() => [t.toText(), toWebVTT(t), toSRT(t), JSON.stringify(t)]);
  });

  it('survives random mutations of real sessions with its invariants intact', () => {
    let state = 42;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const junk = [undefined, null, '', 0, -1, 1.5, 'x', true, [], {}, Number.NaN];
    const all = sessionFiles.flatMap((f) => received(f));
    for (let run = 0; run < 200; run++) {
      const t = new Transcript({ formatTurns: random() < 0.5 });
      for (let i = 0; i < 60; i++) {
        const message = structuredClone(pick(all)) as Record<string, unknown>;
        const r = random();
        if (r < 0.3) message[pick(Object.keys(message))] = pick(junk);
        else if (r < 0.4 && Array.isArray(message.words) && message.words.length) {
          const words = message.words as Array<Record<string, unknown>>;
          pick(words)[pick(['text', 'start', 'end', 'word_is_final', 'speaker'])] = pick(junk);
        } else if (r < 0.45) message.turn_order = Math.floor(random() * 5);
        if (random() < 0.03) endSession(t, String(pick(['', 'x', message.id])));
        applyMessage(t, message, random() < 0.2 ? { sessionId: pick(['a', 'b']) } : {});
        const snap = t.getSnapshot();
        const ids = snap.turns.map((x) => x.id);
        assert.equal(new Set(ids).size, ids.length);
        assert.ok(snap.turns.every((x) => x.text));
        assert.equal(
          snap.finalText,
          snap.turns
            .filter((x) => x.final)
            .map((x) => x.text)
            .join('\n')
        );
      }
      assert.doesNotThrow(() => [toWebVTT(t), toSRT(t), t.toText({ speakers: true })]);
    }
  });
});

describe('isU3ProModel', () => {
  it('recognizes the Universal-3 Pro family names', () => {
    for (const m of [
      'u3-rt-pro',
      'u3-pro',
      'u3-rt-pro-beta-1',
      'universal-3-5-pro',
      'universal-3-6-pro',
      'assemblyai-stt-3-7-realtime',
      'U3',
    ]) {
      assert.equal(isU3ProModel(m), true, m);
    }
    for (const m of [
      'universal-streaming-english',
      'universal-streaming-multilingual',
      'whisper-rt',
      'u32-experimental',
      '',
    ]) {
      assert.equal(isU3ProModel(m), false, m);
    }
  });
});

describe('Transcript: interrupted sessions and their continuation', () => {
  it('keeps the finalized words of the cut turn; the next session’s first turn extends it', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 }, { offsetMs: 0 });
    applyMessage(t, turn(0, 'said and done', { end_of_turn: true, start: 0 }));
    applyMessage(t, turn(1, 'the quick brow', { start: 2000 })); // 'the', 'quick' final; 'brow' not
    const resume = interruptSession(t, 'a');
    assert.equal(resume, 2000 + 300 + 260, 'from the end of the last finalized word');
    assert.deepEqual(
      t.turns.map((x) => [x.id, x.text, x.final]),
      [
        ['a:0', 'said and done', true],
        ['a:1', 'the quick', false],
      ]
    );
    assert.equal(t.partial, 'the quick');

    // The client re-sends the audio from `resume`: the new session hears the rest at once.
    applyMessage(t, { type: 'Begin', id: 'b', expires_at: 0 }, { offsetMs: resume });
    applyMessage(t, turn(0, 'brown fox', { start: 20 }));
    assert.deepEqual(
      t.turns.map((x) => [x.id, x.text, x.final]),
      [
        ['a:0', 'said and done', true],
        ['a:1', 'the quick brown fox', false],
      ]
    );
    applyMessage(t, turn(0, 'brown fox jumps', { start: 20, end_of_turn: true }));
    assert.deepEqual(
      t.lastReady.map((x) => [x.id, x.text]),
      [['a:1', 'the quick brown fox jumps']]
    );
    const merged = t.turns[1]!;
    assert.deepEqual(
      merged.words.map((w) => [w.text, w.start]),
      [
        ['the', 2000],
        ['quick', 2300],
        ['brown', resume + 20],
        ['fox', resume + 320],
        ['jumps', resume + 620],
      ]
    );
    assert.equal(merged.startMs, 2000);
    applyMessage(t, turn(1, 'next one', { start: 3000, end_of_turn: true }));
    assert.deepEqual(
      t.turns.map((x) => x.id),
      ['a:0', 'a:1', 'b:1']
    );
  });

  it('closes the carried turn when the next session starts with something else', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 }, { offsetMs: 0 });
    applyMessage(t, turn(0, 'cut off here', { start: 0 }));
    const resume = interruptSession(t, 'a');
    applyMessage(t, { type: 'Begin', id: 'b', expires_at: 0 }, { offsetMs: resume });
    applyMessage(t, turn(0, 'a new sentence', { start: 2500 }));
    assert.deepEqual(
      t.turns.map((x) => [x.id, x.text, x.final]),
      [
        ['a:0', 'cut off', true],
        ['b:0', 'a new sentence', false],
      ]
    );
    assert.deepEqual(
      t.lastReady.map((x) => x.id),
      ['a:0']
    );
  });

  it('drops an unfinished turn without finalized words (U3 Pro partials) and resumes after the last final', () => {
    const t = new Transcript({ speechModel: 'u3-rt-pro' });
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 }, { offsetMs: 500 });
    applyMessage(
      t,
      turn(0, 'First one.', { start: 0, end_of_turn: true, turn_is_formatted: true })
    );
    applyMessage(t, turn(1, 'The quik brown fox—', { start: 3000, finalWords: false }));
    assert.equal(interruptSession(t, 'a'), 500 + 600 - 40);
    assert.deepEqual(
      t.turns.map((x) => x.text),
      ['First one.']
    );
    assert.equal(t.partial, '');
  });

  it('ignores the tail of a word heard twice because the re-sent audio starts before the cut', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 }, { offsetMs: 0 });
    applyMessage(t, turn(0, 'lazy dog', { start: 0, end_of_turn: true })); // 'dog' ends at 560
    applyMessage(t, turn(1, 'li', { start: 2000, finalWords: false }));
    const resume = interruptSession(t, 'a');
    assert.equal(resume, 560);
    // The first re-sent frame starts 40 ms before 560: the new session hears the end of "dog".
    applyMessage(t, { type: 'Begin', id: 'b', expires_at: 0 }, { offsetMs: resume - 40 });
    applyMessage(t, {
      ...turn(0, 'dog', { start: 0, end_of_turn: true }),
      words: [{ text: 'dog', start: 0, end: 40, confidence: 0.5, word_is_final: true }],
    });
    applyMessage(t, turn(1, 'live captions', { start: 1500, end_of_turn: true }));
    assert.deepEqual(
      t.turns.map((x) => x.text),
      ['lazy dog', 'live captions']
    );
  });

  it('settles a carried turn as final when the run ends without a next session', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 });
    applyMessage(t, turn(0, 'kept words here', { start: 0 }));
    interruptSession(t, 'a');
    assert.equal(t.turns[0]!.final, false);
    endSession(t, 'a', { reason: 'terminated' });
    assert.deepEqual(
      t.turns.map((x) => [x.text, x.final]),
      [['kept words', true]]
    );
    assert.deepEqual(
      t.lastReady.map((x) => x.text),
      ['kept words']
    );
  });

  it('carries a turn through two interruptions in a row', () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 'a', expires_at: 0 }, { offsetMs: 0 });
    applyMessage(t, turn(0, 'one two three', { start: 0 }));
    const r1 = interruptSession(t, 'a');
    applyMessage(t, { type: 'Begin', id: 'b', expires_at: 0 }, { offsetMs: r1 });
    applyMessage(t, turn(0, 'three four five', { start: 10 }));
    const r2 = interruptSession(t, 'b');
    assert.equal(t.turns[0]!.text, 'one two three four');
    applyMessage(t, { type: 'Begin', id: 'c', expires_at: 0 }, { offsetMs: r2 });
    applyMessage(t, turn(0, 'five six', { start: 5, end_of_turn: true }));
    assert.deepEqual(
      t.turns.map((x) => [x.id, x.text, x.final]),
      [['a:0', 'one two three four five six', true]]
    );
  });
});
