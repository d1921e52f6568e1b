#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm start`: builds the packages and the examples (through turbo, so an unchanged tree takes a
// second), then runs the example server in the foreground until Ctrl-C. `prestart` has already
// installed dependencies when node_modules was missing. PORT, HOST and ASSEMBLYAI_API_KEY are
// read by the server (examples/server/server.mjs).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();

console.log('Building the packages and the examples (cached after the first run)...');
const code = await new Promise((resolve) => {
  const child = spawn(
    join(root, 'node_modules/.bin/turbo'),
    ['run', 'build', '--filter=@live-transcript/examples...', '--output-logs=errors-only'],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        TURBO_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
        STORYBOOK_DISABLE_TELEMETRY: '1',
      },
    }
  );
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
if (code !== 0) {
  console.error('\nThe build failed (see above); the example server was not started.');
  process.exit(code);
}
console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

const { main } = await import('../examples/server/server.mjs');
await main();
