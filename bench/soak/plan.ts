// SPDX-License-Identifier: MIT
// The soak's scenario, decided before the run: the speech (turns of words on the audio
// timeline), the fake server's script for it, and when the faults and pauses happen. Pure data:
// the driver (bench/soak.ts) hands the script to the fake server and the word timeline to the
// page, whose speech source plays it.
//
// Times: `ms` on the audio timeline are milliseconds of audio, as the fake server counts them
// (pauses take no audio). Times of faults and pauses are milliseconds of session time, from the
// first `Begin` (virtual time: see bench/soak.ts).
import type { SessionScriptLine } from '@live-transcript/core/testing';

export interface PlanOptions {
  /** Turns of speech (default 1500). */
  turns?: number;
  /** Connection drops (default 20), in two runs around the second rollover. */
  drops?: number;
  /** Seed of the pseudo-random speech (default 1). */
  seed?: number;
  /**
   * Some pauses between turns are long (2.2–5 s, one in eight), as in conversation (default). Without
   * them, speech never pauses for more than a second: the transcriber, which catches up after an
   * outage only by shortening pauses longer than 2 s, then stays behind after every drop.
   */
  longPauses?: boolean;
}

/** One spoken word: unique text, and where its sound lies on the audio timeline. */
export interface PlannedWord {
  text: string;
  start: number;
  end: number;
}

export interface PlannedTurn {
  words: PlannedWord[];
  /** The turn's final text (the words, space-separated). */
  text: string;
}

export interface Plan {
  turns: PlannedTurn[];
  /** The fake server's script: partials at each word's end, the final after a pause. */
  script: SessionScriptLine[];
  /** Audio timeline length: the last word, then a tail of silence (ms). */
  audioMs: number;
  /** Session times of the drops (ms). */
  drops: number[];
  /** Pauses: from the first gap between turns after `at` (session ms), for `ms`. */
  pauses: Array<{ at: number; ms: number }>;
  /** A session is cut (3008) this long after its `Begin`; the transcriber rolls over before. */
  maxSessionSeconds: number;
  /** Session time of each planned rollover (`maxSessionSeconds` minus the 60 s lead after a long session began). */
  rollovers: number[];
}

const VOCABULARY =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(
    ' '
  );

/** A small seeded PRNG (mulberry32): the same scenario on every run. */
function random(seed: number): (min: number, max: number) => number {
  let a = seed >>> 0;
  return (min, max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const x = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + Math.floor(x * (max - min + 1));
  };
}

const MINUTE = 60_000;
/** Silence before the first word (the fake server lines its script up with the first sound). */
const LEAD_IN_MS = 1000;
/** Silence after the last word: the last final is out before the run stops. */
const TAIL_MS = 3000;
/** The final of a turn comes this long after its last word (the server's end-of-turn silence). */
const FINAL_AFTER_MS = 300;
/** LiveTranscriber's default `rolloverLeadMs`. */
const ROLLOVER_LEAD_MS = 60_000;

/**
 * The default scenario: 1 500 turns (2–7 words of 190–350 ms; between turns 350–950 ms, or one
 * time in eight 2.2–5 s: about 57 minutes of audio), 3 pauses (2.5 minutes), so about 60 minutes
 * of session time. Sessions last at most 9 minutes: the first runs 8 minutes and rolls over
 * (LiveTranscriber opens the next one 60 s before expiry), drops follow every 2 minutes (each new
 * session is cut before it could expire), then one session runs 8 minutes again and rolls over,
 * and the other drops follow, the last one 4 minutes before the end. One pause spans a drop.
 */
export function makePlan({
  turns: count = 1500,
  drops = 20,
  seed = 1,
  longPauses = true,
}: PlanOptions = {}): Plan {
  const rand = random(seed);
  const turns: PlannedTurn[] = [];
  const script: SessionScriptLine[] = [];
  let at = LEAD_IN_MS;
  let wordIndex = 0;
  for (let order = 0; order < count; order++) {
    const words: PlannedWord[] = [];
    const n = rand(2, 7);
    for (let i = 0; i < n; i++) {
      if (i > 0) at += rand(0, 60);
      const index = wordIndex++;
      const text = `${VOCABULARY[index % VOCABULARY.length]}${Math.floor(index / VOCABULARY.length)}`;
      const start = at;
      at += rand(190, 350);
      words.push({ text, start, end: at });
    }
    const text = words.map((w) => w.text).join(' ');
    turns.push({ words, text });
    // Universal-style partials: at each word's end, the words so far, the last one in progress.
    for (let i = 0; i < n; i++) {
      script.push({
        after_audio_ms: words[i]!.end,
        message: turnMessage(order, words.slice(0, i + 1), false),
      });
    }
    script.push({
      after_audio_ms: at + FINAL_AFTER_MS,
      message: turnMessage(order, words, true),
    });
    at += longPauses && rand(1, 8) === 1 ? rand(2200, 5000) : rand(350, 950);
  }
  const audioMs = at + TAIL_MS;
  // Session-time layout, for the hour; a smaller scenario (`turns` < 1500) shrinks it alike.
  const size = count / 1500;
  const scaled = (minutes: number, least: number) => Math.max(least, minutes * MINUTE * size);
  const maxSessionSeconds = Math.round(scaled(9, 2 * MINUTE) / 1000);
  const rollover1 = maxSessionSeconds * 1000 - ROLLOVER_LEAD_MS;
  const gap = scaled(2, 20_000);
  const first = Math.ceil(drops / 2);
  const dropTimes: number[] = [];
  for (let i = 0; i < first; i++) dropTimes.push(rollover1 + gap + i * gap);
  const rollover2 = (dropTimes.at(-1) ?? rollover1) + maxSessionSeconds * 1000 - ROLLOVER_LEAD_MS;
  for (let i = 0; i < drops - first; i++) dropTimes.push(rollover2 + gap + i * gap);
  return {
    turns,
    script,
    audioMs,
    drops: dropTimes,
    pauses: [
      { at: scaled(4, 30_000), ms: scaled(0.75, 10_000) },
      // Across a drop: the transcriber reconnects while paused.
      { at: dropTimes[Math.min(4, first - 1)]! - gap / 4, ms: scaled(1, 10_000) },
      {
        at: (dropTimes[first + Math.max(0, Math.min(4, drops - first - 2))] ?? rollover2) + gap / 4,
        ms: scaled(0.75, 10_000),
      },
    ],
    maxSessionSeconds,
    rollovers: [rollover1, rollover2],
  };
}

function turnMessage(order: number, words: PlannedWord[], final: boolean) {
  const wire = words.map((w, i) => ({
    text: w.text,
    start: w.start,
    end: w.end,
    confidence: 0.9,
    word_is_final: final || i < words.length - 1,
  }));
  const done = wire.filter((w) => w.word_is_final).map((w) => w.text);
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: false,
    end_of_turn: final,
    transcript: done.join(' '),
    end_of_turn_confidence: final ? 0.9 : 0.05,
    words: wire,
    utterance: final ? done.join(' ') : '',
  };
}
