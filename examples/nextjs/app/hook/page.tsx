// SPDX-License-Identifier: MIT
import { HookCaptions } from '../captions';
import { streamingUrl } from '../streaming-url';

export default async function Page() {
  return (
    <>
      <h1>Your own UI: useLiveTranscript()</h1>
      <p>
        The same captions without the element: the hook gives the state and the transcript, the
        markup is yours.
      </p>
      <HookCaptions url={await streamingUrl()} />
    </>
  );
}
