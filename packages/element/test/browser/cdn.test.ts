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
  this.timeout(30_000);
  let fake: FakeServerHandle;
  let frame: HTMLIFrameElement;

  afterEach(async () => {
    frame?.remove();
    await fake?.stop();
  });

  it("registers the element from one file and streams audio, under script-src 'self'", async () => {
    fake = await startFakeServer();
    frame = document.createElement('iframe');
    // script-src 'self' blocks blob: and data: worklets: only the worklet file next to the bundle works.
    frame.srcdoc = `<!doctype html>
      <meta http-equiv="Content-Security-Policy" content="script-src 'self'">
      <script type="module" src="${location.origin}/packages/element/dist/cdn/live-transcript.js"></script>
      <live-transcript token-url="${fake.tokenUrl}" url="${fake.url}"></live-transcript>`;
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
    await until(
      () => !!el.shadowRoot?.querySelector('[part~="control"]'),
      5000,
      'the first render'
    );
    // Only the bundle (and the worklet file next to it) was loaded: no module imports.
    const scripts = win()!
      .performance.getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.endsWith('.js'));
    expect(scripts).to.deep.equal(['/packages/element/dist/cdn/live-transcript.js']);

    await el.start();
    expect(el.state).to.equal('listening');
    await until(
      async () => ((await fake.records()).connections[0]?.frames.length ?? 0) > 10,
      10_000,
      'audio frames'
    );
    await el.stop();
    expect(el.state).to.equal('idle');
  });
});
