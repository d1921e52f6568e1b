// SPDX-License-Identifier: MIT
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import type { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';
import { LiveTranscriptError, SENTENCES, Simulation } from './simulate.js';

/**
 * The element from the story's args, as the manifest describes them (see .storybook/preview.ts):
 * an attribute's arg is written as the attribute, a property's is set as the property, and an
 * event's action listens to the event.
 */
const fromArgs: NonNullable<Meta['render']> = (args, { argTypes }) => {
  const el = document.createElement('live-transcript');
  for (const [name, value] of Object.entries(args)) {
    const argType = argTypes[name];
    const event = (argType?.action as { name?: string } | undefined)?.name;
    if (event && typeof value === 'function') {
      el.addEventListener(event, value as EventListener);
    } else if (argType?.table?.category === 'attributes') {
      if (value === undefined || value === null || value === false) el.removeAttribute(name);
      else el.setAttribute(name, value === true ? '' : String(value));
    } else if (argType?.table?.category === 'properties' && value !== undefined) {
      (el as unknown as Record<string, unknown>)[name] = value;
    }
  }
  return el;
};

// Every state of `<live-transcript>`. The states are simulated (no microphone, no network): the
// element renders what its transcriber reports. The "Live" story is the real thing. Controls
// (attributes and properties) apply to the stories without a render of their own. The docs page
// describes the element from its manifest (a JSDoc comment here would replace that description).
const meta: Meta = {
  title: 'live-transcript',
  component: 'live-transcript',
  parameters: { layout: 'padded' },
  args: { 'token-url': '/api/assemblyai-token' },
  render: fromArgs,
};
export default meta;

type Story = StoryObj;

const element = (canvas: HTMLElement) =>
  canvas.querySelector<LiveTranscriptElement>('live-transcript');

/** Listening, two captions and a partial: the common picture. */
async function listening(canvas: HTMLElement, partial = 'Please send the report') {
  const sim = await Simulation.of(element(canvas));
  sim.state('connecting').state('listening').level(-18);
  sim.say(SENTENCES[0]!).say(SENTENCES[1]!).say(partial, { final: false });
  return sim;
}

export const Idle: Story = {};

export const Connecting: Story = {
  play: async ({ canvasElement }) => {
    (await Simulation.of(element(canvasElement))).state('connecting');
  },
};

export const ListeningWithPartials: Story = {
  name: 'Listening, with a partial',
  play: async ({ canvasElement }) => {
    await listening(canvasElement);
  },
};

export const Paused: Story = {
  play: async ({ canvasElement }) => {
    (await listening(canvasElement, 'Please send')).state('paused').level(-100);
  },
};

export const Reconnecting: Story = {
  play: async ({ canvasElement }) => {
    const sim = await listening(canvasElement);
    const error = new LiveTranscriptError('network', 'The connection dropped (1006).');
    sim.state('reconnecting').emit('reconnecting', { attempt: 2, delayMs: 30_000, error });
  },
};

export const Error: Story = {
  play: async ({ canvasElement }) => {
    const sim = await Simulation.of(element(canvasElement));
    sim.state('connecting');
    sim.state(
      'error',
      new LiveTranscriptError(
        'microphone-denied',
        'Microphone access was denied: allow it for this site and try again.'
      )
    );
  },
};

export const TwoThousandTurns: Story = {
  name: '2 000 turns',
  render: () =>
    html`<live-transcript token-url="/api/assemblyai-token" show-timestamps></live-transcript>`,
  play: async ({ canvasElement }) => {
    const sim = await Simulation.of(element(canvasElement));
    sim.state('connecting').state('listening').level(-24);
    for (let i = 0; i < 2000; i++) {
      sim.say(`(${i + 1}) ${SENTENCES[i % SENTENCES.length]}`, {
        speaker: i % 3 === 0 ? 'B' : 'A',
      });
    }
    sim.say('And this is the turn in progress', { final: false });
  },
};

export const DarkTheme: Story = {
  name: 'Dark theme (custom properties)',
  render: () => html`
    <div style="background:#0b0d12;padding:1.5rem;border-radius:0.75rem">
      <live-transcript
        token-url="/api/assemblyai-token"
        style="
          --live-transcript-background: #151922;
          --live-transcript-text-color: #e8ecf3;
          --live-transcript-muted-color: #a0a8b8;
          --live-transcript-partial-color: #a0a8b8;
          --live-transcript-border-color: #2c3342;
          --live-transcript-accent-color: #8ab4ff;
          --live-transcript-on-accent-color: #0b0d12;
          --live-transcript-stop-color: #ff8a80;
          --live-transcript-level-color: #7ee787;
          --live-transcript-radius: 1rem;
          --live-transcript-font-size: 1.125rem;
        "
      ></live-transcript>
    </div>
  `,
  play: async ({ canvasElement }) => {
    await listening(canvasElement);
  },
};

const FRENCH = {
  start: 'Démarrer',
  stop: 'Arrêter',
  retry: 'Réessayer',
  idle: 'En attente',
  connecting: 'Connexion…',
  listening: 'À l’écoute',
  paused: 'En pause',
  reconnecting: 'Reconnexion…',
  reconnectingIn: 'Reconnexion dans {seconds} s',
  offline: 'Hors ligne : en attente du réseau',
  stopping: 'Arrêt…',
  error: 'Arrêté par une erreur',
  errorMessage: 'Erreur : {message}',
  errors: { 'microphone-denied': 'Le micro est refusé : autorisez-le pour ce site.' },
  empty: 'Appuyez sur Démarrer et parlez : les sous-titres s’affichent ici.',
  transcript: 'Transcription',
  level: 'Niveau du micro',
  speaker: 'Intervenant {speaker}',
};

export const CustomLabels: Story = {
  name: 'Custom labels (French)',
  render: () =>
    html`<live-transcript token-url="/api/assemblyai-token" .labels=${FRENCH}></live-transcript>`,
  play: async ({ canvasElement }) => {
    const sim = await Simulation.of(element(canvasElement));
    sim.state('connecting').state('listening').level(-20);
    sim.say('Les sous-titres en direct rendent chaque réunion accessible.', { speaker: 'A' });
    sim.say('Envoyez le rapport à Marta', { final: false });
  },
};

export const SlottedControl: Story = {
  name: 'Slotted control',
  render: () => html`
    <live-transcript
      token-url="/api/assemblyai-token"
      @lt-state-change=${(event: CustomEvent<{ state: string }>) => {
        const button = (event.currentTarget as HTMLElement).querySelector('button')!;
        const running = ['connecting', 'listening', 'paused', 'reconnecting'];
        button.textContent = running.includes(event.detail.state) ? '■ End dictation' : '● Dictate';
        button.setAttribute('aria-pressed', String(running.includes(event.detail.state)));
      }}
    >
      <button
        slot="control"
        type="button"
        aria-pressed="false"
        style="font:inherit;padding:0.5rem 1.1rem;border-radius:999px;border:2px solid #8250df;background:#fbefff;color:#512a97;cursor:pointer"
      >
        ● Dictate
      </button>
      <p slot="empty" style="margin:0">Your words appear here. Try a sentence or two.</p>
    </live-transcript>
  `,
  play: async ({ canvasElement }) => {
    const sim = await Simulation.of(element(canvasElement));
    sim.state('connecting').state('listening').level(-14);
    sim.say('Dictation works with any button', { final: false });
  },
};

interface ServerConfig {
  mode: 'emulator' | 'assemblyai';
  url: string | null;
}

/** Asks the example server which service the pages talk to (none outside `npm start`). */
const serverConfig = async (): Promise<{ config: ServerConfig | undefined }> => {
  try {
    const response = await fetch('/api/config');
    return { config: response.ok ? ((await response.json()) as ServerConfig) : undefined };
  } catch {
    return { config: undefined };
  }
};

const NEEDS_SERVER = html`<p>
  This story needs the example server: run <code>npm start</code> and open Storybook from the URL it
  prints.
</p>`;

const note = (text: string) =>
  html`<p style="font-family:system-ui,sans-serif;margin:0 0 0.75rem">${text}</p>`;

const modeNote = (config: ServerConfig) =>
  note(
    config.mode === 'emulator'
      ? 'Emulator: it hears your speech, but the words are placeholders.'
      : 'AssemblyAI: real transcription.'
  );

/**
 * The real element: served by the example server (`npm start`) it gets tokens from
 * `/api/assemblyai-token` and talks to the emulator, or to AssemblyAI when the server has a key.
 */
export const Live: Story = {
  name: 'Live (example server)',
  loaders: [serverConfig],
  render: (_args, { loaded }) => {
    const config = loaded.config as ServerConfig | undefined;
    if (!config) return NEEDS_SERVER;
    return html`
      ${modeNote(config)}
      <live-transcript
        token-url="/api/assemblyai-token"
        url=${config.url ?? nothing}
      ></live-transcript>
    `;
  },
};

/**
 * `device-picker`: a picker of the browser's microphones in the header (part `device`), named
 * once the microphone is allowed; picking one switches inside the running session. Shown here
 * with an audio warning in the status line (simulated).
 */
export const DevicePicker: Story = {
  name: 'Device picker, with a warning',
  render: () =>
    html`<live-transcript token-url="/api/assemblyai-token" device-picker></live-transcript>`,
  play: async ({ canvasElement }) => {
    const sim = await listening(canvasElement);
    sim.emit('warning', {
      code: 'clipping',
      message: 'The microphone is clipping (too loud): lower its input volume.',
    });
  },
};

/**
 * `for` on a `<video>`: the element transcribes the video's audio (not the microphone) and
 * writes the captions into the video's own caption track, shown on the video, in the user's
 * caption style and in fullscreen. Press Start, then play: pause, seek and the end act on the
 * session.
 */
export const VideoCaptions: Story = {
  name: 'for on a <video> (native captions, example server)',
  loaders: [serverConfig],
  render: (_args, { loaded }) => {
    const config = loaded.config as ServerConfig | undefined;
    if (!config) return NEEDS_SERVER;
    return html`
      ${modeNote(config)}
      <video
        id="story-video"
        controls
        src="/media/speech-16k.wav"
        style="display:block;width:100%;max-width:40rem;aspect-ratio:16/9;background:#000;margin-bottom:0.75rem"
      ></video>
      <live-transcript
        for="story-video"
        token-url="/api/assemblyai-token"
        url=${config.url ?? nothing}
      ></live-transcript>
    `;
  },
};

/**
 * `source="display"`: the audio of a tab the user shares (Chrome and Edge, with "Share tab
 * audio" ticked). Firefox and Safari share no audio: Start ends in an error that says so.
 */
export const TabAudio: Story = {
  name: 'Tab audio (source="display", example server)',
  loaders: [serverConfig],
  render: (_args, { loaded }) => {
    const config = loaded.config as ServerConfig | undefined;
    if (!config) return NEEDS_SERVER;
    return html`
      ${modeNote(config)}
      ${note('Press Start, pick a tab that plays audio, and tick "Share tab audio".')}
      <live-transcript
        source="display"
        token-url="/api/assemblyai-token"
        url=${config.url ?? nothing}
      ></live-transcript>
    `;
  },
};
