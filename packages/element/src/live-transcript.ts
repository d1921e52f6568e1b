// SPDX-License-Identifier: MIT
import { LitElement, html, isServer, nothing, render, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import {
  LiveTranscriber,
  LiveTranscriptError,
  Transcript,
  type AudioSourceInput,
  type LiveTranscriberOptions,
  type MicrophoneConstraints,
  type ReconnectOptions,
  type SpeechModel,
  type StreamingRegion,
  type TranscriberState,
  type TranscriptTurn,
} from '@live-transcript/core';
import {
  LtBeginEvent,
  LtEndEvent,
  LtErrorEvent,
  LtFinalEvent,
  LtLevelEvent,
  LtMessageEvent,
  LtReconnectingEvent,
  LtSpeechStartEvent,
  LtStateChangeEvent,
  LtTurnEvent,
  LtWarningEvent,
} from './events/index.js';
import { DEFAULT_LABELS, format, type LiveTranscriptLabels } from './labels.js';
import { styles } from './live-transcript.styles.js';

/** The formats of {@link LiveTranscriptElement.export}. */
export type ExportFormat = 'text' | 'json' | 'vtt' | 'srt';

/** Core event → the element's event class (re-dispatched with the `lt-` prefix). */
const EVENTS = {
  'state-change': LtStateChangeEvent,
  begin: LtBeginEvent,
  'speech-start': LtSpeechStartEvent,
  turn: LtTurnEvent,
  final: LtFinalEvent,
  level: LtLevelEvent,
  reconnecting: LtReconnectingEvent,
  error: LtErrorEvent,
  end: LtEndEvent,
  message: LtMessageEvent,
  warning: LtWarningEvent,
};

const number = {
  fromAttribute: (value: string | null) => (value?.trim() ? Number(value) : undefined),
};
const list = {
  fromAttribute: (value: string | null) =>
    value
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean) ?? [],
};
/** Properties that change the display only, not the transcriber. */
const DISPLAY = new Set(['labels', 'showTimestamps']);
/** Settings a running session takes at once (`UpdateConfiguration`); the rest wait for the next start. */
const LIVE = [
  'keyterms',
  'prompt',
  'minTurnSilence',
  'maxTurnSilence',
  'endOfTurnConfidenceThreshold',
  'vadThreshold',
] as const;
/** Documented server ranges: [attribute, min, max, integer]. */
const RANGES: Record<string, [string, number, number, boolean?]> = {
  maxSpeakers: ['max-speakers', 1, 10, true],
  inactivityTimeout: ['inactivity-timeout', 5, 3600, true],
  vadThreshold: ['vad-threshold', 0, 1],
  endOfTurnConfidenceThreshold: ['end-of-turn-confidence-threshold', 0, 1],
  minTurnSilence: ['min-turn-silence', 0, Infinity],
  maxTurnSilence: ['max-turn-silence', 0, Infinity],
};
/** Final turns per chunk of the log. */
const CHUNK = 50;
const RUNNING = new Set<TranscriberState>(['connecting', 'listening', 'paused', 'reconnecting']);

const pad = (n: number) => String(n).padStart(2, '0');
/** `m:ss` or `h:mm:ss`. */
const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  return `${h ? `${h}:${pad(Math.floor(s / 60) % 60)}` : Math.floor(s / 60)}:${pad(s % 60)}`;
};
const asError = (error: unknown) =>
  error instanceof LiveTranscriptError
    ? error
    : new LiveTranscriptError('invalid-option', String(error), { cause: error });

/**
 * Live captions from the microphone, streamed to AssemblyAI Universal Streaming (v3): a
 * start/stop button, a status line, a level meter and the transcript. Every core option is an
 * attribute and a property; every core event is re-dispatched with the `lt-` prefix.
 *
 * Text is always rendered as text: markup in a transcript never becomes HTML.
 *
 * @summary Live captions in one tag.
 * @tagname live-transcript
 *
 * @event {LtStateChangeEvent} lt-state-change - The state changed: `{ state, previous, reason }`. Bubbles, composed.
 * @event {LtBeginEvent} lt-begin - A session began (also after a reconnect): `{ sessionId, expiresAt }`. Bubbles, composed.
 * @event {LtSpeechStartEvent} lt-speech-start - The server heard speech start: `{ timestamp, confidence }`. Bubbles, composed.
 * @event {LtTurnEvent} lt-turn - A turn was added or changed: `{ turn, transcript }`. Bubbles, composed.
 * @event {LtFinalEvent} lt-final - A turn became final and display-ready (once per turn): `{ turn }`. Bubbles, composed.
 * @event {LtLevelEvent} lt-level - Microphone level, about 20 times a second: `{ rms, peak }` in dBFS. Bubbles, composed.
 * @event {LtReconnectingEvent} lt-reconnecting - A connection failed, another attempt follows: `{ attempt, delayMs, error }`. Bubbles, composed.
 * @event {LtErrorEvent} lt-error - A fatal error, or an invalid option: `{ error }` (a `LiveTranscriptError`). Bubbles, composed.
 * @event {LtEndEvent} lt-end - A run ended after `stop()`: `{ audioDurationSeconds, sessionDurationSeconds }`. Bubbles, composed.
 * @event {LtMessageEvent} lt-message - Any server message, unknown types included: `{ message, sessionId }`. Bubbles, composed.
 * @event {LtWarningEvent} lt-warning - Something not fatal (dropped audio, a device change...): `{ code, message }`. Bubbles, composed.
 *
 * @slot control - Replaces the start/stop button; a click on it starts or stops.
 * @slot empty - Shown while there is no text yet.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - The bar with the button, the status and the meter.
 * @csspart control - The start/stop button.
 * @csspart status - The status line.
 * @csspart level - The level meter (its fill is its only child).
 * @csspart error - The error line (message and retry button).
 * @csspart retry - The retry button.
 * @csspart transcript - The scrolling transcript area.
 * @csspart log - The finalized turns (`role="log"`), grouped in plain `div`s of 50 turns.
 * @csspart turn - One finalized turn.
 * @csspart speaker - The speaker label of a turn.
 * @csspart timestamp - The start time of a turn (with `show-timestamps`).
 * @csspart text - The text of a turn.
 * @csspart partial - The turn in progress (shown, not announced).
 * @csspart empty - The empty state.
 *
 * @cssproperty [--live-transcript-text-color=#1f2328 / #e6edf3] - Text colour (light / dark scheme).
 * @cssproperty [--live-transcript-background=#ffffff / #0d1117] - Background.
 * @cssproperty [--live-transcript-muted-color=#59636e / #9198a1] - Status line and timestamps.
 * @cssproperty [--live-transcript-partial-color=#59636e / #9198a1] - The turn in progress.
 * @cssproperty [--live-transcript-border-color=#d1d9e0 / #3d444d] - Borders.
 * @cssproperty [--live-transcript-accent-color=#0969da / #4493f8] - The start button and focus rings.
 * @cssproperty [--live-transcript-on-accent-color=#ffffff / #0d1117] - Text on the buttons.
 * @cssproperty [--live-transcript-stop-color=#cf222e / #f85149] - The stop button.
 * @cssproperty [--live-transcript-error-color=#d1242f / #ff7b72] - The error line.
 * @cssproperty [--live-transcript-level-color=#1a7f37 / #3fb950] - The level meter.
 * @cssproperty [--live-transcript-speaker-color=#8250df / #bc8cff] - Speaker labels.
 * @cssproperty [--live-transcript-font-family=system-ui, sans-serif] - Font.
 * @cssproperty [--live-transcript-font-size=1rem] - Font size.
 * @cssproperty [--live-transcript-line-height=1.5] - Line height.
 * @cssproperty [--live-transcript-spacing=0.75rem] - Padding and gaps.
 * @cssproperty [--live-transcript-radius=0.75rem] - Corner radius.
 * @cssproperty [--live-transcript-max-height=20rem] - Height of the transcript before it scrolls.
 * @cssproperty [--live-transcript-line-length=70ch] - Longest line of text.
 *
 * @attr {'idle' | 'connecting' | 'listening' | 'paused' | 'reconnecting' | 'stopping' | 'error'} state - Reflects `state` (read-only), for CSS.
 *
 * @example
 * ```html
 * <script type="module">import '@live-transcript/element/define';</script>
 * <live-transcript token-url="/api/assemblyai-token" format-turns></live-transcript>
 * ```
 */
export class LiveTranscriptElement extends LitElement {
  static override styles = styles;

  /**
   * Registers the element under `tag` in `registry`. Does nothing when the tag is already
   * taken by this class; throws if it is taken by another.
   */
  static define(tag = 'live-transcript', registry: CustomElementRegistry = customElements): void {
    const existing = registry.get(tag);
    if (existing === this) return;
    if (existing)
      throw new DOMException(`<${tag}> is already defined by another class.`, 'NotSupportedError');
    registry.define(tag, this);
  }

  @query('[part~="transcript"]') private _scroller!: HTMLElement;
  @query('[part~="log"]') private _log!: HTMLElement;
  @query('[part~="level"]') private _meter!: HTMLElement;

  @state() private _state: TranscriberState = 'idle';
  @state() private _error: LiveTranscriptError | undefined;
  @state() private _partial = '';
  @state() private _finals = 0;
  @state() private _seconds = 0;
  /** The browser was offline at the last `reconnecting`. */
  @state() private _offline = false;

  /** Your server route that answers `{ token }` with a temporary AssemblyAI token. */
  @property({ attribute: 'token-url' }) tokenUrl?: string;
  /** Returns a token (instead of `token-url`); called for every connection. Property only. */
  @property({ attribute: false }) getToken?: (signal: AbortSignal) => string | Promise<string>;
  /** Overrides for the token request (method, headers, credentials...). Property only. */
  @property({ attribute: false }) tokenRequestInit?: RequestInit;
  /** The streaming endpoint (`wss:`). Default: AssemblyAI's. */
  @property() url?: string;
  /** Data-residency host: `us` or `eu` (ignored when `url` is set). */
  @property() region?: StreamingRegion;
  /** Give up on a connection attempt after this many ms. Default 10000. */
  @property({ attribute: 'connect-timeout-ms', converter: number }) connectTimeoutMs?: number;
  /** How long `stop()` waits for the last turns, in ms. Default 5000. */
  @property({ attribute: 'stop-timeout-ms', converter: number }) stopTimeoutMs?: number;
  /** The model: default `universal-3-5-pro`; `universal-streaming-english` for word-by-word partials. */
  @property({ attribute: 'speech-model' }) speechModel?: SpeechModel;
  /** The rate of the audio sent, in Hz (8000..48000). Default 16000. */
  @property({ attribute: 'sample-rate', converter: number }) sampleRate?: number;
  /** `pcm_s16le` (default) or `pcm_mulaw`. */
  @property() encoding?: string;
  /** Punctuation and casing (Universal models; always on for U3 Pro). */
  @property({ attribute: 'format-turns', type: Boolean }) formatTurns = false;
  /** Words to recognise better; the attribute is comma-separated. Changes apply mid-session. */
  @property({ converter: list }) keyterms: string[] = [];
  /** Instructions for U3 Pro models. Changes apply mid-session. */
  @property() prompt?: string;
  /** Detect the language of each turn. */
  @property({ attribute: 'language-detection', type: Boolean }) languageDetection = false;
  /** ISO 639-1 codes to bias recognition towards; the attribute is comma-separated. */
  @property({ attribute: 'language-codes', converter: list }) languageCodes: string[] = [];
  /** U3.5+: `min_latency`, `balanced` or `max_accuracy`. */
  @property() mode?: string;
  /** Ask the server to label speakers (shown before each turn). */
  @property({ attribute: 'speaker-labels', type: Boolean }) speakerLabels = false;
  /** Most speakers to tell apart (with `speaker-labels`). */
  @property({ attribute: 'max-speakers', converter: number }) maxSpeakers?: number;
  /** End-of-turn confidence threshold (0..1). Changes apply mid-session. */
  @property({ attribute: 'end-of-turn-confidence-threshold', converter: number })
  endOfTurnConfidenceThreshold?: number;
  /** Silence (ms) before a confident end of turn. Changes apply mid-session. */
  @property({ attribute: 'min-turn-silence', converter: number }) minTurnSilence?: number;
  /** Silence (ms) that always ends a turn. Changes apply mid-session. */
  @property({ attribute: 'max-turn-silence', converter: number }) maxTurnSilence?: number;
  /** Voice activity threshold (0..1). Changes apply mid-session. */
  @property({ attribute: 'vad-threshold', converter: number }) vadThreshold?: number;
  /** Seconds (5..3600) without audio before the server closes the session. */
  @property({ attribute: 'inactivity-timeout', converter: number }) inactivityTimeout?: number;
  /** Mask profanity in the transcript. */
  @property({ attribute: 'filter-profanity', type: Boolean }) filterProfanity = false;
  /** Any other connection parameter, sent as given (snake_case keys). Property only. */
  @property({ attribute: false }) extraParams?: Record<string, unknown>;
  /** The microphone to use (a `deviceId` from `enumerateDevices()`). */
  @property({ attribute: 'device-id' }) deviceId?: string;
  /** Microphone constraints (`echoCancellation`, `noiseSuppression`...). Property only. */
  @property({ attribute: false }) microphone?: MicrophoneConstraints;
  /** Another audio source: a `MediaStream`, an `<audio>`/`<video>`, or an `AudioSource`. Property only. */
  @property({ attribute: false }) source?: AudioSourceInput;
  /** URL of `@live-transcript/core/capture-worklet.js` on your site (for a strict CSP). */
  @property({ attribute: 'worklet-url' }) workletUrl?: string;
  /** Audio per WebSocket frame, in ms (50..1000). Default 50. */
  @property({ attribute: 'frame-ms', converter: number }) frameMs?: number;
  /** When the microphone goes away: `follow-default` (default) or `stop`. */
  @property({ attribute: 'device-policy' }) devicePolicy?: 'follow-default' | 'stop';
  /** Do not reconnect after a network failure. */
  @property({ attribute: 'no-reconnect', type: Boolean }) noReconnect = false;
  /** Reconnection settings (`{ maxAttempts, baseDelayMs, maxDelayMs }`), or `false`. Property only. */
  @property({ attribute: false }) reconnect?: boolean | ReconnectOptions;
  /** Audio kept from the click until the session begins, in ms. Default 2000. */
  @property({ attribute: 'pre-roll-ms', converter: number }) preRollMs?: number;
  /** Audio kept while reconnecting, in ms. Default 10000. */
  @property({ attribute: 'outage-buffer-ms', converter: number }) outageBufferMs?: number;
  /** Open the next session this long before the current one expires, in ms. Default 60000. */
  @property({ attribute: 'rollover-lead-ms', converter: number }) rolloverLeadMs?: number;
  /** Show when each turn started (`m:ss` from the start of the transcript). */
  @property({ attribute: 'show-timestamps', type: Boolean }) showTimestamps = false;
  /** Texts of the interface, merged over the English defaults (see `LiveTranscriptLabels`). Property only. */
  @property({ attribute: false }) labels: Partial<LiveTranscriptLabels> = {};

  #store = new Transcript();
  #transcriber: LiveTranscriber | undefined;
  #listeners: AbortController | undefined;
  /** Options changed since the transcriber was made: make a new one at the next start. */
  #dirty = true;
  #labels: LiveTranscriptLabels = DEFAULT_LABELS;
  /** Finalized turns on screen, by id. */
  #nodes = new Map<string, HTMLElement>();
  /** Follow new text (the reader has not scrolled up). */
  #stick = true;
  #resizeObserver: ResizeObserver | undefined;
  #level = -1;
  #reconnectAt = 0;
  #ticker: ReturnType<typeof setInterval> | undefined;

  /** The current state, reflected as the `state` attribute for CSS. Read-only. */
  get state(): TranscriberState {
    return this._state;
  }

  /** The error that stopped the element (or the invalid option), until the next start. */
  get error(): LiveTranscriptError | undefined {
    return this._error;
  }

  /** The transcript store: `turns`, `text`, `toText()`, `toWebVTT()`, `toSRT()`, `toJSON()`. Kept across runs. */
  get transcript(): Transcript {
    return this.#store;
  }

  /** The whole text: final turns one per line, then the turn in progress. */
  get text(): string {
    return this.#store.text;
  }

  /** The `LiveTranscriber` of the current or last run (new when options change while idle). */
  get transcriber(): LiveTranscriber | undefined {
    return this.#transcriber;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#observe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
    // Moving the element (disconnect, then connect in the same task) keeps it running.
    queueMicrotask(() => {
      if (!this.isConnected) void this.stop();
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('labels')) {
      this.#labels = { ...DEFAULT_LABELS, ...this.labels };
    }
    if (this.hasUpdated && (changed.has('labels') || changed.has('showTimestamps'))) {
      for (const turn of this.#store.turns) {
        const node = this.#nodes.get(turn.id);
        if (node) this.#renderTurn(node, turn);
      }
    }
    const properties = (this.constructor as typeof LiveTranscriptElement).elementProperties;
    if (
      !isServer &&
      [...changed.keys()].some((k) => !DISPLAY.has(k as string) && !properties.get(k)?.state)
    ) {
      this.#configure(changed);
    }
    this.setAttribute('state', this._state);
  }

  protected override firstUpdated(): void {
    this.#observe();
    for (const turn of this.#store.turns) if (turn.final) this.#handleFinal(turn);
    this.#syncPartial();
  }

  /** Checks the options and, while idle, makes the transcriber; while running, sends live changes. */
  #configure(changed: PropertyValues<this>): void {
    try {
      const options = this.#options();
      const current = this.#transcriber;
      const running = !!current && RUNNING.has(current.state);
      if (running || (!options.tokenUrl && !options.getToken)) {
        // Only check: while running the changes apply at the next start; without a token
        // source yet (a script may set getToken next), start() complains.
        new LiveTranscriber({ ...options, getToken: () => '' });
        this.#dirty = true;
        const live = LIVE.filter((key) => changed.has(key)).map((key) =>
          key === 'keyterms'
            ? ['keytermsPrompt', options.keytermsPrompt ?? []]
            : [key, options[key]]
        );
        if (running && live.length) current.updateConfiguration(Object.fromEntries(live));
      } else {
        this.#attach(new LiveTranscriber({ ...options, transcript: this.#store }));
      }
    } catch (error) {
      this.#dirty = true;
      return this.#fail(asError(error));
    }
    if (this._error?.code === 'invalid-option') {
      this._error = undefined;
      if (this._state === 'error') this.#setState('idle', 'options');
    }
  }

  /** The core options from the properties (every number checked). */
  #options(): LiveTranscriberOptions {
    const options: Record<string, unknown> = {};
    for (const [key, declaration] of (this.constructor as typeof LiveTranscriptElement)
      .elementProperties) {
      let value = this[key as keyof this] as unknown;
      if (declaration.state || DISPLAY.has(key as string)) continue;
      // Frameworks may set a property to the attribute's text (Vue does for unknown props).
      if (typeof value === 'string' && typeof declaration.converter === 'object') {
        value = declaration.converter.fromAttribute!(value, undefined);
      }
      if (declaration.converter === number && value !== undefined && !Number.isFinite(value)) {
        const attribute = declaration.attribute as string;
        throw new LiveTranscriptError(
          'invalid-option',
          this.hasAttribute(attribute)
            ? `${attribute}="${this.getAttribute(attribute)}" is not a number.`
            : `${String(key)} must be a finite number, got ${String(value)}.`
        );
      }
      options[key as string] =
        value === '' || value === false || value === null ? undefined : value;
    }
    const { deviceId, noReconnect, devicePolicy, region } = this;
    const { keyterms, languageCodes } = options as {
      keyterms?: string[];
      languageCodes?: string[];
    };
    const invalid = (message: string) => new LiveTranscriptError('invalid-option', message);
    for (const [key, [attribute, min, max, integer]] of Object.entries(RANGES)) {
      const value = options[key] as number | undefined;
      if (value !== undefined && (value < min || value > max || (integer && value % 1))) {
        throw invalid(
          `${attribute} must be ${integer ? 'an integer' : 'a number'} ${max < Infinity ? `from ${min} to ${max}` : `≥ ${min}`}, got ${value}.`
        );
      }
    }
    // Checked even with a url (which the core lets override the region): a typo is a typo.
    if (region && region !== 'us' && region !== 'eu') {
      throw invalid(`Unknown region "${region}": use "us" or "eu", or set url for another host.`);
    }
    if (devicePolicy && devicePolicy !== 'follow-default' && devicePolicy !== 'stop') {
      throw invalid(`device-policy must be "follow-default" or "stop", got "${devicePolicy}".`);
    }
    Object.assign(options, {
      keyterms: undefined,
      keytermsPrompt: keyterms?.length ? [...keyterms] : undefined,
      languageCodes: languageCodes?.length ? [...languageCodes] : undefined,
      deviceId: undefined,
      microphone: deviceId ? { ...this.microphone, deviceId } : this.microphone,
      noReconnect: undefined,
      reconnect: noReconnect ? false : this.reconnect,
    });
    return options as LiveTranscriberOptions;
  }

  /** Adopts a transcriber: its events update the element and are re-dispatched. */
  #attach(transcriber: LiveTranscriber): void {
    this.#listeners?.abort();
    this.#transcriber?.dispose();
    this.#transcriber = transcriber;
    this.#dirty = false;
    const signal = (this.#listeners = new AbortController()).signal;
    const on = <K extends keyof typeof EVENTS>(
      type: K,
      listener: (detail: InstanceType<(typeof EVENTS)[K]>['detail']) => void
    ) => transcriber.addEventListener(type, (e) => listener(e.detail as never), { signal });
    on('state-change', ({ state }) => {
      this._state = state;
      this._error = transcriber.error;
      if (state !== 'reconnecting') this.#countdown(0);
      this.#syncPartial();
    });
    on('error', ({ error }) => (this._error = error));
    on('level', ({ rms }) => this.#handleLevel(rms));
    on('reconnecting', ({ delayMs }) => {
      this._offline = globalThis.navigator?.onLine === false;
      this.#countdown(delayMs);
    });
    on('turn', ({ turn }) => {
      const node = this.#nodes.get(turn.id);
      if (node) this.#renderTurn(node, turn);
      this.#syncPartial();
    });
    on('final', ({ turn }) => this.#handleFinal(turn));
    for (const [type, EventClass] of Object.entries(EVENTS)) {
      on(type as keyof typeof EVENTS, (detail) =>
        this.dispatchEvent(new EventClass(detail as never))
      );
    }
  }

  /** A failure outside the transcriber (an invalid option): the `error` state, `lt-error`. */
  #fail(error: LiveTranscriptError): void {
    this._error = error;
    if (!RUNNING.has(this._state)) this.#setState('error', error.code);
    this.dispatchEvent(new LtErrorEvent({ error }));
  }

  #setState(state: TranscriberState, reason: string): void {
    const previous = this._state;
    if (previous === state) return;
    this._state = state;
    this.setAttribute('state', state);
    this.dispatchEvent(new LtStateChangeEvent({ state, previous, reason }));
  }

  #handleFinal(turn: TranscriptTurn): void {
    // Before the first render (started while disconnected): firstUpdated() shows it.
    if (!this._log) return;
    let node = this.#nodes.get(turn.id);
    if (!node) {
      node = document.createElement('p');
      node.setAttribute('part', 'turn');
      this.#nodes.set(turn.id, node);
      // Finals go in chunks, so that the browser lays out one chunk, not every turn, per update.
      let chunk = this._log.lastElementChild;
      if (!chunk || chunk.childElementCount >= CHUNK) {
        chunk = document.createElement('div');
        chunk.className = 'chunk';
        this._log.append(chunk);
      }
      chunk.append(node);
      this._finals = this.#nodes.size;
    }
    this.#renderTurn(node, turn);
    this.#syncPartial();
  }

  /** Renders one final turn into its own node: O(1) whatever the length of the transcript. */
  #renderTurn(node: HTMLElement, turn: TranscriptTurn): void {
    const labels = this.#labels;
    const time = this.showTimestamps
      ? html`<time part="timestamp" datetime="PT${Math.floor(turn.startMs / 1000)}S"
          >${clock(turn.startMs)}</time
        > `
      : nothing;
    const speaker = turn.speaker
      ? html`<span part="speaker">${format(labels.speaker, { speaker: turn.speaker })}</span> `
      : nothing;
    render(html`${time}${speaker}<span part="text">${turn.text}</span>`, node);
  }

  /** The turns at the end of the transcript that are not on screen as finals yet. */
  #syncPartial(): void {
    const turns = this.#store.turns;
    const parts: string[] = [];
    for (let i = turns.length - 1; i >= 0 && !this.#nodes.has(turns[i]!.id); i--) {
      parts.unshift(turns[i]!.text);
    }
    this._partial = parts.join(' ');
  }

  #handleLevel(rms: number): void {
    const value = Math.round(Math.min(1, Math.max(0, (rms + 60) / 60)) * 100);
    if (value === this.#level || !this._meter) return;
    this.#level = value;
    this._meter.style.setProperty('--_value', String(value / 100));
    this._meter.setAttribute('aria-valuenow', String(value));
  }

  /** Counts down to the next attempt (0: stop counting). */
  #countdown(delayMs: number): void {
    clearInterval(this.#ticker);
    this.#reconnectAt = performance.now() + delayMs;
    const tick = () => {
      this._seconds = Math.max(0, Math.ceil((this.#reconnectAt - performance.now()) / 1000));
      if (!this._seconds) clearInterval(this.#ticker);
    };
    tick();
    if (this._seconds) this.#ticker = setInterval(tick, 250);
  }

  /** Keeps the newest text in view, unless the reader scrolled up: whenever the text grows. */
  #observe(): void {
    this.#resizeObserver ??= new ResizeObserver(() => {
      if (this.#stick) this._scroller.scrollTop = this._scroller.scrollHeight;
    });
    this.#resizeObserver.observe(this._log);
    this.#resizeObserver.observe(this.renderRoot.querySelector('[part~="partial"]')!);
  }

  #handleScroll(): void {
    const { scrollTop, scrollHeight, clientHeight } = this._scroller;
    this.#stick = scrollHeight - scrollTop - clientHeight < 24;
  }

  #handleControl(): void {
    if (this._state === 'stopping') return;
    if (RUNNING.has(this._state)) void this.stop();
    else this.start().catch(() => undefined);
  }

  #handleRetry(): void {
    this.start().catch(() => undefined);
  }

  /**
   * Opens the microphone and connects. Call it from a user gesture (a click). Resolves once the
   * session has begun; rejects with a `LiveTranscriptError` (also sent as `lt-error`).
   */
  start(): Promise<void> {
    try {
      let transcriber = this.#transcriber;
      if (
        !transcriber ||
        (!RUNNING.has(transcriber.state) && (this.#dirty || this.isUpdatePending))
      ) {
        transcriber = new LiveTranscriber({ ...this.#options(), transcript: this.#store });
        this.#attach(transcriber);
      }
      return transcriber.start();
    } catch (error) {
      this.#fail(asError(error));
      return Promise.reject(asError(error));
    }
  }

  /** Stops: the last words are transcribed, then the microphone is released. */
  stop(): Promise<void> {
    return this.#transcriber?.stop() ?? Promise.resolve();
  }

  /** Mutes the microphone; the session stays open. */
  pause(): void {
    this.#transcriber?.pause();
  }

  /** Unmutes the microphone after `pause()`. */
  resume(): void {
    this.#transcriber?.resume();
  }

  /** Ends the current turn now (push-to-talk). */
  forceEndpoint(): void {
    this.#transcriber?.forceEndpoint();
  }

  /** Empties the transcript (store and screen). */
  clear(): void {
    if (this.#transcriber) this.#transcriber.clear();
    else this.#store.clear();
    this.#nodes.clear();
    this._log?.replaceChildren();
    this._finals = 0;
    this._partial = '';
  }

  /**
   * The transcript as `text` (one turn per line, with speakers), `json` (turns and words),
   * `vtt` (WebVTT captions) or `srt` (SubRip captions).
   */
  export(format: ExportFormat = 'text'): string {
    const store = this.#store;
    if (format === 'text') return store.toText({ speakers: true });
    if (format === 'json') return JSON.stringify(store);
    if (format === 'vtt') return store.toWebVTT();
    if (format === 'srt') return store.toSRT();
    throw new LiveTranscriptError(
      'invalid-option',
      `export() takes 'text', 'json', 'vtt' or 'srt', got "${String(format)}".`
    );
  }

  override render() {
    const labels = this.#labels;
    const state = this._state;
    const running = RUNNING.has(state);
    const error = this._error;
    const offline = state === 'reconnecting' && this._offline;
    const announced = offline ? labels.offline : labels[state];
    const status =
      state === 'reconnecting' && !offline && this._seconds
        ? format(labels.reconnectingIn, { seconds: this._seconds })
        : announced;
    // The slot only listens: its clicks come from a button (which keyboards click too).
    /* eslint-disable lit-a11y/click-events-have-key-events */
    return html`<div part="base">
      <div part="header" class="bar">
        <slot name="control" @click=${this.#handleControl}>
          <button
            part="control"
            type="button"
            class=${running ? 'running' : ''}
            ?disabled=${state === 'stopping'}
          >
            <span class="icon"></span>${running ? labels.stop : labels.start}
          </button>
        </slot>
        <div part="status">
          <span class="sr" role="status">${announced}</span
          ><span aria-hidden="true">${status}</span>
        </div>
        <div
          part="level"
          role="meter"
          aria-label=${labels.level}
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow="0"
          ?hidden=${!running}
        >
          <div></div>
        </div>
      </div>
      ${
        error
          ? html`<div part="error" role="alert">
              <span
                >${format(labels.errorMessage, {
                  message: labels.errors?.[error.code] ?? error.message,
                })}</span
              >${
                error.code === 'invalid-option'
                  ? nothing
                  : html`<button part="retry" type="button" @click=${this.#handleRetry}>
                      ${labels.retry}
                    </button>`
              }
            </div>`
          : nothing
      }
      <div part="transcript" tabindex="0" @scroll=${this.#handleScroll}>
        <div part="log" role="log" aria-live="polite" aria-label=${labels.transcript}></div>
        <p part="partial" aria-hidden="true" ?hidden=${!this._partial}>${this._partial}</p>
        <div part="empty" ?hidden=${!!(this._finals || this._partial)}>
          <slot name="empty">${running ? labels.emptyRunning : labels.empty}</slot>
        </div>
      </div>
    </div>`;
    /* eslint-enable lit-a11y/click-events-have-key-events */
  }
}
