// SPDX-License-Identifier: MIT
// FrameBuffer: the audio a transcriber keeps while no session takes it, and what it re-sends
// after a drop. The last case is how the fault matrix lost a word in WebKit under CPU load
// (transcriber-faults.test.ts): a page far behind real time has more audio queued at a drop than
// the outage buffer holds, and the oldest, the sentence the drop cut off, goes first (with an
// `audio-dropped` warning): a bounded buffer has to drop something.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AudioFrame } from '../../src/audio/capture.js';
import { FrameBuffer } from '../../src/transcriber/frame-buffer.js';

const FRAME_MS = 50;
const RATE = 16000;
const SAMPLES = (FRAME_MS * RATE) / 1000;

/** Frame `seq` of a capture; `sound` frames peak at -6 dBFS, the others are silence. */
const frame = (seq: number, sound = true): AudioFrame => ({
  data: new ArrayBuffer(SAMPLES * 2),
  seq,
  sampleOffset: seq * SAMPLES,
  rms: sound ? -12 : -90,
  peak: sound ? -6 : -90,
  clipped: 0,
  capturedAt: seq * FRAME_MS,
});
const seqs = (frames: AudioFrame[]) => frames.map((f) => f.seq);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('FrameBuffer', () => {
  it('holds frames up to a limit, dropping the oldest, and hands them over once', () => {
    const buffer = new FrameBuffer(FRAME_MS, RATE);
    const dropped = range(0, 50).map((seq) => buffer.hold(frame(seq), 2000));
    assert.equal(dropped.filter(Boolean).length, 10, 'beyond 40 frames (2 s), one a frame');
    assert.ok(dropped.slice(40).every((ms) => ms === FRAME_MS));
    assert.deepEqual(seqs(buffer.take()), range(10, 50));
    assert.equal(buffer.waiting, 0);
  });

  it('after a drop, re-sends from the end of the last final word, before the frames waiting', () => {
    const buffer = new FrameBuffer(FRAME_MS, RATE);
    for (const seq of range(0, 40)) buffer.remember(frame(seq, seq >= 10), 10_000);
    // Sent up to frame 39; the last final word ended at 1000 ms (frame 20); 5 frames never left
    // the socket's queue.
    buffer.hold(frame(40), 10_000);
    buffer.replay(1000, 5);
    assert.deepEqual(seqs(buffer.take()), range(20, 41));
  });

  it('leaves out the silence the server heard before the next word, not the silence unsent', () => {
    const buffer = new FrameBuffer(FRAME_MS, RATE);
    // Frames 20-24 are silent and were heard; 25-29 are speech.
    for (const seq of range(0, 30)) buffer.remember(frame(seq, seq < 20 || seq >= 25), 10_000);
    buffer.replay(1000, 0);
    assert.deepEqual(seqs(buffer.take()), range(25, 30));
    for (const seq of range(0, 30)) buffer.remember(frame(seq, seq < 20 || seq >= 25), 10_000);
    buffer.replay(1000, 10); // the last 10 never left: they go as they are
    assert.deepEqual(seqs(buffer.take()), range(20, 30));
  });

  it('drops the re-sent words first when the audio queued at a drop exceeds the outage buffer', () => {
    const buffer = new FrameBuffer(FRAME_MS, RATE);
    // A page 8 s behind real time: 10 s of speech went to the session, only the first 2 s
    // (40 frames) left the socket's queue, and the server's last final word ended at 1500 ms
    // (frame 30).
    for (const seq of range(0, 200)) buffer.remember(frame(seq), 10_000);
    buffer.replay(1500, 160);
    // The outage (2 s): beyond 10 s of audio, every new frame pushes out the oldest.
    let dropped = 0;
    for (const seq of range(200, 240)) dropped += buffer.hold(frame(seq), 10_000);
    const resent = seqs(buffer.take());
    assert.equal(dropped, 10 * FRAME_MS);
    // Frames 30-39, right after the last final word, are gone: the word there is lost.
    assert.deepEqual(resent, range(40, 240));
  });
});
