// SPDX-License-Identifier: MIT
import type { NextConfig } from 'next';

// No network at build or run time. Telemetry: `next` reads this variable once the config is
// loaded (or set it in the environment, or run `npx next telemetry disable` once).
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const config: NextConfig = {
  // This directory is the app's root, even inside the live-transcript repository.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  // `next dev` serves its scripts to localhost only; the repository's examples use 127.0.0.1 too.
  allowedDevOrigins: ['127.0.0.1'],
  // Nothing written into the app (AGENTS.md) and no upgrade checks against the registry.
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default config;
