// SPDX-License-Identifier: MIT
// MediaTimeline and RunningClock: transcript times placed on a media element's timeline across
// plays, pauses, seeks, stalls and rate changes, with a clock driven by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MediaTimeline, RunningClock } from '../../src/media/timeline.js';

const close = (actual: number | undefined, expected: number) =>
  assert.ok(Math.abs(actual! - expected) < 1e-9, `${actual} != ${expected}`);

describe('MediaTimeline', () => {
  it('knows nothing before its first anchor', () => {
    assert.equal(new MediaTimeline().toMedia(1000), undefined);
    assert.equal(new MediaTimeline().empty, true);
  });

  it('follows a media that plays, pauses, plays on, seeks back and stalls', () => {
    const timeline = new MediaTimeline();
    timeline.anchor(0, 12, 1, true); // audio flows from 12 s into the media
    close(timeline.toMedia(1500), 13.5);
    timeline.anchor(4000, 16, 1, false); // paused at 16 s: the transcriber's clock stands too
    timeline.anchor(4000, 16, 1, true); // played on (same clock time: replaces the pause)
    close(timeline.toMedia(5000), 17);
    timeline.anchor(6000, 18, 1, false); // seeking back to 3 s: the clock runs on silence
    timeline.anchor(6200, 3, 1, true); // seeked, playing
    close(timeline.toMedia(6100), 18); // the seek's silence stays at the old place
    close(timeline.toMedia(7200), 4);
    close(timeline.toMedia(5500), 17.5); // words before the seek keep their old times
    timeline.anchor(8000, 4.8, 1, false); // stalled (waiting) at 4.8 s
    timeline.anchor(9000, 4.8, 1, true); // playing again after 1 s of stall
    close(timeline.toMedia(8500), 4.8);
    close(timeline.toMedia(9500), 5.3);
    // The seek is a jump: what lies on either side of it is never one cue.
    assert.deepEqual(
      [0, 4500, 6000, 6100, 6200, 8500, 9500].map((t) => timeline.epoch(t)),
      [0, 0, 0, 0, 1, 1, 1]
    );
    // A span cut by the seek ends where the media jumped; others map end to end.
    assert.deepEqual(timeline.toMediaSpan(5500, 7200), [17.5, 18]);
    assert.deepEqual(timeline.toMediaSpan(6300, 9500), [3.1, 5.3]);
  });

  it('scales by the playback rate, and maps audio from before the first anchor backwards', () => {
    const timeline = new MediaTimeline();
    timeline.anchor(1000, 10, 2, true);
    close(timeline.toMedia(2000), 12);
    close(timeline.toMedia(500), 9);
    close(timeline.toMedia(-100_000), 0);
    close(timeline.toTranscript(14), 3000);
    timeline.anchor(3000, 14, 2, false);
    assert.equal(timeline.toTranscript(20), undefined, 'paused: never gets there');
  });

  it('starts over at an earlier clock time (a new run) and on reset()', () => {
    const timeline = new MediaTimeline();
    timeline.anchor(5000, 50, 1, true);
    timeline.anchor(0, 2, 1, true);
    close(timeline.toMedia(5000), 7);
    timeline.reset();
    assert.equal(timeline.toMedia(0), undefined);
    // Anchors made on an estimated clock move once the true origin is known.
    timeline.anchor(0, 4, 1, true);
    timeline.shift(-300); // the capture began 0.3 s after the estimate said
    close(timeline.toMedia(0), 4.3);
  });
});

describe('RunningClock', () => {
  it('counts the time it runs, not the time it is held', () => {
    let now = 100;
    const clock = new RunningClock(() => now);
    assert.equal(clock.ms, 0);
    clock.run();
    now += 1000;
    assert.equal(clock.ms, 1000);
    clock.hold();
    now += 5000;
    assert.equal(clock.ms, 1000);
    assert.equal(clock.running, false);
    clock.run();
    clock.run(); // running already: no restart
    now += 250;
    assert.equal(clock.ms, 1250);
    clock.reset();
    assert.equal(clock.ms, 0);
    assert.equal(clock.running, false);
  });
});
