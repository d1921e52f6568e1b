// SPDX-License-Identifier: MIT
// The capture worklet as built (audio.md §10 target 21): one self-contained module, no imports,
// at most 8 kB minified; dist/capture-worklet.js and the inlined copy for the Blob URL fallback
// are the same code. Needs the package build (turbo runs it before the tests).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LiveTranscriber, LiveTranscriptError } from '../../src/index.js';
import { AudioCapture } from '../../src/audio/index.js';

const dist = join(import.meta.dirname, '../../dist');

describe('capture worklet build', () => {
  const file = join(dist, 'capture-worklet.js');

  it('dist/capture-worklet.js is one module without imports, under 8 kB minified', () => {
    assert.ok(existsSync(file), 'build the package first (npm run build)');
    const code = readFileSync(file, 'utf8');
    console.log(`  capture-worklet.js: ${code.length} bytes minified`);
    assert.ok(code.length <= 8192, `${code.length} bytes`);
    assert.doesNotMatch(code, /(^|[;\s}])(import|export)[\s{(*"']/);
    assert.match(code, /registerProcessor\(/);
    assert.ok(code.split('\n').length < 5, 'minified');
  });

  it('dist/audio/worklet-code.js (the Blob URL fallback) holds the same code', async () => {
    const built = readFileSync(file, 'utf8');
    const inlined = (await import(pathToFileURL(join(dist, 'audio/worklet-code.js')).href)) as {
      default: string;
    };
    assert.equal(inlined.default, built);
    assert.doesNotMatch(readFileSync(join(dist, 'index.js'), 'utf8'), /worklet-code/);
  });
});

describe('AudioCapture outside a browser', () => {
  it('constructs without browser globals and rejects start() as unsupported', async () => {
    const capture = new AudioCapture({ frameMs: 100 });
    assert.equal(capture.sampleRate, 16000);
    assert.equal(capture.frameMs, 100);
    assert.equal(capture.encoding, 'pcm_s16le');
    assert.equal(new AudioCapture({ encoding: 'pcm_mulaw' }).encoding, 'pcm_mulaw');
    assert.equal(capture.contextSampleRate, undefined);
    await assert.rejects(
      capture.start(),
      (error) => error instanceof LiveTranscriptError && error.code === 'microphone-unsupported'
    );
    assert.equal(capture.state, 'idle');
    await capture.stop();
  });

  it('rejects invalid options with invalid-option', () => {
    for (const options of [
      { frameMs: 49 },
      { frameMs: 1001 },
      { frameMs: NaN },
      { sampleRate: 16000.5 },
      { sampleRate: 4000 },
      { sampleRate: 96000 },
      { devicePolicy: 'sometimes' },
      { encoding: 'opus' },
    ]) {
      assert.throws(
        () => new AudioCapture(options as never),
        (error) => error instanceof LiveTranscriptError && error.code === 'invalid-option'
      );
    }
  });

  it('LiveTranscriber refuses an encoding the capture cannot produce, up front', () => {
    assert.throws(
      () => new LiveTranscriber({ tokenUrl: '/token', encoding: 'opus' as never }),
      (error) =>
        error instanceof LiveTranscriptError &&
        error.code === 'invalid-option' &&
        /encoding must be "pcm_s16le" or "pcm_mulaw", got "opus"/.test(error.message)
    );
    for (const encoding of ['pcm_s16le', 'pcm_mulaw', undefined] as const)
      assert.ok(new LiveTranscriber({ tokenUrl: '/token', encoding }));
  });
});
