// SPDX-License-Identifier: MIT
// The state one fake server shares between its sessions, token routes and fault injector: the
// records, the live sessions, the pending faults, the script and the event listeners.
import { systemClock, type FakeClock } from './clock.js';
import { isU3ProModel } from '../transcript/transcript.js';
import type { Session } from './fake-session.js';
import type {
  FakeRequest,
  FakeScriptOptions,
  FakeServerEvent,
  FakeStreamingServerOptions,
  SessionRecord,
  TokenRecord,
  TokenRequestRecord,
} from './fake-types.js';
import type { PreparedScript } from './script.js';

/** A fault that fires in a session once it has received `afterAudioMs` of audio. */
export interface Rule {
  afterAudioMs: number;
  run: (session: Session) => void;
}

/** A fault waiting for the next `times` connections. */
export interface Pending<T> {
  value: T;
  times: number;
}

/** A refusal of `inject.refuse()`. */
export interface Refusal {
  code: number;
  reason: string;
  errorFrame: boolean;
  handshake: boolean;
  status: number;
}

export interface State {
  options: FakeStreamingServerOptions;
  clock: FakeClock;
  connections: SessionRecord[];
  live: Session[];
  tokens: Map<string, TokenRecord>;
  tokenRequests: TokenRequestRecord[];
  refusals: Pending<Refusal>[];
  delays: Pending<number>[];
  rules: Pending<Rule>[];
  tokenFailures: { count: number; status: number };
  script: { prepared: PreparedScript; options: FakeScriptOptions } | undefined;
  /** Continuation mode: how far into the stream any session got since reset() (ms)... */
  position: number;
  /** ...and where each non-silent frame seen so far lies in the stream (frame hash → ms). */
  frames: Map<string, number>;
  listeners: Set<(event: FakeServerEvent) => void>;
}

export function createState(options: FakeStreamingServerOptions): State {
  return {
    options,
    clock: options.clock ?? systemClock,
    connections: [],
    live: [],
    tokens: new Map(),
    tokenRequests: [],
    refusals: [],
    delays: [],
    rules: [],
    tokenFailures: { count: 0, status: 500 },
    script: undefined,
    position: 0,
    frames: new Map(),
    listeners: new Set(),
  };
}

export function emit(state: State, type: FakeServerEvent['type'], session: SessionRecord) {
  for (const listener of state.listeners) listener({ type, session });
}

export const isU3 = (state: State, model: string) => (state.options.isU3Pro ?? isU3ProModel)(model);

/** The live session with this id, or the newest one. */
export const liveSession = (state: State, id?: string): Session | undefined =>
  id === undefined ? state.live.at(-1) : state.live.find((s) => s.id === id);

/** Takes the head of `queue` if `accept` takes it, counting down its `times`. */
export function takePending<T>(
  queue: Pending<T>[],
  accept: (value: T) => boolean = () => true
): T | undefined {
  const head = queue[0];
  if (!head || !accept(head.value)) return undefined;
  if (--head.times <= 0) queue.shift();
  return head.value;
}

/** Records a new connection attempt. */
export function newRecord(state: State, request: FakeRequest): SessionRecord {
  const url = new URL(request.url);
  const params = Object.fromEntries(url.searchParams);
  const record: SessionRecord = {
    index: state.connections.length,
    url: request.url,
    params,
    token: params.token ?? request.authorization ?? undefined,
    openedAt: state.clock.now(),
    accepted: false,
    id: undefined,
    beganAt: undefined,
    config: {
      sampleRate: 16000,
      encoding: 'pcm_s16le',
      speechModel: params.speech_model ?? '',
      formatTurns: false,
      minTurnSilence: 400,
      maxTurnSilence: 1280,
      endOfTurnConfidenceThreshold: 0.4,
    },
    frames: [],
    audioMs: 0,
    control: [],
    sent: [],
  };
  state.connections.push(record);
  return record;
}
