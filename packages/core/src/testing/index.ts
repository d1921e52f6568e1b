// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * `@live-transcript/core/testing`: a protocol-faithful fake of AssemblyAI's Universal
 * Streaming (v3) server, session scripts, and synthetic audio for tests. It imports neither msw
 * nor Node modules: its transports are `handlers(fake)` from `@live-transcript/core/testing/msw`
 * (needs `msw`, an optional peer) and `listen(fake)` from `@live-transcript/core/testing/node`
 * (needs `ws`, an optional peer).
 */
export { createFakeStreamingServer } from './fake-server.js';
export type {
  FakeConnection,
  FakeRequest,
  FakeScriptOptions,
  FakeServerEvent,
  FakeSocket,
  FakeStreamingServer,
  FakeStreamingServerOptions,
  FaultInjector,
  FrameRecord,
  MalformedKind,
  SessionConfig,
  SessionRecord,
  TextRecord,
  TokenRecord,
  TokenRequestRecord,
} from './fake-types.js';
export { parseSessionScript, type ScriptMessage, type SessionScriptLine } from './script.js';
export type { GeneratorOptions } from './generator.js';
export { createVirtualClock, systemClock, type FakeClock, type VirtualClock } from './clock.js';
export {
  concatPcm16,
  decodeWav,
  floatToPcm16,
  pcm16Silence,
  pcm16Tone,
  sendPaced,
  splitFrames,
  type DecodedWav,
  type SendPacedOptions,
} from './audio.js';
