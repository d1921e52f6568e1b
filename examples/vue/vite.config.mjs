// SPDX-License-Identifier: MIT
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../dist/vue', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
});
