// SPDX-License-Identifier: MIT
// Native captions for a media element that a LiveTranscriber transcribes: a TextTrack of kind
// `captions` on the element, with a VTTCue per caption of every final turn, timed on the media's
// own timeline, and the transcriber following the media's play, pause, seek and end. Uses only
// the transcriber's public API.
import type { LiveTranscriber, TranscriberState } from '../transcriber/live-transcriber.js';
import type { TranscriptTurn } from '../transcript/transcript.js';
import { escapeCueText, turnCues } from '../transcript/captions.js';
import { capturedMs, mediaCaptureStart } from '../audio/media-clock.js';
import { MediaTimeline, RunningClock } from './timeline.js';

/** What {@link captionTrack} uses of a transcriber (a `LiveTranscriber` has it all). */
export type CaptionTrackTranscriber = Pick<
  LiveTranscriber,
  'state' | 'start' | 'stop' | 'pause' | 'resume' | 'forceEndpoint' | 'addEventListener'
>;

/** Options of {@link captionTrack}. */
export interface CaptionTrackOptions {
  /** The track's name in the browser's caption menu. Default `'Live captions'`. */
  label?: string;
  /** The captions' language (BCP 47, e.g. `'en'`). Default `''` (unknown). */
  language?: string;
  /**
   * Without `language`: take the language of the first final turn (`turn.language`, which the
   * transcriber's `languageDetection` gives). A track's language is fixed when it is added, so
   * the track is added then (in `track` from then on); until then nothing is shown. Default
   * false.
   */
  detectLanguage?: boolean;
  /** Show the turn in progress as a cue, replaced when the turn ends. Default true. */
  partials?: boolean;
  /**
   * The transcriber follows the media (default true): pause pauses it (KeepAlive keeps the
   * session), play resumes it, a seek ends the current turn, the end stops it (and playing again
   * after the end starts it again).
   */
  follow?: boolean;
  /** `play` also starts an idle transcriber (the media's play button is the user gesture). Default false. */
  startOnPlay?: boolean;
}

/**
 * The handle {@link captionTrack} returns. `T` is `TextTrack | undefined` with `detectLanguage`
 * (no track until the language is known).
 */
export interface CaptionTrack<T extends TextTrack | undefined = TextTrack> {
  /** The `TextTrack` (kind `captions`) on the media. */
  readonly track: T;
  /**
   * Stops following the media and the transcriber. The cues stay, the track is disabled (a
   * media's text tracks cannot be removed); calling {@link captionTrack} again with the same
   * label and language shows it again.
   */
  dispose(): void;
}

/** States in which the transcriber captures audio (its clock runs unless paused). */
const CAPTURING: ReadonlySet<TranscriberState> = new Set([
  'connecting',
  'listening',
  'reconnecting',
]);
/** A partial cue is shown this long past the media's current time, until the next update. */
const PARTIAL_HOLD_S = 3;
/** `HTMLMediaElement.HAVE_FUTURE_DATA`. */
const HAVE_FUTURE_DATA = 3;
/** At the media's end, the capture gets this long at most to take in its last audio. */
const DRAIN_MS = 2000;

/** The tracks this module added, to reuse instead of adding one more each time. */
const ours = new WeakSet<TextTrack>();

/**
 * Writes live captions into the media's own caption track, where people look at captions: on
 * the video, styled by the user's caption settings, shown in fullscreen. Each final turn becomes
 * one or more `VTTCue`s (at most 7 s and 80 characters each) timed on the media's timeline; the
 * turn in progress is a cue that is replaced when the turn ends. The transcriber follows the
 * media (see {@link CaptionTrackOptions.follow}).
 *
 * Give the transcriber the media as its `source` and call this before `start()`: cue times then
 * come from the capture's own clock, exact to a frame. With another source (a MediaStream of
 * the media, say), they are estimated from the transcriber's state changes and can lead the
 * media by the time the capture takes to start.
 *
 * @example
 * ```ts
 * const video = document.querySelector('video')!;
 * const transcriber = new LiveTranscriber({ tokenUrl: '/api/assemblyai-token', source: video });
 * const captions = captionTrack(transcriber, video, { language: 'en', startOnPlay: true });
 * // later
 * captions.dispose();
 * ```
 */
export function captionTrack(
  transcriber: CaptionTrackTranscriber,
  media: HTMLMediaElement,
  options?: CaptionTrackOptions & { detectLanguage?: false }
): CaptionTrack;
export function captionTrack(
  transcriber: CaptionTrackTranscriber,
  media: HTMLMediaElement,
  options: CaptionTrackOptions
): CaptionTrack<TextTrack | undefined>;
export function captionTrack(
  transcriber: CaptionTrackTranscriber,
  media: HTMLMediaElement,
  options: CaptionTrackOptions = {}
): CaptionTrack<TextTrack | undefined> {
  const {
    label = 'Live captions',
    language,
    detectLanguage = false,
    partials = true,
    follow = true,
    startOnPlay = false,
  } = options;
  /** Each turn's final cues; those of an earlier call on the same track under ''. */
  const finals = new Map<string, VTTCue[]>();
  let textTrack: TextTrack | undefined;
  /** The track in `language`: ours from an earlier call, or a new one. */
  const addTrack = (language: string) => {
    let track = Array.from(media.textTracks).find(
      (t) => ours.has(t) && t.label === label && t.language === language
    );
    if (!track) {
      track = media.addTextTrack('captions', label, language);
      ours.add(track);
    }
    track.mode = 'showing';
    finals.set('', Array.from(track.cues ?? []) as VTTCue[]);
    return (textTrack = track);
  };
  if (language !== undefined || !detectLanguage) addTrack(language ?? '');

  const timeline = new MediaTimeline();
  const clock = new RunningClock();
  const partialCues = new Map<string, VTTCue>();
  const controller = new AbortController();
  const { signal } = controller;
  /** The transcriber is paused (by us or its owner): its clock stands. */
  let held = false;
  /** We stopped it at the media's end: playing again starts it again. */
  let stoppedAtEnd = false;
  /** The media jumped while the transcriber was paused: end the turn again when it resumes. */
  let seekedWhileHeld = false;
  /** We are resuming the transcriber (the media plays): the `play` handler anchors. */
  let resuming = false;
  /**
   * Where the media stood when it last stood still (paused, seeked, stalled): where it plays on
   * from. While it plays, its `currentTime` may run ahead of the audio it gives (WebKitGTK's
   * runs up to a second ahead), so the position while playing comes from the audio captured.
   */
  let still = media.currentTime;
  /** The media stalled (`waiting`): `playing` says it plays on. */
  let stalled = false;
  /**
   * When the run began (`performance.now()`), while the anchors of this run are on `clock`'s
   * estimate and the capture's own clock can still set them right (see `settle`).
   */
  let estimatedSince: number | undefined;

  const moving = () => !media.paused && !media.seeking && media.readyState >= HAVE_FUTURE_DATA;
  /**
   * Anchors made before the capture's first frame are on an estimate that puts the capture's
   * start at the run's start: once the capture's clock can be read, they move to its true start.
   */
  const settle = () => {
    const began = estimatedSince === undefined ? undefined : mediaCaptureStart(media);
    if (began === undefined) return;
    timeline.shift(estimatedSince! - began);
    estimatedSince = undefined;
  };
  /**
   * The transcript's clock now: the capture's own when the transcriber captures this element
   * (exact to a frame), else an estimate from the transcriber's states.
   */
  const now = () => {
    settle();
    return capturedMs(media) ?? clock.ms;
  };
  /** Where the media is now: where the audio captured puts it, or its own word. */
  const position = () => timeline.toMedia(now()) ?? media.currentTime;
  /** Records that the media is at `m` now, and whether it moves on from there. */
  const anchor = (m: number, moves = moving()) =>
    timeline.anchor(now(), m, media.playbackRate, moves);
  /** Runs the clock exactly while the transcriber captures. */
  const sync = () => {
    if (CAPTURING.has(transcriber.state) && !held) clock.run();
    else clock.hold();
  };
  const pause = () => {
    // (Paused before its first frame: the estimate is no longer a fixed offset from the truth.)
    estimatedSince = undefined;
    held = true;
    transcriber.pause();
    sync();
  };
  /** Media times of a transcript span (the current time while no anchor is known). */
  const span = (from: number, to: number) =>
    timeline.toMediaSpan(from, to) ?? [media.currentTime, media.currentTime];
  /** A turn's cues; never one across a seek. */
  const cuesOf = (turn: TranscriptTurn) =>
    turnCues(turn, (a, b) => timeline.epoch(a.start) !== timeline.epoch(b.start));

  const removeCue = (cue: VTTCue) => {
    try {
      textTrack?.removeCue(cue);
    } catch {
      // Already gone.
    }
  };
  const dropPartial = (id: string) => {
    const cue = partialCues.get(id);
    if (cue) removeCue(cue);
    partialCues.delete(id);
  };

  const showPartial = (turn: TranscriptTurn) => {
    if (!textTrack) return; // the language is not known yet
    const last = cuesOf(turn).at(-1);
    if (!last?.text) return dropPartial(turn.id);
    const [start, until] = span(last.start, last.end);
    const end = Math.max(until, media.currentTime) + PARTIAL_HOLD_S;
    const text = escapeCueText(last.text);
    const cue = partialCues.get(turn.id);
    if (cue && cue.text === text && cue.startTime === start) {
      cue.endTime = end;
      return;
    }
    if (cue) removeCue(cue);
    const next = new VTTCue(start, end, text);
    next.id = `${turn.id}:partial`;
    textTrack.addCue(next);
    partialCues.set(turn.id, next);
  };

  const showFinal = (turn: TranscriptTurn) => {
    const track = textTrack ?? addTrack(turn.language ?? '');
    dropPartial(turn.id);
    for (const cue of finals.get(turn.id) ?? []) removeCue(cue);
    const cues = cuesOf(turn)
      .filter((c) => c.text)
      .map((c, i) => {
        const [start, end] = span(c.start, c.end);
        const cue = new VTTCue(start, Math.max(end, start + 0.1), escapeCueText(c.text));
        cue.id = `${turn.id}:${i}`;
        return cue;
      });
    // Seen before (the media went back): the new captions replace those of the same moments.
    for (const [id, old] of finals) {
      const replaced = old.filter((o) =>
        cues.some((c) => {
          const middle = (o.startTime + o.endTime) / 2;
          return middle >= c.startTime && middle < c.endTime;
        })
      );
      if (!replaced.length) continue;
      for (const cue of replaced) removeCue(cue);
      const kept = old.filter((o) => !replaced.includes(o));
      if (kept.length) finals.set(id, kept);
      else finals.delete(id);
    }
    for (const cue of cues) track.addCue(cue);
    finals.set(turn.id, cues);
  };

  const listen = (type: string, listener: () => void) =>
    media.addEventListener(type, listener, { signal });

  transcriber.addEventListener(
    'state-change',
    ({ detail: { state, previous, reason } }) => {
      if (state === 'connecting' && (previous === 'idle' || previous === 'error')) {
        // A new run: a new capture, whose clock starts at 0 (when its first frame comes).
        stoppedAtEnd = false;
        held = false;
        clock.reset();
        timeline.reset();
        clock.run();
        estimatedSince = performance.now();
        const playing = !media.paused;
        if (!playing) still = media.currentTime;
        anchor(still, playing);
        if (follow && !playing) pause();
      } else if (state === 'paused') {
        estimatedSince = undefined;
        held = true;
      } else if (state === 'listening' && reason === 'resume') {
        held = false;
      }
      if (state === 'idle' || state === 'error') {
        for (const id of [...partialCues.keys()]) dropPartial(id);
      }
      const was = clock.running;
      sync();
      // Resumed by its owner while the media plays: audio flows from where the media is.
      if (clock.running && !was && state !== 'connecting' && !resuming) {
        anchor(media.currentTime);
      }
    },
    { signal }
  );
  transcriber.addEventListener(
    'turn',
    ({ detail: { turn } }) => {
      settle();
      if (finals.has(turn.id)) showFinal(turn);
      else if (partials) showPartial(turn);
    },
    { signal }
  );
  transcriber.addEventListener(
    'final',
    ({ detail: { turn } }) => {
      settle();
      showFinal(turn);
    },
    { signal }
  );

  // Where the transcript's clock meets the media's timeline, at every change of pace.
  listen('play', () => {
    if (follow) {
      const idle = transcriber.state === 'idle' || transcriber.state === 'error';
      if (idle && (startOnPlay || stoppedAtEnd)) {
        // (The new run anchors itself; failures are the transcriber's `error` events.)
        return void transcriber.start().catch(() => {});
      }
      if (held) {
        held = false;
        resuming = true;
        transcriber.resume();
        resuming = false;
        // Audio captured just before the pause reaches the session on resume: end its turn
        // there, before the audio from after the seek.
        if (seekedWhileHeld) transcriber.forceEndpoint();
        sync();
      }
    }
    seekedWhileHeld = false;
    anchor(still, true);
  });
  listen('playing', () => {
    if (stalled) anchor(still, true);
    stalled = false;
  });
  listen('waiting', () => {
    stalled = true;
    anchor((still = position()), false);
  });
  listen('pause', () => {
    still = media.currentTime;
    if (media.ended) return; // `ended` follows
    if (follow && CAPTURING.has(transcriber.state)) pause();
    anchor(still, false);
  });
  listen('seeking', () => {
    if (follow) transcriber.forceEndpoint();
    if (held) seekedWhileHeld = true;
    anchor((still = media.currentTime), false);
  });
  listen('seeked', () => anchor((still = media.currentTime)));
  listen('ratechange', () => anchor(position()));
  listen('ended', () => {
    still = media.currentTime;
    if (!follow || transcriber.state === 'idle' || transcriber.state === 'error') return;
    stoppedAtEnd = true;
    // Stop once the capture has taken in the media's last audio (it can lag the media's own
    // clock), or after a while.
    const end = timeline.toTranscript(media.duration);
    const until = performance.now() + DRAIN_MS;
    const drain = () => {
      if (signal.aborted) return;
      if (!media.ended) return void (stoppedAtEnd = false); // played again meanwhile
      const captured = capturedMs(media);
      const done = captured === undefined || end === undefined || captured >= end;
      if (done || performance.now() >= until) void transcriber.stop();
      else setTimeout(drain, 50);
    };
    drain();
  });

  return {
    get track() {
      return textTrack;
    },
    dispose() {
      controller.abort();
      for (const id of [...partialCues.keys()]) dropPartial(id);
      if (textTrack) textTrack.mode = 'disabled';
    },
  };
}
