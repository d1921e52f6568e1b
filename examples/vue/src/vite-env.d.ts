// SPDX-License-Identifier: MIT
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The emulator's WebSocket URL, set by this example's `npm run dev` without an API key. */
  readonly VITE_LIVE_TRANSCRIPT_URL?: string;
}

// Lets `tsc` type `import App from './App.vue'` (Vite compiles the file itself).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
