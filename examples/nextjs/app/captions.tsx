// SPDX-License-Identifier: MIT
'use client';
// Client components: the server renders them (the element's tag, the hook's idle state) without
// touching browser APIs; the microphone and the socket start in the browser, on a click.
import { useState } from 'react';
import { LiveTranscript, useLiveTranscript } from '@live-transcript/react';

const tokenUrl = '/api/assemblyai-token';

/** `url`: leave it out in your app (AssemblyAI); this example passes its emulator's. */
interface CaptionsProps {
  url?: string;
}

/** The `<live-transcript>` element as a React component, with an `onFinal` handler. */
export function ComponentCaptions({ url }: CaptionsProps) {
  const [finals, setFinals] = useState(0);
  return (
    <>
      <LiveTranscript tokenUrl={tokenUrl} url={url} onFinal={() => setFinals((n) => n + 1)} />
      <p className="muted">
        {finals} final {finals === 1 ? 'turn' : 'turns'} so far.
      </p>
    </>
  );
}

/** Your own UI over the same state machine. */
export function HookCaptions({ url }: CaptionsProps) {
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
