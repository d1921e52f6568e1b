// SPDX-License-Identifier: MIT
import { ComponentCaptions } from './captions';
import { streamingUrl } from './streaming-url';

export default async function Page() {
  return (
    <>
      <h1>live-transcript in Next.js</h1>
      <p>
        <code>&lt;LiveTranscript tokenUrl=&quot;/api/assemblyai-token&quot; /&gt;</code> in a client
        component, rendered on the server first. Press Start and speak.
      </p>
      <ComponentCaptions url={await streamingUrl()} />
    </>
  );
}
