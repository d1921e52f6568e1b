// SPDX-License-Identifier: MIT
// `cem analyze` reads the element's JSDoc (@event, @slot, @csspart, @cssproperty, @attr) and
// writes custom-elements.json next to package.json: the source of the README's API tables
// (`npm run docs`) and of the wrappers' event maps.
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
            // The reflected, read-only `state` is documented with @attr: link it to its field.
            for (const attribute of declaration.attributes ?? []) {
              if (attribute.name === 'state') attribute.fieldName = 'state';
            }
          }
        }
      },
    },
  ],
};
