// SPDX-License-Identifier: MIT
import { LitElement, html, isServer, nothing, type PropertyValues } from 'lit';
import {
  LiveTranscriptError,
  OPTIONS,
  Transcript,
  TranscriberBinding,
  attributeName,
  type DiagnosticsOptions,
  type DiagnosticsReport,
  type AudioSource,
  type CaptionTrack,
  type LiveTranscriber,
  type LiveTranscriberSnapshot,
  type LiveTranscriberWarningCode,
  type OptionSpec,
  type TranscriberBindingOptions,
  type TranscriberOptions,
  type TranscriberState,
  type TranscriptTurn,
} from '@live-transcript/core/binding';
import {
  LtBeginEvent,
  LtDeviceChangeEvent,
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
import { toWebVTT, toSRT } from '@live-transcript/core/binding';
import type { captionTrack as CaptionTrackFunction } from '@live-transcript/core/media';

/** The formats of {@link LiveTranscriptElement.export}. */
export type ExportFormat = 'text' | 'json' | 'vtt' | 'srt';

/**
 * The options the element has as properties: every row of the core options table except
 * `WebSocket` and `transcript` (the element keeps its own store), with `keytermsPrompt` as
 * `keyterms`.
 */
export type LiveTranscriptOptionProperties = Omit<
  TranscriberOptions,
  'WebSocket' | 'transcript' | 'keytermsPrompt'
> & {
  /** Words to recognise better: up to 100, each up to 50 characters. The attribute is comma-separated. */
  keyterms?: string[];
};

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
  'device-change': LtDeviceChangeEvent,
};

/** Attribute text → value, by the option's type (also for text set as a property, as Vue does). */
const CONVERTERS: Partial<Record<OptionSpec['type'], (text: string | null) => unknown>> = {
  // Not a number: kept as text, so the error shows what was written.
  number: (text) => (text?.trim() ? (Number.isNaN(Number(text)) ? text : Number(text)) : undefined),
  list: (text) =>
    text
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  boolean: (text) => text !== null && text !== 'false',
};
CONVERTERS.integer = CONVERTERS.number;

/** The options the element has, `[property, key, spec]`, in table order. */
const ELEMENT_OPTIONS = Object.entries(OPTIONS as Record<string, OptionSpec>)
  .filter(([, spec]) => spec.attribute !== null)
  .map(([key, spec]) => [spec.property ?? key, key, spec] as const);

/** Lit's declaration of a table option. */
function declaration(key: string, spec: OptionSpec) {
  const attribute = attributeName(key, spec) ?? false;
  if (spec.type === 'boolean') return { attribute, type: Boolean };
  const fromAttribute = CONVERTERS[spec.type];
  return { attribute, ...(fromAttribute && { converter: { fromAttribute } }) };
}

/** Final turns per chunk of the log. */
const CHUNK = 50;
/** A warning stays in the status line this long (or until the state changes). */
const WARNING_MS = 10_000;
/** Entries of `enumerateDevices()` that are not devices of their own (Chromium's aliases). */
const ALIASES = new Set(['', 'default', 'communications']);

/** The core's `captionTrack()`, once loaded (for `for` and `media`). */
let captionTrack: typeof CaptionTrackFunction | undefined;
/**
 * Loads `captionTrack()` when a page first needs it, behind import(): nothing of it is in the
 * element's first bytes. Rejects when it cannot load (start() tries again).
 */
const loadCaptionTrack = () =>
  import('@live-transcript/core/media').then((media) => (captionTrack = media.captionTrack));

/** The label of a warning: `too-quiet` → `warningTooQuiet`. */
const warningLabel = (code: string) =>
  `warning${code.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}` as keyof LiveTranscriptLabels;
const RUNNING = new Set<TranscriberState>(['connecting', 'listening', 'paused', 'reconnecting']);

const pad = (n: number) => String(n).padStart(2, '0');
/** `m:ss` or `h:mm:ss`. */
const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  return `${h ? `${h}:${pad(Math.floor(s / 60) % 60)}` : Math.floor(s / 60)}:${pad(s % 60)}`;
};

/**
 * Live captions from the microphone, streamed to AssemblyAI Universal Streaming (v3): a
 * start/stop button, a status line, a level meter and the transcript. Every core option is an
 * attribute and a property; every core event is re-dispatched with the `lt-` prefix.
 *
 * With `for` (or `media`) it transcribes an `<audio>` or `<video>` instead, writes the captions
 * into the media's own caption track, and follows its play, pause, seek and end. With
 * `device-picker` it shows a microphone picker. Audio warnings (`lt-warning`) show in the status
 * line for 10 s, or until the run ends; nothing stops for them.
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
 * @event {LtWarningEvent} lt-warning - Something needs attention, nothing stopped (clipping, a muted or unplugged microphone, dropped audio...): `{ code, message }`. Bubbles, composed.
 * @event {LtDeviceChangeEvent} lt-device-change - The microphone changed mid-session (picked, unplugged, a new system default): `{ deviceId, label }`. Bubbles, composed.
 *
 * @slot control - Replaces the start/stop button; a click on it starts or stops.
 * @slot empty - Shown while there is no text yet.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - The bar with the button, the status and the meter.
 * @csspart control - The start/stop button.
 * @csspart status - The status line.
 * @csspart warning - The latest audio warning, in the status line.
 * @csspart device - The microphone picker (a `<select>`, with `device-picker`).
 * @csspart level - The level meter (its fill is its only child).
 * @csspart error - The error line (message, retry and diagnostics buttons).
 * @csspart retry - The retry button.
 * @csspart diagnostics - The "Copy diagnostics" button: copies `diagnostics()` as JSON.
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
 * @cssproperty [--live-transcript-warning-color=#9a6700 / #d29922] - Warnings in the status line.
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
// The option properties are declared by the table (`static properties`); their types come from
// the interface of the same name below.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class LiveTranscriptElement extends LitElement {
  static override styles = styles;

  /**
   * The properties: every option of the core options table (its attribute and type come from
   * there), and the element's own.
   */
  static override properties = {
    ...Object.fromEntries(
      ELEMENT_OPTIONS.map(([property, key, spec]) => [property, declaration(key, spec)])
    ),
    noReconnect: { attribute: 'no-reconnect', type: Boolean },
    showTimestamps: { attribute: 'show-timestamps', type: Boolean },
    devicePicker: { attribute: 'device-picker', type: Boolean },
    htmlFor: { attribute: 'for' },
    media: { attribute: false },
    preload: {},
    labels: { attribute: false },
    _warning: { state: true },
    _state: { state: true },
    _error: { state: true },
    _partial: { state: true },
    _finals: { state: true },
    _seconds: { state: true },
    _offline: { state: true },
    _note: { state: true },
  };

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

  /** Do not reconnect after a network failure (the same as the `reconnect` property set to `false`). */
  declare noReconnect: boolean;
  /** Show when each turn started (`m:ss` from the start of the transcript). */
  declare showTimestamps: boolean;
  /** Show a microphone picker (part `device`): choosing one switches at once, mid-session too. */
  declare devicePicker: boolean;
  /**
   * The `id` of an `<audio>` or `<video>` to transcribe instead of the microphone, looked up in
   * the element's root (the document or a shadow root) as `<label for>` does, again when the
   * DOM changes. The captions also go into the media as a native caption track.
   */
  declare htmlFor: string | undefined;
  /** An `<audio>` or `<video>` to transcribe, as with `for` (wins over it). Property only. */
  declare media: HTMLMediaElement | undefined;
  /**
   * When to load the transcriber's code (the page loads only the element up front): `intent`
   * (default) when the pointer enters or focus reaches the element, or the browser is idle;
   * `eager` at once; `none` at the first click.
   */
  declare preload: 'none' | 'intent' | 'eager';
  /** Texts of the interface, merged over the English defaults (see `LiveTranscriptLabels`). Property only. */
  declare labels: Partial<LiveTranscriptLabels>;

  declare private _state: TranscriberState;
  declare private _error: LiveTranscriptError | undefined;
  declare private _partial: string;
  declare private _finals: number;
  declare private _seconds: number;
  /** The latest warning with a label, shown in the status line. */
  declare private _warning: LiveTranscriberWarningCode | undefined;
  /** The browser was offline at the last `reconnecting`. */
  declare private _offline: boolean;
  /** Replaces the status in the error state ("Diagnostics copied"). */
  declare private _note: string;

  #store = new Transcript();
  #binding: TranscriberBinding | undefined;
  #labels: LiveTranscriptLabels = DEFAULT_LABELS;
  /** Finalized turns on screen, by id. */
  #nodes = new Map<string, HTMLElement>();
  /** Follow new text (the reader has not scrolled up). */
  #stick = true;
  #resizeObserver: ResizeObserver | undefined;
  #level = -1;
  #reconnectAt = 0;
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** Listens for intent (`preload="intent"`) until the transcriber's code is loading. */
  #intent: AbortController | undefined;
  #warningTimer: ReturnType<typeof setTimeout> | undefined;
  #unwatchDevices: (() => void) | undefined;
  /** What `media` or `for` names: the media, or a source that fails with the reason. */
  #target: HTMLMediaElement | AudioSource | undefined;
  #targetObserver: MutationObserver | undefined;
  /** The native captions of the current transcriber's media. */
  #caption:
    | {
        transcriber: LiveTranscriber;
        media: HTMLMediaElement;
        handle: CaptionTrack<TextTrack | undefined>;
      }
    | undefined;

  constructor() {
    super();
    this.noReconnect = false;
    this.showTimestamps = false;
    this.devicePicker = false;
    this.preload = 'intent';
    this.labels = {};
    this._state = 'idle';
    this._partial = '';
    this._finals = 0;
    this._seconds = 0;
    this._offline = false;
    this._note = '';
  }

  /** The current state, reflected as the `state` attribute for CSS. Read-only. */
  get state(): TranscriberState {
    return this._state;
  }

  /** The error that stopped the element (or the invalid option), until the next start. */
  get error(): LiveTranscriptError | undefined {
    return this._error;
  }

  /**
   * The transcript store: `turns`, `text`, `toText()`, `toJSON()` (captions: `export()`). Kept
   * across runs.
   */
  get transcript(): Transcript {
    return this.#store;
  }

  /** The whole text: final turns one per line, then the turn in progress. */
  get text(): string {
    return this.#store.text;
  }

  /** The `LiveTranscriber` of the current or last run (new when options change while idle). */
  get transcriber(): LiveTranscriber | undefined {
    return this.#binding?.transcriber;
  }

  private get _scroller(): HTMLElement {
    return this.renderRoot.querySelector('[part~="transcript"]')!;
  }

  private get _log(): HTMLElement | null {
    return this.renderRoot?.querySelector('[part~="log"]') ?? null;
  }

  private get _meter(): HTMLElement | null {
    return this.renderRoot?.querySelector('[part~="level"]') ?? null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) {
      this.#observe();
      this.#arm();
      this.#watch();
      this.#sync(); // `for` names an element of the new root
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#intent?.abort();
    this.#intent = undefined;
    this.#resizeObserver?.disconnect();
    this.#watch();
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
    const display = ['labels', 'showTimestamps', 'devicePicker'];
    const properties = (this.constructor as typeof LiveTranscriptElement).elementProperties;
    if (
      !this.#binding ||
      [...changed.keys()].some((k) => !display.includes(k as string) && !properties.get(k)?.state)
    ) {
      this.#sync();
    }
    this.setAttribute('state', this._state);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('preload')) this.#arm();
    if (changed.has('htmlFor') || changed.has('media') || changed.has('devicePicker')) {
      this.#watch();
    }
  }

  /**
   * Follows what the element depends on while connected: the DOM of its root for `for` (the
   * media may come, go or change its id), and the microphones for the picker.
   */
  #watch(): void {
    this.#targetObserver?.disconnect();
    this.#targetObserver = undefined;
    if (isServer) return;
    const connected = this.isConnected && !!this.#binding;
    if (connected && this.htmlFor && !this.media) {
      this.#targetObserver = new MutationObserver(() => {
        const before = this.#target;
        if (this.#resolve() !== before) this.#sync();
      });
      this.#targetObserver.observe(this.getRootNode(), {
        childList: true,
        subtree: true,
        attributeFilter: ['id'],
      });
    }
    if (connected && this.devicePicker) {
      this.#unwatchDevices ??= this.#binding!.subscribeDevices(() => this.requestUpdate());
    } else {
      this.#unwatchDevices?.();
      this.#unwatchDevices = undefined;
    }
  }

  /**
   * What to transcribe instead of the `source` option: `media`, else the element `for` names;
   * when `for` names no media, a source whose start fails and says so. The same object while
   * the answer is the same.
   */
  #resolve(): HTMLMediaElement | AudioSource | undefined {
    const id = this.htmlFor;
    const found =
      this.media ??
      (id ? (this.getRootNode() as Partial<Document>).getElementById?.(id) : undefined);
    let target: HTMLMediaElement | AudioSource | undefined;
    if (!id && !this.media) target = undefined;
    else if (found instanceof HTMLMediaElement) target = found;
    else {
      const message = found
        ? `for="${id}" names a <${found.localName}>: name an <audio> or <video>.`
        : this.media
          ? 'media must be an <audio> or <video> element.'
          : `No <audio> or <video> with id "${id}" in this document: check the for attribute.`;
      const previous = this.#target as (AudioSource & { message?: string }) | undefined;
      target =
        previous?.message === message
          ? previous
          : {
              kind: 'element',
              message,
              open: () => Promise.reject(new LiveTranscriptError('invalid-option', message)),
              close() {},
            };
    }
    return (this.#target = target);
  }

  /** Native captions on the media the current transcriber transcribes (`for`, `media`). */
  #attachCaptions(): void {
    const transcriber = this.transcriber;
    const options = transcriber?.options;
    const media = options?.source instanceof HTMLMediaElement ? options.source : undefined;
    const current = this.#caption;
    if (current?.transcriber === transcriber && current?.media === media) return;
    current?.handle.dispose();
    this.#caption = undefined;
    if (!transcriber || !media) return;
    if (!captionTrack) {
      // (A failure: start() tries again.)
      loadCaptionTrack().then(
        () => this.#attachCaptions(),
        () => undefined
      );
      return;
    }
    const language = options!.languageCodes?.[0];
    const handle = captionTrack(transcriber, media, {
      label: this.#labels.captions,
      language,
      detectLanguage: !language && !!options!.languageDetection,
    });
    this.#caption = { transcriber, media, handle };
  }

  protected override firstUpdated(): void {
    this.#observe();
    for (const turn of this.#store.turns) if (turn.final) this.#handleFinal(turn);
    this.#syncPartial();
  }

  /** Loads the transcriber's code now, or at the first sign of intent, as `preload` says. */
  #arm(): void {
    this.#intent?.abort();
    this.#intent = undefined;
    if (isServer || !this.isConnected || this.preload === 'none') return;
    const load = () => {
      this.#intent?.abort();
      this.#binding?.preload().catch(() => undefined); // start() reports a failure
    };
    if (this.preload === 'eager') return load();
    const { signal } = (this.#intent = new AbortController());
    for (const type of ['pointerenter', 'focusin']) {
      this.addEventListener(type, load, { once: true, signal });
    }
    // When the browser has nothing else to do (after 5 s where it cannot say).
    const idle = globalThis.requestIdleCallback as typeof requestIdleCallback | undefined;
    if (idle) {
      const id = idle(load, { timeout: 10_000 });
      signal.addEventListener('abort', () => cancelIdleCallback(id));
    } else {
      const id = setTimeout(load, 5000);
      signal.addEventListener('abort', () => clearTimeout(id));
    }
  }

  /** Hands the options to the binding (client only), which applies or checks them. */
  #sync(): void {
    if (isServer) return;
    const options = this.#options();
    if (this.#binding) this.#binding.update(options);
    else {
      this.#binding = new TranscriberBinding(options, {
        name: (key) => this.#nameOf(key),
        created: () => this.#attachCaptions(),
      });
      this.#binding.subscribe(() => this.#handleSnapshot(this.#binding!.getSnapshot()));
      this.#binding.update(options);
    }
  }

  /** How errors name an option: by its attribute when that is set, else by the property. */
  #nameOf(key: string): string {
    const entry = ELEMENT_OPTIONS.find(([, name]) => name === key);
    if (!entry) return key;
    const attribute = attributeName(key, entry[2]);
    return attribute && this.hasAttribute(attribute) ? attribute : entry[0];
  }

  /**
   * The core options from the properties: attribute text set as a property is converted (Vue
   * sets unknown props that way), unset flags and empty lists are left out, and the handlers
   * re-dispatch every event as `lt-*`.
   */
  #options(): TranscriberBindingOptions {
    const options: Record<string, unknown> = {};
    for (const [property, key, spec] of ELEMENT_OPTIONS) {
      let value = this[property as keyof this] as unknown;
      const convert = CONVERTERS[spec.type];
      if (typeof value === 'string' && convert) value = convert(value);
      if (value === '' || value === null || (spec.type === 'boolean' && value === false)) {
        value = undefined;
      }
      if (Array.isArray(value)) value = value.length ? [...value] : undefined;
      options[key] = value;
    }
    if (this.noReconnect) options.reconnect = false;
    const target = this.#resolve();
    if (target) options.source = target;
    return { ...options, transcript: this.#store, ...this.#handlers } as TranscriberBindingOptions;
  }

  /** The binding's callbacks: update the view, then re-dispatch the event as `lt-*`. */
  #handlers = Object.fromEntries(
    Object.entries(EVENTS).map(([type, EventClass]) => [
      `on${type.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
      (event: CustomEvent) => {
        this.#handleEvent(type, event.detail);
        this.dispatchEvent(new EventClass(event.detail as never));
      },
    ])
  );

  #handleEvent(type: string, detail: unknown): void {
    if (type === 'level') this.#handleLevel((detail as { rms: number }).rms);
    else if (type === 'reconnecting') {
      this._offline = globalThis.navigator?.onLine === false;
      this.#countdown((detail as { delayMs: number }).delayMs);
    } else if (type === 'turn') {
      const { turn } = detail as { turn: TranscriptTurn };
      const node = this.#nodes.get(turn.id);
      if (node) this.#renderTurn(node, turn);
      this.#syncPartial();
    } else if (type === 'final') this.#handleFinal((detail as { turn: TranscriptTurn }).turn);
    else if (type === 'warning') this.#warn((detail as { code: LiveTranscriberWarningCode }).code);
    else if (type === 'state-change') {
      const { state } = detail as { state: TranscriberState };
      if (state !== 'reconnecting') this.#countdown(0);
      if (!RUNNING.has(state)) this.#warn(undefined);
      this.#syncPartial();
    }
  }

  /** Shows a warning that has a label (or none) in the status line, for a while. */
  #warn(code: LiveTranscriberWarningCode | undefined): void {
    if (code && !this.#labels[warningLabel(code)]) return;
    clearTimeout(this.#warningTimer);
    this._warning = code;
    if (code) this.#warningTimer = setTimeout(() => (this._warning = undefined), WARNING_MS);
  }

  #handleSnapshot({ state, error }: LiveTranscriberSnapshot): void {
    if (state !== this._state) this._note = '';
    this._state = state;
    this._error = error;
    // Synchronously, so that CSS and `lt-state-change` listeners see the new state at once.
    this.setAttribute('state', state);
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

  /**
   * Renders one final turn into its own node: O(1) whatever the length of the transcript. Plain
   * DOM, not a Lit template: an hour holds about 1 500 of these, and with a template's parts and
   * markers each took 3.2 kB of memory instead of 2.1 (the soak's twin, bench/soak.ts).
   */
  #renderTurn(node: HTMLElement, { startMs, speaker, text }: TranscriptTurn): void {
    const part = (name: string, content: string, tag = 'span') => {
      const element = document.createElement(tag);
      element.setAttribute('part', name);
      element.textContent = content;
      return element;
    };
    const time = this.showTimestamps && part('timestamp', clock(startMs), 'time');
    if (time) time.setAttribute('datetime', `PT${Math.floor(startMs / 1000)}S`);
    node.replaceChildren(
      ...(time ? [time, ' '] : []),
      ...(speaker ? [part('speaker', format(this.#labels.speaker, { speaker })), ' '] : []),
      part('text', text)
    );
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
    this.#resizeObserver.observe(this._log!);
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

  /** Copies the diagnostics report: by the clipboard API, else by a selected textarea. */
  async #handleCopy(event: Event): Promise<void> {
    const button = event.currentTarget as HTMLElement;
    const text = JSON.stringify(this.diagnostics(), null, 2);
    let copied = true;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard API (an insecure page, an old browser), or it refused.
      const area = document.createElement('textarea');
      area.value = text;
      area.style.cssText = 'position:fixed;opacity:0';
      this.renderRoot.append(area);
      area.focus();
      area.select();
      copied = document.execCommand('copy');
      area.remove();
      button.focus();
    }
    this._note = copied ? this.#labels.copied : this.#labels.copyFailed;
  }

  #handleDevice(event: Event): void {
    this.deviceId = (event.target as HTMLSelectElement).value || undefined;
  }

  /**
   * Opens the microphone (or the media of `for`) and connects. Call it from a user gesture (a
   * click). Resolves once the session has begun; rejects with a `LiveTranscriptError` (also
   * sent as `lt-error`).
   */
  start(): Promise<void> {
    // Properties set just before (in the same task) count: apply them now, in the gesture.
    if (!this.#binding || this.isUpdatePending) this.#sync();
    if (!captionTrack && this.#target instanceof HTMLMediaElement) {
      // The captions follow the transcriber from its start (a media needs no gesture).
      return loadCaptionTrack()
        .catch(() => undefined)
        .then(() => {
          this.#attachCaptions();
          return this.#start();
        });
    }
    return this.#start();
  }

  #start(): Promise<void> {
    return (
      this.#binding?.start() ??
      Promise.reject(new LiveTranscriptError('aborted', 'start() needs a browser.'))
    );
  }

  /** Stops: the last words are transcribed, then the microphone is released. */
  stop(): Promise<void> {
    return this.#binding?.stop() ?? Promise.resolve();
  }

  /** Mutes the microphone; the session stays open. */
  pause(): void {
    this.#binding?.pause();
  }

  /** Unmutes the microphone after `pause()`. */
  resume(): void {
    this.#binding?.resume();
  }

  /** Ends the current turn now (push-to-talk). */
  forceEndpoint(): void {
    this.#binding?.forceEndpoint();
  }

  /** Empties the transcript (store and screen). */
  clear(): void {
    if (this.#binding) this.#binding.clear();
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
    if (format === 'vtt') return toWebVTT(store);
    if (format === 'srt') return toSRT(store);
    throw new LiveTranscriptError(
      'invalid-option',
      `export() takes 'text', 'json', 'vtt' or 'srt', got "${String(format)}".`
    );
  }

  /**
   * A report for a bug report, as JSON data (see `LiveTranscriber.diagnostics()`): version,
   * browser, audio, options, recent states, server messages, closes, errors, warnings and
   * metrics; no token, no URL query, no transcript text unless `includeTranscript`.
   */
  diagnostics(options?: DiagnosticsOptions): DiagnosticsReport {
    if (!this.#binding) this.#sync();
    if (!this.#binding) throw new LiveTranscriptError('aborted', 'diagnostics() needs a browser.');
    return this.#binding.diagnostics(options);
  }

  override render() {
    const labels = this.#labels;
    const state = this._state;
    const running = RUNNING.has(state);
    const error = this._error;
    const offline = state === 'reconnecting' && this._offline;
    const announced =
      (state === 'error' && this._note) || (offline ? labels.offline : labels[state]);
    const status =
      state === 'reconnecting' && !offline && this._seconds
        ? format(labels.reconnectingIn, { seconds: this._seconds })
        : announced;
    const warning = this._warning && labels[warningLabel(this._warning)];
    const current = this.deviceId;
    const picker =
      this.devicePicker &&
      !this.#target &&
      (this.source ?? 'microphone') === 'microphone' &&
      html`<select part="device" aria-label=${labels.device} @change=${this.#handleDevice}>
        <option value="" .selected=${!current}>${labels.defaultDevice}</option>
        ${(this.#binding?.getDevices() ?? [])
          .filter((device) => !ALIASES.has(device.deviceId))
          .map(
            ({ deviceId, label }, i) =>
              html`<option value=${deviceId} .selected=${deviceId === current}>
                ${label || format(labels.unnamedDevice, { n: i + 1 })}
              </option>`
          )}
      </select>`;
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
          <span class="sr" role="status">${warning ? `${announced}. ${warning}` : announced}</span
          ><span aria-hidden="true">${status}</span>${
            warning ? html`<span part="warning" aria-hidden="true">${warning}</span>` : nothing
          }
        </div>
        ${picker || nothing}
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
              }<button part="diagnostics" type="button" @click=${this.#handleCopy}>
                ${labels.diagnostics}
              </button>
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

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface LiveTranscriptElement extends LiveTranscriptOptionProperties {}
