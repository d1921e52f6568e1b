// SPDX-License-Identifier: MIT
// One connection of the fake server, from the server's side: the token and query checks, `Begin`,
// the frame-duration and real-time rules, control messages, the script or the generator fed with
// the audio received, faults that fall due, `Terminate`/`Termination` and the close.
import type { ServerMessage, TerminationMessage } from '../protocol/messages.js';
import { isObject } from '../protocol/parse.js';
import { bytesOf, durationMs, frameKey, linearPcm, silent } from './fake-audio.js';
import { applyUpdate, parseQuery } from './fake-query.js';
import { emit, isU3, takePending, type Rule, type State } from './fake-state.js';
import { uuid } from './fake-tokens.js';
import type {
  FakeConnection,
  FakeRequest,
  FakeServerEvent,
  FakeSocket,
  FrameRecord,
  SessionRecord,
  TextRecord,
} from './fake-types.js';
import { TurnGenerator } from './generator.js';
import { ScriptPlayer, type ScriptAction, type ScriptMessage } from './script.js';

/** A close reason the way the server sends it: at most 123 bytes. */
function closeReason(reason: string): string {
  return new TextEncoder().encode(reason).length > 123 ? 'See Error message for details' : reason;
}

const trim = (n: number) => Number(n.toFixed(1));

/** One accepted WebSocket, from the server's point of view. */
/** `locate` moves a session's script on only when the sound is this much further on (ms). */
const LOCATE_SLACK_MS = 40;

export class Session implements FakeConnection {
  #began = false;
  #closed = false;
  #timers = new Set<unknown>();
  #inactivity: unknown;
  #preBegin: Uint8Array[] = [];
  #rules: Rule[] = [];
  #inflight: Array<{ handle: unknown; action: ScriptAction }> = [];
  #player: ScriptPlayer | undefined;
  #generator: TurnGenerator | undefined;
  #maxDuration = 10800;
  /** Where this session's audio starts in the stream (continuation mode; undefined until known). */
  #start: number | undefined = 0;
  /** Audio fed to the transcription so far in this session (ms). */
  #fedMs = 0;
  /** Continuation mode: silence since the last placed sound (the next sound is asked to `locate`). */
  #quiet = true;

  constructor(
    readonly state: State,
    readonly record: SessionRecord,
    readonly socket: FakeSocket
  ) {}

  get id() {
    return this.record.id;
  }

  notify(type: FakeServerEvent['type']) {
    emit(this.state, type, this.record);
  }

  #timer(ms: number, callback: () => void): unknown {
    const handle = this.state.clock.setTimeout(() => {
      this.#timers.delete(handle);
      callback();
    }, ms);
    this.#timers.add(handle);
    return handle;
  }

  #cancel(handle: unknown) {
    if (this.#timers.delete(handle)) this.state.clock.clearTimeout(handle);
  }

  /** Runs the checks and sends `Begin` (now or after an injected delay). */
  open(request: FakeRequest, tokenError: string | undefined, maxDuration: number) {
    this.#maxDuration = maxDuration;
    if (tokenError) return this.fail(1008, `Unauthorized Connection: ${tokenError}`);
    const config = parseQuery(new URL(request.url).searchParams, this.state.options, (model) =>
      isU3(this.state, model)
    );
    if (typeof config === 'string') return this.fail(3006, config);
    this.record.config = config;
    const refusal = takePending(this.state.refusals, (r) => !r.handshake);
    if (refusal) return this.fail(refusal.code, refusal.reason, refusal.errorFrame);
    this.#start = this.state.script?.options.continueAcrossSessions ? undefined : 0;
    const delay = takePending(this.state.delays);
    if (delay) this.#timer(delay, () => this.#begin());
    else this.#begin();
  }

  #begin() {
    if (this.#closed) return;
    const { state, record } = this;
    const now = state.clock.now();
    const script = state.script;
    const template: Record<string, unknown> = script?.prepared.begin ?? {};
    const keep = script?.options.keepScriptValues;
    record.id = keep && typeof template.id === 'string' ? template.id : uuid();
    record.beganAt = now;
    record.accepted = true;
    this.#began = true;
    this.send({
      ...template,
      type: 'Begin',
      id: record.id,
      expires_at:
        keep && typeof template.expires_at === 'number'
          ? template.expires_at
          : Math.floor(now / 1000) + this.#maxDuration,
    });
    this.notify('begin');
    this.#timer(this.#maxDuration * 1000, () =>
      this.fail(3008, 'Session Expired: Maximum session duration exceeded')
    );
    this.#touch();
    for (const pending of [...state.rules]) {
      this.#rules.push(pending.value);
      if (--pending.times <= 0) state.rules.splice(state.rules.indexOf(pending), 1);
    }
    if (script) {
      if (!script.options.continueAcrossSessions) {
        this.#player = new ScriptPlayer(script.prepared, { value: 0 }, 0);
      }
    } else {
      this.#generator = new TurnGenerator(
        state.options.generator ?? {},
        record.config,
        isU3(state, record.config.speechModel),
        (m) => this.send(m)
      );
    }
    const early = this.#preBegin;
    this.#preBegin = [];
    for (const bytes of early) this.#transcribe(bytes);
    this.#transcribe(undefined);
  }

  /** Any client frame counts as activity for `inactivity_timeout`. */
  #touch() {
    const seconds = this.record.config.inactivityTimeout;
    if (!this.#began || seconds === undefined) return;
    this.#cancel(this.#inactivity);
    this.#inactivity = this.#timer(seconds * 1000, () => {
      const close = this.state.options.inactivityClose;
      if (close) this.fail(close.code, close.reason);
      else this.terminate();
    });
  }

  send(message: ServerMessage | ScriptMessage | string | Uint8Array) {
    if (this.#closed) return;
    const raw =
      typeof message === 'string' || message instanceof Uint8Array
        ? message
        : JSON.stringify(message);
    const entry: TextRecord = { raw, at: this.state.clock.now() };
    if (typeof message === 'object' && !(message instanceof Uint8Array)) entry.message = message;
    this.record.sent.push(entry);
    this.socket.send(raw);
    this.notify('send');
  }

  /** `Error` frame (unless told otherwise) and close with `code`. */
  fail(code: number, error: string, errorFrame = true) {
    if (errorFrame) this.send({ type: 'Error', error_code: code, error });
    this.close(code, error);
  }

  close(code: number, reason: string) {
    if (this.#end(code, reason, 'server')) this.socket.close(code, closeReason(reason));
  }

  drop() {
    if (this.#end(1006, '', 'server')) this.socket.drop();
  }

  #end(code: number, reason: string, by: 'server' | 'client'): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    for (const handle of this.#timers) this.state.clock.clearTimeout(handle);
    this.#timers.clear();
    this.record.closed = { code, reason, by, at: this.state.clock.now() };
    this.state.live = this.state.live.filter((s) => s !== this);
    this.notify('close');
    return true;
  }

  closed(code: number, reason = '') {
    this.#end(code, reason, 'client');
  }

  message(data: string | ArrayBuffer | ArrayBufferView, at = this.state.clock.now()) {
    if (this.#closed) return;
    if (typeof data === 'string') this.#text(data, at);
    else this.#audio(bytesOf(data), at);
  }

  #text(raw: string, at: number) {
    const entry: TextRecord = { raw, at };
    this.record.control.push(entry);
    this.#touch();
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      this.notify('control');
      return this.fail(3006, `Invalid JSON: ${raw.length > 60 ? raw.slice(0, 60) + '...' : raw}`);
    }
    entry.message = message;
    this.notify('control');
    if (!isObject(message)) return this.fail(3006, 'Invalid Message: expected a JSON object');
    switch (message.type) {
      case 'KeepAlive':
        return;
      case 'Terminate':
        return this.terminate();
      case 'ForceEndpoint':
        return this.#endTurn();
      case 'UpdateConfiguration': {
        const error = applyUpdate(this.record.config, message);
        if (error) this.fail(3006, error);
        return;
      }
      default:
        this.fail(
          3006,
          typeof message.type === 'string'
            ? `Invalid Message Type: ${message.type}`
            : 'Invalid Message: missing "type"'
        );
    }
  }

  #audio(bytes: Uint8Array, at: number) {
    const { record, state } = this;
    const { encoding } = record.config;
    const ms = durationMs(bytes, record.config);
    const frame: FrameRecord = { bytes: bytes.length, ms, at };
    if (state.options.recordAudio) frame.pcm = linearPcm(bytes, encoding);
    record.frames.push(frame);
    this.notify('audio');
    this.#touch();
    if ((encoding === 'pcm_s16le' && bytes.length % 2) || ms < 50 - 1e-6 || ms > 1000 + 1e-6) {
      return this.fail(
        3007,
        `Input duration violation: ${trim(ms)} ms. Expected between 50 and 1000 ms`
      );
    }
    record.audioMs += ms;
    if (!this.#began) return void this.#preBegin.push(bytes.slice());
    const elapsed = at - record.beganAt!;
    if (record.audioMs > elapsed + (state.options.pacing?.toleranceMs ?? 500)) {
      return this.fail(
        3007,
        `Audio Transmission Rate Exceeded: Received ${trim(record.audioMs / 1000)} sec. audio in ${trim(elapsed / 1000)} sec`
      );
    }
    this.#transcribe(bytes);
  }

  /** Feeds audio to the script or the generator, then runs the rules that fell due. */
  #transcribe(bytes: Uint8Array | undefined) {
    if (bytes) {
      const ms = durationMs(bytes, this.record.config);
      if (this.state.script?.options.continueAcrossSessions) this.#follow(bytes);
      this.#fedMs += ms;
      if (this.#start !== undefined && this.state.script?.options.continueAcrossSessions) {
        this.state.position = Math.max(this.state.position, this.#start + this.#fedMs);
      }
    }
    if (this.#player) {
      this.#deliver(this.#player.advance(this.#start! + this.#fedMs));
    } else if (this.#generator && bytes) {
      const { encoding, sampleRate } = this.record.config;
      const samples = Float32Array.from(linearPcm(bytes, encoding), (x) => x / 32768);
      this.#generator.push(samples, sampleRate);
    }
    for (const rule of [...this.#rules]) {
      if (this.#closed) return;
      if (rule.afterAudioMs <= this.record.audioMs) {
        this.#rules.splice(this.#rules.indexOf(rule), 1);
        rule.run(this);
      }
    }
  }

  /**
   * Continuation mode: places this session's audio in the stream. The first non-silent frame
   * decides: a frame seen before means the client is re-sending audio from that point; a new one
   * is placed where `locate` says, or else continues where the stream stopped, or, for the
   * stream's first sound, where the script's first word starts. (Until then the script waits.)
   * A later sound that `locate` places further on than the audio received says that the client
   * left silence out: the script moves on by as much.
   */
  #follow(bytes: Uint8Array) {
    const { state } = this;
    const key = silent(bytes, this.record.config.encoding) ? undefined : frameKey(bytes);
    if (key === undefined) this.#quiet = true;
    else if (this.#start === undefined || this.#quiet) {
      const seen = state.frames.get(key);
      const located = seen === undefined ? this.#locate(bytes) : undefined;
      const first = state.frames.size === 0 && state.position === 0;
      const speech = state.script!.prepared.speechStartMs;
      if (this.#start !== undefined) {
        const ahead = (located ?? 0) - (this.#start + this.#fedMs);
        if (located !== undefined && ahead >= LOCATE_SLACK_MS) {
          this.#start += ahead;
          this.#player!.start += ahead;
        }
      } else if (seen !== undefined) this.#place(seen - this.#fedMs);
      else if (located !== undefined) this.#place(located - this.#fedMs);
      else if (first && speech !== undefined) this.#place(speech - this.#fedMs);
      else this.#place(state.position);
      // A sound `locate` could not place yet (too short in this frame): ask again at the next.
      if (seen !== undefined || located !== undefined || !state.script!.options.locate) {
        this.#quiet = false;
      }
    }
    if (this.#start !== undefined && key !== undefined && !state.frames.has(key)) {
      state.frames.set(key, this.#start + this.#fedMs);
    }
  }

  #locate(bytes: Uint8Array): number | undefined {
    const { locate } = this.state.script!.options;
    const { encoding, sampleRate } = this.record.config;
    if (!locate || encoding !== 'pcm_s16le') return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const pcm = Int16Array.from({ length: bytes.length >> 1 }, (_, i) =>
      view.getInt16(i * 2, true)
    );
    const expectedMs = this.#start === undefined ? this.state.position : this.#start + this.#fedMs;
    const at = locate(pcm, { sampleRate, expectedMs });
    // Whole milliseconds, as the server's word times are.
    return at === undefined ? undefined : Math.round(at);
  }

  #place(start: number) {
    const { prepared } = this.state.script!;
    this.#start = start;
    let first = 0;
    while (first < prepared.timed.length && prepared.timed[first]!.after_audio_ms <= start)
      first += 1;
    this.#player = new ScriptPlayer(prepared, { value: first }, start);
  }

  addRule(rule: Rule) {
    this.#rules.push(rule);
    this.#transcribe(undefined);
  }

  #deliver(actions: ScriptAction[]) {
    const latency = this.state.script?.options.latencyMs ?? 0;
    for (const action of actions) {
      if (latency <= 0 && !this.#inflight.length) this.#run(action);
      else {
        const entry = {
          action,
          handle: this.#timer(latency, () => {
            this.#inflight.splice(this.#inflight.indexOf(entry), 1);
            this.#run(action);
          }),
        };
        this.#inflight.push(entry);
      }
    }
  }

  #run(action: ScriptAction) {
    if ('send' in action) this.send(action.send);
    else this.close(action.close.code, action.close.reason);
  }

  #flush() {
    for (const { handle, action } of this.#inflight.splice(0)) {
      this.#cancel(handle);
      this.#run(action);
    }
  }

  #endTurn() {
    this.#flush();
    if (this.#player) {
      const final = this.#player.finalizeOpen();
      if (final) this.send(final);
    } else this.#generator?.endTurn();
  }

  /** `Terminate`: in-flight turns, then `Termination`, then close 1000. */
  terminate() {
    if (this.#closed) return;
    const { record, state } = this;
    const termination: TerminationMessage = {
      type: 'Termination',
      audio_duration_seconds: Math.round(record.audioMs / 1000),
      session_duration_seconds: Math.round(
        (state.clock.now() - (record.beganAt ?? record.openedAt)) / 1000
      ),
    };
    if (this.#began && this.#start === undefined && this.state.script) {
      // Only silence so far: the session continued where the stream stopped.
      this.#place(this.state.position);
      this.#transcribe(undefined);
    }
    if (this.#began) this.#endTurn();
    let close = { code: 1000, reason: '' };
    let sent = false;
    if (this.#began && this.#player) {
      for (const line of this.#player.script.terminate) {
        if (line.close) close = { code: line.close.code, reason: line.close.reason ?? '' };
        else if (line.message?.type === 'Termination') {
          sent = true;
          this.send(state.script?.options.keepScriptValues ? line.message : termination);
        } else if (line.message) this.send(line.message);
      }
    }
    if (!sent) this.send(termination);
    this.close(close.code, close.reason);
  }
}
