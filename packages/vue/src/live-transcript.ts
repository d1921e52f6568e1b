// SPDX-License-Identifier: MIT
import { defineComponent, h } from 'vue';

/**
 * `<live-transcript>` as a Vue component: props are set as element properties.
 *
 * @example
 * ```vue
 * <LiveTranscript token-url="/api/assemblyai-token" />
 * ```
 */
export const LiveTranscript = defineComponent({
  name: 'LiveTranscript',
  props: {
    /** The URL of your server route that answers `{ token }`. */
    tokenUrl: { type: String, default: undefined },
  },
  setup(props, { slots }) {
    return () => h('live-transcript', { tokenUrl: props.tokenUrl }, slots.default?.());
  },
});
