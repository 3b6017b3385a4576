import type { Meta, StoryObj } from '@storybook/web-components';
import { expect, waitFor } from 'storybook/test';
import { HOSTILE_TEXTS } from './support/demo.js';
import { deepQuery, deepQueryAll } from './support/shadow.js';
import { commonStates, described, expectVisibleSurplusDraws, pieceMeta, withDemo } from './support/story-kit.js';

const meta: Meta = { ...pieceMeta('surplus-chart'), title: 'Elements/Surplus chart', component: 'surplus-chart' };
export default meta;
type Story = StoryObj;

/** The organization's token surplus pool over the last 7 days, with the forecast. */
export const Default: Story = {};

/** Only tokens: the surplus pool in tokens. */
export const Tokens: Story = { args: { 'resource-type': 'tokens' } };
/** Only storage: amounts in bytes, written in SI units (1 MB = 1,000,000 bytes). */
export const Storage: Story = { args: { 'resource-type': 'storage' } };
/** Only OCR: amounts in pages. */
export const Ocr: Story = { name: 'OCR', args: { 'resource-type': 'ocr' } };

/**
 * Thirty days in which a nightly backfill drained the pool: it ran dry now and then, and its
 * daily lows keep falling, so the forecast says when it runs out. Never below 0: ingest caps
 * every draw at what the pool has left (the play function checks the lowest point).
 */
export const ThirtyDays: Story = {
  loaders: [withDemo('dry')],
  args: { range: '30d' },
  play: async ({ canvasElement }) => {
    const text = (part: string) => deepQueryAll(canvasElement, `[part~="${part}"]`)[0]?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    await waitFor(
      () => {
        expect(text('exhaustions')).toMatch(/^The pool ran dry (once|\d+ times) in this range\.$/);
        expect(text('projection')).toMatch(/^If the daily lows keep falling at this pace, the pool runs dry around /);
      },
      { timeout: 10_000 },
    );
    const lowest = /Lowest available (\S+) tokens of /.exec(text('summary'))?.[1];
    expect(lowest).toBeDefined();
    expect(Number(lowest!.replaceAll(',', ''))).toBeGreaterThanOrEqual(0);
  },
};

/** Opens "Who is drawing surplus" and waits for its list; returns the users it names. */
async function openDrawers(canvasElement: HTMLElement): Promise<string[]> {
  await waitFor(() => expect(deepQueryAll(canvasElement, '[part~="who-button"]')).toHaveLength(1), { timeout: 10_000 });
  deepQuery(canvasElement, '[part~="who-button"]').click();
  const users = () => deepQueryAll(canvasElement, '[part~="drawers"] [part~="user-link"]').map((link) => link.textContent ?? '');
  await waitFor(() => expect(users().length).toBeGreaterThan(0), { timeout: 10_000 });
  return users();
}

/** "Who is drawing surplus" opened: the users who drew most from the pool in the range. */
export const WhoIsDrawingSurplus: Story = {
  args: { range: '30d' },
  play: async ({ canvasElement }) => {
    await openDrawers(canvasElement);
  },
};

/**
 * Other filters are active: the pool is the organization's, and the chart says so. A user
 * filter is one of them: the chart honours only the range and the resource type (DESIGN.md),
 * so there is no per-user surplus chart; a user's page shows their consumption chart, with
 * their base budget, instead.
 */
export const OrganizationWide: Story = { args: { 'pool-categories': 'surplus' } };

const states = commonStates({}, { bucket: 'hour' });
// The tag is written here, in the export, because Storybook's indexer reads tags statically.
export const Loading: Story = { ...states.Loading, tags: ['never-settles'] };
export const Empty: Story = {
  ...described(states.Empty, 'Nothing was drawn in the range: the pool stays full (the chart has no empty state of its own).'),
  play: undefined,
};
export const ErrorState: Story = { ...states.Error, name: 'Error' };
export const RateLimited: Story = states.RateLimited;
export const HostileData: Story = {
  ...described(states.HostileData, 'Users with markup, scripts, formulas and right-to-left names draw surplus: "Who is drawing surplus" lists them as text.'),
  play: async (context) => {
    await states.HostileData.play!(context);
    // The ID alone until the names are looked up, then the name with the ID after it.
    const users = await openDrawers(context.canvasElement);
    expect(users.some((user) => user.startsWith(HOSTILE_TEXTS[0]!))).toBe(true);
    expect(deepQueryAll(context.canvasElement, 'img[src="x"], script')).toHaveLength(0);
  },
};
export const LargeData: Story = {
  ...described(
    states.LargeData,
    "90 days of traffic from 50,000 users in hour buckets; a few analysts on small base budgets draw on the pool every working day, now and then a batch (the play function checks that the largest hour's draw is a visible share of the capacity).",
  ),
  play: async ({ canvasElement }) => expectVisibleSurplusDraws(canvasElement),
};
export const Live: Story = {
  ...described(
    states.Live,
    'Events ingested every second arrive over the live stream; some draw from the pool, and the chart asks again for its current bucket at most every 30 s (the play function waits for the surplus drawn to grow).',
  ),
  play: async ({ canvasElement }) => {
    const summary = () => deepQueryAll(canvasElement, '[part~="summary"]')[0]?.textContent ?? '';
    const drawn = () => Number(/Surplus drawn ([\d,]+)/.exec(summary())?.[1]?.replaceAll(',', '') ?? Number.NaN);
    await waitFor(() => expect(drawn()).toBeGreaterThan(0), { timeout: 15_000 });
    const first = drawn();
    await waitFor(() => expect(drawn()).toBeGreaterThan(first), { timeout: 40_000 });
  },
};
export const DarkTheme: Story = states.DarkTheme;
export const NarrowHost: Story = states.NarrowHost;
