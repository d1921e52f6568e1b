// SPDX-License-Identifier: MIT
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  logLevel: 'warn',
  server: {
    // The token route lives on your server (createTokenHandler() from
    // @live-transcript/core/server); in development Vite forwards it there. In this repository
    // `npm run dev` starts one and sets API_ORIGIN.
    proxy: { '/api': process.env.API_ORIGIN ?? 'http://localhost:3000' },
  },
  build: {
    sourcemap: true,
    rolldownOptions: {
      // The React package marks its modules 'use client' (for server components); a client
      // bundle has nothing to do with it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
