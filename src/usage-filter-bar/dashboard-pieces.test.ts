/**
 * The filter bar on a whole dashboard: each control reaches the requests of the table and
 * of both charts on the same page, each piece honouring the fields DESIGN.md gives it
 * (the table all; <consumption-chart> all but the request ID; <surplus-chart> the range
 * and the resource type). Every request goes through the in-memory reference server.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { settled } from '../chart/test-chart-fixture.js';
import { formatRange } from '../format/index.js';
import type { UsageFilters } from '../usage-filters/usage-filters.component.js';
import '../usage-filters/usage-filters.js';
import '../consumption-events-table/consumption-events-table.js';
import '../consumption-chart/consumption-chart.js';
import '../surplus-chart/surplus-chart.js';
import type { UsageFilterBar } from './usage-filter-bar.component.js';
import './usage-filter-bar.js';
import { commit, demoServer, ignoreResizeObserverLoop, loadedOptions, part, recorder, type Recorder } from './test-fixture.js';

before(() => ignoreResizeObserverLoop());

const PIECES = ['events', 'consumption', 'surplus'] as const;
type Piece = (typeof PIECES)[number];

interface Dashboard {
  holder: UsageFilters;
  bar: UsageFilterBar;
  rec: Recorder;
}

async function dashboard(): Promise<Dashboard> {
  await demoServer().ready;
  const rec = recorder();
  const holder = await fixture<UsageFilters>(html`<usage-filters
    data-endpoint="/api"
    time-zone="Europe/Berlin"
    locale="en-US"
    style="display:block;width:900px"
    .requestOptions=${rec.requestOptions}
  >
    <usage-filter-bar></usage-filter-bar>
    <consumption-chart style="display:block;height:240px"></consumption-chart>
    <surplus-chart style="display:block;height:240px"></surplus-chart>
    <consumption-events-table></consumption-events-table>
  </usage-filters>`);
  const bar = holder.querySelector('usage-filter-bar')!;
  await bar.updateComplete;
  await waitUntil(() => PIECES.every((piece) => rec.to(piece).length > 0), 'a piece made no request', { timeout: 5_000 });
  return { holder, bar, rec };
}

/**
 * Does `action` and waits for the first request of each named piece after it that
 * satisfies its check; returns those requests' parameters.
 */
async function requestsAfter(
  rec: Recorder,
  action: () => void | Promise<void>,
  expected: Partial<Record<Piece, (params: URLSearchParams) => boolean>>,
): Promise<Record<Piece, URLSearchParams>> {
  const start = Object.fromEntries(PIECES.map((piece) => [piece, rec.to(piece).length])) as Record<Piece, number>;
  await action();
  const found = {} as Record<Piece, URLSearchParams>;
  await waitUntil(
    () =>
      Object.entries(expected).every(([piece, check]) => {
        const match = rec.to(piece).slice(start[piece as Piece]).find((r) => check(r.params));
        if (match) found[piece as Piece] = match.params;
        return match !== undefined;
      }),
    `not every piece requested the new filters: ${Object.keys(expected).join(', ')}`,
    { timeout: 5_000 },
  );
  return found;
}

const rows = (table: Element): number => table.shadowRoot!.querySelectorAll('[role="row"][aria-rowindex]').length;

/** Requests of a piece after an index, for checking what it did not send. */
function sentSince(rec: Recorder, piece: Piece, start: number): URLSearchParams[] {
  return rec.to(piece).slice(start).map((r) => r.params);
}

describe('<usage-filter-bar> with a table and both charts on the page', function () {
  // A dozen changes, each awaited on three pieces that draw charts: more than the default
  // 10 s when the CI machine runs two test files at a time.
  this.timeout(30_000);

  it('each control reaches every piece that honours its field', async () => {
    const { holder, bar, rec } = await dashboard();

    // Date range preset: one resolution, the same from/to for every piece.
    const range = await requestsAfter(
      rec,
      () => {
        const select = part<HTMLSelectElement>(bar, '#range');
        select.value = '30d';
        select.dispatchEvent(new Event('change'));
      },
      {
        events: (p) => p.has('from') && Date.parse(p.get('to')!) - Date.parse(p.get('from')!) === 720 * 3_600_000,
        consumption: (p) => p.has('from') && Date.parse(p.get('to')!) - Date.parse(p.get('from')!) === 720 * 3_600_000,
        surplus: (p) => p.has('from') && Date.parse(p.get('to')!) - Date.parse(p.get('from')!) === 720 * 3_600_000,
      },
    );
    expect(range.consumption.get('from')).to.equal(range.events.get('from'));
    expect(range.surplus.get('to')).to.equal(range.events.get('to'));

    // Custom range, typed in the holder's time zone.
    const select = part<HTMLSelectElement>(bar, '#range');
    select.value = 'custom';
    select.dispatchEvent(new Event('change'));
    await bar.updateComplete;
    const from = '2026-01-05T00:00:00.000Z';
    await requestsAfter(
      rec,
      () => {
        part<HTMLInputElement>(bar, '#range-from').value = '2026-01-05T01:00';
        part<HTMLInputElement>(bar, '#range-to').value = '2026-01-12T01:00';
        part<HTMLInputElement>(bar, '#range-to').dispatchEvent(new Event('input'));
        part<HTMLButtonElement>(bar, '[part="apply"]').click();
      },
      {
        events: (p) => p.get('from') === from,
        consumption: (p) => p.get('from') === from,
        surplus: (p) => p.get('from') === from && p.get('to') === '2026-01-12T00:00:00.000Z',
      },
    );

    // Resource type: every piece, the surplus chart included.
    await requestsAfter(rec, () => part<HTMLInputElement>(bar, 'input[name="resource-type"][value="storage"]').click(), {
      events: (p) => p.get('resourceType') === 'storage',
      consumption: (p) => p.get('resourceType') === 'storage',
      surplus: (p) => p.get('resourceType') === 'storage',
    });
    await bar.updateComplete;

    // From here on the surplus chart (the organization's pool) must not follow.
    const surplusBefore = rec.to('surplus').length;

    await requestsAfter(rec, () => part<HTMLButtonElement>(bar, '[part~="pool-categories"] [data-value="surplus"]').click(), {
      events: (p) => p.getAll('poolCategory').join() === 'surplus',
      consumption: (p) => p.getAll('poolCategory').join() === 'surplus',
    });
    await requestsAfter(rec, () => part<HTMLButtonElement>(bar, '[part~="io-types"] [data-value="output"]').click(), {
      events: (p) => p.get('ioType') === 'output',
      consumption: (p) => p.get('ioType') === 'output',
    });
    await requestsAfter(rec, () => commit(part<HTMLInputElement>(bar, '#amount-min'), '10 kB'), {
      events: (p) => p.get('amountMin') === '10000',
      consumption: (p) => p.get('amountMin') === '10000',
    });

    // A user chosen in the picker.
    part<HTMLInputElement>(bar, '#users-input').focus();
    part<HTMLElement>(bar, '[part~="combobox-field"]').click();
    const [user] = await loadedOptions(bar, 'users');
    const users = await requestsAfter(rec, () => user!.click(), {
      events: (p) => p.getAll('userId').length === 1,
      consumption: (p) => p.getAll('userId').length === 1,
    });
    expect(users.consumption.get('userId')).to.equal(holder.filters.userIds[0]);

    // An endpoint chosen in its picker (the endpoints route).
    part<HTMLInputElement>(bar, '#endpoints-input').focus();
    part<HTMLElement>(bar, '[part~="endpoints"] [part~="combobox-field"]').click();
    const [endpoint] = await loadedOptions(bar, 'endpoints');
    const endpoints = await requestsAfter(rec, () => endpoint!.click(), {
      events: (p) => p.getAll('endpoint').length === 1,
      consumption: (p) => p.getAll('endpoint').length === 1,
    });
    expect(endpoints.events.get('endpoint')).to.equal(holder.filters.endpoints[0]);
    expect(rec.to('endpoints').length, 'the endpoints route was asked').to.be.above(0);

    expect(
      sentSince(rec, 'surplus', surplusBefore).filter((p) => ['poolCategory', 'ioType', 'amountMin', 'userId', 'endpoint'].some((k) => p.has(k))),
      'the surplus chart keeps to the range and the type',
    ).to.deep.equal([]);

    // The request ID: the table searches all dates; the consumption chart ignores it.
    const consumptionBefore = rec.to('consumption').length;
    const request = await requestsAfter(rec, () => commit(part<HTMLInputElement>(bar, '#request-id'), 'req_x'), {
      events: (p) => p.get('requestId') === 'req_x',
    });
    expect(request.events.has('from')).to.equal(false);
    expect(sentSince(rec, 'consumption', consumptionBefore).filter((p) => p.has('requestId'))).to.deep.equal([]);

    // Reset: every piece back to the default state (7 days, every type).
    await requestsAfter(rec, () => part<HTMLButtonElement>(bar, '[part="reset"]').click(), {
      events: (p) => !p.has('resourceType') && !p.has('requestId') && p.has('from') && !p.has('userId'),
      consumption: (p) => p.get('resourceType') === 'tokens' && !p.has('userId') && Date.parse(p.get('to')!) - Date.parse(p.get('from')!) === 168 * 3_600_000,
      surplus: (p) => p.get('resourceType') === 'tokens' && Date.parse(p.get('to')!) - Date.parse(p.get('from')!) === 168 * 3_600_000,
    });
  });

  it('shows a brush on the chart as the custom range it narrowed to, and the way back', async () => {
    const { holder, bar } = await dashboard();
    const chart = holder.querySelector('consumption-chart')!;
    await settled(chart);
    const plot = chart.shadowRoot!.querySelector<HTMLElement>('[part~="chart"]')!;
    const field = part(bar, '[part~="range"]');
    const before = { bar: bar.getBoundingClientRect().height, field: field.getBoundingClientRect().width };
    plot.focus();
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !('preset' in holder.filters.range), 'the brush did not narrow the range');
    const brushed = holder.filters.range as { from: string; to: string };
    await bar.updateComplete;
    expect(part<HTMLSelectElement>(bar, '#range').value).to.equal('custom');
    // The bar keeps its shape under the pointer: the range reads as its dates, the boxes
    // wait behind Edit (they widened the field by 130 px and reflowed the bar).
    expect(bar.shadowRoot!.querySelector('#range-from'), 'no date boxes until Edit').to.equal(null);
    // (Its height moves by the dates' lines at most, as between two presets: the boxes added a row.)
    expect(bar.getBoundingClientRect().height, 'the bar keeps its height').to.be.closeTo(before.bar, 16);
    expect(part(bar, '[part~="range"]').getBoundingClientRect().width, 'the field keeps its width').to.equal(before.field);
    const inZone = { locale: 'en-US', timeZone: 'Europe/Berlin' };
    expect(part(bar, '#range-hint').textContent!.trim()).to.equal(formatRange(brushed.from, brushed.to, inZone));
    part<HTMLButtonElement>(bar, '[part~="edit-range"]').click();
    await bar.updateComplete;
    const shown = (end: 'from' | 'to') => part<HTMLInputElement>(bar, `#range-${end}`).value;
    // Berlin wall-clock time, read by Intl ("sv-SE" writes 2026-03-10 13:00).
    const berlin = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' });
    const local = (instant: string) => berlin.format(new Date(instant)).replace(' ', 'T');
    expect(shown('from')).to.equal(local(brushed.from));
    expect(shown('to')).to.equal(local(brushed.to));
    expect(part(bar, '[part="summary"]').textContent).to.not.contain('7 days');
    chart.shadowRoot!.querySelector<HTMLButtonElement>('[part="back"]')!.click();
    await waitUntil(() => 'preset' in holder.filters.range);
    await bar.updateComplete;
    expect(part<HTMLSelectElement>(bar, '#range').value).to.equal('7d');
    expect(bar.shadowRoot!.querySelector('#range-from'), 'the custom inputs close').to.equal(null);
  });

  it('asks nothing again when the theme or the locale changes, and asks again for a new time zone', async () => {
    const { holder, rec } = await dashboard();
    const charts = [...holder.querySelectorAll<HTMLElement & { loading: boolean }>('consumption-chart, surplus-chart')];
    const table = holder.querySelector('consumption-events-table')!;
    const quiet = async (): Promise<void> => {
      await Promise.all(charts.map((chart) => settled(chart)));
      await waitUntil(() => !table.loading, 'the table settles');
      await new Promise((go) => setTimeout(go, 300));
    };
    await quiet();
    const start = Object.fromEntries(PIECES.map((piece) => [piece, rec.to(piece).length])) as Record<Piece, number>;
    holder.setAttribute('theme', 'dark');
    await quiet();
    expect(charts.map((chart) => getComputedStyle(chart).colorScheme), 'the theme applied').to.deep.equal(['dark', 'dark']);
    holder.setAttribute('locale', 'de-DE');
    await quiet();
    for (const piece of PIECES) expect(sentSince(rec, piece, start[piece]).map(String), piece).to.deep.equal([]);
    const moved = await requestsAfter(rec, () => holder.setAttribute('time-zone', 'America/New_York'), {
      events: (p) => p.get('tz') === 'America/New_York',
      consumption: (p) => p.get('tz') === 'America/New_York',
      surplus: (p) => p.get('tz') === 'America/New_York',
    });
    expect(Object.keys(moved)).to.have.length(3);
  });

  it("never submits a host's form around it: its buttons and inputs live in shadow trees, which a form does not reach", async () => {
    const { holder, bar } = await dashboard();
    // An admin portal's page is often one <form>: the dashboard moved into one.
    const form = document.createElement('form');
    let submits = 0;
    form.addEventListener('submit', (event) => {
      submits++;
      event.preventDefault();
    });
    holder.before(form);
    form.append(holder);
    const table = holder.querySelector('consumption-events-table')!;
    await waitUntil(() => !table.loading && rows(table) > 0, 'the table settles', { timeout: 5_000 });
    // Every button of the bar and the table (but Download CSV) pressed; Enter in the bar's text boxes.
    const buttons = [bar, table].flatMap((piece) => [...piece.shadowRoot!.querySelectorAll<HTMLButtonElement>('button:not([part~="download"])')]);
    expect(buttons.length).to.be.above(10);
    for (const button of buttons) if (button.isConnected && !button.disabled) button.click();
    for (const input of bar.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="text"], input[type="search"]')) {
      input.focus();
      await sendKeys({ press: 'Enter' });
    }
    await new Promise((go) => setTimeout(go, 100));
    expect(submits).to.equal(0);
    // Their buttons carry no type="button": a <form> of their own would be submitted by them.
    for (const piece of [bar, table]) expect(piece.shadowRoot!.querySelector('form'), piece.localName).to.equal(null);
  });
});

