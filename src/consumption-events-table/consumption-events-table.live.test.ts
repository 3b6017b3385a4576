import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { UsageFilters } from '../usage-filters/usage-filters.component.js';
import '../usage-filters/usage-filters.js';
import type { ConsumptionEventsTable } from './consumption-events-table.component.js';
import {
  addUser,
  cell,
  demoServer,
  ingest,
  lastEventsRequest,
  mountTable,
  nextPage,
  ocrEvent,
  pagerButton,
  recorder,
  rows,
  type Recorder,
} from './test-fixture.js';
import { refuseRequests } from '../api/test-fixtures.js';

const LIVE_USER = 'live-test-user';

function newEventsButton(table: ConsumptionEventsTable): HTMLButtonElement | null {
  return table.shadowRoot!.querySelector<HTMLButtonElement>('[part~="new-events"]');
}

function requestIds(table: ConsumptionEventsTable): string[] {
  return rows(table).map((row) => cell(row, 'requestId').textContent!.trim());
}

async function streamOpen(table: ConsumptionEventsTable, record: Recorder): Promise<void> {
  await waitUntil(() => record.to('events/stream').length > 0, 'the stream is requested');
  await waitUntil(() => table.shadowRoot!.querySelector('[part~="live-status"]')?.getAttribute('data-status') === 'open', 'the stream is open');
}

describe('<consumption-events-table> live', () => {
  before(async () => {
    await addUser(LIVE_USER);
  });

  it('inserts new matching events at the top of page 1 newest-first, highlighted, and counts them', async () => {
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    const answer = (await lastEventsRequest(record).answer)!;
    expect(record.to('events/stream')[0]!.params.after).to.equal(answer.lastEventId);
    const before = rows(table);
    const [event] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table)[0] === event!.requestId, 'the live event shows at the top');
    expect(rows(table)).to.have.length(25);
    // The rows that stay keep their elements (and so their focus); the last one's is reused at the top.
    // Compared as booleans: a failing comparison of DOM nodes hangs the run instead of failing.
    expect(rows(table).slice(1).every((row, i) => row === before[i]), 'the 24 rows that stay keep their elements').to.equal(true);
    expect(rows(table)[0] === before[24], "the last row's element is reused at the top").to.equal(true);
    expect(rows(table)[0]!.hasAttribute('data-new')).to.equal(true);
    // Marked by more than its faint fill: an accent bar at its start while it is new.
    expect(getComputedStyle(rows(table)[0]!).boxShadow).to.match(/ 3px 0px 0px 0px inset$/);
    expect(getComputedStyle(rows(table)[1]!).boxShadow).to.equal('none');
    expect(table.shadowRoot!.querySelector('.pager-range')!.textContent).to.contain(`of ${(answer.total + 1).toLocaleString('en-US')}`);
    expect(newEventsButton(table)).to.equal(null);
    // Said to a screen reader too, once: not only seen in the highlight.
    expect(table.shadowRoot!.querySelector('.toolbar [role="status"].sr-only')!.textContent!.trim()).to.equal('New events arrived.');
    await waitUntil(() => !rows(table)[0]!.hasAttribute('data-new'), 'the highlight fades', { timeout: 4_000 });
  });

  it('keeps the rows\' tab stop on the same event when a live event is inserted above it', async () => {
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    // A row keeps its element while its event stays on the page (the first test), so the element names the event.
    const eventRow = rows(table)[2]!;
    cell(eventRow, 'amount').focus();
    const [event] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table)[0] === event!.requestId, 'the live event shows at the top');
    const stops = [...table.shadowRoot!.querySelectorAll<HTMLElement>('.body [tabindex="0"]')];
    expect(stops).to.have.length(1);
    expect(stops[0]!.closest('[role="row"]') === eventRow, 'the tab stop moved down with its event').to.equal(true);
    expect(eventRow.getAttribute('aria-rowindex')).to.equal('5');
    expect(table.shadowRoot!.activeElement === stops[0], 'focus stays on the cell').to.equal(true);
  });

  it('keeps its links readable on a highlighted row, where the highlight is strongest (axe, contrast included)', async () => {
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    const [event] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table)[0] === event!.requestId, 'the live event shows at the top');
    const row = rows(table)[0]!;
    expect(row.hasAttribute('data-new')).to.equal(true);
    // Held where the fade starts: the layer under the cells is the highlight colour itself.
    for (const animation of row.getAnimations({ subtree: true })) {
      animation.pause();
      animation.currentTime = 0;
    }
    await expect(table).to.be.accessible();
  });

  it('fades its highlight on the compositor: only an opacity is animated, never a colour painted each frame', async () => {
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    const [event] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table)[0] === event!.requestId, 'the live event shows at the top');
    const animations = rows(table)[0]!.getAnimations({ subtree: true });
    expect(animations, 'the row fades').to.have.length.greaterThan(0);
    // A fading background kept the page repainting about 50 times a second under steady traffic.
    const animated = new Set(animations.flatMap((a) => (a.effect as KeyframeEffect).getKeyframes().flatMap((frame) => Object.keys(frame))));
    for (const key of ['offset', 'computedOffset', 'easing', 'composite']) animated.delete(key);
    expect([...animated]).to.deep.equal(['opacity']);
  });

  it('ignores events that do not match its own filters', async () => {
    const { table, record } = await mountTable({ live: '', 'resource-type': 'storage' });
    await streamOpen(table, record);
    const before = requestIds(table);
    const [ignored] = await ingest([ocrEvent(LIVE_USER)]);
    const [matching] = await ingest([ocrEvent(LIVE_USER, { resourceType: 'storage', amount: 1_000 })]);
    await waitUntil(() => requestIds(table)[0] === matching!.requestId, 'the matching event shows');
    expect(requestIds(table)).not.to.include(ignored!.requestId);
    expect(requestIds(table).slice(1)).to.deep.equal(before.slice(0, 24));
  });

  it('inserts an event where it sorts into page 1 of another sort', async () => {
    const { table, record } = await mountTable({ live: '', sort: 'amount', order: 'asc', 'resource-type': 'ocr' });
    await streamOpen(table, record);
    const [event] = await ingest([ocrEvent(LIVE_USER, { amount: 0 })]);
    await waitUntil(() => requestIds(table).includes(event!.requestId), 'the event sorts into the page');
    const amounts = rows(table).map((row) => cell(row, 'amount').title);
    expect(amounts[0]).to.equal('0 pages');
  });

  it('offers "N new events" off page 1 and jumps to them newest-first', async () => {
    const { table, record } = await mountTable({ live: '', sort: 'userId' });
    await streamOpen(table, record);
    await nextPage(table, record, () => pagerButton(table, 'Next page').click());
    const page2 = requestIds(table);
    const announced = () => table.shadowRoot!.querySelector('.toolbar [role="status"].sr-only')!.textContent!.trim();
    expect(announced()).to.equal('');
    await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => newEventsButton(table)?.textContent?.includes('1 new event'), 'the notice counts 1');
    expect(announced()).to.equal('New events arrived.');
    const more = await ingest([ocrEvent(LIVE_USER), ocrEvent(LIVE_USER)]);
    await waitUntil(() => newEventsButton(table)?.textContent?.includes('3 new events'), 'the notice counts 3');
    // Its action first, as a button's name reads ("7 new events: show" read back to front).
    expect(newEventsButton(table)!.textContent!.trim()).to.equal('Show 3 new events');
    // The count is not a live region: the arrival is said once, not at every event.
    expect(newEventsButton(table)!.closest('[role="status"], [aria-live]')).to.equal(null);
    expect(announced()).to.equal('New events arrived.');
    expect(requestIds(table)).to.deep.equal(page2);
    newEventsButton(table)!.focus();
    const request = await nextPage(table, record, () => newEventsButton(table)!.click());
    expect(request.params).to.include({ sort: 'created', order: 'desc', page: '1' });
    expect(requestIds(table).slice(0, 3)).to.include.members(more.map((e) => e.requestId));
    expect(newEventsButton(table)).to.equal(null);
    // The button went away with its focus: the rows' tab stop has it, not the page's body.
    expect(table.shadowRoot!.activeElement?.closest('[role="row"]')?.getAttribute('aria-rowindex')).to.equal('2');
  });

  it('gives the focus to the first row after "show" from the keyboard, even when the stop\'s own event is among the new page', async () => {
    // 'aaa-…' sorts first by user ID and 'zzz-…' last: page 2 by user ID starts with the 26th
    // of FIRST's events, which are the newest but three once LAST's three arrive, so page 1
    // newest-first holds it too (the tab stop follows its event when rows move).
    const FIRST = 'aaa-focus-test-user';
    const LAST = 'zzz-focus-test-user';
    await addUser(FIRST);
    await addUser(LAST);
    const own = await ingest(Array.from({ length: 30 }, () => ocrEvent(FIRST)));
    const { table, record } = await mountTable({ live: '', sort: 'userId', order: 'asc' });
    await streamOpen(table, record);
    await nextPage(table, record, () => pagerButton(table, 'Next page').click());
    const stopEvent = requestIds(table)[0]!;
    expect(own.map((e) => e.requestId), "page 2 starts with one of FIRST's events").to.include(stopEvent);
    await ingest([ocrEvent(LAST), ocrEvent(LAST), ocrEvent(LAST)]);
    await waitUntil(() => newEventsButton(table)?.textContent?.includes('3 new events'), 'the notice counts 3');
    newEventsButton(table)!.focus();
    await nextPage(table, record, () => newEventsButton(table)!.click());
    expect(requestIds(table), "the stop's event is on the new page").to.include(stopEvent);
    await waitUntil(() => table.shadowRoot!.activeElement?.closest('[role="row"]')?.getAttribute('aria-rowindex') === '2', 'the first row has the focus');
    expect(table.shadowRoot!.activeElement?.closest('[role="row"]')?.getAttribute('aria-rowindex')).to.equal('2');
  });

  it('shows counted events that lie past a rolling preset\'s `to`: "show" asks up to the minute after the newest', async () => {
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    const resolvedTo = Date.parse(lastEventsRequest(record).params.to as string);
    await nextPage(table, record, () => pagerButton(table, 'Next page').click());
    const [late] = await ingest([ocrEvent(LIVE_USER, { created: new Date(resolvedTo + 90_000).toISOString() })]);
    await waitUntil(() => newEventsButton(table)?.textContent?.includes('1 new event'), 'the notice counts it');
    const request = await nextPage(table, record, () => newEventsButton(table)!.click());
    expect(request.params).to.include({ page: '1', sort: 'created', order: 'desc' });
    expect(Date.parse(request.params.to as string)).to.be.greaterThan(Date.parse(late!.created));
    expect(requestIds(table)[0]).to.equal(late!.requestId);
  });

  it('keeps a live event past a rolling preset\'s `to` through a later request (a sort, a reset)', async () => {
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    const resolvedTo = Date.parse(lastEventsRequest(record).params.to as string);
    const [late] = await ingest([ocrEvent(LIVE_USER, { created: new Date(resolvedTo + 90_000).toISOString() })]);
    await waitUntil(() => requestIds(table)[0] === late!.requestId, 'the live event shows at the top');
    // A live event alone asks for nothing.
    expect(Date.parse(lastEventsRequest(record).params.to as string)).to.equal(resolvedTo);
    const sorted = await nextPage(table, record, () => table.setAttribute('order', 'asc'));
    expect(Date.parse(sorted.params.to as string)).to.be.greaterThan(Date.parse(late!.created));
    await nextPage(table, record, () => table.setAttribute('order', 'desc'));
    expect(requestIds(table)[0]).to.equal(late!.requestId);
  });

  it('reconnects after the stream drops and resumes from the last event id, losing nothing', async () => {
    const record = recorder();
    let dropFirst!: () => void;
    let releaseReconnect!: () => void;
    const reconnectHeld = new Promise<void>((resolve) => (releaseReconnect = resolve));
    record.intercept = async (url, forward) => {
      if (url.pathname !== '/api/events/stream') return forward();
      const streams = record.to('events/stream').length;
      if (streams > 1) await reconnectHeld;
      const response = await forward();
      if (streams > 1) return response;
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          dropFirst = () => {
            controller.error(new TypeError('network connection lost'));
            void reader.cancel();
          };
        },
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const { table } = await mountTable({ live: '' }, record);
    await streamOpen(table, record);
    const [before] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table)[0] === before!.requestId, 'an event over the first connection');

    dropFirst();
    await waitUntil(() => record.to('events/stream').length === 2, 'the stream reconnects', { timeout: 5_000 });
    const missed = await ingest([ocrEvent(LIVE_USER), ocrEvent(LIVE_USER)]);
    releaseReconnect();
    const resumed = record.to('events/stream')[1]!;
    expect(resumed.params.after).to.equal(before!.id);
    await waitUntil(() => missed.every((e) => requestIds(table).includes(e.requestId)), 'the missed events arrive');
    expect(requestIds(table).slice(0, 3)).to.deep.equal([missed[1]!.requestId, missed[0]!.requestId, before!.requestId]);
    const keys = rows(table).map((row) => row.textContent);
    expect(new Set(keys).size).to.equal(25);
  });

  it('shows a refused stream with the endpoint message and Reconnect, which follows the stream again, keeps the focus and says when it is back', async () => {
    const record = recorder();
    const refusal = refuseRequests(record, 'events/stream', 401, 'unauthorized', 'The token has expired.');
    const { table } = await mountTable({ live: '' }, record);
    const status = () => table.shadowRoot!.querySelector('[part~="live-status"]')!;
    await waitUntil(() => status().getAttribute('data-status') === 'failed', 'the stream is refused');
    expect(status().textContent!.trim()).to.equal('Live updates stopped: The token has expired.');
    const reconnect = table.shadowRoot!.querySelector<HTMLButtonElement>('[part~="live-retry"]')!;
    expect(reconnect.textContent!.trim()).to.equal('Reconnect');
    await expect(table).to.be.accessible();
    refusal.allow();
    reconnect.focus();
    reconnect.click();
    await streamOpen(table, record);
    expect(table.shadowRoot!.querySelector('[part~="live-retry"]')).to.equal(null);
    // Back live: the focus goes on to the toolbar's next control (named), not the unnamed piece, and that is said once.
    const download = table.shadowRoot!.querySelector('[part~="download"]');
    await waitUntil(() => table.shadowRoot!.activeElement === download, 'Download CSV has the focus');
    const announced = () => [...table.shadowRoot!.querySelectorAll('[role="status"]')].map((region) => region.textContent!.trim()).filter(Boolean);
    expect(announced()).to.deep.equal(['Live updates resumed.']);
    expect(record.to('events/stream')).to.have.length(2);
    const [event] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table)[0] === event!.requestId, 'an event over the new connection');
  });

  it('stops following the stream when disconnected or when live is turned off', async () => {
    const server = demoServer();
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    table.live = false;
    await table.updateComplete;
    expect(table.shadowRoot!.querySelector('[part~="live-status"]')).to.equal(null);
    const before = requestIds(table);
    await ingest([ocrEvent(LIVE_USER)], server);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(requestIds(table)).to.deep.equal(before);
  });

  it('follows no stream over a range that ended more than 24 hours before its answer, unless a request ID searches all dates', async () => {
    const day = 86_400_000;
    const closed = { from: new Date(Date.now() - 5 * day).toISOString(), to: new Date(Date.now() - 2 * day).toISOString() };
    const { table, record } = await mountTable({ live: '', ...closed });
    await waitUntil(() => rows(table).length > 0, 'the page shows');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(table.shadowRoot!.querySelector('[part~="live-status"]'), 'no events can arrive in it: ingest takes them back to 24 hours').to.equal(null);
    expect(record.to('events/stream')).to.have.length(0);
    // A request ID: all dates, where its events may still arrive.
    table.setAttribute('request-id', 'req_closed_range');
    await streamOpen(table, record);
    table.removeAttribute('request-id');
    await waitUntil(() => table.shadowRoot!.querySelector('[part~="live-status"]') === null, 'closed again: not live');
  });

  it('refetches its page when the stream says reset (too many events to replay)', async () => {
    const record = recorder();
    record.intercept = async (url, forward) => {
      if (url.pathname !== '/api/events/stream') return forward();
      const answer = (await lastEventsRequest(record).answer)!;
      const reset = `event: reset\ndata: ${JSON.stringify({ lastEventId: String(Number(answer.lastEventId) + 20_000) })}\n\n`;
      const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode(reset)) });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    };
    const { table } = await mountTable({ live: '' }, record);
    // The first page, then (nothing else changed) the same page again after the reset.
    await waitUntil(() => record.to('events').length === 2, 'the page is asked for again');
    expect(lastEventsRequest(record).params).to.include({ page: '1', sort: 'created', order: 'desc' });
    await waitUntil(() => rows(table).length === 25 && !table.loading, 'the page shows again');
  });

  it("after a reset on a rolling preset past its `to`, refetches up to the minute after now (the skipped events may lie past it)", async () => {
    const record = recorder();
    const realNow = Date.now;
    const later = realNow() + 5 * 60_000;
    record.intercept = async (url, forward) => {
      if (url.pathname !== '/api/events/stream') return forward();
      const answer = (await lastEventsRequest(record).answer)!;
      // Five minutes on: the resolved `to` is behind the clock when the reset comes.
      Date.now = () => later;
      const reset = `event: reset\ndata: ${JSON.stringify({ lastEventId: String(Number(answer.lastEventId) + 20_000) })}\n\n`;
      const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode(reset)) });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    };
    try {
      const { table } = await mountTable({ live: '' }, record);
      await waitUntil(() => record.to('events').length === 2, 'the page is asked for again');
      const [first, again] = record.to('events');
      expect(Date.parse(again!.params.to as string)).to.equal(Math.floor(later / 60_000) * 60_000 + 60_000);
      expect(Date.parse(again!.params.to as string)).to.be.greaterThan(Date.parse(first!.params.to as string));
      expect(again!.params.from).to.equal(first!.params.from);
      await waitUntil(() => !table.loading, 'the page shows again');
    } finally {
      Date.now = realNow;
    }
  });

  // It stores events created in the future, which sort above everything later tests ingest:
  // those after it look their own events up anywhere on the page, never at its top.
  it('keeps a rolling preset open at its end (an event after the resolved `to` arrives), a custom range closed', async () => {
    const rolling = await mountTable({ live: '' });
    await streamOpen(rolling.table, rolling.record);
    const resolvedTo = Date.parse(lastEventsRequest(rolling.record).params.to as string);
    const custom = await mountTable({ live: '', from: new Date(resolvedTo - 86_400_000).toISOString(), to: new Date(resolvedTo).toISOString() });
    await streamOpen(custom.table, custom.record);

    const [late] = await ingest([ocrEvent(LIVE_USER, { created: new Date(resolvedTo + 120_000).toISOString() })]);
    await waitUntil(() => requestIds(rolling.table)[0] === late!.requestId, 'the rolling preset shows the event past its `to`');
    const [inRange] = await ingest([ocrEvent(LIVE_USER, { created: new Date(resolvedTo - 1_000).toISOString() })]);
    await waitUntil(() => requestIds(custom.table).includes(inRange!.requestId), 'the custom range shows an event inside it');
    expect(requestIds(custom.table)).not.to.include(late!.requestId);
  });

  it('put back in the page after a live row, follows the stream after it: the row is not given again', async () => {
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    const [first] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table).includes(first!.requestId), 'the live event shows');
    const host = table.parentElement!;
    table.remove();
    await new Promise((go) => setTimeout(go, 20));
    host.append(table);
    await waitUntil(() => record.to('events/stream').length === 2, 'the stream is followed again');
    expect(record.to('events/stream')[1]!.params.after).to.equal(first!.id);
    await streamOpen(table, record);
    const [second] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table).includes(second!.requestId), 'the next live event shows');
    expect(requestIds(table).filter((id) => id === first!.requestId)).to.have.length(1);
  });

  it('lets each live row’s highlight fade after its own 2.5 s under steady traffic', async () => {
    const { table, record } = await mountTable({ live: '' });
    await streamOpen(table, record);
    const [first] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table).includes(first!.requestId), 'the first live event shows');
    const marked = () => rows(table).filter((row) => row.hasAttribute('data-new')).map((row) => cell(row, 'requestId').textContent!.trim());
    // One event every 500 ms: the first's highlight fades while later ones arrive.
    for (let i = 0; i < 7; i++) {
      await new Promise((go) => setTimeout(go, 500));
      await ingest([ocrEvent(LIVE_USER)]);
    }
    await waitUntil(() => !marked().includes(first!.requestId), 'the first row is no longer marked', { timeout: 2_000 });
    expect(marked().length, 'the newest are').to.be.above(0);
  });

  it('with its holder moved elsewhere in the page in one task, keeps the page’s connection and asks nothing again', async () => {
    await demoServer().ready;
    const record = recorder();
    const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" live resource-type="ocr" time-zone="UTC" locale="en-US" .requestOptions=${record.requestOptions}>
      <consumption-events-table></consumption-events-table>
    </usage-filters>`);
    const table = holder.querySelector('consumption-events-table')!;
    await streamOpen(table, record);
    const pages = record.to('events').length;
    const elsewhere = document.createElement('section');
    holder.parentElement!.append(elsewhere);
    // A framework moving a subtree: out and back in within one task.
    elsewhere.append(holder);
    await new Promise((go) => setTimeout(go, 50));
    expect(record.to('events/stream').length, 'the stream is not opened again').to.equal(1);
    expect(record.to('events').length, 'no page asked again').to.equal(pages);
    const [event] = await ingest([ocrEvent(LIVE_USER)]);
    await waitUntil(() => requestIds(table).includes(event!.requestId), 'live events still arrive');
    elsewhere.remove();
  });

  it('taken out of its holder and put back, asks nothing again and reports nothing', async () => {
    await demoServer().ready;
    const record = recorder();
    const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" live time-zone="UTC" locale="en-US" .requestOptions=${record.requestOptions}>
      <consumption-events-table></consumption-events-table>
    </usage-filters>`);
    const table = holder.querySelector('consumption-events-table')!;
    await streamOpen(table, record);
    const errors: Event[] = [];
    holder.addEventListener('usage-error', (event) => errors.push(event));
    table.addEventListener('usage-error', (event) => errors.push(event));
    const pages = record.to('events').length;
    for (let i = 0; i < 3; i++) {
      table.remove();
      // Removed, it stops its stream (an update while it is out of the page).
      await new Promise((go) => setTimeout(go, 20));
      holder.append(table);
      await waitUntil(() => table.shadowRoot!.querySelector('[part~="live-status"]')?.getAttribute('data-status') === 'open', 'the stream opens again');
    }
    expect(errors.map((e) => (e as CustomEvent).detail)).to.deep.equal([]);
    expect(record.to('events').length, 'no page asked again').to.equal(pages);
  });
});
