// SPDX-License-Identifier: MIT
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The emulator's WebSocket URL, set by this example's `npm run dev` without an API key. */
  readonly VITE_LIVE_TRANSCRIPT_URL?: string;
}
