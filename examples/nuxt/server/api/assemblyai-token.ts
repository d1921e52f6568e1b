// SPDX-License-Identifier: MIT
// The token route: trades ASSEMBLYAI_API_KEY (server-side only) for a short-lived, single-use
// streaming token, which the page fetches for every connection.
import { createTokenHandler, type TokenHandler } from '@live-transcript/core/server';

let handler: TokenHandler | undefined;

export default defineEventHandler((event) => {
  // Made at the first request, so `nuxt build` needs no key. LIVE_TRANSCRIPT_EMULATOR is set only
  // by this example's `npm run dev` / `npm start` without a key: tokens then come from the local
  // emulator. Unset (your app), AssemblyAI mints them.
  handler ??= createTokenHandler({ baseUrl: process.env.LIVE_TRANSCRIPT_EMULATOR || undefined });
  return handler(toWebRequest(event));
});
