import type { Meta, StoryObj } from '@storybook/web-components';
import { html, render } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { DEMO_ENDPOINT } from './support/demo.js';
import { renderElement } from './support/render.js';
import { requestOptionsOf, withDemo } from './support/story-kit.js';

/** The space between the filter bar and the table: the dashboard's between its pieces. */
const GAP_PX = 16;
const stack = `display:grid;gap:${GAP_PX}px`;

/**
 * `<usage-filters>` has no UI: it holds the state and the settings for the pieces inside it.
 * Its controls (range, resource type, theme…) reach the filter bar and the table below.
 */
const meta: Meta = {
  title: 'Elements/Usage filters',
  component: 'usage-filters',
  loaders: [withDemo('small')],
  args: { 'data-endpoint': DEMO_ENDPOINT, range: '7d', 'resource-type': 'tokens' },
  render: (args, context) => {
    const holder = renderElement('usage-filters', args, { requestOptions: requestOptionsOf(context) });
    render(
      html`<div style=${stack}>
        <usage-filter-bar></usage-filter-bar>
        <consumption-events-table page-size="10"></consumption-events-table>
      </div>`,
      holder,
    );
    return holder;
  },
  // The bar and the table do not touch: the dashboard's gap between them.
  play: async ({ canvasElement }) => {
    const box = (tag: string) => canvasElement.querySelector(tag)?.getBoundingClientRect();
    await waitFor(() => expect(box('consumption-events-table')?.height).toBeGreaterThan(0), { timeout: 10_000 });
    expect(Math.round(box('consumption-events-table')!.top - box('usage-filter-bar')!.bottom)).toBe(GAP_PX);
  },
};
export default meta;
type Story = StoryObj;

/** The shared state from attributes; a piece inside follows every change. */
export const Default: Story = {};

/** The whole state through the `filters` property (IDs with commas can be set only so). */
export const FiltersProperty: Story = {
  args: {
    range: undefined,
    'resource-type': undefined,
    filters: { range: { preset: '30d' }, resourceType: 'storage', poolCategories: ['surplus', 'hybrid'] },
  },
};

/** Pieces that share no ancestor share one state through `filter-group`. */
export const FilterGroupApart: Story = {
  render: (args, context) => {
    const options = requestOptionsOf(context);
    const root = document.createElement('div');
    root.style.cssText = stack;
    render(
      html`<section aria-label="Controls">
          <usage-filter-bar filter-group="org" data-endpoint=${args['data-endpoint']} .requestOptions=${options}></usage-filter-bar>
        </section>
        <section aria-label="Events">
          <consumption-events-table filter-group="org" page-size="10" data-endpoint=${args['data-endpoint']} .requestOptions=${options}></consumption-events-table>
        </section>`,
      root,
    );
    return root;
  },
};
