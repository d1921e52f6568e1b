// SPDX-License-Identifier: MIT
// Lets `tsc` type `import App from './App.vue'` (Vite compiles the file itself).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
