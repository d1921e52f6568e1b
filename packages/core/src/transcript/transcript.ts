// SPDX-License-Identifier: MIT
import type { ServerMessage } from '../protocol/messages.js';
import { toCaptions } from './captions.js';

/** One word of a {@link TranscriptTurn}, as received, with times on the transcript's clock. */
export interface TranscriptWord {
  readonly text: string;
  /** Start and end in ms from the start of the whole transcript (across reconnects). */
  readonly start: number;
  readonly end: number;
  readonly confidence: number;
  /** Universal: only the last word of a partial can be `false`. U3 Pro: all `false` on partials. */
  readonly final: boolean;
  readonly speaker?: string;
}

/** One turn of the transcript: the merged state of every `Turn` message with its key. */
export interface TranscriptTurn {
  /** Stable across updates of the same turn, unique across sessions: `<sessionId>:<order>`. */
  readonly id: string;
  readonly sessionId: string;
  /** The wire `turn_order` (restarts at 0 in every session). */
  readonly order: number;
  /** What to display: for a Universal partial, the finalized words plus the word in progress. */
  readonly text: string;
  /** True once the server ended the turn, or its session was terminated with the turn open. */
  readonly final: boolean;
  readonly formatted: boolean;
  readonly words: readonly TranscriptWord[];
  readonly speaker?: string;
  readonly language?: string;
  /** Start of the first word and end of the last, in ms from the start of the transcript. */
  readonly startMs: number;
  readonly endMs: number;
  readonly endOfTurnConfidence: number;
  /** The server's `utterance` text, when it sent one for this turn. */
  readonly utterance?: string;
}

/** What every binding renders. Immutable; a new object only when the content changed. */
export interface TranscriptSnapshot {
  /** Sessions in the order first seen, then `turn_order` ascending. Turns without text are left out. */
  readonly turns: readonly TranscriptTurn[];
  /** The final turns' text, one turn per line. */
  readonly finalText: string;
  /** The text of the turns still in progress. */
  readonly partial: string;
  /** `finalText` and `partial`, on separate lines. */
  readonly text: string;
}

export interface TranscriptOptions {
  /** `format_turns` was requested: on Universal models, a final is display-ready once formatted. */
  formatTurns?: boolean;
  /** The `speech_model` in use (decides the model family, see `isU3Pro`). */
  speechModel?: string;
  /** Whether a model is of the Universal-3 Pro family. Default: {@link isU3ProModel}. */
  isU3Pro?: (model: string) => boolean;
}

export interface TranscriptApplyContext {
  /** The session the message belongs to. Default: the id of the last `Begin` applied. */
  sessionId?: string;
  /**
   * Where this session's audio starts in the whole transcript's audio, in ms. Read when the
   * session is first seen. Default: 0 for the first session, else the end of the last word so far.
   */
  offsetMs?: number;
}

export interface EndSessionOptions {
  /**
   * `'terminated'` (default): the server flushed what it had; turns still open become final.
   * `'interrupted'`: the connection failed; turns still open are removed, because their words
   * were never finalized (a reconnecting client re-sends their audio to the next session).
   */
  reason?: 'terminated' | 'interrupted';
}

export interface TranscriptTextOptions {
  /** Prefix each line with `Speaker A: ` when the turn has a speaker. */
  speakers?: boolean;
  /** Leave out turns still in progress. */
  finalOnly?: boolean;
}

/** True for Universal-3 Pro family model names: `u3-rt-pro`, `u3-pro`, `universal-3-5-pro`, ... */
export function isU3ProModel(model: string): boolean {
  return /^(u3-|universal-3)/i.test(model);
}

interface Session {
  id: string;
  index: number;
  offset: number;
  /** The offset is settled: given explicitly, or a turn was placed with it. */
  fixed: boolean;
  /** The end of its last word so far, in transcript time. */
  end: number;
  ended: boolean;
}

interface Entry {
  session: Session;
  order: number;
  turn: TranscriptTurn;
  /** The turn was reported in `lastReady` (once per turn). */
  ready: boolean;
  /** Words kept from an interrupted session; the next session's first turn extends them. */
  carried?: readonly TranscriptWord[];
  /** The session whose interruption left this turn carried. */
  carriedFrom?: Session;
  /** The later session whose first turn continues this one. */
  linked?: Session;
  /** Where the turn is in the snapshot's turns, while it is there. */
  at?: number;
}

/** A later session's first turn continues a carried one if it starts within this long (ms). */
const CONTINUATION_MS = 1000;
/** How far before the end of a carried turn the re-sent audio may start (a frame, and slack). */
const OVERLAP_MS = 100;

type Fields = Record<string, unknown>;

const freeze = Object.freeze;
const EMPTY: TranscriptSnapshot = freeze({
  turns: freeze([]),
  finalText: '',
  partial: '',
  text: '',
});
const num = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;
const isOrder = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0;
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const same = (a: TranscriptTurn, b: TranscriptTurn): boolean =>
  JSON.stringify(a) === JSON.stringify(b);
/**
 * A snapshot: `turns` now, the joined texts when first read (a long transcript need not be joined
 * again on every update nobody reads them for). `list` must not change afterwards: `turns` is a
 * frozen copy, and the texts are read from `list` itself (V8 walks frozen arrays slowly).
 */
function snapshotOf(list: readonly TranscriptTurn[]): TranscriptSnapshot {
  const turns = freeze(list.slice());
  let finalText: string | undefined;
  let partial: string | undefined;
  const finals = () =>
    (finalText ??= list
      .filter((t) => t.final)
      .map((t) => t.text)
      .join('\n'));
  const open = () =>
    (partial ??= list
      .filter((t) => !t.final)
      .map((t) => t.text)
      .join(' '));
  return freeze(
    Object.defineProperties({ turns } as TranscriptSnapshot, {
      finalText: { get: finals, enumerable: true },
      partial: { get: open, enumerable: true },
      text: {
        get: () => (finals() && open() ? `${finals()}\n${open()}` : finals() || open()),
        enumerable: true,
      },
    })
  );
}

const span = (words: readonly TranscriptWord[]) => ({
  startMs: Math.min(...words.map((w) => w.start)),
  endMs: Math.max(...words.map((w) => w.end)),
});

/**
 * The transcript store: merges AssemblyAI v3 server messages into turns, keyed by session and
 * `turn_order`. Every `Turn` message replaces its turn's state (never appends); a turn is final
 * only on `end_of_turn`; a non-final message never un-finalizes a turn, an unformatted one never
 * replaces a formatted final; `SpeakerRevision` relabels; turns of a later session (after a
 * reconnect) continue the transcript. Pure: runs in Node without a browser, never throws on
 * malformed input.
 *
 * @example
 * ```ts
 * const transcript = new Transcript({ formatTurns: true, speechModel: 'universal-streaming-english' });
 * socket.onmessage = (e) => {
 *   if (transcript.apply(JSON.parse(e.data))) render(transcript.getSnapshot());
 *   for (const turn of transcript.lastReady) announce(turn.text);
 * };
 * download(transcript.toWebVTT());
 * ```
 */
export class Transcript {
  #options: TranscriptOptions;
  #sessions = new Map<string, Session>();
  #entries = new Map<string, Entry>();
  /** Entries in display order. */
  #list: Entry[] = [];
  /** Ids of final turns removed by `clear()`: their late copies are ignored. */
  #cleared = new Set<string>();
  #current: string | undefined;
  /** Later sessions' turns that continue a carried turn: `<sessionId>:<order>` → entry. */
  #links = new Map<string, Entry>();
  /** The carried turn waiting for the next session's first turn. */
  #pending: Entry | undefined;
  /** After an interruption: later sessions' words ending by `ms` are re-sent audio heard twice. */
  #floor: { session: Session; ms: number } | undefined;
  #snapshot = EMPTY;
  /** The turns of the snapshot, unfrozen: compared at every change. */
  #turns: readonly TranscriptTurn[] = [];
  /** A turn was added or removed since the snapshot: its turns are listed again. */
  #moved = false;
  #changed = new Set<Entry>();
  #check = new Set<Entry>();
  #lastChanged: readonly TranscriptTurn[] = [];
  #lastReady: readonly TranscriptTurn[] = [];

  constructor(options: TranscriptOptions = {}) {
    this.#options = { ...options };
  }

  /** Changes options (e.g. after `UpdateConfiguration` turned `format_turns` on). */
  configure(options: TranscriptOptions): void {
    Object.assign(this.#options, options);
  }

  /** The current snapshot (same object until the content changes). */
  getSnapshot(): TranscriptSnapshot {
    return this.#snapshot;
  }

  get turns(): readonly TranscriptTurn[] {
    return this.#snapshot.turns;
  }

  get finalText(): string {
    return this.#snapshot.finalText;
  }

  get partial(): string {
    return this.#snapshot.partial;
  }

  get text(): string {
    return this.#snapshot.text;
  }

  /** The turns added or changed by the last `apply()`, `endSession()` or `clear()` call. */
  get lastChanged(): readonly TranscriptTurn[] {
    return this.#lastChanged;
  }

  /**
   * The turns that became final and display-ready in the last call: formatted, or formatting not
   * requested, or a U3 Pro model, or their session ended. Each turn appears here once in its life
   * (a later formatted or speaker-revised copy updates it without reappearing). This is the
   * `final` event.
   */
  get lastReady(): readonly TranscriptTurn[] {
    return this.#lastReady;
  }

  /**
   * Merges one server message. `Begin` sets the current session (and ends the previous one as
   * interrupted), `Turn` merges, `SpeakerRevision` relabels, `Termination` ends the session,
   * `Error` ends it as interrupted; anything else is ignored. Returns true when the snapshot
   * changed.
   */
  apply(message: ServerMessage | unknown, context: TranscriptApplyContext = {}): boolean {
    this.#begin();
    if (!isFields(message)) return this.#commit();
    const ctx: TranscriptApplyContext = isFields(context) ? context : {};
    const begin = message.type === 'Begin';
    const sessionId =
      str(ctx.sessionId) ?? (begin ? str(message.id) : undefined) ?? this.#current ?? '';
    const offset = typeof ctx.offsetMs === 'number' ? num(ctx.offsetMs) : undefined;
    if (begin) {
      if (this.#current !== undefined && this.#current !== sessionId) {
        this.#end(this.#current, 'interrupted');
      }
      this.#current = sessionId;
      this.#session(sessionId, offset);
    } else if (message.type === 'Turn') {
      this.#turn(this.#session(sessionId, offset), message);
    } else if (message.type === 'SpeakerRevision') {
      this.#revise(sessionId, message.revisions);
    } else if (message.type === 'Termination') {
      this.#end(sessionId, 'terminated');
    } else if (message.type === 'Error') {
      this.#end(sessionId, 'interrupted');
    }
    return this.#commit();
  }

  /**
   * Ends a session (its connection closed). Every turn of it still in progress becomes final
   * if it has text and `reason` is `'terminated'`, and is removed otherwise. Later non-final
   * messages for the session are ignored. Applying `Termination` does the same with
   * `'terminated'`, applying `Error` with `'interrupted'`. Returns true when the snapshot changed.
   */
  endSession(sessionId: string, options: EndSessionOptions = {}): boolean {
    this.#begin();
    this.#end(String(sessionId), options?.reason === 'interrupted' ? 'interrupted' : 'terminated');
    return this.#commit();
  }

  /**
   * A session's connection failed mid-stream, and the caller will re-send its unconfirmed audio
   * to the next session. The words of its unfinished turn that the server had already finalized
   * are kept: that turn stays open, and the next session's first turn extends it (if it starts
   * right away) instead of opening a new one. Everything else still in progress is removed.
   * Returns where the audio to re-send starts, in ms on the transcript's clock: the end of the
   * last kept word or final turn of that session (its start if there is none).
   */
  interruptSession(sessionId: string): number {
    this.#begin();
    const session = this.#session(String(sessionId));
    session.ended = true;
    let resume = session.offset;
    const open: Entry[] = [];
    for (const entry of this.#list) {
      if (entry.session !== session && entry.linked !== session) continue;
      if (entry.turn.final) resume = Math.max(resume, entry.turn.endMs);
      else open.push(entry);
    }
    const last = open.pop();
    for (const entry of open) this.#remove(entry);
    if (last) {
      let count = 0;
      while (count < last.turn.words.length && last.turn.words[count]!.final) count += 1;
      const kept = last.turn.words.slice(0, count);
      if (!kept.length) {
        this.#remove(last);
      } else {
        for (const [key, value] of this.#links) if (value === last) this.#links.delete(key);
        delete last.linked;
        last.carried = kept;
        last.carriedFrom = session;
        this.#pending = last;
        resume = Math.max(resume, kept.at(-1)!.end);
        this.#update(
          last,
          freeze({
            ...last.turn,
            ...span(kept),
            text: kept.map((w) => w.text).join(' '),
            words: freeze(kept),
          })
        );
      }
    }
    this.#floor = { session, ms: resume };
    this.#commit();
    return resume;
  }

  /** Removes every turn. Sessions (and their time offsets) are kept. */
  clear(): boolean {
    this.#begin();
    for (const entry of this.#list) {
      if (entry.turn.final) this.#cleared.add(entry.turn.id);
      this.#changed.add(entry);
    }
    this.#entries.clear();
    this.#links.clear();
    this.#pending = undefined;
    this.#floor = undefined;
    this.#list = [];
    this.#moved = true;
    return this.#commit();
  }

  /** Plain text, one turn per line. */
  toText(options: TranscriptTextOptions = {}): string {
    return this.turns
      .filter((turn) => turn.final || !options.finalOnly)
      .map(
        (turn) => (options.speakers && turn.speaker ? `Speaker ${turn.speaker}: ` : '') + turn.text
      )
      .join('\n');
  }

  /** The snapshot (turns with their words), for `JSON.stringify`. */
  toJSON(): TranscriptSnapshot {
    return this.#snapshot;
  }

  /**
   * WebVTT captions of the final turns, timed by their words: long turns are split at word
   * boundaries (at most 7 s or 80 characters per cue), speakers become `<v Speaker A>` tags.
   */
  toWebVTT(): string {
    return toCaptions(this.turns, true);
  }

  /** SubRip (SRT) captions of the final turns, cut like {@link Transcript.toWebVTT}. */
  toSRT(): string {
    return toCaptions(this.turns, false);
  }

  #begin(): void {
    this.#changed.clear();
    this.#check.clear();
  }

  #session(id: string, offset?: number): Session {
    let session = this.#sessions.get(id);
    if (!session) {
      const end = Math.max(0, ...[...this.#sessions.values()].map((s) => s.end));
      session = { id, index: this.#sessions.size, offset: end, fixed: false, ended: false, end };
      this.#sessions.set(id, session);
    }
    if (!session.fixed && offset !== undefined) {
      session.offset = session.end = offset;
      session.fixed = true;
    }
    return session;
  }

  #turn(session: Session, m: Fields): void {
    const order = m.turn_order;
    if (!isOrder(order)) return;
    const key = `${session.id}:${order}`;
    let entry = this.#entries.get(key) ?? this.#links.get(key);
    if (!entry && this.#pending && this.#pending.carriedFrom !== session) {
      entry = this.#continue(session, key, m);
    }
    const id = entry?.turn.id ?? key;
    const prev = entry?.turn;
    const final = m.end_of_turn === true;
    const formatted = m.turn_is_formatted === true;
    if (this.#cleared.has(id)) return;
    if (!final && (session.ended || prev?.final)) return;
    if (prev?.final && prev.formatted && !formatted) return;
    session.fixed = true;
    const words: TranscriptWord[] = [];
    let clock = 0;
    for (const w of Array.isArray(m.words) ? (m.words as unknown[]) : []) {
      const text = isFields(w) && typeof w.text === 'string' ? w.text.trim() : '';
      if (!text || !isFields(w)) continue;
      const start = num(w.start, clock);
      clock = Math.max(start, num(w.end, start));
      const speaker = str(w.speaker);
      words.push(
        freeze({
          text,
          start: session.offset + start,
          end: session.offset + clock,
          confidence: num(w.confidence),
          final: w.word_is_final === true,
          ...(speaker && { speaker }),
        })
      );
    }
    let text = typeof m.transcript === 'string' ? m.transcript.trim().replace(/\s+/g, ' ') : '';
    if (!text) {
      text = words.map((w) => w.text).join(' ');
    } else if (words.some((w) => w.final)) {
      // Universal: `transcript` holds the finalized words; show the word in progress after them.
      const tail: string[] = [];
      const extra = words.length - text.split(' ').length;
      for (let i = words.length - 1; i >= 0 && tail.length < extra && !words[i]!.final; i--) {
        tail.unshift(words[i]!.text);
      }
      if (tail.length) text += ' ' + tail.join(' ');
    }
    const floor =
      this.#floor && this.#floor.session !== session ? this.#floor.ms + OVERLAP_MS : undefined;
    if (floor !== undefined && words.some((w) => w.end <= floor)) {
      // The re-sent audio starts up to a frame before the point it resumes from: a word of a later
      // session ending by then was heard (and kept) already.
      words.splice(0, words.length, ...words.filter((w) => w.end > floor));
      text = words.map((w) => w.text).join(' ');
    }
    const carried = entry?.linked === session ? entry.carried : undefined;
    if (carried?.length) {
      words.unshift(...carried);
      text = words.map((w) => w.text).join(' ');
    }
    const speaker = str(m.speaker_label);
    const language = str(m.language_code);
    const utterance = str(m.utterance)?.trim() || prev?.utterance;
    const turn: TranscriptTurn = freeze({
      id,
      sessionId: entry?.session.id ?? session.id,
      order: entry?.order ?? order,
      text,
      final,
      formatted,
      // An exact-size copy: `words` grew by push, with room to spare, and a transcript keeps one
      // such array per turn.
      words: freeze(words.slice()),
      ...(speaker && { speaker }),
      ...(language && { language }),
      startMs: words.length
        ? Math.min(...words.map((w) => w.start))
        : (prev?.startMs ?? session.end),
      endMs: words.length ? Math.max(...words.map((w) => w.end)) : (prev?.endMs ?? session.end),
      endOfTurnConfidence: num(m.end_of_turn_confidence),
      // The same string as `text` when equal (most finals): not a second copy of every turn.
      ...(utterance && { utterance: utterance === text ? text : utterance }),
    });
    session.end = Math.max(session.end, turn.endMs);
    if (entry) this.#update(entry, turn);
    else this.#insert({ session, order, turn, ready: false });
  }

  /**
   * The first turn of a session after an interruption: it continues the carried turn when its
   * first word starts right away (the re-sent audio begins mid-sentence), else the carried turn
   * is closed as final.
   */
  #continue(session: Session, key: string, m: Fields): Entry | undefined {
    const first = Array.isArray(m.words) ? (m.words as unknown[]).find(isFields) : undefined;
    if (!first) return undefined;
    const pending = this.#pending!;
    this.#pending = undefined;
    if (num(first.start) <= CONTINUATION_MS && !pending.turn.final) {
      pending.linked = session;
      this.#links.set(key, pending);
      return pending;
    }
    this.#settle(pending);
    return undefined;
  }

  /** Closes a carried turn nothing continued: its kept words are final. */
  #settle(entry: Entry): void {
    delete entry.carried;
    delete entry.carriedFrom;
    if (!entry.turn.final) this.#update(entry, freeze({ ...entry.turn, final: true }));
  }

  #revise(sessionId: string, revisions: unknown): void {
    for (const revision of Array.isArray(revisions) ? (revisions as unknown[]) : []) {
      if (!isFields(revision)) continue;
      const key = `${sessionId}:${revision.turn_order}`;
      const entry = isOrder(revision.turn_order)
        ? (this.#entries.get(key) ?? this.#links.get(key))
        : undefined;
      const label = str(revision.speaker_label);
      if (!entry || !label) continue;
      const { turn } = entry;
      const byStart = new Map<number, string>();
      for (const w of Array.isArray(revision.words) ? (revision.words as unknown[]) : []) {
        if (isFields(w) && typeof w.start === 'number' && str(w.speaker)) {
          byStart.set((entry.linked ?? entry.session).offset + w.start, w.speaker as string);
        }
      }
      const words = turn.words.map((w) => {
        const speaker =
          byStart.get(w.start) ?? (w.speaker && w.speaker === turn.speaker ? label : w.speaker);
        return speaker === w.speaker ? w : freeze({ ...w, speaker });
      });
      this.#update(entry, freeze({ ...turn, speaker: label, words: freeze(words) }));
    }
  }

  #end(sessionId: string, reason: 'terminated' | 'interrupted'): void {
    const session = this.#session(sessionId);
    session.ended = true;
    const pending = this.#pending;
    if (pending && pending.carriedFrom !== session) {
      // A later session ended without continuing the carried turn.
      this.#pending = undefined;
      this.#settle(pending);
    }
    for (const entry of [...this.#list]) {
      if (entry.session !== session && entry.linked !== session) continue;
      this.#check.add(entry);
      const { turn } = entry;
      if (turn.final) continue;
      if (entry === this.#pending) {
        if (reason === 'interrupted') continue; // still waiting for the next session
        this.#pending = undefined;
        this.#settle(entry);
      } else if (!turn.text || reason === 'interrupted') this.#remove(entry);
      else this.#update(entry, freeze({ ...turn, final: true }));
    }
  }

  #insert(entry: Entry): void {
    // Turns arrive in order nearly always: walk back from the end to the right place.
    const list = this.#list;
    let at = list.length;
    const key = (e: Entry) => e.session.index * 2 ** 32 + e.order;
    while (at > 0 && key(list[at - 1]!) > key(entry)) at -= 1;
    list.splice(at, 0, entry);
    this.#moved = true;
    this.#entries.set(entry.turn.id, entry);
    this.#touch(entry);
  }

  #update(entry: Entry, turn: TranscriptTurn): void {
    if (same(entry.turn, turn)) return;
    entry.turn = turn;
    this.#touch(entry);
  }

  #remove(entry: Entry): void {
    this.#list.splice(this.#list.indexOf(entry), 1);
    this.#moved = true;
    this.#entries.delete(entry.turn.id);
    for (const [key, value] of this.#links) if (value === entry) this.#links.delete(key);
    if (this.#pending === entry) this.#pending = undefined;
    this.#touch(entry);
  }

  #touch(entry: Entry): void {
    this.#changed.add(entry);
    this.#check.add(entry);
  }

  #commit(): boolean {
    const { formatTurns, speechModel, isU3Pro = isU3ProModel } = this.#options;
    const ready: TranscriptTurn[] = [];
    for (const entry of this.#check) {
      const { turn } = entry;
      if (
        !entry.ready &&
        turn.final &&
        turn.text &&
        this.#entries.get(turn.id) === entry &&
        (turn.formatted ||
          !formatTurns ||
          (entry.linked ?? entry.session).ended ||
          (speechModel !== undefined && isU3Pro(speechModel)))
      ) {
        entry.ready = true;
        ready.push(turn);
      }
    }
    this.#lastReady = freeze(ready);
    const visible = (entry: Entry): boolean => !!entry.turn.text;
    const changed = [...this.#changed];
    this.#lastChanged = freeze(
      changed.filter((e) => this.#entries.get(e.turn.id) === e && visible(e)).map((e) => e.turn)
    );
    if (!changed.length) return false;
    const old = this.#turns;
    let turns: TranscriptTurn[] | undefined;
    let unchanged = true;
    if (!this.#moved) {
      // Nothing added or removed (a partial grew, a turn became final): replace those turns.
      turns = old.slice();
      for (const entry of changed) {
        if (entry.at === undefined || !visible(entry)) {
          turns = undefined;
          break;
        }
        unchanged &&= turns[entry.at] === entry.turn;
        turns[entry.at] = entry.turn;
      }
    }
    if (!turns) {
      turns = [];
      for (const entry of this.#list) {
        entry.at = visible(entry) ? turns.push(entry.turn) - 1 : undefined;
      }
      this.#moved = false;
      unchanged = turns.length === old.length;
      for (let i = 0; unchanged && i < turns.length; i++) unchanged = turns[i] === old[i];
    }
    if (unchanged) return false;
    this.#turns = turns;
    this.#snapshot = snapshotOf(turns);
    return true;
  }
}
