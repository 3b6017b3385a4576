import type { Meta, StoryObj } from '@storybook/web-components';
import { expect, waitFor } from 'storybook/test';
import { HOSTILE_TEXTS } from './support/demo.js';
import { deepQuery, deepQueryAll } from './support/shadow.js';
import { commonStates, described, perUserStory, pieceMeta, type Loaded } from './support/story-kit.js';

const meta: Meta = { ...pieceMeta('usage-filter-bar'), title: 'Elements/Usage filter bar', component: 'usage-filter-bar' };
export default meta;
type Story = StoryObj;

/** The controls with the default state: last 7 days, every type, user, pool and I/O type. */
export const Default: Story = {};

/** Two of the demo organization's users, by ID: their chips show the names looked up. */
const CHOSEN_USERS = [
  { id: 'u_12er5piq', name: 'Tariq Costa' },
  { id: 'u_38u3itvs', name: 'Olga Fischer' },
];

/** Every field set: a custom range, a resource type with an amount range, users, pools, I/O types, endpoints. */
export const EveryFilterSet: Story = {
  args: {
    'user-ids': CHOSEN_USERS.map((user) => user.id).join(','),
    from: '2024-05-01T00:00:00.000Z',
    to: '2024-05-08T00:00:00.000Z',
    'resource-type': 'tokens',
    'amount-min': '100',
    'amount-max': '50000',
    'pool-categories': 'surplus,hybrid',
    'io-types': 'output',
    endpoints: '/v1/chat/completions',
  },
  play: async ({ canvasElement }) => {
    const chips = () => deepQueryAll(canvasElement, '[part~="users"] [part~="chip"]').map((chip) => chip.title);
    // The names replace the IDs once the `users?id=` look-up answers.
    await waitFor(() => expect(chips()).toEqual(CHOSEN_USERS.map((user) => `${user.name} (${user.id})`)), { timeout: 10_000 });
  },
};

/** A request ID is set: the range reads "all dates (request ID)". */
export const RequestId: Story = { args: { 'request-id': 'req_0001' } };

/** One user chosen, as on a user's detail page: the chip shows their name, looked up by ID. */
export const PerUser: Story = {
  ...perUserStory('usage-filter-bar'),
  play: async ({ canvasElement, loaded }) => {
    const { userId } = (loaded as Loaded).demo!;
    const chip = () => deepQueryAll(canvasElement, '[part~="users"] [part~="chip"]')[0];
    // The name replaces the ID once the `users?id=` look-up answers.
    await waitFor(() => expect(chip()?.title).toMatch(new RegExp(`^.+ \\(${userId}\\)$`)), { timeout: 10_000 });
  },
};

/** Tokens chosen: the amount range takes whole numbers of tokens. */
export const Tokens: Story = { args: { 'resource-type': 'tokens', 'amount-min': '1000' } };
/** Storage chosen: the amount range reads and takes SI sizes (1 MB = 1,000,000 bytes). */
export const Storage: Story = { args: { 'resource-type': 'storage', 'amount-min': '1000000', 'amount-max': '250000000' } };
/** OCR chosen: the amount range takes whole numbers of pages. */
export const Ocr: Story = { name: 'OCR', args: { 'resource-type': 'ocr', 'amount-max': '20' } };

/** Opens the users picker, once the bar has rendered it. */
async function openUsersPicker(canvasElement: HTMLElement): Promise<void> {
  const field = () => deepQueryAll(canvasElement, '[part~="users"] [part~="combobox-field"]');
  await waitFor(() => expect(field()).toHaveLength(1), { timeout: 10_000 });
  field()[0]!.click();
}

const states = commonStates();
// No Live story: the bar shows no events, so the live stream changes nothing in it (its
// pickers list users and the endpoints of a 90-day rollup). Dashboard/Live shows it driving live pieces.

export const Loading: Story = {
  ...described(
    states.Loading,
    'The bar loads nothing until a picker opens: here the users picker is open and its look-up never answers, so its list is busy (`aria-busy`) and its status says "Loading users…".',
  ),
  tags: ['never-settles'],
  play: async ({ canvasElement }) => {
    await openUsersPicker(canvasElement);
    await waitFor(
      () => {
        expect(deepQuery(canvasElement, '#users-listbox').getAttribute('aria-busy')).toBe('true');
        expect(deepQuery(canvasElement, '#users-status').textContent?.trim()).toBe('Loading users…');
      },
      { timeout: 10_000 },
    );
  },
};
/** A search no user of the demo organization matches. */
const NO_SUCH_USER = 'no-such-user';
export const Empty: Story = {
  parameters: {
    docs: {
      description: {
        story: 'The bar has no empty state of its own: its pickers have. Here the users picker is open on a search that matches no one, and its status says so.',
      },
    },
  },
  play: async ({ canvasElement }) => {
    await openUsersPicker(canvasElement);
    const input = deepQuery<HTMLInputElement>(canvasElement, '#users-input');
    input.value = NO_SUCH_USER;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await waitFor(
      () => {
        expect(deepQuery(canvasElement, '#users-status').textContent?.trim()).toBe(`No users match “${NO_SUCH_USER}”.`);
        expect(deepQueryAll(canvasElement, '[part~="users"] [part~="option"]')).toHaveLength(0);
      },
      { timeout: 10_000 },
    );
  },
};
export const LargeData: Story = {
  ...described(states.LargeData, 'Type-ahead over 50,000 users: the list opens on the whole directory, then narrows as a person types.'),
  play: async ({ canvasElement }) => {
    const status = () => deepQuery(canvasElement, '#users-status').textContent?.trim() ?? '';
    await openUsersPicker(canvasElement);
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
/** Hostile user IDs and an endpoint chosen (no commas in them: a comma separates IDs in `user-ids`). */
const HOSTILE_CHOSEN = [HOSTILE_TEXTS[0]!, HOSTILE_TEXTS[1]!, HOSTILE_TEXTS[6]!, HOSTILE_TEXTS[7]!];
export const HostileData: Story = {
  ...described(
    states.HostileData,
    'Users with markup, scripts, right-to-left text and an endpoint of markup chosen: the chips show their names and the endpoint as text (the play function finds the markup as text, not as elements).',
  ),
  args: { 'user-ids': HOSTILE_CHOSEN.join(','), endpoints: HOSTILE_TEXTS[0] },
  play: async (context) => {
    await states.HostileData.play!(context);
    const chips = (field: string) => deepQueryAll(context.canvasElement, `[part~="${field}"] [part~="chip"]`).map((chip) => chip.title);
    await waitFor(
      () => {
        expect(chips('users')).toHaveLength(HOSTILE_CHOSEN.length);
        expect(chips('users')).toContain(HOSTILE_TEXTS[0]);
        expect(chips('endpoints')).toEqual([HOSTILE_TEXTS[0]]);
      },
      { timeout: 10_000 },
    );
    expect(deepQueryAll(context.canvasElement, 'img[src="x"], script')).toHaveLength(0);
  },
};
export const ErrorState: Story = {
  ...described(states.Error, 'The users and endpoints come from the endpoint: when it fails, the picker says so and offers Retry.'),
  name: 'Error',
  play: async ({ canvasElement }) => {
    await openUsersPicker(canvasElement);
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
