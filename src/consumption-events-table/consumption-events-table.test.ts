import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { a11ySnapshot, sendKeys } from '@web/test-runner-commands';
import { configureUsageDashboard } from '../api/client.js';
import { LIMITS, type EventsPage } from '../api/contract.js';
import type { UsageErrorEvent, UsageFiltersChangeEvent, UsageRequestSelectEvent, UsageUserSelectEvent } from '../events/index.js';
import { formatAmount, formatDateTime } from '../format/index.js';
import { emulateForcedColors, fills } from '../base/test-forced-colors.js';
import { drawnToken } from '../base/theme.js';
import type { UsageFilters } from '../usage-filters/usage-filters.component.js';
import '../usage-filters/usage-filters.js';
import type { ConsumptionEventsTable } from './consumption-events-table.component.js';
import {
  addUser,
  cell,
  demoServer,
  ignoreResizeObserverLoopErrors,
  ingest,
  lastEventsRequest,
  mountTable,
  nextPage,
  ocrEvent,
  pagerButton,
  recorder,
  rows,
  settled,
  sortButton,
} from './test-fixture.js';
import { errorResponse, refuseRequests } from '../api/test-fixtures.js';

const HOUR = 3_600_000;

function shadow(table: ConsumptionEventsTable): ShadowRoot {
  return table.shadowRoot!;
}

function rangeText(table: ConsumptionEventsTable): string {
  // As written: "1–25 of 1,234", no mark around the dash with digits 0–9 (Arabic-Indic ones have their own test).
  return shadow(table).querySelector('.pager-range')!.textContent!.replace(/\s+/g, ' ').trim();
}

describe('<consumption-events-table> requests', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('two tables on one page name no landmark alike (their pagers are groups, not navigation landmarks)', async () => {
    const first = await mountTable();
    const second = await mountTable({ 'page-size': '10' });
    expect(rows(first.table)).to.have.length(25);
    expect(rows(second.table)).to.have.length(10);
    // The page's own landmarks (axe's region rule) are the host's to give.
    await expect(first.table.parentElement!.parentElement!).to.be.accessible({ ignoredRules: ['region'] });
  });

  it('asks for the newest 25 events of the last 7 days by default', async () => {
    const { table, record } = await mountTable();
    const { params } = lastEventsRequest(record);
    expect(params.sort).to.equal('created');
    expect(params.order).to.equal('desc');
    expect(params.page).to.equal('1');
    expect(params.pageSize).to.equal('25');
    expect(Date.parse(params.to as string) - Date.parse(params.from as string)).to.equal(168 * HOUR);
    expect(params.tz).to.be.a('string');
    expect(rows(table)).to.have.length(25);
    const created = rows(table).map((row) => Date.parse(row.querySelector('time')!.getAttribute('datetime')!));
    expect([...created].sort((a, b) => b - a)).to.deep.equal(created);
  });

  it('sends every filter attribute of a table alone', async () => {
    const { record } = await mountTable({
      'resource-type': 'storage',
      'user-ids': 'u_a,u_b',
      'pool-categories': 'surplus,hybrid',
      'io-types': 'input',
      'amount-min': '10',
      'amount-max': '5000000',
      endpoints: '/v1/files,/v1/vector_stores/files',
      range: '30d',
    });
    const { params } = lastEventsRequest(record);
    expect(params.resourceType).to.equal('storage');
    expect(params.userId).to.deep.equal(['u_a', 'u_b']);
    expect(params.poolCategory).to.deep.equal(['surplus', 'hybrid']);
    expect(params.ioType).to.equal('input');
    expect(params.amountMin).to.equal('10');
    expect(params.amountMax).to.equal('5000000');
    expect(params.endpoint).to.deep.equal(['/v1/files', '/v1/vector_stores/files']);
    expect(Date.parse(params.to as string) - Date.parse(params.from as string)).to.equal(720 * HOUR);
  });

  it('sends a custom range as given', async () => {
    const { record } = await mountTable({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' });
    const { params } = lastEventsRequest(record);
    expect(params.from).to.equal('2026-01-01T00:00:00.000Z');
    expect(params.to).to.equal('2026-01-02T00:00:00.000Z');
  });

  it('searches a request ID across all dates: no from/to', async () => {
    const { table, record } = await mountTable();
    const requestId = cell(rows(table)[0]!, 'requestId').textContent!.trim();
    const searched = await mountTable({ 'request-id': requestId, range: '24h' }, record);
    const { params } = lastEventsRequest(record);
    expect(params.requestId).to.equal(requestId);
    expect(params).not.to.have.property('from');
    expect(params).not.to.have.property('to');
    for (const row of rows(searched.table)) expect(cell(row, 'requestId').textContent!.trim()).to.equal(requestId);
  });

  it('follows the shared state of <usage-filters> and returns to page 1 when it changes', async () => {
    const record = recorder();
    const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" .requestOptions=${record.requestOptions}>
      <consumption-events-table></consumption-events-table>
    </usage-filters>`);
    const table = holder.querySelector('consumption-events-table')!;
    await settled(table);
    await nextPage(table, record, () => pagerButton(table, 'Next page').click());
    expect(lastEventsRequest(record).params.page).to.equal('2');
    const request = await nextPage(table, record, () => {
      holder.filters = { range: { preset: '30d' }, resourceType: 'tokens', ioTypes: ['output'] };
    });
    expect(request.params.page).to.equal('1');
    expect(request.params.resourceType).to.equal('tokens');
    expect(request.params.ioType).to.equal('output');
  });

  it('gives the per-user log with user-ids inside a dashboard', async () => {
    const record = recorder();
    const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" .requestOptions=${record.requestOptions} io-types="input">
      <consumption-events-table user-ids="svc-batch-summarizer"></consumption-events-table>
    </usage-filters>`);
    const table = holder.querySelector('consumption-events-table')!;
    await settled(table);
    const { params } = lastEventsRequest(record);
    expect(params.userId).to.equal('svc-batch-summarizer');
    expect(params.ioType).to.equal('input');
    for (const row of rows(table)) expect(cell(row, 'userId').textContent!.trim()).to.equal('svc-batch-summarizer');
  });

  it('sorts by a column on click: first click by its first order, the next toggles, back to page 1', async () => {
    const { table, record } = await mountTable();
    await nextPage(table, record, () => pagerButton(table, 'Next page').click());
    let request = await nextPage(table, record, () => sortButton(table, 'userId').click());
    expect(request.params).to.include({ sort: 'userId', order: 'asc', page: '1' });
    const users = rows(table).map((row) => cell(row, 'userId').textContent!.trim());
    expect(users).to.deep.equal([...users].sort());
    expect(sortButton(table, 'userId').parentElement!.getAttribute('aria-sort')).to.equal('ascending');
    expect(shadow(table).querySelectorAll('[aria-sort]')).to.have.length(1);

    request = await nextPage(table, record, () => sortButton(table, 'userId').click());
    expect(request.params).to.include({ sort: 'userId', order: 'desc' });
    expect(sortButton(table, 'userId').parentElement!.getAttribute('aria-sort')).to.equal('descending');

    request = await nextPage(table, record, () => sortButton(table, 'amount').click());
    expect(request.params).to.include({ sort: 'amount', order: 'desc' });
    request = await nextPage(table, record, () => sortButton(table, 'endpoint').click());
    expect(request.params).to.include({ sort: 'endpoint', order: 'asc' });
    request = await nextPage(table, record, () => sortButton(table, 'created').click());
    expect(request.params).to.include({ sort: 'created', order: 'desc' });
    for (const column of ['resourceType', 'poolCategory', 'ioType', 'requestId']) {
      request = await nextPage(table, record, () => sortButton(table, column).click());
      expect(request.params).to.include({ sort: column, order: 'asc' });
    }
    expect(shadow(table).querySelectorAll('[aria-sort]')).to.have.length(1);
  });

  it('shows the sorted column\'s arrow; an unsorted column\'s only under the pointer or the focus, the way its first press sorts', async () => {
    const { table } = await mountTable();
    const icon = (column: string) => getComputedStyle(sortButton(table, column).querySelector('.sort-icon')!);
    const pointsUp = (column: string) => icon(column).borderBottomWidth !== '0px';
    expect(icon('created').opacity).to.equal('1');
    expect(pointsUp('created'), 'newest first').to.equal(false);
    for (const column of ['userId', 'amount', 'endpoint']) expect(icon(column).opacity, column).to.equal('0');
    // From the keyboard (focus-visible): faint, up for a column that sorts A–Z first, down for Amount.
    sortButton(table, 'userId').focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowLeft' });
    expect(shadow(table).activeElement === sortButton(table, 'userId'), 'the focus on User ID').to.equal(true);
    expect(icon('userId').opacity).to.equal('0.5');
    expect(pointsUp('userId')).to.equal(true);
    await sendKeys({ press: 'ArrowRight' });
    expect(icon('amount').opacity).to.equal('0.5');
    expect(pointsUp('amount')).to.equal(false);
    expect(icon('userId').opacity).to.equal('0');
    // The sorted column's stays whole under the focus (a faint one read as unsorted).
    await sendKeys({ press: 'Home' });
    expect(shadow(table).activeElement === sortButton(table, 'created'), 'the focus on Created').to.equal(true);
    expect(icon('created').opacity).to.equal('1');
  });

  it('says that amounts of every type sort as plain numbers (bytes above tokens) while sorted by Amount under every type', async () => {
    const { table, record } = await mountTable({ sort: 'amount' });
    const note = () => shadow(table).querySelector('[part~="sort-note"]')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(note()).to.equal('Sorted by amount across every resource type: bytes, tokens and pages compare as plain numbers. Choose a resource type to compare like with like.');
    // Heard on the Amount header too: its sort button is described by the note.
    const describedBy = () => sortButton(table, 'amount').getAttribute('aria-describedby');
    expect(shadow(table).getElementById(describedBy()!)?.getAttribute('part')).to.equal('sort-note');
    expect(shadow(table).querySelectorAll('[aria-describedby="sort-note"]')).to.have.length(1);
    await expect(table).to.be.accessible();
    await nextPage(table, record, () => table.setAttribute('resource-type', 'tokens'));
    expect(note()).to.equal(undefined);
    expect(describedBy()).to.equal(null);
    await nextPage(table, record, () => table.removeAttribute('resource-type'));
    expect(note()).to.match(/^Sorted by amount across every resource type/);
    await nextPage(table, record, () => sortButton(table, 'created').click());
    expect(note()).to.equal(undefined);
  });

  it('names its eight columns as the design does, in its order', async () => {
    const { table } = await mountTable();
    const labels = [...shadow(table).querySelectorAll('[part~="sort-button"]')].map((button) => button.textContent!.trim());
    expect(labels).to.deep.equal(['Created', 'User ID', 'Amount', 'Resource Type', 'Pool Category', 'I/O Type', 'Request ID', 'Endpoint']);
  });

  it('is titled by a level-2 heading, as the charts are, that names the table', async () => {
    const { table } = await mountTable();
    const heading = shadow(table).querySelector('[part~="title"]')!;
    expect(heading.localName).to.equal('h2');
    expect(heading.textContent!.trim()).to.equal('Consumption events');
    expect(shadow(table).querySelector('[role="table"]')!.getAttribute('aria-labelledby')).to.equal(heading.id);
  });

  it('is a real table: table, thead and tbody, rows of th and td, a virtualized page’s rows too', async () => {
    ignoreResizeObserverLoopErrors();
    for (const attributes of [{}, { 'page-size': '300', range: '90d' }] as Record<string, string>[]) {
      const { table } = await mountTable(attributes);
      const grid = shadow(table).querySelector('[role="table"]')!;
      expect(grid.localName).to.equal('table');
      expect([...grid.children].map((child) => child.localName)).to.deep.equal(['thead', 'tbody']);
      const headers = [...grid.querySelectorAll('thead > tr > th[role="columnheader"]')];
      expect(headers.map((th) => th.textContent!.trim())).to.deep.equal(['Created', 'User ID', 'Amount', 'Resource Type', 'Pool Category', 'I/O Type', 'Request ID', 'Endpoint']);
      expect(headers[0]!.getAttribute('aria-sort')).to.equal('descending');
      const bodyRows = [...grid.querySelectorAll('tbody > tr[role="row"]')];
      expect(bodyRows.length).to.be.greaterThan(0);
      expect(bodyRows.length).to.equal(rows(table).length);
      for (const row of bodyRows.slice(0, 5)) expect([...row.children].map((cell) => `${cell.localName}[${cell.getAttribute('role')}]`)).to.deep.equal(Array(8).fill('td[cell]'));
      await expect(table).to.be.accessible();
      table.remove();
    }
  });

  it('takes its first sort from the sort and order attributes', async () => {
    const { table, record } = await mountTable({ sort: 'amount', order: 'asc' });
    expect(lastEventsRequest(record).params).to.include({ sort: 'amount', order: 'asc' });
    expect(sortButton(table, 'amount').parentElement!.getAttribute('aria-sort')).to.equal('ascending');
  });

  it('draws the page’s first row number left of its last in Arabic-Indic digits ("١–٢٥", not "٢٥–١")', async () => {
    const { table } = await mountTable({ locale: 'ar-EG' });
    await waitUntil(() => rangeText(table).includes('–'), 'the pager says its range');
    const walker = document.createTreeWalker(shadow(table).querySelector('.pager-range')!, NodeFilter.SHOW_TEXT);
    let text: Text | null = null;
    while (walker.nextNode()) if ((walker.currentNode as Text).data.includes('–')) text = walker.currentNode as Text;
    const data = text!.data;
    const left = (from: number, to: number) => {
      const range = document.createRange();
      range.setStart(text!, from);
      range.setEnd(text!, to);
      return range.getBoundingClientRect().left;
    };
    const dash = data.indexOf('–');
    const first = data.search(/[٠-٩]/);
    const last = data.slice(dash).search(/[٠-٩]/) + dash;
    expect(first, data).to.be.at.least(0);
    expect(left(first, first + 1), data).to.be.below(left(dash, dash + 1));
    expect(left(dash, dash + 1), data).to.be.below(left(last, last + 1));
  });

  it('pages with first, previous, next, last and the page number, disabled at the ends', async () => {
    const { table, record } = await mountTable();
    const answer = (await lastEventsRequest(record).answer)!;
    const lastPage = Math.ceil(answer.total / 25);
    expect(lastPage).to.be.greaterThan(3);
    expect(pagerButton(table, 'First page').disabled).to.equal(true);
    expect(pagerButton(table, 'Previous page').disabled).to.equal(true);
    expect(rangeText(table)).to.equal(`1–25 of ${answer.total.toLocaleString('en-US')}`);
    expect(shadow(table).querySelector('[role="table"]')!.getAttribute('aria-rowcount')).to.equal(String(answer.total + 1));

    const firstPageRows = rows(table);
    let request = await nextPage(table, record, () => pagerButton(table, 'Next page').click());
    expect(request.params.page).to.equal('2');
    expect(rangeText(table)).to.equal(`26–50 of ${answer.total.toLocaleString('en-US')}`);
    expect(rows(table)[0]!.getAttribute('aria-rowindex')).to.equal('27');
    const page2 = (await request.answer)!;
    const page2Indexes = page2.items.map((_, i) => String(27 + i));
    // The next page updates the rows in place (cheaper than building new ones).
    expect(rows(table)).to.have.ordered.members(firstPageRows);
    expect(rows(table).map((row) => row.getAttribute('aria-rowindex'))).to.deep.equal(page2Indexes);
    expect(cell(rows(table)[0]!, 'requestId').textContent!.trim()).to.equal(page2.items[0]!.requestId);

    request = await nextPage(table, record, () => pagerButton(table, 'Last page').click());
    expect(request.params.page).to.equal(String(lastPage));
    expect(pagerButton(table, 'Next page').disabled).to.equal(true);
    expect(pagerButton(table, 'Last page').disabled).to.equal(true);

    request = await nextPage(table, record, () => pagerButton(table, 'Previous page').click());
    expect(request.params.page).to.equal(String(lastPage - 1));
    request = await nextPage(table, record, () => pagerButton(table, 'First page').click());
    expect(request.params.page).to.equal('1');

    const input = shadow(table).querySelector<HTMLInputElement>('[part~="pager"] input')!;
    request = await nextPage(table, record, () => {
      input.value = '3';
      input.dispatchEvent(new Event('change'));
    });
    expect(request.params.page).to.equal('3');
    request = await nextPage(table, record, () => {
      input.value = '100000';
      input.dispatchEvent(new Event('change'));
    });
    expect(request.params.page).to.equal(String(lastPage));
  });

  it('goes to the last page when a page past the end comes back empty', async () => {
    const { table, record } = await mountTable();
    const answer = (await lastEventsRequest(record).answer)!;
    const lastPage = Math.ceil(answer.total / 25);
    await nextPage(table, record, () => {
      table.page = lastPage + 5;
    });
    await waitUntil(() => lastEventsRequest(record).params.page === String(lastPage), 'the last page is asked for');
    await settled(table);
    expect(rows(table).length).to.be.greaterThan(0);
    expect(table.page).to.equal(lastPage);
  });

  it('says "100,000+" for an inexact total: Next while pages come back full, Last disabled, aria-rowcount -1', async () => {
    const record = recorder();
    record.intercept = async (url, forward) => {
      const response = await forward();
      if (url.pathname !== '/api/events') return response;
      const answer = (await response.json()) as EventsPage;
      return Response.json({ ...answer, total: LIMITS.exactTotalCap, totalIsExact: false });
    };
    const { table } = await mountTable({}, record);
    expect(rangeText(table)).to.equal('1–25 of 100,000+');
    expect(shadow(table).querySelector('[role="table"]')!.getAttribute('aria-rowcount')).to.equal('-1');
    expect(pagerButton(table, 'Next page').disabled).to.equal(false);
    expect(pagerButton(table, 'Last page').disabled).to.equal(true);
  });

  it('goes back to the page it showed when a page typed past the end of an inexact total comes back empty', async () => {
    // More than 100,000 events whose real last page is 4,010 (pages up to it full, copies of page 1).
    const record = recorder();
    let first: EventsPage | undefined;
    record.intercept = async (url, forward) => {
      const response = await forward();
      if (url.pathname !== '/api/events') return response;
      const answer = (await response.json()) as EventsPage;
      first ??= answer;
      const page = Number(url.searchParams.get('page') ?? 1);
      return Response.json({ ...answer, page, items: page <= 4_010 ? first.items : [], total: LIMITS.exactTotalCap, totalIsExact: false });
    };
    const { table } = await mountTable({}, record);
    await nextPage(table, record, () => {
      table.page = 4_008;
    });
    await settled(table);
    expect(rows(table).length).to.equal(25);
    // Typed into the page box, as a person does: the box shows the page it returns to.
    const box = shadow(table).querySelector<HTMLInputElement>('.page-input input')!;
    await nextPage(table, record, () => {
      box.value = '4012';
      box.dispatchEvent(new Event('change'));
    });
    await waitUntil(() => lastEventsRequest(record).params.page === '4008', 'the page it showed is asked for again');
    await settled(table);
    expect(table.page).to.equal(4_008);
    expect(rows(table).length).to.equal(25);
    expect(box.value).to.equal('4008');
  });

  it('names the page box "Page" and describes it with the page count', async () => {
    const { table } = await mountTable();
    await settled(table);
    type AxNode = { role?: string; name?: string; description?: string; children?: AxNode[] };
    const find = (node: AxNode): AxNode | undefined => (node.role === 'spinbutton' ? node : (node.children ?? []).map(find).find(Boolean));
    const box = find((await a11ySnapshot({})) as unknown as AxNode)!;
    const pages = shadow(table).querySelector('#page-of')!.textContent;
    expect(pages).to.match(/^of \d[\d,]*$/);
    expect([box.name, box.description]).to.deep.equal(['Page', pages]);
  });

  it('changes the page size with page-size, and refuses a bad one with usage-error', async () => {
    const { record } = await mountTable({ 'page-size': '50' });
    expect(lastEventsRequest(record).params.pageSize).to.equal('50');

    const errors: UsageErrorEvent[] = [];
    const table = document.createElement('consumption-events-table');
    table.addEventListener('usage-error', (e) => errors.push(e));
    table.setAttribute('data-endpoint', '/api');
    table.setAttribute('page-size', '0');
    table.setAttribute('sort', 'bogus');
    table.requestOptions = record.requestOptions;
    await fixture(html`${table}`);
    await settled(table);
    expect(errors.map((e) => e.detail.param)).to.include.members(['page-size', 'sort']);
    expect(lastEventsRequest(record).params).to.include({ pageSize: '25', sort: 'created' });
  });

  it('asks again when configureUsageDashboard sets the page-wide options after its first request', async () => {
    await demoServer().ready;
    const record = recorder();
    const table = document.createElement('consumption-events-table');
    table.setAttribute('data-endpoint', '/api');
    const failed = oneEvent(table, 'usage-error');
    await fixture(html`${table}`);
    // No options yet: the page's own fetch reaches no contract there.
    await failed;
    expect(record.to('events')).to.have.length(0);
    try {
      configureUsageDashboard(record.requestOptions);
      await waitUntil(() => record.to('events').length === 1, 'the table asked again with the page-wide options', { timeout: 5_000 });
      await settled(table);
      expect(table.hasAttribute('error')).to.equal(false);
      expect(rows(table).length).to.equal(25);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[Symbol.for('usage-dashboard.request-options')];
    }
  });

  it('returns to the defaults when sort, order or page-size is removed, reporting nothing', async () => {
    const { table, record } = await mountTable({ sort: 'amount', order: 'asc', 'page-size': '10' });
    expect(lastEventsRequest(record).params).to.include({ sort: 'amount', order: 'asc', pageSize: '10' });
    const errors: UsageErrorEvent[] = [];
    table.addEventListener('usage-error', (e) => errors.push(e));
    for (const attribute of ['sort', 'order', 'page-size']) table.removeAttribute(attribute);
    await settled(table);
    expect(errors).to.have.length(0);
    expect([table.sort, table.order, table.pageSize]).to.deep.equal(['created', 'desc', 25]);
    expect(lastEventsRequest(record).params).to.include({ sort: 'created', order: 'desc', pageSize: '25' });
  });
});

describe('<consumption-events-table> cells', () => {
  before(async () => {
    await demoServer().ready;
  });

  for (const resourceType of ['tokens', 'storage', 'ocr'] as const) {
    it(`formats ${resourceType} amounts and times in the element's locale and time zone`, async () => {
      const { table, record } = await mountTable({ 'resource-type': resourceType, range: '90d', locale: 'de-DE', 'time-zone': 'Asia/Kolkata' });
      const answer = (await lastEventsRequest(record).answer)!;
      expect(answer.items.length).to.be.greaterThan(0);
      rows(table).forEach((row, i) => {
        const event = answer.items[i]!;
        expect(cell(row, 'amount').textContent!.trim()).to.equal(formatAmount(event.amount, resourceType, { locale: 'de-DE' }));
        expect(row.querySelector('time')!.textContent).to.equal(
          formatDateTime(event.created, { locale: 'de-DE', timeZone: 'Asia/Kolkata', style: 'medium' }),
        );
        expect(cell(row, 'created').title).to.contain(event.created);
        const exact = resourceType === 'storage' ? `${new Intl.NumberFormat('de-DE').format(event.amount)} ${event.amount === 1 ? 'byte' : 'bytes'}` : formatAmount(event.amount, resourceType, { locale: 'de-DE' });
        expect(cell(row, 'amount').title).to.equal(exact);
      });
      const unit = { tokens: /Token|token/, storage: /\d\s?(B|kB|MB|GB)$/, ocr: /page|Seite/ }[resourceType];
      expect(cell(rows(table)[0]!, 'amount').textContent!.trim()).to.match(unit);
    });
  }

  it('sets each date of a right-to-left locale in its own direction, not scrambled by the cell\'s left-to-right', async () => {
    for (const [locale, direction] of [['ar', 'rtl'], ['he', 'rtl'], ['en-US', 'ltr']] as const) {
      const { table } = await mountTable({ range: '90d', locale, 'time-zone': 'UTC' });
      const created = cell(rows(table)[0]!, 'created');
      expect(getComputedStyle(created).direction, locale).to.equal('ltr');
      expect(getComputedStyle(created.querySelector('time')!).direction, `${locale}: the date`).to.equal(direction);
      expect(getComputedStyle(created.querySelector('.full-instant bdi')!).direction, `${locale}: the full instant`).to.equal(direction);
      table.remove();
    }
  });

  it('names the pool category in words beside a shaped marker', async () => {
    const { table } = await mountTable({ range: '90d', sort: 'poolCategory' });
    const labels = new Set(rows(table).map((row) => cell(row, 'poolCategory').textContent!.trim()));
    expect([...labels].every((label) => ['Allocated', 'Surplus', 'Hybrid'].includes(label))).to.equal(true);
    const marker = cell(rows(table)[0]!, 'poolCategory').querySelector('.marker')!;
    expect(marker.getAttribute('data-pool')).to.be.oneOf(['allocated', 'surplus', 'hybrid']);
  });

  it('renders hostile strings in every column as text', async () => {
    const hostileUser = '<img src=x onerror="window.__pwned=1">';
    const hostileRequest = '"><script>window.__pwned=1</script>${x}{{y}}';
    const hostileEndpoint = '/v1/<b onmouseover=alert(1)>bold</b>\u202Eevil';
    await addUser(hostileUser);
    await ingest([ocrEvent(hostileUser, { requestId: hostileRequest, endpoint: hostileEndpoint })]);
    const { table } = await mountTable({ 'request-id': hostileRequest, 'user-href': '/admin/users/{userId}?tab=events' });
    const [row] = rows(table);
    expect(rows(table)).to.have.length(1);
    expect(cell(row!, 'userId').textContent!.trim()).to.equal(hostileUser);
    expect(cell(row!, 'requestId').textContent!.trim()).to.equal(hostileRequest);
    // Its right-to-left override written out, not obeyed (the next test).
    expect(cell(row!, 'endpoint').textContent!.trim()).to.equal('/v1/<b onmouseover=alert(1)>bold</b>⟨U+202E⟩evil');
    expect(shadow(table).querySelector('img, script, b')).to.equal(null);
    const link = cell(row!, 'userId').querySelector('a')!;
    expect(link.getAttribute('href')).to.equal(`/admin/users/${encodeURIComponent(hostileUser)}?tab=events`);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('writes out the directional controls in IDs rather than obey them, and keeps a right-to-left request ID in one piece', async () => {
    // Obeyed, the override drew this ID as "exe.live reversed": another ID than the stored one.
    const spoof = '\u202Eevil.exe\u202C reversed';
    const arabic = 'مستخدم-عربي-١٢٣-out\u202E';
    const shown = 'مستخدم-عربي-١٢٣-out⟨U+202E⟩';
    await addUser(spoof);
    // A day back, under the newest rows that later tests read.
    await ingest([ocrEvent(spoof, { requestId: arabic, endpoint: '/v1/\u2067ocr\u2069', created: new Date(Date.now() - 20 * 3_600_000).toISOString() })]);
    const { table } = await mountTable({ 'request-id': arabic, 'user-href': '/admin/users/{userId}' });
    const [row] = rows(table);
    expect(rows(table)).to.have.length(1);
    expect(cell(row!, 'userId').textContent!.trim()).to.equal('⟨U+202E⟩evil.exe⟨U+202C⟩ reversed');
    expect(cell(row!, 'userId').title).to.equal('⟨U+202E⟩evil.exe⟨U+202C⟩ reversed');
    expect(cell(row!, 'endpoint').textContent!.trim()).to.equal('/v1/⟨U+2067⟩ocr⟨U+2069⟩');
    // The link and the event keep the ID itself.
    expect(cell(row!, 'userId').querySelector('a')!.getAttribute('href')).to.equal(`/admin/users/${encodeURIComponent(spoof)}`);
    // An Arabic request ID is not cut in two: its two runs were drawn in each other's place.
    const request = cell(row!, 'requestId').querySelector<HTMLButtonElement>('button.link')!;
    expect(request.querySelector('.cut')!.textContent).to.equal('');
    expect(request.textContent!.trim()).to.equal(shown);
    // Named by what it shows (axe: label-content-name-mismatch with the stored ID).
    expect(request.getAttribute('aria-label')).to.equal(shown);
    await expect(table).to.be.accessible();
  });

  it('shows long values in full on hover (title) and on focus (the cell unwraps)', async () => {
    const { table } = await mountTable();
    table.style.width = '1000px';
    await table.updateComplete;
    const endpoint = cell(rows(table)[0]!, 'endpoint');
    expect(endpoint.title).to.equal(endpoint.textContent!.trim());
    expect(getComputedStyle(endpoint).whiteSpace).to.equal('nowrap');
    endpoint.focus();
    expect(getComputedStyle(endpoint).whiteSpace).to.equal('normal');
    const created = cell(rows(table)[0]!, 'created');
    const full = created.querySelector<HTMLElement>('.full-instant')!;
    created.focus();
    expect(getComputedStyle(full).display).to.equal('block');
    expect(full.textContent).to.contain(created.querySelector('time')!.getAttribute('datetime'));
    // Over the next row, not under it (each row stacks on its own).
    const box = full.getBoundingClientRect();
    expect(box.bottom).to.be.greaterThan(created.getBoundingClientRect().bottom);
    const hit = table.shadowRoot!.elementFromPoint(box.left + box.width / 2, box.bottom - 3);
    expect(hit === full, `the tooltip is on top, not ${hit?.localName}.${hit?.className}`).to.equal(true);
    // Dismissible (WCAG 1.4.13): Escape closes it, the focus staying; it shows again on the next focus.
    await sendKeys({ press: 'Escape' });
    expect(getComputedStyle(full).display).to.equal('none');
    expect(table.shadowRoot!.activeElement === created).to.equal(true);
    endpoint.focus();
    created.focus();
    expect(getComputedStyle(full).display).to.equal('block');
  });

  it('names an endpoint cell by the endpoint as written, its line-break hints left out', async () => {
    const { table } = await mountTable();
    const endpoint = cell(rows(table).find((r) => cell(r, 'endpoint').textContent!.trim().split('/').length > 3)!, 'endpoint');
    const written = endpoint.textContent!.trim();
    expect(endpoint.querySelector('wbr'), 'it may break after a slash').to.not.equal(null);
    type AxNode = { role?: string; name?: string; children?: AxNode[] };
    const cells = (node: AxNode): string[] => [...(node.role === 'cell' && node.name ? [node.name] : []), ...(node.children ?? []).flatMap(cells)];
    // Chromium named it "/ v1/ chat/ completions", a space at each hint.
    const named = cells((await a11ySnapshot({})) as unknown as AxNode);
    expect(named).to.include(written);
    expect(named).to.not.include(written.replace(/\/(?=.)/g, '/ '));
  });

  it('cuts a request ID too long for its column in the middle, keeping its end in view, and shows it whole on focus', async () => {
    const { table } = await mountTable();
    table.style.width = '1000px';
    await table.updateComplete;
    const row = rows(table).find((r) => cell(r, 'requestId').textContent!.trim().length === 28)!;
    const id = cell(row, 'requestId');
    const link = id.querySelector<HTMLButtonElement>('.link')!;
    const full = id.textContent!.trim();
    const head = link.querySelector<HTMLElement>('.cut')!;
    // One text, one name: the ID as a whole.
    expect(link.textContent!.trim()).to.equal(full);
    const after = [...link.childNodes].slice([...link.childNodes].indexOf(head) + 1);
    const tailText = after.find((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== '')!;
    expect(head.textContent! + tailText.textContent).to.equal(full);
    // As a screen reader names it: whole, not its two parts as two words ("req_sYnrn…Msh ttISZt").
    type AxNode = { role?: string; name?: string; children?: AxNode[] };
    const names = (node: AxNode): string[] => [...(node.role === 'button' && node.name ? [node.name] : []), ...(node.children ?? []).flatMap(names)];
    expect(names((await a11ySnapshot({})) as unknown as AxNode)).to.include(full);
    // The start is cut (the ellipsis), the last six characters are drawn inside the cell.
    expect(head.scrollWidth).to.be.above(head.clientWidth, 'the start is cut');
    expect(getComputedStyle(head).position, 'none of the sticky header rows group style').to.equal('static');
    const tail = document.createRange();
    tail.selectNodeContents(tailText);
    const drawn = tail.getBoundingClientRect();
    expect(tail.toString()).to.equal(full.slice(-6));
    expect(drawn.width).to.be.above(0);
    expect(drawn.right).to.be.at.most(id.getBoundingClientRect().right + 1, 'the end is in view');
    expect(drawn.left).to.be.at.least(head.getBoundingClientRect().right - 1, 'after the cut start');
    // Focused, the cell unwraps and the whole ID flows as one text.
    const whole = head.scrollWidth;
    link.focus();
    expect(getComputedStyle(link).display, 'no longer a row of two parts').not.to.equal('flex');
    const rects = [...head.getClientRects()];
    expect(rects.reduce((sum, r) => sum + r.width, 0)).to.be.at.least(whole - 1);
    table.style.width = '';
  });

  it("draws the copy button's icon as SVG, hidden from screen readers", async () => {
    const { table } = await mountTable();
    const icon = rows(table)[0]!.querySelector('.copy svg')!;
    const svgNs = 'http://www.w3.org/2000/svg';
    expect(icon.namespaceURI).to.equal(svgNs);
    expect(icon.querySelector('path')!.namespaceURI).to.equal(svgNs);
    expect(icon.getAttribute('viewBox')).to.equal('0 0 16 16');
    expect(icon.getAttribute('aria-hidden')).to.equal('true');
    expect(icon.getBoundingClientRect().width).to.be.greaterThan(0);
  });

  it('copies a request ID', async () => {
    const { table } = await mountTable();
    const written: string[] = [];
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void written.push(text) },
    });
    try {
      const row = rows(table)[0]!;
      // Each row's button is named with its own ID (25 buttons called "Copy request ID" alike
      // told a screen reader's or a voice control's user nothing of which).
      const id = cell(row, 'requestId').textContent!.trim();
      expect(row.querySelector('.copy')!.getAttribute('aria-label')).to.equal(`Copy request ID ${id}`);
      row.querySelector<HTMLButtonElement>('.copy')!.click();
      await waitUntil(() => written.length === 1);
      expect(written[0]).to.equal(cell(row, 'requestId').textContent!.trim());
      await waitUntil(() => row.querySelector('.copy path')!.getAttribute('d')!.startsWith('M13.8'), 'the copy button confirms');
      // …and says so to a screen reader, in the toolbar's status.
      const status = table.shadowRoot!.querySelector<HTMLElement>('.toolbar-message[role="status"]')!;
      expect(status.textContent).to.equal('Request ID copied.');
      // A confirmation, not a failure: in the muted colour, not the danger one.
      const colour = (name: string) => {
        const probe = document.createElement('span');
        probe.style.color = `var(${drawnToken(name)})`;
        table.shadowRoot!.append(probe);
        const value = getComputedStyle(probe).color;
        probe.remove();
        return value;
      };
      expect(getComputedStyle(status).color).to.equal(colour('--usage-color-muted'));
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
      if (original) Object.defineProperty(Navigator.prototype, 'clipboard', original);
    }
  });

  it('says when a request ID cannot be copied, as an alert', async () => {
    const { table } = await mountTable();
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async () => Promise.reject(new Error('Write permission denied.')) },
    });
    try {
      rows(table)[0]!.querySelector<HTMLButtonElement>('.copy')!.click();
      await waitUntil(() => table.shadowRoot!.querySelector('[part~="toolbar"] [role="alert"]'), 'the failure is shown');
      expect(table.shadowRoot!.querySelector('[part~="toolbar"] [role="alert"]')!.textContent).to.equal('The request ID could not be copied: Write permission denied.');
      expect(table.shadowRoot!.querySelector('.toolbar-message[role="status"]')!.textContent).to.equal('');
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
      if (original) Object.defineProperty(Navigator.prototype, 'clipboard', original);
    }
  });
});

describe('<consumption-events-table> in a host of a set height', () => {
  before(async () => {
    await demoServer().ready;
  });

  for (const [name, style] of [
    ['a height on the element', 'height: 400px'],
    ['a flex child of a 400 px column', 'flex: 1; min-height: 0'],
  ] as const) {
    it(`stays inside ${name}, its rows scrolling inside, the pager in view`, async () => {
      const { table } = await mountTable();
      table.setAttribute('style', style);
      const holder = document.createElement('div');
      holder.style.cssText = 'display: flex; flex-direction: column; height: 400px';
      table.replaceWith(holder);
      holder.append(table);
      const after = document.createElement('p');
      after.textContent = 'After the table';
      holder.after(after);
      try {
        await table.updateComplete;
        const host = table.getBoundingClientRect();
        expect(Math.round(host.height)).to.equal(400);
        const base = shadow(table).querySelector<HTMLElement>('[part~="base"]')!.getBoundingClientRect();
        expect(base.bottom, 'the frame ends with the host').to.be.at.most(host.bottom + 0.5);
        expect(after.getBoundingClientRect().top, 'the page after it is not covered').to.be.at.least(base.bottom - 0.5);
        const scroll = shadow(table).querySelector<HTMLElement>('.scroll')!;
        expect(scroll.scrollHeight, 'the rows scroll inside').to.be.greaterThan(scroll.clientHeight);
        const pager = shadow(table).querySelector<HTMLElement>('[part~="pager"]')!.getBoundingClientRect();
        expect(pager.bottom, 'the pager is inside the host').to.be.at.most(host.bottom + 0.5);
      } finally {
        after.remove();
      }
    });
  }

  it('is as tall as its rows in a host of auto height', async () => {
    const { table } = await mountTable();
    const scroll = shadow(table).querySelector<HTMLElement>('.scroll')!;
    expect(scroll.scrollHeight).to.be.at.most(scroll.clientHeight + 1);
    expect(rows(table)).to.have.length(25);
  });
});

describe('<consumption-events-table> under forced colours', () => {
  before(async () => {
    await demoServer().ready;
  });
  afterEach(() => emulateForcedColors(false));

  it('keeps the sort arrows and the pool markers in the text colour', async () => {
    for (const pool of ['allocated', 'surplus', 'hybrid']) {
      const { table } = await mountTable({ range: '30d', 'page-size': '5', 'pool-categories': pool });
      await emulateForcedColors(true);
      const text = getComputedStyle(shadow(table).querySelector('[part~="base"]')!).color;
      for (const column of ['created', 'amount']) {
        const [, , ...borders] = fills(sortButton(table, column).querySelector('.sort-icon')!);
        // A triangle: its sides transparent, its base painted (a square when all four are).
        expect(borders.filter((border) => !border.endsWith('rgba(0, 0, 0, 0)')), column).to.have.length(1);
      }
      const marker = shadow(table).querySelector(`.marker[data-pool="${pool}"]`);
      expect(marker, pool).to.not.equal(null);
      expect(getComputedStyle(marker!).backgroundColor, pool).to.equal(text);
      await emulateForcedColors(false);
      table.remove();
    }
  });
});

describe('<consumption-events-table> states', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('keeps the old rows at full contrast under a visible progress bar while a page loads, passing axe', async () => {
    const record = recorder();
    const { table } = await mountTable({}, record);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    record.intercept = async (url, forward) => {
      if (url.searchParams.get('page') === '2') await held;
      return forward();
    };
    const before = rows(table).map((row) => row.textContent);
    pagerButton(table, 'Next page').click();
    await waitUntil(() => table.loading, 'loading');
    expect(table.getAttribute('aria-busy')).to.equal('true');
    expect(table.hasAttribute('loading')).to.equal(true);
    expect(shadow(table).querySelector('[part~="loading-frame"]')!.hasAttribute('data-loading')).to.equal(true);
    expect(shadow(table).querySelector('[role="progressbar"]')).not.to.equal(null);
    expect(rows(table).map((row) => row.textContent)).to.deep.equal(before);
    // Nothing dims (dimmed text fails axe's contrast check), past any fade that could run.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let box: Element | null = cell(rows(table)[0]!, 'created').querySelector('time'); box; box = box.parentElement) {
      expect(getComputedStyle(box).opacity, `opacity of ${box.className || box.tagName}`).to.equal('1');
    }
    await expect(table).to.be.accessible();
    const centre = (element: Element): [number, number] => {
      const box = element.getBoundingClientRect();
      return [box.left + box.width / 2, box.top + box.height / 2];
    };
    // The progress bar shows above the sticky headers, not under them.
    const progress = shadow(table).querySelector('[role="progressbar"]')!;
    expect(shadow(table).elementFromPoint(...centre(progress)) === progress, 'the progress bar is on top').to.equal(true);
    // The pointer cannot reach the rows, and still reaches the headers.
    const userButton = cell(rows(table)[0]!, 'userId').querySelector('button')!;
    expect(userButton.contains(shadow(table).elementFromPoint(...centre(userButton)))).to.equal(false);
    const sort = sortButton(table, 'amount');
    expect(sort.contains(shadow(table).elementFromPoint(...centre(sort)))).to.equal(true);
    release();
    await waitUntil(() => !table.loading, 'loaded');
    expect(table.hasAttribute('aria-busy')).to.equal(false);
    expect(rows(table)[0]!.getAttribute('aria-rowindex')).to.equal('27');
  });

  it('says that no events match, naming the active filters', async () => {
    const { table } = await mountTable({ 'user-ids': 'nobody-at-all', 'resource-type': 'ocr' });
    const empty = shadow(table).querySelector('[part~="empty"]')!;
    expect(empty.textContent).to.contain('No events match');
    expect(empty.textContent).to.contain('nobody-at-all');
    expect(empty.textContent).to.contain('resource type OCR');
    expect(rows(table)).to.have.length(0);
    await expect(table).to.be.accessible();
  });

  it('while the next answer loads, says it is loading, not that no events match filters no longer set', async () => {
    const { table, record } = await mountTable({ 'user-ids': 'nobody-at-all', 'resource-type': 'ocr' });
    expect(shadow(table).querySelector('[part~="empty"]') !== null, 'the empty message').to.equal(true);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    record.intercept = async (_url, forward) => {
      await gate;
      return forward();
    };
    table.removeAttribute('user-ids');
    await waitUntil(() => table.loading, 'the next answer is on its way');
    await table.updateComplete;
    // Booleans, not nodes: a failing comparison of a DOM node hangs the run.
    expect(shadow(table).querySelector('[part~="empty"]') === null, 'no "No events match"').to.equal(true);
    expect(shadow(table).querySelector('.usage-state[role="status"]')?.textContent).to.equal('Loading events…');
    release();
    await waitUntil(() => !table.loading && rows(table).length > 0, 'the rows arrive');
  });

  it('keeps the focus on a sort button pressed while no events match (the header stays from loading to empty)', async () => {
    const { table, record } = await mountTable({ 'user-ids': 'nobody-at-all', 'resource-type': 'ocr' });
    const button = sortButton(table, 'userId');
    button.focus();
    await nextPage(table, record, () => sendKeys({ press: 'Enter' }));
    expect(shadow(table).querySelector('[part~="empty"]') !== null, 'still empty').to.equal(true);
    expect(sortButton(table, 'userId') === button, 'the same button').to.equal(true);
    expect(shadow(table).activeElement === button, 'the button keeps the focus').to.equal(true);
  });

  it('moves the focus to its column\'s sort button when a filter change takes away the focused row, never to the page', async () => {
    const { table, record } = await mountTable();
    cell(rows(table)[3]!, 'created').focus();
    await nextPage(table, record, () => table.setAttribute('user-ids', 'nobody-at-all'));
    expect(rows(table)).to.have.length(0);
    expect(shadow(table).activeElement === sortButton(table, 'created'), 'the Created sort button').to.equal(true);
  });

  it('keeps the rows shown under the error when a refresh of their page fails, not under filters they do not answer', async () => {
    const { table, record } = await mountTable();
    const ids = rows(table).map((row) => row.dataset.id ?? cell(row, 'requestId').textContent);
    record.intercept = (url, forward) =>
      url.pathname === '/api/events' ? Promise.resolve(Response.json({ error: { code: 'bad_parameter', message: 'The store is restarting.' } }, { status: 400 })) : forward();
    // The same page asked again (here: the host hands over new credentials).
    table.requestOptions = { ...record.requestOptions };
    await waitUntil(() => table.error, 'the refresh fails');
    await table.updateComplete;
    expect(shadow(table).querySelector('[part~="error"]')!.textContent).to.contain('The store is restarting.');
    expect(rows(table).map((row) => row.dataset.id ?? cell(row, 'requestId').textContent)).to.deep.equal(ids);
    expect(rangeText(table)).to.match(/^1–25 of /);
    await expect(table).to.be.accessible();
    // Retry: the rows stay as they are (not drawn anew), dimmed, while it loads.
    const first = rows(table)[0];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    record.intercept = async (_url, forward) => (await gate, forward());
    shadow(table).querySelector<HTMLButtonElement>('[part~="retry"]')!.click();
    await waitUntil(() => table.loading, 'Retry asks again');
    await table.updateComplete;
    expect(rows(table)[0] === first, 'the same row').to.equal(true);
    release();
    await waitUntil(() => !table.loading && !table.error, 'the answer');
    record.intercept = (url, forward) =>
      url.pathname === '/api/events' ? Promise.resolve(Response.json({ error: { code: 'bad_parameter', message: 'The store is restarting.' } }, { status: 400 })) : forward();
    // Other filters: the rows are not theirs.
    table.setAttribute('resource-type', 'ocr');
    await waitUntil(() => lastEventsRequest(record).params.resourceType === 'ocr' && table.error && !table.loading, 'the new filters fail');
    await table.updateComplete;
    expect(rows(table)).to.have.length(0);
    expect(shadow(table).querySelector('[part~="error"]') !== null, 'the error').to.equal(true);
  });

  it('shows the endpoint message in an alert with Retry, and fires usage-error', async () => {
    const record = recorder();
    let fail = true;
    record.intercept = async (url, forward) =>
      fail && url.pathname === '/api/events'
        ? Response.json({ error: { code: 'bad_parameter', message: 'page is <b>too</b> far', param: 'page' } }, { status: 400 })
        : forward();
    const table = document.createElement('consumption-events-table');
    table.setAttribute('data-endpoint', '/api');
    table.requestOptions = record.requestOptions;
    const errorEvent = oneEvent(table, 'usage-error');
    await fixture(html`${table}`);
    const { detail } = await errorEvent;
    expect(detail).to.include({ code: 'bad_parameter', message: 'page is <b>too</b> far', param: 'page', status: 400 });
    await settled(table);
    const alert = shadow(table).querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('page is <b>too</b> far');
    expect(alert.textContent!.trim()).to.match(/^Consumption events:/);
    expect(table.hasAttribute('error')).to.equal(true);
    await expect(table).to.be.accessible();
    fail = false;
    alert.querySelector('button')!.click();
    await waitUntil(() => rows(table).length === 25, 'the retry shows rows');
    expect(table.hasAttribute('error')).to.equal(false);
  });

  it('asks again by itself after a failure that may pass: back online, the rows come back and the focus on Retry lands in the table', async () => {
    const record = recorder();
    const refusal = refuseRequests(record, 'events', 500, 'internal', 'The server failed.');
    const { table } = await mountTable({}, record);
    const alert = shadow(table).querySelector('[role="alert"]')!;
    expect(alert.textContent!.replace(/\s+/g, ' ')).to.contain('The server failed. Retrying by itself.');
    alert.querySelector<HTMLButtonElement>('[part~="retry"]')!.focus();
    refusal.allow();
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => rows(table).length === 25, 'the rows come back');
    expect(table.error).to.equal(false);
    await waitUntil(() => shadow(table).activeElement?.matches('[part~="sort-button"]'), 'the focus lands on the first sort button');
  });

  it('says when to try again after a 429 whose Retry-After is longer than the client waits, and holds Retry until then', async () => {
    const record = recorder();
    let limited = true;
    record.intercept = async (url, forward) =>
      limited && url.pathname === '/api/events' ? errorResponse(429, 'rate_limited', 'Too many requests.', { headers: { 'Retry-After': '120' } }) : forward();
    const { table } = await mountTable({ locale: 'en-US' }, record);
    const alert = shadow(table).querySelector('[role="alert"]')!;
    expect(alert.textContent!.replace(/\s+/g, ' ')).to.match(/Too many requests\. Try again at \w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d [AP]M\./);
    const retry = alert.querySelector<HTMLButtonElement>('[part~="retry"]')!;
    // aria-disabled, not disabled: it keeps the focus it may have.
    expect(retry.getAttribute('aria-disabled')).to.equal('true');
    const asked = record.to('events').length;
    limited = false;
    retry.click();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(record.to('events').length, 'an early press asks nothing').to.equal(asked);
    expect(table.error).to.equal(true);
    await expect(table).to.be.accessible();
  });

  it('never lets a stale answer replace a newer one', async () => {
    const record = recorder();
    const { table } = await mountTable({}, record);
    let releaseStale!: () => void;
    const stale = new Promise<void>((resolve) => (releaseStale = resolve));
    record.intercept = async (url, forward) => {
      const response = await forward();
      if (url.searchParams.get('sort') === 'userId') await stale;
      return response;
    };
    sortButton(table, 'userId').click();
    await waitUntil(() => record.to('events').some((r) => r.params.sort === 'userId'), 'the first request leaves');
    await nextPage(table, record, () => sortButton(table, 'amount').click());
    const amountsFirst = rows(table).map((row) => cell(row, 'amount').title);
    releaseStale();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await table.updateComplete;
    expect(rows(table).map((row) => cell(row, 'amount').title)).to.deep.equal(amountsFirst);
    expect(table.sort).to.equal('amount');
    expect(sortButton(table, 'amount').parentElement!.getAttribute('aria-sort')).to.equal('descending');
  });

  it('is accessible in light and dark, and compact rows are denser', async () => {
    const { table } = await mountTable();
    await expect(table).to.be.accessible();
    const height = rows(table)[0]!.getBoundingClientRect().height;
    table.setAttribute('theme', 'dark');
    table.compact = true;
    await table.updateComplete;
    await expect(table).to.be.accessible();
    expect(rows(table)[0]!.getBoundingClientRect().height).to.be.lessThan(height);
    expect(getComputedStyle(table).getPropertyValue(drawnToken('--usage-color-surface')).trim()).to.equal('#161b22');
  });

  it('shows each event as a labelled card on a narrow screen, without scrolling sideways', async () => {
    const { table } = await mountTable();
    const scroller = shadow(table).querySelector<HTMLElement>('.scroll')!;
    const created = cell(rows(table)[0]!, 'created');
    // Columns a host made wider than the room (every column fits from the cards' width up).
    table.style.width = '800px';
    table.style.setProperty('--consumption-events-table-columns', 'repeat(8, 150px)');
    await table.updateComplete;
    expect(scroller.scrollWidth).to.be.greaterThan(scroller.clientWidth + 1, 'wider than its room: columns');
    // More columns past the edge show as a shadow there (fixed to the scroller; covered where nothing lies past it).
    const layers = getComputedStyle(scroller);
    expect(layers.backgroundImage.match(/radial-gradient/g), 'a shadow at each edge').to.have.length(2);
    expect(layers.backgroundAttachment).to.equal('local, local, scroll, scroll');
    table.style.removeProperty('--consumption-events-table-columns');
    table.style.width = '360px';
    await table.updateComplete;
    expect(scroller.scrollWidth).to.be.at.most(scroller.clientWidth + 1);
    // The sort buttons wrap onto more lines rather than run past the card's edge.
    const headers = shadow(table).querySelector<HTMLElement>('.header-row')!;
    expect(headers.scrollWidth).to.be.at.most(headers.clientWidth + 1);
    for (const button of headers.querySelectorAll('button')) {
      expect(button.getBoundingClientRect().right).to.be.at.most(headers.getBoundingClientRect().right + 1, button.textContent!);
    }
    expect(getComputedStyle(created, '::before').content).to.contain('Created');
    const amount = cell(rows(table)[0]!, 'amount');
    expect(amount.getBoundingClientRect().top).to.equal(created.getBoundingClientRect().top, 'amount beside created');
    expect(cell(rows(table)[0]!, 'userId').getBoundingClientRect().top).to.be.greaterThan(created.getBoundingClientRect().top);
    // The focused Created cell's full instant wraps inside the card instead of running past its edge.
    created.focus();
    const full = created.querySelector<HTMLElement>('.full-instant')!.getBoundingClientRect();
    expect(full.right).to.be.at.most(scroller.getBoundingClientRect().right);
    expect(full.height).to.be.greaterThan(created.querySelector('time')!.getBoundingClientRect().height * 1.5, 'on two lines');
    created.blur();
    // A request ID too long for its line wraps in lines of even length, not with its last characters alone.
    const lines = rows(table).map((row) => {
      const range = document.createRange();
      range.selectNodeContents(cell(row, 'requestId').querySelector('.link')!);
      // One box per line (the cut head's and the tail's boxes on a line merged).
      const byLine = new Map<number, number>();
      for (const box of range.getClientRects()) byLine.set(Math.round(box.top), (byLine.get(Math.round(box.top)) ?? 0) + box.width);
      return [...byLine.values()];
    });
    expect(lines.some((widths) => widths.length > 1), 'some request ID wraps at 360 px').to.equal(true);
    for (const widths of lines) if (widths.length > 1) expect(widths.at(-1)!, String(widths)).to.be.at.least(widths[0]! / 2);
    await expect(table).to.be.accessible();
    // At 320 px (WCAG 1.4.10 reflow) a card cuts no value short ("1,644 tok…"): it wraps.
    table.style.width = '320px';
    await table.updateComplete;
    for (const row of rows(table)) {
      for (const box of row.querySelectorAll<HTMLElement>('.cell, .cell .link')) {
        expect(box.scrollWidth, `"${box.textContent!.trim()}" cut short`).to.be.at.most(box.clientWidth + 1);
      }
    }
  });

  it('fits every column into a laptop page beside a sidebar (1,000px), with headers that wrap and instants whole', async () => {
    const { table } = await mountTable();
    const scroller = shadow(table).querySelector<HTMLElement>('.scroll')!;
    table.style.width = '1000px';
    await table.updateComplete;
    expect(scroller.scrollWidth).to.be.at.most(scroller.clientWidth + 1, 'no column past the edge');
    // The widest instant of the page whole (a two-digit day and hour too), in columns, not cards.
    for (const row of rows(table)) {
      const created = cell(row, 'created');
      expect(created.scrollWidth, created.textContent!).to.be.at.most(created.clientWidth);
    }
    expect(getComputedStyle(cell(rows(table)[0]!, 'created'), '::before').content).to.equal('none', 'columns, not cards');
    const headers = shadow(table).querySelector<HTMLElement>('.header-row')!;
    for (const button of headers.querySelectorAll<HTMLElement>('[part~="sort-button"]')) {
      const cellBox = button.parentElement!.getBoundingClientRect();
      expect(button.scrollWidth, button.textContent!).to.be.at.most(button.clientWidth + 1);
      expect(button.getBoundingClientRect().right).to.be.at.most(cellBox.right + 1, button.textContent!);
    }
    // The wide table above it keeps its roomier cells and one-line headers.
    table.style.width = '1400px';
    await table.updateComplete;
    const heights = [...headers.querySelectorAll<HTMLElement>('[part~="sort-button"]')].map((b) => b.getBoundingClientRect().height);
    expect(Math.max(...heights) - Math.min(...heights)).to.be.below(1, 'one line each');
    // …and, from a 1,366-px laptop's page, the request IDs of the usual length (the
    // troubleshooting column; 28 characters) whole: Created and Amount keep less spare room.
    table.style.width = '1340px';
    await table.updateComplete;
    const ids = rows(table).map((row) => cell(row, 'requestId')).filter((id) => id.textContent!.trim().length <= 28);
    expect(ids.length).to.be.above(5);
    for (const id of ids) {
      for (const part of [id, ...id.querySelectorAll('*')]) expect(part.scrollWidth, id.textContent!).to.be.at.most(part.clientWidth + 1);
    }
    table.style.width = '';
  });

  it('keeps every column in view on a tablet held upright (760–880px), Created and Endpoint on two lines', async () => {
    const { table } = await mountTable();
    const scroller = shadow(table).querySelector<HTMLElement>('.scroll')!;
    const unit = (parseFloat(getComputedStyle(table).fontSize) * 8) / 7;
    let wrapped = false;
    for (const width of [880, 820, 760]) {
      table.style.width = `${width}px`;
      await table.updateComplete;
      const label = `${width}px`;
      expect(getComputedStyle(cell(rows(table)[0]!, 'created'), '::before').content).to.equal('none', `${label}: columns, not cards`);
      expect(scroller.scrollWidth, label).to.be.at.most(scroller.clientWidth + 1);
      const endpointHeader = sortButton(table, 'endpoint').getBoundingClientRect();
      expect(endpointHeader.right, `${label}: Endpoint in view`).to.be.at.most(scroller.getBoundingClientRect().right + 1);
      for (const row of rows(table)) {
        for (const key of ['created', 'amount', 'endpoint']) {
          const box = cell(row, key);
          expect(box.scrollWidth, `${label}: ${box.textContent!.trim()} whole`).to.be.at.most(box.clientWidth + 1);
        }
        // The endpoint breaks after a slash ("/v1/chat/" "completions"), never inside a word, and reads as it is.
        const endpoint = cell(row, 'endpoint');
        expect(endpoint.textContent!.trim()).to.equal(endpoint.title);
        // (A path's segments, that is: the fixture's hostile endpoints, one long run, break where they must.)
        if (!/^(\/[\w.-]{1,12})+$/.test(endpoint.title)) continue;
        const chars: { char: string; top: number }[] = [];
        const walker = document.createTreeWalker(endpoint, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const text = walker.currentNode as Text;
          for (let i = 0; i < text.data.length; i += 1) {
            if (!text.data[i]!.trim()) continue;
            const range = document.createRange();
            range.setStart(text, i);
            range.setEnd(text, i + 1);
            chars.push({ char: text.data[i]!, top: Math.round(range.getBoundingClientRect().top) });
          }
        }
        chars.forEach(({ top }, i) => {
          if (i > 0 && top > chars[i - 1]!.top) expect(chars[i - 1]!.char, `${label}: ${endpoint.title} breaks after a slash`).to.equal('/');
        });
        wrapped ||= new Set(chars.map((c) => c.top)).size > 1;
      }
    }
    expect(wrapped, 'some endpoint took two lines').to.equal(true);
    // Wider, an endpoint too long for its column stays on one line, cut (Chromium breaks at a <wbr> in a cell that does not wrap).
    table.style.width = '1400px';
    table.style.setProperty('--consumption-events-table-columns', 'repeat(7, minmax(0, 1fr)) 4.5em');
    await table.updateComplete;
    for (const row of rows(table)) {
      const endpoint = cell(row, 'endpoint');
      expect(endpoint.scrollWidth, endpoint.title).to.be.above(endpoint.clientWidth);
      expect(endpoint.getBoundingClientRect().height, endpoint.title).to.be.closeTo(cell(row, 'resourceType').getBoundingClientRect().height, 1);
    }
    table.style.removeProperty('--consumption-events-table-columns');
    // Narrower than the columns' least width (46.75 × 16px at 14px), cards.
    table.style.width = `${Math.floor(46.75 * unit) - 2}px`;
    await table.updateComplete;
    expect(getComputedStyle(cell(rows(table)[0]!, 'created'), '::before').content).to.include('Created');
    table.style.width = '';
  });

  it('takes the width a host that sizes it to its content gives it: the wide table, or less when there is less', async () => {
    const { table } = await mountTable();
    // The table's lengths follow its own font size (16px at the default 14px), not the page's root.
    const unit = (parseFloat(getComputedStyle(table).fontSize) * 8) / 7;
    const home = table.parentElement!;
    let cards = false;
    const width = (css: string): number => {
      const outer = document.createElement('div');
      outer.style.cssText = css;
      const inner = document.createElement('div');
      inner.style.display = 'inline-block';
      outer.append(inner);
      home.append(outer);
      inner.append(table);
      const measured = table.getBoundingClientRect().width;
      cards = getComputedStyle(cell(rows(table)[0]!, 'created'), '::before').content.includes('Created');
      home.append(table);
      outer.remove();
      return measured;
    };
    // An inline-block (like a <dialog>, an auto grid column) as wide as the wide table…
    expect(width('width: 2000px')).to.be.closeTo(71 * unit + 2, 1);
    expect(cards).to.equal(false);
    // A host page that shrinks its root font (html { font-size: 62.5% }) changes nothing.
    document.documentElement.style.fontSize = '62.5%';
    try {
      expect(width('width: 2000px')).to.be.closeTo(71 * unit + 2, 1);
      expect(cards).to.equal(false);
      expect(width('width: 600px')).to.equal(600);
      expect(cards, 'cards below 704px').to.equal(true);
    } finally {
      document.documentElement.style.fontSize = '';
    }
    // …and no wider than the room it has, where the table turns into cards.
    expect(width('width: 500px')).to.equal(500);
    expect(cards).to.equal(true);
  });
});

describe('<consumption-events-table> host events and export', () => {
  // The files saved, caught before the browser acts on the link: a real download in the
  // test browser is no part of the test (and may take the page away).
  const saved: HTMLAnchorElement[] = [];
  const catchDownload = (event: Event): void => {
    if (!(event.target instanceof HTMLAnchorElement) || !event.target.download) return;
    event.preventDefault();
    saved.push(event.target);
  };
  before(async () => {
    document.addEventListener('click', catchDownload, true);
    await demoServer().ready;
  });
  after(() => document.removeEventListener('click', catchDownload, true));

  it('fires usage-user-select and, unprevented, narrows its filters to that user as a person would', async () => {
    const { table, record } = await mountTable();
    const button = cell(rows(table)[0]!, 'userId').querySelector('button')!;
    const userId = button.textContent!.trim();
    const selected = oneEvent(table, 'usage-user-select') as Promise<UsageUserSelectEvent>;
    const changed = oneEvent(table, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    const request = await nextPage(table, record, () => button.click());
    expect((await selected).detail.userId).to.equal(userId);
    expect((await changed).detail.state.userIds).to.deep.equal([userId]);
    expect(request.params.userId).to.equal(userId);
  });

  it('does nothing more when the host prevents usage-user-select', async () => {
    const { table, record } = await mountTable();
    table.addEventListener('usage-user-select', (e) => e.preventDefault());
    const count = record.to('events').length;
    cell(rows(table)[0]!, 'userId').querySelector('button')!.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(record.to('events').length).to.equal(count);
  });

  it('makes user IDs links with user-href; a host that prevents the event routes itself', async () => {
    const { table } = await mountTable({ 'user-href': '/admin/users/{userId}' });
    const link = cell(rows(table)[0]!, 'userId').querySelector('a')!;
    const userId = link.textContent!.trim();
    expect(link.getAttribute('href')).to.equal(`/admin/users/${encodeURIComponent(userId)}`);
    let seen: UsageUserSelectEvent | undefined;
    table.addEventListener('usage-user-select', (e) => {
      seen = e;
      e.preventDefault();
    });
    const page = location.href;
    link.click();
    expect(seen?.detail.userId).to.equal(userId);
    expect(location.href).to.equal(page);
  });

  it('encodes the user ID into the user-href link', async () => {
    const userId = 'we/ird?id#1 ü&x=y';
    await addUser(userId);
    await ingest([ocrEvent(userId)]);
    const { table } = await mountTable({ 'user-href': '/admin/users/{userId}/events?u={userId}', 'user-ids': userId });
    expect(rows(table)).to.have.length(1);
    const link = cell(rows(table)[0]!, 'userId').querySelector('a')!;
    const encoded = encodeURIComponent(userId);
    expect(link.getAttribute('href')).to.equal(`/admin/users/${encoded}/events?u=${encoded}`);
    expect(link.textContent!.trim()).to.equal(userId);
  });

  it('narrows the shared state of <usage-filters> to a user, for every piece inside it', async () => {
    const record = recorder();
    const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" .requestOptions=${record.requestOptions}>
      <consumption-events-table id="a"></consumption-events-table>
      <consumption-events-table id="b" sort="amount"></consumption-events-table>
    </usage-filters>`);
    const [a, b] = [...holder.querySelectorAll('consumption-events-table')];
    await settled(a!);
    await settled(b!);
    const changed = oneEvent(holder, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    const button = cell(rows(a!)[0]!, 'userId').querySelector('button')!;
    const userId = button.textContent!.trim();
    button.click();
    expect((await changed).detail.state.userIds).to.deep.equal([userId]);
    await waitUntil(
      () => record.to('events').some((r) => r.params.sort === 'amount' && r.params.userId === userId),
      'the other table asks for that user',
    );
    await settled(b!);
    for (const row of rows(b!)) expect(cell(row, 'userId').textContent!.trim()).to.equal(userId);
  });

  it('fires usage-request-select for a request ID', async () => {
    const { table } = await mountTable();
    const button = cell(rows(table)[0]!, 'requestId').querySelector<HTMLButtonElement>('.link')!;
    const selected = oneEvent(table, 'usage-request-select') as Promise<UsageRequestSelectEvent>;
    button.click();
    expect((await selected).detail.requestId).to.equal(button.textContent!.trim());
  });

  it('downloads the CSV of the current filters and sort through the request options', async () => {
    const { table, record } = await mountTable({ 'resource-type': 'tokens', 'user-ids': 'svc-batch-summarizer' });
    await nextPage(table, record, () => sortButton(table, 'amount').click());
    const download = shadow(table).querySelector<HTMLButtonElement>('[part~="download"]')!;
    download.focus();
    download.click();
    await table.updateComplete;
    // Busy, it says so (aria-disabled) and ignores a second press, but keeps the focus.
    download.click();
    await waitUntil(() => record.to('events.csv').length === 1, 'the CSV request');
    const { params } = record.to('events.csv')[0]!;
    const page = lastEventsRequest(record).params;
    expect(params).to.deep.equal({
      from: page.from,
      to: page.to,
      resourceType: 'tokens',
      userId: 'svc-batch-summarizer',
      tz: page.tz,
      sort: 'amount',
      order: 'desc',
    });
    await waitUntil(() => download.getAttribute('aria-disabled') === 'false', 'the download ends');
    expect(record.to('events.csv')).to.have.length(1);
    expect(saved.at(-1)?.download).to.match(/^events-.*\.csv$/);
    expect((await (await fetch(saved.at(-1)!.href)).text()).split('\r\n')[0]).to.equal('created,userId,amount,resourceType,poolCategory,ioType,requestId,endpoint,surplusAmount,id');
    expect(download.disabled).to.equal(false);
    expect(shadow(table).activeElement === download, 'the focus (compared as a boolean: a failed comparison of DOM nodes hangs the run)').to.equal(true);
    expect(shadow(table).querySelector('.toolbar-message')!.textContent).to.equal('');
  });

  it('shows a failed CSV download as an alert with the endpoint message, keeps the rows, and the button tries again', async () => {
    const record = recorder();
    const refusal = refuseRequests(record, 'events.csv', 401, 'unauthorized', 'The token has expired.');
    const { table } = await mountTable({}, record);
    const errors: UsageErrorEvent['detail'][] = [];
    table.addEventListener('usage-error', (event) => errors.push(event.detail));
    const download = shadow(table).querySelector<HTMLButtonElement>('[part~="download"]')!;
    download.focus();
    download.click();
    await waitUntil(() => shadow(table).querySelector('[part~="toolbar"] [role="alert"]'), 'the failure is shown');
    expect(shadow(table).querySelector('[part~="toolbar"] [role="alert"]')!.textContent!.trim()).to.equal('The CSV could not be downloaded: The token has expired.');
    expect(errors.map((e) => [e.code, e.status])).to.deep.equal([['unauthorized', 401]]);
    expect(rows(table)).to.have.length(25);
    expect(shadow(table).activeElement === download, 'the button keeps the focus').to.equal(true);
    await expect(table).to.be.accessible();
    refusal.allow();
    download.click();
    await waitUntil(() => record.to('events.csv').length === 2 && download.getAttribute('aria-disabled') === 'false', 'the second try ends');
    expect(shadow(table).querySelector('[part~="toolbar"] [role="alert"]')).to.equal(null);
  });
});
