#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Editor and tool data for <live-transcript>, generated from custom-elements.json by
// `npm run build` (after `cem analyze`). Only the manifest and package.json are read, never the
// source: whatever puts an attribute, a property or an event in the manifest (JSDoc, a decorator,
// an analyzer plugin) puts it here too.
//
//   dist/vscode.html-custom-data.json  VS Code `html.customData`: the tag, its attributes, their
//                                      values, hover docs
//   dist/vscode.css-custom-data.json   VS Code `css.customData`: the --live-transcript-* properties
//   dist/web-types.json                JetBrains IDEs, found through the `web-types` field
//   dist/jsx.d.ts, dist/jsx.js         `@live-transcript/element/jsx`: the raw tag in React 19's
//                                      JSX, typed from the element class
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { element } from './api-docs.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** A manifest type without `undefined` and `null`: what a user may write. */
const definedType = (text = '') =>
  text
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part && part !== 'undefined' && part !== 'null')
    .join(' | ');

/** The string values of a type made only of string literals (`'us' | 'eu'`), else none. */
function literalValues(text) {
  const parts = definedType(text).split(' | ');
  const values = parts.map((part) => /^'([^'\\]*)'$|^"([^"\\]*)"$/.exec(part));
  return values.every(Boolean) ? values.map((match) => match[1] ?? match[2]) : [];
}

/**
 * What the manifest says `<live-transcript>` has: its attributes (each with its property, when
 * the manifest links one, from either side), the properties a user may set, events, slots, parts
 * and custom properties. Read-only properties (and the attributes that reflect them) are left
 * out: an editor should not offer what cannot be set.
 */
export function elementApi(manifest) {
  const el = element(manifest);
  const fields = (el.members ?? []).filter(
    (m) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public'
  );
  const byName = new Map(fields.map((field) => [field.name, field]));
  const fieldOf = (attribute) =>
    byName.get(attribute.fieldName) ?? fields.find((field) => field.attribute === attribute.name);
  const declared = new Map((el.attributes ?? []).map((a) => [a.name, a]));
  for (const field of fields) {
    if (field.attribute && !declared.has(field.attribute)) {
      declared.set(field.attribute, { name: field.attribute, fieldName: field.name });
    }
  }
  const attributes = [...declared.values()]
    .map((attribute) => {
      const field = fieldOf(attribute);
      return {
        name: attribute.name,
        field: field?.name,
        type: attribute.type?.text ?? field?.type?.text ?? 'string',
        description: attribute.description ?? field?.description ?? '',
        readonly: Boolean(field?.readonly),
      };
    })
    .filter((attribute) => !attribute.readonly);
  const properties = fields
    .filter((field) => !field.readonly)
    .map((field) => ({
      name: field.name,
      type: field.type?.text ?? 'unknown',
      description: field.description ?? '',
      default: field.default,
    }));
  const named = (list = []) => list.filter((item) => item.name);
  return {
    tagName: el.tagName,
    className: el.name,
    description: el.description ?? el.summary ?? '',
    attributes,
    properties,
    events: named(el.events),
    slots: named(el.slots),
    cssParts: named(el.cssParts),
    cssProperties: named(el.cssProperties),
  };
}

/** The element's description with its events, slots and parts, in Markdown (hover text). */
function summary(api) {
  const list = (title, items) =>
    items.length
      ? `\n\n**${title}:** ${items.map((item) => `\`${item.name || '(default)'}\``).join(', ')}`
      : '';
  return (
    api.description +
    list('Events', api.events) +
    list('Slots', api.slots) +
    list('Parts', api.cssParts) +
    list('Custom properties', api.cssProperties)
  );
}

/** VS Code's `html.customData` (format 1.1). */
export function vscodeHtmlData(api, pkg) {
  const markdown = (value) => ({ kind: 'markdown', value });
  return {
    $schema:
      'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: [
      {
        name: api.tagName,
        description: markdown(summary(api)),
        attributes: api.attributes.map((attribute) => {
          const values = literalValues(attribute.type);
          return {
            name: attribute.name,
            description: markdown(
              `${attribute.description}\n\nType: \`${definedType(attribute.type)}\``.trim()
            ),
            // `v`: VS Code's value set of boolean attributes (completed without `=""`).
            ...(definedType(attribute.type) === 'boolean' ? { valueSet: 'v' } : {}),
            ...(values.length ? { values: values.map((name) => ({ name })) } : {}),
          };
        }),
        references: [{ name: `${pkg.name} on GitHub`, url: pkg.homepage }],
      },
    ],
  };
}

/** VS Code's `css.customData` (format 1.1): the custom properties. */
export function vscodeCssData(api) {
  return {
    $schema:
      'https://raw.githubusercontent.com/microsoft/vscode-css-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    properties: api.cssProperties.map((property) => ({
      name: property.name,
      description: [
        `<${api.tagName}>: ${property.description ?? ''}`.trim(),
        property.default ? `Default: ${property.default}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    })),
  };
}

/**
 * The type of an attribute's value in web-types: the manifest type when it is made of `string`,
 * `number`, `boolean` and string literals; else `string` (an HTML attribute is text, and a type
 * name such as `StreamingRegion` means nothing to the IDE without its import).
 */
function attributeValueType(text) {
  const parts = definedType(text).split(' | ');
  const plain = (part) =>
    ['string', 'number', 'boolean'].includes(part) || literalValues(part).length;
  return parts.every(plain) ? parts.join(' | ') : 'string';
}

/** JetBrains web-types (format 2). */
export function webTypes(api, pkg) {
  const described = (item) => (item.description ? { description: item.description } : {});
  return {
    $schema: 'https://raw.githubusercontent.com/JetBrains/web-types/master/schema/web-types.json',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: {
      html: {
        elements: [
          {
            name: api.tagName,
            description: api.description,
            'doc-url': pkg.homepage,
            source: { module: pkg.name, symbol: api.className },
            attributes: api.attributes.map((attribute) => ({
              name: attribute.name,
              ...described(attribute),
              value: { type: attributeValueType(attribute.type) },
            })),
            slots: api.slots.map((slot) => ({ name: slot.name, ...described(slot) })),
            js: {
              properties: api.properties.map((property) => ({
                name: property.name,
                ...described(property),
                type: property.type,
                ...(property.default !== undefined ? { default: property.default } : {}),
              })),
              events: api.events.map((event) => ({
                name: event.name,
                ...described(event),
                ...(event.type?.text ? { type: event.type.text } : {}),
              })),
            },
            css: {
              properties: api.cssProperties.map((property) => ({
                name: property.name,
                ...described(property),
              })),
              parts: api.cssParts.map((part) => ({ name: part.name, ...described(part) })),
            },
          },
        ],
      },
    },
  };
}

/** A JSDoc comment of `text`, indented by `indent`. */
const jsdoc = (text, indent = '  ') =>
  text
    ? `${indent}/**\n${text
        .replace(/\*\//g, '*\\/')
        .split('\n')
        .map((line) => `${indent} *${line ? ` ${line}` : ''}`)
        .join('\n')}\n${indent} */\n`
    : '';

/** A property key as written in a TypeScript interface. */
const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);

/**
 * `dist/jsx.d.ts`: `<live-transcript>` in React 19's JSX. React 19 sets a prop of a custom element
 * as a property when the element has one (`name in element`), else as an attribute, and makes an
 * `on`-prefixed function a listener of the event named by the rest of the prop, as written:
 * `onlt-final` listens to `lt-final` (`onLtFinal` would listen to `LtFinal`). So the props are
 * the attributes (kebab-case), the settable properties, and one `onlt-*` handler per event.
 * Types come from the element class (`LiveTranscriptElement['tokenUrl']`), names from the
 * manifest.
 */
export function jsxTypes(api, { entry = './index.js' } = {}) {
  const property = new Map(api.properties.map((p) => [p.name, p]));
  const members = [];
  for (const attribute of api.attributes) {
    // A name that is also a property is set as the property (once the element is defined).
    if (property.has(attribute.name)) continue;
    const type = attribute.field
      ? `AttributeValue<${api.className}['${attribute.field}']>`
      : attributeType(attribute.type);
    members.push(
      `${jsdoc(`${attribute.description}\n\nAttribute${attribute.field ? ` of \`${attribute.field}\`` : ''}.`.trim())}  ${key(attribute.name)}?: ${type};`
    );
  }
  for (const p of api.properties) {
    members.push(`${jsdoc(p.description)}  ${key(p.name)}?: ${api.className}['${p.name}'];`);
  }
  for (const event of api.events) {
    members.push(
      `${jsdoc(event.description)}  ${key(`on${event.name}`)}?: (event: EventOf<'${event.name}'>) => void;`
    );
  }
  return `// SPDX-License-Identifier: MIT
// Generated from custom-elements.json by editor-data.mjs (\`npm run build\`): do not edit.
import type { ${api.className} } from '${entry}';

/**
 * The value of an attribute in JSX, from its property's type: React writes numbers as text,
 * \`true\` as an empty attribute, and removes the attribute for \`false\` and \`undefined\`; a list
 * is written comma-separated.
 */
type AttributeValue<T> = T extends boolean
  ? boolean
  : T extends number
    ? number | \`\${number}\`
    : T extends readonly string[]
      ? string | T
      : T;

/** The event object of the element's event \`N\`. */
type EventOf<N extends string> = N extends keyof HTMLElementEventMap ? HTMLElementEventMap[N] : Event;

/**
 * The props of \`<${api.tagName}>\` in React 19's JSX: its attributes, its settable properties
 * (set as properties once the element is defined: import \`@live-transcript/element/define\`
 * first), and a handler per event, named \`on\` + the event name (\`onlt-final\`).
 */
export interface LiveTranscriptJsxProps {
${members.join('\n')}
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      '${api.tagName}': LiveTranscriptJsxProps &
        Omit<DetailedHTMLProps<HTMLAttributes<${api.className}>, ${api.className}>, keyof LiveTranscriptJsxProps>;
    }
  }
}
`;
}

/** The JSX type of an attribute the manifest links to no property: from its manifest type. */
function attributeType(text) {
  const type = definedType(text);
  if (type === 'boolean') return 'boolean';
  if (type === 'number') return 'number | `${number}`';
  if (literalValues(type).length) return type;
  return 'string';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync(join(here, 'custom-elements.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
  const api = elementApi(manifest);
  const dist = join(here, 'dist');
  mkdirSync(dist, { recursive: true });
  const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(join(dist, 'vscode.html-custom-data.json'), json(vscodeHtmlData(api, pkg)));
  writeFileSync(join(dist, 'vscode.css-custom-data.json'), json(vscodeCssData(api)));
  writeFileSync(join(dist, 'web-types.json'), json(webTypes(api, pkg)));
  // The class is imported from the package's main entry, whose types also declare the events.
  const entry = `./${pkg.exports['.'].types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.js')}`;
  writeFileSync(join(dist, 'jsx.d.ts'), jsxTypes(api, { entry }));
  writeFileSync(
    join(dist, 'jsx.js'),
    '// SPDX-License-Identifier: MIT\n// Types only: see jsx.d.ts.\nexport {};\n'
  );
}
