// Chart sums of ranges starting or ending inside an hour, which may read that hour from
// the rollup and subtract the events outside the range: against the memory store's sums of the same
// seeded events, with events stored after the read's maxId in those hours, for every
// grouping, with and without chosen keys, over hourly and daily buckets.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { planBuckets } from '../../domain/time-zone.js';
import { DEMO_ORG, seedDemo } from '../../seed/seed.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { BucketSum, IngestItem, Store, StoreFilter } from '../types.js';
import { openEmbeddedStore } from './index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Late in an hour, so a range ending now ends where the subtraction pays. */
const NOW = Date.parse('2026-03-30T10:47:23.456Z');
const TOKENS = { demoRead: 'c-demo-read', demoIngest: 'c-demo-ingest', otherRead: 'c-other-read', otherIngest: 'c-other-ingest' };
const dir = mkdtempSync(join(tmpdir(), 'usage-embedded-charts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sorted(rows: readonly BucketSum[]): string[] {
  return rows.map((r) => `${r.bucket} ${r.key} ${r.amount}`).sort();
}

test('sums over ranges starting and ending anywhere in an hour equal the memory store’s, exact at maxId', async () => {
  const embedded = await openEmbeddedStore({ file: join(dir, 'charts.sqlite') });
  const memory = createMemoryStore();
  for (const store of [embedded, memory] as Store[]) await seedDemo(store, { events: 4_000, now: NOW, tokens: TOKENS, days: 3 });
  const orgId = DEMO_ORG.orgId;
  const maxIds = new Map<Store, number>([
    [embedded, await embedded.lastEventId(orgId)],
    [memory, await memory.lastEventId(orgId)],
  ]);
  const users = (await memory.sumByKey(orgId, { maxId: maxIds.get(memory)! }, 'userId')).map((s) => s.key);
  // After maxId: events in the hours the ranges end in, before and after their ends.
  const later: IngestItem[] = Array.from({ length: 120 }, (_, i) => ({
    userId: users[i % 7]!,
    amount: 1 + i,
    resourceType: 'tokens',
    ioType: i % 2 ? 'input' : 'output',
    requestId: `later-${i}`,
    endpoint: i % 3 ? '/v1/chat/completions' : '/v1/embeddings',
    created: NOW - 50 * MINUTE + i * 25_000,
  }));
  for (const store of [embedded, memory] as Store[]) assert.equal((await store.ingest(orgId, later)).kind, 'stored');
  // Late in an hour; early in one with no event after it (the rollup's hour less nothing);
  // early in one with events after it (events read up to the end).
  const ends = [NOW, NOW - 2 * MINUTE - 5 * HOUR, Math.floor(NOW / HOUR) * HOUR - 1, NOW - DAY - 13 * MINUTE, NOW + 20 * MINUTE, NOW - 3 * HOUR - 35 * MINUTE];
  for (const to of ends) {
    for (const [from, bucket] of [
      [to - 30 * HOUR - 17 * MINUTE, 'hour'],
      [to - 2 * DAY - 3 * HOUR, 'day'],
      // Late in an hour before the first event.
      [Math.floor((to - 4 * DAY) / HOUR) * HOUR + 50 * MINUTE, 'day'],
    ] as const) {
      const edges = planBuckets(bucket, from, to, 'UTC').edges;
      const filters: Omit<StoreFilter, 'maxId'>[] = [{ resourceType: 'tokens' }, { resourceType: 'tokens', ioTypes: ['output'] }, { resourceType: 'tokens', userIds: users.slice(0, 3) }];
      for (const extra of filters) {
        const read = (store: Store) => ({ maxId: maxIds.get(store)!, from, to, ...extra });
        const what = `${new Date(from).toISOString()}–${new Date(to).toISOString()} ${JSON.stringify(extra)}`;
        for (const groupBy of [null, 'ioType', 'poolCategory', 'userId', 'endpoint'] as const) {
          assert.deepEqual(
            sorted(await embedded.sumByBucket(orgId, read(embedded), edges, groupBy, null)),
            sorted(await memory.sumByBucket(orgId, read(memory), edges, groupBy, null)),
            `${what} by ${groupBy}`,
          );
          if (groupBy === 'userId' || groupBy === 'endpoint') {
            const keys = (await memory.sumByKey(orgId, read(memory), groupBy)).slice(0, 2).map((s) => s.key);
            assert.deepEqual(
              sorted(await embedded.sumByBucket(orgId, read(embedded), edges, groupBy, keys)),
              sorted(await memory.sumByBucket(orgId, read(memory), edges, groupBy, keys)),
              `${what} by ${groupBy}, chosen keys`,
            );
          }
          if (groupBy) {
            const byKey = (store: Store) => store.sumByKey(orgId, read(store), groupBy);
            assert.deepEqual(
              (await byKey(embedded)).map((s) => `${s.key} ${s.amount}`).sort(),
              (await byKey(memory)).map((s) => `${s.key} ${s.amount}`).sort(),
              `${what} totals by ${groupBy}`,
            );
          }
        }
      }
    }
  }
  await embedded.close();
});

test('per-minute surplus sums read only the events that drew surplus, along events_pool', async () => {
  // Every read on this thread, where its statement can be planned again here.
  const store = await openEmbeddedStore({ file: join(dir, 'drawing.sqlite'), exportInWorker: false });
  await seedDemo(store, { events: 2_000, now: NOW, tokens: TOKENS, days: 2 });
  const orgId = DEMO_ORG.orgId;
  const maxId = await store.lastEventId(orgId);
  const reads: { sql: string; params: unknown[] }[] = [];
  const prepare = store.db.prepare.bind(store.db);
  store.db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    for (const method of ['all', 'get'] as const) {
      const read = statement[method].bind(statement) as (...params: unknown[]) => unknown;
      statement[method] = ((...params: unknown[]) => {
        reads.push({ sql, params });
        return read(...params);
      }) as never;
    }
    return statement;
  }) as typeof store.db.prepare;
  // Minute buckets over a day (every minute from events), and a range whose ends fall inside minutes.
  const minuteEdges = planBuckets('minute', NOW - DAY, NOW, 'UTC').edges;
  const sums = await store.surplusBuckets(orgId, 'tokens', minuteEdges, maxId);
  assert.ok(sums.some((bucket) => bucket.drawn > 0), 'the seed draws on the pool');
  await store.drawnByMinute(orgId, 'tokens', NOW - 3 * HOUR + 1_234, NOW - 5_678, maxId);
  const eventReads = reads.filter((read) => /FROM events\b(?! NOT INDEXED)/.test(read.sql));
  assert.ok(eventReads.length >= 2, 'both reads sum events');
  for (const { sql, params } of eventReads) {
    const plan = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    const eventsPlan = plan.map((row) => row.detail).filter((detail) => /\bevents\b/.test(detail) && !/rowid>/.test(detail));
    assert.ok(eventsPlan.length > 0 && eventsPlan.every((detail) => detail.includes('USING INDEX events_pool (org=? AND pool_category=?')), eventsPlan.join('; '));
  }
  await store.close();
});
