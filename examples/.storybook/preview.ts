// SPDX-License-Identifier: MIT
/**
 * Storybook reads `<live-transcript>`'s API from the element's custom-elements.json (the file the
 * package publishes): the controls of the stories and the tables of the docs page (properties,
 * attributes, events, slots, parts, custom properties) come from it, not from a list kept here.
 */
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import manifest from '@live-transcript/element/custom-elements.json';

setCustomElementsManifest(manifest);

type Enhancer = NonNullable<Preview['argTypesEnhancers']>[number];

interface Declaration {
  tagName?: string;
  members?: Array<{ kind: string; name: string; readonly?: boolean; type?: { text: string } }>;
  attributes?: Array<{ name: string; fieldName?: string; type?: { text: string } }>;
}

const declarations = (manifest as { modules: Array<{ declarations?: Declaration[] }> }).modules
  .flatMap((module) => module.declarations ?? [])
  .filter((declaration) => declaration.tagName);

const NONE = { control: false as const };
const CONTROLS = { string: 'text', number: 'number', boolean: 'boolean' } as const;

/**
 * The Storybook type and control of a manifest type: `number | undefined` is a number, `'a' | 'b'`
 * a choice; anything else (functions, objects, type names) gets no control.
 */
function controlFor(text = '') {
  const parts = text
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part && part !== 'undefined');
  const literals = parts.map((part) => /^'([^']*)'$/.exec(part)?.[1]);
  if (literals.length > 0 && literals.every((value) => value !== undefined)) {
    return {
      type: { name: 'enum' as const, value: literals as string[] },
      control: { type: 'select' as const },
      options: literals,
    };
  }
  const name = parts.length === 1 ? (parts[0] as keyof typeof CONTROLS) : undefined;
  return name && name in CONTROLS ? { type: { name }, control: { type: CONTROLS[name] } } : NONE;
}

/**
 * Storybook takes a manifest type as a type name (`string | undefined` gets an object editor, and
 * such an arg in the URL is dropped): give each attribute and property the type and control its
 * manifest type calls for, and no control to read-only properties, to functions and objects, and
 * to what is not set on the element (slots, parts and custom properties: documented in their
 * tables).
 */
const controlsFromManifest: Enhancer = (context) => {
  const declaration = declarations.find((d) => d.tagName === context.component);
  if (!declaration) return context.argTypes;
  const fields = new Map(
    (declaration.members ?? []).filter((m) => m.kind === 'field').map((m) => [m.name, m])
  );
  const attributes = new Map((declaration.attributes ?? []).map((a) => [a.name, a]));
  const argTypes = { ...context.argTypes };
  for (const [name, argType] of Object.entries(argTypes)) {
    const category = argType.table?.category;
    let control;
    if (category === 'attributes') {
      const attribute = attributes.get(name);
      const field = fields.get(attribute?.fieldName ?? '');
      control = field?.readonly ? NONE : controlFor(attribute?.type?.text);
    } else if (category === 'properties') {
      const field = fields.get(name);
      control = field?.readonly ? NONE : controlFor(field?.type?.text);
    } else if (category !== 'events') {
      control = NONE;
    }
    if (control) argTypes[name] = { ...argType, ...control };
  }
  return argTypes;
};

const preview: Preview = {
  tags: ['autodocs'],
  argTypesEnhancers: [controlsFromManifest],
};

export default preview;
