// SPDX-License-Identifier: MIT
// captionTrack(): an <audio> element plays the speech fixture; a LiveTranscriber captures that
// element (not the microphone) and streams it over a real WebSocket to the fake AssemblyAI server;
// the captions land as VTTCues in a `captions` TextTrack of the element, at the media's times.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { LiveTranscriber, captionTrack, type CaptionTrack } from '../../src/index.js';
import {
  bestCorrelation,
  fetchWav,
  framesToFloat,
  nextEvent,
  recordingSocket,
  sleep,
} from './audio-helpers.js';
import {
  startFakeServer,
  until,
  words,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';

const FIXTURE = '/fixtures/speech-16k.wav';

interface Sentence {
  text: string;
  start_ms: number;
  end_ms: number;
}

/** The cues of a track, as plain values (`id`, `start`, `end`, `text`). */
const cuesOf = (track: TextTrack) =>
  Array.from(track.cues ?? [], (cue) => ({
    id: cue.id,
    start: cue.startTime,
    end: cue.endTime,
    text: (cue as VTTCue).text,
  }));

describe('captionTrack: native captions on the media element', function () {
  this.timeout(90_000);
  // Real-time audio: a loaded CI machine can glitch a playback now and then.
  this.retries(1);
  let fake: FakeServerHandle | undefined;
  let audio: HTMLAudioElement | undefined;
  let captions: CaptionTrack | undefined;
  let transcriber: LiveTranscriber | undefined;
  let sentences: Sentence[];

  before(async () => {
    sentences = ((await (await fetch('/fixtures/speech.json')).json()) as { sentences: Sentence[] })
      .sentences;
  });
  beforeEach(async () => {
    // Chromium defers media loads in a hidden page (another test file's page may be in front).
    await executeServerCommand('bring-to-front');
    audio = document.createElement('audio');
    audio.src = FIXTURE;
    document.body.append(audio);
  });
  afterEach(async () => {
    captions?.dispose();
    await transcriber?.stop();
    audio?.pause();
    audio?.remove();
    await fake?.stop();
    fake = captions = transcriber = audio = undefined;
  });

  function newTranscriber(options: Partial<ConstructorParameters<typeof LiveTranscriber>[0]>) {
    return new LiveTranscriber({
      tokenUrl: fake!.tokenUrl,
      url: fake!.url,
      speechModel: 'universal-streaming-english',
      source: audio,
      ...options,
    });
  }

  it('writes the three sentences as cues at their media times, from the media audio', async () => {
    fake = await startFakeServer({
      script: 'universal-english-format-turns-2025.jsonl',
      continueAcrossSessions: true, // the script's words land where the fake hears speech
    });
    const socket = recordingSocket();
    const t = (transcriber = newTranscriber({ WebSocket: socket.WebSocket, formatTurns: true }));
    captions = captionTrack(t, audio!, { label: 'Live captions', language: 'en' });
    const { track } = captions;
    expect([track.kind, track.label, track.language, track.mode]).to.deep.equal([
      'captions',
      'Live captions',
      'en',
      'showing',
    ]);
    expect(audio!.textTracks.length).to.equal(1);
    // What the viewer sees: the cues active while the media plays.
    const seen: { at: number; id: string; text: string }[] = [];
    track.addEventListener('cuechange', () => {
      for (const cue of Array.from(track.activeCues ?? [])) {
        seen.push({ at: audio!.currentTime, id: cue.id, text: (cue as VTTCue).text });
      }
    });

    await t.start(); // the media is paused: the transcriber waits, paused
    expect(t.state).to.equal('paused');
    const ended = nextEvent(audio!, 'ended', 45_000); // (a loaded WebKit plays slower)
    await audio!.play();
    await ended; // ... and the end of the media stops the transcriber
    await until(() => t.state === 'idle', 10_000, 'the transcriber to stop at the end');

    const cues = cuesOf(track);
    console.log(
      cues.map((c) => `${c.start.toFixed(2)}-${c.end.toFixed(2)} ${c.text}`).join('\n      ')
    );
    expect(cues.map((c) => c.text)).to.deep.equal(sentences.map((s) => s.text));
    cues.forEach((cue, i) => {
      expect(Math.abs(cue.start - sentences[i]!.start_ms / 1000)).to.be.below(1, cue.text);
      expect(Math.abs(cue.end - sentences[i]!.end_ms / 1000)).to.be.below(1, cue.text);
    });
    // Partials were on screen while each sentence was spoken, then replaced by the final cue.
    // (Universal partials: the finalized words and the word in progress, as the element shows.)
    const partial = new Set(seen.filter((s) => s.id.endsWith(':partial')).map((s) => s.text));
    const spoken = sentences.map((s) => words(s.text));
    expect(partial.size).to.be.greaterThan(5);
    for (const text of partial) {
      expect(spoken.some((sentence) => sentence.startsWith(text))).to.equal(true, text);
    }
    expect(cues.some((c) => c.id.endsWith(':partial'))).to.equal(false);

    // The fake heard the media's speech: one session, ended with Terminate.
    const { connections } = await fake.records();
    expect(connections).to.have.length(1);
    expect(connections[0]!.controls).to.deep.equal(['Terminate']);
    const sentMs = (socket.audio.length * 1600) / 32;
    expect(connections[0]!.audioMs).to.equal(sentMs);
    // (The first sentence: one glitch of a loaded machine's audio moves the lag after it.)
    const reference = await fetchWav(FIXTURE);
    const sent = framesToFloat(socket.audio).subarray(0, 4 * 16000);
    const { value } = bestCorrelation(sent, reference.samples, -16000, 16000);
    console.log(`sent audio vs fixture: correlation ${value.toFixed(3)}, ${sentMs} ms sent`);
    expect(value).to.be.at.least(0.9);
  });

  it('follows the media: pause pauses (KeepAlive), a seek ends the turn, the end stops', async () => {
    fake = await startFakeServer(); // speech-driven: turns where the fake hears speech
    const socket = recordingSocket();
    const t = (transcriber = newTranscriber({ WebSocket: socket.WebSocket, inactivityTimeout: 5 }));
    captions = captionTrack(t, audio!, { startOnPlay: true });
    const controls = async () => (await fake!.records()).connections.flatMap((c) => c.controls);

    await audio!.play(); // play starts the transcriber
    await until(() => t.state === 'listening', 10_000, 'listening');
    await until(() => audio!.currentTime > 2, 10_000, '2 s into the first sentence');
    audio!.pause();
    await until(() => t.state === 'paused', 2000, 'paused');
    // Frames captured before the pause may still be on their way on a loaded machine.
    await sleep(1000);
    const sent = socket.audio.length;
    await sleep(2500);
    expect(socket.audio.length - sent).to.be.at.most(2, 'no audio while paused');
    expect(await controls()).to.include('KeepAlive');
    expect(t.state).to.equal('paused');

    audio!.currentTime = 9.5; // seek (while paused): the turn in progress ends
    await nextEvent(audio!, 'seeked');
    await until(async () => (await controls()).includes('ForceEndpoint'), 3000, 'ForceEndpoint');
    // Not awaited: WebKitGTK plays after a seek but never settles the promise of that play().
    void audio!.play().catch(() => {});
    await until(() => t.state === 'listening', 3000, 'listening again');
    await nextEvent(audio!, 'ended', 15_000);
    await until(() => t.state === 'idle', 10_000, 'stopped at the end');
    expect((await controls()).at(-1)).to.equal('Terminate');

    // The first turn was cut by the pause and the seek; the last sentence is placed after the
    // seek, at its media time.
    const cues = cuesOf(captions.track);
    console.log(cues.map((c) => `${c.start.toFixed(2)}-${c.end.toFixed(2)} ${c.text}`).join(' | '));
    expect(cues.length).to.be.at.least(2);
    expect(Math.abs(cues[0]!.start - sentences[0]!.start_ms / 1000)).to.be.below(1);
    expect(cues[0]!.end).to.be.below(3.5);
    const last = cues.find((c) => c.start > 9)!;
    expect(Math.abs(last.start - sentences[2]!.start_ms / 1000)).to.be.below(1);
    expect(cues.every((c) => c.start < 3.5 || c.start > 9)).to.equal(
      true,
      'nothing in the skipped part'
    );

    // Playing again after the end starts a new run (a new session).
    void audio!.play().catch(() => {});
    await until(() => t.state === 'listening', 10_000, 'listening after a replay');
    expect((await fake.records()).connections).to.have.length(2);

    // Disposed: the transcriber no longer follows, the track is hidden; a new call shows the
    // same track again (a media's tracks cannot be removed), with its cues.
    const { track } = captions;
    const count = track.cues!.length;
    captions.dispose();
    expect(track.mode).to.equal('disabled');
    audio!.pause();
    await sleep(300);
    expect(t.state).to.equal('listening');
    captions = captionTrack(t, audio!);
    expect(captions.track === track).to.equal(true);
    expect([track.mode, audio!.textTracks.length, track.cues!.length]).to.deep.equal([
      'showing',
      1,
      count,
    ]);
  });
});
