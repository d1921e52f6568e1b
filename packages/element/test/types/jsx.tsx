// SPDX-License-Identifier: MIT
// The raw <live-transcript> tag in React 19's JSX, with the types of
// `@live-transcript/element/jsx`. Compiled, never run, by test/node/editor-data.test.ts: the
// first element must compile, and every line under `@ts-expect-error` must be an error.
import type {} from '@live-transcript/element/jsx';
import type { LtFinalEvent } from '@live-transcript/element';

const save = (text: string) => text;

export const allowed = (
  <live-transcript
    token-url="/api/assemblyai-token"
    format-turns
    speaker-labels={false}
    sample-rate={16000}
    frame-ms="100"
    speech-model="universal-streaming-english"
    region="eu"
    keyterms={['AssemblyAI', 'Lit']}
    language-codes="en,fr"
    device-policy="stop"
    getToken={async (signal) => (await (await fetch('/token', { signal })).json()).token}
    labels={{ start: 'Dictate' }}
    onlt-final={(event) => save(event.detail.turn.text)}
    onlt-state-change={(event) => save(event.detail.state)}
    onlt-error={(event) => save(event.detail.error.code)}
    ref={(element) => {
      void element?.start();
    }}
    className="captions"
    style={{ maxWidth: '40rem' }}
  >
    <button slot="control" type="button">
      Dictate
    </button>
  </live-transcript>
);

export const final = (handler: (event: LtFinalEvent) => void) => (
  <live-transcript onlt-final={handler} />
);

export const refused = [
  // @ts-expect-error: not an attribute or a property of the element.
  <live-transcript tokenURL="/api/assemblyai-token" />,
  // @ts-expect-error: a boolean attribute takes no string (even "false" would turn it on).
  <live-transcript format-turns="false" />,
  // @ts-expect-error: sample-rate is a number.
  <live-transcript sample-rate="fast" />,
  // @ts-expect-error: the property is a number, not a string.
  <live-transcript sampleRate="16000" />,
  // @ts-expect-error: region is 'us' or 'eu'.
  <live-transcript region="mars" />,
  // @ts-expect-error: device-policy is 'follow-default' or 'stop'.
  <live-transcript device-policy="keep" />,
  // @ts-expect-error: keyterms is a list.
  <live-transcript keyterms={42} />,
  // @ts-expect-error: labels has no such key.
  <live-transcript labels={{ begin: 'Go' }} />,
  // @ts-expect-error: the handler gets the element's LtFinalEvent, not a CustomEvent<number>.
  <live-transcript onlt-final={(event: CustomEvent<number>) => event} />,
  // @ts-expect-error: the detail of lt-final is { turn }.
  <live-transcript onlt-final={(event) => save(event.detail.text)} />,
  // @ts-expect-error: state is read-only.
  <live-transcript state="listening" />,
];
