import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * Storybook for the elements. The stories get their data from the in-memory reference
 * handler passed through the elements' `fetch` request option (no server, no service
 * worker), so the static build in storybook-static/ works with nothing behind it.
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  docs: { defaultName: 'Docs' },
  async viteFinal(viteConfig) {
    return {
      ...viteConfig,
      // Relative asset URLs, so that storybook-static opens from any folder.
      base: './',
      build: { ...viteConfig.build, chunkSizeWarningLimit: 4096 },
    };
  },
};

export default config;
