// SPDX-License-Identifier: MIT
// The React events map against the element's custom-elements.json: one prop per element event,
// no more, no fewer, each named after its event (`lt-state-change` → `onStateChange`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { liveTranscriptEvents } from '@live-transcript/react';
import { elementEvents } from '../../../../test-support/node/element-manifest.js';

const propName = (event: string) =>
  'on' + event.replace(/^lt-/, '').replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

describe('React events map vs custom-elements.json', () => {
  const events = elementEvents();

  it('the manifest lists lt-* events for <live-transcript>', () => {
    assert.ok(events.length > 0, 'no events in the manifest');
    for (const name of events) assert.match(name, /^lt-[a-z]+(-[a-z]+)*$/);
  });

  it('maps every element event, and nothing else', () => {
    const mapped = Object.values(liveTranscriptEvents) as string[];
    assert.deepEqual(
      mapped.filter((name) => !events.includes(name)),
      [],
      'mapped, but not an event of the element'
    );
    assert.deepEqual(
      events.filter((name) => !mapped.includes(name)),
      [],
      'events of the element without a prop'
    );
    assert.equal(new Set(mapped).size, mapped.length, 'one prop per event');
  });

  it('names each prop after its event', () => {
    for (const [prop, event] of Object.entries(liveTranscriptEvents)) {
      assert.equal(prop, propName(event as string));
    }
  });

  it('documents the same map in the README events table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `(on\w+)` +\| `(lt-[a-z-]+)` +\|/gm)].map((m) => [
      m[1],
      m[2],
    ]);
    assert.deepEqual(rows, Object.entries(liveTranscriptEvents));
  });
});
