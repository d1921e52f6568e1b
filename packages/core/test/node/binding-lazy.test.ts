// SPDX-License-Identifier: MIT
// TranscriberBinding before LiveTranscriber has loaded (a file of its own: the loaded module is
// shared by every binding of a process, and the other tests load it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TranscriberBinding, type StateChangeDetail } from '../../src/index.js';

describe('TranscriberBinding before its transcriber loads', () => {
  it('has no transcriber until preload() or start(), then says what start() did', async () => {
    const states: StateChangeDetail[] = [];
    const errors: string[] = [];
    const binding = new TranscriberBinding({});
    const options = {
      getToken: () => 'token',
      onStateChange: (e: { detail: StateChangeDetail }) => states.push(e.detail),
      onError: (e: { detail: { error: { code: string } } }) => errors.push(e.detail.error.code),
    };
    binding.update(options);
    assert.equal(binding.transcriber, undefined, 'nothing loaded before intent');
    assert.equal(binding.getSnapshot().state, 'idle');

    // A stop() while the code loads ends the start: aborted, idle, nothing made.
    const first = binding.start();
    assert.equal(binding.getSnapshot().state, 'connecting', 'connecting at once');
    await binding.stop();
    assert.equal(((await first.catch((e: unknown) => e)) as { code: string }).code, 'aborted');
    assert.equal(binding.getSnapshot().state, 'idle');

    // start() again: the code loads and the transcriber starts. Node has no audio, so it fails
    // with the capture's error, through the same states as in a browser.
    const failure = (await binding.start().catch((e: unknown) => e)) as { code: string };
    assert.equal(failure.code, 'microphone-unsupported');
    assert.ok(binding.transcriber, 'made once loaded');
    assert.equal(binding.getSnapshot().state, 'error');
    assert.deepEqual(errors, ['microphone-unsupported']);
    assert.deepEqual(
      states.map(({ previous, state, reason }) => `${previous}→${state} (${reason})`),
      [
        'idle→connecting (start)',
        'connecting→idle (stopped)',
        'idle→connecting (start)',
        'connecting→error (microphone-unsupported)',
      ]
    );
  });
});
