// SPDX-License-Identifier: MIT
// The rate guard: makes every browser behave like Firefox up to ESR 140, where connecting a
// MediaStream to an AudioContext of another sample rate than the stream's throws. A microphone
// (or a `captureStream()`) runs at the device rate, i.e. the rate of a default `new
// AudioContext()`; a stream of a `createMediaStreamDestination()` at its context's rate.
// Chromium and WebKit resample silently, so without the guard a library that opens a 16 kHz
// context on the microphone passes their tests and breaks in Firefox 140.
// test-support/browser/setup.ts installs it on every test page (LT_RATE_GUARD=0 turns it off).

/** Firefox 140's message for `createMediaStreamSource()` across sample rates. */
export const CROSS_RATE_MESSAGE =
  'AudioContext.createMediaStreamSource: Connecting AudioNodes from AudioContexts with different sample-rate is currently not supported.';
/** The same for `new MediaStreamAudioSourceNode()`. */
export const CROSS_RATE_CONSTRUCTOR_MESSAGE =
  'MediaStreamAudioSourceNode constructor: Connecting AudioNodes from AudioContexts with different sample-rate is currently not supported.';

const KEY = Symbol.for('live-transcript.rate-guard');
type Global = typeof globalThis & { [KEY]?: () => void };

/**
 * Installs the guard (idempotent) and returns a function that removes it. While it is on,
 * `createMediaStreamSource()` and `new MediaStreamAudioSourceNode()` throw Firefox's
 * `NotSupportedError` when the stream's rate differs from the context's.
 */
export function installRateGuard(): () => void {
  const global = globalThis as Global;
  if (global[KEY]) return global[KEY];
  const Context = AudioContext; // the real one, even if a test replaces window.AudioContext
  const proto = Context.prototype;
  const create = proto.createMediaStreamSource;
  const createDestination = proto.createMediaStreamDestination;
  const Node = globalThis.MediaStreamAudioSourceNode;
  /** Streams of `createMediaStreamDestination()` carry their context's rate. */
  const rates = new WeakMap<MediaStream, number>();
  let deviceRate: number | undefined;
  const check = (context: BaseAudioContext, stream: MediaStream | undefined, message: string) => {
    if (deviceRate === undefined) {
      const probe = new Context();
      deviceRate = probe.sampleRate;
      void probe.close();
    }
    const rate = (stream && rates.get(stream)) ?? deviceRate;
    if (context.sampleRate !== rate) throw new DOMException(message, 'NotSupportedError');
  };

  proto.createMediaStreamSource = function (this: AudioContext, stream: MediaStream) {
    check(this, stream, CROSS_RATE_MESSAGE);
    return create.call(this, stream);
  };
  proto.createMediaStreamDestination = function (this: AudioContext) {
    const node = createDestination.call(this);
    rates.set(node.stream, this.sampleRate);
    return node;
  };
  // A Proxy keeps `instanceof`, `prototype` and the name of the real constructor.
  const Guarded: typeof Node = new Proxy(Node, {
    construct(target, args: [AudioContext, MediaStreamAudioSourceOptions], newTarget): object {
      check(args[0], args[1]?.mediaStream, CROSS_RATE_CONSTRUCTOR_MESSAGE);
      return Reflect.construct(target, args, newTarget === Guarded ? target : newTarget);
    },
  });
  globalThis.MediaStreamAudioSourceNode = Guarded;

  const remove = () => {
    proto.createMediaStreamSource = create;
    proto.createMediaStreamDestination = createDestination;
    globalThis.MediaStreamAudioSourceNode = Node;
    delete global[KEY];
  };
  global[KEY] = remove;
  return remove;
}

/** Whether the guard is on. */
export const rateGuardInstalled = (): boolean => Boolean((globalThis as Global)[KEY]);
