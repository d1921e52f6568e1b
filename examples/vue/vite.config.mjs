// SPDX-License-Identifier: MIT
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  logLevel: 'warn',
  plugins: [vue()],
  server: {
    // The token route lives on your server (createTokenHandler() from
    // @live-transcript/core/server); in development Vite forwards it there. In this repository
    // `npm run dev` starts one and sets API_ORIGIN.
    proxy: { '/api': process.env.API_ORIGIN ?? 'http://localhost:3000' },
  },
  build: { sourcemap: true },
});
