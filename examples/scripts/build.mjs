#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Builds what the example server serves from examples/dist: the element as one ES module file for
// the plain HTML page (vendor/), the React and Vue apps (Vite), and Storybook. `--only=react,vue`
// builds a subset.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(examples, 'dist');
const require = createRequire(import.meta.url);
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wanted = (/** @type {string} */ name) => !only || only.includes(name);

const steps = {
  /** The element, Lit and the core in one file, like a CDN's `+esm` build of the package. */
  async vendor() {
    const out = join(dist, 'vendor');
    await rm(out, { recursive: true, force: true });
    await esbuild({
      entryPoints: { 'live-transcript': '@live-transcript/element/define' },
      bundle: true,
      splitting: true,
      format: 'esm',
      target: 'es2022',
      minify: true,
      sourcemap: true,
      outdir: out,
      chunkNames: 'chunks/[name]-[hash]',
      conditions: ['browser', 'production'],
      logLevel: 'warning',
    });
    // The core loads its AudioWorklet from `../capture-worklet.js` beside its module.
    const core = dirname(require.resolve('@live-transcript/core'));
    await copyFile(join(core, 'capture-worklet.js'), join(out, 'capture-worklet.js'));
  },
  async react() {
    await vite({ configFile: join(examples, 'react/vite.config.mjs') });
  },
  async vue() {
    await vite({ configFile: join(examples, 'vue/vite.config.mjs') });
  },
  async storybook() {
    const bin = join(dirname(require.resolve('storybook/package.json')), 'dist/bin/dispatcher.js');
    const args = ['build', '--config-dir', join(examples, '.storybook')];
    args.push('--output-dir', join(dist, 'storybook'), '--disable-telemetry', '--quiet');
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: examples,
        stdio: 'inherit',
        env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
      });
      child.on('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0) throw new Error(`storybook build exited with ${code}`);
  },
};

await mkdir(dist, { recursive: true });
for (const [name, step] of Object.entries(steps)) {
  if (!wanted(name)) continue;
  const started = Date.now();
  await step();
  console.log(`examples: built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
