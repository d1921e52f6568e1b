// SPDX-License-Identifier: MIT
// The fake server's ear for the soak's speech (speech-processor.ts): which word a frame of 16-bit
// audio starts, from its two tones (Goertzel), and so where the frame lies on the audio timeline.
// Passed as the script's `locate` option: the fake then follows the transcriber when it leaves
// silence out to catch up, as a real server would by hearing the words.
import type { PlannedWord } from './plan.js';
import { wordTones } from './tones.js';

/** Samples above this (of full scale) are sound: the speech is at 0.3, the room noise 0.00025. */
const ONSET = 0.05 * 32768;
/** Sound needed in the frame to tell the tones apart (50 Hz apart: 20 ms). */
const MIN_SOUND_MS = 20;

/** Power of `hz` in `x` (Goertzel). */
function power(x: Int16Array, from: number, hz: number, sampleRate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < x.length; i++) {
    const s0 = x[i]! + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

/** The strongest of `tones` (its index), if it stands out (3 times the next). */
function strongest(x: Int16Array, from: number, tones: number[], sampleRate: number) {
  const powers = tones.map((hz) => power(x, from, hz, sampleRate));
  const sorted = [...powers].sort((a, b) => b - a);
  return sorted[0]! > 3 * sorted[1]! ? powers.indexOf(sorted[0]!) : undefined;
}

/** `locate` for the fake server, for the planned `words` (in order). */
export function speechLocator(words: PlannedWord[]) {
  const low = Array.from({ length: 8 }, (_, i) => wordTones(i * 8)[0]);
  const high = Array.from({ length: 8 }, (_, i) => wordTones(i)[1]);
  const byCode = Array.from({ length: 64 }, () => [] as PlannedWord[]);
  words.forEach((word, i) => byCode[i % 64]!.push(word));
  return (
    pcm: Int16Array,
    { sampleRate, expectedMs }: { sampleRate: number; expectedMs: number }
  ) => {
    let onset = 0;
    while (onset < pcm.length && Math.abs(pcm[onset]!) < ONSET) onset += 1;
    if ((pcm.length - onset) * 1000 < MIN_SOUND_MS * sampleRate) return undefined;
    const a = strongest(pcm, onset, low, sampleRate);
    const b = strongest(pcm, onset, high, sampleRate);
    if (a === undefined || b === undefined) return undefined;
    // The word of that code nearest to where the fake expects the frame.
    let best: PlannedWord | undefined;
    for (const word of byCode[a * 8 + b]!) {
      if (!best || Math.abs(word.start - expectedMs) < Math.abs(best.start - expectedMs))
        best = word;
    }
    if (!best) return undefined;
    // The frame starts `onset` samples before the word (or, sound from its first sample on,
    // within the word's first frame: a few ms in).
    return onset > 0 ? best.start - (onset * 1000) / sampleRate : best.start + 10;
  };
}
