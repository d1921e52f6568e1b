// SPDX-License-Identifier: MIT
// The merge rules of a transcript: AssemblyAI v3 server messages into turns, keyed by session
// and `turn_order`. Part of the engine (with the session), apart from the store (transcript.ts)
// that a page holds before the engine loads.
import type { ServerMessage } from '../protocol/messages.js';
import {
  begin,
  commit,
  stateOf,
  type EndSessionOptions,
  type Entry,
  type Session,
  type Transcript,
  type TranscriptApplyContext,
  type TranscriptState,
  type TranscriptTurn,
  type TranscriptWord,
} from './transcript.js';

/** A later session's first turn continues a carried one if it starts within this long (ms). */
const CONTINUATION_MS = 1000;
/** How far before the end of a carried turn the re-sent audio may start (a frame, and slack). */
const OVERLAP_MS = 100;

type Fields = Record<string, unknown>;

const freeze = Object.freeze;
const num = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;
const isOrder = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0;
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const same = (a: TranscriptTurn, b: TranscriptTurn): boolean =>
  JSON.stringify(a) === JSON.stringify(b);
const span = (words: readonly TranscriptWord[]) => ({
  startMs: Math.min(...words.map((w) => w.start)),
  endMs: Math.max(...words.map((w) => w.end)),
});

/**
 * Merges one server message into `transcript`. Every `Turn` message replaces its turn's state
 * (never appends); a turn is final only on `end_of_turn`; a non-final message never un-finalizes
 * a turn, an unformatted one never replaces a formatted final; `SpeakerRevision` relabels;
 * turns of a later session (after a reconnect) continue the transcript. `Begin` sets the current
 * session (and ends the previous one as interrupted), `Termination` ends the session, `Error`
 * ends it as interrupted; anything else is ignored. Pure: runs in Node, never throws on
 * malformed input. Returns true when the snapshot changed.
 *
 * @example
 * ```ts
 * const transcript = new Transcript({ formatTurns: true, speechModel: 'universal-streaming-english' });
 * socket.onmessage = (e) => {
 *   if (applyMessage(transcript, JSON.parse(e.data))) render(transcript.getSnapshot());
 *   for (const turn of transcript.lastReady) announce(turn.text);
 * };
 * ```
 */
export function applyMessage(
  transcript: Transcript,
  message: ServerMessage | unknown,
  context: TranscriptApplyContext = {}
): boolean {
  const s = stateOf(transcript);
  begin(s);
  if (!isFields(message)) return commit(s);
  const ctx: TranscriptApplyContext = isFields(context) ? context : {};
  const isBegin = message.type === 'Begin';
  const sessionId =
    str(ctx.sessionId) ?? (isBegin ? str(message.id) : undefined) ?? s.current ?? '';
  const offset = typeof ctx.offsetMs === 'number' ? num(ctx.offsetMs) : undefined;
  if (isBegin) {
    if (s.current !== undefined && s.current !== sessionId) {
      close(s, s.current, 'interrupted');
    }
    s.current = sessionId;
    sessionOf(s, sessionId, offset);
  } else if (message.type === 'Turn') {
    mergeTurn(s, sessionOf(s, sessionId, offset), message);
  } else if (message.type === 'SpeakerRevision') {
    revise(s, sessionId, message.revisions);
  } else if (message.type === 'Termination') {
    close(s, sessionId, 'terminated');
  } else if (message.type === 'Error') {
    close(s, sessionId, 'interrupted');
  }
  return commit(s);
}

/**
 * Ends a session (its connection closed). Every turn of it still in progress becomes final
 * if it has text and `reason` is `'terminated'`, and is removed otherwise. Later non-final
 * messages for the session are ignored. Applying `Termination` does the same with
 * `'terminated'`, applying `Error` with `'interrupted'`. Returns true when the snapshot changed.
 */
export function endSession(
  transcript: Transcript,
  sessionId: string,
  options: EndSessionOptions = {}
): boolean {
  const s = stateOf(transcript);
  begin(s);
  close(s, String(sessionId), options?.reason === 'interrupted' ? 'interrupted' : 'terminated');
  return commit(s);
}

/**
 * A session's connection failed mid-stream, and the caller will re-send its unconfirmed audio
 * to the next session. The words of its unfinished turn that the server had already finalized
 * are kept: that turn stays open, and the next session's first turn extends it (if it starts
 * right away) instead of opening a new one. Everything else still in progress is removed.
 * Returns where the audio to re-send starts, in ms on the transcript's clock: the end of the
 * last kept word or final turn of that session (its start if there is none).
 */
export function interruptSession(transcript: Transcript, sessionId: string): number {
  const s = stateOf(transcript);
  begin(s);
  const session = sessionOf(s, String(sessionId));
  session.ended = true;
  let resume = session.offset;
  const open: Entry[] = [];
  for (const entry of s.list) {
    if (entry.session !== session && entry.linked !== session) continue;
    if (entry.turn.final) resume = Math.max(resume, entry.turn.endMs);
    else open.push(entry);
  }
  const last = open.pop();
  for (const entry of open) remove(s, entry);
  if (last) {
    let count = 0;
    while (count < last.turn.words.length && last.turn.words[count]!.final) count += 1;
    const kept = last.turn.words.slice(0, count);
    if (!kept.length) {
      remove(s, last);
    } else {
      for (const [key, value] of s.links) if (value === last) s.links.delete(key);
      delete last.linked;
      last.carried = kept;
      last.carriedFrom = session;
      s.pending = last;
      resume = Math.max(resume, kept.at(-1)!.end);
      update(
        s,
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
  s.floor = { session, ms: resume };
  commit(s);
  return resume;
}

function sessionOf(s: TranscriptState, id: string, offset?: number): Session {
  let session = s.sessions.get(id);
  if (!session) {
    const end = Math.max(0, ...[...s.sessions.values()].map((s) => s.end));
    session = { id, index: s.sessions.size, offset: end, fixed: false, ended: false, end };
    s.sessions.set(id, session);
  }
  if (!session.fixed && offset !== undefined) {
    session.offset = session.end = offset;
    session.fixed = true;
  }
  return session;
}

function mergeTurn(s: TranscriptState, session: Session, m: Fields): void {
  const order = m.turn_order;
  if (!isOrder(order)) return;
  const key = `${session.id}:${order}`;
  let entry = s.entries.get(key) ?? s.links.get(key);
  if (!entry && s.pending && s.pending.carriedFrom !== session) {
    entry = continueCarried(s, session, key, m);
  }
  const id = entry?.turn.id ?? key;
  const prev = entry?.turn;
  const final = m.end_of_turn === true;
  const formatted = m.turn_is_formatted === true;
  if (s.cleared.has(id)) return;
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
  const floor = s.floor && s.floor.session !== session ? s.floor.ms + OVERLAP_MS : undefined;
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
    startMs: words.length ? Math.min(...words.map((w) => w.start)) : (prev?.startMs ?? session.end),
    endMs: words.length ? Math.max(...words.map((w) => w.end)) : (prev?.endMs ?? session.end),
    endOfTurnConfidence: num(m.end_of_turn_confidence),
    // The same string as `text` when equal (most finals): not a second copy of every turn.
    ...(utterance && { utterance: utterance === text ? text : utterance }),
  });
  session.end = Math.max(session.end, turn.endMs);
  if (entry) update(s, entry, turn);
  else insert(s, { session, order, turn, ready: false });
}

/**
 * The first turn of a session after an interruption: it continues the carried turn when its
 * first word starts right away (the re-sent audio begins mid-sentence), else the carried turn
 * is closed as final.
 */
function continueCarried(
  s: TranscriptState,
  session: Session,
  key: string,
  m: Fields
): Entry | undefined {
  const first = Array.isArray(m.words) ? (m.words as unknown[]).find(isFields) : undefined;
  if (!first) return undefined;
  const pending = s.pending!;
  s.pending = undefined;
  if (num(first.start) <= CONTINUATION_MS && !pending.turn.final) {
    pending.linked = session;
    s.links.set(key, pending);
    return pending;
  }
  settle(s, pending);
  return undefined;
}

/** Closes a carried turn nothing continued: its kept words are final. */
function settle(s: TranscriptState, entry: Entry): void {
  delete entry.carried;
  delete entry.carriedFrom;
  if (!entry.turn.final) update(s, entry, freeze({ ...entry.turn, final: true }));
}

function revise(s: TranscriptState, sessionId: string, revisions: unknown): void {
  for (const revision of Array.isArray(revisions) ? (revisions as unknown[]) : []) {
    if (!isFields(revision)) continue;
    const key = `${sessionId}:${revision.turn_order}`;
    const entry = isOrder(revision.turn_order)
      ? (s.entries.get(key) ?? s.links.get(key))
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
    update(s, entry, freeze({ ...turn, speaker: label, words: freeze(words) }));
  }
}

function close(s: TranscriptState, sessionId: string, reason: 'terminated' | 'interrupted'): void {
  const session = sessionOf(s, sessionId);
  session.ended = true;
  const pending = s.pending;
  if (pending && pending.carriedFrom !== session) {
    // A later session ended without continuing the carried turn.
    s.pending = undefined;
    settle(s, pending);
  }
  for (const entry of [...s.list]) {
    if (entry.session !== session && entry.linked !== session) continue;
    s.check.add(entry);
    const { turn } = entry;
    if (turn.final) continue;
    if (entry === s.pending) {
      if (reason === 'interrupted') continue; // still waiting for the next session
      s.pending = undefined;
      settle(s, entry);
    } else if (!turn.text || reason === 'interrupted') remove(s, entry);
    else update(s, entry, freeze({ ...turn, final: true }));
  }
}

function insert(s: TranscriptState, entry: Entry): void {
  // Turns arrive in order nearly always: walk back from the end to the right place.
  const list = s.list;
  let at = list.length;
  const key = (e: Entry) => e.session.index * 2 ** 32 + e.order;
  while (at > 0 && key(list[at - 1]!) > key(entry)) at -= 1;
  list.splice(at, 0, entry);
  s.moved = true;
  s.entries.set(entry.turn.id, entry);
  touch(s, entry);
}

function update(s: TranscriptState, entry: Entry, turn: TranscriptTurn): void {
  if (same(entry.turn, turn)) return;
  entry.turn = turn;
  touch(s, entry);
}

function remove(s: TranscriptState, entry: Entry): void {
  s.list.splice(s.list.indexOf(entry), 1);
  s.moved = true;
  s.entries.delete(entry.turn.id);
  for (const [key, value] of s.links) if (value === entry) s.links.delete(key);
  if (s.pending === entry) s.pending = undefined;
  touch(s, entry);
}

function touch(s: TranscriptState, entry: Entry): void {
  s.changed.add(entry);
  s.check.add(entry);
}
