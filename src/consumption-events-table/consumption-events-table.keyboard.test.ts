import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { ConsumptionEventsTable } from './consumption-events-table.component.js';
import { ROW_OVERHANG_PX, VIRTUALIZE_ABOVE } from './consumption-events-table.component.js';
import { demoServer, ignoreResizeObserverLoopErrors, lastEventsRequest, mountTable, nextPage, pagerButton, recorder, rows, settled, sortButton } from './test-fixture.js';
import { refuseRequests } from '../api/test-fixtures.js';

function focused(table: ConsumptionEventsTable): HTMLElement {
  return table.shadowRoot!.activeElement as HTMLElement;
}

function position(table: ConsumptionEventsTable): { row: string | null; nav: string | undefined } {
  const element = focused(table) as HTMLElement | null;
  return { row: element?.closest('[role="row"]')?.getAttribute('aria-rowindex') ?? null, nav: element?.dataset.nav };
}

async function press(key: string): Promise<void> {
  const [modifier, name] = key.includes('+') ? key.split('+') : [undefined, key];
  if (modifier) await sendKeys({ down: modifier });
  await sendKeys({ press: name! });
  if (modifier) await sendKeys({ up: modifier });
}

describe('<consumption-events-table> keyboard', () => {
  before(async () => {
    ignoreResizeObserverLoopErrors();
    await demoServer().ready;
  });

  it('sorts from the keyboard with Enter and Space on a header button', async () => {
    const { table, record } = await mountTable();
    sortButton(table, 'userId').focus();
    let request = await nextPage(table, record, () => press('Enter'));
    expect(request.params).to.include({ sort: 'userId', order: 'asc' });
    request = await nextPage(table, record, () => press('Space'));
    expect(request.params).to.include({ sort: 'userId', order: 'desc' });
    expect(focused(table) === sortButton(table, 'userId'), 'the focus (compared as a boolean: a failed comparison of DOM nodes hangs the run)').to.equal(true);
  });

  it('announces the page a sort button or the pager brings, and nothing on a refresh no one asked for', async () => {
    const { table, record } = await mountTable();
    const status = (): string => [...table.shadowRoot!.querySelectorAll('[role="status"].sr-only')].map((s) => s.textContent!.trim()).filter(Boolean).join(' ');
    expect(status()).to.equal('');
    const first = (await lastEventsRequest(record).answer)!;
    const total = first.total.toLocaleString('en-US');
    const pages = Math.ceil(first.total / 25).toLocaleString('en-US');
    await nextPage(table, record, () => pagerButton(table, 'Next page').click());
    expect(status()).to.equal(`Events 26–50 of ${total}, page 2 of ${pages}, sorted by Created, descending.`);
    sortButton(table, 'amount').focus();
    await nextPage(table, record, () => press('Enter'));
    expect(status()).to.equal(`Events 1–25 of ${total}, page 1 of ${pages}, sorted by Amount, descending.`);
    table.sort = 'userId';
    await nextPage(table, record, () => undefined);
    expect(status(), 'a sort set by the host is not announced').to.equal('');
  });

  it('takes a second click on a header while the first sort still loads (the pointer reaches the headers)', async () => {
    const record = recorder();
    const { table } = await mountTable({}, record);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    record.intercept = async (url, forward) => {
      if (url.pathname === '/api/events') await held;
      return forward();
    };
    const box = sortButton(table, 'userId').getBoundingClientRect();
    const position: [number, number] = [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
    await sendMouse({ type: 'click', position });
    await waitUntil(() => table.loading, 'the first sort loads');
    await sendMouse({ type: 'click', position });
    await waitUntil(() => lastEventsRequest(record).params.order === 'desc', 'the second click asks for the other order');
    release();
    await settled(table);
    expect(lastEventsRequest(record).params).to.include({ sort: 'userId', order: 'desc' });
    expect(sortButton(table, 'userId').parentElement!.getAttribute('aria-sort')).to.equal('descending');
    await sendMouse({ type: 'move', position: [0, 0] });
  });

  it('moves between cells with the arrow keys, Home/End and Ctrl+Home/End, one tab stop in the body', async () => {
    const { table } = await mountTable();
    const body = table.shadowRoot!.querySelector('.body')!;
    expect(body.querySelectorAll('[tabindex="0"]')).to.have.length(1);
    sortButton(table, 'created').focus();
    await press('ArrowDown');
    expect(position(table)).to.deep.equal({ row: '2', nav: 'created' });
    await press('ArrowRight');
    expect(position(table)).to.deep.equal({ row: '2', nav: 'userId' });
    await press('ArrowDown');
    expect(position(table)).to.deep.equal({ row: '3', nav: 'userId' });
    await press('End');
    expect(position(table)).to.deep.equal({ row: '3', nav: 'endpoint' });
    await press('ArrowLeft');
    expect(position(table)).to.deep.equal({ row: '3', nav: 'copy' });
    await press('Home');
    expect(position(table)).to.deep.equal({ row: '3', nav: 'created' });
    await press('Control+End');
    expect(position(table)).to.deep.equal({ row: '26', nav: 'endpoint' });
    await press('PageUp');
    expect(position(table)).to.deep.equal({ row: '16', nav: 'endpoint' });
    await press('Control+Home');
    expect(position(table)).to.deep.equal({ row: '2', nav: 'created' });
    await press('ArrowUp');
    expect(focused(table) === sortButton(table, 'created'), 'the focus (compared as a boolean: a failed comparison of DOM nodes hangs the run)').to.equal(true);
    await press('ArrowRight');
    expect(focused(table) === sortButton(table, 'userId'), 'the focus (compared as a boolean: a failed comparison of DOM nodes hangs the run)').to.equal(true);

    await press('ArrowDown');
    await press('ArrowDown');
    await table.updateComplete;
    const stops = body.querySelectorAll<HTMLElement>('[tabindex="0"]');
    expect(stops).to.have.length(1);
    expect(stops[0]).to.equal(focused(table));
  });

  it('keeps the page where it is on Space in a plain cell, and lets Space press a cell\'s button', async () => {
    const { table } = await mountTable();
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    document.body.append(spacer);
    try {
      sortButton(table, 'created').focus();
      await press('ArrowDown');
      expect(position(table)).to.deep.equal({ row: '2', nav: 'created' });
      const top = scrollY;
      await press('Space');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(scrollY, 'the page scrolled').to.equal(top);
      expect(position(table)).to.deep.equal({ row: '2', nav: 'created' });
      await press('End');
      await press('ArrowLeft');
      await press('ArrowLeft');
      expect(position(table).nav).to.equal('requestId');
      const requestId = focused(table).textContent!.trim();
      const selected: string[] = [];
      table.addEventListener('usage-request-select', (event) => selected.push(event.detail.requestId));
      await press('Space');
      expect(selected).to.deep.equal([requestId]);
    } finally {
      spacer.remove();
    }
  });

  it('activates a user ID from the keyboard', async () => {
    const { table, record } = await mountTable();
    sortButton(table, 'userId').focus();
    await press('ArrowDown');
    const userId = focused(table).textContent!.trim();
    const request = await nextPage(table, record, () => press('Enter'));
    expect(request.params.userId).to.equal(userId);
  });

  it('virtualizes a large page and still reaches every row from the keyboard', async () => {
    const { table, record } = await mountTable({ 'page-size': '300', range: '90d' });
    const answer = (await lastEventsRequest(record).answer)!;
    expect(answer.items.length).to.equal(300);
    expect(rows(table).length).to.be.greaterThan(0);
    expect(rows(table).length).to.be.lessThan(300);
    // Only the rows that show and those within the overhang past the view's edges.
    const rowHeight = rows(table)[0]!.getBoundingClientRect().height;
    expect(rows(table).length).to.be.at.most(Math.ceil((innerHeight + 2 * ROW_OVERHANG_PX) / rowHeight) + 1);
    expect(300).to.be.greaterThan(VIRTUALIZE_ABOVE);
    expect(rows(table)[0]!.getAttribute('aria-rowindex')).to.equal('2');
    sortButton(table, 'amount').focus();
    await press('ArrowDown');
    await press('Control+End');
    await waitUntil(() => position(table).row === '301', 'the last row is focused');
    expect(focused(table).dataset.nav).to.equal('endpoint');
    expect(focused(table).textContent!.trim()).to.equal(answer.items[299]!.endpoint);
    await press('Home');
    expect(focused(table).querySelector('time')!.getAttribute('datetime')).to.equal(answer.items[299]!.created);
    await expect(table).to.be.accessible();
  });

  it('lays out every row of a virtualized page while the page prints, and virtualizes again after', async () => {
    const { table } = await mountTable({ 'page-size': '300', range: '90d' });
    expect(rows(table).length).to.be.lessThan(300);
    // At once: the browser lays the page out for paper right after its beforeprint.
    window.dispatchEvent(new Event('beforeprint'));
    expect(rows(table).length).to.equal(300);
    expect(rows(table).at(-1)!.getAttribute('aria-rowindex')).to.equal('301');
    window.dispatchEvent(new Event('afterprint'));
    await waitUntil(() => rows(table).length < 300, 'virtualized again');
  });

  it('counts every PageDown pressed while a virtualized row is still being revealed', async () => {
    const { table, record } = await mountTable({ 'page-size': '300', range: '90d' });
    const answer = (await lastEventsRequest(record).answer)!;
    const rendered = rows(table).length;
    rows(table)[0]!.querySelector<HTMLElement>('[data-nav="amount"]')!.focus();
    // Twelve presses in one task: the later ones arrive while the rows past the rendered
    // ones are still being revealed, and each moves on from where the previous one goes.
    const presses = 12;
    expect(2 + presses * 10).to.be.greaterThan(rendered + 1);
    for (let i = 0; i < presses; i++) {
      focused(table).dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true, composed: true, cancelable: true }));
    }
    const row = String(2 + presses * 10);
    await waitUntil(() => position(table).row === row, `row ${row} is focused (at ${position(table).row})`);
    expect(focused(table).dataset.nav).to.equal('amount');
    // Then back up, again faster than rows appear.
    for (let i = 0; i < 3; i++) focused(table).dispatchEvent(new KeyboardEvent('keydown', { key: 'PageUp', bubbles: true, composed: true, cancelable: true }));
    await waitUntil(() => position(table).row === String(2 + (presses - 3) * 10), `row ${2 + (presses - 3) * 10} is focused (at ${position(table).row})`);
    expect(focused(table).closest('[role="row"]')!.querySelector('time')!.getAttribute('datetime')).to.equal(answer.items[(presses - 3) * 10]!.created);
  });

  it('keeps the focus when the page reached disables the pager button pressed, or an error removes it', async () => {
    const { table, record } = await mountTable();
    const lastPage = Math.ceil((await lastEventsRequest(record).answer)!.total / 25);
    expect(lastPage).to.be.greaterThan(2);
    await nextPage(table, record, () => void (table.page = lastPage - 1));
    pagerButton(table, 'Next page').focus();
    await nextPage(table, record, () => press('Enter'));
    expect(pagerButton(table, 'Next page').disabled).to.equal(true);
    const input = table.shadowRoot!.querySelector('.page-input input');
    expect(focused(table) === input, 'the page number has the focus (compared as a boolean)').to.equal(true);
    pagerButton(table, 'First page').focus();
    await nextPage(table, record, () => press('Enter'));
    expect(pagerButton(table, 'First page').disabled).to.equal(true);
    expect(focused(table) === input, 'the page number has the focus after First (compared as a boolean)').to.equal(true);
    // An error takes the pager away: Retry takes the focus.
    record.intercept = async (url, forward) => (url.pathname === '/api/events' ? Response.json({ error: { code: 'internal', message: 'down' } }, { status: 500 }) : forward());
    pagerButton(table, 'Next page').focus();
    await press('Enter');
    await waitUntil(() => table.error, 'the error shows');
    await table.updateComplete;
    expect(focused(table)?.getAttribute('part'), 'Retry has the focus').to.equal('retry');
    // Focusing the pager scrolled the window; the tests that click at a position need it back.
    window.scrollTo(0, 0);
  });

  it('after Retry brings the page back, gives the focus to the first column\'s sort button (named, in the named table), not to the unnamed piece', async () => {
    const record = recorder();
    const refusal = refuseRequests(record, 'events', 500, 'internal', 'The store is down.');
    const { table } = await mountTable({}, record);
    const retry = () => table.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry"]');
    retry()!.focus();
    // Refused again: the new Retry has the focus.
    const asked = record.to('events').length;
    await press('Enter');
    await waitUntil(() => record.to('events').length > asked && focused(table) === retry(), 'the new Retry has the focus');
    refusal.allow();
    await press('Enter');
    await waitUntil(() => rows(table).length === 25, 'the page is back');
    await waitUntil(() => focused(table) === sortButton(table, 'created'), 'the Created sort button has the focus');
    expect(document.activeElement === table && focused(table)?.textContent?.trim(), 'the focused control has a name').to.equal('Created');
  });
});
