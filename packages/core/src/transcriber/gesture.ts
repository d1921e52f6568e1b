// SPDX-License-Identifier: MIT
// What only a user gesture allows, done at once in the click that starts captions, before any
// chunk has loaded: an AudioContext, created and resumed, and the microphone, asked for.
import type { CapturePrepared } from '../audio/capture.js';
import { microphoneConstraints } from '../audio/constraints.js';
import type { TranscriberOptions } from '../options.js';

/** The AudioContext and (for the microphone source) the getUserMedia() call of a start. */
export function prepareCapture(options: TranscriberOptions): CapturePrepared {
  let context: AudioContext | undefined;
  if (globalThis.AudioWorkletNode) {
    try {
      context = new AudioContext();
      context.resume().catch(() => undefined);
    } catch {
      // The capture reports what is missing.
    }
  }
  const { source = 'microphone', microphone, deviceId } = options;
  const devices = globalThis.navigator?.mediaDevices;
  let stream: Promise<MediaStream> | undefined;
  if (source === 'microphone' && devices?.getUserMedia) {
    stream = devices.getUserMedia({
      audio: microphoneConstraints(deviceId ? { ...microphone, deviceId } : microphone),
    });
    stream.catch(() => undefined); // the capture reports it
  }
  return { context, microphone: stream };
}

/** Releases what {@link prepareCapture} opened, for a start that ended before the capture took it. */
export async function releaseCapture({ context, microphone }: CapturePrepared): Promise<void> {
  void context?.close().catch(() => undefined);
  const stream = await microphone?.catch(() => undefined);
  for (const track of stream?.getTracks() ?? []) track.stop();
}
