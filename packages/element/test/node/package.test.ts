// SPDX-License-Identifier: MIT
// The element package as published: custom-elements.json (written by `npm run build`) matches
// the source, the README documents everything in it, and `./define` behaves in plain Node.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Declaration {
  customElement?: boolean;
  tagName?: string;
  attributes?: Array<{ name: string; fieldName?: string }>;
  members?: Array<{ kind: string; name: string; privacy?: string; static?: boolean }>;
  events?: Array<{ name: string; type?: { text: string } }>;
  slots?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string; default?: string }>;
}
const manifest = JSON.parse(read('custom-elements.json')) as {
  modules: Array<{
    path: string;
    declarations?: Declaration[];
    exports?: Array<{ kind: string; name: string }>;
  }>;
};
const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement)!;

/** The twelve core events, as the wrappers map them. */
const CORE_EVENTS = [
  'state-change',
  'begin',
  'speech-start',
  'turn',
  'final',
  'level',
  'reconnecting',
  'error',
  'end',
  'message',
  'warning',
  'device-change',
];
const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

describe('custom-elements.json', () => {
  it('describes <live-transcript> and where it is defined', () => {
    assert.equal(element.tagName, 'live-transcript');
    const define = manifest.modules.find((m) => m.path === 'src/define.ts')!;
    assert.ok(
      define.exports!.some(
        (e) => e.kind === 'custom-element-definition' && e.name === 'live-transcript'
      )
    );
  });

  it('lists exactly the twelve lt-* events, each with its Event class', () => {
    assert.deepEqual(
      element.events!.map((e) => e.name).sort(),
      CORE_EVENTS.map((name) => `lt-${name}`).sort()
    );
    for (const event of element.events!) {
      assert.equal(event.type?.text, `Lt${pascal(event.name.slice(3))}Event`, event.name);
    }
  });

  it('has one event module per event, each declaring its class in GlobalEventHandlersEventMap', () => {
    const files = readdirSync(join(root, 'src/events')).filter((f) => f !== 'index.ts');
    assert.deepEqual(files.sort(), CORE_EVENTS.map((name) => `${name}.ts`).sort());
    for (const name of CORE_EVENTS) {
      const source = read(`src/events/${name}.ts`);
      assert.match(
        source,
        new RegExp(`super\\('lt-${name}', \\{ bubbles: true, composed: true \\}\\)`)
      );
      assert.match(source, new RegExp(`'lt-${name}': Lt${pascal(name)}Event;`));
    }
  });

  it('links every attribute to a public property, with kebab-case names', () => {
    const fields = new Set(element.members!.filter((m) => m.kind === 'field').map((m) => m.name));
    for (const attribute of element.attributes!) {
      assert.ok(attribute.fieldName && fields.has(attribute.fieldName), attribute.name);
      assert.match(attribute.name, /^[a-z]+(-[a-z]+)*$/);
      // `for` is `htmlFor`, as on <label> (`for` is a reserved word).
      const field = attribute.fieldName === 'htmlFor' ? 'for' : attribute.fieldName!;
      const kebab = field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
      assert.equal(attribute.name, kebab, `${attribute.fieldName} ↔ ${attribute.name}`);
    }
    for (const name of [
      'getToken',
      'labels',
      'tokenRequestInit',
      'microphone',
      'media',
      'extraParams',
    ]) {
      assert.ok(fields.has(name), `${name} is a property`);
      assert.ok(!element.attributes!.some((a) => a.fieldName === name), `${name} has no attribute`);
    }
  });

  it('documents the design parts, the slots and custom properties with fallbacks', () => {
    const parts = element.cssParts!.map((p) => p.name);
    for (const part of [
      'base',
      'control',
      'status',
      'warning',
      'device',
      'level',
      'transcript',
      'turn',
      'partial',
      'error',
    ]) {
      assert.ok(parts.includes(part), part);
    }
    assert.deepEqual(element.slots!.map((s) => s.name).sort(), ['control', 'empty']);
    const styles = read('src/live-transcript.styles.ts');
    for (const property of element.cssProperties!) {
      assert.match(property.name, /^--live-transcript-/);
      assert.ok(property.default, `${property.name} has a default`);
      assert.match(
        styles,
        new RegExp(`var\\(\\s*${property.name},`),
        `${property.name} is used with a fallback`
      );
    }
    const used = new Set(styles.match(/--live-transcript-[a-z-]+/g));
    assert.deepEqual([...used].sort(), element.cssProperties!.map((p) => p.name).sort());
    const source = read('src/live-transcript.ts') + read('src/live-transcript.styles.ts');
    for (const part of parts)
      assert.match(source, new RegExp(`part(=|', |\\()["']${part}["']`), part);
  });
});

describe('README.md', () => {
  it('is up to date with custom-elements.json (npm run docs)', async () => {
    await run(process.execPath, [join(root, 'api-docs.mjs'), '--check'], { cwd: root });
  });

  it('lists every attribute, property, method, event, slot, part and custom property', () => {
    const readme = read('README.md');
    const names = [
      ...element.attributes!.map((a) => a.name),
      ...element
        .members!.filter((m) => m.privacy !== 'private' && !m.name.startsWith('#'))
        .map((m) => m.name),
      ...element.events!.map((e) => e.name),
      ...element.slots!.map((s) => s.name),
      ...element.cssParts!.map((p) => p.name),
      ...element.cssProperties!.map((p) => p.name),
    ];
    for (const name of names) assert.match(readme, new RegExp(`\`(static )?${name}\\b`), name);
  });
});

describe('@live-transcript/element/define in plain Node', () => {
  const probe = (setup: string) =>
    run(
      process.execPath,
      ['--input-type=module', '-e', `${setup}\nawait import('@live-transcript/element/define');`],
      {
        cwd: root,
      }
    );

  it('does nothing without customElements', async () => {
    const { stdout, stderr } = await probe(
      `Object.defineProperty(globalThis, 'customElements', { get: () => undefined, set() {}, configurable: true });
       const { LiveTranscriptElement } = await import('@live-transcript/element');
       console.log(typeof LiveTranscriptElement.define);`
    );
    assert.equal(stdout.trim(), 'function');
    assert.equal(stderr, '');
  });

  it('registers once, and warns (without throwing) when another copy holds the tag', async () => {
    const { stdout } = await probe(
      `await import('@live-transcript/element/define');
       const { LiveTranscriptElement } = await import('@live-transcript/element');
       console.log(customElements.get('live-transcript') === LiveTranscriptElement);`
    );
    assert.equal(stdout.trim(), 'true');
    const { stderr } = await probe(
      `await import('lit');
       const { HTMLElement } = await import('@lit-labs/ssr-dom-shim');
       customElements.define('live-transcript', class extends HTMLElement {});`
    );
    assert.match(stderr, /already defined by another copy of @live-transcript\/element/);
  });
});
