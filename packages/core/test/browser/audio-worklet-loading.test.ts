// SPDX-License-Identifier: MIT
// How the capture worklet loads: from the built package (dist/capture-worklet.js next to the
// entry), from `workletUrl`, from a Blob URL when the file is missing, and under a strict
// Content-Security-Policy, where the library must say which directive to change.
import { expect } from '@open-wc/testing';
import * as built from '@live-transcript/core/audio';
import { type AudioSource, type LiveTranscriptError } from '../../src/index.js';
import { AudioCapture } from '../../src/audio/index.js';
import type * as Source from '../../src/audio/index.js';
import { recordFrames, until } from './audio-helpers.js';

/** Records `addModule()` calls of a window's AudioWorklet; `fail` decides which to reject. */
function spyAddModule(
  win: Window & typeof globalThis,
  fail: (url: string) => boolean = () => false
) {
  const proto = win.AudioWorklet.prototype;
  const original = proto.addModule;
  const calls: { url: string; ok?: boolean }[] = [];
  proto.addModule = async function (
    this: AudioWorklet,
    url: string | URL,
    options?: WorkletOptions
  ) {
    const call: { url: string; ok?: boolean } = { url: String(url) };
    calls.push(call);
    try {
      if (fail(call.url)) throw new win.DOMException('simulated 404', 'AbortError');
      await original.call(this, url, options);
      call.ok = true;
    } catch (error) {
      call.ok = false;
      throw error;
    }
  };
  return { calls, restore: () => (proto.addModule = original) };
}

/** An AudioSource of our own: a 660 Hz oscillator in the capture's context. */
const oscillatorSource = (): AudioSource => ({
  kind: 'oscillator',
  async open(context) {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = 660;
    oscillator.start();
    return oscillator;
  },
  close() {},
});

describe('AudioCapture: loading the worklet', function () {
  this.timeout(20_000);
  let spy: ReturnType<typeof spyAddModule> | undefined;
  afterEach(() => {
    spy?.restore();
    spy = undefined;
  });

  it('the built package loads dist/capture-worklet.js next to its entry', async () => {
    spy = spyAddModule(window);
    const capture = new built.AudioCapture({ source: oscillatorSource() });
    const frames = recordFrames(capture as unknown as AudioCapture);
    await capture.start();
    await until(() => frames.length >= 3, 5000, 'frames');
    await capture.stop();
    expect(spy.calls.length).to.equal(1);
    expect(new URL(spy.calls[0]!.url).pathname).to.match(
      /\/packages\/core\/dist\/capture-worklet\.js$/
    );
    expect(spy.calls[0]!.ok).to.equal(true);
    expect(frames.every((f) => f.data.byteLength === 1600)).to.equal(true);
  });

  it('tries workletUrl first', async () => {
    spy = spyAddModule(window);
    const url = new URL('/packages/core/dist/capture-worklet.js', location.href).href;
    const capture = new AudioCapture({ source: oscillatorSource(), workletUrl: url });
    await capture.start();
    await capture.stop();
    expect(spy.calls).to.deep.equal([{ url, ok: true }]);
  });

  it('falls back to a Blob URL, then a data: URL, when the worklet file cannot be loaded', async () => {
    spy = spyAddModule(window, (url) => !url.startsWith('blob:'));
    const capture = new AudioCapture({ source: oscillatorSource(), workletUrl: '/missing.js' });
    const frames = recordFrames(capture);
    await capture.start();
    await until(() => frames.length >= 3, 5000, 'frames');
    await capture.stop();
    expect(spy.calls.map((c) => [c.url.split(':')[0], c.ok])).to.deep.equal([
      ['/missing.js', false],
      ['http', false],
      ['blob', true],
    ]);
    spy.restore();

    // Safari in an iframe treats blob: as cross-origin: the data: URL is the last resort.
    spy = spyAddModule(window, (url) => !url.startsWith('data:'));
    const second = new AudioCapture({ source: oscillatorSource() });
    const more = recordFrames(second);
    await second.start();
    await until(() => more.length >= 3, 5000, 'frames');
    await second.stop();
    expect(spy.calls.map((c) => [c.url.split(':')[0], c.ok])).to.deep.equal([
      ['http', false],
      ['blob', false],
      ['data', true],
    ]);
  });

  describe("under Content-Security-Policy: script-src 'self'", () => {
    let frame: HTMLIFrameElement;
    let win: Window & typeof globalThis & { core?: typeof Source };

    beforeEach(async () => {
      frame = document.createElement('iframe');
      // A real same-origin page: in a srcdoc document Firefox does not match 'self', and
      // WebKit treats the worklet file as cross-origin.
      frame.src = '/test-support/browser/csp-frame.html';
      document.body.append(frame);
      win = frame.contentWindow as typeof win;
      await until(() => !!win.core, 10_000, 'core in the iframe');
    });

    afterEach(() => frame.remove());

    it('loads the worklet file from its own origin', async () => {
      spy = spyAddModule(win);
      const capture = new win.core!.AudioCapture({ source: oscillatorSource() });
      let count = 0;
      capture.addEventListener('frame', () => count++);
      await capture.start();
      await until(() => count >= 3, 5000, 'frames');
      await capture.stop();
      expect(spy.calls.map((c) => c.ok)).to.deep.equal([true]);
    });

    it('reports worklet-load-failed naming script-src when only blob:/data: are left', async () => {
      // The file is "missing"; the Blob and data: URLs then meet the real policy.
      spy = spyAddModule(win, (url) => url.startsWith('http'));
      const capture = new win.core!.AudioCapture({ source: oscillatorSource() });
      let error: LiveTranscriptError | undefined;
      await capture.start().catch((e: LiveTranscriptError) => (error = e));
      expect(error?.code).to.equal('worklet-load-failed');
      expect(error?.message).to.contain('script-src');
      expect(error?.message).to.contain('workletUrl');
      expect(spy.calls.map((c) => [c.url.split(':')[0], c.ok])).to.deep.equal([
        ['http', false],
        ['blob', false],
        ['data', false],
      ]);
      // Without the policy the same Blob and data: URLs load (previous test): the policy
      // blocked them. Chromium reports it only as "Failed to load worklet module script",
      // Firefox as "The operation was aborted", WebKit as "Not allowed by CSP".
      expect(String((error?.cause as Error).message)).to.match(
        /Failed to load worklet|aborted|Not allowed by CSP/
      );
      expect(capture.state).to.equal('idle');
    });
  });
});
