// SPDX-License-Identifier: MIT
// The React and Vue version matrix: each supported major (React 18 and 19, Vue 3.3 and the
// latest 3.x) renders the bindings on the server and runs the example app end to end in
// Chromium. The older versions are installed under npm aliases (react-18, react-dom-18, vue-3.3,
// devDependencies of this package); a bundler alias points `react`/`vue` at them, for the
// bindings as for the app, so the same code and the same tests run on each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build as esbuild } from 'esbuild';
import type { Browser } from 'puppeteer-core';
import { launchChromium } from '../../../examples/scripts/chromium.mjs';
import { createExampleServer, type ExampleServer } from '../../../examples/server/server.mjs';
import { driveElement, driveHook, open } from '../../../examples/test/drive.js';
import { EXAMPLES, ROOT, run } from '../support.js';

const execFileAsync = promisify(execFile);
const fromHere = createRequire(import.meta.url);
const fromRoot = createRequire(join(ROOT, 'package.json'));
/** A package's directory, resolved from `require` (an alias name, or the root's own copy). */
const dir = (require: NodeJS.Require, name: string) =>
  dirname(require.resolve(`${name}/package.json`));

interface Variant {
  framework: 'React' | 'Vue';
  version: string;
  /** Bare specifier → package directory, for the bindings and the app alike. */
  alias: Record<string, string>;
  /** The example app, under examples/. */
  app: 'react' | 'vue';
}

const MATRIX: Variant[] = [
  {
    framework: 'React',
    version: '18.3.1',
    alias: { react: dir(fromHere, 'react-18'), 'react-dom': dir(fromHere, 'react-dom-18') },
    app: 'react',
  },
  {
    framework: 'React',
    version: '19.3.1',
    alias: { react: dir(fromRoot, 'react'), 'react-dom': dir(fromRoot, 'react-dom') },
    app: 'react',
  },
  { framework: 'Vue', version: '3.3.13', alias: { vue: dir(fromHere, 'vue-3.3') }, app: 'vue' },
  { framework: 'Vue', version: '3.5.47', alias: { vue: dir(fromRoot, 'vue') }, app: 'vue' },
];

/** What each framework renders on the server (the component, and the hook's state), printed. */
const SSR_ENTRY = {
  React: `
    import { createElement as h, Fragment, version } from 'react';
    import { renderToString } from 'react-dom/server';
    import { LiveTranscript, useLiveTranscript } from '@live-transcript/react';
    function Hook() {
      const { state, turns } = useLiveTranscript({ tokenUrl: '/api/assemblyai-token' });
      return h('p', { 'data-state': state }, state + ' ' + turns.length);
    }
    const html = renderToString(
      h(Fragment, null, h(LiveTranscript, { tokenUrl: '/api/assemblyai-token' }), h(Hook)));
    console.log(JSON.stringify({ version, html }));
  `,
  Vue: `
    import { createSSRApp, defineComponent, h, version } from 'vue';
    import { renderToString } from 'vue/server-renderer';
    import { LiveTranscript, useLiveTranscript } from '@live-transcript/vue';
    const Hook = defineComponent({
      setup() {
        const { state, turns } = useLiveTranscript({ tokenUrl: '/api/assemblyai-token' });
        return () => h('p', { 'data-state': state.value }, state.value + ' ' + turns.value.length);
      },
    });
    const html = await renderToString(createSSRApp({
      render: () => [h(LiveTranscript, { tokenUrl: '/api/assemblyai-token' }), h(Hook)],
    }));
    console.log(JSON.stringify({ version, html }));
  `,
};

/** Reads the framework's version in the page (React through the DevTools hook it calls). */
function watchReactVersion() {
  const hook = {
    renderers: new Map(),
    supportsFiber: true,
    isDisabled: false,
    inject(renderer: { version: string }) {
      (window as unknown as { reactVersion: string }).reactVersion = renderer.version;
      return 1;
    },
    onScheduleFiberRoot() {},
    onCommitFiberRoot() {},
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    checkDCE() {},
  };
  (
    window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown }
  ).__REACT_DEVTOOLS_GLOBAL_HOOK__ = hook;
}

const work = mkdtempSync(join(tmpdir(), 'lt-versions-'));
let browser: Browser;
let server: ExampleServer;
const routes: Array<[string, string]> = MATRIX.map((v) => [
  `/${v.app}-${v.version}/`,
  join(work, `${v.app}-${v.version}`),
]);

before(async () => {
  // The example apps, built once per version (the Vue SFCs by that version's compiler).
  for (const variant of MATRIX) {
    const vueCompiler = variant.app === 'vue' ? join(variant.alias.vue!, 'compiler-sfc') : '';
    // The app's own config, its Vue plugin given this version's SFC compiler.
    const script = `
      import { build, loadConfigFromFile, mergeConfig } from 'vite';
      import vue from '@vitejs/plugin-vue';
      import { createRequire } from 'node:module';
      const { config } = await loadConfigFromFile(
        { command: 'build', mode: 'production' },
        ${JSON.stringify(join(EXAMPLES, variant.app, 'vite.config.mjs'))}
      );
      const compiler = ${JSON.stringify(vueCompiler)};
      const plugins = compiler
        ? [...(config.plugins ?? []).flat().filter((p) => p?.name !== 'vite:vue'),
           vue({ compiler: createRequire(import.meta.url)(compiler) })]
        : config.plugins;
      await build(mergeConfig({ ...config, plugins, configFile: false }, {
        resolve: { alias: ${JSON.stringify(variant.alias)} },
        build: { outDir: ${JSON.stringify(join(work, `${variant.app}-${variant.version}`))}, emptyOutDir: true, sourcemap: false },
        logLevel: 'warn',
      }));`;
    // Run from the app's directory, so that `vite` and its plugins resolve as they do for it.
    await run(
      `${variant.app} ${variant.version}`,
      join(EXAMPLES, variant.app),
      process.execPath,
      ['--input-type=module', '-e', script],
      { background: true }
    );
  }
  server = await createExampleServer({ apiKey: '', port: 0, routes });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

for (const variant of MATRIX) {
  describe(`${variant.framework} ${variant.version}`, () => {
    it('renders the component and the hook on the server', async () => {
      const outfile = join(work, `ssr-${variant.app}-${variant.version}.mjs`);
      await esbuild({
        stdin: { contents: SSR_ENTRY[variant.framework], resolveDir: ROOT, loader: 'js' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        alias: variant.alias,
        outfile,
        logLevel: 'error',
        // CommonJS inside an ES module bundle (React is CommonJS).
        banner: {
          js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        },
      });
      // In a process of its own: one element registry and one framework per render.
      const { stdout } = await execFileAsync(process.execPath, [outfile]);
      const { version, html } = JSON.parse(stdout) as { version: string; html: string };
      assert.equal(version, variant.version);
      assert.match(html, /<live-transcript[\s>][^]*<\/live-transcript>/, html);
      assert.match(html, /<p data-state="idle"[^>]*>idle 0<\/p>/, html);
    });

    it('runs the example app in Chromium: component and hook show captions', async () => {
      const path = `/${variant.app}-${variant.version}/`;
      const { page, check } = await open(
        browser,
        `${server.origin}${path}`,
        variant.framework === 'React' ? watchReactVersion : undefined
      );
      const version = await page.evaluate(() =>
        document.querySelector('#app') // Vue mounts on #app, React on #root
          ? (document.querySelector('#app') as unknown as { __vue_app__: { version: string } })
              .__vue_app__.version
          : (window as unknown as { reactVersion: string }).reactVersion
      );
      assert.equal(version, variant.version, 'the version running in the page');
      await driveElement(page, 'live-transcript', server.fake!);
      const text = await page.$eval('main', (el) => el.textContent ?? '');
      assert.match(text, /[1-9]\d* final turns? so far/, 'the app saw lt-final events');
      await driveHook(page, server.fake!);
      check();
      await page.close();
    });
  });
}
