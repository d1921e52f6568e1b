// SPDX-License-Identifier: MIT
// The Vue emits against the element's custom-elements.json: one emit per element event, no
// more, no fewer, under the same name.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LiveTranscript, liveTranscriptEmits } from '@live-transcript/vue';
import { elementEvents } from '../../../../test-support/node/element-manifest.js';

describe('Vue emits vs custom-elements.json', () => {
  const events = elementEvents();

  it('the manifest lists lt-* events for <live-transcript>', () => {
    assert.ok(events.length > 0, 'no events in the manifest');
  });

  it('declares every element event as an emit, and nothing else', () => {
    const { emits } = LiveTranscript as unknown as { emits: Record<string, unknown> };
    assert.equal(emits, liveTranscriptEmits);
    const declared = Object.keys(emits);
    assert.deepEqual(
      declared.filter((name) => !events.includes(name)),
      [],
      'emitted, but not an event of the element'
    );
    assert.deepEqual(
      events.filter((name) => !declared.includes(name)),
      [],
      'events of the element not emitted'
    );
  });

  it('documents the same emits in the README events table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `(lt-[a-z-]+)` +\|/gm)].map((m) => m[1]);
    assert.deepEqual(rows, Object.keys(liveTranscriptEmits));
  });
});
