// SPDX-License-Identifier: MIT
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@live-transcript/element/define';

const meta: Meta = {
  title: 'live-transcript',
  component: 'live-transcript',
};
export default meta;

export const Idle: StoryObj = {
  render: () => html`<live-transcript token-url="/api/assemblyai-token"></live-transcript>`,
};
