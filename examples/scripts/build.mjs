#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Builds what the example server serves from examples/dist: Storybook. (The React and Vue apps
// are workspaces of their own, built into react/dist and vue/dist by their `vite build`; the plain
// HTML page needs no build: it loads the element package's own CDN file.) `--only=storybook`
// builds a subset.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(examples, 'dist');
const require = createRequire(import.meta.url);
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wanted = (/** @type {string} */ name) => !only || only.includes(name);

const steps = {
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
