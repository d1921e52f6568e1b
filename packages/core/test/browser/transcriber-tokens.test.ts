// SPDX-License-Identifier: MIT
// Token lifetimes, against the fake AssemblyAI server over real sockets: a token fetched while
// the permission prompt is open can expire before it is used (it is replaced, or refused once
// and retried with a new one), and two refusals in a row end the run after exactly two
// connections. The prompt is a getUserMedia() that answers late.
import { expect } from '@open-wc/testing';
import {
  LiveTranscriber,
  type LiveTranscriberOptions,
  type LiveTranscriptError,
  type StateChangeDetail,
} from '@live-transcript/core';
import {
  startFakeServer,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';
import { sleep, stub } from './audio-helpers.js';

/** The fake's token lifetime in these tests, and a permission prompt answered after it. */
const LIFETIME_S = 2;
const PROMPT_MS = 3000;

describe('LiveTranscriber: token lifetimes and refused tokens', function () {
  this.timeout(30_000);
  let fake: FakeServerHandle;
  const restore: Array<() => void> = [];
  const transcribers: LiveTranscriber[] = [];

  afterEach(async () => {
    for (const undo of restore.splice(0)) undo();
    await Promise.all(transcribers.splice(0).map((t) => t.stop()));
    await fake?.stop();
  });

  /** getUserMedia() answers `ms` later, as when the user takes that long at the prompt. */
  function slowPermission(ms: number) {
    const devices = navigator.mediaDevices;
    const real = devices.getUserMedia.bind(devices);
    restore.push(
      stub(devices, 'getUserMedia', async (constraints?: MediaStreamConstraints) => {
        await sleep(ms);
        return real(constraints);
      })
    );
  }

  function transcriber(options: Partial<LiveTranscriberOptions> = {}) {
    const t = new LiveTranscriber({ tokenUrl: fake.tokenUrl, url: fake.url, ...options });
    const errors: LiveTranscriptError[] = [];
    const states: StateChangeDetail[] = [];
    t.addEventListener('error', (e) => errors.push(e.detail.error));
    t.addEventListener('state-change', (e) => states.push(e.detail));
    transcribers.push(t);
    return { t, errors, states };
  }

  /** Each connection as [accepted, close code or null]. */
  const connections = async () =>
    (await fake.records()).connections.map((c) => [c.accepted, c.closed?.code ?? null]);

  it('replaces a token that expired while the permission prompt was open, before connecting', async () => {
    fake = await startFakeServer({ options: { expiresInSeconds: LIFETIME_S } });
    slowPermission(PROMPT_MS);
    const { t, errors } = transcriber();
    await t.start();
    expect(t.state).to.equal('listening');
    expect(errors).to.deep.equal([]);
    const records = await fake.records();
    // The first token, fetched at start(), was too old once the microphone came: one more
    // request, and a single connection with the new token.
    expect(records.tokenRequests.map((r) => r.status)).to.deep.equal([200, 200]);
    expect(await connections()).to.deep.equal([[true, null]]);
    expect(records.tokens.map((token) => token.uses)).to.deep.equal([0, 1]);
  });

  it('uses the token fetched at start() when the microphone comes in time: one request', async () => {
    fake = await startFakeServer();
    const { t } = transcriber();
    await t.start();
    expect((await fake.records()).tokenRequests.length).to.equal(1);
    expect(await connections()).to.deep.equal([[true, null]]);
  });

  it('retries a token refused once (1008) with a new token, without an error', async () => {
    fake = await startFakeServer();
    await fake.call('inject.refuse', { code: 1008 });
    const { t, errors, states } = transcriber();
    await t.start();
    expect(t.state).to.equal('listening');
    expect(errors).to.deep.equal([]);
    expect(states.map((s) => s.state)).to.deep.equal(['connecting', 'listening']);
    expect(await connections()).to.deep.equal([
      [false, 1008],
      [true, null],
    ]);
    expect((await fake.records()).tokens.map((token) => token.uses)).to.deep.equal([1, 1]);
  });

  it('getToken() tokens (lifetime unknown) that expired during the prompt: refused once, then a new one', async () => {
    fake = await startFakeServer();
    slowPermission(PROMPT_MS);
    const getToken = async () =>
      (await fake.call('issueToken', { expiresInSeconds: LIFETIME_S })) as string;
    const { t, errors } = transcriber({ tokenUrl: undefined, getToken });
    await t.start();
    expect(t.state).to.equal('listening');
    expect(errors).to.deep.equal([]);
    expect(await connections()).to.deep.equal([
      [false, 1008],
      [true, null],
    ]);
    const refused = (await fake.records()).connections[0]!;
    expect(refused.sent).to.deep.equal(['Error']);
  });

  it('two refusals in a row end in auth-failed after exactly two connections', async () => {
    fake = await startFakeServer();
    await fake.call('inject.refuse', { code: 1008, times: 5 });
    const { t, errors } = transcriber();
    const failure = await t.start().then(
      () => undefined,
      (error: LiveTranscriptError) => error
    );
    expect(failure?.code).to.equal('auth-failed');
    expect(t.state).to.equal('error');
    expect(errors.map((e) => [e.code, e.retriable, e.closeCode])).to.deep.equal([
      ['auth-failed', false, 1008],
    ]);
    // No third attempt comes later either.
    await sleep(1500);
    expect(await connections()).to.deep.equal([
      [false, 1008],
      [false, 1008],
    ]);
    expect((await fake.records()).tokenRequests.length).to.equal(2);
  });

  it('1008 "Too many concurrent sessions" is retried with backoff, not as a refused token', async () => {
    fake = await startFakeServer();
    await fake.call('inject.refuse', {
      code: 1008,
      reason: 'Unauthorized connection: Too many concurrent sessions',
      times: 3,
    });
    const { t, errors } = transcriber({ reconnect: { baseDelayMs: 50, maxDelayMs: 200 } });
    const reconnecting: string[] = [];
    t.addEventListener('reconnecting', (e) => reconnecting.push(e.detail.error.code));
    await t.start();
    expect(t.state).to.equal('listening');
    expect(errors).to.deep.equal([]);
    expect(reconnecting).to.deep.equal([
      'too-many-sessions',
      'too-many-sessions',
      'too-many-sessions',
    ]);
    expect(await connections()).to.deep.equal([
      [false, 1008],
      [false, 1008],
      [false, 1008],
      [true, null],
    ]);
  });
});
