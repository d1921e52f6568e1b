// SPDX-License-Identifier: MIT
/**
 * Where the captions stream to: `undefined` is AssemblyAI's endpoint, which is what your app
 * wants (leave `url` out). This example can run against the offline emulator instead, and is
 * told its address by `npm run dev` (VITE_LIVE_TRANSCRIPT_URL) or, when the repository's example
 * server (`npm start` at the root) serves the built app, by a
 * `<meta name="live-transcript-url">` that the server adds to the page.
 */
export const streamingUrl: string | undefined =
  import.meta.env.VITE_LIVE_TRANSCRIPT_URL ||
  document.querySelector<HTMLMetaElement>('meta[name="live-transcript-url"]')?.content ||
  undefined;
