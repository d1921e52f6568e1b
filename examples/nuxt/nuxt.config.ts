// SPDX-License-Identifier: MIT
// No network at build or run time: no telemetry, no devtools, no remote fonts.
export default defineNuxtConfig({
  compatibilityDate: '2026-05-01',
  telemetry: false,
  devtools: { enabled: false },
  css: ['~/assets/main.css'],
  app: {
    head: {
      title: 'live-transcript · Nuxt',
      htmlAttrs: { lang: 'en' },
      link: [{ rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
      meta: [
        {
          name: 'description',
          content: 'Live captions from the microphone, streamed to AssemblyAI.',
        },
      ],
    },
  },
  runtimeConfig: {
    public: {
      // The WebSocket URL the captions stream to. Empty: AssemblyAI's own endpoint. This example's
      // `npm run dev` / `npm start` without ASSEMBLYAI_API_KEY set it to the local emulator's, at
      // run time, through NUXT_PUBLIC_LIVE_TRANSCRIPT_URL. Your app does not need it.
      liveTranscriptUrl: '',
    },
  },
});
