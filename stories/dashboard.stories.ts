import type { Meta, StoryObj } from '@storybook/web-components';
import { html, render } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, waitFor } from 'storybook/test';
import { darkPage } from './support/decorators.js';
import { DEMO_ENDPOINT } from './support/demo.js';
import { renderElement } from './support/render.js';
import { deepQueryAll } from './support/shadow.js';
import { commonStates, described, expectVisibleSurplusDraws, requestOptionsOf, withDemo, type Loaded } from './support/story-kit.js';

const layout = html`<style>
  .dashboard { display: grid; gap: 16px; font-family: system-ui, sans-serif; }
  .dashboard header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; }
  .dashboard h1 { font-size: 1.25rem; margin: 0; }
  .dashboard .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 16px; }
  /* The host's select in the chart's header takes the chart's text, colour and colour
     scheme (a slotted element inherits them from the chart), in either theme. */
  .dashboard .chart-tool select {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid color-mix(in srgb, currentColor 35%, transparent);
    border-radius: 6px;
    min-height: 28px;
    padding: 0 0.25rem;
  }
</style>`;

/** The host's own "Group by" control, in the consumption chart's `actions` slot. */
const groupBy = (event: Event) => {
  const select = event.target as HTMLSelectElement;
  select.closest('consumption-chart')!.setAttribute('group-by', select.value);
};

/**
 * The whole dashboard as a host builds it: one `<usage-filters>` holding the state, the
 * filter bar, the two charts side by side (stacked when narrow), the consumption chart with
 * a "Group by" select of the host's in its header, and the event log.
 */
const meta: Meta = {
  title: 'Dashboard/Organization dashboard',
  component: 'usage-filters',
  loaders: [withDemo('small')],
  args: { 'data-endpoint': DEMO_ENDPOINT },
  parameters: { layout: 'fullscreen' },
  render: (args, context) => {
    const holder = renderElement('usage-filters', args, { requestOptions: requestOptionsOf(context) });
    const bucket = context.parameters['bucket'] as string | undefined;
    render(
      html`${layout}
        <main class="dashboard" style="padding:16px">
          <header><h1>Usage</h1><span>Northwind Research · organization dashboard</span></header>
          <usage-filter-bar></usage-filter-bar>
          <div class="charts">
            <surplus-chart bucket=${ifDefined(bucket)}></surplus-chart>
            <consumption-chart bucket=${ifDefined(bucket)}>
              <label class="chart-tool" slot="actions" style="display:flex;gap:6px;align-items:center;font-size:0.9em">
                Group by
                <select @change=${groupBy}>
                  <option value="ioType">I/O type</option>
                  <option value="poolCategory">Pool category</option>
                  <option value="userId">User (top 10)</option>
                  <option value="endpoint">Endpoint (top 10)</option>
                </select>
              </label>
            </consumption-chart>
          </div>
          <consumption-events-table user-href="#/users/{userId}"></consumption-events-table>
        </main>`,
      holder,
    );
    const width = context.parameters['width'] as string | undefined;
    // At most the page's width: a host narrower than `width` (a phone) must not scroll sideways.
    if (width) holder.style.cssText = `display:block;width:${width};max-width:100%`;
    return holder;
  },
};
export default meta;
type Story = StoryObj;

/** The organization's dashboard: the filter bar, the two charts side by side and the event log, sharing one filter state. */
export const Default: Story = {};

/** The whole dashboard with `theme="dark"` on its `<usage-filters>`, on a dark page. */
export const DarkTheme: Story = { args: { theme: 'dark' }, decorators: [darkPage] };

/** In a 380 px wide host: the bar folds into "More filters", the charts stack and the events become cards. */
export const NarrowHost: Story = { parameters: { width: '380px' } };

const brandStyles = html`<style>
  .brand {
    --usage-color-accent: #6d28d9;
    --usage-color-focus: #6d28d9;
    --usage-color-series-1: #6d28d9;
    --usage-font-family: Georgia, 'Times New Roman', serif;
    --usage-radius: 0;
  }
  .brand :is(usage-filter-bar, surplus-chart, consumption-chart, consumption-events-table):is([theme='dark'], [theme='dark'] *) {
    --usage-color-accent: #c4b5fd;
    --usage-color-focus: #c4b5fd;
    --usage-color-series-1: #a78bfa;
  }
</style>`;

/** A host's brand, set with the README's theming tokens on a wrapper (as on `:root`), and dark values of its own on the elements. */
export const BrandTheme: Story = {
  decorators: [(story) => html`${brandStyles}<div class="brand">${story()}</div>`],
};

/** New events arrive every second over the live stream. */
export const Live: Story = { loaders: [withDemo('live')], args: { live: true } };

/**
 * 90 days of traffic from 50,000 users, the charts in hourly buckets (2,160 points each); a
 * few analysts on small base budgets draw on the surplus pool (checked visible by the play function).
 */
export const LargeData: Story = {
  loaders: [withDemo('large')],
  args: { range: '90d' },
  parameters: { bucket: 'hour' },
  play: async ({ canvasElement }) => expectVisibleSurplusDraws(canvasElement),
};

/** A person picks "Storage" in the filter bar: the charts and the table follow the shared state. */
export const PersonFiltersByStorage: Story = {
  play: async ({ canvasElement }) => {
    const storage = () => deepQueryAll(canvasElement, '[part~="segment"]').find((label) => label.textContent?.trim() === 'Storage');
    await waitFor(() => expect(storage()).toBeDefined(), { timeout: 10_000 });
    storage()!.querySelector('input')!.click();
    await waitFor(
      () => {
        const types = deepQueryAll(canvasElement, '[role="row"] [data-column="resourceType"]').map((cell) => cell.textContent?.trim());
        expect(types.length).toBeGreaterThan(0);
        expect(new Set(types)).toEqual(new Set(['Storage']));
      },
      { timeout: 10_000 },
    );
  },
};

/** A user's detail page: their consumption with the base budget, and their events. */
export const UserPage: Story = {
  render: (args, context) => {
    const demo = (context.loaded as Loaded).demo!;
    const holder = renderElement('usage-filters', { ...args, 'user-id': demo.userId }, { requestOptions: demo.requestOptions });
    render(
      html`${layout}
        <main class="dashboard" style="padding:16px">
          <header><h1>User ${demo.userId}</h1></header>
          <usage-filter-bar></usage-filter-bar>
          <consumption-chart></consumption-chart>
          <consumption-events-table></consumption-events-table>
        </main>`,
      holder,
    );
    return holder;
  },
};

/** The pieces that draw data: each shows its own loading, empty and error state. */
const DATA_PIECES = ['surplus-chart', 'consumption-chart', 'consumption-events-table'];

/** Whether the page's `tag` shows something matching `selector` in its shadow DOM. */
function pieceShows(canvasElement: HTMLElement, tag: string, selector: string): boolean {
  const root = deepQueryAll(canvasElement, tag)[0]?.shadowRoot;
  return root ? deepQueryAll(root, selector).length > 0 : false;
}

const states = commonStates();
// The tag is written here, in the export, because Storybook's indexer reads tags statically.
export const Loading: Story = {
  ...described(states.Loading, 'The endpoint never answers: the charts and the table are busy together (`loading`, `aria-busy`), each in its own place.'),
  tags: ['never-settles'],
  play: async ({ canvasElement }) => {
    const busy = () => DATA_PIECES.filter((tag) => deepQueryAll(canvasElement, tag)[0]?.hasAttribute('loading'));
    await waitFor(() => expect(busy()).toEqual(DATA_PIECES), { timeout: 10_000 });
  },
};
export const Empty: Story = {
  ...described(
    states.Empty,
    'A week before the demo organization existed: the consumption chart and the table say nothing matches; the surplus chart shows the pool full (it has no empty state of its own).',
  ),
  play: async ({ canvasElement }) => {
    const empty = ['consumption-chart', 'consumption-events-table'];
    await waitFor(() => expect(empty.filter((tag) => pieceShows(canvasElement, tag, '[part~="empty"]'))).toEqual(empty), { timeout: 10_000 });
  },
};
export const ErrorState: Story = {
  ...described(states.Error, 'The endpoint answers 500: the charts and the table each show the error with Retry.'),
  name: 'Error',
  play: async (context) => {
    await states.Error.play!(context);
    const failed = () => DATA_PIECES.filter((tag) => pieceShows(context.canvasElement, tag, '[part~="error"][role="alert"]'));
    await waitFor(() => expect(failed()).toEqual(DATA_PIECES), { timeout: 10_000 });
  },
};
export const HostileData: Story = described(
  states.HostileData,
  "Users, endpoints and request IDs with markup, scripts, formula prefixes, right-to-left and very long text made the newest events: the table's first rows, the users picker, and the consumption chart's legend grouped by user or endpoint show them as text.",
);
