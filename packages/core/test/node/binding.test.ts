// SPDX-License-Identifier: MIT
// TranscriberBinding without a session: how it takes options (the table's scopes), reports
// invalid ones and keeps every state change visible. The browser tests run it with sessions
// (the five-surface options test, the element, the hooks).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TranscriberBinding,
  type StateChangeDetail,
  type TranscriberBindingOptions,
} from '../../src/index.js';

async function bind(options: TranscriberBindingOptions = {}) {
  const states: StateChangeDetail[] = [];
  const errors: string[] = [];
  const handlers = {
    onStateChange: (e: { detail: StateChangeDetail }) => states.push(e.detail),
    onError: (e: { detail: { error: { message: string } } }) => errors.push(e.detail.error.message),
  };
  const binding = new TranscriberBinding({ ...options, ...handlers });
  const update = (next: TranscriberBindingOptions) => binding.update({ ...next, ...handlers });
  update(options);
  // LiveTranscriber loads on intent or at start(); these tests want it now.
  await binding.preload();
  return { binding, update, states, errors };
}

describe('TranscriberBinding', async () => {
  it('sends a live change to its transcriber and makes a new one for any other change', async () => {
    const { binding, update } = await bind({ tokenUrl: '/t', maxTurnSilence: 800 });
    const first = binding.transcriber!;
    update({ tokenUrl: '/t', maxTurnSilence: 1600, keytermsPrompt: ['Marta'] });
    assert.equal(binding.transcriber, first, 'live options: the same transcriber');
    assert.equal(first.options.maxTurnSilence, 1600);
    assert.deepEqual(first.options.keytermsPrompt, ['Marta']);
    update({ tokenUrl: '/t', maxTurnSilence: 1600, keytermsPrompt: ['Marta'], sampleRate: 8000 });
    const second = binding.transcriber!;
    assert.notEqual(second, first, 'a connect-time option: a new transcriber (idle: at once)');
    assert.equal(second.options.sampleRate, 8000);
    assert.equal(second.transcript, first.transcript, 'which continues the transcript');
  });

  it('while idle, a removed list is not sent as [] but gives a new transcriber without it', async () => {
    const { binding, update } = await bind({ tokenUrl: '/t', keytermsPrompt: ['Marta'] });
    const first = binding.transcriber!;
    update({ tokenUrl: '/t' });
    assert.notEqual(binding.transcriber, first);
    assert.equal(binding.transcriber!.options.keytermsPrompt, undefined);
  });

  it('shows invalid options as an error state until they are fixed, then is idle', async () => {
    const { binding, update, states, errors } = await bind({ tokenUrl: '/t' });
    const first = binding.transcriber!;
    update({ tokenUrl: '/t', vadThreshold: 3 });
    assert.equal(binding.getSnapshot().state, 'error');
    assert.equal(binding.getSnapshot().error?.code, 'invalid-option');
    assert.deepEqual(errors, ['vadThreshold must be a number from 0 to 1, got 3.']);
    assert.equal(binding.transcriber, first, 'nothing applied');
    assert.equal(first.options.vadThreshold, undefined);
    update({ tokenUrl: '/t', vadThreshold: 3 }); // a re-render with the same options
    assert.equal(errors.length, 1, 'reported once');
    update({ tokenUrl: '/t', vadThreshold: 0.5 });
    assert.equal(binding.getSnapshot().state, 'idle');
    assert.equal(binding.getSnapshot().error, undefined);
    assert.equal(first.options.vadThreshold, 0.5, 'a live option: the same transcriber');
    assert.deepEqual(
      states.map(({ state, previous, reason }) => [previous, state, reason]),
      [
        ['idle', 'error', 'invalid-option'],
        ['error', 'idle', 'options'],
      ]
    );
  });

  it("diagnostics() reports the binding's own error and its state history, JSON-safe", async () => {
    const { binding, update } = await bind({ tokenUrl: '/t?user=alice-4ae1' });
    update({ tokenUrl: '/t?user=alice-4ae1', vadThreshold: 3 });
    const report = binding.diagnostics();
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    assert.equal(report.state, 'error');
    assert.equal(report.error?.code, 'invalid-option');
    assert.equal(report.engine, true);
    assert.equal(report.options?.tokenUrl, '/t?[redacted]');
    assert.ok(!JSON.stringify(report).includes('alice-4ae1'));
    update({ tokenUrl: '/t?user=alice-4ae1' });
    const fixed = binding.diagnostics();
    assert.equal(fixed.state, 'idle');
    assert.equal('error' in fixed, false);
  });

  it('reports a missing token source at start(), and clears it when one is set', async () => {
    const { binding, update, states, errors } = await bind({ speechModel: 'whisper-rt' });
    assert.equal(binding.getSnapshot().state, 'idle', 'no error before start()');
    assert.equal(binding.transcriber, undefined);
    const failure = await binding.start().catch((error: Error) => error);
    assert.match(String(failure), /Set tokenUrl/);
    assert.equal(binding.getSnapshot().state, 'error');
    assert.equal(errors.length, 1);
    await binding.start().catch(() => undefined);
    assert.equal(errors.length, 2, 'each start() says why it did nothing');
    update({ speechModel: 'whisper-rt', getToken: () => 'token' });
    assert.equal(binding.getSnapshot().state, 'idle');
    const made = binding.transcriber as { options: { speechModel?: string } } | undefined;
    assert.equal(made?.options.speechModel, 'whisper-rt');
    assert.deepEqual(
      states.map((s) => s.state),
      ['error', 'idle']
    );
  });

  it('routes a deviceId change to setDevice(): the same transcriber, in any state', async () => {
    const { binding, update } = await bind({ tokenUrl: '/t', deviceId: 'mic-a' });
    const first = binding.transcriber!;
    const calls: Array<string | undefined> = [];
    const setDevice = first.setDevice.bind(first);
    first.setDevice = (deviceId) => (calls.push(deviceId), setDevice(deviceId));
    update({ tokenUrl: '/t', deviceId: 'mic-b' });
    update({ tokenUrl: '/t' });
    assert.equal(binding.transcriber, first, 'no new transcriber for a device');
    assert.deepEqual(calls, ['mic-b', undefined]);
    assert.equal(first.options.deviceId, undefined, 'idle: the option for the next start');
    // With another change that needs a restart, the device still goes through setDevice().
    update({ tokenUrl: '/t', deviceId: 'mic-c', sampleRate: 8000 });
    assert.notEqual(binding.transcriber, first);
    assert.equal(binding.transcriber!.options.deviceId, 'mic-c');
  });

  it('setDevice() wins over the deviceId option until the option changes', async () => {
    const { binding, update } = await bind({ tokenUrl: '/t', deviceId: 'mic-a' });
    const transcriber = binding.transcriber!;
    await binding.setDevice('mic-b');
    assert.equal(transcriber.options.deviceId, 'mic-b');
    update({ tokenUrl: '/t', deviceId: 'mic-a' }); // a re-render with the same option
    assert.equal(transcriber.options.deviceId, 'mic-b', 'the option did not change');
    update({ tokenUrl: '/t', deviceId: 'mic-c' });
    assert.equal(transcriber.options.deviceId, 'mic-c', 'a new option value wins');
    assert.equal(binding.transcriber, transcriber);
    const invalid = await binding.setDevice(42 as never).catch((e: { code?: string }) => e.code);
    assert.equal(invalid, 'invalid-option');
  });

  it('has no device list without a browser, and says so without throwing', async () => {
    const { binding } = await bind({ tokenUrl: '/t' });
    let calls = 0;
    const unsubscribe = binding.subscribeDevices(() => calls++);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(binding.getDevices(), []);
    assert.equal(binding.getDevices(), binding.getDevices(), 'a stable snapshot');
    assert.equal(calls, 0);
    unsubscribe();
  });

  it('uses the latest getToken without a new transcriber', async () => {
    const { binding, update } = await bind({ getToken: () => 'first' });
    const transcriber = binding.transcriber!;
    update({ getToken: () => 'second' });
    assert.equal(binding.transcriber, transcriber);
    assert.equal(await transcriber.options.getToken!(new AbortController().signal), 'second');
  });

  it('rejects start() after dispose()', async () => {
    const { binding } = await bind({ tokenUrl: '/t' });
    binding.dispose();
    const failure = await binding.start().catch((error: { code?: string }) => error.code);
    assert.equal(failure, 'aborted');
  });
});
