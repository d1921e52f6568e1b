// SPDX-License-Identifier: MIT
import { LiveTranscriptError, type LiveTranscriptErrorCode } from '../errors.js';
import { microphoneConstraints } from './constraints.js';

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
  /** Acquires the input; resolves to the node to capture, created in `context`. */
  open(context: AudioContext): Promise<AudioNode>;
  /** Releases what `open()` acquired. Safe at any time, also while `open()` is pending. */
  close(): void;
}

/** Microphone constraints: any `MediaTrackConstraints`, and `deviceId` as a plain string. */
export type MicrophoneConstraints = MediaTrackConstraints & { deviceId?: string };

const aborted = () => new LiveTranscriptError('aborted', 'Audio capture was stopped.');

/** `microphone-unsupported`: no getUserMedia (old browser, or not https). */
export const unsupported = (cause?: unknown): LiveTranscriptError =>
  new LiveTranscriptError(
    'microphone-unsupported',
    'Microphone capture needs https and a browser with getUserMedia.',
    { cause }
  );

const DENIED: [LiveTranscriptErrorCode, string] = [
  'microphone-denied',
  'Microphone access was denied: allow it for this site and try again.',
];
const NOT_FOUND: [LiveTranscriptErrorCode, string] = [
  'microphone-not-found',
  'No microphone found (or not the one requested): connect one or pick another.',
];
const BUSY: [LiveTranscriptErrorCode, string] = [
  'microphone-busy',
  'The microphone is busy or blocked: close other apps using it, or check the system privacy settings.',
];
const MICROPHONE_ERRORS: Record<string, [LiveTranscriptErrorCode, string]> = {
  NotAllowedError: DENIED,
  SecurityError: DENIED,
  NotFoundError: NOT_FOUND,
  OverconstrainedError: NOT_FOUND,
  NotReadableError: BUSY,
  AbortError: BUSY,
};

/** Maps a `getUserMedia` failure (a `DOMException`) to a {@link LiveTranscriptError}. */
export function microphoneError(error: unknown): LiveTranscriptError {
  const known = MICROPHONE_ERRORS[(error as { name?: string } | null)?.name ?? ''];
  return known ? new LiveTranscriptError(known[0], known[1], { cause: error }) : unsupported(error);
}

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
      if (!stream.getAudioTracks().length) {
        throw new LiveTranscriptError(
          'microphone-not-found',
          'The MediaStream has no audio track.'
        );
      }
      return (node = context.createMediaStreamSource(stream));
    },
    close() {
      node?.disconnect();
    },
  };
}

/**
 * An `<audio>` or `<video>` element as an {@link AudioSource}. The element keeps playing to the
 * speakers through the capture's context unless `monitor` is false. Web Audio lets an element
 * feed one `AudioContext` in its lifetime, and the element is silent once that context closes:
 * to capture the same element again, pass `element.captureStream()` as a MediaStream instead.
 * Cross-origin media without CORS headers (and `crossorigin`) is captured as silence.
 */
export function elementSource(
  element: HTMLMediaElement,
  { monitor = true }: { monitor?: boolean } = {}
): AudioSource {
  let node: AudioNode | undefined;
  return {
    kind: 'element',
    async open(context) {
      try {
        node = context.createMediaElementSource(element);
      } catch (error) {
        throw new LiveTranscriptError(
          'invalid-option',
          'This media element already feeds an AudioContext: pass element.captureStream() instead.',
          { cause: error }
        );
      }
      if (monitor) node.connect(context.destination);
      return node;
    },
    close() {
      node?.disconnect();
    },
  };
}
