// SPDX-License-Identifier: MIT
// The fake's faults: refusals before `Begin`, a delayed `Begin`, closes with any code, drops,
// malformed frames and failing token routes, each for the next connection(s) or a live session.
import type { Session } from './fake-session.js';
import { liveSession, type Rule, type State } from './fake-state.js';
import type { FaultInjector, MalformedKind, RuleTarget } from './fake-types.js';

/** The reason sent with a close code when none is given. */
export const DEFAULT_REASONS: Record<number, string> = {
  1001: 'Going Away',
  1008: 'Unauthorized Connection: Refused by the fake server',
  1011: 'Internal Server Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  3005: 'Session Cancelled: An error occurred',
  3006: 'Invalid Message',
  3007: 'Input duration violation',
  3008: 'Session Expired: Maximum session duration exceeded',
  3009: 'Unauthorized Connection: Too many concurrent sessions',
};

/** A frame no client should be able to parse as a server message. */
export const malformedFrame = (kind: MalformedKind): string | Uint8Array =>
  kind === 'invalid-json'
    ? '{"type":"Turn","turn_order":'
    : kind === 'no-type'
      ? '{"transcript":"a message without a type"}'
      : kind === 'not-object'
        ? '["Turn"]'
        : kind === 'binary'
          ? new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03])
          : JSON.stringify({ type: 'Oversized', padding: 'x'.repeat(1 << 20) });

/** Closes `session` with `code` (and, for 1008 and 3xxx codes by default, an `Error` frame). */
export const closeWith = (session: Session, code: number, reason?: string, errorFrame?: boolean) =>
  session.fail(
    code,
    reason ?? DEFAULT_REASONS[code] ?? `Closed by the fake server (${code})`,
    errorFrame ?? (code >= 3000 || code === 1008)
  );

/** A rule for the next session(s) to begin, or for a live one. */
function addRule(state: State, rule: Rule, { session, times = 1 }: RuleTarget) {
  if (session === undefined) state.rules.push({ value: rule, times });
  else liveSession(state, session)?.addRule(rule);
}

/** `fake.inject`. */
export function createFaultInjector(state: State): FaultInjector {
  const rule = (afterAudioMs: number, run: Rule['run'], where: RuleTarget) =>
    addRule(state, { afterAudioMs, run }, where);
  return {
    refuse: ({
      code = 1008,
      reason,
      errorFrame = true,
      handshake = false,
      status = 401,
      times = 1,
    } = {}) =>
      void state.refusals.push({
        value: {
          code,
          reason: reason ?? DEFAULT_REASONS[code] ?? `Refused by the fake server (${code})`,
          errorFrame,
          handshake,
          status,
        },
        times,
      }),
    delayBegin: (ms, times = 1) => void state.delays.push({ value: ms, times }),
    close: ({ code, reason, errorFrame, afterAudioMs = 0, ...where }) =>
      rule(afterAudioMs, (s) => closeWith(s, code, reason, errorFrame), where),
    drop: ({ afterAudioMs = 0, ...where } = {}) => rule(afterAudioMs, (s) => s.drop(), where),
    malformed: (kind, { afterAudioMs = 0, ...where } = {}) =>
      rule(afterAudioMs, (s) => s.send(malformedFrame(kind)), where),
    failTokenRequests: (count = 1, status = 500) => void (state.tokenFailures = { count, status }),
    clear: () => {
      state.refusals.length = state.delays.length = state.rules.length = 0;
      state.tokenFailures = { count: 0, status: 500 };
    },
  };
}
