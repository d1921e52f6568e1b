// SPDX-License-Identifier: MIT
// Reads the events of <live-transcript> from packages/element/custom-elements.json.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Declaration {
  kind: string;
  name: string;
  customElement?: boolean;
  tagName?: string;
  events?: Array<{ name?: string }>;
}
interface Manifest {
  modules: Array<{
    path: string;
    declarations?: Declaration[];
    exports?: Array<{ kind: string; name: string; declaration: { name: string; module?: string } }>;
  }>;
}

export const MANIFEST = fileURLToPath(
  new URL('../../packages/element/custom-elements.json', import.meta.url)
);

/** The names of the events the manifest declares for `<live-transcript>`, sorted. */
export function elementEvents(): string[] {
  if (!existsSync(MANIFEST)) {
    throw new Error(
      `${MANIFEST} is missing: build the element first ` +
        '(npx turbo run build --filter=@live-transcript/element).'
    );
  }
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
  const declarations = manifest.modules.flatMap((module) =>
    (module.declarations ?? []).map((declaration) => ({ module: module.path, declaration }))
  );
  // The class registered as <live-transcript>: by its definition export, its tag name, or its name.
  const definition = manifest.modules
    .flatMap((module) => module.exports ?? [])
    .find((e) => e.kind === 'custom-element-definition' && e.name === 'live-transcript');
  const found =
    declarations.find(({ module, declaration }) =>
      definition
        ? declaration.name === definition.declaration.name &&
          (!definition.declaration.module || definition.declaration.module === module)
        : false
    ) ??
    declarations.find(({ declaration }) => declaration.tagName === 'live-transcript') ??
    declarations.find(
      ({ declaration }) => declaration.customElement && declaration.name === 'LiveTranscriptElement'
    );
  if (!found) throw new Error(`No <live-transcript> element in ${MANIFEST}.`);
  // Events the analyzer found without a name (a dispatch with a computed name) say nothing.
  const names = (found.declaration.events ?? []).flatMap((event) =>
    event.name ? [event.name] : []
  );
  return [...new Set(names)].sort();
}
