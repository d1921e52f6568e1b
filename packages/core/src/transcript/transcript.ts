// SPDX-License-Identifier: MIT

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

/**
 * True for Universal-3 Pro family model names: `u3-rt-pro`, `u3-pro`, `universal-3-5-pro`,
 * `assemblyai-stt-3-7-realtime`, ... (the fake server uses the same test).
 */
export function isU3ProModel(model: string): boolean {
  return /^u3(-|$)|universal-3|stt-3/i.test(model);
}

/** One AssemblyAI session seen by a transcript. */
export interface Session {
  id: string;
  index: number;
  offset: number;
  /** The offset is settled: given explicitly, or a turn was placed with it. */
  fixed: boolean;
  /** The end of its last word so far, in transcript time. */
  end: number;
  ended: boolean;
}

/** One turn of a transcript with what merging needs to know about it. */
export interface Entry {
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

/**
 * Everything a transcript holds: the store reads it, the merge rules (merge.ts) change it, then
 * `commit()` makes the new snapshot.
 */
export interface TranscriptState {
  options: TranscriptOptions;
  sessions: Map<string, Session>;
  entries: Map<string, Entry>;
  /** Entries in display order. */
  list: Entry[];
  /** Ids of final turns removed by `clear()`: their late copies are ignored. */
  cleared: Set<string>;
  current: string | undefined;
  /** Later sessions' turns that continue a carried turn: `<sessionId>:<order>` → entry. */
  links: Map<string, Entry>;
  /** The carried turn waiting for the next session's first turn. */
  pending: Entry | undefined;
  /** After an interruption: later sessions' words ending by `ms` are re-sent audio heard twice. */
  floor: { session: Session; ms: number } | undefined;
  snapshot: TranscriptSnapshot;
  /** The turns of the snapshot, unfrozen: compared at every change. */
  turns: readonly TranscriptTurn[];
  /** A turn was added or removed since the snapshot: its turns are listed again. */
  moved: boolean;
  changed: Set<Entry>;
  check: Set<Entry>;
  lastChanged: readonly TranscriptTurn[];
  lastReady: readonly TranscriptTurn[];
}

const freeze = Object.freeze;
/** The snapshot of an empty transcript. */
export const EMPTY_TRANSCRIPT: TranscriptSnapshot = freeze({
  turns: freeze([]),
  finalText: '',
  partial: '',
  text: '',
});

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

/** Starts a change: nothing changed yet. */
export function begin(state: TranscriptState): void {
  state.changed.clear();
  state.check.clear();
}

/**
 * Ends a change: which turns became display-ready (formatted, or formatting not requested, or a
 * U3 Pro model, or their session ended), which changed, and a new snapshot if the turns did.
 * Returns true when the snapshot changed.
 */
export function commit(state: TranscriptState): boolean {
  const { formatTurns, speechModel, isU3Pro = isU3ProModel } = state.options;
  const ready: TranscriptTurn[] = [];
  for (const entry of state.check) {
    const { turn } = entry;
    if (
      !entry.ready &&
      turn.final &&
      turn.text &&
      state.entries.get(turn.id) === entry &&
      (turn.formatted ||
        !formatTurns ||
        (entry.linked ?? entry.session).ended ||
        (speechModel !== undefined && isU3Pro(speechModel)))
    ) {
      entry.ready = true;
      ready.push(turn);
    }
  }
  state.lastReady = freeze(ready);
  const visible = (entry: Entry): boolean => !!entry.turn.text;
  const changed = [...state.changed];
  state.lastChanged = freeze(
    changed.filter((e) => state.entries.get(e.turn.id) === e && visible(e)).map((e) => e.turn)
  );
  if (!changed.length) return false;
  const old = state.turns;
  let turns: TranscriptTurn[] | undefined;
  let unchanged = true;
  if (!state.moved) {
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
    for (const entry of state.list) {
      entry.at = visible(entry) ? turns.push(entry.turn) - 1 : undefined;
    }
    state.moved = false;
    unchanged = turns.length === old.length;
    for (let i = 0; unchanged && i < turns.length; i++) unchanged = turns[i] === old[i];
  }
  if (unchanged) return false;
  state.turns = turns;
  state.snapshot = snapshotOf(turns);
  return true;
}

const states = /* @__PURE__ */ new WeakMap<Transcript, TranscriptState>();

/** The state of a transcript, for the merge rules (merge.ts). */
export const stateOf = (transcript: Transcript): TranscriptState => states.get(transcript)!;

/**
 * The transcript store: every turn of every session, as immutable snapshots. The merge rules
 * fill it (`applyMessage()` from `@live-transcript/core/session`, which a `LiveTranscriber`
 * calls for each server message); the store itself is small, so a page holds one before the
 * engine loads.
 *
 * @example
 * ```ts
 * const transcript = transcriber.transcript;
 * render(transcript.getSnapshot());            // { turns, finalText, partial, text }
 * download(toWebVTT(transcript));              // captions, from `@live-transcript/core`
 * ```
 */
export class Transcript {
  constructor(options: TranscriptOptions = {}) {
    states.set(this, {
      options: { ...options },
      sessions: new Map(),
      entries: new Map(),
      list: [],
      cleared: new Set(),
      current: undefined,
      links: new Map(),
      pending: undefined,
      floor: undefined,
      snapshot: EMPTY_TRANSCRIPT,
      turns: [],
      moved: false,
      changed: new Set(),
      check: new Set(),
      lastChanged: [],
      lastReady: [],
    });
  }

  /** Changes options (e.g. after `UpdateConfiguration` turned `format_turns` on). */
  configure(options: TranscriptOptions): void {
    Object.assign(stateOf(this).options, options);
  }

  /** The current snapshot (same object until the content changes). */
  getSnapshot(): TranscriptSnapshot {
    return stateOf(this).snapshot;
  }

  get turns(): readonly TranscriptTurn[] {
    return this.getSnapshot().turns;
  }

  get finalText(): string {
    return this.getSnapshot().finalText;
  }

  get partial(): string {
    return this.getSnapshot().partial;
  }

  get text(): string {
    return this.getSnapshot().text;
  }

  /** The turns added or changed by the last change (a merged message, `clear()`...). */
  get lastChanged(): readonly TranscriptTurn[] {
    return stateOf(this).lastChanged;
  }

  /**
   * The turns that became final and display-ready in the last change: formatted, or formatting
   * not requested, or a U3 Pro model, or their session ended. Each turn appears here once in its
   * life (a later formatted or speaker-revised copy updates it without reappearing). This is the
   * `final` event.
   */
  get lastReady(): readonly TranscriptTurn[] {
    return stateOf(this).lastReady;
  }

  /** Removes every turn. Sessions (and their time offsets) are kept. Returns true if it changed. */
  clear(): boolean {
    const state = stateOf(this);
    begin(state);
    for (const entry of state.list) {
      if (entry.turn.final) state.cleared.add(entry.turn.id);
      state.changed.add(entry);
    }
    state.entries.clear();
    state.links.clear();
    state.pending = undefined;
    state.floor = undefined;
    state.list = [];
    state.moved = true;
    return commit(state);
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
    return this.getSnapshot();
  }
}
