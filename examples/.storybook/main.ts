// SPDX-License-Identifier: MIT
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/*.stories.ts'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
};

export default config;
