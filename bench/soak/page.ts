// SPDX-License-Identifier: MIT
// In-page part of the soak (bench/soak.ts), bundled and run in headless Chromium: one
// <live-transcript> with its real LiveTranscriber, fed by the planned speech (a custom
// AudioSource: speech-processor.ts) through the real capture worklet, connected to the fake
// server over a real WebSocket. The page keeps nothing of its own: what it observes (words heard,
// captions shown, finals, states) goes to the driver in batches through a CDP binding, so the
// page's heap is the element's, the transcriber's and the store's.
import {
  Transcript,
  type AudioSource,
  type TranscriberState,
  type TranscriptTurn,
} from '@live-transcript/core';
import { applyMessage } from '@live-transcript/core/session';
import { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';
import {
  timedUpdater,
  timeUpdates,
  type UpdateTimes,
} from '../../packages/element/test/bench/update-timing.js';
import type { SpeechCommand, SpeechEvent, SpeechProcessorOptions } from './speech-processor.js';

export interface SoakPageConfig {
  tokenUrl: string;
  url: string;
  /** URL of the capture worklet that runs `timeScale` times faster than real time. */
  workletUrl: string;
  processorUrl: string;
  speech: SpeechProcessorOptions;
  /** Pauses in session time (ms from the first `Begin`), each from the next gap between turns. */
  pauses: Array<{ at: number; ms: number }>;
  inactivityTimeout: number;
}

/** What the page reports; `t` is virtual epoch time in ms (the driver's clock). */
export type SoakReport =
  | { type: 'word'; t: number; index: number }
  | { type: 'turn'; t: number; words: string[]; final: boolean }
  | { type: 'final'; t: number; text: string }
  | { type: 'state'; t: number; state: TranscriberState; reason: string }
  | { type: 'begin'; t: number; sessionId: string }
  | { type: 'warning'; t: number; code: string; message: string }
  | { type: 'error'; t: number; code: string; message: string }
  | { type: 'stall'; t: number; realMs: number }
  | { [K in Mark]: { type: K; t: number } }[Mark];

/** Moments: planned pauses, holds for a measurement, the end of the speech. */
type Mark = 'pause' | 'resume' | 'hold' | 'release' | 'done';

/** Set up by the driver before the page loads (bench/soak.ts `installClock`). */
interface SoakClock {
  /** The platform's `performance.now()`, before the page's timers were sped up. */
  realNow(): number;
  /** Virtual time since the epoch, in ms (fractional). */
  epoch(): number;
}

declare global {
  var __soakClock: SoakClock;
  var __soakReport: (batch: string) => void;
  var soak: typeof api;
}

const clock = globalThis.__soakClock;
let queue: SoakReport[] = [];
const report = (entry: SoakReport) => queue.push(entry);
const flush = () => {
  if (!queue.length) return;
  const batch = JSON.stringify(queue);
  queue = [];
  globalThis.__soakReport(batch);
};

let el: LiveTranscriptElement | undefined;
let twin: LiveTranscriptElement | undefined;
let storeTwin: Transcript | undefined;
let speech: AudioWorkletNode | undefined;
let speechDone = false;
let done: () => void;
const finished = new Promise<void>((resolve) => (done = resolve));
/** Frozen: the speech and the capture are paused (a planned pause, or a hold). */
let frozen = false;
/** A hold asked for, served at the next gap between turns. */
let holdRequest: (() => void) | undefined;

/** Pauses (or resumes) the speech and the capture in the same task, so they stay in step. */
function freeze(on: boolean, type: Exclude<Mark, 'done'>) {
  frozen = on;
  command(on ? 'pause' : 'resume');
  if (on) el!.pause();
  else el!.resume();
  report({ type, t: clock.epoch() });
}

/**
 * A final Turn message that a store turns back into `turn` (times on one session's clock),
 * parsed from JSON as a socket's would be, with its text through `spell`: a twin's strings are
 * its own, of the same lengths (V8 shares equal short strings parsed from JSON).
 */
function messageOf(turn: TranscriptTurn, order: number, spell = (text: string) => text): unknown {
  return JSON.parse(
    JSON.stringify(wireTurn(turn, order), (key, value: unknown) =>
      (key === 'text' || key === 'transcript' || key === 'utterance') && typeof value === 'string'
        ? spell(value)
        : value
    )
  );
}

function wireTurn(turn: TranscriptTurn, order: number) {
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: turn.formatted,
    end_of_turn: true,
    transcript: turn.text,
    end_of_turn_confidence: turn.endOfTurnConfidence,
    words: turn.words.map((w) => ({
      text: w.text,
      start: w.start,
      end: w.end,
      confidence: w.confidence,
      word_is_final: true,
    })),
    utterance: turn.utterance ?? '',
  };
}

const command = (message: SpeechCommand) => speech!.port.postMessage(message);

/** The planned speech as an AudioSource: a node of the speech processor in the capture's context. */
function speechSource(config: SoakPageConfig, onEvent: (event: SpeechEvent) => void): AudioSource {
  return {
    kind: 'soak-speech',
    async open(context) {
      await context.audioWorklet.addModule(config.processorUrl);
      speech = new AudioWorkletNode(context, 'soak-speech', {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        processorOptions: config.speech,
      });
      speech.port.onmessage = ({ data }: MessageEvent<SpeechEvent>) => onEvent(data);
      return speech;
    },
    close() {
      speech?.disconnect();
    },
  };
}

const api = {
  /** Adds the element and starts it; resolves once the first session has begun. */
  async start(config: SoakPageConfig): Promise<void> {
    const pauses = [...config.pauses];
    let sessionStart: number | undefined;
    const onEvent = (event: SpeechEvent) => {
      const t = clock.epoch();
      if (event.type === 'word') return report({ type: 'word', t, index: event.index });
      if (event.type === 'done') {
        speechDone = true;
        report({ type: 'done', t });
        flush();
        return done();
      }
      // A gap between turns: hold or pause here if asked.
      if (frozen) return;
      if (holdRequest) {
        freeze(true, 'hold');
        holdRequest();
        holdRequest = undefined;
        return;
      }
      const next = pauses[0];
      if (!next || sessionStart === undefined || t - sessionStart < next.at) return;
      pauses.shift();
      freeze(true, 'pause');
      setTimeout(() => freeze(false, 'resume'), next.ms);
    };

    el = new LiveTranscriptElement();
    el.tokenUrl = config.tokenUrl;
    el.url = config.url;
    el.speechModel = 'universal-streaming-english';
    el.workletUrl = config.workletUrl;
    el.inactivityTimeout = config.inactivityTimeout;
    el.showTimestamps = true;
    el.source = speechSource(config, onEvent);
    el.addEventListener('lt-turn', ({ detail: { turn } }) =>
      report({
        type: 'turn',
        t: clock.epoch(),
        words: turn.words.map((w) => w.text),
        final: turn.final,
      })
    );
    el.addEventListener('lt-final', ({ detail: { turn } }) =>
      report({ type: 'final', t: clock.epoch(), text: turn.text })
    );
    el.addEventListener('lt-state-change', ({ detail: { state, reason } }) =>
      report({ type: 'state', t: clock.epoch(), state, reason })
    );
    el.addEventListener('lt-begin', ({ detail: { sessionId } }) => {
      const t = clock.epoch();
      sessionStart ??= t;
      report({ type: 'begin', t, sessionId });
    });
    el.addEventListener('lt-warning', ({ detail: { code, message } }) =>
      report({ type: 'warning', t: clock.epoch(), code, message })
    );
    el.addEventListener('lt-error', ({ detail: { error } }) =>
      report({ type: 'error', t: clock.epoch(), code: error.code, message: error.message })
    );
    setInterval(flush, 5000); // virtual ms: a quarter of a second at 20x
    // The page's own stalls (a busy machine): the real time between ticks due every ~10 ms.
    let tick = clock.realNow();
    setInterval(() => {
      const now = clock.realNow();
      if (now - tick > 60 && !frozen)
        report({ type: 'stall', t: clock.epoch(), realMs: now - tick });
      tick = now;
    }, 200);
    document.body.append(el);
    await el.updateComplete;
    await el.start();
    command('start');
    // The heartbeat that keeps the speech going: every 4 ms (real).
    setInterval(() => command('beat'), 80);
  },

  /** Resolves when the speech timeline has played to its end. */
  finished: () => finished,

  /**
   * Holds the soak for a measurement: pauses the speech and the transcriber at the next gap
   * between turns (at once if the speech is done); resolves once held. A stalled page (a heap
   * snapshot takes a real second, 20 seconds of session time) then costs nothing but the hold.
   */
  hold(): Promise<void> {
    if (speechDone) {
      freeze(true, 'hold');
      return Promise.resolve();
    }
    return new Promise((resolve) => (holdRequest = resolve));
  },

  /** Ends a hold. */
  release(): void {
    freeze(false, 'release');
  },

  /** Characters of transcript text the store holds: turn texts and word texts (all ASCII here). */
  textSize(): { turns: number; words: number; chars: number } {
    const turns = el!.transcript.turns;
    let words = 0;
    let chars = 0;
    for (const turn of turns) {
      chars += turn.text.length;
      words += turn.words.length;
      for (const word of turn.words) chars += word.text.length;
    }
    return { turns: turns.length, words, chars };
  },

  /** Stops the run (Terminate, last turns) and reports what is left. */
  async stop(): Promise<{ finals: string[] }> {
    await el!.stop();
    flush();
    return { finals: el!.transcript.turns.filter((t) => t.final).map((t) => t.text) };
  },

  /**
   * A fresh element holding the soak's final turns (same texts, words and times, one session),
   * kept on the page: what the transcript costs without the hour of history behind it.
   */
  async addTwin(): Promise<number> {
    const turns = el!.transcript.turns.filter((t) => t.final);
    twin = new LiveTranscriptElement();
    twin.tokenUrl = '/token';
    twin.showTimestamps = true;
    document.body.append(twin);
    await twin.updateComplete;
    const update = timedUpdater(twin, { sessionId: 'twin', now: clock.realNow });
    for (const [i, turn] of turns.entries()) {
      await update(messageOf(turn, i, (text) => text.toUpperCase()));
    }
    return twin.transcript.turns.length;
  },

  /** A bare store holding the soak's final turns, kept on the page: the store's share. */
  addStoreTwin(): number {
    const turns = el!.transcript.turns.filter((t) => t.final);
    storeTwin = new Transcript({ speechModel: 'universal-streaming-english' });
    const capitalize = (text: string) => text.replace(/\b\w/g, (c) => c.toUpperCase());
    turns.forEach((turn, i) =>
      applyMessage(storeTwin!, messageOf(turn, i, capitalize), { sessionId: 'twin' })
    );
    return storeTwin.turns.length;
  },

  /**
   * The element's update cost (bench/element-render.ts's measure: a partial, then new finals)
   * on the soak's element at its end size, against a fresh element holding the soak's first
   * `startTurns` finals, and the twin (`addTwin()`: the size alone, without the hour of
   * history). Rounds alternate between the three; best of rounds. Call it last: it adds turns.
   */
  async measureRender(
    startTurns: number,
    rounds: number,
    count: number
  ): Promise<Record<'start' | 'end' | 'endSizeFresh', UpdateTimes & { turns: number }>> {
    const soaked = el!;
    const finals = soaked.transcript.turns.filter((t) => t.final);
    const start = new LiveTranscriptElement();
    start.tokenUrl = '/token';
    start.showTimestamps = true;
    document.body.append(start);
    await start.updateComplete;
    const fill = timedUpdater(start, { sessionId: 'start', now: clock.realNow });
    for (const [i, turn] of finals.slice(0, startTurns).entries()) await fill(messageOf(turn, i));
    const subjects = {
      start: {
        el: start,
        update: timedUpdater(start, { sessionId: 'start-probe', now: clock.realNow }),
        order: 0,
      },
      end: {
        el: soaked,
        update: timedUpdater(soaked, { sessionId: 'probe', now: clock.realNow }),
        order: 0,
      },
      endSizeFresh: {
        el: twin!,
        update: timedUpdater(twin!, { sessionId: 'twin-probe', now: clock.realNow }),
        order: 0,
      },
    };
    const turnsOf = (subject: { el: LiveTranscriptElement }) =>
      subject.el.shadowRoot!.querySelectorAll('[part~="turn"]').length;
    const sizes = Object.fromEntries(
      Object.entries(subjects).map(([name, subject]) => [name, turnsOf(subject)])
    ) as Record<keyof typeof subjects, number>;
    // Warm-up, then alternate.
    for (const subject of Object.values(subjects)) {
      await timeUpdates(subject.update, subject.order, 10);
      subject.order += 10;
    }
    const best: Partial<Record<keyof typeof subjects, UpdateTimes>> = {};
    for (let round = 0; round < rounds; round++) {
      for (const [name, subject] of Object.entries(subjects) as Array<
        [keyof typeof subjects, (typeof subjects)['start']]
      >) {
        const times = await timeUpdates(subject.update, subject.order, count);
        subject.order += count;
        const previous = best[name];
        best[name] = previous
          ? (Object.fromEntries(
              Object.entries(times).map(([key, value]) => [
                key,
                Math.min(value, previous[key as keyof UpdateTimes]),
              ])
            ) as unknown as UpdateTimes)
          : times;
      }
    }
    return {
      start: { ...best.start!, turns: sizes.start },
      end: { ...best.end!, turns: sizes.end },
      endSizeFresh: { ...best.endSizeFresh!, turns: sizes.endSizeFresh },
    };
  },
};

globalThis.soak = api;
