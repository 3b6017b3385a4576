import type { Meta, StoryObj } from '@storybook/web-components';
import { expect, waitFor } from 'storybook/test';
import { deepQueryAll } from './support/shadow.js';
import { commonStates, described, perUserStory, pieceMeta } from './support/story-kit.js';

const meta: Meta = { ...pieceMeta('consumption-chart'), title: 'Elements/Consumption chart', component: 'consumption-chart' };
export default meta;
type Story = StoryObj;

/** Token consumption of the last 7 days, stacked by I/O type. */
export const Default: Story = {};

/** One user's consumption with their base budget drawn as a reference. */
export const PerUser: Story = perUserStory('consumption-chart');

/** Where the consumption came from: the allocated budget, surplus or a hybrid. */
export const GroupedByPool: Story = { args: { 'group-by': 'poolCategory' } };
/** Who is spending: the 10 largest users plus "other". */
export const GroupedByUser: Story = { args: { 'group-by': 'userId' } };
/** What is spending: the 10 largest endpoints plus "other". */
export const GroupedByEndpoint: Story = { args: { 'group-by': 'endpoint' } };
/** The previous period overlaid. */
export const ComparedWithPreviousPeriod: Story = { args: { compare: true } };

/** Only tokens: the consumption in tokens. */
export const Tokens: Story = { args: { 'resource-type': 'tokens' } };
/** Only storage: amounts in bytes, written in SI units (1 MB = 1,000,000 bytes). */
export const Storage: Story = { args: { 'resource-type': 'storage' } };
/** Only OCR: amounts in pages. */
export const Ocr: Story = { name: 'OCR', args: { 'resource-type': 'ocr' } };

const states = commonStates({}, { bucket: 'hour' });
// The tag is written here, in the export, because Storybook's indexer reads tags statically.
export const Loading: Story = { ...states.Loading, tags: ['never-settles'] };
export const Empty: Story = states.Empty;
export const ErrorState: Story = { ...states.Error, name: 'Error' };
export const RateLimited: Story = states.RateLimited;
export const HostileData: Story = { ...states.HostileData, args: { 'group-by': 'userId' } };
export const LargeData: Story = states.LargeData;
export const Live: Story = {
  ...described(states.Live, 'Events ingested every second are added to the current bucket (the play function waits for the total to grow).'),
  play: async ({ canvasElement }) => {
    const summary = () => deepQueryAll(canvasElement, '[part~="summary"]')[0]?.textContent?.trim() ?? '';
    await waitFor(() => expect(summary()).toMatch(/^Total /), { timeout: 15_000 });
    const first = summary();
    await waitFor(() => expect(summary()).not.toBe(first), { timeout: 15_000 });
  },
};
export const DarkTheme: Story = states.DarkTheme;
export const NarrowHost: Story = states.NarrowHost;
