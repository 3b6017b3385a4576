import { setCustomElementsManifest, type Preview } from '@storybook/web-components';
import manifest from '../custom-elements.json';
import { extractArgTypes, extractComponentDescription, registerManifest } from '../stories/support/manifest.js';

// custom-elements.json is written by `npm run build` (the storybook scripts build it first).
setCustomElementsManifest(manifest);
registerManifest(manifest);

const preview: Preview = {
  tags: ['autodocs'],
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
    docs: { extractArgTypes, extractComponentDescription },
    options: {
      storySort: { order: ['Introduction', 'Dashboard', 'Elements', 'States', '*'] },
    },
  },
};

export default preview;
