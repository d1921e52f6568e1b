// SPDX-License-Identifier: MIT
// The CDN build on its own: a page with one <script type="module"> and the tag, nothing else
// (no import map, no bundler), gets a working <live-transcript>.
import { expect } from '@open-wc/testing';
import {
  startFakeServer,
  until,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';

describe('dist/cdn/live-transcript.js', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle;
  let frame: HTMLIFrameElement;

  afterEach(async () => {
    frame?.remove();
    await fake?.stop();
  });

  it("registers the element from one file and streams audio, under script-src 'self'", async () => {
    fake = await startFakeServer();
    frame = document.createElement('iframe');
    // A page of its own (cdn-page.html): the bundle in one <script type="module"> and the tag,
    // under script-src 'self', which blocks blob: and data: worklets, so only the worklet file
    // next to the bundle works.
    frame.src = '/packages/element/test/browser/cdn-page.html';
    document.body.append(frame);
    const win = () => frame.contentWindow as (Window & typeof globalThis) | null;
    await until(
      () => !!win()?.customElements?.get('live-transcript'),
      10_000,
      'the element to register'
    );
    const el = win()!.document.querySelector('live-transcript') as HTMLElement & {
      start(): Promise<void>;
      stop(): Promise<void>;
      state: string;
    };
    el.setAttribute('token-url', fake.tokenUrl);
    el.setAttribute('url', fake.url);
    await until(
      () => !!el.shadowRoot?.querySelector('[part~="control"]'),
      5000,
      'the first render'
    );
    // Only the entry file and the chunks it imports (relative URLs next to it) were loaded, not
    // the transcriber's chunks (preload="none"): no bare imports, nothing from elsewhere.
    const scripts = () =>
      win()!
        .performance.getEntriesByType('resource')
        .map((entry) => new URL(entry.name).pathname)
        // (the test server injects its own reload socket into every page it serves)
        .filter((path) => path.endsWith('.js') && !path.startsWith('/__web-dev-server'));
    const cdn = '/packages/element/dist/cdn/';
    expect(scripts()[0]).to.equal(`${cdn}live-transcript.js`);
    expect(scripts().every((path) => path.startsWith(cdn))).to.equal(true);
    expect(scripts().filter((path) => /\/(engine|live-transcriber)-/.test(path))).to.deep.equal([]);

    await el.start();
    expect(el.state).to.equal('listening');
    // The click loaded them, from next to the entry file.
    expect(scripts().filter((path) => /\/(engine|live-transcriber)-/.test(path))).to.have.length(2);
    // ...and the capture worklet from beside dist/cdn/, where the bundle looks for it (Firefox
    // lists worklet modules as resources).
    const worklet = '/packages/element/dist/capture-worklet.js';
    expect(scripts().filter((path) => !path.startsWith(cdn) && path !== worklet)).to.deep.equal([]);
    await until(
      async () => ((await fake.records()).connections[0]?.frames.length ?? 0) > 10,
      10_000,
      'audio frames'
    );
    await el.stop();
    expect(el.state).to.equal('idle');
  });
});
