// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * `@live-transcript/core/testing`: a protocol-faithful fake of AssemblyAI's Universal
 * Streaming (v3) server, its msw transport (`fake.handlers()`), session scripts, and synthetic
 * audio for tests. No Node-only imports: the `ws` transport is `@live-transcript/core/testing/node`.
 * `fake.handlers()` needs `msw` (an optional peer dependency) installed.
 */
export {
  createFakeStreamingServer,
  type FakeConnection,
  type FakeRequest,
  type FakeScriptOptions,
  type FakeServerEvent,
  type FakeSocket,
  type FakeStreamingServer,
  type FakeStreamingServerOptions,
  type FaultInjector,
  type FrameRecord,
  type MalformedKind,
  type SessionConfig,
  type SessionRecord,
  type TextRecord,
  type TokenRecord,
  type TokenRequestRecord,
} from './fake-server.js';
export type { FakeHandler, FakeHandlersOptions } from './msw.js';
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
