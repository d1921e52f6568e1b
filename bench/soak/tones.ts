// SPDX-License-Identifier: MIT
// How the soak's speech says which word it is (speech-processor.ts plays it, locate.ts hears it).

/** The two tones of word `index`, in Hz of audio-timeline time: 8 low × 8 high, 50 Hz apart. */
export function wordTones(index: number): [number, number] {
  const code = index % 64;
  return [200.37 + 50 * (code >> 3), 600.61 + 50 * (code & 7)];
}
