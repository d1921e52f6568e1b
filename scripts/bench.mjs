#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm run bench`: the benchmarks, each in its own Node process. Arguments (e.g. `--json`) are
// passed on. The element benchmark needs the built packages and Chromium (CHROME_PATH).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchmarks = ['bench/resampler.ts', 'bench/element-render.ts'];

let failed = false;
for (const file of benchmarks) {
  const { status } = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, file), ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit' }
  );
  failed ||= status !== 0;
}
process.exit(failed ? 1 : 0);
