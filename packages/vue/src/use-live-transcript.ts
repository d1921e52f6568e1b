// SPDX-License-Identifier: MIT
import {
  computed,
  getCurrentInstance,
  getCurrentScope,
  onMounted,
  onScopeDispose,
  shallowRef,
  toRaw,
  toValue,
  watch,
  type ComputedRef,
  type MaybeRefOrGetter,
} from 'vue';
import type { LiveTranscriberSnapshot } from '@live-transcript/core/binding';
import {
  TranscriberBinding,
  type TranscriberBindingOptions,
  type TranscriberControls,
} from '@live-transcript/core/binding';

/**
 * The options of {@link useLiveTranscript}: every `LiveTranscriber` option, plus callbacks for
 * its events (`onTurn`, `onFinal`, `onStateChange`, `onError`, ...; each gets the core event, with
 * its `detail`).
 */
export type UseLiveTranscriptOptions = TranscriberBindingOptions;

type Fields = 'state' | 'turns' | 'partial' | 'finalText' | 'text' | 'error' | 'level';

/** What {@link useLiveTranscript} returns: read-only refs and actions. */
export type UseLiveTranscriptReturn = {
  readonly [K in Fields]: ComputedRef<LiveTranscriberSnapshot[K]>;
} & TranscriberControls & {
    /**
     * The microphones (`deviceId`, `label`; labels once the microphone is allowed), kept current
     * as devices come and go: for a picker that calls `setDevice()`. Empty until known, and on
     * the server.
     */
    readonly devices: ComputedRef<readonly MediaDeviceInfo[]>;
  };

/** The options without Vue proxies (the core keeps private state in its objects). */
function unwrap(options: MaybeRefOrGetter<UseLiveTranscriptOptions>): UseLiveTranscriptOptions {
  return Object.fromEntries(
    Object.entries(toRaw(toValue(options))).map(([key, value]) => [key, toRaw(value)])
  ) as UseLiveTranscriptOptions;
}

/**
 * Live captions as Vue refs, on the core `LiveTranscriber` (no element). Call it in `setup()`
 * (or an effect scope): the transcriber is made once the component is mounted (never during
 * server rendering), and disposed with the scope: the socket closes, the microphone is released.
 *
 * `options` may be a plain object, a ref or a getter. The options marked `live` in the core options
 * table (`OPTIONS`: `keytermsPrompt`, `prompt`, `maxTurnSilence`, ...) are sent at once; any other change makes a new transcriber that continues the transcript, as soon
 * as the current one is idle (after `stop()`).
 *
 * @example
 * ```vue
 * <script setup lang="ts">
 * import { useLiveTranscript } from '@live-transcript/vue';
 * const { state, turns, partial, start, stop } = useLiveTranscript({ tokenUrl: '/api/token' });
 * </script>
 *
 * <template>
 *   <button @click="state === 'idle' ? start() : stop()">{{ state === 'idle' ? 'Start' : 'Stop' }}</button>
 *   <p v-for="turn in turns" :key="turn.id">{{ turn.text }}</p>
 *   <p>{{ partial }}</p>
 * </template>
 * ```
 */
export function useLiveTranscript(
  options: MaybeRefOrGetter<UseLiveTranscriptOptions>
): UseLiveTranscriptReturn {
  const binding = new TranscriberBinding(unwrap(options));
  const snapshot = shallowRef(binding.getSnapshot());
  const unsubscribe = binding.subscribe(() => (snapshot.value = binding.getSnapshot()));
  const devices = shallowRef(binding.getDevices());
  let unwatchDevices: (() => void) | undefined;
  const connect = () => {
    unwatchDevices ??= binding.subscribeDevices(() => (devices.value = binding.getDevices()));
    watch(
      () => toValue(options),
      () => binding.update(unwrap(options)),
      { deep: true, immediate: true }
    );
  };
  if (getCurrentInstance()) onMounted(connect);
  else if (typeof document !== 'undefined') connect();
  if (getCurrentScope()) {
    onScopeDispose(() => {
      unsubscribe();
      unwatchDevices?.();
      binding.dispose();
    });
  }
  const field = <K extends Fields>(key: K) => computed(() => snapshot.value[key]);
  const { start, stop, pause, resume, clear, forceEndpoint, preload, diagnostics, setDevice } =
    binding;
  return {
    state: field('state'),
    turns: field('turns'),
    partial: field('partial'),
    finalText: field('finalText'),
    text: field('text'),
    error: field('error'),
    level: field('level'),
    start,
    stop,
    pause,
    resume,
    clear,
    forceEndpoint,
    preload,
    diagnostics,
    devices: computed(() => devices.value),
    setDevice,
  };
}
