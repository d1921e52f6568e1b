// SPDX-License-Identifier: MIT
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LiveTranscriptError, streamingUrl, type TurnMessage } from '../../src/index.js';
import { buildConnectionUrl, classifyClose, parseServerMessage } from '../../src/session/index.js';

const fixtures = join(import.meta.dirname, '../../../../fixtures/sessions');

describe('buildConnectionUrl', () => {
  it('sends camelCase options as snake_case query parameters', () => {
    const url = buildConnectionUrl(
      {
        speechModel: 'universal-streaming-english',
        sampleRate: 16000,
        encoding: 'pcm_s16le',
        endOfTurnConfidenceThreshold: 0.7,
        minTurnSilence: 160,
        maxTurnSilence: 400,
        speakerLabels: true,
        maxSpeakers: 2,
        inactivityTimeout: 30,
        filterProfanity: true,
        languageDetection: true,
        vadThreshold: 0.5,
        prompt: 'Transcribe a meeting about billing & refunds.',
      },
      { token: 'tok' }
    );
    assert.equal(url.origin + url.pathname, 'wss://streaming.assemblyai.com/v3/ws');
    const q = Object.fromEntries(url.searchParams);
    assert.deepEqual(q, {
      speech_model: 'universal-streaming-english',
      sample_rate: '16000',
      encoding: 'pcm_s16le',
      end_of_turn_confidence_threshold: '0.7',
      min_turn_silence: '160',
      max_turn_silence: '400',
      speaker_labels: 'true',
      max_speakers: '2',
      inactivity_timeout: '30',
      filter_profanity: 'true',
      language_detection: 'true',
      vad_threshold: '0.5',
      prompt: 'Transcribe a meeting about billing & refunds.',
      token: 'tok',
    });
    assert.match(url.search, /prompt=Transcribe\+a\+meeting\+about\+billing\+%26\+refunds\./);
  });

  it('omits undefined but sends 0 and false (the official SDK cannot)', () => {
    const q = buildConnectionUrl({
      endOfTurnConfidenceThreshold: 0,
      maxTurnSilence: 0,
      formatTurns: false,
      prompt: undefined,
      speakerLabels: undefined,
    }).searchParams;
    assert.equal(q.get('end_of_turn_confidence_threshold'), '0');
    assert.equal(q.get('max_turn_silence'), '0');
    assert.equal(q.get('format_turns'), 'false');
    assert.equal(q.has('prompt'), false);
    assert.equal(q.has('speaker_labels'), false);
    assert.equal(q.has('token'), false);
  });

  it('JSON-encodes arrays into one parameter and passes extraParams through', () => {
    const url = buildConnectionUrl({
      keytermsPrompt: ['AssemblyAI', 'Keanu Reeves'],
      languageCodes: ['en', 'es'],
      extraParams: {
        voice_focus: 'near-field',
        continuous_partials: false,
        llm_gateway: { model: 'x' },
      },
    });
    assert.equal(url.searchParams.getAll('keyterms_prompt').length, 1);
    assert.deepEqual(JSON.parse(url.searchParams.get('keyterms_prompt')!), [
      'AssemblyAI',
      'Keanu Reeves',
    ]);
    assert.match(url.search, /keyterms_prompt=%5B%22AssemblyAI%22%2C%22Keanu\+Reeves%22%5D/);
    assert.equal(url.searchParams.get('language_codes'), '["en","es"]');
    assert.equal(url.searchParams.get('voice_focus'), 'near-field');
    assert.equal(url.searchParams.get('continuous_partials'), 'false');
    assert.equal(url.searchParams.get('llm_gateway'), '{"model":"x"}');
  });

  it('picks the host from region or url', () => {
    assert.equal(streamingUrl({ region: 'eu' }).href, 'wss://streaming.eu.assemblyai.com/v3/ws');
    assert.equal(streamingUrl({ region: 'us' }).href, 'wss://streaming.us.assemblyai.com/v3/ws');
    assert.equal(
      streamingUrl({ url: 'ws://127.0.0.1:9000/v3/ws', region: 'eu' }).href,
      'ws://127.0.0.1:9000/v3/ws'
    );
    assert.equal(
      streamingUrl({ url: 'https://example.test/v3/ws' }).href,
      'wss://example.test/v3/ws'
    );
  });

  it('rejects bad values with invalid-option errors that say what to do', () => {
    const bad = [
      () => streamingUrl({ region: 'mars' as never }),
      () => streamingUrl({ url: 'ftp://example.test/' }),
      () => streamingUrl({ url: 'not a url' }),
      () => buildConnectionUrl({ sampleRate: Number('abc') }),
      () => buildConnectionUrl({ vadThreshold: Infinity }),
    ];
    for (const fn of bad) {
      assert.throws(fn, (error: unknown) => {
        assert.ok(error instanceof LiveTranscriptError);
        assert.equal(error.code, 'invalid-option');
        assert.equal(error.retriable, false);
        return true;
      });
    }
    assert.throws(() => streamingUrl({ region: 'mars' as never }), /use "us" or "eu"/);
  });
});

describe('parseServerMessage', () => {
  it('reads every message of every fixture session', () => {
    let count = 0;
    for (const file of readdirSync(fixtures)) {
      for (const line of readFileSync(join(fixtures, file), 'utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { message?: { type: string } };
        if (!entry.message) continue;
        const result = parseServerMessage(JSON.stringify(entry.message));
        assert.ok(result.ok, `${file}: ${line}`);
        assert.equal(result.message.type, entry.message.type);
        count += 1;
      }
    }
    assert.ok(count > 100);
  });

  it('keeps Turn fields and word details', () => {
    const result = parseServerMessage(
      JSON.stringify({
        type: 'Turn',
        turn_order: 3,
        turn_is_formatted: true,
        end_of_turn: true,
        transcript: 'Please send it to Marta.',
        end_of_turn_confidence: 1,
        utterance: 'Please send it to Marta.',
        language_code: 'en',
        language_confidence: 0.99,
        speaker_label: 'B',
        words: [
          {
            text: 'Please',
            start: 10,
            end: 20,
            confidence: 0.9,
            word_is_final: true,
            speaker: 'B',
          },
        ],
      })
    );
    assert.ok(result.ok && result.message.type === 'Turn');
    assert.deepEqual(result.message, {
      type: 'Turn',
      turn_order: 3,
      turn_is_formatted: true,
      end_of_turn: true,
      transcript: 'Please send it to Marta.',
      end_of_turn_confidence: 1,
      utterance: 'Please send it to Marta.',
      language_code: 'en',
      language_confidence: 0.99,
      speaker_label: 'B',
      words: [
        { text: 'Please', start: 10, end: 20, confidence: 0.9, word_is_final: true, speaker: 'B' },
      ],
    });
  });

  it('never throws on garbage, and says what was wrong', () => {
    const garbage: unknown[] = [
      'not json',
      '',
      '[]',
      'null',
      '42',
      '"Turn"',
      '{}',
      '{"type":7}',
      '{"type":"Turn"}',
      '{"type":"Turn","turn_order":-1}',
      '{"type":"Turn","turn_order":1.5}',
      '{"type":"Begin"}',
      new ArrayBuffer(8),
      undefined,
      { type: 'Begin' },
    ];
    for (const frame of garbage) {
      const result = parseServerMessage(frame);
      assert.equal(result.ok, false, String(frame));
      assert.ok(!result.ok && result.error.length > 0);
    }
  });

  it('coerces missing or mistyped Turn fields instead of failing', () => {
    const result = parseServerMessage(
      '{"type":"Turn","turn_order":0,"end_of_turn":"yes","words":[{"text":"hi","start":"1"},null,{"start":2},{"text":"there","start":5,"end":9,"word_is_final":true}]}'
    );
    assert.ok(result.ok && result.message.type === 'Turn');
    const turn = result.message as TurnMessage;
    assert.equal(turn.end_of_turn, false);
    assert.equal(turn.words.length, 2);
    assert.deepEqual(turn.words[0], {
      text: 'hi',
      start: 0,
      end: 0,
      confidence: 1,
      word_is_final: false,
    });
    assert.equal(turn.transcript, 'there');
  });

  it('accepts both Error shapes, Warning, SpeakerRevision, and keeps unknown types whole', () => {
    const current = parseServerMessage(
      '{"type":"Error","error_code":3007,"error":"Input duration violation: 20 ms"}'
    );
    assert.deepEqual(current.ok && current.message, {
      type: 'Error',
      error_code: 3007,
      error: 'Input duration violation: 20 ms',
    });
    const legacy = parseServerMessage('{"error":"Session Cancelled"}');
    assert.deepEqual(legacy.ok && legacy.message, {
      type: 'Error',
      error: 'Session Cancelled',
      legacy: true,
    });
    const warning = parseServerMessage(
      '{"type":"Warning","warning_code":1,"warning":"Session ending soon"}'
    );
    assert.ok(warning.ok && warning.message.type === 'Warning');
    const revision = parseServerMessage(
      '{"type":"SpeakerRevision","revisions":[{"turn_order":1,"speaker_label":"A","words":[]},{"bad":true}]}'
    );
    assert.deepEqual(revision.ok && revision.message, {
      type: 'SpeakerRevision',
      revisions: [{ turn_order: 1, speaker_label: 'A', words: [] }],
    });
    const unknown = parseServerMessage(
      '{"type":"LLMGatewayResponse","turn_order":2,"data":{"x":1}}'
    );
    assert.deepEqual(unknown.ok && unknown.message, {
      type: 'LLMGatewayResponse',
      turn_order: 2,
      data: { x: 1 },
    });
  });
});

describe('classifyClose', () => {
  const cases: Array<[number, string, string, boolean]> = [
    [1008, 'Unauthorized Connection: Missing Authorization header', 'auth-failed', false],
    [1008, 'Unauthorized Connection: Account balance is negative', 'auth-failed', false],
    [1008, 'Unauthorized connection: Too many concurrent sessions', 'too-many-sessions', true],
    [3005, 'Session Cancelled: An error occurred', 'server-error', true],
    [3006, 'Invalid Message Type: Nope', 'protocol-error', false],
    [3006, 'Invalid JSON: Expecting value', 'protocol-error', false],
    [
      3007,
      'Input duration violation: 20 ms. Expected between 50 and 1000 ms',
      'protocol-error',
      false,
    ],
    [
      3007,
      'Audio Transmission Rate Exceeded: Received 3 sec. audio in 1 sec',
      'protocol-error',
      false,
    ],
    [3008, 'Session Expired: Maximum session duration exceeded', 'session-expired', true],
    [3009, 'Unauthorized Connection: Too many concurrent sessions', 'too-many-sessions', true],
    [1001, '', 'server-error', true],
    [1011, '', 'server-error', true],
    [1012, '', 'server-error', true],
    [1013, '', 'server-error', true],
    [1006, '', 'network', true],
    // The 2025 service sent 3005 for every reason: the text decides.
    [3005, 'Input duration violation: 1400 ms', 'protocol-error', false],
    [3005, 'Session Expired: Maximum session duration exceeded', 'session-expired', true],
    [4001, '', 'auth-failed', false],
    [4999, '', 'server-error', true],
  ];

  for (const [code, reason, expected, retriable] of cases) {
    it(`${code} ${reason || '(no reason)'} -> ${expected}`, () => {
      for (const beforeBegin of [true, false]) {
        const error = classifyClose({ code, reason, beforeBegin });
        assert.ok(error instanceof LiveTranscriptError);
        assert.equal(error.code, expected);
        assert.equal(error.retriable, retriable);
        assert.equal(error.closeCode, code);
        if (reason) assert.ok(error.message.includes(reason), error.message);
      }
    });
  }

  it('treats 1000 as a normal end unless an Error frame came first', () => {
    assert.equal(classifyClose({ code: 1000 }), undefined);
    assert.equal(classifyClose({ code: 1000, reason: '' }), undefined);
    assert.equal(
      classifyClose({ code: 1000, error: 'Session Cancelled: An error occurred' })?.code,
      'server-error'
    );
  });

  it('prefers the Error frame text over a truncated close reason', () => {
    const error = classifyClose({
      code: 3005,
      reason: 'See Error message for details',
      error: 'Audio Transmission Rate Exceeded: Received 5 sec. audio in 2 sec',
      errorCode: 3007,
    });
    assert.equal(error?.code, 'protocol-error');
    assert.match(error!.message, /Audio Transmission Rate Exceeded/);
    assert.doesNotMatch(error!.message, /See Error message/);
  });

  it('explains a drop before Begin differently from a drop mid-session', () => {
    assert.match(
      classifyClose({ code: 1006, beforeBegin: true })!.message,
      /before the session began/
    );
    assert.match(classifyClose({ code: 1006, beforeBegin: false })!.message, /dropped/);
  });
});
