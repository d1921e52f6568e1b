// SPDX-License-Identifier: MIT
import { expect } from '@open-wc/testing';
import { createApp, h, nextTick, ref, type App } from 'vue';
import { LiveTranscript, liveTranscriptEmits } from '@live-transcript/vue';
import { LiveTranscriptElement } from '@live-transcript/element';
import {
  startFakeServer,
  until,
  type FakeServerHandle,
  socketsClosed,
} from '../../../../test-support/browser/fake-server.js';
import { watchMicrophone } from '../../../../test-support/browser/microphone.js';

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

describe('<LiveTranscript> (Vue)', () => {
  let host: HTMLElement;
  let app: App | undefined;

  beforeEach(() => {
    host = document.body.appendChild(document.createElement('div'));
  });
  afterEach(() => {
    app?.unmount();
    app = undefined;
    host.remove();
  });

  const mount = (render: () => ReturnType<typeof h>) => {
    app = createApp({ render });
    app.mount(host);
    return host.querySelector('live-transcript') as LiveTranscriptElement;
  };

  it('registers the element, sets props as properties and follows changes', async () => {
    const url = ref('/api/token');
    const el = mount(() => h(LiveTranscript, { tokenUrl: url.value, class: 'captions' }));
    expect(el).to.be.instanceOf(customElements.get('live-transcript')!);
    expect(el.tokenUrl).to.equal('/api/token');
    expect(el.className).to.equal('captions');
    expect(el.hasAttribute('tokenUrl'), 'a property, not an attribute').to.equal(false);
    url.value = '/api/other-token';
    await nextTick();
    expect(el.tokenUrl).to.equal('/api/other-token');
    app!.unmount();
    app = undefined;
    expect(host.querySelector('live-transcript')).to.equal(null);
  });

  it('declares the public properties of the element as props, casting booleans', async () => {
    const declared = [...LiveTranscriptElement.elementProperties].filter(
      (entry): entry is [string, (typeof entry)[1]] =>
        typeof entry[0] === 'string' && !entry[1].state && entry[0] !== 'state'
    );
    const { props } = LiveTranscript as unknown as {
      props: Record<string, { type?: unknown; default?: unknown }>;
    };
    expect(Object.keys(props).sort()).to.deep.equal(declared.map(([name]) => name).sort());
    for (const [name, options] of declared) {
      expect(props[name]!.type === Boolean, name).to.equal(options.type === Boolean);
      expect(props[name]!.default, name).to.equal(undefined);
    }
    // Unset props leave the element's defaults alone; a bare boolean attribute means true.
    const booleans = declared.filter(([, options]) => options.type === Boolean);
    const defaults = new LiveTranscriptElement() as unknown as Record<string, unknown>;
    const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
    const el = mount(() =>
      h(LiveTranscript, Object.fromEntries(booleans.map(([name]) => [kebab(name), ''])))
    ) as unknown as Record<string, unknown>;
    for (const [name, options] of declared) {
      expect(el[name], name).to.deep.equal(options.type === Boolean ? true : defaults[name]);
    }
  });

  it('emits every lt-* event of the element itself, with the DOM event, and no other', async () => {
    const emitted: Array<[string, Event]> = [];
    const listeners = Object.fromEntries(
      Object.keys(liveTranscriptEmits).map((name) => [
        `on${camel(name[0]!.toUpperCase() + name.slice(1))}`,
        (event: Event) => emitted.push([name, event]),
      ])
    );
    let clicks = 0;
    const el = mount(() =>
      h(LiveTranscript, { ...listeners, onClick: () => clicks++ }, () => h('span', 'child'))
    );
    const names = Object.keys(liveTranscriptEmits);
    expect(names).to.have.length(12);
    expect(names).to.include('lt-device-change');
    for (const name of names) {
      const event = new CustomEvent(name, { detail: { name }, bubbles: true, composed: true });
      el.dispatchEvent(event);
      expect(emitted.at(-1)).to.deep.equal([name, event]);
    }
    expect(emitted).to.have.length(12);
    // A bubbling lt-* event from inside the element is not the element's own.
    el.querySelector('span')!.dispatchEvent(
      new CustomEvent('lt-turn', { detail: {}, bubbles: true, composed: true })
    );
    expect(emitted).to.have.length(12);
    // Other listeners fall through to the element.
    el.click();
    expect(clicks).to.equal(1);
  });

  it('forwards the default slot and assigns named slots to the element slots', () => {
    const el = mount(() =>
      h(LiveTranscript, null, {
        default: () => [h('p', 'intro')],
        control: () => [h('button', 'Go'), 'and text'],
      })
    );
    expect(el.querySelector('p')?.textContent).to.equal('intro');
    expect(el.querySelector('p')?.hasAttribute('slot')).to.equal(false);
    expect(el.querySelector('button')?.getAttribute('slot')).to.equal('control');
    const span = el.querySelector('span[slot="control"]') as HTMLElement;
    expect(span.textContent).to.equal('and text');
    expect(span.style.display).to.equal('contents');
  });

  it('exposes the element on the component instance', () => {
    const instance = ref<{ element: LiveTranscriptElement } | null>(null);
    const el = mount(() => h(LiveTranscript, { ref: instance }));
    expect(instance.value!.element).to.equal(el);
  });
});

/** What the e2e test needs of the element (typed here until the element's class declares it). */
interface Controllable {
  start(): Promise<void>;
}

describe('<LiveTranscript> (Vue) end to end', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle;
  let mic: ReturnType<typeof watchMicrophone>;

  afterEach(async () => {
    mic?.restore();
    await fake?.stop();
  });

  it('gets captions from the element, one socket, and unmounts cleanly', async () => {
    fake = await startFakeServer({ script: 'universal-english-format-turns-2025.jsonl' });
    mic = watchMicrophone();
    const host = document.body.appendChild(document.createElement('div'));
    const states: string[] = [];
    const finals: string[] = [];
    const app = createApp({
      render: () =>
        h(LiveTranscript, {
          tokenUrl: fake.tokenUrl,
          onLtStateChange: (e) => states.push(e.detail.state),
          onLtFinal: (e) => finals.push(e.detail.turn.text),
        }),
    });
    try {
      app.mount(host);
      const el = host.querySelector('live-transcript') as unknown as Controllable;
      // Set directly until the element's class (and so the props type) declares them.
      Object.assign(el, {
        url: fake.url,
        speechModel: 'universal-streaming-english',
        formatTurns: true,
      });
      const button = document.createElement('button');
      button.onclick = () => void el.start();
      host.append(button);
      button.click();
      await until(() => finals.length > 0, 20_000, 'a first final turn');
      expect(finals[0]).to.equal('The quick brown fox jumps over the lazy dog.');
      expect(states.slice(0, 2)).to.deep.equal(['connecting', 'listening']);

      app.unmount();
      expect(await socketsClosed(fake)).to.have.length(1);
      await until(() => mic.released(), 5000, 'the microphone released');
    } finally {
      host.remove();
    }
  });
});
