// SPDX-License-Identifier: MIT
// The editor and tool files that `npm run build` derives from custom-elements.json
// (editor-data.mjs): VS Code custom data, JetBrains web-types and the JSX types of the raw tag,
// checked against the manifest; the JSX types compiled with React 19's types against a TSX file
// that must compile, with lines that must not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
// @ts-expect-error: a plain JavaScript module of ours, without types.
import { elementApi, jsxTypes, vscodeHtmlData, webTypes } from '../../editor-data.mjs';

const root = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const json = (file: string) => JSON.parse(read(file));

interface Named {
  name: string;
  description?: string | { kind: string; value: string };
}
interface ManifestMember {
  kind: string;
  name: string;
  readonly?: boolean;
  static?: boolean;
  privacy?: string;
  attribute?: string;
  type?: { text: string };
}
interface ManifestElement {
  tagName: string;
  attributes: Array<{ name: string; fieldName?: string; type?: { text: string } }>;
  members: ManifestMember[];
  events: Named[];
  slots: Named[];
  cssParts: Named[];
  cssProperties: Named[];
}

const manifest = json('custom-elements.json') as {
  modules: Array<{ declarations?: Array<ManifestElement & { customElement?: boolean }> }>;
};
const el = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement)!;
const pkg = json('package.json') as Record<string, unknown> & {
  exports: Record<string, unknown>;
};
const names = (list: Named[] = []) => list.map((item) => item.name).sort();
const fields = el.members.filter(
  (m) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public'
);
const readonlyFields = new Set(fields.filter((m) => m.readonly).map((m) => m.name));
/** Attributes a user may write: those whose property is not read-only (`state` is reflected). */
const settableAttributes = el.attributes
  .filter((a) => !readonlyFields.has(a.fieldName ?? ''))
  .map((a) => a.name)
  .sort();
const settableProperties = fields
  .filter((m) => !m.readonly)
  .map((m) => m.name)
  .sort();

describe('editor data generated from custom-elements.json', () => {
  it('is referenced from package.json and written by the build', () => {
    assert.equal(pkg['web-types'], './dist/web-types.json');
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.equal(
      pkg.exports['./vscode.html-custom-data.json'],
      './dist/vscode.html-custom-data.json'
    );
    assert.equal(
      pkg.exports['./vscode.css-custom-data.json'],
      './dist/vscode.css-custom-data.json'
    );
    assert.deepEqual(pkg.exports['./jsx'], { types: './dist/jsx.d.ts', default: './dist/jsx.js' });
    for (const file of [
      'dist/web-types.json',
      'dist/vscode.html-custom-data.json',
      'dist/vscode.css-custom-data.json',
      'dist/jsx.d.ts',
      'dist/jsx.js',
    ]) {
      assert.ok(existsSync(join(root, file)), `${file} (run npm run build)`);
    }
    assert.ok(settableAttributes.includes('token-url') && !settableAttributes.includes('state'));
  });

  it('VS Code html custom data: the tag, every settable attribute, values and boolean attributes', () => {
    const data = json('dist/vscode.html-custom-data.json') as {
      version: number;
      tags: Array<{
        name: string;
        description: { kind: string; value: string };
        attributes: Array<{ name: string; valueSet?: string; values?: Named[] }>;
      }>;
    };
    assert.equal(data.version, 1.1);
    assert.deepEqual(
      data.tags.map((t) => t.name),
      [el.tagName]
    );
    const [tag] = data.tags;
    assert.deepEqual(names(tag!.attributes), settableAttributes);
    for (const event of el.events) assert.match(tag!.description.value, new RegExp(event.name));
    const attribute = (name: string) => tag!.attributes.find((a) => a.name === name)!;
    for (const { name, type } of el.attributes) {
      if (!settableAttributes.includes(name)) continue;
      const text = type?.text.replace(/ \| undefined$/, '');
      assert.equal(attribute(name).valueSet, text === 'boolean' ? 'v' : undefined, name);
    }
    assert.deepEqual(names(attribute('device-policy').values), ['follow-default', 'stop']);
  });

  it('VS Code css custom data: every custom property', () => {
    const data = json('dist/vscode.css-custom-data.json') as { properties: Named[] };
    assert.deepEqual(names(data.properties), names(el.cssProperties));
  });

  it('web-types: the element with its attributes, properties, events, slots, parts and custom properties', () => {
    const data = json('dist/web-types.json') as {
      name: string;
      version: string;
      contributions: {
        html: {
          elements: Array<{
            name: string;
            attributes: Array<Named & { value: { type: string } }>;
            slots: Named[];
            js: { properties: Named[]; events: Named[] };
            css: { properties: Named[]; parts: Named[] };
          }>;
        };
      };
    };
    assert.equal(data.name, pkg.name);
    assert.equal(data.version, pkg.version);
    const [element] = data.contributions.html.elements;
    assert.equal(element!.name, el.tagName);
    assert.deepEqual(names(element!.attributes), settableAttributes);
    assert.equal(element!.attributes.find((a) => a.name === 'format-turns')!.value.type, 'boolean');
    for (const attribute of element!.attributes) {
      // Types an IDE can read without imports: a type name (`StreamingRegion`) becomes `string`.
      assert.match(attribute.value.type, /^(string|number|boolean|'[^']*')( \| '[^']*')*$/);
    }
    assert.deepEqual(names(element!.js.properties), settableProperties);
    assert.deepEqual(names(element!.js.events), names(el.events));
    assert.deepEqual(names(element!.slots), names(el.slots));
    assert.deepEqual(names(element!.css.parts), names(el.cssParts));
    assert.deepEqual(names(element!.css.properties), names(el.cssProperties));
  });

  it('JSX types: one prop per settable attribute and property, one onlt-* handler per event', () => {
    const source = read('dist/jsx.d.ts');
    const props = [...source.matchAll(/^ {2}(?:'([^']+)'|(\w+))\?: /gm)].map(
      (match) => match[1] ?? match[2]
    );
    const expected = new Set([
      ...settableAttributes,
      ...settableProperties,
      ...el.events.map((event) => `on${event.name}`),
    ]);
    assert.deepEqual(props.sort(), [...expected].sort());
    assert.match(source, /declare module 'react' \{\n {2}namespace JSX \{/);
  });

  it('follows attributes and properties however the manifest links them (e.g. from a plugin)', () => {
    // An analyzer plugin may add an attribute that only a field names, or one without a field.
    const extended = structuredClone(manifest) as typeof manifest;
    const element = extended.modules
      .flatMap((m) => m.declarations ?? [])
      .find((d) => d.customElement)!;
    element.members.push({
      kind: 'field',
      name: 'newOption',
      attribute: 'new-option',
      type: { text: 'number | undefined' },
    });
    element.attributes.push({ name: 'loose-flag', type: { text: 'boolean' } });
    const api = elementApi(extended);
    const html = vscodeHtmlData(api, pkg) as {
      tags: Array<{ attributes: Array<{ name: string; valueSet?: string }> }>;
    };
    const attributes = html.tags[0]!.attributes;
    assert.ok(attributes.some((a) => a.name === 'new-option'));
    assert.equal(attributes.find((a) => a.name === 'loose-flag')?.valueSet, 'v');
    const types = webTypes(api, pkg) as {
      contributions: { html: { elements: Array<{ js: { properties: Named[] } }> } };
    };
    assert.ok(
      types.contributions.html.elements[0]!.js.properties.some((p) => p.name === 'newOption')
    );
    const jsx = jsxTypes(api) as string;
    assert.match(jsx, /'new-option'\?: AttributeValue<LiveTranscriptElement\['newOption'\]>;/);
    assert.match(jsx, /'loose-flag'\?: boolean;/);
    assert.match(jsx, /newOption\?: LiveTranscriptElement\['newOption'\];/);
  });
});

describe('@live-transcript/element/jsx with React 19 types', () => {
  const fixture = join(root, 'test/types/jsx.tsx');
  const config = join(root, 'test/types/tsconfig.json');
  const IMPORT = "import type {} from '@live-transcript/element/jsx';\n";

  /** Type errors in the fixture and in dist/jsx.d.ts (with `source` instead of the fixture's text). */
  function compile(source = readFileSync(fixture, 'utf8')) {
    const { config: raw } = ts.readConfigFile(config, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(raw, ts.sys, dirname(config));
    const host = ts.createCompilerHost(parsed.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === fixture
        ? ts.createSourceFile(name, source, language)
        : getSourceFile(name, language, ...rest);
    const program = ts.createProgram({
      rootNames: parsed.fileNames,
      options: parsed.options,
      host,
    });
    const ours = program
      .getSourceFiles()
      .filter((file) => file.fileName === fixture || file.fileName === join(root, 'dist/jsx.d.ts'));
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...ours.flatMap((file) => [
        ...program.getSyntacticDiagnostics(file),
        ...program.getSemanticDiagnostics(file),
      ]),
    ];
    return {
      files: ours.map((file) => file.fileName),
      errors: diagnostics.map((d) => {
        const where = d.file
          ? `${d.file.fileName.slice(root.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start!).line + 1}`
          : '';
        return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    };
  }

  it('compiles the raw tag with its attributes, properties and events, and refuses every wrong line', () => {
    const source = readFileSync(fixture, 'utf8');
    assert.ok(source.includes(IMPORT));
    assert.ok((source.match(/@ts-expect-error/g) ?? []).length >= 10);
    const { files, errors } = compile(source);
    assert.equal(
      files.length,
      2,
      `the fixture and dist/jsx.d.ts are compiled: ${files.join(', ')}`
    );
    // An unused @ts-expect-error (a wrong line that compiles) is an error too (TS2578).
    assert.deepEqual(errors, []);
  });

  it('fails without the types: React does not know the tag', () => {
    const { errors } = compile(readFileSync(fixture, 'utf8').replace(IMPORT, ''));
    assert.ok(
      errors.some((e) =>
        /TS2339: Property 'live-transcript' does not exist on type 'JSX.IntrinsicElements'/.test(e)
      ),
      errors.join('\n')
    );
  });
});
