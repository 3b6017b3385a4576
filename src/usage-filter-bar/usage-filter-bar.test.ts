import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { UsageFiltersChangeEvent } from '../events/index.js';
import type { UsageErrorEvent } from '../events/index.js';
import { emulateForcedColors, fills } from '../base/test-forced-colors.js';
import type { UsageFilters } from '../usage-filters/usage-filters.component.js';
import '../usage-filters/usage-filters.js';
import '../consumption-events-table/consumption-events-table.js';
import type { UsageFilterBar } from './usage-filter-bar.component.js';
import './usage-filter-bar.js';
import { formatRange } from '../format/index.js';
import { commit, demoServer, ignoreResizeObserverLoop, loadedOptions, part, recorder, settle, typeInto, type Recorder } from './test-fixture.js';

// The virtualizer's resize observations may spill over a frame: harmless (TOOLCHAIN.md).
before(() => ignoreResizeObserverLoop());

interface Page {
  holder: UsageFilters;
  bar: UsageFilterBar;
  rec: Recorder;
  changes: UsageFiltersChangeEvent['detail'][];
  /** The events requests of the table made after this call. */
  eventsAfterNow(): () => URLSearchParams[];
}

/** A dashboard: `<usage-filters>` with the bar and a table, all through the in-memory server. */
async function dashboard(attributes: Record<string, string> = {}): Promise<Page> {
  await demoServer().ready;
  const rec = recorder();
  const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" time-zone="Europe/Berlin" locale="en-US" .requestOptions=${rec.requestOptions}>
    <usage-filter-bar></usage-filter-bar>
    <consumption-events-table></consumption-events-table>
  </usage-filters>`);
  for (const [name, value] of Object.entries(attributes)) holder.setAttribute(name, value);
  const bar = holder.querySelector('usage-filter-bar')!;
  await bar.updateComplete;
  await waitUntil(() => rec.to('events').length > 0, 'the table made no request');
  const changes: UsageFiltersChangeEvent['detail'][] = [];
  holder.addEventListener('usage-filters-change', (e) => changes.push(e.detail));
  return {
    holder,
    bar,
    rec,
    changes,
    eventsAfterNow() {
      const start = rec.to('events').length;
      return () => rec.to('events').slice(start).map((r) => r.params);
    },
  };
}

async function lastEventsRequest(since: () => URLSearchParams[], check: (p: URLSearchParams) => boolean): Promise<URLSearchParams> {
  await waitUntil(() => since().some(check), 'the table did not request the new filters', { timeout: 5_000 });
  return since().filter(check).at(-1)!;
}

/** Chooses "Custom range…" in the range select. */
async function openCustomRange(bar: UsageFilterBar): Promise<void> {
  const select = part<HTMLSelectElement>(bar, '#range');
  select.value = 'custom';
  select.dispatchEvent(new Event('change'));
  await bar.updateComplete;
}

/**
 * Types the ends of a custom range (`datetime-local` values; null leaves one as it is) and
 * presses Apply, opening the boxes first with Edit when an applied custom range shows only
 * its dates.
 */
async function enterCustomRange(bar: UsageFilterBar, from: string | null, to: string | null): Promise<void> {
  const edit = bar.shadowRoot!.querySelector<HTMLButtonElement>('[part~="edit-range"]');
  if (edit) {
    edit.click();
    await bar.updateComplete;
  }
  for (const [end, value] of [['from', from], ['to', to]] as const) {
    if (value === null) continue;
    const input = part<HTMLInputElement>(bar, `#range-${end}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }
  part<HTMLButtonElement>(bar, '[part="apply"]').click();
}

/** In a narrow bar, shows the controls folded behind "More filters". */
async function openMore(bar: UsageFilterBar): Promise<void> {
  const toggle = bar.shadowRoot!.querySelector<HTMLButtonElement>('[part="more-toggle"]');
  if (toggle && toggle.getClientRects().length && toggle.getAttribute('aria-expanded') === 'false') toggle.click();
  await bar.updateComplete;
}

const shown = (element: Element): boolean => element.getClientRects().length > 0;

function summary(bar: UsageFilterBar): string {
  return part(bar, '[part="summary"]').textContent!.replace(/\s+/g, ' ').trim();
}

describe('<usage-filter-bar> controls change the shared state and the requests', () => {
  it('shows the default state', async () => {
    const { holder, bar } = await dashboard();
    expect(part<HTMLSelectElement>(bar, '#range').value).to.equal('7d');
    // Which days the preset is, under it and in its description.
    const days = formatRange(holder.contextValue.from, holder.contextValue.to, { locale: 'en-US', timeZone: 'Europe/Berlin' });
    expect(days).to.contain('–');
    expect(part(bar, '#range-hint').textContent!.trim()).to.equal(days);
    expect(part(bar, '#range').getAttribute('aria-describedby')).to.equal('range-hint');
    expect(part<HTMLInputElement>(bar, 'input[name="resource-type"][value="all"]').checked).to.equal(true);
    expect(summary(bar)).to.equal('Showing 7 days · all types');
    expect(part<HTMLButtonElement>(bar, '[part="reset"]').disabled).to.equal(true);
    expect(part(bar, '#amount-min').matches(':disabled')).to.equal(true);
    // Flat and dashed, unlike the usable boxes (a tinted fill read as usable on a dark surface).
    const [off, on] = [getComputedStyle(part(bar, '#amount-min')), getComputedStyle(part(bar, '#range'))];
    expect([off.borderTopStyle, off.backgroundColor]).to.deep.equal(['dashed', 'rgba(0, 0, 0, 0)']);
    expect(on.borderTopStyle).to.equal('solid');
  });

  it("resets to the state the page set up (the holder's attributes), not the library's defaults", async () => {
    await demoServer().ready;
    const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" locale="en-US" range="30d" resource-type="storage">
      <usage-filter-bar></usage-filter-bar>
    </usage-filters>`);
    const bar = holder.querySelector('usage-filter-bar')!;
    await bar.updateComplete;
    const reset = part<HTMLButtonElement>(bar, '[part="reset"]');
    expect(reset.disabled, 'nothing to reset on arrival').to.equal(true);
    part<HTMLInputElement>(bar, 'input[name="resource-type"][value="tokens"]').click();
    await bar.updateComplete;
    expect(reset.disabled).to.equal(false);
    reset.click();
    await bar.updateComplete;
    expect(holder.filters.range).to.deep.equal({ preset: '30d' });
    expect(holder.filters.resourceType).to.equal('storage');
    expect(reset.disabled).to.equal(true);
    // A later write of the host's is the new starting point.
    holder.setAttribute('range', '24h');
    part<HTMLInputElement>(bar, 'input[name="resource-type"][value="ocr"]').click();
    await bar.updateComplete;
    reset.click();
    await bar.updateComplete;
    expect(holder.filters.range).to.deep.equal({ preset: '24h' });
    expect(holder.filters.resourceType).to.equal('storage');
  });

  it('keeps Reset and the URL to the page\'s own state while a host mirrors each change back into filters', async () => {
    await demoServer().ready;
    const url = new URL(location.href);
    const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" locale="en-US" range="30d" sync-url="mirror">
      <usage-filter-bar></usage-filter-bar>
    </usage-filters>`);
    try {
      // What README's React and Vue hosts do: store the announced state and bind it back (a copy, as a framework's proxy is).
      holder.addEventListener('usage-filters-change', (event) => (holder.filters = structuredClone(event.detail.state)));
      const bar = holder.querySelector('usage-filter-bar')!;
      await bar.updateComplete;
      const reset = part<HTMLButtonElement>(bar, '[part="reset"]');
      part<HTMLInputElement>(bar, 'input[name="resource-type"][value="storage"]').click();
      await bar.updateComplete;
      expect(holder.filters.resourceType).to.equal('storage');
      expect(reset.disabled, 'Reset after a mirrored change').to.equal(false);
      expect(new URL(location.href).searchParams.get('mirror.type')).to.equal('storage');
      reset.click();
      await bar.updateComplete;
      expect(holder.filters.resourceType).to.equal(null);
      expect(holder.filters.range).to.deep.equal({ preset: '30d' });
      expect(reset.disabled).to.equal(true);
      // A host's own different write is still the new starting point.
      holder.filters = { range: { preset: '24h' }, resourceType: 'ocr' };
      await bar.updateComplete;
      expect(reset.disabled).to.equal(true);
    } finally {
      history.replaceState(history.state, '', url);
    }
  });

  it('alone and given filters, keeps Reset to the given state while a host mirrors each change back', async () => {
    await demoServer().ready;
    const bar = await fixture<UsageFilterBar>(html`<usage-filter-bar data-endpoint="/api" locale="en-US" .filters=${{ range: { preset: '30d' } }}></usage-filter-bar>`);
    bar.addEventListener('usage-filters-change', (event) => (bar.filters = structuredClone(event.detail.state)));
    await bar.updateComplete;
    const reset = part<HTMLButtonElement>(bar, '[part="reset"]');
    part<HTMLInputElement>(bar, 'input[name="resource-type"][value="ocr"]').click();
    await bar.updateComplete;
    expect(bar.filters.resourceType).to.equal('ocr');
    expect(reset.disabled).to.equal(false);
    reset.click();
    await bar.updateComplete;
    expect(bar.filters).to.include({ resourceType: null });
    expect(bar.filters.range).to.deep.equal({ preset: '30d' });
  });

  it("sizes its controls by its own font size, whatever the page's root font size", async () => {
    const { bar } = await dashboard();
    const height = () => part(bar, '#range').getBoundingClientRect().height;
    const usual = height();
    expect(usual).to.be.closeTo(2.25 * ((parseFloat(getComputedStyle(bar).fontSize) * 8) / 7), 0.5);
    document.documentElement.style.fontSize = '62.5%';
    try {
      expect(height()).to.equal(usual);
    } finally {
      document.documentElement.style.fontSize = '';
    }
  });

  it('browsing the presets by keyboard applies only the one it rests on', async () => {
    const page = await dashboard();
    const select = part<HTMLSelectElement>(page.bar, '#range');
    select.focus();
    const before = page.changes.length;
    for (let i = 0; i < 3; i++) await sendKeys({ press: 'ArrowDown' });
    expect(page.changes.length, 'nothing applied while browsing').to.equal(before);
    await waitUntil(() => page.changes.length > before, 'the resting choice applies', { timeout: 3_000 });
    await aTimeout(700);
    expect(page.changes.length - before).to.equal(1);
    expect(page.changes.at(-1)!.state.range).to.deep.equal({ preset: select.value });
    expect(page.bar.shadowRoot!.activeElement === select, 'the focus (compared as a boolean: a failed comparison of DOM nodes hangs the run)').to.equal(true);
  });

  it('date range presets', async () => {
    const page = await dashboard();
    const since = page.eventsAfterNow();
    const select = part<HTMLSelectElement>(page.bar, '#range');
    select.value = '30d';
    select.dispatchEvent(new Event('change'));
    expect(page.holder.filters.range).to.deep.equal({ preset: '30d' });
    expect(page.changes.at(-1)!.state.range).to.deep.equal({ preset: '30d' });
    const params = await lastEventsRequest(since, (p) => p.has('from'));
    expect(Date.parse(params.get('to')!) - Date.parse(params.get('from')!)).to.equal(720 * 3_600_000);
    await page.bar.updateComplete;
    expect(summary(page.bar)).to.contain('30 days');
  });

  it('custom range in the holder time zone, applied with the button', async () => {
    const page = await dashboard();
    await openCustomRange(page.bar);
    const select = part<HTMLSelectElement>(page.bar, '#range');
    expect(page.changes).to.have.length(0);
    const from = part<HTMLInputElement>(page.bar, '#range-from');
    const to = part<HTMLInputElement>(page.bar, '#range-to');
    expect(from.value, 'starts from the resolved preset').to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(part(page.bar, '#range-zone').textContent).to.contain('Europe/Berlin');
    expect(to.value).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const since = page.eventsAfterNow();
    await enterCustomRange(page.bar, '2025-03-29T00:00', '2025-03-31T00:00');
    // Europe/Berlin: +01:00 before 2025-03-30 02:00, +02:00 after.
    expect(page.holder.filters.range).to.deep.equal({ from: '2025-03-28T23:00:00.000Z', to: '2025-03-30T22:00:00.000Z' });
    const params = await lastEventsRequest(since, (p) => p.get('from') === '2025-03-28T23:00:00.000Z');
    expect(params.get('to')).to.equal('2025-03-30T22:00:00.000Z');
    await page.bar.updateComplete;
    expect(select.value).to.equal('custom');
    expect(summary(page.bar)).to.contain('Mar 29');
    // Applied: the boxes close, the range reads as its dates, the focus on Edit beside them.
    expect(page.bar.shadowRoot!.querySelector('#range-from'), 'the boxes close').to.equal(null);
    await waitUntil(() => page.bar.shadowRoot!.activeElement?.matches('[part~="edit-range"]'), 'the focus is not on Edit');
    const inBerlin = { locale: 'en-US', timeZone: 'Europe/Berlin' };
    expect(part(page.bar, '#range-hint').textContent!.trim()).to.equal(formatRange('2025-03-28T23:00:00.000Z', '2025-03-30T22:00:00.000Z', inBerlin));
    expect(select.getAttribute('aria-describedby')).to.equal('range-hint');
    // Edit opens them on the applied ends, focused on the start; Escape closes them, unchanged.
    await sendKeys({ press: 'Enter' });
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.activeElement?.id).to.equal('range-from');
    expect(part<HTMLInputElement>(page.bar, '#range-from').value).to.equal('2025-03-29T00:00');
    part<HTMLInputElement>(page.bar, '#range-from').value = '2025-03-29T06:00';
    part(page.bar, '#range-from').dispatchEvent(new Event('input'));
    await sendKeys({ press: 'Escape' });
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.querySelector('#range-from'), 'Escape closes the boxes').to.equal(null);
    expect(page.holder.filters.range, 'Escape applies nothing').to.deep.include({ from: '2025-03-28T23:00:00.000Z' });
    await waitUntil(() => page.bar.shadowRoot!.activeElement?.matches('[part~="edit-range"]'), 'Escape did not return the focus to Edit');
    // Enter in a box applies it.
    await sendKeys({ press: 'Enter' });
    await page.bar.updateComplete;
    part<HTMLInputElement>(page.bar, '#range-from').value = '2025-03-29T06:00';
    part(page.bar, '#range-from').dispatchEvent(new Event('input'));
    await sendKeys({ press: 'Enter' });
    expect(page.holder.filters.range).to.deep.include({ from: '2025-03-29T05:00:00.000Z' });
    // …and closes them, the focus on Edit: the Enter does not go on to press Edit, which
    // opened them again.
    await waitUntil(() => page.bar.shadowRoot!.activeElement?.matches('[part~="edit-range"]'), 'Enter did not leave the focus on Edit');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.querySelector('#range-from'), 'Enter closes the boxes').to.equal(null);
    // A range set from elsewhere (a chart's brush) reads as its dates, as an applied one.
    page.holder.filters = { range: { from: '2025-04-01T00:00:00.000Z', to: '2025-04-02T00:00:00.000Z' } };
    await page.bar.updateComplete;
    expect(part(page.bar, '#range-hint').textContent!.trim()).to.equal(formatRange('2025-04-01T00:00:00.000Z', '2025-04-02T00:00:00.000Z', inBerlin));
    part<HTMLButtonElement>(page.bar, '[part~="edit-range"]').click();
    await page.bar.updateComplete;
    expect(part<HTMLInputElement>(page.bar, '#range-from').value).to.equal('2025-04-01T02:00');
  });

  it('cancels a custom range being chosen with Escape: the preset stays', async () => {
    const page = await dashboard();
    await openCustomRange(page.bar);
    part<HTMLInputElement>(page.bar, '#range-to').focus();
    await sendKeys({ press: 'Escape' });
    await page.bar.updateComplete;
    expect(part<HTMLSelectElement>(page.bar, '#range').value).to.equal('7d');
    expect(page.bar.shadowRoot!.querySelector('#range-from')).to.equal(null);
    expect(page.changes).to.have.length(0);
    await waitUntil(() => page.bar.shadowRoot!.activeElement?.id === 'range', 'the focus did not return to the select');
  });

  it('keeps an applied start in the repeated DST hour when only the end is edited', async () => {
    const page = await dashboard();
    // 01:30Z is the second 02:30 in Berlin on 25 October 2026 (CET).
    page.holder.filters = { range: { from: '2026-10-25T01:30:00.000Z', to: '2026-10-25T03:00:00.000Z' } };
    await page.bar.updateComplete;
    part<HTMLButtonElement>(page.bar, '[part~="edit-range"]').click();
    await page.bar.updateComplete;
    expect(part<HTMLInputElement>(page.bar, '#range-from').value).to.equal('2026-10-25T02:30');
    await enterCustomRange(page.bar, null, '2026-10-25T05:00');
    expect(page.holder.filters.range).to.deep.equal({ from: '2026-10-25T01:30:00.000Z', to: '2026-10-25T04:00:00.000Z' });
  });

  it('resource type', async () => {
    const page = await dashboard();
    const since = page.eventsAfterNow();
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="storage"]').click();
    expect(page.holder.filters.resourceType).to.equal('storage');
    await lastEventsRequest(since, (p) => p.get('resourceType') === 'storage');
    await page.bar.updateComplete;
    expect(part(page.bar, '#amount-min').matches(':disabled')).to.equal(false);
    expect(part(page.bar, '[part~="amount"] legend').textContent).to.contain('bytes');
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="all"]').click();
    expect(page.holder.filters.resourceType).to.equal(null);
  });

  it('pool category and I/O type toggles (several at once)', async () => {
    const page = await dashboard();
    const since = page.eventsAfterNow();
    part<HTMLButtonElement>(page.bar, '[part~="pool-categories"] [data-value="surplus"]').click();
    part<HTMLButtonElement>(page.bar, '[part~="pool-categories"] [data-value="hybrid"]').click();
    part<HTMLButtonElement>(page.bar, '[part~="io-types"] [data-value="output"]').click();
    expect(page.holder.filters.poolCategories).to.deep.equal(['surplus', 'hybrid']);
    expect(page.holder.filters.ioTypes).to.deep.equal(['output']);
    expect(page.changes).to.have.length(3);
    const params = await lastEventsRequest(since, (p) => p.get('ioType') === 'output');
    expect(params.getAll('poolCategory')).to.deep.equal(['surplus', 'hybrid']);
    await page.bar.updateComplete;
    expect(part(page.bar, '[data-value="surplus"]').getAttribute('aria-pressed')).to.equal('true');
    part<HTMLButtonElement>(page.bar, '[data-value="surplus"]').click();
    expect(page.holder.filters.poolCategories).to.deep.equal(['hybrid']);
  });

  it('a pressed toggle or chosen type keeps its width, so the row never wraps anew under the pointer', async () => {
    const page = await dashboard();
    const boxes = () =>
      [...page.bar.shadowRoot!.querySelectorAll<HTMLElement>('.toggle, .segment')].map((el) => {
        const box = el.getBoundingClientRect();
        return [Math.round(box.x), Math.round(box.y), Math.round(box.width)].join();
      });
    const before = boxes();
    for (const value of ['surplus', 'hybrid', 'output']) part<HTMLButtonElement>(page.bar, `[data-value="${value}"]`).click();
    part<HTMLInputElement>(page.bar, 'input[type="radio"][value="storage"]').click();
    await page.bar.updateComplete;
    expect(part(page.bar, '[data-value="surplus"]').getAttribute('aria-pressed')).to.equal('true');
    expect(boxes()).to.deep.equal(before);
  });

  it('amount range in the unit of the type ("10 MB" for storage)', async () => {
    const page = await dashboard();
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="storage"]').click();
    await page.bar.updateComplete;
    const since = page.eventsAfterNow();
    commit(part<HTMLInputElement>(page.bar, '#amount-min'), '10 MB');
    commit(part<HTMLInputElement>(page.bar, '#amount-max'), '1.5 GB');
    expect(page.holder.filters.amountMin).to.equal(10_000_000);
    expect(page.holder.filters.amountMax).to.equal(1_500_000_000);
    const params = await lastEventsRequest(since, (p) => p.get('amountMax') === '1500000000');
    expect(params.get('amountMin')).to.equal('10000000');
    expect(params.get('resourceType')).to.equal('storage');
    await page.bar.updateComplete;
    expect(part<HTMLInputElement>(page.bar, '#amount-min').value).to.equal('10 MB');
    expect(summary(page.bar)).to.contain('10 MB – 1.5 GB');
  });

  it('changing the type clears amounts counted in the old unit', async () => {
    const page = await dashboard();
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="tokens"]').click();
    await page.bar.updateComplete;
    commit(part<HTMLInputElement>(page.bar, '#amount-min'), '1,000');
    expect(page.holder.filters.amountMin).to.equal(1_000);
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="ocr"]').click();
    expect(page.holder.filters).to.include({ resourceType: 'ocr', amountMin: null, amountMax: null });
    await page.bar.updateComplete;
    expect(part<HTMLInputElement>(page.bar, '#amount-min').value).to.equal('');
  });

  it('request ID searches all dates: the table sends no from/to and the range says so', async () => {
    const page = await dashboard();
    const since = page.eventsAfterNow();
    commit(part<HTMLInputElement>(page.bar, '#request-id'), '  req_abc ');
    expect(page.holder.filters.requestId).to.equal('req_abc');
    expect(page.holder.filters.range, 'the state keeps its range for the charts').to.deep.equal({ preset: '7d' });
    const params = await lastEventsRequest(since, (p) => p.get('requestId') === 'req_abc');
    expect(params.has('from')).to.equal(false);
    expect(params.has('to')).to.equal(false);
    await page.bar.updateComplete;
    const select = part<HTMLSelectElement>(page.bar, '#range');
    expect(select.disabled).to.equal(true);
    expect(select.selectedOptions[0]!.textContent).to.equal('all dates (request ID)');
    expect(summary(page.bar)).to.contain('all dates (request ID)');
    commit(part<HTMLInputElement>(page.bar, '#request-id'), '');
    expect(page.holder.filters.requestId).to.equal(null);
    await page.bar.updateComplete;
    expect(select.disabled).to.equal(false);
    expect(select.value).to.equal('7d');
  });

  it('endpoints multi-select over the endpoints route', async () => {
    const page = await dashboard();
    const input = part<HTMLInputElement>(page.bar, '#endpoints-input');
    input.focus();
    await sendKeys({ press: 'ArrowDown' });
    const shown = await loadedOptions(page.bar, 'endpoints');
    expect(page.rec.to('endpoints')).to.have.length.greaterThan(0);
    const first = shown[0]!.querySelector('.option-label')!.textContent!;
    expect(shown[0]!.querySelector('.option-detail')!.textContent).to.match(/events in 90 days/);
    const since = page.eventsAfterNow();
    await sendKeys({ press: 'Enter' });
    expect(page.holder.filters.endpoints).to.deep.equal([first]);
    const params = await lastEventsRequest(since, (p) => p.has('endpoint'));
    expect(params.getAll('endpoint')).to.deep.equal([first]);
  });

  it('a pick selects the typed query: more of its matches can be picked, and the next name typed replaces it', async () => {
    const page = await dashboard();
    const input = part<HTMLInputElement>(page.bar, '#endpoints-input');
    input.focus();
    await sendKeys({ type: 'v1' });
    await waitUntil(() => page.rec.to('endpoints').some((request) => request.params.get('q') === 'v1'), 'the query is looked up');
    await sendKeys({ press: 'ArrowDown' });
    await loadedOptions(page.bar, 'endpoints');
    await sendKeys({ press: 'Enter' });
    expect(page.holder.filters.endpoints).to.have.length(1);
    expect([input.value, input.selectionStart, input.selectionEnd]).to.deep.equal(['v1', 0, 2]);
    await sendKeys({ type: 'emb' });
    expect(input.value).to.equal('emb');
  });

  it('reset filters returns every field to its default', async () => {
    const page = await dashboard();
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="tokens"]').click();
    part<HTMLButtonElement>(page.bar, '[data-value="input"]').click();
    commit(part<HTMLInputElement>(page.bar, '#request-id'), 'req_1');
    await page.bar.updateComplete;
    const reset = part<HTMLButtonElement>(page.bar, '[part="reset"]');
    expect(reset.disabled).to.equal(false);
    const count = page.changes.length;
    reset.focus();
    reset.click();
    expect(page.changes).to.have.length(count + 1);
    expect(page.holder.filters).to.deep.equal({
      range: { preset: '7d' },
      resourceType: null,
      userIds: [],
      poolCategories: [],
      ioTypes: [],
      amountMin: null,
      amountMax: null,
      requestId: null,
      endpoints: [],
    });
    await page.bar.updateComplete;
    expect(reset.disabled).to.equal(true);
    expect(part<HTMLInputElement>(page.bar, '#request-id').value).to.equal('');
    // The disabled button gave its focus to the first control, not to the page's body.
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.activeElement?.id).to.equal('range');
  });

  it('the table requests with the from/to the holder resolved and announced', async () => {
    const page = await dashboard();
    const since = page.eventsAfterNow();
    part<HTMLButtonElement>(page.bar, '[data-value="allocated"]').click();
    const params = await lastEventsRequest(since, (p) => p.get('poolCategory') === 'allocated');
    expect(params.get('from')).to.equal(page.changes.at(-1)!.from);
    expect(params.get('to')).to.equal(page.changes.at(-1)!.to);
  });
});

describe('<usage-filter-bar> typing', () => {
  it('applies typed text after a pause: first a new history entry, then replacing it', async () => {
    const url = location.href;
    // Counted by the calls, not by history.length: Chromium holds at most 50 entries.
    const { pushState, replaceState } = history;
    const calls: string[] = [];
    history.pushState = (...args) => (calls.push('push'), pushState.apply(history, args));
    history.replaceState = (...args) => (calls.push('replace'), replaceState.apply(history, args));
    try {
      const page = await dashboard({ 'sync-url': '' });
      calls.length = 0;
      const input = part<HTMLInputElement>(page.bar, '#request-id');
      typeInto(input, 'req');
      expect(page.holder.filters.requestId, 'not before the pause').to.equal(null);
      await settle();
      expect(page.holder.filters.requestId).to.equal('req');
      expect(calls).to.deep.equal(['push']);
      expect(new URL(location.href).searchParams.get('ud.request')).to.equal('req');
      typeInto(input, 'req_42');
      await settle();
      expect(page.holder.filters.requestId).to.equal('req_42');
      expect(calls, 'replaced while typing').to.deep.equal(['push', 'replace']);
      expect(new URL(location.href).searchParams.get('ud.request')).to.equal('req_42');
      // Enter (or leaving the field) ends the edit: its value replaces the entry the edit
      // made (it pushed a second one: Back went to the half-typed value).
      typeInto(input, 'req_420');
      input.dispatchEvent(new Event('change'));
      expect(page.holder.filters.requestId).to.equal('req_420');
      expect(calls).to.deep.equal(['push', 'replace', 'replace']);
      // The next edit of the same visit is a new entry.
      await page.bar.updateComplete;
      typeInto(input, 'req_5');
      await settle();
      expect(calls).to.deep.equal(['push', 'replace', 'replace', 'push']);
      expect(page.changes.map((c) => c.state.requestId)).to.deep.equal(['req', 'req_42', 'req_420', 'req_5']);
    } finally {
      Object.assign(history, { pushState, replaceState });
      history.replaceState(null, '', url);
    }
  });

  it('keyboard: Enter in a text field applies at once', async () => {
    const page = await dashboard();
    part<HTMLInputElement>(page.bar, '#request-id').focus();
    await sendKeys({ type: 'req_7' });
    await sendKeys({ press: 'Enter' });
    expect(page.holder.filters.requestId).to.equal('req_7');
  });

  it('keyboard: arrows choose the resource type, Space presses a toggle', async () => {
    const page = await dashboard();
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="all"]').focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(page.holder.filters.resourceType).to.equal('tokens');
    await sendKeys({ press: 'ArrowRight' });
    expect(page.holder.filters.resourceType).to.equal('storage');
    part<HTMLButtonElement>(page.bar, '[data-value="hybrid"]').focus();
    await sendKeys({ press: 'Space' });
    expect(page.holder.filters.poolCategories).to.deep.equal(['hybrid']);
    await sendKeys({ press: 'Enter' });
    expect(page.holder.filters.poolCategories).to.deep.equal([]);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    expect(page.holder.filters.ioTypes, 'Tab moves on to the I/O toggles').to.deep.equal(['input']);
  });
});

describe('<usage-filter-bar> refuses bad input with a message and sends nothing', () => {
  async function expectRefused(page: Page, action: () => void | Promise<void>, selector: string, message: RegExp): Promise<void> {
    const requests = page.rec.requests.length;
    const changes = page.changes.length;
    const before = JSON.stringify(page.holder.filters);
    await action();
    await settle();
    await page.bar.updateComplete;
    const shown = part(page.bar, selector);
    expect(shown.getAttribute('role')).to.equal('alert');
    expect(shown.textContent).to.match(message);
    expect(page.rec.requests.length, 'no request').to.equal(requests);
    expect(page.changes.length, 'no change').to.equal(changes);
    expect(JSON.stringify(page.holder.filters)).to.equal(before);
  }

  async function storagePage(): Promise<Page> {
    const page = await dashboard();
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="storage"]').click();
    await page.bar.updateComplete;
    await settle();
    return page;
  }

  it('a negative minimum', async () => {
    const page = await storagePage();
    await expectRefused(page, () => commit(part(page.bar, '#amount-min'), '-5 MB'), '#amount-message', /minimum cannot be negative/);
    expect(part(page.bar, '#amount-min').getAttribute('aria-invalid')).to.equal('true');
    expect(part(page.bar, '#amount-min').getAttribute('aria-describedby')).to.contain('amount-message');
  });

  it('a non-numeric maximum', async () => {
    const page = await storagePage();
    await expectRefused(page, () => commit(part(page.bar, '#amount-max'), 'lots'), '#amount-message', /maximum “lots” is not an amount.*1\.5 MB/);
    expect(part(page.bar, '#amount-max').getAttribute('aria-invalid')).to.equal('true');
    expect(part(page.bar, '#amount-min').getAttribute('aria-invalid')).to.equal('false');
  });

  it('a minimum above the maximum', async () => {
    const page = await storagePage();
    commit(part(page.bar, '#amount-max'), '2 kB');
    await settle();
    await expectRefused(page, () => commit(part(page.bar, '#amount-min'), '10 MB'), '#amount-message', /minimum is above the maximum/);
    // Fixing it applies both and the message goes.
    commit(part(page.bar, '#amount-min'), '1 kB');
    expect(page.holder.filters).to.include({ amountMin: 1_000, amountMax: 2_000 });
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.querySelector('#amount-message')).to.equal(null);
  });

  it('a fraction of a token while typing (after the pause)', async () => {
    const page = await dashboard();
    part<HTMLInputElement>(page.bar, 'input[name="resource-type"][value="tokens"]').click();
    await page.bar.updateComplete;
    await settle();
    await expectRefused(page, () => typeInto(part(page.bar, '#amount-min'), '1.5'), '#amount-message', /whole number of tokens/);
  });

  it('a custom range whose start is after its end', async () => {
    const page = await dashboard();
    await openCustomRange(page.bar);
    await expectRefused(page, () => enterCustomRange(page.bar, '2025-03-10T10:00', '2025-03-01T10:00'), '#range-message', /start must be before the end/);
    expect(part(page.bar, '#range-from').getAttribute('aria-invalid')).to.equal('true');
    expect(part(page.bar, '#range-to').getAttribute('aria-invalid'), 'the order is wrong at both ends').to.equal('true');
  });

  it('a custom range whose start the clocks skip (DST), named with the gap and shown while typing', async () => {
    const page = await dashboard();
    await openCustomRange(page.bar);
    // Europe/Berlin goes from 02:00 to 03:00 on 29 March 2026: 02:30 never shows.
    await expectRefused(
      page,
      () => enterCustomRange(page.bar, '2026-03-29T02:30', '2026-03-29T03:00'),
      '#range-message',
      /^The start, 3\/29\/26, 2:30\sAM, does not exist in Europe\/Berlin: the clocks go forward from 2:00\sAM to 3:00\sAM that day\. Choose a time before 2:00\sAM or from 3:00\sAM\.$/,
    );
    expect(part(page.bar, '#range-from').getAttribute('aria-invalid')).to.equal('true');
    expect(part(page.bar, '#range-to').getAttribute('aria-invalid'), 'the end exists: not marked wrong').to.equal('false');
    expect(part(page.bar, '#range-to').getAttribute('aria-describedby')).to.equal('range-zone');
    // Said before Apply, as the order is.
    const input = part<HTMLInputElement>(page.bar, '#range-from');
    input.value = '2026-03-29T01:30';
    input.dispatchEvent(new Event('input'));
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.querySelector('#range-message')).to.equal(null);
    input.value = '2026-03-29T02:15';
    input.dispatchEvent(new Event('input'));
    await page.bar.updateComplete;
    expect(part(page.bar, '#range-message').textContent).to.contain('does not exist in Europe/Berlin');
  });

  it('a custom range with an empty end', async () => {
    const page = await dashboard();
    await openCustomRange(page.bar);
    await expectRefused(page, () => enterCustomRange(page.bar, null, ''), '#range-message', /Enter an end date and time/);
    expect(part(page.bar, '#range-to').getAttribute('aria-invalid')).to.equal('true');
    expect(part(page.bar, '#range-to').getAttribute('aria-describedby')).to.equal('range-zone range-message');
    expect(part(page.bar, '#range-from').getAttribute('aria-invalid'), 'the start is fine: not marked wrong').to.equal('false');
  });

  it('a request ID longer than the contract allows', async () => {
    const page = await dashboard();
    await expectRefused(page, () => commit(part(page.bar, '#request-id'), 'r'.repeat(300)), '#request-id-message', /at most 256 characters/);
  });
});

describe('<usage-filter-bar> reflects changes made elsewhere', () => {
  it('the host setting attributes and the filters property', async () => {
    const page = await dashboard();
    page.holder.setAttribute('resource-type', 'ocr');
    page.holder.setAttribute('pool-categories', 'surplus');
    page.holder.setAttribute('amount-min', '3');
    await page.bar.updateComplete;
    expect(part<HTMLInputElement>(page.bar, 'input[value="ocr"]').checked).to.equal(true);
    expect(part(page.bar, '[data-value="surplus"]').getAttribute('aria-pressed')).to.equal('true');
    expect(part<HTMLInputElement>(page.bar, '#amount-min').value).to.equal('3');
    expect(summary(page.bar)).to.equal('Showing 7 days · OCR · surplus pool category · ≥ 3 pages');
    page.holder.filters = { range: { preset: 'last-month' }, userIds: ['u_nobody'], requestId: 'req_5' };
    await page.bar.updateComplete;
    expect(part<HTMLInputElement>(page.bar, '#request-id').value).to.equal('req_5');
    expect(part<HTMLSelectElement>(page.bar, '#range').disabled).to.equal(true);
    expect(part(page.bar, '.chip-label').textContent).to.equal('u_nobody');
    expect(page.changes, 'the host writes are not announced').to.have.length(0);
  });

  it('writes out the directional controls of a chosen ID in its chip, and removes the ID itself', async () => {
    const page = await dashboard();
    const spoof = '\u202Eevil.exe\u202C reversed';
    page.holder.filters = { userIds: [spoof] };
    await page.bar.updateComplete;
    // Obeyed, the override drew "exe.live reversed".
    expect(part(page.bar, '.chip-label').textContent).to.equal('⟨U+202E⟩evil.exe⟨U+202C⟩ reversed');
    expect(part(page.bar, '[part="chip"]').title).to.equal('⟨U+202E⟩evil.exe⟨U+202C⟩ reversed');
    part<HTMLButtonElement>(page.bar, '.chip-remove').click();
    expect(page.holder.filters.userIds).to.deep.equal([]);
  });

  it('chips of users set from outside get their names from the users route', async () => {
    const page = await dashboard();
    const users = await (await page.rec.requestOptions.fetch('/api/users?limit=100', { headers: page.rec.requestOptions.headers })).json();
    const [a, b] = (users.items as { id: string; name?: string }[]).filter((u) => u.name);
    page.holder.setAttribute('user-ids', `${a!.id},${b!.id}`);
    await waitUntil(() => page.bar.shadowRoot!.querySelectorAll('.chip-label').length === 2 && part(page.bar, '.chip-label').textContent === a!.name);
    const lookup = page.rec.to('users').find((r) => r.params.getAll('id').length === 2)!;
    expect(lookup.params.getAll('id')).to.deep.equal([a!.id, b!.id]);
    expect(part(page.bar, '.chip-remove').getAttribute('aria-label')).to.equal(`Remove user ${a!.name} (${a!.id})`);
    part<HTMLButtonElement>(page.bar, '.chip-remove').click();
    expect(page.holder.filters.userIds).to.deep.equal([b!.id]);
  });

  it('folds many chosen users behind "+N more users", unfolds them, folds them again once they grow past nine anew, and clears them all at once', async () => {
    const page = await dashboard();
    const ids = Array.from({ length: 200 }, (_, i) => `u_many_${i}`);
    page.holder.filters = { userIds: ids };
    await page.bar.updateComplete;
    const chips = () => page.bar.shadowRoot!.querySelectorAll('[part="chip"]');
    const more = () => part<HTMLButtonElement>(page.bar, '[part="chip-more"]');
    expect(chips()).to.have.length(8);
    // Named for what it holds, heard out of the chips' context too.
    expect(more().textContent).to.equal('+192 more users');
    expect(more().getAttribute('aria-expanded')).to.equal('false');
    await expect(page.bar).to.be.accessible();
    more().click();
    await page.bar.updateComplete;
    expect(chips()).to.have.length(200);
    expect(more().textContent).to.equal('Show fewer users');
    expect(more().getAttribute('aria-expanded')).to.equal('true');
    more().click();
    await page.bar.updateComplete;
    expect(chips()).to.have.length(8);
    // Nine fit without folding: "+1 more" would take the room of the chip it hides.
    page.holder.filters = { userIds: ids.slice(0, 9) };
    await page.bar.updateComplete;
    expect(chips()).to.have.length(9);
    expect(page.bar.shadowRoot!.querySelector('[part="chip-more"]')).to.equal(null);
    // Unfolded, down to nine, and past them again: the list folds again.
    page.holder.filters = { userIds: ids };
    await page.bar.updateComplete;
    more().click();
    await page.bar.updateComplete;
    expect(chips()).to.have.length(200);
    page.holder.filters = { userIds: ids.slice(0, 9) };
    await page.bar.updateComplete;
    page.holder.filters = { userIds: ids.slice(0, 11) };
    await page.bar.updateComplete;
    expect(chips(), 'folded again').to.have.length(8);
    expect(more().textContent).to.equal('+3 more users');
    expect(more().getAttribute('aria-expanded')).to.equal('false');
    page.holder.filters = { userIds: ids.slice(0, 9) };
    await page.bar.updateComplete;
    part<HTMLButtonElement>(page.bar, '[part="chip-clear"]').click();
    await page.bar.updateComplete;
    expect(page.holder.filters.userIds).to.deep.equal([]);
    expect(chips()).to.have.length(0);
    expect(page.changes.at(-1)!.state.userIds, 'a person cleared them').to.deep.equal([]);
    expect(page.bar.shadowRoot!.activeElement, 'focus stays in the picker').to.equal(part(page.bar, '#users-input'));
  });

  it('drops a refused draft when the field changes elsewhere', async () => {
    const page = await dashboard({ 'resource-type': 'tokens' });
    await page.bar.updateComplete;
    commit(part(page.bar, '#amount-min'), '-1');
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.querySelector('#amount-message')).to.not.equal(null);
    page.holder.setAttribute('amount-min', '50');
    await page.bar.updateComplete;
    expect(part<HTMLInputElement>(page.bar, '#amount-min').value).to.equal('50');
    expect(page.bar.shadowRoot!.querySelector('#amount-message')).to.equal(null);
  });

  it('a host answering a choice with another state: the controls show the state, not the choice', async () => {
    const page = await dashboard({ 'resource-type': 'tokens' });
    await page.bar.updateComplete;
    // The host keeps OCR and last month off its page.
    page.holder.addEventListener('usage-filters-change', (e) => {
      const { state } = e.detail;
      if (state.resourceType === 'ocr') page.holder.filters = { ...state, resourceType: 'tokens' };
      if ('preset' in state.range && state.range.preset === 'last-month') page.holder.filters = { ...state, range: { preset: '7d' } };
    });
    part<HTMLInputElement>(page.bar, 'input[value="ocr"]').click();
    await page.bar.updateComplete;
    expect(page.holder.filters.resourceType).to.equal('tokens');
    expect(part<HTMLInputElement>(page.bar, 'input[value="tokens"]').checked, 'tokens checked').to.equal(true);
    expect(part<HTMLInputElement>(page.bar, 'input[value="ocr"]').checked, 'OCR not checked').to.equal(false);
    const select = part<HTMLSelectElement>(page.bar, '#range');
    select.value = 'last-month';
    select.dispatchEvent(new Event('change'));
    await page.bar.updateComplete;
    expect(page.holder.filters.range).to.deep.equal({ preset: '7d' });
    expect(select.value).to.equal('7d');
  });

  it('Back or Forward removing or disabling the focused control moves the focus within its field, else to the bar, never to the page', async () => {
    const page = await dashboard({ 'resource-type': 'tokens', 'user-ids': 'u_a,u_b', 'amount-min': '5' });
    const root = page.bar.shadowRoot!;
    const focusedIn = (field: string) => !!root.activeElement?.closest(`[part~="${field}"]`);
    // A custom range's box, gone with Back to a preset: the range select.
    await openCustomRange(page.bar);
    part(page.bar, '#range-to').focus();
    page.holder.filters = { ...page.holder.filters, range: { preset: '30d' } };
    await page.bar.updateComplete;
    expect(root.activeElement === part(page.bar, '#range'), 'the range select').to.equal(true);
    // A user's chip, gone: what is left of the users field.
    await waitUntil(() => root.querySelectorAll('.chip-remove').length === 2, 'two chips');
    [...root.querySelectorAll<HTMLElement>('.chip-remove')].at(-1)!.focus();
    page.holder.filters = { ...page.holder.filters, userIds: ['u_a'] };
    await page.bar.updateComplete;
    expect(focusedIn('users'), 'in the users field').to.equal(true);
    // The amount box, disabled under "All": the bar's first control.
    part(page.bar, '#amount-min').focus();
    page.holder.filters = { ...page.holder.filters, resourceType: null, amountMin: null };
    await page.bar.updateComplete;
    expect(part<HTMLInputElement>(page.bar, '#amount-min').matches(':disabled'), 'disabled').to.equal(true);
    expect(root.activeElement === part(page.bar, '#range'), 'the range select').to.equal(true);
  });

  // A phone turned while a control that only one of the two layouts shows has the focus:
  // it stays shown and focused.
  // A field used in the wide bar opens what it folds into: "More filters" says so (expanded).
  for (const [layout, from, to, selector, expanded] of [
    ['widening under a focused "More filters" keeps the button until the focus leaves', '360px', '900px', '[part="more-toggle"]', 'false'],
    ['narrowing under a field in use keeps the field shown, "More filters" open', '900px', '360px', '#request-id', 'true'],
  ]) {
    it(`a bar ${layout}`, async () => {
      const page = await dashboard();
      page.bar.parentElement!.style.display = 'block';
      page.bar.style.width = from!;
      await page.bar.updateComplete;
      const control = part(page.bar, selector!);
      control.focus();
      page.bar.style.width = to!;
      await new Promise((frame) => requestAnimationFrame(() => requestAnimationFrame(frame)));
      expect(shown(control), 'shown').to.equal(true);
      expect(page.bar.shadowRoot!.activeElement === control, 'focused').to.equal(true);
      await page.bar.updateComplete;
      expect(part(page.bar, '[part="more-toggle"]').getAttribute('aria-expanded')).to.equal(expanded);
      part(page.bar, '#range').focus();
      expect(shown(control), 'gone once left').to.equal(expanded === 'true');
    });
  }

  it('back and forward with sync-url', async () => {
    const url = location.href;
    try {
      const page = await dashboard({ 'sync-url': '' });
      part<HTMLButtonElement>(page.bar, '[data-value="input"]').click();
      part<HTMLButtonElement>(page.bar, '[data-value="output"]').click();
      await page.bar.updateComplete;
      history.back();
      await waitUntil(() => page.holder.filters.ioTypes.length === 1);
      await page.bar.updateComplete;
      expect(part(page.bar, '[data-value="output"]').getAttribute('aria-pressed')).to.equal('false');
      expect(part(page.bar, '[data-value="input"]').getAttribute('aria-pressed')).to.equal('true');
    } finally {
      history.replaceState(null, '', url);
    }
  });
});

describe('<usage-filter-bar> sharing', () => {
  it('through filter-group, apart from the holder', async () => {
    await demoServer().ready;
    const rec = recorder();
    const root = await fixture<HTMLElement>(html`<div>
      <section>
        <usage-filters filter-group="fb-test" data-endpoint="/api" .requestOptions=${rec.requestOptions}></usage-filters>
        <consumption-events-table filter-group="fb-test"></consumption-events-table>
      </section>
      <aside><usage-filter-bar filter-group="fb-test"></usage-filter-bar></aside>
    </div>`);
    const holder = root.querySelector('usage-filters')!;
    const bar = root.querySelector('usage-filter-bar')!;
    const changes: unknown[] = [];
    holder.addEventListener('usage-filters-change', (e) => changes.push(e.detail));
    await waitUntil(() => rec.to('events').length > 0);
    part<HTMLButtonElement>(bar, '[data-value="hybrid"]').click();
    expect(holder.filters.poolCategories).to.deep.equal(['hybrid']);
    expect(changes).to.have.length(1);
    await waitUntil(() => rec.to('events').some((r) => r.params.get('poolCategory') === 'hybrid'));
    holder.setAttribute('io-types', 'input');
    await bar.updateComplete;
    expect(part(bar, '[data-value="input"]').getAttribute('aria-pressed')).to.equal('true');
  });

  it('alone: holds its own state from its attributes and announces each change itself', async () => {
    const bar = await fixture<UsageFilterBar>(html`<usage-filter-bar resource-type="tokens" range="24h"></usage-filter-bar>`);
    expect(part<HTMLSelectElement>(bar, '#range').value).to.equal('24h');
    const changes: UsageFiltersChangeEvent['detail'][] = [];
    bar.addEventListener('usage-filters-change', (e) => changes.push(e.detail));
    part<HTMLButtonElement>(bar, '[data-value="surplus"]').click();
    expect(changes).to.have.length(1);
    expect(changes[0]!.state).to.include({ resourceType: 'tokens' });
    expect(changes[0]!.state.poolCategories).to.deep.equal(['surplus']);
    await bar.updateComplete;
    expect(bar.filters.poolCategories).to.deep.equal(['surplus']);
  });

  it('reports a lookup without a data endpoint as usage-error and in the list, with Retry', async () => {
    const bar = await fixture<UsageFilterBar>(html`<usage-filter-bar></usage-filter-bar>`);
    const errors: UsageErrorEvent['detail'][] = [];
    bar.addEventListener('usage-error', (e) => errors.push(e.detail));
    part<HTMLInputElement>(bar, '#users-input').focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => errors.length > 0);
    expect(errors[0]!.param).to.equal('data-endpoint');
    await bar.updateComplete;
    expect(part(bar, '#users-status').textContent).to.contain('could not be loaded');
    expect(part(bar, '[part="retry"]').textContent).to.equal('Retry');
  });
});

describe('<usage-filter-bar> layout and accessibility', () => {
  it('has no axe violations: default, open picker, messages, custom range, request ID', async () => {
    const page = await dashboard();
    await expect(page.bar).to.be.accessible();
    part<HTMLInputElement>(page.bar, '#users-input').focus();
    await sendKeys({ press: 'ArrowDown' });
    await loadedOptions(page.bar, 'users');
    await sendKeys({ press: 'Enter' });
    await page.bar.updateComplete;
    await expect(page.bar).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    part<HTMLInputElement>(page.bar, 'input[value="storage"]').click();
    await page.bar.updateComplete;
    commit(part(page.bar, '#amount-min'), 'nope');
    await openCustomRange(page.bar);
    void enterCustomRange(page.bar, '2025-03-10T10:00', '2025-03-01T10:00');
    await page.bar.updateComplete;
    await expect(page.bar).to.be.accessible();
    commit(part(page.bar, '#request-id'), 'req_1');
    await page.bar.updateComplete;
    await expect(page.bar).to.be.accessible();
  });

  it('has no axe violations in the dark theme', async () => {
    const page = await dashboard({ theme: 'dark' });
    await page.bar.updateComplete;
    expect(getComputedStyle(page.bar).colorScheme).to.equal('dark');
    await expect(page.bar).to.be.accessible();
    // The pressed, primary, invalid and message colours too.
    part<HTMLInputElement>(page.bar, 'input[value="storage"]').click();
    part<HTMLButtonElement>(page.bar, '[data-value="surplus"]').click();
    await page.bar.updateComplete;
    commit(part(page.bar, '#amount-min'), 'nope');
    await openCustomRange(page.bar);
    void enterCustomRange(page.bar, '2025-03-10T10:00', '2025-03-01T10:00');
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.querySelector('#range-message')).to.not.equal(null);
    await expect(page.bar).to.be.accessible();
    // An applied custom range: its dates and the Edit button.
    await enterCustomRange(page.bar, '2025-03-01T10:00', '2025-03-10T10:00');
    await page.bar.updateComplete;
    expect(page.bar.shadowRoot!.querySelector('[part~="edit-range"]')).to.not.equal(null);
    await expect(page.bar).to.be.accessible();
  });

  it('shows the chosen resource type and the pressed toggles under forced colours', async () => {
    const page = await dashboard({ 'resource-type': 'tokens', 'pool-categories': 'surplus' });
    await page.bar.updateComplete;
    await emulateForcedColors(true);
    try {
      const segment = part(page.bar, 'input[value="tokens"]').closest('.segment')!;
      const toggle = part(page.bar, '[data-value="surplus"]');
      // The browser repaints every fill with the page's background (the system's Canvas), so
      // the chosen ones need a system colour of their own to stand out.
      const canvas = getComputedStyle(part(page.bar, '[part~="base"]')).backgroundColor;
      for (const [chosen, name] of [[segment, 'resource type'], [toggle, 'pool category']] as const) {
        const [background] = fills(chosen);
        expect(background, name).to.not.equal(canvas);
        expect(background, name).to.not.match(/^rgba\(.*, 0\)$/);
        // Painted as computed: else the browser puts a Canvas backplate behind the text, which
        // then vanishes (SelectedItemText on Canvas).
        expect(getComputedStyle(chosen).forcedColorAdjust, name).to.equal('none');
      }
      // Under the pointer too: the hover's fill greyed a pressed toggle, as if disabled.
      const [pressed] = fills(toggle);
      const box = toggle.getBoundingClientRect();
      await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
      expect(toggle.matches(':hover')).to.equal(true);
      expect(fills(toggle)[0], 'hovered').to.equal(pressed);
      await sendMouse({ type: 'move', position: [0, 0] });
    } finally {
      await emulateForcedColors(false);
    }
  });

  it('paints the option the arrow keys rest on in the system highlight under forced colours, its lines too', async () => {
    const page = await dashboard();
    part<HTMLInputElement>(page.bar, '#users-input').focus();
    await sendKeys({ press: 'ArrowDown' });
    await loadedOptions(page.bar, 'users');
    await emulateForcedColors(true);
    const probe = document.body.appendChild(document.createElement('div'));
    probe.style.cssText = 'forced-color-adjust: none; background: Highlight; color: HighlightText';
    try {
      await waitUntil(() => page.bar.shadowRoot!.querySelector('.option[data-active]'), 'an active option');
      const active = page.bar.shadowRoot!.querySelector<HTMLElement>('.option[data-active]')!;
      const system = getComputedStyle(probe);
      expect(getComputedStyle(active).backgroundColor).to.equal(system.backgroundColor);
      for (const line of active.querySelectorAll('.option-label, .option-detail')) expect(getComputedStyle(line).color).to.equal(system.color);
    } finally {
      probe.remove();
      await emulateForcedColors(false);
    }
  });

  it('balances a range under the date select that wraps: no word alone on its last line (en-IN "am")', async () => {
    const page = await dashboard({ locale: 'en-IN', range: '90d' });
    const hint = part(page.bar, '#range-hint');
    await waitUntil(() => /[ap]m/.test(hint.textContent!), 'the range in en-IN');
    // Narrower than any day's range (its length changes with the month and hour), so that it wraps.
    hint.style.maxWidth = '180px';
    const text = document.createRange();
    text.selectNodeContents(hint);
    const lines = new Map<number, number>();
    for (const box of text.getClientRects()) lines.set(Math.round(box.top), (lines.get(Math.round(box.top)) ?? 0) + box.width);
    const widths = [...lines.values()];
    expect(widths.length, hint.textContent!).to.be.at.least(2);
    expect(widths.at(-1)!, `${widths}`).to.be.above(widths[0]! * 0.75);
  });

  it('puts the amount minimum and maximum side by side, from 900 px down to 360 px', async () => {
    const page = await dashboard({ 'resource-type': 'tokens' });
    page.bar.parentElement!.style.display = 'block';
    for (const width of [900, 600, 360]) {
      page.bar.style.width = `${width}px`;
      await page.bar.updateComplete;
      await openMore(page.bar);
      const min = part(page.bar, '#amount-min').getBoundingClientRect();
      const max = part(page.bar, '#amount-max').getBoundingClientRect();
      expect(max.top, `at ${width} px`).to.equal(min.top);
      expect(max.left, `at ${width} px`).to.be.greaterThan(min.right);
    }
    // In a row with the request ID and the endpoints, their boxes line up (the labels above
    // Minimum and Maximum put them 16 px lower).
    page.bar.style.width = '1400px';
    await page.bar.updateComplete;
    const top = (id: string) => part(page.bar, id).getBoundingClientRect().top;
    expect(top('#request-id')).to.be.above(top('#range'));
    expect(top('#amount-min')).to.equal(top('#request-id'));
  });

  it('narrower than 36em, folds the controls past the range and the type behind "More filters", counting those set', async () => {
    const page = await dashboard({ 'pool-categories': 'surplus', 'user-ids': 'u_a' });
    page.bar.parentElement!.style.display = 'block';
    page.bar.style.width = '360px';
    await page.bar.updateComplete;
    const toggle = part<HTMLButtonElement>(page.bar, '[part="more-toggle"]');
    const users = part(page.bar, '#users-input');
    expect(shown(toggle)).to.equal(true);
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(toggle.getAttribute('aria-controls')).to.equal('more');
    expect(toggle.textContent!.replace(/\s+/g, ' ').trim()).to.equal('More filters (2)');
    expect(shown(users)).to.equal(false);
    expect(shown(part(page.bar, '#range'))).to.equal(true);
    expect(shown(part(page.bar, '[part~="resource-type"]'))).to.equal(true);

    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await page.bar.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(toggle.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Fewer filters (2)');
    expect(shown(users)).to.equal(true);
    expect(shown(part(page.bar, '#request-id'))).to.equal(true);
    toggle.click();
    await page.bar.updateComplete;
    expect(shown(users)).to.equal(false);
    // A field the host hides (a per-user page hides the users picker) is not counted.
    const style = document.createElement('style');
    style.textContent = 'usage-filter-bar::part(field users) { display: none; }';
    document.head.append(style);
    try {
      page.bar.requestUpdate();
      await page.bar.updateComplete;
      expect(toggle.textContent!.replace(/\s+/g, ' ').trim()).to.equal('More filters (1)');
    } finally {
      style.remove();
    }
    page.bar.requestUpdate();
    await page.bar.updateComplete;
    expect(toggle.textContent!.replace(/\s+/g, ' ').trim()).to.equal('More filters (2)');

    // Wide: every control in view, no toggle, whatever it was left at (once it has no focus: see below).
    toggle.blur();
    page.bar.style.width = '900px';
    await page.bar.updateComplete;
    expect(shown(toggle)).to.equal(false);
    expect(shown(users)).to.equal(true);
    // A host sized by its content gets the wide bar's width, not the folded one.
    page.bar.style.width = '';
    page.bar.style.display = 'inline-block';
    await page.bar.updateComplete;
    expect(shown(toggle)).to.equal(false);
    expect(page.bar.getBoundingClientRect().width).to.be.greaterThan(500);
  });

  it('wraps without horizontal scrolling at 360 px, with chips, the custom range and the picker open', async () => {
    const page = await dashboard({ 'resource-type': 'storage', 'user-ids': 'u_a_rather_long_user_identifier_0001,u_b,u_c' });
    page.bar.style.width = '360px';
    page.bar.parentElement!.style.display = 'block';
    await openMore(page.bar);
    await openCustomRange(page.bar);
    expect(part(page.bar, '#range-to').getBoundingClientRect().right).to.be.at.most(page.bar.getBoundingClientRect().right);
    // The list draws the options in view: its input at the top of the test's 600 px viewport.
    part(page.bar, '#users-input').scrollIntoView({ block: 'start' });
    part<HTMLInputElement>(page.bar, '#users-input').focus();
    await sendKeys({ press: 'ArrowDown' });
    await loadedOptions(page.bar, 'users');
    await aTimeout(50);
    for (const element of [page.bar, ...page.bar.shadowRoot!.querySelectorAll<HTMLElement>('*')]) {
      if (element.matches('[role="listbox"], .listbox *')) continue;
      expect(element.scrollWidth, `${element.localName}.${element.className} overflows`).to.be.at.most(element.clientWidth || element.scrollWidth);
    }
    const base = part(page.bar, '[part="base"]');
    expect(base.getBoundingClientRect().width).to.be.at.most(360);
    expect(part(page.bar, '[part="listbox-popup"]').getBoundingClientRect().right).to.be.at.most(page.bar.getBoundingClientRect().right + 0.5);
  });
});
