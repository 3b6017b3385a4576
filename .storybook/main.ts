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
  // No icon of its own: over HTTP the preview frame would ask for /favicon.ico, a 404 in
  // every story's console.
  previewHead: (head) => `${head}<link rel="icon" href="data:,">`,
  async viteFinal(viteConfig) {
    return {
      ...viteConfig,
      // Relative asset URLs, so that storybook-static opens from any folder.
      base: './',
      // No <link rel="modulepreload"> for the chunks a story imports: scripts/storybook-file.mjs
      // bundles them into one classic script (for file://), where a preload of the module
      // files would only be refused.
      build: { ...viteConfig.build, chunkSizeWarningLimit: 4096, modulePreload: false },
    };
  },
};

export default config;
