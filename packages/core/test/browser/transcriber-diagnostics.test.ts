// SPDX-License-Identifier: MIT
// LiveTranscriber.diagnostics(), against the fake AssemblyAI server over real sockets: what a
// report holds after a real run, that it never holds a token (even one the server quoted in its
// error, or one in a URL), no query string of a URL and no transcript text unless asked, and
// that it answers before the engine has loaded.
import { expect } from '@open-wc/testing';
import {
  LiveTranscriber,
  type DiagnosticsReport,
  type LiveTranscriptError,
} from '@live-transcript/core';
import {
  speechStream,
  startFakeServer,
  until,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';

/** A report survives a JSON round trip unchanged (no `undefined`, no class instance). */
function jsonSafe(report: DiagnosticsReport) {
  expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
}

describe('LiveTranscriber.diagnostics()', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle | undefined;
  const transcribers: LiveTranscriber[] = [];

  afterEach(async () => {
    await Promise.all(transcribers.splice(0).map((t) => t.stop()));
    await fake?.stop();
    fake = undefined;
  });

  // First in this file: the engine chunk of this page has not loaded yet.
  it('records the state history in the shell, before the engine has loaded', () => {
    const t = new LiveTranscriber({ tokenUrl: '/token?user=someone' });
    transcribers.push(t);
    const idle = t.diagnostics();
    jsonSafe(idle);
    expect(idle.engine).to.equal(false);
    expect(idle.state).to.equal('idle');
    expect(idle.states).to.deep.equal([]);
    expect(idle.library.name).to.equal('@live-transcript/core');
    expect(idle.library.version).to.match(/^\d+\.\d+\.\d+/);
    // start() asks for the engine; stop() at once cancels before it comes.
    void t.start().catch(() => undefined);
    void t.stop();
    const report = t.diagnostics();
    jsonSafe(report);
    expect(report.engine).to.equal(false);
    expect(
      report.states.map(({ state, previous, reason }) => [previous, state, reason])
    ).to.deep.equal([
      ['idle', 'connecting', 'start'],
      ['connecting', 'stopping', 'stop'],
    ]);
    expect(new Date(report.states[0]!.at).getTime()).to.be.closeTo(Date.now(), 5000);
    expect(JSON.stringify(report)).to.not.include('someone');
  });

  it('never holds a token, even one the server quotes in its error, nor a URL query', async () => {
    fake = await startFakeServer();
    const tokenUrl = `${fake.tokenUrl}?expires_in_seconds=60&user=alice-4ae1`;
    const t = new LiveTranscriber({
      tokenUrl,
      url: fake.url,
      tokenRequestInit: { headers: { Authorization: 'Bearer app-secret-7c2f' } },
      extraParams: { webhook_auth_header_value: 'hook-secret-91d0' },
      speechModel: 'universal-streaming-english',
    });
    transcribers.push(t);
    const errors: LiveTranscriptError[] = [];
    t.addEventListener('error', (e) => errors.push(e.detail.error));
    await t.start();
    await until(() => t.metrics.startToFirstFrameMs !== undefined, 10_000, 'the first frame');
    const { connections } = await fake.records();
    const token = connections[0]!.token!;
    // The server ends the session quoting the token, alone and in the socket's URL.
    await fake.call(
      'closeSession',
      connections[0]!.id,
      1008,
      `Unauthorized Connection: token ${token} was revoked (${fake.url}?token=${token}&sample_rate=16000)`
    );
    await until(() => t.state === 'error', 10_000, 'the error state');
    expect(errors.map((e) => e.code)).to.deep.equal(['auth-failed']);
    expect(errors[0]!.message).to.not.include(token);

    const { tokens } = await fake.records();
    expect(tokens.length).to.be.at.least(1);
    for (const report of [t.diagnostics(), t.diagnostics({ includeTranscript: true })]) {
      jsonSafe(report);
      const json = JSON.stringify(report);
      for (const { token: issued } of tokens) expect(json).to.not.include(issued);
      for (const secret of ['alice-4ae1', 'app-secret-7c2f', 'hook-secret-91d0']) {
        expect(json).to.not.include(secret);
      }
      // ...and it still says what happened.
      expect(report.engine).to.equal(true);
      expect(report.state).to.equal('error');
      expect(report.error).to.include({ code: 'auth-failed', closeCode: 1008, retriable: false });
      expect(report.error!.message).to.include('was revoked');
      expect(report.states.map((s) => s.state)).to.deep.equal(['connecting', 'listening', 'error']);
      expect(report.states.at(-1)!.reason).to.equal('auth-failed');
      expect(report.messages[0]).to.include({ type: 'Begin', sessionId: connections[0]!.id });
      expect(report.closes.map((c) => [c.code, c.error])).to.deep.equal([[1008, 'auth-failed']]);
      expect(report.errors.map((e) => [e.code, e.fatal])).to.deep.equal([['auth-failed', true]]);
      expect(report.options).to.deep.include({
        tokenUrl: `${fake.tokenUrl}?[redacted]`,
        url: fake.url,
        speechModel: 'universal-streaming-english',
        tokenRequestInit: { headers: ['authorization'] },
        extraParams: { webhook_auth_header_value: '[redacted]' },
      });
      const { context, track, source } = report.audio!;
      expect(source).to.equal('microphone');
      expect(context!.sampleRate).to.be.within(8000, 192_000);
      // As they are now: the run has ended, its context and track are being released.
      expect(context!.state).to.be.oneOf(['running', 'closed']);
      expect(track!.readyState).to.be.oneOf(['live', 'ended']);
      // The device's name, as the browser gives it.
      expect(track!.label).to.be.a('string').and.not.equal('');
      expect(report.metrics!.startToFirstFrameMs).to.be.a('number');
      expect(report.browser.userAgent).to.equal(navigator.userAgent);
    }
  });

  it('leaves out the query of the token URL that an error message quotes', async () => {
    fake = await startFakeServer();
    await fake.call('inject.failTokenRequests', 1, 401);
    const t = new LiveTranscriber({ tokenUrl: `${fake.tokenUrl}?user=alice-4ae1`, url: fake.url });
    transcribers.push(t);
    const error = await t.start().then(
      () => undefined,
      (e: LiveTranscriptError) => e
    );
    expect(error?.code).to.equal('token-rejected');
    // The error itself names the URL in full: it is for the developer's own console.
    expect(error!.message).to.include('alice-4ae1');
    const report = t.diagnostics();
    jsonSafe(report);
    expect(JSON.stringify(report)).to.not.include('alice-4ae1');
    expect(report.error!.message).to.include(`${new URL(fake.tokenUrl).pathname}?[redacted]`);
    expect(report.errors.map((e) => [e.code, e.fatal])).to.deep.equal([['token-rejected', true]]);
  });

  it('leaves the transcript text out unless includeTranscript, and records messages, drops and warnings', async () => {
    fake = await startFakeServer({
      script: 'universal-english.jsonl',
      continueAcrossSessions: true,
    });
    await fake.call('inject.malformed', 'invalid-json', { afterAudioMs: 500 });
    await fake.call('inject.drop', { afterAudioMs: 1500 });
    const audio = await speechStream(undefined, { paused: true, durationMs: 4300 });
    try {
      const getToken = () => fetch(fake!.tokenUrl).then(async (r) => (await r.json()).token);
      const t = new LiveTranscriber({ getToken, url: fake.url, source: audio.stream });
      transcribers.push(t);
      await t.start();
      audio.play();
      await until(() => t.transcript.turns.some((turn) => turn.final), 30_000, 'a final');
      const text = t.transcript.turns.find((turn) => turn.final)!.text;
      const report = t.diagnostics();
      jsonSafe(report);
      expect(JSON.stringify(report)).to.not.include(text);
      expect(report.transcript).to.deep.equal({ turns: t.transcript.turns.length, finalTurns: 1 });
      expect(report.options).to.deep.include({ getToken: '[function]', source: '[MediaStream]' });
      expect(report.messages.length).to.be.within(3, 50);
      expect(report.messages.map((m) => m.type)).to.include.members(['Begin', 'Turn']);
      expect(report.messages.filter((m) => m.type === 'Begin')).to.have.length(2);
      expect(report.warnings.map((w) => w.code)).to.include('malformed-message');
      expect(report.closes.map((c) => c.code)).to.deep.equal([1006]);
      expect(report.errors.map((e) => [e.code, e.fatal])).to.deep.equal([['network', false]]);
      expect(report.states.map((s) => s.state)).to.include.ordered.members([
        'connecting',
        'listening',
        'reconnecting',
        'listening',
      ]);
      for (const entry of [...report.messages, ...report.states, ...report.warnings]) {
        expect(Date.parse(entry.at)).to.be.closeTo(Date.now(), 60_000);
      }
      const full = t.diagnostics({ includeTranscript: true });
      expect(full.transcript!.text).to.equal(t.transcript.text);
      expect(full.transcript!.text).to.include(text);
    } finally {
      await audio.close();
    }
  });
});
