// SPDX-License-Identifier: MIT
// The options table: its rows, the checks and the query allow-list that read it, and the
// generated README table.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  LiveTranscriber,
  LiveTranscriptError,
  OPTIONS,
  attributeName,
  checkLiveChanges,
  checkOption,
  optionKeys,
  optionSpec,
  type OptionSpec,
} from '../../src/index.js';
import { StreamingSession } from '../../src/session/index.js';
import { applyMessage, buildConnectionUrl } from '../../src/session/index.js';

const rows = Object.entries(OPTIONS as Record<string, OptionSpec>);
const invalid = (pattern: RegExp) => (error: unknown) =>
  error instanceof LiveTranscriptError &&
  error.code === 'invalid-option' &&
  pattern.test(error.message);

describe('the options table', () => {
  it('has one consistent row per option', () => {
    for (const [key, spec] of rows) {
      assert.match(key, /^[a-zA-Z]+$/, key);
      assert.ok(['connect', 'live', 'client'].includes(spec.scope), `${key}: scope`);
      if (spec.min !== undefined && spec.max !== undefined) assert.ok(spec.min < spec.max, key);
      if (spec.default !== undefined) checkOption(key, spec.default); // defaults are valid
      if (spec.values) assert.ok(['string', 'any'].includes(spec.type), `${key}: values`);
    }
  });

  it('marks as live exactly the settings UpdateConfiguration takes (protocol.md §4.2)', () => {
    assert.deepEqual(optionKeys('live').sort(), [
      'endOfTurnConfidenceThreshold',
      'filterProfanity',
      'formatTurns',
      'keytermsPrompt',
      'languageCodes',
      'maxTurnSilence',
      'minTurnSilence',
      'mode',
      'prompt',
      'vadThreshold',
    ]);
    for (const key of ['speechModel', 'sampleRate', 'encoding', 'speakerLabels', 'maxSpeakers']) {
      assert.equal(optionSpec(key)?.scope, 'connect', key);
    }
  });

  it('names attributes in kebab-case unless a row says otherwise', () => {
    assert.equal(
      attributeName('endOfTurnConfidenceThreshold', OPTIONS.endOfTurnConfidenceThreshold),
      'end-of-turn-confidence-threshold'
    );
    assert.equal(attributeName('keytermsPrompt', OPTIONS.keytermsPrompt), 'keyterms');
    assert.equal(attributeName('getToken', OPTIONS.getToken), undefined);
    assert.equal(attributeName('WebSocket', OPTIONS.WebSocket), undefined);
  });
});

describe('checkOption', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['sampleRate', 96000, /^sampleRate must be an integer from 8000 to 48000, got 96000\.$/],
    ['sampleRate', 16000.5, /an integer from 8000 to 48000, got 16000.5/],
    ['sampleRate', 'abc', /^sampleRate must be a finite number, got "abc"\.$/],
    ['frameMs', 10, /^frameMs must be a number from 50 to 1000, got 10\.$/],
    ['minTurnSilence', -5, /^minTurnSilence must be a number ≥ 0, got -5\.$/],
    ['vadThreshold', NaN, /vadThreshold must be a finite number, got NaN/],
    ['region', 'mars', /^region must be "us" or "eu", got "mars"\.$/],
    ['encoding', 'opus', /encoding must be "pcm_s16le" or "pcm_mulaw", got "opus"/],
    ['formatTurns', 'yes', /formatTurns must be true or false, got "yes"/],
    ['keytermsPrompt', 'a,b', /keytermsPrompt must be an array of strings/],
    ['keytermsPrompt', Array.from({ length: 101 }, (_, i) => `t${i}`), /at most 100 items/],
    ['getToken', 'token', /getToken must be a function/],
    ['microphone', [], /microphone must be an object/],
    ['tokenUrl', 42, /tokenUrl must be a string or a URL, got 42/],
    ['source', 'speakers', /^source must be "microphone" or "display", got "speakers"\.$/],
    ['deviceId', 7, /^deviceId must be a string, got 7\.$/],
  ];
  for (const [key, value, message] of cases) {
    it(`${key}: ${JSON.stringify(value)?.slice(0, 30)} → ${message.source.slice(0, 40)}`, () => {
      assert.throws(() => checkOption(key, value), invalid(message));
    });
  }

  it('accepts valid values, undefined, and names what the caller names', () => {
    checkOption('sampleRate', 8000);
    checkOption('sampleRate', undefined);
    checkOption('keytermsPrompt', []);
    checkOption('tokenUrl', new URL('https://example.test/token'));
    checkOption('unknownOption', 'anything');
    checkOption('source', 'display');
    checkOption('source', { kind: 'mine', open: async () => ({}), close() {} }); // not a string
    assert.throws(() => checkOption('sampleRate', 1, 'sample-rate'), invalid(/^sample-rate must/));
  });

  it('is what LiveTranscriber checks, in the constructor', () => {
    assert.throws(
      () => new LiveTranscriber({ tokenUrl: '/t', sampleRate: 96000 }),
      invalid(/sampleRate must be an integer from 8000 to 48000/)
    );
    assert.throws(() => new LiveTranscriber({}), invalid(/Set tokenUrl/));
    assert.throws(
      () => new LiveTranscriber({ tokenUrl: '/t', url: 'ftp://example.test/' }),
      invalid(/ws: or wss:/)
    );
  });
});

describe('checkLiveChanges', () => {
  it('refuses connect-time and client options, naming the key and the restart', () => {
    for (const key of ['speechModel', 'sampleRate', 'encoding', 'speakerLabels', 'tokenUrl']) {
      assert.throws(
        () => checkLiveChanges({ [key]: OPTIONS[key as keyof typeof OPTIONS].default ?? 'x' }),
        invalid(new RegExp(`^${key} cannot change mid-session: it needs a restart`))
      );
    }
    assert.throws(() => checkLiveChanges({ nope: 1 }), invalid(/Unknown option nope/));
    assert.throws(() => checkLiveChanges({ vadThreshold: 2 }), invalid(/vadThreshold must be/));
    checkLiveChanges({ maxTurnSilence: 3000, keytermsPrompt: [], formatTurns: false });
  });

  it('LiveTranscriber.updateConfiguration() refuses them, changing nothing', () => {
    const transcriber = new LiveTranscriber({ tokenUrl: '/t', speechModel: 'u3-rt-pro' });
    assert.throws(
      () =>
        transcriber.updateConfiguration({
          maxTurnSilence: 900,
          speechModel: 'whisper-rt',
        } as never),
      invalid(/^speechModel cannot change mid-session/)
    );
    assert.equal(transcriber.options.speechModel, 'u3-rt-pro');
    assert.equal(transcriber.options.maxTurnSilence, undefined, 'nothing applied');
    transcriber.updateConfiguration({ maxTurnSilence: 900 });
    assert.equal(transcriber.options.maxTurnSilence, 900);
  });

  it('a formatTurns change reaches the transcript store', () => {
    const transcriber = new LiveTranscriber({
      tokenUrl: '/t',
      speechModel: 'universal-streaming-english',
    });
    const turn = (formatted: boolean) => ({
      type: 'Turn',
      turn_order: 0,
      turn_is_formatted: formatted,
      end_of_turn: true,
      transcript: formatted ? 'Hello.' : 'hello',
      end_of_turn_confidence: 0.9,
      words: [],
    });
    transcriber.updateConfiguration({ formatTurns: true });
    applyMessage(transcriber.transcript, turn(false), { sessionId: 's' });
    assert.equal(transcriber.transcript.lastReady.length, 0, 'waits for the formatted copy');
    applyMessage(transcriber.transcript, turn(true), { sessionId: 's' });
    assert.equal(transcriber.transcript.lastReady[0]?.text, 'Hello.');
  });

  it('StreamingSession.updateConfiguration() refuses them too', () => {
    const session = new StreamingSession({ token: 't' });
    assert.throws(
      () => session.updateConfiguration({ sampleRate: 8000 } as never),
      invalid(/^sampleRate cannot change mid-session/)
    );
  });
});

describe('the query string', () => {
  it('is an allow-list: only wire options and extraParams reach it', () => {
    const url = buildConnectionUrl(
      {
        ...({ frameMs: 100, tokenUrl: '/t', preRollMs: 10, WebSocket: class {} } as object),
        speechModel: 'whisper-rt',
        maxTurnSilence: 0,
        formatTurns: false,
        extraParams: { voice_focus: 'near-field' },
      },
      { token: 'tok' }
    );
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      speech_model: 'whisper-rt',
      sample_rate: '16000',
      encoding: 'pcm_s16le',
      format_turns: 'false',
      max_turn_silence: '0',
      voice_focus: 'near-field',
      token: 'tok',
    });
  });
});

describe('the README options table', () => {
  it('is generated from the table (node scripts/options-docs.mjs)', async () => {
    const script = join(import.meta.dirname, '../../../../scripts/options-docs.mjs');
    await promisify(execFile)(process.execPath, [script, '--check']);
  });
});
