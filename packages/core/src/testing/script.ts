// SPDX-License-Identifier: MIT
// Session scripts (`fixtures/sessions/*.jsonl`): parsing, and playback in step with the audio a
// session receives, optionally continuing across sessions (a client that reconnects mid-stream).
import { LiveTranscriptError } from '../errors.js';
import type { TurnMessage, WireWord } from '../protocol/messages.js';
import { isObject } from '../protocol/parse.js';

/** A server message as a script holds it: any JSON object with a `type`. */
export type ScriptMessage = { type: string } & Record<string, unknown>;

/**
 * One line of a session script: send `message`, or close with `close`, once the session has
 * received `after_audio_ms` of audio; lines with `on: "Terminate"` wait for the client's
 * `Terminate` instead.
 */
export interface SessionScriptLine {
  after_audio_ms: number;
  on?: 'Terminate';
  message?: ScriptMessage;
  close?: { code: number; reason?: string };
}

/**
 * Parses a session script in the JSON Lines format of `fixtures/sessions/*.jsonl`. Blank lines
 * are skipped; a bad line throws a `LiveTranscriptError` (`invalid-option`) naming it.
 *
 * @example
 * ```ts
 * const lines = parseSessionScript(await readFile('fixtures/sessions/u3-pro.jsonl', 'utf8'));
 * const fake = createFakeStreamingServer({ script: { lines } });
 * ```
 */
export function parseSessionScript(text: string): SessionScriptLine[] {
  const lines: SessionScriptLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (!raw.trim()) return;
    const fail = (why: string): never => {
      throw new LiveTranscriptError(
        'invalid-option',
        `Session script line ${index + 1}: ${why}. Each line must be {"after_audio_ms": N, "message": {...}} or {"after_audio_ms": N, "close": {"code": C}}.`
      );
    };
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch (error) {
      fail(`invalid JSON (${(error as Error).message})`);
    }
    if (!isObject(line)) return fail('not a JSON object');
    const { after_audio_ms: at, message, close, on } = line;
    if (typeof at !== 'number' || !(at >= 0)) fail('"after_audio_ms" must be a number >= 0');
    if (on !== undefined && on !== 'Terminate') fail('"on" can only be "Terminate"');
    if (message !== undefined && !(isObject(message) && typeof message.type === 'string')) {
      fail('"message" must be an object with a string "type"');
    }
    if (close !== undefined && !(isObject(close) && typeof close.code === 'number')) {
      fail('"close" must be an object with a numeric "code"');
    }
    if ((message === undefined) === (close === undefined))
      fail('needs exactly one of "message" or "close"');
    lines.push(line as unknown as SessionScriptLine);
  });
  return lines;
}

/** What a script asks the session to do next. */
export type ScriptAction = { send: ScriptMessage } | { close: { code: number; reason: string } };

/** A script split into its parts, shared by every session of one fake. */
export interface PreparedScript {
  begin?: ScriptMessage;
  /** Timed lines, stably sorted by `after_audio_ms`. */
  timed: SessionScriptLine[];
  terminate: SessionScriptLine[];
  /** Where the script's first word starts (ms of audio), if it has words. */
  speechStartMs?: number;
}

export function prepareScript(lines: SessionScriptLine[]): PreparedScript {
  const begin = lines.find((l) => l.message?.type === 'Begin' && !l.on);
  let speechStartMs: number | undefined;
  for (const { message } of lines) {
    if (message?.type !== 'Turn' || !Array.isArray(message.words)) continue;
    for (const { start } of message.words as Array<{ start?: unknown }>) {
      if (typeof start !== 'number' || !Number.isFinite(start)) continue;
      if (speechStartMs === undefined || start < speechStartMs) speechStartMs = start;
    }
  }
  return {
    speechStartMs,
    begin: begin?.message,
    timed: lines
      .filter((l) => l !== begin && !l.on)
      .map((line, i) => ({ line, i }))
      .sort((a, b) => a.line.after_audio_ms - b.line.after_audio_ms || a.i - b.i)
      .map((e) => e.line),
    terminate: lines.filter((l) => l.on === 'Terminate'),
  };
}

/**
 * Plays a prepared script for one session. `cursor` is the index of the next timed line; in
 * continuation mode it is shared by all sessions of the fake (a `{ value }` box). `start` is the
 * script position (ms of audio) at which this session began, plus any audio the client left out
 * since: word times are re-based to it, and turns are renumbered from 0 in every session.
 */
export class ScriptPlayer {
  #orders = new Map<number, number>();
  #finalized = new Set<number>();
  /** The last Turn sent per original turn_order, for flushing an unfinished turn. */
  #open: TurnMessage | undefined;
  #openOrder = -1;

  constructor(
    readonly script: PreparedScript,
    readonly cursor: { value: number },
    public start: number
  ) {}

  /** The actions whose time has come at script position `position`. */
  advance(position: number): ScriptAction[] {
    const actions: ScriptAction[] = [];
    const { timed } = this.script;
    while (
      this.cursor.value < timed.length &&
      timed[this.cursor.value]!.after_audio_ms <= position
    ) {
      const action = this.#action(timed[this.cursor.value++]!);
      if (action) actions.push(action);
    }
    return actions;
  }

  /** The final for the turn that is still open (on `ForceEndpoint` or `Terminate`), if any. */
  finalizeOpen(): TurnMessage | undefined {
    const open = this.#open;
    if (!open || open.end_of_turn) return undefined;
    this.#finalized.add(this.#openOrder);
    this.#open = undefined;
    const words = open.words.map((w) => ({ ...w, word_is_final: true }));
    const transcript = words.map((w) => w.text).join(' ');
    return { ...open, end_of_turn: true, words, transcript, utterance: transcript };
  }

  #action(line: SessionScriptLine): ScriptAction | undefined {
    if (line.close) return { close: { code: line.close.code, reason: line.close.reason ?? '' } };
    const message = line.message!;
    if (message.type === 'Turn') return this.#turn(message as unknown as TurnMessage);
    if (message.type === 'SpeechStarted') {
      const timestamp = (message.timestamp as number) - this.start;
      return timestamp < 0 ? undefined : { send: { ...message, timestamp } };
    }
    if (message.type === 'SpeakerRevision') {
      const revisions = (message.revisions as Array<{ turn_order: number }>)
        .filter((r) => this.#orders.has(r.turn_order))
        .map((r) => ({ ...r, turn_order: this.#orders.get(r.turn_order)! }));
      return revisions.length ? { send: { ...message, revisions } } : undefined;
    }
    return { send: message };
  }

  #turn(turn: TurnMessage): ScriptAction | undefined {
    if (this.#finalized.has(turn.turn_order)) return undefined;
    let { words, transcript, utterance } = turn;
    if (this.start !== 0) {
      const kept = words.filter((w) => w.end > this.start);
      if (!kept.length) return undefined;
      if (kept.length < words.length) {
        // Which words make up `transcript`: Universal partials leave out the trailing
        // non-final word; U3 Pro partials (all words non-final) include every word.
        const all = transcript !== '' && !words.some((w) => w.word_is_final);
        transcript = kept
          .filter((w) => all || w.word_is_final)
          .map((w) => w.text)
          .join(' ');
        if (utterance) utterance = transcript;
      }
      words = kept.map((w): WireWord => ({
        ...w,
        start: Math.max(0, w.start - this.start),
        end: w.end - this.start,
      }));
    }
    let order = this.#orders.get(turn.turn_order);
    if (order === undefined) this.#orders.set(turn.turn_order, (order = this.#orders.size));
    const message: TurnMessage = { ...turn, turn_order: order, words, transcript };
    if (utterance !== undefined) message.utterance = utterance;
    this.#open = message;
    this.#openOrder = turn.turn_order;
    return { send: message as unknown as ScriptMessage };
  }
}
