// SPDX-License-Identifier: MIT
// LiveTranscriber loads its engine only when asked: not at construction, but at preload() (or
// start()). A file of its own: a page loads the engine once, and the other files do.
import { expect } from '@open-wc/testing';
import { LiveTranscriber } from '@live-transcript/core';

/** The engine module, as fetched by this page (the unbundled build: one file per module). */
const engineFetched = () =>
  performance
    .getEntriesByType('resource')
    .some((entry) => new URL(entry.name).pathname.endsWith('/core/dist/transcriber/engine.js'));

describe('LiveTranscriber: the engine loads on preload() or start()', () => {
  it('is not fetched by the constructor, and is by preload() (idempotent)', async () => {
    const transcriber = new LiveTranscriber({ tokenUrl: '/token-route-that-is-never-called' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(engineFetched(), 'no engine before preload()').to.equal(false);
    expect(transcriber.state).to.equal('idle');
    const first = transcriber.preload();
    expect(transcriber.preload(), 'the same load').to.be.a('promise');
    await first;
    await transcriber.preload();
    expect(engineFetched()).to.equal(true);
    expect(transcriber.state, 'preload() starts nothing').to.equal('idle');
  });
});
