// SPDX-License-Identifier: MIT
import { LiveTranscriptError, type LiveTranscriptErrorCode } from '../errors.js';
import { MICROPHONE_DEFAULTS, microphoneConstraints } from './constraints.js';
import { mapError, microphoneError, unsupported } from './devices.js';

/**
 * Where captured audio comes from. {@link AudioCapture} calls `open()` on start (and on a source
 * switch) and connects the node it returns to the capture worklet; `close()` releases it.
 * Implement it to feed any Web Audio graph into the pipeline.
 *
 * @example
 * ```ts
 * const tone: AudioSource = {
 *   kind: 'oscillator',
 *   async open(context) {
 *     const osc = new OscillatorNode(context, { frequency: 440 });
 *     osc.start();
 *     return osc;
 *   },
 *   close() {},
 * };
 * await new AudioCapture({ source: tone }).start();
 * ```
 */
export interface AudioSource {
  /** `'microphone'`, `'stream'`, `'element'`, or a name of your own. */
  readonly kind: string;
  /** The live input track, if any: device info, `ended` and `mute` handling. */
  readonly track?: MediaStreamTrack | undefined;
  /** The media element, when capturing one: health checks skip the time it does not play. */
  readonly media?: HTMLMediaElement | undefined;
  /**
   * A context of the source's own for the capture to run in (the capture leaves it open), for
   * inputs bound to one context for good, such as a media element. Called by `start()`,
   * synchronously, inside the user gesture. Without it, the capture makes a context of its own.
   */
  audioContext?(): AudioContext;
  /** Acquires the input; resolves to the node to capture, created in `context`. */
  open(context: AudioContext): Promise<AudioNode>;
  /** Releases what `open()` acquired. Safe at any time, also while `open()` is pending. */
  close(): void;
}

/** Microphone constraints: any `MediaTrackConstraints`, and `deviceId` as a plain string. */
export type MicrophoneConstraints = MediaTrackConstraints & { deviceId?: string };

const aborted = () => new LiveTranscriptError('aborted', 'Audio capture was stopped.');

/**
 * The microphone as an {@link AudioSource}: `getUserMedia` with {@link MICROPHONE_DEFAULTS}
 * merged under `constraints`. A `deviceId` string is required `exact`ly. `opening` is a
 * `getUserMedia()` call already made with those constraints (from a user gesture), used once.
 */
export function microphoneSource(
  constraints: MicrophoneConstraints = {},
  opening?: Promise<MediaStream>
): AudioSource {
  let stream: MediaStream | undefined;
  let node: AudioNode | undefined;
  let closed = false;
  return {
    kind: 'microphone',
    get track() {
      return stream?.getAudioTracks()[0];
    },
    async open(context) {
      const devices = globalThis.navigator?.mediaDevices;
      if (!opening && !devices?.getUserMedia) throw unsupported();
      try {
        // Asked for already (in the user gesture), the first time; then anew.
        stream = await (opening ??
          devices.getUserMedia({ audio: microphoneConstraints(constraints) }));
        opening = undefined;
      } catch (error) {
        throw microphoneError(error);
      }
      if (closed) {
        // close() came while the permission prompt was open: release the late stream at once.
        for (const track of stream.getTracks()) track.stop();
        throw aborted();
      }
      return (node = context.createMediaStreamSource(stream));
    },
    close() {
      closed = true;
      node?.disconnect();
      for (const track of stream?.getTracks() ?? []) track.stop();
    },
  };
}

/** `stream`'s audio as a node of `context`; without audio, `microphone-not-found` with `message`. */
function streamNode(context: AudioContext, stream: MediaStream, message: string): AudioNode {
  if (!stream.getAudioTracks().length)
    throw new LiveTranscriptError('microphone-not-found', message);
  return context.createMediaStreamSource(stream);
}

/**
 * A `MediaStream` (a WebRTC call, `getDisplayMedia()` audio, another library's microphone) as
 * an {@link AudioSource}. Its tracks stay the caller's: `close()` does not stop them.
 */
export function streamSource(stream: MediaStream): AudioSource {
  let node: AudioNode | undefined;
  return {
    kind: 'stream',
    get track() {
      return stream.getAudioTracks()[0];
    },
    async open(context) {
      return (node = streamNode(context, stream, 'The MediaStream has no audio track.'));
    },
    close() {
      node?.disconnect();
    },
  };
}

/**
 * What `getDisplayMedia()` is asked for besides audio: the least video browsers allow (a video
 * track is required; the values are ideals, which WebKit needs where Chromium also takes maxima),
 * preferring a tab, whose audio Chromium can share.
 */
const LEAST_VIDEO = { width: 1, height: 1, frameRate: 1, displaySurface: 'browser' };

const DISPLAY_UNSUPPORTED =
  'This browser cannot capture the audio of a tab or screen: use Chrome or Edge on a desktop computer (Firefox and Safari share no audio).';

const DISPLAY_NOT_READABLE: [LiveTranscriptErrorCode, string] = [
  'microphone-busy',
  'The tab or screen could not be captured: close other apps that record the screen, or check the system privacy settings for screen recording.',
];
const DISPLAY_ERRORS: Record<string, [LiveTranscriptErrorCode, string]> = {
  NotAllowedError: [
    'microphone-denied',
    'Sharing was cancelled or blocked: to caption a tab, share it and tick "Share tab audio".',
  ],
  NotFoundError: ['microphone-not-found', 'Nothing to share was found: open the tab to caption.'],
  NotReadableError: DISPLAY_NOT_READABLE,
  AbortError: DISPLAY_NOT_READABLE,
  InvalidStateError: [
    'audio-context-blocked',
    'Sharing a tab needs a user gesture: call start() from a click or key handler.',
  ],
};

const displayUnsupported = (cause?: unknown) =>
  new LiveTranscriptError('microphone-unsupported', DISPLAY_UNSUPPORTED, { cause });

/** Options of {@link displaySource}. */
export interface DisplaySourceOptions {
  /** Audio constraints, over browser processing off (as for the microphone). */
  audio?: MediaTrackConstraints;
}

/**
 * The audio of a tab or screen the user shares (`getDisplayMedia()`) as an
 * {@link AudioSource}: what `source: 'display'` captures. It asks for the least video the
 * browser allows and stops the video track at once. Chrome and Edge share a tab's audio when
 * "Share tab audio" is ticked (and the whole system's audio when sharing a screen on Windows and
 * ChromeOS); Firefox and Safari share no audio.
 *
 * `open()` must run inside a user gesture, as `AudioCapture.start()` does when it is called
 * from a click.
 *
 * @throws {LiveTranscriptError} from `open()`: `microphone-not-found` when the share has no
 *   audio (the "Share tab audio" box left unticked, or a browser without tab audio),
 *   `microphone-denied` when the user cancels, `microphone-unsupported` without
 *   `getDisplayMedia`, `audio-context-blocked` outside a user gesture.
 */
export function displaySource(options: DisplaySourceOptions = {}): AudioSource {
  let stream: MediaStream | undefined;
  let node: AudioNode | undefined;
  let closed = false;
  const release = () => {
    for (const track of stream?.getTracks() ?? []) track.stop();
  };
  return {
    kind: 'display',
    get track() {
      return stream?.getAudioTracks()[0];
    },
    async open(context) {
      const devices = globalThis.navigator?.mediaDevices;
      if (!devices?.getDisplayMedia) throw displayUnsupported();
      const { channelCount: _, ...processing } = MICROPHONE_DEFAULTS;
      const request = {
        audio: { ...processing, suppressLocalAudioPlayback: false, ...options.audio },
        video: LEAST_VIDEO,
        systemAudio: 'include',
        surfaceSwitching: 'include',
      };
      try {
        stream = await devices.getDisplayMedia(request as DisplayMediaStreamOptions);
      } catch (error) {
        throw mapError(error, DISPLAY_ERRORS, displayUnsupported);
      }
      for (const track of stream.getVideoTracks()) {
        track.stop();
        stream.removeTrack(track);
      }
      if (closed) {
        release();
        throw aborted();
      }
      return (node = streamNode(
        context,
        stream,
        'The shared tab or screen has no audio: share it again and tick "Share tab audio" (Chrome and Edge; Firefox and Safari share no audio).'
      ));
    },
    close() {
      closed = true;
      node?.disconnect();
      release();
    },
  };
}

/**
 * The origin of a media element's resource when Web Audio only gets silence from it: another
 * origin, loaded without CORS (no `crossorigin` attribute). `undefined` for same-origin, `data:`
 * and `blob:` URLs, a `srcObject`, and CORS requests (those load with CORS or not at all).
 */
export function opaqueMediaOrigin(element: HTMLMediaElement): string | undefined {
  if (element.crossOrigin !== null || element.srcObject) return undefined;
  const src =
    element.currentSrc || element.src || element.querySelector('source[src]')?.getAttribute('src');
  if (!src) return undefined;
  let url: URL;
  try {
    url = new URL(src, element.baseURI);
  } catch {
    return undefined;
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:') return undefined;
  return url.origin === globalThis.location?.origin ? undefined : url.origin;
}

/**
 * An element's audio, routed through an AudioContext of its own for the rest of its life: Web
 * Audio takes an element's output once (`createMediaElementSource` works once per element), so
 * the element plays on through this context after a capture ends, and every capture of it runs
 * in this context (or, after a source switch, reads `output` in another).
 */
interface MediaTap {
  context: AudioContext;
  node: MediaElementAudioSourceNode;
  output: MediaStreamAudioDestinationNode;
  /** Captures that asked not to hear the element (`monitor: false`). */
  muted: number;
  /** Captures running. */
  captures: number;
}

const taps = new WeakMap<HTMLMediaElement, MediaTap>();

/** Suspends an element's context while nothing needs it (it is paused and not captured). */
function rest(tap: MediaTap, element: HTMLMediaElement): void {
  if (!tap.captures && element.paused) void tap.context.suspend().catch(() => {});
}

function tapOf(element: HTMLMediaElement): MediaTap {
  const tap = taps.get(element);
  if (tap) return tap;
  const context = new AudioContext();
  let node: MediaElementAudioSourceNode;
  try {
    node = context.createMediaElementSource(element);
  } catch (error) {
    void context.close();
    throw new LiveTranscriptError(
      'invalid-option',
      'This media element already feeds an AudioContext of your own: capture a MediaStream from that graph (createMediaStreamDestination()) instead.',
      { cause: error }
    );
  }
  const output = context.createMediaStreamDestination();
  node.connect(output);
  node.connect(context.destination);
  const media: MediaTap = { context, node, output, muted: 0, captures: 0 };
  // The context runs while the element plays or is captured, and rests otherwise.
  element.addEventListener('play', () => void context.resume().catch(() => {}));
  element.addEventListener('pause', () => rest(media, element));
  taps.set(element, media);
  return media;
}

/**
 * An `<audio>` or `<video>` element as an {@link AudioSource}. The element stays audible (unless
 * `monitor` is false: then it is silent while captured) and can be captured again later: from
 * the first capture on it plays through an AudioContext of its own, in which captures run,
 * since Web Audio takes an element's output once in its life. That context rests while the
 * element is paused and not captured, and runs again when it plays.
 *
 * @throws {LiveTranscriptError} `invalid-option` (from `audioContext()` and `open()`) for a media
 *   from another origin without CORS (browsers give its audio to scripts as silence), or an
 *   element that already feeds an AudioContext of the page's own.
 */
export function elementSource(
  element: HTMLMediaElement,
  { monitor = true }: { monitor?: boolean } = {}
): AudioSource {
  let node: AudioNode | undefined;
  let tap: MediaTap | undefined;
  const open = () => {
    const origin = opaqueMediaOrigin(element);
    if (origin) {
      throw new LiveTranscriptError(
        'invalid-option',
        `The media comes from ${origin} without CORS, so the browser gives its audio to scripts as silence: serve it with an Access-Control-Allow-Origin header and set crossorigin="anonymous" on the element (before its src).`
      );
    }
    const media = tapOf(element);
    void media.context.resume().catch(() => {});
    return media;
  };
  return {
    kind: 'element',
    media: element,
    audioContext: () => open().context,
    async open(context) {
      tap = open();
      tap.captures += 1;
      if (!monitor && tap.muted++ === 0) tap.node.disconnect(tap.context.destination);
      if (context !== tap.context) {
        // Another context (a switch from another source): through a stream.
        return (node = context.createMediaStreamSource(tap.output.stream));
      }
      // A branch of our own, which the capture may disconnect without silencing the element.
      node = new GainNode(context);
      tap.node.connect(node);
      return node;
    },
    close() {
      if (node && tap && node.context === tap.context) tap.node.disconnect(node);
      node?.disconnect();
      node = undefined;
      if (tap && !monitor && --tap.muted === 0) tap.node.connect(tap.context.destination);
      if (tap) {
        tap.captures -= 1;
        rest(tap, element);
      }
      tap = undefined;
    },
  };
}
