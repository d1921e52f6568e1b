// SPDX-License-Identifier: MIT
// How much of a media element's audio the capture of it has taken in: the clock that transcript
// times are on (ms of audio captured), read from outside the transcriber, e.g. to time caption
// cues on the media. AudioCapture writes it at every frame of an element source.

/** The last frame captured from a media element. */
interface Reading {
  /** Where the frame ends on the capture's clock, in ms. */
  endMs: number;
  /** `performance.now()` estimate of when its last sample was captured. */
  at: number;
  frameMs: number;
}

const readings = new WeakMap<HTMLMediaElement, Reading>();

/** Records a frame captured from `media` (AudioCapture does, for element sources). */
export function recordMediaFrame(
  media: HTMLMediaElement,
  endMs: number,
  at: number,
  frameMs: number
): void {
  readings.set(media, { endMs, at, frameMs });
}

/** A new capture of `media` starts: its clock starts at 0 with its first frame. */
export function resetMediaClock(media: HTMLMediaElement): void {
  readings.delete(media);
}

/**
 * The ms of `media`'s audio captured by `now` by the current capture of it (the clock transcript
 * times are on), within a frame; `undefined` until that capture has a frame. Past the last
 * frame, it runs on by at most one frame: the next one would have come if audio still flowed.
 */
export function capturedMs(
  media: HTMLMediaElement,
  now = globalThis.performance?.now() ?? 0
): number | undefined {
  const reading = readings.get(media);
  if (!reading) return undefined;
  return reading.endMs + Math.min(Math.max(0, now - reading.at), reading.frameMs);
}

/**
 * The `performance.now()` time at which the current capture of `media` was at 0 on its clock,
 * if it has run without a pause since; `undefined` until it has a frame.
 */
export function mediaCaptureStart(media: HTMLMediaElement): number | undefined {
  const reading = readings.get(media);
  return reading && reading.at - reading.endMs;
}
