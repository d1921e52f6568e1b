// SPDX-License-Identifier: MIT
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/*.stories.ts'],
  // Docs pages (autodocs) with the API tables that preview.ts reads from custom-elements.json.
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Storybook's own UI is one big chunk; that is fine for a static build.
  viteFinal: (config) => ({
    ...config,
    build: { ...config.build, chunkSizeWarningLimit: 2000 },
  }),
};

export default config;
