// SPDX-License-Identifier: MIT
// One options table, one behaviour: every option that reaches the server, changed mid-session
// through each of the five surfaces (<live-transcript>, React <LiveTranscript>,
// useLiveTranscript() for React, Vue <LiveTranscript>, the Vue composable). A live option is
// sent at once as UpdateConfiguration (with its wire name and value, nothing else); a
// connect-time option is not sent, and the next start() connects with it. The options and their
// values come from the core options table (test-support/browser/option-samples.ts). An option
// with a method of its own (`deviceId` → `setDevice()`) applies mid-session through that method:
// the microphone switches inside the same session.
import { expect } from '@open-wc/testing';
import { act, createRef, StrictMode, useState, type RefObject } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import {
  createApp,
  defineComponent,
  h,
  nextTick,
  shallowRef,
  type App as VueApp,
  type ShallowRef,
} from 'vue';
import { wireName } from '@live-transcript/core';
import type { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';
import {
  LiveTranscript as ReactLiveTranscript,
  useLiveTranscript as useReactLiveTranscript,
  type UseLiveTranscriptResult,
} from '@live-transcript/react';
import {
  LiveTranscript as VueLiveTranscript,
  useLiveTranscript as useVueLiveTranscript,
  type UseLiveTranscriptReturn,
} from '@live-transcript/vue';
import {
  startFakeServer,
  until,
  type FakeRecords,
  type FakeServerHandle,
} from '../../test-support/browser/fake-server.js';
import { optionSamples, type OptionSample } from '../../test-support/browser/option-samples.js';
import { RAW_MICROPHONE } from '../../test-support/browser/microphone.js';
import { MIC_A, MIC_B, fakeMicrophones } from '../../test-support/browser/devices.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Options = Record<string, unknown>;

/** What the test does through a surface. */
interface Surface {
  /** Mounts with the core options `options` (each surface maps them to its own props). */
  mount(host: HTMLElement, options: Options): Promise<void>;
  /** Replaces the options, as an app re-rendering with new ones does, and lets it settle. */
  set(options: Options): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  unmount(): Promise<void>;
}

/** Core options → the element's properties (`keytermsPrompt` → `keyterms`). */
const asProperties = (options: Options) =>
  Object.fromEntries(
    Object.entries(options).map(([key, value]) => [
      samples.find((sample) => sample.key === key)?.property ?? key,
      value,
    ])
  );

const samples = optionSamples();

function elementSurface(): Surface {
  let el: LiveTranscriptElement;
  let previous: Options = {};
  return {
    async mount(host, options) {
      el = host.appendChild(document.createElement('live-transcript'));
      await this.set(options);
    },
    async set(options) {
      const properties = asProperties(options);
      for (const key of Object.keys(previous))
        if (!(key in properties)) Object.assign(el, { [key]: undefined });
      Object.assign(el, properties);
      previous = properties;
      await el.updateComplete;
    },
    start: () => el.start(),
    stop: () => el.stop(),
    async unmount() {
      el.remove();
    },
  };
}

function reactComponentSurface(): Surface {
  let root: Root;
  const ref = createRef<LiveTranscriptElement>();
  const render = (options: Options) =>
    act(async () =>
      root.render(
        <StrictMode>
          <ReactLiveTranscript ref={ref} {...asProperties(options)} />
        </StrictMode>
      )
    );
  return {
    async mount(host, options) {
      root = createRoot(host);
      await render(options);
    },
    set: render,
    start: () => ref.current!.start(),
    stop: () => ref.current!.stop(),
    unmount: () => act(async () => root.unmount()),
  };
}

function reactHookSurface(): Surface {
  let root: Root;
  const latest: RefObject<UseLiveTranscriptResult | null> = { current: null };
  let setOptions: (options: Options) => void;
  function Captions() {
    const [options, set] = useState<Options>({});
    setOptions = set;
    latest.current = useReactLiveTranscript(options);
    return <output>{latest.current.state}</output>;
  }
  return {
    async mount(host, options) {
      root = createRoot(host);
      await act(async () =>
        root.render(
          <StrictMode>
            <Captions />
          </StrictMode>
        )
      );
      await this.set(options);
    },
    set: (options) => act(async () => setOptions(options)),
    start: () => latest.current!.start(),
    stop: () => latest.current!.stop(),
    unmount: () => act(async () => root.unmount()),
  };
}

function vueComponentSurface(): Surface {
  let app: VueApp;
  let host: HTMLElement;
  const props = shallowRef<Options>({});
  const el = () => host.querySelector('live-transcript') as LiveTranscriptElement;
  return {
    async mount(node, options) {
      host = node;
      props.value = asProperties(options);
      app = createApp({ render: () => h(VueLiveTranscript, props.value) });
      app.mount(host);
      await nextTick();
      await el().updateComplete;
    },
    async set(options) {
      props.value = asProperties(options);
      await nextTick();
      await el().updateComplete;
    },
    start: () => el().start(),
    stop: () => el().stop(),
    async unmount() {
      app.unmount();
    },
  };
}

function vueComposableSurface(): Surface {
  let app: VueApp;
  const options: ShallowRef<Options> = shallowRef({});
  let result: UseLiveTranscriptReturn;
  return {
    async mount(host, initial) {
      options.value = initial;
      app = createApp(
        defineComponent({
          setup() {
            result = useVueLiveTranscript(options);
            return () => h('output', result.state.value);
          },
        })
      );
      app.mount(host);
      await nextTick();
    },
    async set(next) {
      options.value = next;
      await nextTick();
    },
    start: () => result.start(),
    stop: () => result.stop(),
    async unmount() {
      app.unmount();
    },
  };
}

const SURFACES: Record<string, () => Surface> = {
  '<live-transcript>': elementSurface,
  'React <LiveTranscript>': reactComponentSurface,
  'React useLiveTranscript()': reactHookSurface,
  'Vue <LiveTranscript>': vueComponentSurface,
  'Vue useLiveTranscript()': vueComposableSurface,
};

/** The options that reach the server: live ones last, so the final control proves the order. */
const wire = samples
  .filter((sample) => sample.spec.scope !== 'client')
  .sort((a, b) => Number(a.spec.scope === 'live') - Number(b.spec.scope === 'live'));
const query = (sample: OptionSample) =>
  typeof sample.value === 'string' ? sample.value : JSON.stringify(sample.value);

describe('every option, changed mid-session, on all five surfaces', function () {
  this.timeout(120_000);
  let fake: FakeServerHandle;
  let host: HTMLElement;

  beforeEach(async () => {
    fake = await startFakeServer();
    host = document.body.appendChild(document.createElement('div'));
  });
  afterEach(async () => {
    host.remove();
    await fake.stop();
  });

  it('covers every wire option of the table, live and connect-time', () => {
    expect(wire.filter((s) => s.spec.scope === 'live').length).to.be.greaterThan(5);
    expect(wire.filter((s) => s.spec.scope === 'connect').length).to.be.greaterThan(5);
  });

  for (const [name, make] of Object.entries(SURFACES)) {
    it(`${name}: live options go out as UpdateConfiguration, the others at the next start`, async () => {
      const surface = make();
      const base: Options = { tokenUrl: fake.tokenUrl, url: fake.url, microphone: RAW_MICROPHONE };
      await surface.mount(host, base);
      await surface.start();
      const connection = async (index: number) =>
        ((await fake.records()) as FakeRecords).connections[index]!;
      const options = { ...base };
      let sent = 0;
      for (const sample of wire) {
        options[sample.key] = sample.value;
        await surface.set({ ...options });
        if (sample.spec.scope !== 'live') continue;
        sent += 1;
        await until(
          async () => (await connection(0)).controlMessages.length >= sent,
          5000,
          `UpdateConfiguration for ${sample.key}`
        );
      }
      const first = await connection(0);
      const live = wire.filter((sample) => sample.spec.scope === 'live');
      // One message per live option, in order, with exactly its wire field: no connect-time
      // option was sent mid-session.
      expect(first.controlMessages).to.deep.equal(
        live.map((sample) => ({
          type: 'UpdateConfiguration',
          [wireName(sample.key, sample.spec)]: sample.value,
        }))
      );
      for (const sample of wire.filter((s) => s.spec.scope === 'connect')) {
        expect(first.params[wireName(sample.key, sample.spec)], sample.key).to.not.equal(
          query(sample)
        );
      }
      await surface.stop();
      // The next session connects with every option.
      await surface.start();
      await until(
        async () => (await fake.records()).connections.length === 2,
        5000,
        'a second session'
      );
      const second = await connection(1);
      for (const sample of wire) {
        expect(second.params[wireName(sample.key, sample.spec)], sample.key).to.equal(
          query(sample)
        );
      }
      await surface.stop();
      await surface.unmount();
    });
  }

  /** The options that apply mid-session through a method of the transcriber. */
  const setters = samples.filter((sample) => sample.spec.setter);

  it('covers every option with a method of its own', () => {
    expect(setters.map((sample) => [sample.key, sample.spec.setter])).to.deep.equal([
      ['deviceId', 'setDevice'],
    ]);
  });

  for (const [name, make] of Object.entries(SURFACES)) {
    it(`${name}: a new deviceId switches the microphone inside the session`, async () => {
      const mics = await fakeMicrophones();
      try {
        const surface = make();
        const base: Options = {
          tokenUrl: fake.tokenUrl,
          url: fake.url,
          microphone: RAW_MICROPHONE,
        };
        await surface.mount(host, { ...base, deviceId: MIC_A.deviceId });
        await surface.start();
        const frames = async () => (await fake.records()).connections[0]!.frames.length;
        /** Frames keep coming after a switch: the session goes on. */
        const flowing = async () => {
          const sent = await frames();
          await until(async () => (await frames()) > sent + 5, 5000, 'frames after the switch');
        };
        await surface.set({ ...base, deviceId: MIC_B.deviceId });
        await until(() => mics.tracks[0]?.readyState === 'ended', 5000, 'the switch to B');
        expect(mics.opened).to.deep.equal([MIC_A.deviceId, MIC_B.deviceId]);
        expect(mics.tracks[1]!.readyState).to.equal('live');
        await flowing();
        // Unset: the system default (the first device).
        await surface.set(base);
        await until(() => mics.tracks[1]?.readyState === 'ended', 5000, 'the switch back');
        expect(mics.opened).to.deep.equal([MIC_A.deviceId, MIC_B.deviceId, MIC_A.deviceId]);
        await flowing();
        const records = await fake.records();
        expect(records.connections, 'one session').to.have.length(1);
        expect(records.tokenRequests, 'one token').to.have.length(1);
        expect(records.connections[0]!.closed, 'still open').to.equal(null);
        await surface.stop();
        await surface.unmount();
      } finally {
        await mics.restore();
      }
    });
  }
});
