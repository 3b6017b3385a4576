import type { Meta, StoryObj } from '@storybook/web-components';
import { expect, waitFor } from 'storybook/test';
import { HOSTILE_TEXTS } from './support/demo.js';
import { deepQuery, deepQueryAll } from './support/shadow.js';
import { commonStates, described, perUserStory, pieceMeta } from './support/story-kit.js';

const meta: Meta = { ...pieceMeta('consumption-events-table'), title: 'Elements/Consumption events table', component: 'consumption-events-table' };
export default meta;
type Story = StoryObj;

/** Every event of the last 7 days, newest first, 25 a page. */
export const Default: Story = {};

/** One user's events, as on a user's detail page. */
export const PerUser: Story = perUserStory('consumption-events-table');

/** Only the token events. */
export const Tokens: Story = { args: { 'resource-type': 'tokens' } };
/** Only storage: amounts in bytes, written in SI units (1 MB = 1,000,000 bytes). */
export const Storage: Story = { args: { 'resource-type': 'storage' } };
/** Only OCR events: amounts in pages. */
export const Ocr: Story = { name: 'OCR', args: { 'resource-type': 'ocr' } };

/** Sorted by amount, largest first, with an amount range (only with a resource type). */
export const SortedByAmount: Story = {
  args: { 'resource-type': 'tokens', sort: 'amount', order: 'desc', 'amount-min': '1000' },
};

/** User IDs link to the host's own user page. */
export const UserLinks: Story = { args: { 'user-href': '/admin/users/{userId}' } };

const states = commonStates();
// The tag is written here, in the export, because Storybook's indexer reads tags statically.
export const Loading: Story = { ...states.Loading, tags: ['never-settles'] };
export const Empty: Story = states.Empty;
export const ErrorState: Story = { ...states.Error, name: 'Error' };
export const RateLimited: Story = states.RateLimited;
export const HostileData: Story = {
  ...described(states.HostileData, 'Hostile IDs in every text column, shown as text (the play function finds the markup as text, not as elements).'),
  play: async (context) => {
    await states.HostileData.play!(context);
    const userCells = () => deepQueryAll(context.canvasElement, '[role="row"] [data-column="userId"]').map((cell) => cell.textContent?.trim());
    await waitFor(() => expect(userCells()).toContain(HOSTILE_TEXTS[0]), { timeout: 10_000 });
  },
};
export const LargeData: Story = {
  ...described(states.LargeData, "90 days of 50,000 users' events; the play function goes to the last page (a deep offset)."),
  play: async ({ canvasElement }) => {
    // Without the left-to-right marks around the dash (they keep Arabic-Indic digits in order).
    const range = () => deepQuery(canvasElement, '#pager-range').textContent?.replace(/\s+/g, ' ').replace(/\u200e/g, '').trim() ?? '';
    await waitFor(() => expect(range()).toMatch(/^1–25 of [\d,]{5,}$/), { timeout: 15_000 });
    const total = range().split(' of ')[1];
    deepQuery(canvasElement, 'button[aria-label="Last page"]').click();
    await waitFor(() => expect(range()).toMatch(new RegExp(`–${total} of ${total}$`)), { timeout: 15_000 });
  },
};
export const Live: Story = {
  ...described(states.Live, 'Events ingested every second arrive over the live stream and are inserted at the top (checked by the play function).'),
  play: async ({ canvasElement }) => {
    const requestIds = () => deepQueryAll(canvasElement, '[role="row"] [data-column="requestId"]').map((cell) => cell.textContent?.trim() ?? '');
    await waitFor(() => expect(requestIds().length).toBeGreaterThan(0), { timeout: 15_000 });
    // Only a row that was not in the first answer proves the stream.
    const answered = new Set(requestIds());
    await waitFor(() => expect(requestIds().filter((id) => id.startsWith('req_live_') && !answered.has(id)).length).toBeGreaterThan(0), { timeout: 15_000 });
  },
};
export const DarkTheme: Story = states.DarkTheme;
export const NarrowHost: Story = states.NarrowHost;
