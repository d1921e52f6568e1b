// SPDX-License-Identifier: MIT
import { useState } from 'react';
import { LiveTranscript, useLiveTranscript } from '@live-transcript/react';
import { streamingUrl as url } from './streaming-url.js';

const tokenUrl = '/api/assemblyai-token';

/** Your own UI over the same state machine: the hook gives the state and the transcript. */
function CustomCaptions() {
  const { state, turns, partial, error, level, start, stop, clear } = useLiveTranscript({
    tokenUrl,
    url,
  });
  const running = state !== 'idle' && state !== 'error';
  return (
    <div className="card" data-testid="hook">
      <div className="row">
        <button
          type="button"
          className={running ? 'stop' : ''}
          onClick={() => void (running ? stop() : start())}
        >
          {running ? 'Stop' : 'Start'}
        </button>
        <button type="button" className="secondary" onClick={clear} disabled={!turns.length}>
          Clear
        </button>
        <span className="muted" data-testid="hook-state">
          {state}
        </span>
        <meter min={-60} max={0} value={Math.max(-60, level.rms)} aria-label="Microphone level" />
      </div>
      {error && <p role="alert">{error.message}</p>}
      <div className="transcript">
        <div role="log" aria-live="polite" data-testid="hook-transcript">
          {turns
            .filter((turn) => turn.final)
            .map((turn) => (
              <p key={turn.id}>{turn.text}</p>
            ))}
        </div>
        {partial ? (
          <p className="partial">{partial}</p>
        ) : (
          !turns.length && <p className="muted">Press Start and speak.</p>
        )}
      </div>
    </div>
  );
}

export function App() {
  const [finals, setFinals] = useState(0);
  return (
    <main>
      <h1>live-transcript in React</h1>
      <h2>The component</h2>
      <p>
        <code>&lt;LiveTranscript tokenUrl="/api/assemblyai-token" /&gt;</code>, with an{' '}
        <code>onFinal</code> handler: {finals} final {finals === 1 ? 'turn' : 'turns'} so far.
      </p>
      <LiveTranscript tokenUrl={tokenUrl} url={url} onFinal={() => setFinals((n) => n + 1)} />
      <h2>Your own UI: useLiveTranscript()</h2>
      <CustomCaptions />
    </main>
  );
}
