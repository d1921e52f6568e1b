// SPDX-License-Identifier: MIT
import * as React from 'react';
import { createComponent } from '@lit/react';
import { LiveTranscriptElement } from '@live-transcript/element';

/**
 * `<live-transcript>` as a React component: element properties are props.
 *
 * @example
 * ```tsx
 * <LiveTranscript tokenUrl="/api/assemblyai-token" />
 * ```
 */
export const LiveTranscript = createComponent({
  tagName: 'live-transcript',
  elementClass: LiveTranscriptElement,
  react: React,
  events: {},
  displayName: 'LiveTranscript',
});
