// SPDX-License-Identifier: MIT
// React 19 ships CommonJS only, which the unbundled dev server cannot import. This plugin
// pre-bundles React (once, on first use) into ES modules with shared chunks, so every test
// gets one React instance with real named exports.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
const SPECIFIERS = [
  'react',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom',
  'react-dom/client',
  'react-dom/server',
  'react-dom/test-utils',
];
const PREFIX = '/__react/';
const fileName = (spec) => spec.replace(/\//g, '__');

/**
 * The export names of each CommonJS entry, read in a child process: loading React inside the
 * test runner's process trips over its patched console.
 */
function exportNames() {
  const script = `const out = {};
    for (const spec of ${JSON.stringify(SPECIFIERS)}) {
      try { out[spec] = Object.keys(require(spec)); } catch {}
    }
    process.stdout.write(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

async function bundle() {
  const entryPoints = {};
  const sources = {};
  for (const [spec, names] of Object.entries(exportNames())) {
    const exported = names.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
    sources[spec] =
      `import M from ${JSON.stringify(spec)}; export default M;` +
      (exported.length ? ` export const { ${exported.join(', ')} } = M;` : '');
    entryPoints[fileName(spec)] = `virtual-entry:${spec}`;
  }
  const result = await build({
    entryPoints,
    bundle: true,
    splitting: true,
    format: 'esm',
    write: false,
    outdir: '/out',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"' },
    plugins: [
      {
        name: 'virtual-entry',
        setup(b) {
          b.onResolve({ filter: /^virtual-entry:/ }, (args) => ({
            path: args.path.slice('virtual-entry:'.length),
            namespace: 'virtual-entry',
          }));
          b.onLoad({ filter: /.*/, namespace: 'virtual-entry' }, (args) => ({
            contents: sources[args.path],
            resolveDir: process.cwd(),
            loader: 'js',
          }));
        },
      },
    ],
  });
  return new Map(result.outputFiles.map((f) => [f.path.replace('/out/', PREFIX), f.text]));
}

export function reactPlugin() {
  let files;
  const load = () => (files ??= bundle());
  return {
    name: 'react-prebundle',
    resolveImport({ source }) {
      if (SPECIFIERS.includes(source)) return `${PREFIX}${fileName(source)}.js`;
      return undefined;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const body = (await load()).get(context.path);
      return body === undefined ? undefined : { body, type: 'js' };
    },
  };
}
