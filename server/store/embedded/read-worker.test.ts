// A CSV export's long reads run in a worker thread on a connection of its own
// (read-worker.ts): no call on the store's thread reads more than one batch of rows (the
// one sort of every matching id held it 360–700 ms at 950,000 events) or counts past a
// page's total; the export holds the same events in the same order as one sorted on the
// store's thread (every sort column, both ways, ties by created then id), the count is the
// same, and ingest on the store's connection goes on between batches.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EVENT_SORT_COLUMNS } from '../../../src/api/contract.js';
import { planBuckets } from '../../domain/time-zone.js';
import { DEMO_ORG, seedDemo } from '../../seed/seed.js';
import type { EventOrder, Store, StoredEvent, StoreFilter } from '../types.js';
import { openEmbeddedStore } from './index.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const TOKENS = { demoRead: 's-demo-read', demoIngest: 's-demo-ingest', otherRead: 's-other-read', otherIngest: 's-other-ingest' };
const BATCH = 1_000;
const dir = mkdtempSync(join(tmpdir(), 'usage-embedded-read-worker-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function exported(store: Store, filter: StoreFilter, order: EventOrder): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const batch of store.iterateEvents(DEMO_ORG.orgId, filter, order)) {
    assert.ok(batch.length > 0 && batch.length <= BATCH, `a batch of ${batch.length}`);
    out.push(...batch);
  }
  return out;
}

test("an export's sort and count run off the store's thread (at most a batch per call there), with the same events in the same order", async () => {
  const file = join(dir, 'export.sqlite');
  const store = await openEmbeddedStore({ file });
  // The same file sorted on its own thread: the export as it was read before the worker.
  const onThread = await openEmbeddedStore({ file, exportInWorker: false });
  // Every read of a statement on this thread: the most rows one returned, and the values bound.
  const statement = Object.getPrototypeOf(store.db.prepare('SELECT 1')) as { all: (...args: unknown[]) => unknown[] };
  const all = statement.all;
  let largest = 0;
  const bound: unknown[] = [];
  statement.all = function (this: unknown, ...args: unknown[]): unknown[] {
    const rows = all.apply(this, args);
    largest = Math.max(largest, rows.length);
    for (const arg of args) bound.push(...(arg && typeof arg === 'object' ? Object.values(arg) : [arg]));
    return rows;
  };
  try {
    await seedDemo(store, { events: 3_000, now: NOW, tokens: TOKENS, days: 3 });
    const maxId = await store.lastEventId(DEMO_ORG.orgId);
    const range = { maxId, from: NOW - 3 * DAY, to: NOW };
    const count = await store.countEvents(DEMO_ORG.orgId, range, 100_000);
    assert.ok(count > 2 * BATCH, `${count} events`);
    const users = (await store.sumByKey(DEMO_ORG.orgId, range, 'userId')).slice(0, 3).map((u) => u.key);
    // Users and endpoints together: a filter the rollups do not count, so the count walks its matches.
    const endpoints = (await store.sumByKey(DEMO_ORG.orgId, range, 'endpoint')).map((e) => e.key);
    const walked = { ...range, userIds: users, endpoints };
    const exportCap = 1_000_001;
    bound.length = 0;
    const counted = await store.countEvents(DEMO_ORG.orgId, walked, exportCap);
    assert.ok(!bound.includes(exportCap), "an export's count walked its matches on the store's thread");
    assert.equal(counted, await onThread.countEvents(DEMO_ORG.orgId, walked, exportCap));
    assert.ok(counted > 0);
    // A page's count of the same filter, the same statement on the store's thread, after the export's.
    for (const s of [store, onThread]) assert.equal(await s.countEvents(DEMO_ORG.orgId, walked, 100_001), counted);
    for (const filter of [range, { ...range, userIds: users, resourceType: 'tokens' as const }]) {
      for (const sort of EVENT_SORT_COLUMNS) {
        for (const order of ['asc', 'desc'] as const) {
          largest = 0;
          const events = await exported(store, filter, { sort, order });
          // Before, one call read every matching id (3,000) before the first batch.
          assert.ok(largest <= BATCH, `${sort} ${order}: one call on the store's thread read ${largest} rows`);
          assert.deepEqual(events, await exported(onThread, filter, { sort, order }), `${sort} ${order}`);
          if (filter === range) assert.equal(events.length, count);
        }
      }
    }
  } finally {
    statement.all = all;
    await onThread.close();
    await store.close();
  }
});

test('ingest goes on between the batches of an export, which keeps to its snapshot; close() stops the worker', async () => {
  const store = await openEmbeddedStore({ file: join(dir, 'ingest.sqlite') });
  try {
    await seedDemo(store, { events: 3_000, now: NOW, tokens: TOKENS, days: 3 });
    const maxId = await store.lastEventId(DEMO_ORG.orgId);
    const filter = { maxId, from: NOW - 3 * DAY, to: NOW + DAY };
    const expected = await exported(store, filter, { sort: 'created', order: 'asc' });
    const batches = store.iterateEvents(DEMO_ORG.orgId, filter, { sort: 'created', order: 'asc' })[Symbol.asyncIterator]();
    const events: StoredEvent[] = [];
    const first = await batches.next();
    assert.ok(!first.done);
    events.push(...first.value);
    const [user] = (await store.sumByKey(DEMO_ORG.orgId, filter, 'userId')).map((u) => u.key);
    const outcome = await store.ingest(DEMO_ORG.orgId, [
      { userId: user!, amount: 1, resourceType: 'tokens', ioType: 'input', requestId: 'req-between-batches', endpoint: '/v1/chat/completions', created: NOW - DAY },
    ]);
    assert.equal(outcome.kind, 'stored');
    assert.ok(await store.lastEventId(DEMO_ORG.orgId) > maxId);
    for (let next = await batches.next(); !next.done; next = await batches.next()) events.push(...next.value);
    assert.deepEqual(events, expected);
  } finally {
    await store.close();
  }
  // A closed store's export fails instead of starting another worker.
  await assert.rejects(exported(store, { maxId: 1 }, { sort: 'created', order: 'asc' }));
});

test("a deep page's skip runs in the read worker: none on the store's thread skips more than 1,000 rows, and the page is the one read there", async () => {
  const file = join(dir, 'deep.sqlite');
  const store = await openEmbeddedStore({ file });
  const onThread = await openEmbeddedStore({ file, exportInWorker: false });
  // The rows each statement run on this thread skipped (its OFFSET values).
  type Statement = { all: (...args: unknown[]) => unknown[]; source: string; database: unknown };
  const statement = Object.getPrototypeOf(store.db.prepare('SELECT 1')) as Statement;
  const all = statement.all;
  let skipped = 0;
  statement.all = function (this: Statement, ...args: unknown[]): unknown[] {
    const bound = (args[0] && typeof args[0] === 'object' ? args[0] : {}) as Record<string, number>;
    if (this.database === store.db) for (const [, name] of this.source.matchAll(/OFFSET @(p\d+)/g)) skipped = Math.max(skipped, bound[name!] ?? 0);
    return all.apply(this, args);
  };
  try {
    await seedDemo(store, { events: 3_000, now: NOW, tokens: TOKENS, days: 3 });
    const maxId = await store.lastEventId(DEMO_ORG.orgId);
    const range = { maxId, from: NOW - 3 * DAY, to: NOW };
    // Read along the sort's index, code by code, or (by amount) from the pools' index.
    for (const filter of [range, { ...range, resourceType: 'tokens' as const }, { ...range, poolCategories: ['allocated' as const], ioTypes: ['output' as const] }]) {
      // The last page of 50 but one: deep in every filter.
      const matches = await store.countEvents(DEMO_ORG.orgId, filter, 100_000);
      assert.ok(matches > 1_100, `${JSON.stringify(filter)} matches ${matches}`);
      for (const sort of EVENT_SORT_COLUMNS) {
        for (const order of ['asc', 'desc'] as const) {
          const page = { sort, order, offset: matches - 60, limit: 50 };
          skipped = 0;
          const events = await store.queryEvents(DEMO_ORG.orgId, filter, page);
          assert.ok(skipped <= 1_000, `${sort} ${order}: a statement on the store's thread skipped ${skipped} rows`);
          assert.equal(events.length, 50);
          assert.deepEqual(events, await onThread.queryEvents(DEMO_ORG.orgId, filter, page), `${JSON.stringify(filter)} ${sort} ${order}`);
        }
      }
    }
  } finally {
    statement.all = all;
    await onThread.close();
    await store.close();
  }
});

test("a chart's sums that read every event of their range (no rollup serves them) run in the read worker, and equal those read on the store's thread", async () => {
  const file = join(dir, 'sums.sqlite');
  const store = await openEmbeddedStore({ file });
  const onThread = await openEmbeddedStore({ file, exportInWorker: false });
  // The statements run on the store's thread that read the events table.
  type Statement = { all: (...args: unknown[]) => unknown[]; get: (...args: unknown[]) => unknown; source: string; database: unknown };
  const statement = Object.getPrototypeOf(store.db.prepare('SELECT 1')) as Statement;
  const { all, get } = statement;
  const eventReads: string[] = [];
  const record = (self: Statement): void => {
    if (self.database === store.db && /\bFROM events\b/.test(self.source)) eventReads.push(self.source);
  };
  statement.all = function (this: Statement, ...args: unknown[]): unknown[] {
    record(this);
    return all.apply(this, args);
  };
  statement.get = function (this: Statement, ...args: unknown[]): unknown {
    record(this);
    return get.apply(this, args);
  };
  try {
    await seedDemo(store, { events: 3_000, now: NOW, tokens: TOKENS, days: 3 });
    const orgId = DEMO_ORG.orgId;
    const maxId = await store.lastEventId(orgId);
    const from = NOW - 2 * DAY - 1_234;
    const minutes = planBuckets('minute', from, NOW, 'UTC').edges;
    const hours = planBuckets('hour', from, NOW, 'UTC').edges;
    const range = { maxId, from, to: NOW, resourceType: 'tokens' as const };
    const reads: [string, (s: typeof store) => Promise<unknown>][] = [
      ['minutes by endpoint', (s) => s.sumByBucket(orgId, range, minutes, 'endpoint', null)],
      ['minutes by user', (s) => s.sumByBucket(orgId, range, minutes, 'userId', null)],
      ['an amount range by hour', (s) => s.sumByBucket(orgId, { ...range, amountMin: 100, amountMax: 5_000 }, hours, 'ioType', null)],
      ['surplus by minute', (s) => s.surplusBuckets(orgId, 'tokens', minutes, maxId)],
    ];
    for (const [what, read] of reads) {
      eventReads.length = 0;
      const inWorker = await read(store);
      assert.deepEqual(eventReads, [], `${what}: read the events on the store's thread`);
      assert.deepEqual(inWorker, await read(onThread), what);
    }
  } finally {
    statement.all = all;
    statement.get = get;
    await onThread.close();
    await store.close();
  }
});
