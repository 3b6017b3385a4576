import { setCustomElementsManifest, type Preview } from '@storybook/web-components';
import manifest from '../custom-elements.json';
import { themeFromGlobals } from '../stories/support/decorators.js';
import { extractArgTypes, extractComponentDescription, registerManifest } from '../stories/support/manifest.js';
// Every tag, through the define modules a host imports. Imported here, by the entry, and not
// by a helper module: the package's `sideEffects` lists only the define modules, so the
// production build drops a module that merely imports them (and the tags with it).
import '../src/usage-filters/usage-filters.js';
import '../src/usage-filter-bar/usage-filter-bar.js';
import '../src/surplus-chart/surplus-chart.js';
import '../src/consumption-chart/consumption-chart.js';
import '../src/consumption-events-table/consumption-events-table.js';

// custom-elements.json is written by `npm run build` (the storybook scripts build it first).
setCustomElementsManifest(manifest);
registerManifest(manifest);

const preview: Preview = {
  tags: ['autodocs'],
  globalTypes: {
    theme: {
      description: "The elements' theme",
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  decorators: [themeFromGlobals],
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
