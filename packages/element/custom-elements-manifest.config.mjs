// SPDX-License-Identifier: MIT
// `cem analyze` reads the element's JSDoc (@event, @slot, @csspart, @cssproperty, @attr) and
// writes custom-elements.json next to package.json: the source of the README's API tables
// (`npm run docs`) and of the wrappers' event maps. The option properties and attributes come
// from the core options table (scripts/options-docs.mjs), which the element's
// `static properties` are built from too.
import { optionRows } from '../../scripts/options-docs.mjs';

const options = (await optionRows()).filter((row) => row.attribute !== null);

/** The manifest's field and attribute of a table option. */
function describe(row) {
  const type = { text: `${row.property === 'keyterms' ? 'string[]' : row.type} | undefined` };
  const fallback = row.default === undefined ? undefined : JSON.stringify(row.default);
  const description = [
    row.doc,
    row.check && `Range: ${row.check}.`,
    (row.scope === 'live' || row.setter) && 'Changes apply mid-session.',
  ]
    .filter(Boolean)
    .join(' ');
  const field = {
    kind: 'field',
    name: row.property,
    type,
    ...(fallback && { default: fallback }),
    description,
    ...(row.attribute && { attribute: row.attribute }),
  };
  const attribute = row.attribute && {
    name: row.attribute,
    type,
    ...(fallback && { default: fallback }),
    description,
    fieldName: row.property,
  };
  return { field, attribute };
}

export default {
  globs: ['src/**/*.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'live-transcript-cleanup',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          if (module.path === 'src/define.ts') {
            module.exports.push({
              kind: 'custom-element-definition',
              name: 'live-transcript',
              declaration: { name: 'LiveTranscriptElement', module: 'src/live-transcript.ts' },
            });
          }
          for (const declaration of module.declarations ?? []) {
            if (!declaration.customElement) continue;
            // The generic re-dispatch loop (`new EventClass(...)`) is not an event of its own:
            // the events are the eleven documented with @event.
            declaration.events = declaration.events?.filter((event) => event.name);
            // Internals (`#private`, `private _state`...) are not API.
            declaration.members = declaration.members?.filter(
              (member) => member.privacy !== 'private' && !/^[#_]/.test(member.name)
            );
            // Reactive internals (`_state`...) are not attributes.
            declaration.attributes = declaration.attributes?.filter(
              (attribute) => !attribute.name.startsWith('_')
            );
            // The reflected, read-only `state` is documented with @attr: link it to its field.
            for (const attribute of declaration.attributes ?? []) {
              if (attribute.name === 'state') attribute.fieldName = 'state';
            }
            // The options, in the order of the table, before the element's own properties.
            const rows = options.map(describe);
            declaration.members = [...rows.map((row) => row.field), ...declaration.members];
            declaration.attributes = [
              ...rows.flatMap((row) => (row.attribute ? [row.attribute] : [])),
              ...declaration.attributes,
            ];
          }
        }
      },
    },
  ],
};
