/* eslint-disable @typescript-eslint/no-explicit-any -- the suite reads JSON answers field by field and asserts their shape. */
/**
 * The store contract suite: one set of tests every store passes, through the handler
 * (Request objects), against a seeded organization (about 20,000 events) and small
 * organizations the tests set up themselves. Export: `runStoreContract(name, createStore)`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  EVENT_SORT_COLUMNS,
  GROUP_BYS,
  compareCodePoints,
  formatInstant,
  type ConsumptionEvent,
  type EventFilter,
  type EventSortColumn,
  eventsParams,
} from '../../src/api/contract.js';
import { matchesFilter } from '../../src/api/match.js';
import { createHandler, type Handler } from '../../server/handler/handler.js';
import { sha256Hex } from '../../server/domain/sha256.js';
import { DEMO_ORG, OTHER_ORG, seedDemo } from '../../server/seed/seed.js';
import type { IngestItem, OrganizationLimits, Store, UserLimits } from '../../server/store/types.js';
import { Random } from '../../server/seed/prng.js';
import { BASE, SseReader, call, qs, recordingStore, sum } from './helpers.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The suite's clock: inside the seeded history, a few hours after Europe's spring DST change. */
export const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const TOKENS = { demoRead: 'contract-demo-read', demoIngest: 'contract-demo-ingest', otherRead: 'contract-other-read', otherIngest: 'contract-other-ingest' };

export interface ContractOptions {
  /** Events of the seeded organization (default 20,000). */
  events?: number;
  /** Called after the suite with the store it made. */
  closeStore?: (store: Store) => Promise<void>;
}

const iso = formatInstant;
/** A range holding the events ingested at the suite's clock, which stands still (a default read ends at now, exclusive). */
const UP_TO_NOW = { from: iso(NOW - DAY), to: iso(NOW + MINUTE) };

/** The contract's order of events for a sort column and direction. */
function eventOrder(sort: EventSortColumn, order: 'asc' | 'desc'): (a: ConsumptionEvent, b: ConsumptionEvent) => number {
  const direction = order === 'asc' ? 1 : -1;
  return (a, b) => {
    let c = 0;
    if (sort === 'amount') c = a.amount - b.amount;
    else if (sort === 'created') c = 0;
    else c = compareCodePoints(a[sort], b[sort]);
    return direction * (c || Date.parse(a.created) - Date.parse(b.created) || Number(a.id) - Number(b.id));
  };
}

export function runStoreContract(name: string, createStore: () => Promise<Store>, options: ContractOptions = {}): void {
  describe(`store contract: ${name}`, { timeout: 600_000 }, () => {
    let store: Store;
    let handler: Handler;
    const recorded = new Map<string, ConsumptionEvent[]>();
    let demoEvents: ConsumptionEvent[] = [];
    let otherEvents: ConsumptionEvent[] = [];
    const get = <T = any>(path: string, token: string | null = TOKENS.demoRead, init?: RequestInit & { headers?: Record<string, string> }) =>
      call<T>(handler, path, token, init);

    /** The seeded demo events matching a filter, per the one shared matcher. */
    const oracle = (filter: EventFilter, events = demoEvents) => events.filter((e) => matchesFilter(e, filter));

    /** An organization with one or more users and chosen limits. */
    async function makeOrg(
      orgId: string,
      users: { id: string; base?: number; surplus?: number }[],
      limits: Partial<Omit<OrganizationLimits, 'surplusCapacity'>> & { capacity?: number } = {},
    ): Promise<{ read: string; ingest: string }> {
      await store.putOrganization({ id: orgId, name: orgId });
      await store.setOrganizationLimits(orgId, {
        effectiveFrom: NOW - 30 * DAY,
        weeklyTokenLimit: limits.weeklyTokenLimit ?? 1e12,
        storageLimit: limits.storageLimit ?? 1e15,
        surplusCapacity: { tokens: limits.capacity ?? 1e9, storage: 1e12, ocr: 1e6 },
      });
      await store.putUsers(orgId, users.map((u) => ({ id: u.id })));
      for (const u of users) {
        const versions: UserLimits[] = (['tokens', 'storage', 'ocr'] as const).map((resourceType) => ({
          resourceType,
          effectiveFrom: NOW - 30 * DAY,
          basePer4h: u.base ?? 1e9,
          surplusPer4h: u.surplus ?? 1e9,
        }));
        await store.setUserLimits(orgId, u.id, versions);
      }
      const tokens = { read: `${orgId}-read`, ingest: `${orgId}-ingest` };
      await store.putToken(sha256Hex(tokens.read), { orgId, scopes: ['read'] });
      await store.putToken(sha256Hex(tokens.ingest), { orgId, scopes: ['read', 'ingest'] });
      return tokens;
    }

    before(async () => {
      store = recordingStore(await createStore(), recorded);
      await seedDemo(store, { events: options.events ?? 20_000, now: NOW, tokens: TOKENS });
      demoEvents = [...(recorded.get(DEMO_ORG.orgId) ?? [])];
      otherEvents = [...(recorded.get(OTHER_ORG.orgId) ?? [])];
      handler = createHandler({ store, now: () => NOW, basePath: '/api', streamFlushMs: 20, heartbeatMs: 15_000 });
    });

    after(async () => {
      await options.closeStore?.(store);
    });

    describe('seed', () => {
      test('a realistic organization: every type, endpoint and pool, users dipping into surplus, a second organization', async () => {
        assert.ok(demoEvents.length > 15_000, `seeded ${demoEvents.length}`);
        assert.ok(otherEvents.length > 200);
        for (const field of ['resourceType', 'poolCategory', 'ioType'] as const) {
          assert.equal(new Set(demoEvents.map((e) => e[field])).size, field === 'ioType' ? 2 : 3, field);
        }
        assert.ok(new Set(demoEvents.map((e) => e.endpoint)).size >= 10);
        // DESIGN.md: "tests use about 20,000: hundreds of users with a heavy-tail distribution".
        const perUser = new Map<string, number>();
        for (const e of demoEvents) perUser.set(e.userId, (perUser.get(e.userId) ?? 0) + 1);
        if ((options.events ?? 20_000) >= 20_000) {
          assert.ok(perUser.size >= 150, `${perUser.size} users with events`);
          const counts = [...perUser.values()].sort((a, b) => b - a);
          const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((sum, n) => sum + n, 0);
          assert.ok(top > demoEvents.length / 3, `the busiest tenth of the users has ${top} of ${demoEvents.length} events`);
        } else assert.ok(perUser.size >= 50);
        const ids = demoEvents.map((e) => Number(e.id));
        assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!), 'ids increase with ingest order');
        const created = demoEvents.map((e) => Date.parse(e.created));
        assert.ok(created.every((t, i) => i === 0 || t >= created[i - 1]!), 'written in created order');
        assert.ok(created[0]! < NOW - 85 * DAY && created.at(-1)! > NOW - HOUR, 'spans 90 days up to now');
      });
    });

    describe('GET events', () => {
      test('default: the last 7 days at the server’s now, [now − 7d, now), newest first, 25 a page, with total, asOf and lastEventId', async () => {
        const { status, body } = await get('/events');
        assert.equal(status, 200);
        const expected = oracle({ from: iso(NOW - 7 * DAY), to: iso(NOW) }).sort(eventOrder('created', 'desc'));
        assert.deepEqual(body.items, expected.slice(0, 25));
        assert.equal(body.page, 1);
        assert.equal(body.pageSize, 25);
        assert.equal(body.total, expected.length);
        assert.equal(body.totalIsExact, true);
        assert.equal(body.asOf, iso(NOW));
        assert.equal(body.lastEventId, demoEvents.at(-1)!.id);
        for (const path of ['/consumption', '/surplus']) {
          const chart = await get(path);
          assert.deepEqual([chart.body.from, chart.body.to], [iso(NOW - 7 * DAY), iso(NOW)], path);
        }
      });

      test('every filter parameter matches what the shared matcher says', async () => {
        const recent = demoEvents.filter((e) => Date.parse(e.created) >= NOW - 3 * DAY);
        const sample = recent[Math.floor(recent.length / 2)]!;
        const users = [...new Set(demoEvents.slice(-3000).map((e) => e.userId))].slice(0, 3);
        const from = iso(NOW - 3 * DAY);
        const to = iso(NOW);
        const cases: EventFilter[] = [
          { from, to, resourceType: 'storage' },
          { from, to, userIds: users },
          { from, to, poolCategories: ['hybrid', 'surplus'] },
          { from, to, ioTypes: ['output'] },
          { from, to, resourceType: 'tokens', amountMin: 500, amountMax: 2_000 },
          { from, to, resourceType: 'tokens', amountMin: 10_000 },
          { from, to, resourceType: 'ocr', amountMax: 3 },
          { from, to, endpoints: ['/v1/embeddings', '/v1/files'] },
          { from, to, endpoints: [sample.endpoint], ioTypes: [sample.ioType], userIds: [sample.userId] },
          { from, to, requestId: sample.requestId },
        ];
        for (const filter of cases) {
          const query = `?${eventsParams({ ...filter, pageSize: 500 })}`;
          const { status, body } = await get(`/events${query}`);
          assert.equal(status, 200, query);
          const expected = oracle(filter).sort(eventOrder('created', 'desc'));
          assert.ok(expected.length > 0, `the case ${query} selects something`);
          assert.equal(body.total, expected.length, query);
          assert.deepEqual(body.items, expected.slice(0, 500), query);
        }
      });

      test('the total is exact over a range that starts and ends inside hours and days', async () => {
        // A store may count from hourly or daily rollups: the partial hours at both ends count too.
        const from = iso(NOW - 3 * DAY + 17 * 60_000 + 33_123);
        const to = iso(NOW - 5 * 3_600_000 - 7 * 60_000 - 251);
        const users = [...new Set(demoEvents.slice(-3000).map((e) => e.userId))].slice(0, 3);
        const cases: EventFilter[] = [
          { from, to },
          { from, to, ioTypes: ['output'] },
          { from, to, poolCategories: ['allocated', 'hybrid'], resourceType: 'tokens' },
          { from, to, userIds: users },
          { from, to, endpoints: ['/v1/embeddings', '/v1/files'] },
        ];
        for (const filter of cases) {
          const query = `?${eventsParams({ ...filter, pageSize: 1 })}`;
          const { status, body } = await get(`/events${query}`);
          assert.equal(status, 200, query);
          const expected = oracle(filter);
          assert.ok(expected.length > 0, `the case ${query} selects something`);
          assert.equal(body.total, expected.length, query);
        }
      });

      test('requestId without a range searches all dates; with the default range it does not', async () => {
        const old = demoEvents.find((e) => Date.parse(e.created) < NOW - 60 * DAY)!;
        const everywhere = await get(`/events${qs({ requestId: old.requestId })}`);
        assert.deepEqual(
          everywhere.body.items,
          demoEvents.filter((e) => e.requestId === old.requestId).sort(eventOrder('created', 'desc')),
        );
        assert.ok(everywhere.body.items.length >= 1);
        const ranged = await get(`/events${qs({ requestId: old.requestId, from: iso(NOW - DAY), to: iso(NOW) })}`);
        assert.equal(ranged.body.total, 0);
      });

      test('paging through every page of every sort column, both ways, yields each event exactly once, in order', async () => {
        const filter = { from: iso(NOW - 4 * DAY), to: iso(NOW - DAY) };
        const expectedIds = new Set(oracle(filter).map((e) => e.id));
        assert.ok(expectedIds.size > 100);
        for (const sort of EVENT_SORT_COLUMNS) {
          for (const order of ['asc', 'desc'] as const) {
            const seen: ConsumptionEvent[] = [];
            for (let page = 1; ; page++) {
              const { body } = await get(`/events${qs({ ...filter, sort, order, page, pageSize: 97 })}`);
              seen.push(...body.items);
              if (body.items.length < 97) break;
            }
            assert.equal(seen.length, expectedIds.size, `${sort} ${order}`);
            assert.deepEqual(new Set(seen.map((e) => e.id)), expectedIds, `${sort} ${order}`);
            const sorted = [...seen].sort(eventOrder(sort, order));
            assert.deepEqual(
              seen.map((e) => e.id),
              sorted.map((e) => e.id),
              `${sort} ${order} is in contract order`,
            );
          }
        }
      });

      test('a page past the end is 200 with no items; the total is capped past 100,000 (store count cap)', async () => {
        const { status, body } = await get(`/events${qs({ page: 4_000, pageSize: 250 })}`);
        assert.equal(status, 200);
        assert.deepEqual(body.items, []);
        const maxId = Number(demoEvents.at(-1)!.id);
        assert.equal(await store.countEvents(DEMO_ORG.orgId, { maxId }, 10), 10);
        assert.equal(await store.countEvents(DEMO_ORG.orgId, { maxId }, 1_000_000), demoEvents.length);
      });

      test('text sorts by code point, ties by created then id in the same direction', async () => {
        const orgId = 'org_codepoints';
        const token = await makeOrg(orgId, ['a', 'Z', 'é', '\u{1F600}', '\uFB01', 'ab'].map((id) => ({ id })));
        const created = iso(NOW - 10 * MINUTE);
        for (const userId of ['\uFB01', 'ab', '\u{1F600}', 'a', 'é', 'Z', 'a']) {
          const r = await get('/events', token.ingest, { method: 'POST', body: JSON.stringify({ userId, amount: 1, resourceType: 'tokens', ioType: 'input', requestId: `r-${userId}`, endpoint: '/x', created }) });
          assert.equal(r.status, 201);
        }
        const asc = await get(`/events${qs({ sort: 'userId', order: 'asc' })}`, token.read);
        assert.deepEqual(
          asc.body.items.map((e: ConsumptionEvent) => e.userId),
          ['Z', 'a', 'a', 'ab', 'é', '\uFB01', '\u{1F600}'],
        );
        const ids = asc.body.items.filter((e: ConsumptionEvent) => e.userId === 'a').map((e: ConsumptionEvent) => Number(e.id));
        assert.ok(ids[0]! < ids[1]!, 'equal created: ties by id ascending');
        const desc = await get(`/events${qs({ sort: 'userId', order: 'desc' })}`, token.read);
        assert.deepEqual(
          desc.body.items.map((e: ConsumptionEvent) => e.userId),
          ['\u{1F600}', '\uFB01', 'é', 'ab', 'a', 'a', 'Z'],
        );
      });
    });

    describe('GET events.csv', () => {
      test('streams RFC 4180 CSV of the matching events in order, with the header row', async () => {
        const filter = { from: iso(NOW - DAY), to: iso(NOW) };
        const response = await handler(new Request(`http://x/api/events.csv${qs({ ...filter, sort: 'amount', order: 'desc' })}`, { headers: { authorization: `Bearer ${TOKENS.demoRead}` } }));
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type')!, /^text\/csv/);
        assert.match(response.headers.get('content-disposition')!, /^attachment; filename="events-.*\.csv"$/);
        // asOf and lastEventId, as every read answer carries, in headers.
        assert.equal(response.headers.get('usage-last-event-id'), demoEvents.at(-1)!.id);
        const asOf = response.headers.get('usage-as-of')!;
        assert.match(asOf, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.ok(response.headers.get('content-disposition')!.includes(asOf.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')));
        const lines = (await response.text()).split('\r\n');
        assert.equal(lines[0], 'created,userId,amount,resourceType,poolCategory,ioType,requestId,endpoint,surplusAmount,id');
        assert.equal(lines.at(-1), '');
        const expected = oracle(filter).sort(eventOrder('amount', 'desc'));
        assert.equal(lines.length - 2, expected.length);
        const e = expected[0]!;
        assert.equal(lines[1], [e.created, e.userId, e.amount, e.resourceType, e.poolCategory, e.ioType, e.requestId, e.endpoint, e.surplusAmount, e.id].join(','));
      });

      test('hands out its batches a task apart, however fast the body is read', async () => {
        const filter = { from: iso(NOW - 90 * DAY), to: iso(NOW) };
        assert.ok(oracle(filter).length > 3_000, `${oracle(filter).length} events`);
        const response = await handler(new Request(`http://x/api/events.csv${qs(filter)}`, { headers: { authorization: `Bearer ${TOKENS.demoRead}` } }));
        assert.equal(response.status, 200);
        const reader = response.body!.getReader();
        // Read as fast as it comes: microtasks only, as a fast client's socket writer does.
        let chunks = 0;
        let chunksWhenOtherWorkRan = -1;
        setImmediate(() => (chunksWhenOtherWorkRan = chunks));
        while (!(await reader.read()).done) chunks++;
        assert.ok(chunks > 3, `${chunks} chunks`);
        // Before, every batch was read before other work (another request's I/O) ran.
        assert.ok(chunksWhenOtherWorkRan >= 0 && chunksWhenOtherWorkRan <= 2, `other work ran after ${chunksWhenOtherWorkRan} of ${chunks} chunks`);
      });

      test('neutralises formula cells and quotes commas, semicolons, quotes and line breaks', async () => {
        const orgId = 'org_csv';
        const token = await makeOrg(orgId, [{ id: '=HYPERLINK("x")' }, { id: '@user' }]);
        const rows = [
          { userId: '=HYPERLINK("x")', requestId: '+1,2', endpoint: '-cmd' },
          { userId: '@user', requestId: '\tTAB', endpoint: 'a"b\nc' },
          { userId: '@user', requestId: '\rCR', endpoint: '/ok' },
          // Where ";" separates a spreadsheet's cells, unquoted it began a cell with "=".
          { userId: '@user', requestId: 'x;=1+1', endpoint: '/ok' },
        ];
        for (const row of rows) {
          const r = await get('/events', token.ingest, { method: 'POST', body: JSON.stringify({ ...row, amount: 2, resourceType: 'tokens', ioType: 'input' }) });
          assert.equal(r.status, 201);
        }
        const { body } = await get(`/events.csv${qs({ ...UP_TO_NOW, sort: 'created', order: 'asc' })}`, token.read);
        const text = body as string;
        assert.ok(text.includes(`"'=HYPERLINK(""x"")",2,tokens,allocated,input,"'+1,2",'-cmd,0,`), text);
        assert.ok(text.includes(`'@user,2,tokens,allocated,input,'\tTAB,"a""b\nc",0,`), text);
        assert.ok(text.includes(`'@user,2,tokens,allocated,input,"'\rCR",/ok,0,`), text);
        assert.ok(text.includes(`'@user,2,tokens,allocated,input,"x;=1+1",/ok,0,`), text);
      });
    });

    describe('GET consumption', () => {
      test('point sums equal the matching events, for every grouping; byGroup holds every key', async () => {
        const from = iso(NOW - 7 * DAY);
        const to = iso(NOW);
        for (const groupBy of GROUP_BYS) {
          const { status, body } = await get(`/consumption${qs({ from, to, groupBy, tz: 'Europe/Berlin' })}`);
          assert.equal(status, 200, groupBy);
          const events = oracle({ from, to, resourceType: 'tokens' });
          assert.equal(body.resourceType, 'tokens');
          assert.equal(body.unit, 'tokens');
          assert.equal(body.bucket, 'hour');
          assert.equal(sum(body.points, (p: any) => p.amount), sum(events, (e) => e.amount), groupBy);
          assert.equal(body.total, sum(events, (e) => e.amount));
          const totals = new Map<string, number>();
          for (const e of events) totals.set(e[groupBy], (totals.get(e[groupBy]) ?? 0) + e.amount);
          const ranked = [...totals].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0])).map(([k]) => k);
          if (groupBy === 'userId' || groupBy === 'endpoint') {
            assert.deepEqual(body.groups, ranked.slice(0, 10));
            const other = sum(ranked.slice(10), (k) => totals.get(k)!);
            assert.equal(sum(body.points, (p: any) => p.other), other);
          } else {
            assert.deepEqual(body.groups, ranked);
            assert.ok(body.points.every((p: any) => p.other === undefined));
          }
          for (const key of body.groups) assert.equal(sum(body.points, (p: any) => p.byGroup[key]), totals.get(key), `${groupBy} ${key}`);
          for (const point of body.points) {
            assert.deepEqual(Object.keys(point.byGroup).sort(), [...body.groups].sort());
            assert.equal(point.amount, sum(Object.values(point.byGroup) as number[], (v) => v) + (point.other ?? 0));
          }
        }
      });

      test('filters narrow the series like the table, including endpoint and amount range', async () => {
        const from = iso(NOW - 2 * DAY);
        const to = iso(NOW);
        const filter: EventFilter = { from, to, resourceType: 'tokens', endpoints: ['/v1/responses'], amountMin: 100, amountMax: 5_000, ioTypes: ['input'], poolCategories: ['allocated', 'hybrid'] };
        const { body } = await get(`/consumption${qs({ from, to, endpoint: '/v1/responses', amountMin: 100, amountMax: 5_000, ioType: 'input', poolCategory: ['allocated', 'hybrid'], groupBy: 'poolCategory' })}`);
        assert.equal(body.total, sum(oracle(filter), (e) => e.amount));
        assert.deepEqual([...body.groups].sort(), ['allocated', 'hybrid']);
      });

      test('a request ID narrows the series to its events (a filter parameter like the others)', async () => {
        const from = iso(NOW - 7 * DAY);
        const to = iso(NOW);
        const tokens = oracle({ from, to, resourceType: 'tokens' });
        const target = tokens[Math.floor(tokens.length / 2)]!;
        const { status, body } = await get(`/consumption${qs({ from, to, requestId: target.requestId, groupBy: 'userId' })}`);
        assert.equal(status, 200);
        const matching = oracle({ from, to, resourceType: 'tokens', requestId: target.requestId });
        assert.ok(matching.length >= 1);
        assert.equal(body.total, sum(matching, (e) => e.amount));
        const byUser = new Map<string, number>();
        for (const e of matching) byUser.set(e.userId, (byUser.get(e.userId) ?? 0) + e.amount);
        assert.deepEqual(body.groups, [...byUser].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0])).map(([k]) => k));
        // Another organization's request ID matches nothing.
        const foreign = otherEvents.find((e) => e.resourceType === 'tokens' && !demoEvents.some((d) => d.requestId === e.requestId))!;
        const other = await get(`/consumption${qs({ from, to, requestId: foreign.requestId })}`);
        assert.equal(other.status, 200);
        assert.equal(other.body.total, 0);
      });

      test('a request ID without a range spans all dates: the minutes from its first event to its last', async () => {
        const old = demoEvents.find((e) => Date.parse(e.created) < NOW - 60 * DAY && e.resourceType === 'tokens')!;
        const matching = demoEvents.filter((e) => e.requestId === old.requestId && e.resourceType === 'tokens');
        const { status, body } = await get(`/consumption${qs({ requestId: old.requestId })}`);
        assert.equal(status, 200);
        const times = matching.map((e) => Date.parse(e.created));
        assert.equal(body.from, iso(Math.floor(Math.min(...times) / MINUTE) * MINUTE));
        assert.equal(body.to, iso(Math.floor(Math.max(...times) / MINUTE) * MINUTE + MINUTE));
        assert.equal(body.total, sum(matching, (e) => e.amount));
        assert.equal(sum(body.points, (p: any) => p.amount), body.total);
        // None matching (another organization's): the last 7 days, empty.
        const foreign = otherEvents.find((e) => !demoEvents.some((d) => d.requestId === e.requestId))!;
        const none = await get(`/consumption${qs({ requestId: foreign.requestId })}`);
        assert.equal(none.status, 200);
        assert.equal(Date.parse(none.body.to) - Date.parse(none.body.from), 7 * DAY);
        assert.equal(none.body.total, 0);
      });

      test('minute buckets: each point holds the matching events of its minute, by I/O type and by pool', async () => {
        // A store may read minute buckets from a per-minute rollup: each minute, each key.
        const from = NOW - DAY + 17_321;
        const to = NOW;
        for (const [groupBy, extra] of [
          ['ioType', {}],
          ['poolCategory', { ioType: 'output' }],
        ] as const) {
          const { status, body } = await get(`/consumption${qs({ from: iso(from), to: iso(to), bucket: 'minute', groupBy, ...extra })}`);
          assert.equal(status, 200);
          const events = oracle({ from: iso(from), to: iso(to), resourceType: 'tokens', ...('ioType' in extra ? { ioTypes: ['output'] } : {}) });
          assert.ok(events.length > 20, 'the day has events');
          assert.equal(body.total, sum(events, (e) => e.amount));
          const starts = body.points.map((p: any) => Date.parse(p.t));
          for (const [i, point] of body.points.entries()) {
            const inMinute = events.filter((e) => Date.parse(e.created) >= Math.max(from, starts[i]) && Date.parse(e.created) < (starts[i + 1] ?? to));
            for (const key of body.groups) {
              assert.equal(point.byGroup[key], sum(inMinute.filter((e) => e[groupBy] === key), (e) => e.amount), `${groupBy} ${key} at ${point.t}`);
            }
          }
        }
      });

      test('auto buckets: 24 h → minute, 7 and 30 days → hour, 90 days → day; first bucket holds from; empty buckets are 0', async () => {
        const to = Math.floor(NOW / MINUTE) * MINUTE + MINUTE;
        const expectations: [number, string, number][] = [
          [DAY, 'minute', 1_440],
          [7 * DAY, 'hour', 168],
          [30 * DAY, 'hour', 720],
          [90 * DAY, 'day', 91],
        ];
        for (const [span, bucket, count] of expectations) {
          const { body } = await get(`/consumption${qs({ from: iso(to - span), to: iso(to) })}`);
          assert.equal(body.bucket, bucket);
          assert.ok(Math.abs(body.points.length - count) <= 1, `${bucket}: ${body.points.length}`);
          assert.ok(Date.parse(body.points[0].t) <= to - span);
        }
        const quiet = await get(`/consumption${qs({ from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z', bucket: 'hour' })}`);
        assert.equal(quiet.body.points.length, 24);
        assert.ok(quiet.body.points.every((p: any) => p.amount === 0 && p.byGroup.input === 0 && p.byGroup.output === 0));
      });

      test('DST: a skipped hour gives no bucket, a repeated one two; days run from local midnight, weeks from Monday', async () => {
        const hours = async (tz: string, from: string, to: string, bucket = 'hour') =>
          (await get(`/consumption${qs({ from, to, tz, bucket })}`)).body.points.map((p: any) => p.t);
        // Europe/Berlin springs forward on 2026-03-29 at 02:00 local (01:00Z): the day has 23 hours.
        const spring = await hours('Europe/Berlin', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z');
        assert.equal(spring.length, 23);
        assert.deepEqual(spring.slice(0, 3), ['2026-03-28T23:00:00.000Z', '2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z']);
        // It falls back on 2025-10-26 at 03:00 local (01:00Z): 02:00–03:00 twice, 25 buckets.
        const autumn = await hours('Europe/Berlin', '2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z');
        assert.equal(autumn.length, 25);
        // America/New_York: 2026-03-08 has 23 hours; day buckets start at local midnight.
        const days = await hours('America/New_York', '2026-03-07T05:00:00Z', '2026-03-10T04:00:00Z', 'day');
        assert.deepEqual(days, ['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
        const weeks = await hours('America/New_York', '2026-03-04T12:00:00Z', '2026-03-20T00:00:00Z', 'week');
        assert.deepEqual(weeks, ['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z', '2026-03-16T04:00:00.000Z']);
        // India is 5:30 ahead: hours start at :30 UTC.
        const india = await hours('Asia/Kolkata', '2026-03-01T00:00:00Z', '2026-03-01T03:00:00Z');
        assert.equal(india[0], '2026-02-28T23:30:00.000Z');
      });

      test('more than 20,000 buckets is a 400 naming bucket', async () => {
        const { status, body } = await get(`/consumption${qs({ from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z', bucket: 'minute' })}`);
        assert.equal(status, 400);
        assert.equal(body.error.param, 'bucket');
        assert.match(body.error.message, /20,000/);
      });
    });

    describe('GET surplus', () => {
      /** The tokens pool's available at the end of the minute starting `minuteStart`, from the seeded events (the pool's capacity unchanged). */
      const poolAt = (capacity: number) => {
        const drawnIn = new Map<number, number>();
        for (const e of demoEvents) {
          if (e.resourceType !== 'tokens') continue;
          const m = Math.floor(Date.parse(e.created) / MINUTE) * MINUTE;
          drawnIn.set(m, (drawnIn.get(m) ?? 0) + e.surplusAmount);
        }
        return (minuteStart: number) => {
          let drawn = 0;
          for (let m = minuteStart - 4 * HOUR + MINUTE; m <= minuteStart; m += MINUTE) drawn += drawnIn.get(m) ?? 0;
          return Math.max(0, capacity - drawn);
        };
      };
      const lowestOver = (availableAt: (minute: number) => number, from: number, to: number) => {
        let lowest = Infinity;
        for (let m = from; m < to; m += MINUTE) lowest = Math.min(lowest, availableAt(m));
        return lowest;
      };

      test('drawn adds up to the events’ surplusAmount; usersOverBase counts distinct users; available follows the pool', async () => {
        const from = iso(NOW - 7 * DAY);
        const to = iso(NOW);
        const { status, body } = await get(`/surplus${qs({ from, to, tz: 'UTC' })}`);
        assert.equal(status, 200);
        const events = oracle({ from, to, resourceType: 'tokens' });
        assert.equal(sum(body.points, (p: any) => p.drawn), sum(events, (e) => e.surplusAmount));
        assert.ok(sum(body.points, (p: any) => p.drawn) > 0, 'the seed draws on the pool');
        const limits = await store.organizationLimits(DEMO_ORG.orgId);
        const capacity = limits.at(-1)!.surplusCapacity.tokens;
        assert.equal(body.capacity, capacity);
        const tokens = demoEvents.filter((e) => e.resourceType === 'tokens');
        const availableAt = poolAt(capacity);
        for (const index of [5, 40, 100, 150]) {
          const point = body.points[index];
          const start = Date.parse(point.t);
          const inBucket = events.filter((e) => Date.parse(e.created) >= start && Date.parse(e.created) < start + HOUR);
          assert.equal(point.drawn, sum(inBucket, (e) => e.surplusAmount));
          assert.equal(point.usersOverBase, new Set(inBucket.filter((e) => e.surplusAmount > 0).map((e) => e.userId)).size);
          assert.equal(point.available, availableAt(start + HOUR - MINUTE), `available at the end of ${point.t}`);
          assert.equal(point.availableMin, lowestOver(availableAt, start, start + HOUR));
          assert.equal(point.capacity, capacity);
        }
        const p = body.projection;
        const lastWeek = tokens.filter((e) => Date.parse(e.created) >= NOW - 7 * DAY && Date.parse(e.created) < NOW);
        assert.equal(p.ratePerDay, sum(lastWeek, (e) => e.surplusAmount) / 7);
        assert.equal(typeof p.troughSlopePerDay, 'number');
        assert.ok(p.exhaustedAt === null || (Date.parse(p.exhaustedAt) > NOW && Date.parse(p.exhaustedAt) <= NOW + 30 * DAY));
        assert.ok(Number.isInteger(p.exhaustions) && p.exhaustions >= 0);
      });

      test('a partial first or last bucket reads the pool inside [from, to) only, as its drawn does', async () => {
        // Days in UTC cut at 10:30 at both ends: the first bucket from 10:30, the last up to 10:30.
        const day = Math.floor((NOW - 6 * DAY) / DAY) * DAY;
        const from = day + 10 * HOUR + 30 * MINUTE;
        const to = from + 4 * DAY;
        const { status, body } = await get(`/surplus${qs({ from: iso(from), to: iso(to), bucket: 'day', tz: 'UTC' })}`);
        assert.equal(status, 200);
        const limits = await store.organizationLimits(DEMO_ORG.orgId);
        const availableAt = poolAt(limits.at(-1)!.surplusCapacity.tokens);
        const first = body.points[0];
        const last = body.points.at(-1);
        assert.equal(body.points.length, 5);
        assert.equal(first.availableMin, lowestOver(availableAt, from, day + DAY));
        assert.equal(first.available, availableAt(day + DAY - MINUTE));
        assert.equal(last.available, availableAt(to - MINUTE), 'the last is read at the range’s last minute, not at its midnight');
        assert.equal(last.availableMin, lowestOver(availableAt, Date.parse(last.t), to));
        // The seed's pool moves outside the range in these buckets: whole buckets would read otherwise.
        const whole = [lowestOver(availableAt, day, day + DAY), availableAt(Date.parse(last.t) + DAY - MINUTE), lowestOver(availableAt, Date.parse(last.t), Date.parse(last.t) + DAY)];
        assert.notDeepEqual([first.availableMin, last.available, last.availableMin], whole);
      });

      test('minute buckets: each point’s drawn and usersOverBase are those of its minute’s events, the first clipped to from', async () => {
        const from = NOW - DAY + 17_345;
        const to = NOW - 5_678;
        const { status, body } = await get(`/surplus${qs({ from: iso(from), to: iso(to), bucket: 'minute' })}`);
        assert.equal(status, 200);
        const events = oracle({ from: iso(from), to: iso(to), resourceType: 'tokens' });
        assert.ok(events.filter((e) => e.surplusAmount > 0).length > 5, 'the seed draws on the pool in the last day');
        assert.equal(body.points.length, 1_441, 'both ends inside a minute');
        for (const point of body.points) {
          const start = Date.parse(point.t);
          const inMinute = events.filter((e) => Date.parse(e.created) >= start && Date.parse(e.created) < start + MINUTE);
          assert.equal(point.drawn, sum(inMinute, (e) => e.surplusAmount), point.t);
          assert.equal(point.usersOverBase, new Set(inMinute.filter((e) => e.surplusAmount > 0).map((e) => e.userId)).size, point.t);
        }
      });

      test('ratePerDay is the last 7 days’ drawn / 7 whatever the range: near the week (a client’s clock), inside it, longer', async () => {
        const tokens = demoEvents.filter((e) => e.resourceType === 'tokens');
        const lastWeek = tokens.filter((e) => Date.parse(e.created) >= NOW - 7 * DAY && Date.parse(e.created) < NOW);
        const expected = sum(lastWeek, (e) => e.surplusAmount) / 7;
        for (const [from, to] of [
          [NOW - 7 * DAY + 20 * MINUTE, NOW - 7 * MINUTE],
          [NOW - 7 * DAY - 30 * MINUTE, NOW + 10 * MINUTE],
          [NOW - 7 * DAY + 1_234, NOW - 5_678],
          [NOW - 2 * DAY, NOW],
          [NOW - 30 * DAY, NOW - 20 * DAY],
        ] as const) {
          const { status, body } = await get(`/surplus${qs({ from: iso(from), to: iso(to), tz: 'UTC' })}`);
          assert.equal(status, 200);
          assert.equal(body.projection.ratePerDay, expected, `${iso(from)} – ${iso(to)}`);
        }
        assert.ok(expected > 0, 'the seed draws on the pool in the last week');
      });

      test('the trough fit reads the 14 days before asOf whatever the range: one that ends days before, one long before', async () => {
        const limits = await store.organizationLimits(DEMO_ORG.orgId);
        const capacityAt = (t: number) => [...limits].reverse().find((v) => v.effectiveFrom <= t)?.surplusCapacity.tokens ?? 0;
        const drawnPerMinute = new Map<number, number>();
        for (const e of demoEvents) {
          if (e.resourceType !== 'tokens' || e.surplusAmount === 0) continue;
          const m = Math.floor(Date.parse(e.created) / MINUTE);
          drawnPerMinute.set(m, (drawnPerMinute.get(m) ?? 0) + e.surplusAmount);
        }
        const available = (m: number) => {
          let drawn = 0;
          for (let k = m - 239; k <= m; k++) drawn += drawnPerMinute.get(k) ?? 0;
          return Math.max(0, capacityAt(m * MINUTE) - drawn);
        };
        // DESIGN: y = the lowest available in [NOW − k·24h, NOW − (k−1)·24h), x = its end.
        const xs: number[] = [];
        const ys: number[] = [];
        for (let k = 1; k <= 14; k++) {
          let lowest = Infinity;
          for (let m = Math.ceil((NOW - k * DAY) / MINUTE); m < Math.ceil((NOW - (k - 1) * DAY) / MINUTE); m++) lowest = Math.min(lowest, available(m));
          xs.push((NOW - (k - 1) * DAY) / DAY);
          ys.push(lowest);
        }
        const meanX = sum(xs, (x) => x) / 14;
        const meanY = sum(ys, (y) => y) / 14;
        const slope = sum(xs.map((x, i) => (x - meanX) * (ys[i]! - meanY)), (v) => v) / sum(xs, (x) => (x - meanX) ** 2);
        assert.ok(slope !== 0, 'the seed’s troughs move');
        const reference = await get(`/surplus${qs({ from: iso(NOW - 7 * DAY), to: iso(NOW) })}`);
        assert.ok(Math.abs(reference.body.projection.troughSlopePerDay - slope) < 1e-6 * Math.abs(slope), `${reference.body.projection.troughSlopePerDay} vs ${slope}`);
        for (const [from, to, bucket] of [
          [NOW - 3 * DAY, NOW - 2 * DAY, 'hour'],
          [NOW - 30 * DAY, NOW - 20 * DAY, 'day'],
          [NOW - 60 * DAY, NOW - 59 * DAY, 'minute'],
        ] as const) {
          const { status, body } = await get(`/surplus${qs({ from: iso(from), to: iso(to), bucket })}`);
          assert.equal(status, 200);
          assert.deepEqual(body.projection, { ...reference.body.projection, exhaustions: body.projection.exhaustions }, `${iso(from)} – ${iso(to)}`);
        }
      });

      test('the pool runs dry now and then over the 90 days; the first bucket’s drawn is clipped to from', async () => {
        const { body } = await get(`/surplus${qs({ from: iso(NOW - 90 * DAY), to: iso(NOW) })}`);
        assert.equal(body.bucket, 'day');
        assert.ok(body.projection.exhaustions >= 1, `exhaustions ${body.projection.exhaustions}`);
        assert.ok(body.points.some((p: any) => p.availableMin === 0));
        const from = NOW - 2 * DAY + 7 * HOUR + 13 * MINUTE;
        const clipped = await get(`/surplus${qs({ from: iso(from), to: iso(NOW), bucket: 'day' })}`);
        assert.equal(
          sum(clipped.body.points, (p: any) => p.drawn),
          sum(oracle({ from: iso(from), to: iso(NOW), resourceType: 'tokens' }), (e) => e.surplusAmount),
        );
      });
    });

    describe('directory routes', () => {
      test('users: ordered by id, q over id, name and email case-insensitively, id resolves chosen users, limit and offset', async () => {
        const all = await get('/users?limit=200');
        assert.equal(all.status, 200);
        const ids = all.body.items.map((u: any) => u.id);
        assert.deepEqual(ids, [...ids].sort(compareCodePoints));
        const named = all.body.items.find((u: any) => u.name && u.email);
        const first = named.name.split(' ')[0];
        const found = await get(`/users${qs({ q: first.toUpperCase(), limit: 200 })}`);
        assert.ok(found.body.items.length >= 1);
        assert.ok(found.body.items.every((u: any) => [u.id, u.name ?? '', u.email ?? ''].some((t: string) => t.toLowerCase().includes(first.toLowerCase()))));
        const byEmail = await get(`/users${qs({ q: named.email.toUpperCase() })}`);
        assert.deepEqual(byEmail.body.items.map((u: any) => u.id), [named.id]);
        const chosen = await get(`/users${qs({ id: [ids[3], ids[1], 'nobody'] })}`);
        assert.deepEqual(chosen.body.items.map((u: any) => u.id), [ids[1], ids[3]]);
        assert.equal(chosen.body.total, 2);
        const page = await get(`/users${qs({ limit: 5, offset: 5 })}`);
        assert.deepEqual(page.body.items.map((u: any) => u.id), ids.slice(5, 10));
        assert.equal(page.body.total, all.body.total);
        assert.equal(page.body.lastEventId, demoEvents.at(-1)!.id);
      });

      test('users/{id}: the user with the limits in force; another organization’s user is 404', async () => {
        const userId = demoEvents.at(-1)!.userId;
        const { status, body } = await get(`/users/${encodeURIComponent(userId)}`);
        assert.equal(status, 200);
        assert.equal(body.id, userId);
        const versions = await store.userLimits(DEMO_ORG.orgId, userId);
        for (const type of ['tokens', 'storage', 'ocr'] as const) {
          const current = versions.filter((v) => v.resourceType === type && v.effectiveFrom <= NOW).at(-1)!;
          assert.deepEqual(body.limits[type], { basePer4h: current.basePer4h, surplusPer4h: current.surplusPer4h });
        }
        assert.equal((await get(`/users/${encodeURIComponent(otherEvents[0]!.userId)}`)).status, 404);
        assert.equal((await get('/users/nobody')).status, 404);
        // A NUL in the path is bad input on every store (PostgreSQL text cannot hold it).
        const nul = await get('/users/u%00x');
        assert.equal(nul.status, 400);
        assert.equal(nul.body.error.param, 'id');
        // Like a string parameter: over 256 characters, or bad percent-encoding, is a 400 naming it.
        for (const path of [`/users/${'u'.repeat(257)}`, '/users/u%E0%A4%A', '/users/%FF']) {
          const bad = await get(path);
          assert.equal(bad.status, 400, path);
          assert.deepEqual([bad.body.error.code, bad.body.error.param], ['bad_parameter', 'id'], path);
        }
        assert.equal((await get(`/users/${'u'.repeat(256)}`)).status, 404);
      });

      test('endpoints: those seen in the last 90 days, most used first, q and limit', async () => {
        const { body } = await get('/endpoints');
        const counts = new Map<string, number>();
        for (const e of oracle({ from: iso(NOW - 90 * DAY), to: iso(NOW + DAY) })) counts.set(e.endpoint, (counts.get(e.endpoint) ?? 0) + 1);
        const expected = [...counts].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0])).map(([endpoint, events]) => ({ endpoint, events }));
        assert.deepEqual(body.items, expected);
        const ocr = await get(`/endpoints${qs({ q: 'OCR', limit: 1 })}`);
        assert.deepEqual(ocr.body.items, expected.filter((e) => e.endpoint.includes('ocr')).slice(0, 1));
      });

      test('limits: the organization’s limits in force and what the rolling week used', async () => {
        const { body } = await get('/limits');
        const current = (await store.organizationLimits(DEMO_ORG.orgId)).at(-1)!;
        assert.equal(body.weeklyTokenLimit, current.weeklyTokenLimit);
        assert.equal(body.storageLimit, current.storageLimit);
        assert.deepEqual(body.surplusCapacity, current.surplusCapacity);
        const week = oracle({ from: iso(NOW - 7 * DAY + 1), to: iso(NOW + 1) });
        assert.equal(body.weeklyTokensUsed, sum(week.filter((e) => e.resourceType === 'tokens'), (e) => e.amount));
        assert.equal(body.storageUsed, sum(week.filter((e) => e.resourceType === 'storage'), (e) => e.amount));
      });
    });

    describe('the far end of the instants accepted', () => {
      test('ranges ending in the last hour, day or week of year 9999 answer 200 (a store that rounds an end up past it must still read it)', async () => {
        const paths = [
          `/events${qs({ from: '2026-12-01T00:00:00Z', to: '9999-12-31T23:00:00.001Z' })}`,
          `/events${qs({ from: '2026-12-01T00:00:00Z', to: '9999-12-31T23:59:59.999Z', userId: 'nobody' })}`,
          `/events.csv${qs({ from: '9999-12-31T00:00:00Z', to: '9999-12-31T23:59:59.999Z' })}`,
          `/consumption${qs({ from: '9999-12-31T00:00:00Z', to: '9999-12-31T23:59:59.999Z', bucket: 'hour' })}`,
          `/consumption${qs({ from: '9999-12-30T00:00:00Z', to: '9999-12-31T12:00:00Z', bucket: 'day', groupBy: 'userId' })}`,
          `/consumption${qs({ from: '9999-12-25T00:00:00Z', to: '9999-12-28T12:00:00Z', bucket: 'week' })}`,
          `/surplus${qs({ from: '9999-12-31T00:00:00Z', to: '9999-12-31T23:59:59.999Z', bucket: 'hour' })}`,
        ];
        for (const path of paths) {
          const { status, body } = await get(path);
          assert.equal(status, 200, `${path}: ${JSON.stringify(body).slice(0, 200)}`);
        }
      });
    });

    describe('authentication and isolation', () => {
      test('401 without or with a wrong token, 403 without the scope, 404 for no route', async () => {
        const none = await get('/events', null);
        assert.equal(none.status, 401);
        assert.equal(none.body.error.code, 'unauthorized');
        assert.equal(none.headers.get('www-authenticate'), 'Bearer');
        assert.equal((await get('/events', 'wrong')).status, 401);
        const post = await get('/events', TOKENS.demoRead, { method: 'POST', body: '{}' });
        assert.equal(post.status, 403);
        assert.equal(post.body.error.code, 'forbidden');
        const missing = await get('/nothing');
        assert.equal(missing.status, 404);
        assert.equal(missing.body.error.code, 'not_found');
      });

      test('HEAD answers as GET without a body, on every read route, authentication included', async () => {
        for (const path of ['/events', '/events.csv', '/events/stream', '/consumption', '/surplus', '/users', '/endpoints', '/limits']) {
          const head = await handler(new Request(`${BASE}${path}`, { method: 'HEAD', headers: { authorization: `Bearer ${TOKENS.demoRead}` } }));
          assert.equal(head.status, 200, path);
          assert.equal(head.body, null, path);
          assert.match(head.headers.get('content-type') ?? '', path === '/events.csv' ? /^text\/csv/ : path === '/events/stream' ? /^text\/event-stream/ : /^application\/json/, path);
        }
        const anonymous = await handler(new Request(`${BASE}/events`, { method: 'HEAD' }));
        assert.equal(anonymous.status, 401);
        assert.equal(anonymous.body, null);
        assert.equal((await handler(new Request(`${BASE}/events?pageSize=0`, { method: 'HEAD', headers: { authorization: `Bearer ${TOKENS.demoRead}` } }))).status, 400);
      });

      test('another organization’s data is never returned, counted, summed or streamed', async () => {
        const other = TOKENS.otherRead;
        const demoUser = demoEvents.at(-1)!.userId;
        const otherIds = new Set(otherEvents.map((e) => e.id));
        const range = qs({ from: iso(NOW - 90 * DAY), to: iso(NOW + 1) });
        const events = await get(`/events${range}&pageSize=500`, other);
        assert.equal(events.body.total, otherEvents.length);
        assert.ok(events.body.items.every((e: ConsumptionEvent) => otherIds.has(e.id)));
        assert.equal((await get(`/events${range}&userId=${encodeURIComponent(demoUser)}`, other)).body.total, 0);
        assert.equal((await get(`/events${qs({ requestId: demoEvents[5]!.requestId })}`, other)).body.total, 0);
        const csv = (await get(`/events.csv${range}`, other)).body as string;
        assert.equal(csv.trim().split('\r\n').length - 1, otherEvents.length);
        const consumption = await get(`/consumption${range}&bucket=day&groupBy=userId`, other);
        assert.equal(consumption.body.total, sum(otherEvents.filter((e) => e.resourceType === 'tokens'), (e) => e.amount));
        const surplus = await get(`/surplus${range}&bucket=day`, other);
        assert.equal(sum(surplus.body.points, (p: any) => p.drawn), sum(otherEvents.filter((e) => e.resourceType === 'tokens'), (e) => e.surplusAmount));
        const users = await get('/users?limit=200', other);
        assert.ok(users.body.items.every((u: any) => !demoEvents.some((e) => e.userId === u.id) || otherEvents.some((e) => e.userId === u.id)));
        assert.equal((await get(`/users${qs({ id: demoUser })}`, other)).body.total, 0);
        assert.equal((await get(`/users/${encodeURIComponent(demoUser)}`, other)).status, 404);
        const limits = await get('/limits', other);
        assert.equal(limits.body.lastEventId, otherEvents.at(-1)!.id);
        const endpoints = await get('/endpoints', other);
        assert.equal(sum(endpoints.body.items, (e: any) => e.events), otherEvents.filter((e) => Date.parse(e.created) >= NOW - 90 * DAY).length);
        // The stream: an event of the demo organization never reaches the other one's stream.
        const response = await handler(new Request(`http://x/api/events/stream`, { headers: { authorization: `Bearer ${other}` } }));
        const reader = new SseReader(response.body!);
        await reader.until((m) => m.length >= 1);
        const demoToken = TOKENS.demoIngest;
        const posted = await get('/events', demoToken, { method: 'POST', body: JSON.stringify({ userId: demoUser, amount: 0, resourceType: 'tokens', ioType: 'input', requestId: 'iso-1', endpoint: '/iso' }) });
        assert.equal(posted.status, 201);
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(reader.events(), []);
        await reader.close();
      });
    });

    describe('parameters', () => {
      test('each route refuses what it does not accept, naming the parameter', async () => {
        const cases: [string, string][] = [
          ['/events?bogus=1', 'bogus'],
          ['/events?sort=created&sort=amount', 'sort'],
          ['/events?groupBy=userId', 'groupBy'],
          ['/consumption?after=1', 'after'],
          ['/consumption?sort=amount', 'sort'],
          ['/surplus?userId=u', 'userId'],
          ['/users?from=2026-01-01T00:00:00Z', 'from'],
          ['/limits?x=1', 'x'],
          [`/users/${encodeURIComponent(demoEvents[0]!.userId)}?q=1`, 'q'],
          ['/endpoints?offset=1', 'offset'],
          ['/events?from=2026-01-01T00:00:00Z', 'to'],
          ['/events?to=2026-01-01T00:00:00Z', 'from'],
          ['/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
          ['/events?from=2026-01-01T00:00:00&to=2026-01-02T00:00:00Z', 'from'],
          ['/events?from=2026-02-30T00:00:00Z&to=2026-03-02T00:00:00Z', 'from'],
          ['/events?amountMin=5', 'amountMin'],
          ['/events?amountMax=5', 'amountMin'],
          ['/events.csv?amountMin=5', 'amountMin'],
          ['/events?resourceType=tokens&amountMin=9&amountMax=5', 'amountMin'],
          ['/events?resourceType=tokens&amountMin=-1', 'amountMin'],
          ['/events?resourceType=tokens&amountMin=1.5', 'amountMin'],
          ['/events?resourceType=gold', 'resourceType'],
          ['/events?poolCategory=allocated&poolCategory=nope', 'poolCategory'],
          ['/events?pageSize=0', 'pageSize'],
          ['/events?pageSize=501', 'pageSize'],
          ['/events?page=0', 'page'],
          ['/events?page=40002&pageSize=25', 'page'],
          ['/events?tz=Mars/Olympus', 'tz'],
          ['/consumption?bucket=fortnight', 'bucket'],
          ['/consumption?groupBy=amount', 'groupBy'],
          [`/events?requestId=${'x'.repeat(257)}`, 'requestId'],
          // Characters are code points: 257 emoji (514 UTF-16 units) are over, 256 (512) are not (below).
          [`/events?requestId=${encodeURIComponent('😀'.repeat(257))}`, 'requestId'],
          [`/events?${Array.from({ length: 201 }, (_, i) => `userId=u${i}`).join('&')}`, 'userId'],
          ['/events?userId=', 'userId'],
          ['/users?limit=201', 'limit'],
          ['/users?limit=0', 'limit'],
          ['/endpoints?limit=201', 'limit'],
          ['/events/stream?after=abc', 'after'],
          // Percent-encoding that is not UTF-8 (a truncated sequence, a lone continuation byte).
          ['/events?userId=%E0%A4%A', 'userId'],
          ['/consumption?endpoint=%80', 'endpoint'],
          ['/events?%E0=1', '\ufffd'],
        ];
        assert.equal((await get(`/events?requestId=${encodeURIComponent('😀'.repeat(256))}`)).status, 200);
        for (const [path, param] of cases) {
          const { status, body } = await get(path);
          assert.equal(status, 400, path);
          assert.equal(body.error.code, 'bad_parameter', path);
          assert.equal(body.error.param, param, path);
          assert.equal(typeof body.error.message, 'string');
        }
        const huge = await get(`/events?${Array.from({ length: 140 }, (_, i) => `endpoint=${String(i).padEnd(240, 'e')}`).join('&')}`);
        assert.equal(huge.status, 400);
        assert.match(huge.body.error.message, /32,768/);
        assert.equal(huge.body.error.param, 'endpoint');
        const limits = await get('/events?page=40001&pageSize=25');
        assert.equal(limits.status, 200, 'an offset of exactly 1,000,000 is allowed');
        const other = await get(`/events${qs({ userId: otherEvents[0]!.userId })}`);
        assert.equal(other.status, 200, 'another organization’s IDs match nothing');
        assert.equal(other.body.total, 0);
      });
    });

    describe('POST events (ingest)', () => {

      const event = (userId: string, amount: number, extra: Record<string, unknown> = {}) => ({ userId, amount, resourceType: 'tokens', ioType: 'input', requestId: `r${amount}`, endpoint: '/v1/chat/completions', ...extra });
      const post = (token: string, body: unknown, headers: Record<string, string> = {}) => get('/events', token, { method: 'POST', body: JSON.stringify(body), headers });

      test('classification at the base boundary: allocated, hybrid split, surplus, then refused with details', async () => {
        const t = await makeOrg('org_classify', [{ id: 'ana', base: 100, surplus: 50 }]);
        const first = await post(t.ingest, event('ana', 60, { created: iso(NOW - 2 * HOUR) }));
        assert.equal(first.status, 201);
        assert.deepEqual([first.body.poolCategory, first.body.surplusAmount], ['allocated', 0]);
        const second = await post(t.ingest, event('ana', 60));
        assert.deepEqual([second.body.poolCategory, second.body.surplusAmount], ['hybrid', 20]);
        const third = await post(t.ingest, event('ana', 30));
        assert.deepEqual([third.body.poolCategory, third.body.surplusAmount], ['surplus', 30]);
        const refused = await post(t.ingest, event('ana', 1));
        assert.equal(refused.status, 422);
        assert.equal(refused.body.error.code, 'limit_exceeded');
        assert.deepEqual(refused.body.error.details, { baseLeft: 0, surplusLeft: 0, weeklyLeft: 1e12 - 150, freesAt: iso(NOW - 2 * HOUR + 4 * HOUR) });
        // Exactly at the boundary: a fresh window takes 100 as allocated.
        const edge = await post(t.ingest, event('ana', 100, { created: iso(NOW - 22 * HOUR) }));
        assert.deepEqual([edge.body.poolCategory, edge.body.surplusAmount], ['allocated', 0]);
        // Four hours later the budget is free again (the window is (t − 4h, t]).
        const later = await post(t.ingest, event('ana', 100, { created: iso(NOW - 18 * HOUR) }));
        assert.deepEqual([later.body.poolCategory, later.body.surplusAmount], ['allocated', 0]);
        const stored = await get(`/events${qs({ from: iso(NOW - DAY), to: iso(NOW + HOUR), sort: 'created', order: 'asc' })}`, t.read);
        assert.deepEqual(
          stored.body.items.map((e: ConsumptionEvent) => [e.amount, e.poolCategory, e.surplusAmount]),
          [[100, 'allocated', 0], [100, 'allocated', 0], [60, 'allocated', 0], [60, 'hybrid', 20], [30, 'surplus', 30]],
        );
      });

      test('an endpoint or user ID named like an Object property ("__proto__", "toString") is a group as any other', async () => {
        const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
        const t = await makeOrg('org_proto_keys', [...names, 'plain'].map((id) => ({ id, base: 1e9, surplus: 0 })));
        for (const [i, name] of names.entries()) {
          const stored = await post(t.ingest, event(name, 10 + i, { endpoint: name, created: iso(NOW - HOUR) }));
          assert.equal(stored.status, 201, name);
        }
        for (const groupBy of ['endpoint', 'userId']) {
          const { status, body } = await get(`/consumption${qs({ from: iso(NOW - DAY), to: iso(NOW), groupBy, bucket: 'day' })}`, t.read);
          assert.equal(status, 200);
          assert.deepEqual([...body.groups].sort(), [...names].sort(), groupBy);
          // Each key its own amount, and every point's keys add up to its amount (on a plain
          // object "__proto__" set the prototype: its 10 tokens were in no group).
          for (const [i, name] of names.entries()) {
            assert.equal(sum(body.points, (p: any) => (Object.hasOwn(p.byGroup, name) ? p.byGroup[name] : NaN)), 10 + i, `${groupBy} ${name}`);
          }
          for (const p of body.points) assert.equal(sum(Object.values(p.byGroup) as number[], (v) => v) + (p.other ?? 0), p.amount);
        }
      });

      test('limits that change: each event is classified with the user’s and the pool’s versions in force at its created', async () => {
        const t = await makeOrg('org_versions', [{ id: 'v', base: 100, surplus: 1_000 }], { capacity: 30 });
        const warm = await post(t.ingest, event('v', 10, { created: iso(NOW - 20 * HOUR) }));
        assert.deepEqual([warm.body.poolCategory, warm.body.surplusAmount], ['allocated', 0]);
        // New versions from NOW − 2h, set after ingest has read the old ones.
        await store.setUserLimits('org_versions', 'v', [{ resourceType: 'tokens', effectiveFrom: NOW - 2 * HOUR, basePer4h: 200, surplusPer4h: 1_000 }]);
        await store.setOrganizationLimits('org_versions', {
          effectiveFrom: NOW - 2 * HOUR,
          weeklyTokenLimit: 1e12,
          storageLimit: 1e15,
          surplusCapacity: { tokens: 80, storage: 1e12, ocr: 1e6 },
        });
        const old = await post(t.ingest, event('v', 120, { created: iso(NOW - 3 * HOUR) }));
        assert.deepEqual([old.body.poolCategory, old.body.surplusAmount], ['hybrid', 20], 'base 100 and the pool’s 30 before the change');
        const refusedOld = await post(t.ingest, event('v', 11, { created: iso(NOW - 3 * HOUR + 1) }));
        assert.equal(refusedOld.status, 422);
        assert.deepEqual([refusedOld.body.error.details.baseLeft, refusedOld.body.error.details.surplusLeft], [0, 10]);
        // At NOW: base 200 − 100 used; the pool 80 − 20 drawn in the last 4 hours.
        const fresh = await post(t.ingest, event('v', 150));
        assert.deepEqual([fresh.body.poolCategory, fresh.body.surplusAmount], ['hybrid', 50]);
        const user = await get('/users/v', t.read);
        assert.deepEqual(user.body.limits.tokens, { basePer4h: 200, surplusPer4h: 1_000 });
        const limits = await get('/limits', t.read);
        assert.equal(limits.body.surplusCapacity.tokens, 80);
      });

      test('the shared pool limits surplus; the weekly token limit refuses past it', async () => {
        const t = await makeOrg('org_pool', [{ id: 'a', base: 10, surplus: 1_000 }, { id: 'b', base: 10, surplus: 1_000 }], { capacity: 50, weeklyTokenLimit: 300 });
        const a = await post(t.ingest, event('a', 45));
        assert.deepEqual([a.body.poolCategory, a.body.surplusAmount], ['hybrid', 35]);
        const b = await post(t.ingest, event('b', 40));
        assert.equal(b.status, 422, 'the pool has 15 left: 10 base + 15 < 40');
        assert.deepEqual(b.body.error.details.surplusLeft, 15);
        const b2 = await post(t.ingest, event('b', 25));
        assert.deepEqual([b2.body.poolCategory, b2.body.surplusAmount], ['hybrid', 15]);
        const surplus = await get(`/surplus${qs({ from: iso(NOW - HOUR), to: iso(NOW + MINUTE), bucket: 'minute' })}`, t.read);
        assert.equal(surplus.body.points.at(-1).available, 0);
        assert.equal(surplus.body.projection.exhaustions, 1);
        const storageOk = await post(t.ingest, event('a', 5, { resourceType: 'storage' }));
        assert.equal(storageOk.status, 201);
        // Only tokens have a weekly refusal (DESIGN.md); the storage limit is reported, not enforced.
        const s = await makeOrg('org_storage_limit', [{ id: 's', base: 1_000, surplus: 0 }], { storageLimit: 10 });
        const stored = await post(s.ingest, event('s', 900, { resourceType: 'storage' }));
        assert.deepEqual([stored.status, stored.body.poolCategory], [201, 'allocated']);
        const over = await get('/limits', s.read);
        assert.deepEqual([over.body.storageLimit, over.body.storageUsed], [10, 900]);
        const c = await makeOrg('org_week', [{ id: 'w' }], { weeklyTokenLimit: 300 });
        assert.equal((await post(c.ingest, event('w', 250, { created: iso(NOW - 20 * HOUR) }))).status, 201);
        const week = await post(c.ingest, event('w', 60));
        assert.equal(week.status, 422);
        assert.equal(week.body.error.details.weeklyLeft, 50);
        assert.equal(week.body.error.details.freesAt, iso(NOW - 20 * HOUR + 7 * DAY));
        assert.equal((await post(c.ingest, event('w', 50))).status, 201);
      });

      test('the rolling 7 days are (t − 7d, t] to the millisecond, inside the minutes their edges fall in', async () => {
        const t = await makeOrg('org_week_edges', [{ id: 'e' }], { weeklyTokenLimit: 1_000 });
        const item = (amount: number, created: number): IngestItem => ({ ...event('e', amount), resourceType: 'tokens', ioType: 'input', created });
        // NOW − 7d falls inside a minute (…:23.456): 100 just before the edge, 200 just after
        // it; 300 a second after NOW, in NOW's own minute (later than an event at NOW).
        const stored = await store.ingest('org_week_edges', [item(100, NOW - 7 * DAY - 1), item(200, NOW - 7 * DAY + 1)]);
        assert.equal(stored.kind, 'stored');
        assert.equal((await store.ingest('org_week_edges', [item(300, NOW + 1_000)])).kind, 'stored');
        const refused = await post(t.ingest, event('e', 1_000_000));
        assert.equal(refused.status, 422);
        assert.equal(refused.body.error.details.weeklyLeft, 800, 'only the 200 after the edge counts at NOW');
        assert.equal(refused.body.error.details.freesAt, iso(NOW - 7 * DAY + 1 + 7 * DAY));
        const exact = await post(t.ingest, event('e', 800));
        assert.equal(exact.status, 201, 'exactly what is left');
        assert.equal((await post(t.ingest, event('e', 1))).status, 422);
      });

      test('a pool overdrawn by back-dated ingest reads below 0 (capacity − drawn, as DESIGN.md writes it) and counts as running dry', async () => {
        const t = await makeOrg('org_overdrawn', [{ id: 'a', base: 0, surplus: 1_000 }, { id: 'b', base: 0, surplus: 1_000 }], { capacity: 50 });
        const minute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;
        assert.equal((await post(t.ingest, event('a', 40, { created: iso(minute(NOW - 2 * HOUR)) }))).body.poolCategory, 'surplus');
        // Its own window, (t − 4h, t], has the whole pool: 30 more, which the later 40 now overdraws by 20.
        assert.equal((await post(t.ingest, event('a', 30, { created: iso(minute(NOW - 3 * HOUR)) }))).body.poolCategory, 'surplus');
        const surplus = await get(`/surplus${qs({ from: iso(minute(NOW - 4 * HOUR)), to: iso(minute(NOW) + MINUTE), bucket: 'hour' })}`, t.read);
        assert.deepEqual(
          surplus.body.points.map((p: any) => [p.available, p.availableMin]),
          [[50, 50], [20, 20], [-20, -20], [-20, -20], [-20, -20]],
        );
        assert.equal(surplus.body.projection.exhaustions, 1);
        const refused = await post(t.ingest, event('b', 1, { created: iso(minute(NOW - 2 * HOUR) + 1) }));
        assert.equal(refused.status, 422);
        assert.equal(refused.body.error.details.surplusLeft, -20);
      });

      test('a refusal frees when its binding limit first gets room back: the user’s own allowance, not a pool with room', async () => {
        const t = await makeOrg('org_frees', [{ id: 'f', base: 10, surplus: 20 }, { id: 'g', base: 0, surplus: 1_000 }], { capacity: 1_000 });
        // The pool's oldest draw (g) is older than f's own events; the pool keeps room.
        assert.equal((await post(t.ingest, event('g', 5, { created: iso(NOW - 3 * HOUR) }))).status, 201);
        assert.equal((await post(t.ingest, event('f', 30, { created: iso(NOW - HOUR - 1_234) }))).body.poolCategory, 'hybrid');
        const refused = await post(t.ingest, event('f', 1));
        assert.equal(refused.status, 422);
        assert.deepEqual(refused.body.error.details, { baseLeft: 0, surplusLeft: 0, weeklyLeft: 1e12 - 35, freesAt: iso(NOW - HOUR - 1_234 + 4 * HOUR) });
      });

      test('a batch answers one entry per input in order; the valid ones are stored with increasing ids', async () => {
        const t = await makeOrg('org_batch', [{ id: 'x', base: 100, surplus: 0 }]);
        const { status, body } = await post(t.ingest, {
          events: [event('x', 40), event('nobody', 1), event('x', 70), { ...event('x', 1), amount: -1 }, event('x', 60), { ...event('x', 1), created: iso(NOW - 25 * HOUR) }, { ...event('x', 1), extra: true }],
        });
        assert.equal(status, 200);
        assert.equal(body.items.length, 7);
        assert.equal(body.items[0].poolCategory, 'allocated');
        assert.equal(body.items[1].error.code, 'bad_parameter');
        assert.equal(body.items[1].error.param, 'userId');
        assert.equal(body.items[2].error.code, 'limit_exceeded');
        assert.equal(body.items[3].error.param, 'amount');
        assert.equal(body.items[4].poolCategory, 'allocated');
        assert.equal(body.items[5].error.param, 'created');
        assert.equal(body.items[6].error.param, 'extra');
        assert.ok(Number(body.items[4].id) > Number(body.items[0].id));
        assert.equal((await get(`/events${qs(UP_TO_NOW)}`, t.read)).body.total, 2);
      });

      test('an organization’s ids say nothing of another’s ingest: its next event takes its next id', async () => {
        const a = await makeOrg('org_ids_a', [{ id: 'x' }]);
        const b = await makeOrg('org_ids_b', [{ id: 'y' }]);
        const first = await post(b.ingest, event('y', 1));
        assert.equal((await post(a.ingest, { events: Array.from({ length: 37 }, (_, i) => event('x', i + 1)) })).status, 200);
        const second = await post(b.ingest, event('y', 2));
        // One sequence for the whole file put 37 between them: B could count A's events.
        assert.equal(Number(second.body.id) - Number(first.body.id), 1);
        assert.ok(Number(second.body.id) < 2 ** 53);
        const read = await get(`/events${qs(UP_TO_NOW)}`, b.read);
        assert.equal(read.body.lastEventId, second.body.id);
        assert.deepEqual(read.body.items.map((e: { id: string }) => e.id), [second.body.id, first.body.id]);
        // Resumed after its first event, B's stream sends its second alone.
        const controller = new AbortController();
        const response = await handler(new Request(`${BASE}/events/stream?after=${first.body.id}`, { headers: { authorization: `Bearer ${b.read}` }, signal: controller.signal }));
        const messages = new SseReader(response.body!);
        await messages.until(() => messages.events().length >= 1);
        assert.deepEqual(messages.events().map((e) => e.id), [second.body.id]);
        controller.abort();
      });

      test('bad bodies: 400 naming the field, 413 past 10,000 events or the byte limit', async () => {
        const t = await makeOrg('org_bad', [{ id: 'x' }]);
        const notJson = await get('/events', t.ingest, { method: 'POST', body: '{nope' });
        assert.equal(notJson.status, 400);
        assert.equal((await post(t.ingest, { ...event('x', 1), resourceType: 'gold' })).body.error.param, 'resourceType');
        assert.equal((await post(t.ingest, { ...event('x', 1), created: '2026-03-30T10:00:00' })).body.error.param, 'created');
        assert.equal((await post(t.ingest, { ...event('x', 1), userId: 'a\u0000b' })).body.error.param, 'userId');
        assert.equal((await post(t.ingest, { ...event('x', 1), requestId: '\ud800' })).body.error.param, 'requestId');
        const many = await post(t.ingest, { events: Array.from({ length: 10_001 }, () => event('x', 1)) });
        assert.equal(many.status, 413);
        assert.equal(many.body.error.code, 'too_large');
        const small = createHandler({ store, now: () => NOW, basePath: '/api', maxBodyBytes: 100 });
        const big = await call(small, '/events', t.ingest, { method: 'POST', body: JSON.stringify({ events: [event('x', 1), event('x', 2)] }) });
        assert.equal(big.status, 413);
        assert.equal((await get('/events', t.read)).body.total, 0);
      });

      test('Idempotency-Key: a repeat returns the first answer and stores nothing twice; another body is 409', async () => {
        const t = await makeOrg('org_idem', [{ id: 'x' }]);
        const body = { events: [event('x', 5), event('x', 6)] };
        const first = await post(t.ingest, body, { 'idempotency-key': 'k-1' });
        const again = await post(t.ingest, body, { 'idempotency-key': 'k-1' });
        assert.equal(again.status, 200);
        assert.deepEqual(again.body, first.body);
        assert.equal((await get(`/events${qs(UP_TO_NOW)}`, t.read)).body.total, 2);
        const conflict = await post(t.ingest, { events: [event('x', 7)] }, { 'idempotency-key': 'k-1' });
        assert.equal(conflict.status, 409);
        assert.equal(conflict.body.error.code, 'conflict');
        // A single event refused whole (400: a bad field, an unknown user) keeps no key: sent
        // again corrected with the same key, it is stored (the unknown user's 400 kept it: 409).
        for (const [bad, key] of [[{ ...event('x', 3), amount: -1 }, 'k-bad'], [event('nobody', 3), 'k-who']] as const) {
          assert.equal((await post(t.ingest, bad, { 'idempotency-key': key })).status, 400);
          const corrected = await post(t.ingest, event('x', 3, { requestId: key }), { 'idempotency-key': key });
          assert.equal(corrected.status, 201, key);
          assert.equal(corrected.body.requestId, key);
        }
        const single = await post(t.ingest, event('x', 9), { 'idempotency-key': 'k-2' });
        const singleAgain = await post(t.ingest, event('x', 9), { 'idempotency-key': 'k-2' });
        assert.equal(singleAgain.status, 201);
        assert.deepEqual(singleAgain.body, single.body);
        // Another organization may use the same key for its own request.
        const u = await makeOrg('org_idem2', [{ id: 'x' }]);
        assert.equal((await post(u.ingest, { events: [event('x', 7)] }, { 'idempotency-key': 'k-1' })).status, 200);
        // 24 hours later the key is free again.
        const tomorrow = createHandler({ store, now: () => NOW + DAY + MINUTE, basePath: '/api' });
        const late = await call(tomorrow, '/events', t.ingest, { method: 'POST', body: JSON.stringify({ events: [event('x', 7)] }), headers: { 'idempotency-key': 'k-1' } });
        assert.equal(late.status, 200);
        assert.ok(late.body.items[0].id);
      });

      test('Idempotency-Key: a replay is the first answer byte for byte (stored events, refusals, a single 422)', async () => {
        const t = await makeOrg('org_idem_bytes', [{ id: 'x', base: 10, surplus: 0 }]);
        const raw = async (body: unknown, key: string) => {
          const response = await handler(
            new Request(`${BASE}/events`, {
              method: 'POST',
              body: JSON.stringify(body),
              headers: { authorization: `Bearer ${t.ingest}`, 'content-type': 'application/json', 'idempotency-key': key },
            }),
          );
          return { status: response.status, text: await response.text() };
        };
        // A stored event, a refusal with details, an entry the handler refuses, another stored one.
        const batch = { events: [event('x', 4), event('x', 1e9), event('nobody', 1), event('x', 5, { ioType: 'output' })] };
        const first = await raw(batch, 'b-1');
        assert.equal(first.status, 200);
        assert.match(first.text, /"limit_exceeded"/);
        const again = await raw(batch, 'b-1');
        assert.equal(again.status, 200);
        assert.equal(again.text, first.text);
        const single = await raw(event('x', 1e9), 'b-2');
        assert.equal(single.status, 422);
        const singleAgain = await raw(event('x', 1e9), 'b-2');
        assert.equal(singleAgain.status, 422);
        assert.equal(singleAgain.text, single.text);
        const stored = await raw(event('x', 1, { requestId: 'r-single' }), 'b-3');
        assert.equal(stored.status, 201);
        assert.equal((await raw(event('x', 1, { requestId: 'r-single' }), 'b-3')).text, stored.text);
        // The replayed event is also what a read of it answers.
        const read = await get(`/events?requestId=r-single`, t.read);
        assert.equal(JSON.stringify(read.body.items[0]), stored.text);
      });
    });

    describe('GET events/stream', () => {
      const open = async (token: string, query = '', headers: Record<string, string> = {}, signal?: AbortSignal) => {
        const response = await handler(new Request(`http://x/api/events/stream${query}`, { headers: { authorization: `Bearer ${token}`, ...headers }, ...(signal ? { signal } : {}) }));
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type')!, /^text\/event-stream/);
        return new SseReader(response.body!);
      };

      test('live events arrive in batches with the batch’s last id; filters apply with the shared matcher', async () => {
        const t = await makeOrg('org_live', [{ id: 'a' }, { id: 'b' }]);
        const all = await open(t.read);
        const onlyB = await open(t.read, qs({ userId: 'b', ioType: 'output' }));
        await all.until((m) => m.length >= 1);
        const batch = await get('/events', t.ingest, {
          method: 'POST',
          body: JSON.stringify({ events: [{ userId: 'a', amount: 1, resourceType: 'tokens', ioType: 'input', requestId: 'r1', endpoint: '/e' }, { userId: 'b', amount: 2, resourceType: 'tokens', ioType: 'output', requestId: 'r2', endpoint: '/e' }, { userId: 'b', amount: 3, resourceType: 'ocr', ioType: 'input', requestId: 'r3', endpoint: '/e' }] }),
        });
        const ids = batch.body.items.map((e: ConsumptionEvent) => e.id);
        await all.until(() => all.events().length >= 3);
        assert.deepEqual(all.events().map((e) => e.id), ids);
        const last = all.messages.filter((m) => m.event === 'consumption').at(-1)!;
        assert.equal(last.id, ids[2]);
        await onlyB.until(() => onlyB.events().length >= 1);
        await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(onlyB.events().map((e) => e.id), [ids[1]]);
        assert.equal(onlyB.messages.filter((m) => m.event === 'consumption').at(-1)!.id, ids[1]);
        await all.close();
        await onlyB.close();
      });

      test('resume after a dropped connection with after= or Last-Event-ID: nothing lost, nothing twice', async () => {
        const t = await makeOrg('org_resume', [{ id: 'a' }]);
        const one = (n: number) => ({ userId: 'a', amount: n, resourceType: 'tokens', ioType: 'input', requestId: `r${n}`, endpoint: '/e' });
        const controller = new AbortController();
        const first = await open(t.read, '', {}, controller.signal);
        await first.until((m) => m.length >= 1);
        await get('/events', t.ingest, { method: 'POST', body: JSON.stringify({ events: [one(1), one(2)] }) });
        await first.until(() => first.events().length >= 2);
        const lastId = first.messages.filter((m) => m.event === 'consumption').at(-1)!.id!;
        controller.abort();
        await first.finished;
        for (let n = 3; n <= 6; n++) await get('/events', t.ingest, { method: 'POST', body: JSON.stringify(one(n)) });
        const byHeader = await open(t.read, '', { 'last-event-id': lastId });
        const byQuery = await open(t.read, qs({ after: lastId }));
        // An EventSource reconnecting to a URL with `after` sends the newer Last-Event-ID: it wins.
        const reconnected = await open(t.read, qs({ after: 0 }), { 'last-event-id': lastId });
        await reconnected.until(() => reconnected.events().length >= 4);
        assert.deepEqual(reconnected.events().map((e) => e.amount), [3, 4, 5, 6]);
        await reconnected.close();
        await byHeader.until(() => byHeader.events().length >= 4);
        await byQuery.until(() => byQuery.events().length >= 4);
        await get('/events', t.ingest, { method: 'POST', body: JSON.stringify(one(7)) });
        await byHeader.until(() => byHeader.events().length >= 5);
        assert.deepEqual(byHeader.events().map((e) => e.amount), [3, 4, 5, 6, 7]);
        assert.deepEqual(byQuery.events().slice(0, 4).map((e) => e.amount), [3, 4, 5, 6]);
        await byHeader.close();
        await byQuery.close();
      });

      test('a client that does not read gets nothing more queued: what it missed comes as a catch-up, or a reset past the backlog', async () => {
        const t = await makeOrg('org_stalled', [{ id: 'a' }]);
        const response = await handler(new Request('http://x/api/events/stream', { headers: { authorization: `Bearer ${t.read}` } }));
        const batch = (from: number) => ({ events: Array.from({ length: 5_000 }, (_, i) => ({ userId: 'a', amount: 1, resourceType: 'tokens', ioType: 'input', requestId: `r${from + i}`, endpoint: '/e' })) });
        // Three messages' worth (each ~1 MB, over the queue's bound), the client reading none of it.
        for (let n = 0; n < 3; n++) {
          await get('/events', t.ingest, { method: 'POST', body: JSON.stringify(batch(n * 5_000)) });
          await new Promise((r) => setTimeout(r, 60));
        }
        const reader = new SseReader(response.body!);
        try {
          await reader.until((m) => m.some((x) => x.event === 'reset'));
          // One message went into the queue; the 10,000 behind it are past a message's 5,000: a reset.
          assert.equal(reader.events().length, 5_000);
          assert.equal(JSON.parse(reader.messages.find((m) => m.event === 'reset')!.data).lastEventId, String(await store.lastEventId('org_stalled')));
        } finally {
          await reader.close();
        }
      });

      test('a resume id past the organization\'s newest (a reseeded server) is a reset to the newest', async () => {
        const t = await makeOrg('org_future', [{ id: 'a' }]);
        await get('/events', t.ingest, { method: 'POST', body: JSON.stringify({ userId: 'a', amount: 1, resourceType: 'tokens', ioType: 'input', requestId: 'r', endpoint: '/e' }) });
        const newest = await store.lastEventId('org_future');
        const reader = await open(t.read, '', { 'last-event-id': String(newest + 100_000) });
        try {
          await reader.until((m) => m.some((x) => x.event === 'reset'));
          assert.deepEqual(JSON.parse(reader.messages.find((m) => m.event === 'reset')!.data), { lastEventId: String(newest) });
        } finally {
          await reader.close();
        }
      });

      test('more than 10,000 events after the resume point is a reset with the newest id; heartbeats keep it alive', async () => {
        const t = await makeOrg('org_reset', [{ id: 'a' }]);
        const many = Array.from({ length: 5_001 }, (_, i) => ({ userId: 'a', amount: 1, resourceType: 'tokens', ioType: 'input', requestId: `r${i}`, endpoint: '/e' }));
        await get('/events', t.ingest, { method: 'POST', body: JSON.stringify({ events: many }) });
        const second = await get('/events', t.ingest, { method: 'POST', body: JSON.stringify({ events: many }) });
        const newest = second.body.items.at(-1).id;
        const reader = await open(t.read, qs({ after: 0 }));
        await reader.until((m) => m.some((x) => x.event === 'reset'));
        const reset = reader.messages.find((m) => m.event === 'reset')!;
        assert.deepEqual(JSON.parse(reset.data), { lastEventId: newest });
        assert.deepEqual(reader.events(), []);
        await reader.close();
        const beating = createHandler({ store, now: () => NOW, basePath: '/api', heartbeatMs: 30 });
        const response = await beating(new Request('http://x/api/events/stream', { headers: { authorization: `Bearer ${t.read}` } }));
        const beats = new SseReader(response.body!);
        await beats.until((m) => m.filter((x) => x.event === ':').length >= 3);
        await beats.close();
      });

      test('a resume past 5,000 events is sent when at most 5,000 of them match; a message over 5,000 is a reset', async () => {
        const t = await makeOrg('org_backlog', [{ id: 'a' }, { id: 'b' }]);
        const one = (userId: string, i: number) => ({ userId, amount: 1, resourceType: 'tokens', ioType: 'input', requestId: `r${i}`, endpoint: '/e' });
        await get('/events', t.ingest, { method: 'POST', body: JSON.stringify({ events: Array.from({ length: 6_000 }, (_, i) => one('a', i)) }) });
        const tail = await get('/events', t.ingest, { method: 'POST', body: JSON.stringify({ events: [one('b', 1), one('b', 2)] }) });
        const ids = tail.body.items.map((e: ConsumptionEvent) => e.id);
        const onlyB = await open(t.read, qs({ after: 0, userId: 'b', amountMin: 1 }));
        await onlyB.until(() => onlyB.events().length >= 2);
        assert.deepEqual(onlyB.events().map((e) => e.id), ids);
        assert.ok(onlyB.messages.every((m) => m.event !== 'reset'));
        await onlyB.close();
        const all = await open(t.read, qs({ after: 0 }));
        await all.until((m) => m.some((x) => x.event === 'reset'));
        assert.deepEqual(JSON.parse(all.messages.find((m) => m.event === 'reset')!.data), { lastEventId: ids[1] });
        assert.deepEqual(all.events(), []);
        await all.close();
      });
    });

    describe('fuzz', () => {
      test('thousands of random and hostile query strings on every route: no 5xx, no hang, bounded time', async () => {
        const random = new Random('fuzz');
        const routes = ['/events', '/events.csv', '/events/stream', '/consumption', '/surplus', '/users', '/users/u_x', '/endpoints', '/limits'];
        const names = ['from', 'to', 'resourceType', 'userId', 'poolCategory', 'ioType', 'amountMin', 'amountMax', 'requestId', 'endpoint', 'tz', 'sort', 'order', 'page', 'pageSize', 'bucket', 'groupBy', 'q', 'id', 'limit', 'offset', 'after', '__proto__', 'constructor', 'toString', ''];
        const values = [
          '', '0', '-1', '1e309', 'NaN', 'Infinity', '9007199254740993', '1.5', '  1', '0x10', 'tokens', 'storage', 'ocr', 'allocated', 'hybrid', 'input', 'output',
          '2026-03-30T00:00:00Z', '2026-03-29T00:00:00+02:00', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '0000-01-01T00:00:00Z', '2026-13-01T00:00:00Z',
          'Europe/Berlin', 'Etc/GMT+14', 'UTC', '../../etc/passwd', "'; DROP TABLE events; --", '" OR 1=1 --', '%00', '\u0000', '\ud800', '💥', 'ﬁ', '<script>alert(1)</script>',
          'x'.repeat(300), 'minute', 'hour', 'day', 'week', 'auto', 'userId', 'amount', 'created', 'endpoint', 'asc', 'desc', '200', '500', '501', '1000000', '40001',
        ];
        // encodeURIComponent throws on a lone surrogate: send those raw.
        const encode = (text: string) => {
          try {
            return encodeURIComponent(text);
          } catch {
            return text;
          }
        };
        const started = Date.now();
        let slowest = 0;
        for (let i = 0; i < 2_500; i++) {
          const route = random.pick(routes);
          const parts: string[] = [];
          const count = random.int(0, 6);
          for (let j = 0; j < count; j++) {
            const name = random.chance(0.9) ? random.pick(names) : random.token(random.int(1, 12));
            const value = random.chance(0.85) ? random.pick(values) : random.token(random.int(0, 40), '%&=?#+ab\\/;,"\'');
            parts.push(random.chance(0.5) ? `${encode(name)}=${encode(value)}` : `${name}=${value}`);
          }
          if (random.chance(0.02)) parts.push(`endpoint=${'y'.repeat(40_000)}`);
          const path = `${route}?${parts.join('&')}`;
          const t0 = Date.now();
          let response: Response;
          try {
            response = await handler(new Request(`http://x/api${path}`, { headers: { authorization: `Bearer ${TOKENS.demoRead}` } }));
          } catch (error) {
            assert.fail(`${path} threw ${String(error)}`);
          }
          if (route === '/events/stream' && response.status === 200) {
            await response.body!.cancel();
          } else {
            const text = await response.text();
            if (response.status >= 400) {
              const body = JSON.parse(text);
              assert.ok(['bad_parameter', 'not_found'].includes(body.error.code), `${path}: ${text.slice(0, 200)}`);
            }
          }
          assert.ok(response.status < 500, `${path} → ${response.status}`);
          slowest = Math.max(slowest, Date.now() - t0);
          assert.ok(Date.now() - t0 < 5_000, `${path} took ${Date.now() - t0} ms`);
        }
        assert.ok(Date.now() - started < 240_000);
      });
    });

  });
}
