// SPDX-License-Identifier: MIT
// useLiveTranscript() end to end: Vue apps, the fixture WAV as the microphone, real sockets to
// the fake AssemblyAI server (test-support/fake-server-plugin.mjs).
import { expect } from '@open-wc/testing';
import { createApp, defineComponent, effectScope, h, nextTick, ref, type App, type Ref } from 'vue';
import {
  useLiveTranscript,
  type UseLiveTranscriptOptions,
  type UseLiveTranscriptReturn,
} from '@live-transcript/vue';
import {
  sentences,
  startFakeServer,
  until,
  words,
  type FakeServerHandle,
  socketsClosed,
} from '../../../../test-support/browser/fake-server.js';
import { RAW_MICROPHONE, watchMicrophone } from '../../../../test-support/browser/microphone.js';
import { MIC_A, MIC_B, fakeMicrophones } from '../../../../test-support/browser/devices.js';

/** The composable's latest return value, for assertions. */
let latest: UseLiveTranscriptReturn;
/** Every state rendered, in order (to say what happened when a wait times out). */
let rendered: string[] = [];

const Captions = defineComponent({
  props: { options: { type: Object as () => Ref<UseLiveTranscriptOptions>, required: true } },
  setup(props) {
    const result = useLiveTranscript(props.options);
    latest = result;
    return () => {
      if (rendered.at(-1) !== result.state.value) rendered.push(result.state.value);
      return h('div', [
        h('button', { onClick: () => result.start() }, 'Start'),
        h('output', result.state.value),
        ...result.turns.value.map((turn) =>
          h('p', { key: turn.id, 'data-final': turn.final }, turn.text)
        ),
        h('i', result.partial.value),
        result.error.value && h('strong', result.error.value.code),
      ]);
    };
  },
});

describe('useLiveTranscript() (Vue)', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle | undefined;
  let host: HTMLElement;
  let app: App | undefined;
  let mic: ReturnType<typeof watchMicrophone>;

  const shown = (selector: string) =>
    [...host.querySelectorAll(selector)].map((n) => n.textContent);
  const state = () => host.querySelector('output')?.textContent;
  /**
   * Waits for `listening` (30 s: a first start loads the transcriber's code, slow in WebKit on a
   * loaded machine); at the timeout, names the states rendered and the error.
   */
  const listening = (what: string, ms = 30_000) =>
    until(
      () => state() === 'listening',
      ms,
      () =>
        `${what} (states: ${rendered.join(' → ')}; error: ${latest.error.value?.message ?? 'none'})`
    );

  beforeEach(() => {
    rendered = [];
    host = document.body.appendChild(document.createElement('div'));
    mic = watchMicrophone();
  });
  afterEach(async () => {
    app?.unmount();
    app = undefined;
    host.remove();
    mic.restore();
    await fake?.stop();
    fake = undefined;
  });

  function mount(initial: UseLiveTranscriptOptions) {
    const options = ref(initial) as Ref<UseLiveTranscriptOptions>;
    app = createApp({ render: () => h(Captions, { options }) });
    app.mount(host);
    return options;
  }

  it('transcribes a whole session, then unmounting closes the socket and frees the mic', async () => {
    fake = await startFakeServer({ script: 'universal-english-format-turns-2025.jsonl' });
    const states: string[] = [];
    const finals: string[] = [];
    mount({
      tokenUrl: fake.tokenUrl,
      url: fake.url,
      speechModel: 'universal-streaming-english',
      formatTurns: true,
      microphone: RAW_MICROPHONE,
      onStateChange: (e) => states.push(e.detail.state),
      onFinal: (e) => finals.push(e.detail.turn.text),
    });
    expect(state()).to.equal('idle');
    host.querySelector('button')!.click();
    await listening('listening');
    const expected = await sentences();
    await until(() => finals.length === 3, 30_000, 'three display-ready final turns');
    await until(() => shown('p').join() === expected.join(), 2000, 'the three turns on screen');
    expect(shown('p[data-final="true"]')).to.deep.equal(expected);
    expect(finals).to.deep.equal(expected);
    expect(latest.text.value).to.equal(expected.join('\n'));
    expect(latest.finalText.value).to.equal(expected.join('\n'));
    expect(latest.level.value.rms).to.be.a('number');
    expect(states).to.deep.equal(['connecting', 'listening']);

    app!.unmount();
    app = undefined;
    const connections = await socketsClosed(fake);
    expect(connections).to.have.length(1);
    expect(connections[0]!.controls).to.include('Terminate');
    expect(connections[0]!.closed).to.include({ code: 1000 });
    await until(() => mic.released(), 5000, 'the microphone released');
    expect(mic.streams).to.have.length(1);
    expect(states, 'callbacks stop with the component').to.deep.equal(['connecting', 'listening']);
  });

  it('follows option changes: live settings at once, others after stop(), transcript kept', async () => {
    fake = await startFakeServer({ script: 'universal-english.jsonl' });
    const options = mount({
      tokenUrl: fake.tokenUrl,
      url: fake.url,
      speechModel: 'universal-streaming-english',
      microphone: RAW_MICROPHONE,
    });
    host.querySelector('button')!.click();
    await listening('listening');

    options.value.keytermsPrompt = ['Marta']; // deep: an in-place edit counts
    await until(
      async () => (await fake!.records()).connections[0]!.controls.includes('UpdateConfiguration'),
      3000,
      'UpdateConfiguration'
    );
    options.value = { ...options.value, speechModel: 'universal-3-5-pro' };
    await until(() => latest.turns.value[0]?.final === true, 15_000, 'a final turn');
    expect(state(), 'still the same session').to.equal('listening');

    await latest.stop();
    await until(() => state() === 'idle', 5000, 'idle');
    const kept = latest.turns.value.map((turn) => turn.text);
    expect(words(kept[0]!)).to.equal(words((await sentences())[0]!));

    host.querySelector('button')!.click();
    await listening('listening (second run)');
    const { connections } = await fake.records();
    expect(connections).to.have.length(2);
    expect(connections[1]!.params).to.include({ speech_model: 'universal-3-5-pro' });
    expect(connections[1]!.params.keyterms_prompt).to.contain('Marta');
    expect(latest.turns.value.slice(0, kept.length).map((t) => t.text)).to.deep.equal(kept);
    latest.clear();
    await until(() => shown('p').length === 0, 2000, 'cleared');
    await latest.stop();
  });

  it('returns the microphones as a ref, kept current, and setDevice() switches inside the session', async () => {
    const mics = await fakeMicrophones();
    try {
      fake = await startFakeServer();
      const changes: string[] = [];
      mount({
        tokenUrl: fake.tokenUrl,
        url: fake.url,
        microphone: RAW_MICROPHONE,
        onDeviceChange: (e) => changes.push(e.detail.label),
      });
      // (`latest` is the previous test's until this component renders: wait for the fakes.)
      await until(
        () =>
          latest.devices.value.length === 2 && latest.devices.value[0]!.deviceId === MIC_A.deviceId,
        5000,
        'the microphones'
      );
      expect(latest.devices.value.map((d) => [d.deviceId, d.label])).to.deep.equal([
        [MIC_A.deviceId, MIC_A.label],
        [MIC_B.deviceId, MIC_B.label],
      ]);
      host.querySelector('button')!.click();
      await listening('listening');
      await latest.setDevice(MIC_B.deviceId);
      expect(changes).to.deep.equal([MIC_B.label]);
      expect(mics.opened).to.deep.equal([MIC_A.deviceId, MIC_B.deviceId]);
      mics.plug([MIC_B]); // A unplugged
      await until(() => latest.devices.value.length === 1, 5000, 'the list without A');
      expect(state()).to.equal('listening');
      const records = await fake.records();
      expect(records.connections, 'one session').to.have.length(1);
      expect(records.tokenRequests, 'one token').to.have.length(1);
    } finally {
      app?.unmount();
      app = undefined;
      await mics.restore();
    }
  });

  it('works in an effect scope: invalid options are an error ref, fixed by a getter', async () => {
    const tokenUrl = ref<string>();
    const errors: string[] = [];
    const scope = effectScope();
    const result = scope.run(() =>
      useLiveTranscript(() => ({
        tokenUrl: tokenUrl.value,
        onError: (e) => errors.push(e.detail.error.code),
      }))
    )!;
    // No token source yet: not an error until start() (an app may set getToken later).
    expect(result.state.value).to.equal('idle');
    const failure = await result.start().then(
      () => undefined,
      (error: unknown) => error
    );
    expect(result.state.value).to.equal('error');
    expect(result.error.value?.code).to.equal('invalid-option');
    expect(errors).to.deep.equal(['invalid-option']);
    expect(failure).to.equal(result.error.value);
    // diagnostics() reports what the composable shows, as JSON data.
    const report = result.diagnostics();
    expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
    expect(report.state).to.equal('error');
    expect(report.error?.code).to.equal('invalid-option');
    tokenUrl.value = '/api/token';
    await nextTick();
    expect(result.state.value).to.equal('idle');
    expect(result.error.value).to.equal(undefined);
    scope.stop();
    const late = await result.start().then(
      () => undefined,
      (error: { code?: string }) => error.code
    );
    expect(late, 'start() after the scope ended').to.equal('aborted');
    expect(mic.streams).to.have.length(0);
  });
});
