// SPDX-License-Identifier: MIT
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LiveTranscriptError, isLiveTranscriptError, redactSecrets } from '../../src/index.js';

describe('LiveTranscriptError', () => {
  it('carries a code and a default retriable flag per code', () => {
    assert.equal(new LiveTranscriptError('network', 'offline').retriable, true);
    assert.equal(new LiveTranscriptError('auth-failed', 'bad token').retriable, false);
    assert.equal(new LiveTranscriptError('auth-failed', 'x', { retriable: true }).retriable, true);
  });

  it('keeps the close code and the cause, and serialises without the cause', () => {
    const cause = new TypeError('boom');
    const error = new LiveTranscriptError('server-error', 'Server cancelled', {
      closeCode: 3005,
      cause,
    });
    assert.equal(error.cause, cause);
    assert.deepEqual(JSON.parse(JSON.stringify(error)), {
      name: 'LiveTranscriptError',
      code: 'server-error',
      message: 'Server cancelled',
      retriable: true,
      closeCode: 3005,
    });
    assert.ok(error instanceof Error);
    assert.ok(isLiveTranscriptError(error));
    assert.ok(!isLiveTranscriptError(cause));
  });

  it('never lets a token or key reach the message', () => {
    const error = new LiveTranscriptError(
      'network',
      'Could not reach wss://streaming.assemblyai.com/v3/ws?sample_rate=16000&token=eyJhbGciOi.secret.sig&x=1'
    );
    assert.ok(!error.message.includes('eyJhbGciOi'));
    assert.match(error.message, /token=\[redacted\]&x=1/);
    assert.equal(redactSecrets('Authorization: 0123456789abcdef'), 'Authorization: [redacted]');
    assert.equal(redactSecrets('{"authorization":"abc123"}'), '{"authorization":"[redacted]"}');
  });
});
