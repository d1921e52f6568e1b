// SPDX-License-Identifier: MIT
import type { TranscriptTurn } from './transcript.js';

/** Longest cue, in ms and in characters. */
const MAX_MS = 7000;
const MAX_CHARS = 80;

/** A caption cue: text and times in ms on the transcript's clock. */
export interface CaptionCue {
  text: string;
  start: number;
  end: number;
  speaker?: string | undefined;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function timestamp(ms: number, separator: string): string {
  ms = Math.max(0, Math.round(ms));
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(
    Math.floor(ms / 1000) % 60
  )}${separator}${pad(ms % 1000, 3)}`;
}

/** The timed tokens of a turn: its text's tokens on its words' timings. */
function pieces(turn: TranscriptTurn): CaptionCue[] {
  const tokens = turn.text.split(' ');
  const { words, startMs, endMs } = turn;
  if (words.length === tokens.length) return tokens.map((text, i) => ({ ...words[i]!, text }));
  if (words.length) return words.map((w) => ({ ...w }));
  // No words: spread the tokens over the turn's span by their length.
  let at = 0;
  const span = (endMs - startMs) / turn.text.length;
  return tokens.map((text) => {
    const start = startMs + at * span;
    at += text.length + 1;
    return { text, start, end: startMs + (at - 1) * span };
  });
}

/**
 * A turn cut into caption cues at word boundaries: at most 7 s and 80 characters each, a new cue
 * where the speaker changes, and one wherever `split(previous, next)` says so.
 */
export function turnCues(
  turn: TranscriptTurn,
  split?: (previous: CaptionCue, next: CaptionCue) => boolean
): CaptionCue[] {
  const cues: CaptionCue[] = [];
  let cue: CaptionCue | undefined;
  let previous: CaptionCue | undefined;
  for (const piece of pieces(turn)) {
    const speaker = piece.speaker ?? turn.speaker;
    const apart = previous && split?.(previous, piece);
    previous = piece;
    if (
      cue &&
      !apart &&
      speaker === cue.speaker &&
      piece.end - cue.start <= MAX_MS &&
      cue.text.length + 1 + piece.text.length <= MAX_CHARS
    ) {
      cue.text += ' ' + piece.text;
      cue.end = Math.max(cue.end, piece.end);
    } else {
      cues.push((cue = { ...piece, speaker }));
    }
  }
  return cues;
}

/** Text for a WebVTT cue: `&`, `<` and `>` escaped. */
export const escapeCueText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Cues for WebVTT (`vtt`) or SRT, one or more per final turn. */
export function toCaptions(turns: readonly TranscriptTurn[], vtt: boolean): string {
  const cues = turns.filter((turn) => turn.final && turn.text).flatMap((turn) => turnCues(turn));
  const escape = (text: string): string =>
    vtt ? escapeCueText(text) : text.replace(/--+>/g, '->');
  const body = cues.map(({ text, start, end, speaker }, i) => {
    const voice = speaker && speaker !== 'UNKNOWN' ? `Speaker ${speaker}` : '';
    const sep = vtt ? '.' : ',';
    return `${i + 1}\n${timestamp(start, sep)} --> ${timestamp(Math.max(end, start + 500), sep)}\n${
      voice && vtt ? `<v ${escape(voice)}>` : ''
    }${escape(text)}\n`;
  });
  return (vtt ? ['WEBVTT\n', ...body] : body).join('\n');
}

/**
 * WebVTT captions of the final turns, timed by their words: long turns are split at word
 * boundaries (at most 7 s or 80 characters per cue), speakers become `<v Speaker A>` tags.
 *
 * @example
 * ```ts
 * const file = new Blob([toWebVTT(transcriber.transcript)], { type: 'text/vtt' });
 * ```
 */
export function toWebVTT(transcript: { readonly turns: readonly TranscriptTurn[] }): string {
  return toCaptions(transcript.turns, true);
}

/** SubRip (SRT) captions of the final turns, cut like {@link toWebVTT}. */
export function toSRT(transcript: { readonly turns: readonly TranscriptTurn[] }): string {
  return toCaptions(transcript.turns, false);
}
