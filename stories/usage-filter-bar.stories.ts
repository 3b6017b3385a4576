import type { Meta, StoryObj } from '@storybook/web-components';
import { expect, waitFor } from 'storybook/test';
import { deepQuery, deepQueryAll } from './support/shadow.js';
import { commonStates, pieceMeta } from './support/story-kit.js';

const meta: Meta = { ...pieceMeta('usage-filter-bar'), title: 'Elements/Usage filter bar', component: 'usage-filter-bar' };
export default meta;
type Story = StoryObj;

/** The controls with the default state: last 7 days, every type, user, pool and I/O type. */
export const Default: Story = {};

/** Every field set: a custom range, a resource type with an amount range, pools, I/O types, endpoints. */
export const EveryFilterSet: Story = {
  args: {
    from: '2024-05-01T00:00:00.000Z',
    to: '2024-05-08T00:00:00.000Z',
    'resource-type': 'tokens',
    'amount-min': '100',
    'amount-max': '50000',
    'pool-categories': 'surplus,hybrid',
    'io-types': 'output',
    endpoints: '/v1/chat/completions',
  },
};

/** A request ID is set: the range reads "all dates (request ID)". */
export const RequestId: Story = { args: { 'request-id': 'req_0001' } };

const states = commonStates();
/** Type-ahead over 50,000 users: the list opens on the whole directory, then narrows as a person types. */
export const LargeData: Story = {
  ...states.LargeData,
  play: async ({ canvasElement }) => {
    const status = () => deepQuery(canvasElement, '#users-status').textContent?.trim() ?? '';
    await waitFor(() => expect(deepQueryAll(canvasElement, '[part~="users"] [part~="combobox-field"]')).toHaveLength(1), { timeout: 10_000 });
    deepQuery(canvasElement, '[part~="users"] [part~="combobox-field"]').click();
    await waitFor(() => expect(status()).toMatch(/^50,000 users/), { timeout: 15_000 });
    const input = deepQuery<HTMLInputElement>(canvasElement, '#users-input');
    input.value = 'u_1';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await waitFor(
      () => {
        expect(status()).toMatch(/ users? match “u_1”/);
        expect(deepQueryAll(canvasElement, '[part~="users"] [part~="option"]').length).toBeGreaterThan(0);
      },
      { timeout: 15_000 },
    );
  },
};
export const HostileData: Story = states.HostileData;
/** The users and endpoints come from the endpoint: when it fails, the picker says so and offers Retry. */
export const ErrorState: Story = {
  ...states.Error,
  name: 'Error',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(deepQueryAll(canvasElement, '[part~="users"] [part~="combobox-field"]')).toHaveLength(1), { timeout: 10_000 });
    deepQuery(canvasElement, '[part~="users"] [part~="combobox-field"]').click();
    await waitFor(
      () => {
        expect(deepQuery(canvasElement, '#users-status').textContent).toContain('The users could not be loaded');
        expect(deepQueryAll(canvasElement, '[part~="users"] [part~="retry"]')).toHaveLength(1);
      },
      { timeout: 10_000 },
    );
  },
};
export const DarkTheme: Story = states.DarkTheme;
export const NarrowHost: Story = states.NarrowHost;
