// SPDX-License-Identifier: MIT
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { IDLE_SNAPSHOT, type LiveTranscriberSnapshot } from '@live-transcript/core/binding';
import {
  TranscriberBinding,
  type TranscriberBindingOptions,
  type TranscriberControls,
} from '@live-transcript/core/binding';

/**
 * The options of {@link useLiveTranscript}: every `LiveTranscriber` option, plus callbacks for
 * its events (`onTurn`, `onFinal`, `onStateChange`, `onError`, ...; each gets the core event, with
 * its `detail`). The latest callbacks are always used.
 */
export type UseLiveTranscriptOptions = TranscriberBindingOptions;

/** What {@link useLiveTranscript} returns: the current snapshot's fields and stable actions. */
export interface UseLiveTranscriptResult
  extends
    Pick<
      LiveTranscriberSnapshot,
      'state' | 'turns' | 'partial' | 'finalText' | 'text' | 'error' | 'level'
    >,
    TranscriberControls {
  /**
   * The microphones (`deviceId`, `label`; labels once the microphone is allowed), kept current
   * as devices come and go: for a picker that calls `setDevice()`. Empty until known, and on
   * the server.
   */
  devices: readonly MediaDeviceInfo[];
}

const serverSnapshot = () => IDLE_SNAPSHOT;

/**
 * Live captions as React state, on the core `LiveTranscriber` (no element). The transcriber is
 * made after mount on the client (server renders see `state: 'idle'` and touch no browser API),
 * one per component, and disposed on unmount: the socket closes and the microphone is released.
 * Under StrictMode's mount → unmount → mount it ends with one transcriber, so one socket.
 *
 * Option changes: the options marked `live` in the core options
 * table (`OPTIONS`: `keytermsPrompt`, `prompt`, `maxTurnSilence`, ...) are sent at once; any other change makes a new transcriber
 * that continues the transcript, as soon as the current one is idle (after `stop()`). Values are
 * compared by content, so inline objects and arrays are fine.
 *
 * @example
 * ```tsx
 * const { state, turns, partial, start, stop } = useLiveTranscript({ tokenUrl: '/api/token' });
 * return (
 *   <>
 *     <button onClick={state === 'idle' ? start : stop}>{state === 'idle' ? 'Start' : 'Stop'}</button>
 *     {turns.map((turn) => <p key={turn.id}>{turn.text}</p>)}
 *     <p>{partial}</p>
 *   </>
 * );
 * ```
 */
export function useLiveTranscript(options: UseLiveTranscriptOptions): UseLiveTranscriptResult {
  const [binding] = useState(() => new TranscriberBinding(options));
  const snapshot = useSyncExternalStore(binding.subscribe, binding.getSnapshot, serverSnapshot);
  const devices = useSyncExternalStore(
    binding.subscribeDevices,
    binding.getDevices,
    binding.getDevices
  );
  useEffect(() => binding.update(options));
  useEffect(() => () => binding.dispose(), [binding]);
  return useMemo(() => {
    const { state, turns, partial, finalText, text, error, level } = snapshot;
    const { start, stop, pause, resume, clear, forceEndpoint, preload, diagnostics, setDevice } =
      binding;
    return {
      state,
      turns,
      partial,
      finalText,
      text,
      error,
      level,
      start,
      stop,
      pause,
      resume,
      clear,
      forceEndpoint,
      preload,
      diagnostics,
      devices,
      setDevice,
    };
  }, [snapshot, devices, binding]);
}
