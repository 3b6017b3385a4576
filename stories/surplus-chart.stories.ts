import type { Meta, StoryObj } from '@storybook/web-components';
import { expect, waitFor } from 'storybook/test';
import { deepQuery, deepQueryAll } from './support/shadow.js';
import { commonStates, pieceMeta } from './support/story-kit.js';

const meta: Meta = { ...pieceMeta('surplus-chart'), title: 'Elements/Surplus chart', component: 'surplus-chart' };
export default meta;
type Story = StoryObj;

/** The organization's token surplus pool over the last 7 days, with the forecast. */
export const Default: Story = {};

export const Tokens: Story = { args: { 'resource-type': 'tokens' } };
export const Storage: Story = { args: { 'resource-type': 'storage' } };
export const Ocr: Story = { name: 'OCR', args: { 'resource-type': 'ocr' } };

/** Thirty days: the pool ran dry now and then. */
export const ThirtyDays: Story = { args: { range: '30d' } };

/** "Who is drawing surplus" opened: the users who drew most from the pool in the range. */
export const WhoIsDrawingSurplus: Story = {
  args: { range: '30d' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(deepQueryAll(canvasElement, '[part~="who-button"]')).toHaveLength(1), { timeout: 10_000 });
    deepQuery(canvasElement, '[part~="who-button"]').click();
    await waitFor(() => expect(deepQueryAll(canvasElement, '[part~="drawers"] li').length).toBeGreaterThan(0), { timeout: 10_000 });
  },
};

/** Other filters are active: the pool is the organization's, and the chart says so. */
export const OrganizationWide: Story = { args: { 'pool-categories': 'surplus' } };

const states = commonStates({}, { bucket: 'hour' });
// The tag is written here, in the export, because Storybook's indexer reads tags statically.
export const Loading: Story = { ...states.Loading, tags: ['never-settles'] };
/** Nothing was drawn in the range: the pool stays full (the chart has no empty state of its own). */
export const Empty: Story = { ...states.Empty, play: undefined };
export const ErrorState: Story = { ...states.Error, name: 'Error' };
export const LargeData: Story = states.LargeData;
export const Live: Story = states.Live;
export const DarkTheme: Story = states.DarkTheme;
export const NarrowHost: Story = states.NarrowHost;
