// SPDX-License-Identifier: MIT
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { streamingUrl } from './streaming-url';
import './globals.css';

export const metadata: Metadata = {
  title: 'live-transcript · Next.js',
  description: 'Live captions from the microphone, streamed to AssemblyAI.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const emulator = Boolean(await streamingUrl());
  return (
    <html lang="en">
      <body>
        {emulator && (
          <aside className="banner" role="note">
            <strong>Emulator</strong>: no <code>ASSEMBLYAI_API_KEY</code> is set, so this app talks
            to a local imitation of AssemblyAI. It hears when you speak, but the words are
            placeholders.
          </aside>
        )}
        <nav>
          <Link href="/">The component</Link>
          <Link href="/hook">useLiveTranscript()</Link>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  );
}
