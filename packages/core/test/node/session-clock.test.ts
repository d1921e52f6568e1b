// SPDX-License-Identifier: MIT
// SessionClock: which frames a session that is behind leaves out (the rest of long pauses), and
// how the server's times on the audio it heard map back to the audio captured.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Transcript } from '../../src/index.js';
import type { ServerMessage, TurnMessage } from '../../src/protocol/messages.js';
import { SessionClock } from '../../src/transcriber/session-clock.js';
import { applyMessage } from '../../src/session/index.js';

const FRAME = 50;
const KEEP = 2000;
const CATCH_UP = 500;

/**
 * Feeds frames captured one after another from `clock.offsetMs` (`s` silent, `v` voice, `-` not
 * given: a gap) with a session `behindMs`; returns the pattern with the frames left out as `x`.
 */
function feed(clock: SessionClock, pattern: string, behindMs: number): string {
  return [...pattern]
    .map((c, i) => {
      if (c === '-') return c;
      const at = clock.offsetMs + i * FRAME;
      return clock.skip(at, FRAME, c === 's', behindMs, KEEP, CATCH_UP) ? 'x' : c;
    })
    .join('');
}

const silence = (ms: number) => 's'.repeat(ms / FRAME);
const voice = (ms: number) => 'v'.repeat(ms / FRAME);

describe('SessionClock', () => {
  it('leaves nothing out while the session keeps up', () => {
    const clock = new SessionClock(1000);
    const pattern = voice(1000) + silence(5000) + voice(500);
    assert.equal(feed(clock, pattern, CATCH_UP), pattern);
    assert.equal(clock.heardMs, 6500);
    assert.equal(clock.skippedMs, 0);
    assert.equal(clock.toCaptured(4000), 4000);
  });

  it('when behind, keeps voice and the first 2 s of each pause, and leaves out the rest', () => {
    const clock = new SessionClock(0);
    const out = feed(clock, voice(500) + silence(3000) + voice(200) + silence(2500), 1000);
    assert.equal(
      out,
      voice(500) + silence(2000) + 'x'.repeat(20) + voice(200) + silence(2000) + 'x'.repeat(10)
    );
    assert.equal(clock.heardMs, 4700);
    assert.equal(clock.skippedMs, 1000, 'the pause still going on is counted when it ends');
    feed(clock, '-'.repeat(out.length) + 'v', 1000);
    assert.equal(clock.skippedMs, 1500);
  });

  it('maps server times back to the captured audio across what was left out', () => {
    const clock = new SessionClock(0);
    // Heard: 0–2500 (voice 500 + pause 2000), skipped 1000; heard 2500–2700 voice, pause 2000,
    // skipped 500; then voice.
    feed(clock, voice(500) + silence(3000) + voice(200) + silence(2500) + voice(300), 1000);
    assert.equal(clock.toCaptured(100), 100);
    assert.equal(clock.toCaptured(2499), 2499);
    assert.equal(clock.toCaptured(2500), 3500, 'a word starting where audio was left out');
    assert.equal(clock.toCaptured(2500, true), 2500, 'a word ending there');
    assert.equal(clock.toCaptured(2600), 3600);
    assert.equal(clock.toCaptured(4700), 6200);
    assert.equal(clock.toCaptured(4800), 6300);
  });

  it('counts a gap in the frames given (audio re-sent after an interruption) as skipped', () => {
    const clock = new SessionClock(5000);
    assert.equal(
      feed(clock, voice(500) + '-'.repeat(6) + voice(500), 0),
      voice(500) + '-'.repeat(6) + voice(500)
    );
    assert.equal(clock.heardMs, 1000);
    assert.equal(clock.skippedMs, 300);
    assert.equal(clock.toCaptured(400), 400);
    assert.equal(clock.toCaptured(600), 900);
  });

  it('accounts for audio the session dropped from its queue', () => {
    const clock = new SessionClock(0);
    // Heard 0–2500 (a pause shortened by 1000 ms at 2500), then 2500–3500.
    feed(clock, voice(500) + silence(3000) + voice(1000), 1000);
    assert.equal(clock.toCaptured(3000), 4000);
    // The queue overflowed: 600 ms from 2200 on were never sent (across the shortened pause).
    clock.dropped(2200, 600);
    assert.equal(clock.heardMs, 2900);
    assert.equal(clock.skippedMs, 1600);
    assert.equal(clock.toCaptured(2100), 2100);
    assert.equal(clock.toCaptured(2200), 3800, 'heard next: captured at 2800 + 1000 left out');
    assert.equal(clock.toCaptured(2900), 4500);
    // Frames still go on where the captured audio is.
    assert.equal(clock.skip(4500, FRAME, false, 0, KEEP, CATCH_UP), false);
    assert.equal(clock.toCaptured(2900), 4500);
    assert.equal(clock.skippedMs, 1600);
  });

  it('maps the times of Turn, SpeakerRevision and SpeechStarted, leaving the rest alone', () => {
    const clock = new SessionClock(0);
    const turn: TurnMessage = {
      type: 'Turn',
      turn_order: 0,
      turn_is_formatted: false,
      end_of_turn: true,
      transcript: 'hello again',
      end_of_turn_confidence: 0.9,
      words: [
        { text: 'hello', start: 100, end: 400, confidence: 0.9, word_is_final: true },
        { text: 'again', start: 2600, end: 2700, confidence: 0.9, word_is_final: true },
      ],
    };
    assert.equal(clock.map(turn), turn, 'nothing left out: the same message');
    feed(clock, voice(500) + silence(3000) + voice(300), 1000);
    const mapped = clock.map(turn);
    assert.deepEqual(
      mapped.words.map((w) => [w.start, w.end]),
      [
        [100, 400],
        [3600, 3700],
      ]
    );
    assert.equal(turn.words[1]!.start, 2600, 'the original is untouched');
    assert.equal(mapped.transcript, 'hello again');

    const started = { type: 'SpeechStarted', timestamp: 2550, confidence: 0.8 } as ServerMessage;
    assert.deepEqual(clock.map(started), {
      type: 'SpeechStarted',
      timestamp: 3550,
      confidence: 0.8,
    });
    const revision = {
      type: 'SpeakerRevision',
      revisions: [{ turn_order: 0, speaker_label: 'B', words: [{ start: 2600, end: 2700 }] }],
    } as unknown as ServerMessage;
    assert.deepEqual(
      (clock.map(revision) as unknown as { revisions: Array<{ words: unknown }> }).revisions[0]!
        .words,
      [{ start: 3600, end: 3700 }]
    );
    const termination = { type: 'Termination' } as ServerMessage;
    assert.equal(clock.map(termination), termination);
    const odd = { type: 'Turn', words: 'not a list' } as unknown as ServerMessage;
    assert.doesNotThrow(() => clock.map(odd));
  });

  it('puts words after a shortened pause where they were spoken, in the transcript', () => {
    const clock = new SessionClock(10_000);
    feed(clock, voice(1000) + silence(4000) + voice(1000), 1000);
    const transcript = new Transcript();
    const turn = (order: number, start: number, end: number): TurnMessage => ({
      type: 'Turn',
      turn_order: order,
      turn_is_formatted: false,
      end_of_turn: true,
      transcript: `word${order}`,
      end_of_turn_confidence: 1,
      words: [{ text: `word${order}`, start, end, confidence: 1, word_is_final: true }],
    });
    // The server heard the second word at 3000–3800: 2000 ms of the pause were left out.
    for (const message of [turn(0, 200, 800), turn(1, 3000, 3800)]) {
      applyMessage(transcript, clock.map(message), { sessionId: 's', offsetMs: clock.offsetMs });
    }
    assert.deepEqual(
      transcript.turns.map((t) => [t.startMs, t.endMs]),
      [
        [10_200, 10_800],
        [15_000, 15_800],
      ]
    );
  });
});
