// SPDX-License-Identifier: MIT
// The built-in transcript generator: a simple energy VAD over the received PCM turns any
// speech-like audio into turns, with words taken from a word list.
import type { ServerMessage, TurnMessage, WireWord } from '../protocol/messages.js';

/** Options of the built-in transcript generator. */
export interface GeneratorOptions {
  /** Words to "recognise", in order, cycling (default: the NATO alphabet, lower case). */
  words?: string[];
  /** Speech time per word (default 300 ms). */
  wordMs?: number;
  /**
   * How `format_turns=true` shows on Universal models: `'separate'` (2025: an unformatted final,
   * then a formatted copy with the same `turn_order`, default) or `'in-model'` (unformatted
   * partials and one formatted final, as in `universal-english-format-turns-inmodel.jsonl`).
   */
  formatStyle?: 'separate' | 'in-model';
  /** RMS (0..1) above which a 20 ms window counts as speech (default 0.02, about -34 dBFS). */
  speechRms?: number;
  /** U3 Pro: speech time before the one early partial (default 750 ms). */
  earlyPartialMs?: number;
}

/** The live settings the generator reads (query parameters, then `UpdateConfiguration`). */
export interface GeneratorConfig {
  formatTurns: boolean;
  minTurnSilence: number;
  maxTurnSilence: number;
  endOfTurnConfidenceThreshold: number;
}

const NATO =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(
    ' '
  );

const WINDOW_MS = 20;

/** Turns PCM into Turn (and, for U3 Pro, SpeechStarted) messages. */
export class TurnGenerator {
  #words: WireWord[] = [];
  #wordIndex = 0;
  #order = 0;
  #pos = 0;
  #speechMs = 0;
  #silenceMs = 0;
  #lastSpeechEnd = 0;
  #early = false;
  #floor: number | undefined;
  #pending: number[] = [];

  constructor(
    readonly options: GeneratorOptions,
    readonly config: GeneratorConfig,
    readonly u3: boolean,
    readonly emit: (message: ServerMessage) => void
  ) {}

  /** Feeds samples in [-1, 1] at `sampleRate`. */
  push(samples: Float32Array, sampleRate: number): void {
    const size = Math.round((sampleRate * WINDOW_MS) / 1000);
    for (const s of samples) {
      this.#pending.push(s);
      if (this.#pending.length === size) {
        this.#window(Math.sqrt(this.#pending.reduce((sum, x) => sum + x * x, 0) / size));
        this.#pending.length = 0;
      }
    }
  }

  /** Ends the current turn now (`ForceEndpoint`, `Terminate`). */
  endTurn(): void {
    if (this.#speechMs > 0) this.#final();
  }

  #window(rms: number): void {
    const t = this.#pos;
    this.#pos += WINDOW_MS;
    const threshold = Math.max(this.options.speechRms ?? 0.02, 3 * (this.#floor ?? 0));
    if (rms <= threshold) {
      this.#floor = this.#floor === undefined ? rms : this.#floor * 0.95 + rms * 0.05;
      if (!this.#speechMs) return;
      this.#silenceMs += WINDOW_MS;
      const { minTurnSilence, maxTurnSilence, endOfTurnConfidenceThreshold } = this.config;
      const needed = endOfTurnConfidenceThreshold >= 1 ? maxTurnSilence : minTurnSilence;
      if (this.#silenceMs >= needed && this.#speechMs >= 80) this.#final();
      return;
    }
    if (!this.#speechMs && this.u3) {
      this.emit({ type: 'SpeechStarted', timestamp: t, confidence: 0.93 });
    }
    this.#silenceMs = 0;
    this.#lastSpeechEnd = t + WINDOW_MS;
    const last = this.#words.at(-1);
    if (last) last.end = this.#lastSpeechEnd;
    if (this.#speechMs >= this.#words.length * (this.options.wordMs ?? 300)) {
      if (last) last.end = t;
      const list = this.options.words?.length ? this.options.words : NATO;
      const index = this.#wordIndex++;
      this.#words.push({
        text: list[index % list.length]!,
        start: t,
        end: this.#lastSpeechEnd,
        confidence: 0.8 + ((index * 7) % 20) / 100,
        word_is_final: false,
      });
      if (!this.u3) this.#partial();
    }
    this.#speechMs += WINDOW_MS;
    if (this.u3 && !this.#early && this.#speechMs >= (this.options.earlyPartialMs ?? 750)) {
      this.#early = true;
      this.#partial();
    }
  }

  #turn(fields: Partial<TurnMessage>): TurnMessage {
    return {
      type: 'Turn',
      turn_order: this.#order,
      turn_is_formatted: false,
      end_of_turn: false,
      transcript: '',
      end_of_turn_confidence: 0,
      words: [],
      utterance: '',
      ...fields,
    };
  }

  #partial(): void {
    if (this.u3) {
      const words = format(this.#words, false);
      this.emit(
        this.#turn({
          turn_is_formatted: true,
          transcript: words.map((w) => w.text).join(' ') + '\u2014',
          words,
        })
      );
      return;
    }
    const words = this.#words.map((w, i, all) => ({ ...w, word_is_final: i < all.length - 1 }));
    const transcript = words
      .filter((w) => w.word_is_final)
      .map((w) => w.text)
      .join(' ');
    this.emit(this.#turn({ transcript, words, end_of_turn_confidence: 0.02 }));
  }

  #final(): void {
    const words = this.#words.map((w) => ({ ...w, word_is_final: true }));
    if (!words.length) {
      // Speech shorter than one word (or a ForceEndpoint right at onset): one short word.
      const list = this.options.words?.length ? this.options.words : NATO;
      words.push({
        text: list[this.#wordIndex++ % list.length]!,
        start: this.#lastSpeechEnd - this.#speechMs,
        end: this.#lastSpeechEnd,
        confidence: 0.8,
        word_is_final: true,
      });
    }
    const plain = words.map((w) => w.text).join(' ');
    const formatted = format(words, true);
    const text = formatted.map((w) => w.text).join(' ');
    if (this.u3) {
      this.emit(
        this.#turn({
          turn_is_formatted: true,
          end_of_turn: true,
          transcript: text,
          utterance: text,
          end_of_turn_confidence: 1,
          words: formatted,
        })
      );
    } else if (this.config.formatTurns && this.options.formatStyle === 'in-model') {
      this.emit(
        this.#turn({
          turn_is_formatted: true,
          end_of_turn: true,
          transcript: text,
          utterance: text,
          end_of_turn_confidence: 0.9,
          words: formatted,
        })
      );
    } else {
      const final = { end_of_turn: true, end_of_turn_confidence: 0.9 };
      this.emit(this.#turn({ ...final, transcript: plain, utterance: plain, words }));
      if (this.config.formatTurns) {
        this.emit(
          this.#turn({ ...final, turn_is_formatted: true, transcript: text, words: formatted })
        );
      }
    }
    this.#order++;
    this.#words = [];
    this.#speechMs = 0;
    this.#silenceMs = 0;
    this.#early = false;
  }
}

/** Capitalises the first word and, for a final, ends the last with a full stop. */
function format(words: WireWord[], final: boolean): WireWord[] {
  return words.map((w, i) => {
    let text = i === 0 ? w.text.charAt(0).toUpperCase() + w.text.slice(1) : w.text;
    if (final && i === words.length - 1) text += '.';
    return { ...w, text, word_is_final: final };
  });
}
