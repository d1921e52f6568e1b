// SPDX-License-Identifier: MIT
import { connection } from 'next/server';

/**
 * The WebSocket URL the captions stream to: `undefined`, AssemblyAI's own endpoint, unless this
 * example runs against its emulator (`npm run dev` without ASSEMBLYAI_API_KEY sets
 * LIVE_TRANSCRIPT_URL). Read per request, not at build time, because the emulator's port is
 * chosen when the server starts. Your app does not need this file: leave `url` out.
 */
export async function streamingUrl(): Promise<string | undefined> {
  await connection();
  return process.env.LIVE_TRANSCRIPT_URL || undefined;
}
