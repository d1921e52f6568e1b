// SPDX-License-Identifier: MIT
import {
  Comment,
  Fragment,
  Text,
  camelize,
  cloneVNode,
  defineComponent,
  h,
  inject,
  shallowRef,
  ssrContextKey,
  toHandlerKey,
  type ComponentObjectPropsOptions,
  type Slots,
  type VNode,
} from 'vue';
import { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';
import { liveTranscriptEmits, type LiveTranscriptListeners } from './events.js';

type El = LiveTranscriptElement;
type IfEquals<X, Y, A, B> =
  (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? A : B;
type WritableKeys<T> = {
  [K in keyof T]-?: IfEquals<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }, K, never>;
}[keyof T];
type MethodKeys<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never;
}[keyof T];

/** Read-only by contract (`state`), or Lit's bookkeeping. */
type NotProps = 'state' | 'isUpdatePending' | 'hasUpdated';

/**
 * The props of `<LiveTranscript>`: the element's writable properties (`tokenUrl`, `speechModel`,
 * `formatTurns`, `getToken`, ...), set on the element as properties.
 */
export type LiveTranscriptProps = Partial<
  Pick<
    El,
    | Exclude<WritableKeys<El>, keyof HTMLElement | MethodKeys<El> | NotProps>
    | Extract<keyof El, 'getToken'>
  >
>;

/** Lit's declared properties of the element (public ones), read once. */
const declared = () => {
  void LiveTranscriptElement.observedAttributes; // finalizes the class: fills elementProperties
  return [...LiveTranscriptElement.elementProperties].filter(
    (entry): entry is [string, (typeof entry)[1]] =>
      typeof entry[0] === 'string' &&
      !entry[1].state &&
      !entry[0].startsWith('_') &&
      entry[0] !== 'state'
  );
};
const PROPERTIES = declared();

/** The attribute of each property, for server rendering (`tokenUrl` → `token-url`). */
const ATTRIBUTES = new Map(
  PROPERTIES.map(([name, { attribute }]) => [
    name,
    attribute === false
      ? undefined
      : typeof attribute === 'string'
        ? attribute
        : name.toLowerCase(),
  ])
);

/** Vue props: boolean properties cast like attributes (`<LiveTranscript format-turns>`). */
const props = Object.fromEntries(
  PROPERTIES.map(([name, { type }]) => [
    name,
    type === Boolean ? { type: Boolean, default: undefined } : { default: undefined },
  ])
) as ComponentObjectPropsOptions<LiveTranscriptProps & LiveTranscriptListeners>;

/** Element and component nodes of a slot, without comments and fragments. */
const flatten = (nodes: VNode[]): VNode[] =>
  nodes.flatMap((node) =>
    node.type === Fragment ? flatten(node.children as VNode[]) : node.type === Comment ? [] : [node]
  );

/** The default slot as is; each named slot's nodes with `slot="<name>"` (text in a span). */
function children(slots: Slots): VNode[] {
  const out: VNode[] = [];
  for (const [name, slot] of Object.entries(slots)) {
    const nodes = slot?.() ?? [];
    if (name === 'default') {
      out.push(...nodes);
      continue;
    }
    for (const node of flatten(nodes)) {
      out.push(
        node.type === Text
          ? h('span', { slot: name, style: 'display: contents' }, node.children as string)
          : cloneVNode(node, { slot: name })
      );
    }
  }
  return out;
}

/**
 * `<live-transcript>` as a Vue component (registers the element). Props are set as element
 * properties; `@lt-turn`, `@lt-final`, `@lt-state-change`, `@lt-error`, ... emit the element's
 * own DOM events (not those bubbling up from inside it); named slots go to the element's slots.
 * The component instance exposes the element as `element`.
 *
 * @example
 * ```vue
 * <script setup lang="ts">
 * import { LiveTranscript } from '@live-transcript/vue';
 * </script>
 *
 * <template>
 *   <LiveTranscript token-url="/api/assemblyai-token" @lt-final="(e) => save(e.detail.turn.text)" />
 * </template>
 * ```
 */
export const LiveTranscript = defineComponent(
  (properties: LiveTranscriptProps & LiveTranscriptListeners, { emit, slots, expose }) => {
    const element = shallowRef<LiveTranscriptElement>();
    const server = inject(ssrContextKey, null) !== null;
    expose({ element });
    const listeners = Object.fromEntries(
      Object.keys(liveTranscriptEmits).map((name) => [
        toHandlerKey(camelize(name)),
        (event: Event) => {
          if (event.target === event.currentTarget)
            (emit as (n: string, e: Event) => void)(name, event);
        },
      ])
    );
    return () => {
      const data: Record<string, unknown> = { ref: element, ...listeners };
      for (const [name, value] of Object.entries(properties as Record<string, unknown>)) {
        if (value === undefined) continue;
        if (!server) {
          // `.name`: always a property, even before the element is upgraded.
          data[`.${name}`] = value;
          continue;
        }
        const attribute = ATTRIBUTES.get(name);
        if (attribute && value !== false && /^(string|number|boolean)$/.test(typeof value)) {
          data[attribute] = value === true ? '' : value;
        }
      }
      return h('live-transcript', data, children(slots));
    };
  },
  { name: 'LiveTranscript', props, emits: liveTranscriptEmits }
);
