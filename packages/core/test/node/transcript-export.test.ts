// SPDX-License-Identifier: MIT
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Transcript, type TranscriptSnapshot } from '../../src/index.js';
import type { TurnMessage } from '../../src/protocol/messages.js';
import { applyMessage } from '../../src/session/index.js';
import { toWebVTT, toSRT } from '../../src/index.js';

interface Cue {
  id: string;
  start: number;
  end: number;
  voice?: string;
  text: string;
}

const TIME = String.raw`(\d{2,}):([0-5]\d):([0-5]\d)([.,])(\d{3})`;
const toMs = (h: string, m: string, s: string, ms: string) =>
  ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);

/** A strict reader of what we write: numbered cues, `start --> end`, one text line. */
function parseCues(file: string, format: 'vtt' | 'srt'): Cue[] {
  assert.ok(file.endsWith('\n'), 'ends with a newline');
  const blocks = file.trimEnd().split('\n\n');
  if (format === 'vtt') assert.equal(blocks.shift(), 'WEBVTT');
  const separator = format === 'vtt' ? '.' : ',';
  return blocks.map((block) => {
    const [id, timing, ...text] = block.split('\n');
    assert.match(id!, /^\d+$/);
    const match = new RegExp(`^${TIME} --> ${TIME}$`).exec(timing!);
    assert.ok(match, `timing line: ${timing}`);
    assert.equal(match[4], separator);
    assert.equal(match[9], separator);
    assert.equal(text.length, 1, 'one text line');
    assert.ok(!text[0]!.includes('-->'), 'no arrow inside the text');
    let line = text[0]!;
    let voice: string | undefined;
    if (format === 'vtt') {
      const v = /^<v ([^>]+)>(.*)$/.exec(line);
      if (v) [, voice, line] = v;
      assert.ok(!/[<>]/.test(line), `escaped: ${line}`);
      line = line.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    }
    const cue: Cue = {
      id: id!,
      start: toMs(match[1]!, match[2]!, match[3]!, match[5]!),
      end: toMs(match[6]!, match[7]!, match[8]!, match[10]!),
      text: line,
    };
    if (voice) cue.voice = voice;
    return cue;
  });
}

function spoken(
  order: number,
  text: string,
  start: number,
  options: { step?: number; speaker?: string; formatted?: boolean } = {}
): TurnMessage {
  const { step = 400, speaker } = options;
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: options.formatted ?? true,
    end_of_turn: true,
    transcript: text,
    end_of_turn_confidence: 1,
    words: text.split(' ').map((t, i) => ({
      text: t,
      start: start + i * step,
      end: start + i * step + step - 50,
      confidence: 0.9,
      word_is_final: true,
      ...(speaker && { speaker }),
    })),
    ...(speaker && { speaker_label: speaker }),
  };
}

/** Checks the cues against the turns: same words in order, inside each turn's time span. */
function assertCuesCover(cues: Cue[], snapshot: TranscriptSnapshot, srt = false) {
  const finals = snapshot.turns.filter((t) => t.final);
  const expected = finals.map((t) => t.text).join(' ');
  // SRT has no escaping: an arrow in the text is shortened so it cannot look like a timing.
  assert.equal(cues.map((c) => c.text).join(' '), srt ? expected.replace(/--+>/g, '->') : expected);
  cues.forEach((cue, i) => {
    assert.equal(cue.id, String(i + 1));
    assert.ok(cue.end > cue.start, `cue ${i} has a duration`);
    assert.ok(cue.end - cue.start <= 7000, `cue ${i} at most 7 s`);
    assert.ok(cue.text.length <= 80, `cue ${i} at most 80 characters`);
    if (i) assert.ok(cue.start >= cues[i - 1]!.start, 'cues in time order');
    const turn = finals.find((t) => t.startMs <= cue.start && cue.start < t.endMs);
    assert.ok(turn, `cue ${i} starts inside a turn`);
    assert.ok(cue.end <= Math.max(turn.endMs, cue.start + 500));
  });
}

describe('Transcript exports', () => {
  const build = () => {
    const t = new Transcript();
    applyMessage(t, { type: 'Begin', id: 's', expires_at: 0 });
    applyMessage(t, spoken(0, 'Hello & welcome <everyone> --> today.', 500, { speaker: 'A' }));
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    applyMessage(t, spoken(1, long, 4000, { speaker: 'B', step: 350 }));
    applyMessage(t, { ...spoken(2, 'in progress', 30_000), end_of_turn: false });
    return t;
  };

  it('toWebVTT(): cues from word timings, long turns split at words, escaped, with voices', () => {
    const t = build();
    const vtt = toWebVTT(t);
    assert.ok(vtt.startsWith('WEBVTT\n\n'));
    const cues = parseCues(vtt, 'vtt');
    assertCuesCover(cues, t.getSnapshot());
    assert.equal(cues[0]!.text, 'Hello & welcome <everyone> --> today.');
    assert.equal(cues[0]!.start, 500);
    assert.equal(cues[0]!.end, 500 + 6 * 400 - 50, 'ends with its sixth word');
    assert.ok(cues.length >= 4, 'the 14 s, 40-word turn is split');
    assert.deepEqual([...new Set(cues.map((c) => c.voice))], ['Speaker A', 'Speaker B']);
    assert.ok(!cues.some((c) => c.text.includes('progress')), 'partials are not captioned');
  });

  it('toSRT(): the same cues with SRT timestamps and no voice tags', () => {
    const t = build();
    const cues = parseCues(toSRT(t), 'srt');
    assertCuesCover(cues, t.getSnapshot(), true);
    assert.ok(cues.every((c) => !c.voice));
    assert.equal(cues[0]!.text, 'Hello & welcome <everyone> -> today.');
    assert.deepEqual(
      cues.map((c) => [c.start, c.end]),
      parseCues(toWebVTT(t), 'vtt').map((c) => [c.start, c.end])
    );
  });

  it('writes hours and splits cues where the speaker changes inside a turn', () => {
    const t = new Transcript();
    const m = spoken(0, 'first voice then second', 0, { speaker: 'A' });
    m.words[2]!.speaker = 'B';
    m.words[3]!.speaker = 'B';
    applyMessage(t, m, { offsetMs: 3 * 3_600_000 + 25 * 60_000 + 7_000 + 89 });
    const vtt = toWebVTT(t);
    assert.match(vtt, /^03:25:07\.089 --> 03:25:07\.839$/m);
    const cues = parseCues(vtt, 'vtt');
    assert.deepEqual(
      cues.map((c) => [c.voice, c.text]),
      [
        ['Speaker A', 'first voice'],
        ['Speaker B', 'then second'],
      ]
    );
    assert.match(toSRT(t), /^03:25:07,089 --> 03:25:07,839$/m);
  });

  it('falls back to the turn span when words are missing', () => {
    const t = new Transcript();
    applyMessage(t, spoken(0, 'timed words here', 1000));
    applyMessage(t, { ...spoken(1, 'no words at all in this turn', 0), words: [] });
    const cues = parseCues(toWebVTT(t), 'vtt');
    assert.equal(cues.at(-1)!.text, 'no words at all in this turn');
    assert.ok(cues.at(-1)!.end - cues.at(-1)!.start >= 500, 'a visible duration');
    assert.ok(cues.at(-1)!.start >= cues.at(-2)!.end, 'placed after the words before it');
    assert.equal(parseCues(toWebVTT(new Transcript()), 'vtt').length, 0);
    assert.equal(toSRT(new Transcript()), '');
  });

  it('toText() gives one line per turn, optionally with speakers or finals only', () => {
    const t = build();
    const lines = t.toText().split('\n');
    assert.equal(lines.length, 3);
    assert.deepEqual(
      lines,
      t.turns.map((x) => x.text)
    );
    assert.deepEqual(
      t.toText({ speakers: true, finalOnly: true }).split('\n'),
      t.turns.filter((x) => x.final).map((x) => `Speaker ${x.speaker}: ${x.text}`)
    );
  });

  it('toJSON() serializes the turns with their words', () => {
    const t = build();
    const json = JSON.parse(JSON.stringify(t)) as TranscriptSnapshot;
    assert.deepEqual(json, structuredClone(t.getSnapshot()));
    assert.equal(json.turns[1]!.words.length, 40);
    assert.equal(json.turns[1]!.words[39]!.text, 'word39');
    assert.equal(json.text, t.text);
  });
});
