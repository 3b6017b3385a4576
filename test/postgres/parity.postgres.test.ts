/**
 * The PostgreSQL store against the reference semantics, the memory store: the same
 * organizations, users, limits and ingest calls go into both, then every read of the
 * Store interface is compared over many random filters, sorts, pages, bucket edges
 * (aligned to hours and not) and `maxId` bounds (which the rollups must honour).
 * Ingest results must agree too: PostgreSQL refuses nothing the reference accepts and
 * accepts nothing it refuses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  EVENT_SORT_COLUMNS,
  GROUP_BYS,
  IO_TYPES,
  POOL_CATEGORIES,
  RESOURCE_TYPES,
  compareCodePoints,
  type EventSortColumn,
  type GroupBy,
  type ResourceType,
} from '../../src/api/contract.js';
import { Random } from '../../server/seed/prng.js';
import { createMemoryStore } from '../../server/store/memory/memory-store.js';
import { amountBucketCounts, timeWindow } from '../../server/store/postgres/aggregates.js';
import { amountBucket } from '../../server/store/shared/amount-buckets.js';
import { createPostgresStore, type PostgresStore } from '../../server/store/postgres/postgres-store.js';
import type { IngestItem, IngestResult, Store, StoredEvent, StoreFilter } from '../../server/store/types.js';
import { usePostgres } from './cluster.js';

const postgres = usePostgres();

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 2, 30, 12, 17, 23, 456);
const ORGS = ['org-a', 'org-b'] as const;
/** Code-point order differs from UTF-16 order for these (an astral character vs U+FF5E). */
const USERS = ['alice', 'bob', 'Carol', 'dave', 'émile', 'zoë', 'u-😀', 'u-～', 'mallory', 'trent'];
const ENDPOINTS = ['/v1/chat', '/v1/embed', '/v1/ocr', '/v2/chat', '/files', '/v1/Chat'];

/** The seed's own PRNG (seeded, so a failure replays). */
const rng = new Random(20240330);
const rand = (): number => rng.next();
const pick = <T>(list: readonly T[]): T => rng.pick(list);
const some = <T>(list: readonly T[], max = 3): T[] => [...new Set(Array.from({ length: 1 + Math.floor(rand() * max) }, () => pick(list)))];

async function setUp(store: Store): Promise<void> {
  for (const orgId of ORGS) {
    await store.putOrganization({ id: orgId, name: orgId.toUpperCase() });
    await store.setOrganizationLimits(orgId, {
      effectiveFrom: 0,
      weeklyTokenLimit: 1_500_000,
      storageLimit: 40_000_000_000,
      surplusCapacity: { tokens: 60_000, storage: 3_000_000_000, ocr: 300 },
    });
    await store.setOrganizationLimits(orgId, {
      effectiveFrom: NOW - 30 * HOUR,
      weeklyTokenLimit: 700_000,
      storageLimit: 40_000_000_000,
      surplusCapacity: { tokens: 25_000, storage: 2_000_000_000, ocr: 120 },
    });
    await store.putUsers(
      orgId,
      USERS.map((id, i) => (i % 3 === 0 ? { id } : { id, name: `${id.toUpperCase()} Name`, email: `${id}@Example.com` })),
    );
    for (const [i, userId] of USERS.entries()) {
      await store.setUserLimits(orgId, userId, [
        { resourceType: 'tokens', effectiveFrom: 0, basePer4h: 8_000 + 2_000 * (i % 3), surplusPer4h: 6_000 },
        { resourceType: 'storage', effectiveFrom: 0, basePer4h: 400_000_000, surplusPer4h: 300_000_000 },
        { resourceType: 'ocr', effectiveFrom: 0, basePer4h: 40, surplusPer4h: 30 },
        { resourceType: 'tokens', effectiveFrom: NOW - 20 * HOUR, basePer4h: 5_000, surplusPer4h: 4_000 + 1_000 * (i % 2) },
      ]);
    }
  }
}

function randomItem(created: number): IngestItem {
  const resourceType = pick(RESOURCE_TYPES);
  const scale = resourceType === 'tokens' ? 2_500 : resourceType === 'storage' ? 120_000_000 : 12;
  const heavy = rand() < 0.1 ? 4 : 1;
  return {
    userId: rand() < 0.01 ? 'nobody' : pick(USERS),
    amount: Math.floor(rand() * rand() * scale * heavy),
    resourceType,
    ioType: pick(IO_TYPES),
    requestId: `req-${Math.floor(rand() * 400)}`,
    endpoint: pick(ENDPOINTS),
    created,
  };
}

/** Where the scenario turns from sparse to dense traffic. */
const DENSE_FROM = NOW - 36 * HOUR;

/**
 * Batches of items in created order, with some backdated ones: sparse over 8 days (so
 * the rolling 7-day window's start crosses stored events), then dense for the last 36
 * hours (so users run past their base budget and the pool runs dry).
 */
function scenario(): IngestItem[][] {
  const batches: IngestItem[][] = [];
  let t = NOW - 204 * HOUR;
  while (t < NOW) {
    const size = rand() < 0.3 ? 1 : 1 + Math.floor(rand() * 60);
    const batch: IngestItem[] = [];
    for (let i = 0; i < size && t < NOW; i++) {
      t += Math.floor(rand() * (t < DENSE_FROM ? 1_200_000 : 90_000));
      const backdated = rand() < 0.05 ? t - Math.floor(rand() * 3 * HOUR) : t;
      batch.push(randomItem(backdated));
    }
    batches.push(batch);
  }
  return batches;
}

/** Event ids of the second organization differ (the memory store counts ids globally). */
function withoutIds(results: readonly IngestResult[]): unknown[] {
  return results.map((r) => ('error' in r ? r : { ...r, id: undefined }));
}

function sortRows<T>(rows: T[]): T[] {
  return rows.sort((a, b) => compareCodePoints(JSON.stringify(a), JSON.stringify(b)));
}

describe('PostgreSQL store against the reference semantics (memory store)', () => {
  const memory = createMemoryStore();
  let pg: PostgresStore;
  /** The same database, always reading pages in index order (never whole and sorted). */
  let ordered: PostgresStore;
  /** The same database, reading some filters (or branches of them) whole and others in order. */
  let mixed: PostgresStore;
  const lastIds = new Map<string, number[]>();
  let url: string;

  before(async () => {
    url = await postgres.newDatabase();
    pg = await createPostgresStore({ connectionString: url, now: () => NOW });
    ordered = await createPostgresStore({ connectionString: url, now: () => NOW, sortWholeLimit: 0, max: 2 });
    mixed = await createPostgresStore({ connectionString: url, now: () => NOW, sortWholeLimit: 300, max: 4 });
    await setUp(memory);
    await setUp(pg);
  });
  after(async () => {
    await ordered?.close();
    await mixed?.close();
    await pg?.close();
  });

  it('classifies every ingest the same: stored, refused and bad items alike', async () => {
    let stored = 0;
    let refused = 0;
    let hybrid = 0;
    let weekly = 0;
    for (const orgId of ORGS) {
      const seen: number[] = [];
      for (const batch of scenario()) {
        const expected = await memory.ingest(orgId, batch);
        const actual = await pg.ingest(orgId, batch);
        assert.equal(actual.kind, 'stored');
        assert.equal(expected.kind, 'stored');
        if (expected.kind !== 'stored' || actual.kind !== 'stored') return;
        if (orgId === ORGS[0]) assert.deepEqual(actual.results, expected.results);
        else assert.deepEqual(withoutIds(actual.results), withoutIds(expected.results));
        for (const r of actual.results) {
          if ('error' in r) {
            refused++;
            if (r.error.message.includes('weekly')) weekly++;
          }
          else {
            stored++;
            if (r.poolCategory === 'hybrid') hybrid++;
          }
        }
        seen.push(await pg.lastEventId(orgId));
      }
      lastIds.set(orgId, seen);
    }
    const summary = `${stored} stored, ${refused} refused (${weekly} by the weekly limit), ${hybrid} hybrid`;
    console.log(summary);
    assert.ok(stored > 2_000 && refused > 20 && weekly > 5 && hybrid > 20, `a varied scenario (${summary})`);
  });

  /** The memory store's id of the PostgreSQL id `id` (org-b's ids are shifted). */
  async function idOffset(orgId: string): Promise<number> {
    return (await memory.lastEventId(orgId)) - (await pg.lastEventId(orgId));
  }

  function randomFilter(maxId: number): StoreFilter {
    const filter: StoreFilter = { maxId };
    if (rand() < 0.7) {
      const from = NOW - Math.floor(rand() * 80 * HOUR);
      filter.from = rand() < 0.3 ? Math.floor(from / HOUR) * HOUR : from;
      filter.to = rand() < 0.3 ? NOW + HOUR : from + Math.floor(rand() * 50 * HOUR) + 1;
    }
    if (rand() < 0.4) filter.resourceType = pick(RESOURCE_TYPES);
    if (rand() < 0.3) filter.userIds = some([...USERS, 'nobody']);
    if (rand() < 0.2) filter.poolCategories = some(POOL_CATEGORIES);
    if (rand() < 0.2) filter.ioTypes = some(IO_TYPES, 1);
    if (rand() < 0.2) filter.endpoints = some(ENDPOINTS);
    if (filter.resourceType && rand() < 0.3) {
      filter.amountMin = Math.floor(rand() * 500);
      if (rand() < 0.5) filter.amountMax = filter.amountMin + Math.floor(rand() * 3_000);
    }
    if (rand() < 0.05) filter.requestId = `req-${Math.floor(rand() * 400)}`;
    return filter;
  }

  /** A random maxId: the newest, or one seen after an earlier ingest (rollups hold more). */
  function randomMaxId(orgId: string): number {
    const seen = lastIds.get(orgId)!;
    return rand() < 0.5 ? seen[seen.length - 1]! : pick(seen);
  }

  function normalise(events: StoredEvent[], offset: number): StoredEvent[] {
    return events.map((e) => ({ ...e, id: String(Number(e.id) + offset) }));
  }

  it('pages, counts and iterates events alike for every sort and random filters', async () => {
    for (let i = 0; i < 150; i++) {
      const orgId = pick(ORGS);
      const offset = await idOffset(orgId);
      const maxId = randomMaxId(orgId);
      const filter = randomFilter(maxId);
      const memoryFilter = { ...filter, maxId: maxId + offset };
      const sort = pick(EVENT_SORT_COLUMNS);
      const order = pick(['asc', 'desc'] as const);
      const page = { sort, order, offset: rand() < 0.5 ? 0 : Math.floor(rand() * 300), limit: 1 + Math.floor(rand() * 60) };
      const message = JSON.stringify({ orgId, filter, page });
      const expected = await memory.queryEvents(orgId, memoryFilter, page);
      assert.deepEqual(normalise(await pg.queryEvents(orgId, filter, page), offset), expected, message);
      assert.deepEqual(normalise(await ordered.queryEvents(orgId, filter, page), offset), expected, message);
      assert.deepEqual(normalise(await mixed.queryEvents(orgId, filter, page), offset), expected, message);
      const cap = pick([10, 100, 100_000]);
      assert.equal(await pg.countEvents(orgId, filter, cap), await memory.countEvents(orgId, memoryFilter, cap), message);
      if (i % 10 === 0) {
        const collect = async (store: Store, f: StoreFilter) => {
          const out: StoredEvent[] = [];
          for await (const batch of store.iterateEvents(orgId, f, page)) out.push(...batch);
          return out;
        };
        assert.deepEqual(normalise(await collect(pg, filter), offset), await collect(memory, memoryFilter), message);
      }
    }
  });

  /** A filter over whole days of the scenario (2 to 8 days), pinning at most one value per column. */
  function timeOrderedFilter(maxId: number): StoreFilter {
    const filter: StoreFilter = { maxId, from: NOW - (2 + Math.floor(rand() * 7)) * 24 * HOUR - Math.floor(rand() * 5 * HOUR) };
    filter.to = rand() < 0.5 ? NOW + HOUR : NOW - Math.floor(rand() * 30 * HOUR);
    if (rand() < 0.5) filter.resourceType = pick(RESOURCE_TYPES);
    if (rand() < 0.4) filter.userIds = [pick(USERS)];
    if (rand() < 0.3) filter.poolCategories = [pick(POOL_CATEGORIES)];
    if (rand() < 0.3) filter.ioTypes = [pick(IO_TYPES)];
    return filter;
  }

  it('bounds a read in time order by days that hold every match it needs, at any maxId', async () => {
    let bounded = 0;
    for (let i = 0; i < 120; i++) {
      const orgId = pick(ORGS);
      const offset = await idOffset(orgId);
      const maxId = randomMaxId(orgId);
      const filter = timeOrderedFilter(maxId);
      const oldestFirst = rand() < 0.5;
      const need = 1 + Math.floor(rand() * (rand() < 0.5 ? 30 : 400));
      const bound = await timeWindow((sql, values) => pg.pool.query(sql, values).then((r) => r.rows), orgId, filter, need, oldestFirst);
      if (bound === null) continue;
      bounded++;
      const inside = oldestFirst ? { ...filter, to: Math.min(filter.to!, bound) } : { ...filter, from: Math.max(filter.from!, bound) };
      const memoryFilter = (f: StoreFilter) => ({ ...f, maxId: maxId + offset });
      assert.ok(
        (await memory.countEvents(orgId, memoryFilter(inside), need)) >= need,
        JSON.stringify({ orgId, filter, need, oldestFirst, bound: new Date(bound).toISOString() }),
      );
    }
    assert.ok(bounded >= 30, `only ${bounded} of 120 reads were bounded: the check above saw too few`);
  });

  it('pages alike in time order over whole days (the reads narrowed to the days that hold them)', async () => {
    for (let i = 0; i < 120; i++) {
      const orgId = pick(ORGS);
      const offset = await idOffset(orgId);
      const maxId = randomMaxId(orgId);
      const filter = timeOrderedFilter(maxId);
      if (rand() < 0.3) filter.userIds = some(USERS, 4);
      const sort = pick(['created', 'resourceType', 'poolCategory', 'ioType'] as const);
      const order = pick(['asc', 'desc'] as const);
      const page = { sort, order, offset: rand() < 0.6 ? 0 : Math.floor(rand() * 200), limit: 1 + Math.floor(rand() * 50) };
      const message = JSON.stringify({ orgId, filter, page });
      const expected = await memory.queryEvents(orgId, { ...filter, maxId: maxId + offset }, page);
      assert.deepEqual(normalise(await pg.queryEvents(orgId, filter, page), offset), expected, message);
      assert.deepEqual(normalise(await mixed.queryEvents(orgId, filter, page), offset), expected, message);
    }
  });

  it('keeps every rollup equal to its events regrouped (hours and days in UTC)', async () => {
    const hour = "date_trunc('hour', created at time zone 'UTC') at time zone 'UTC'";
    const day = "date_trunc('day', created at time zone 'UTC') at time zone 'UTC'";
    const counted = 'sum(amount), count(*), sum(surplus_amount)';
    // An amount's two leading digits, written apart from amount_bucket().
    const bucket = 'amount - amount % (10 ^ greatest(length(amount::text) - 2, 0))::bigint';
    // Each rollup's columns, and the same from the events written out by hand.
    const rollups: [table: string, columns: string, fromEvents: string][] = [
      ['rollup_minute', 'org_id, resource_type, minute, amount, drawn', `org_id, resource_type, date_trunc('minute', created), sum(amount), sum(surplus_amount) from events group by 1, 2, 3`],
      ['rollup_hour', 'org_id, resource_type, hour, io_type, pool_category, amount, events, drawn', `org_id, resource_type, ${hour}, io_type, pool_category, ${counted} from events group by 1, 2, 3, 4, 5`],
      ['rollup_hour_user', 'org_id, resource_type, hour, user_id, io_type, pool_category, amount, events, drawn', `org_id, resource_type, ${hour}, user_id, io_type, pool_category, ${counted} from events group by 1, 2, 3, 4, 5, 6`],
      ['rollup_hour_endpoint', 'org_id, resource_type, hour, endpoint, io_type, pool_category, amount, events', `org_id, resource_type, ${hour}, endpoint, io_type, pool_category, sum(amount), count(*) from events group by 1, 2, 3, 4, 5, 6`],
      ['rollup_user_hour', 'org_id, resource_type, user_id, hour, amount, drawn, events, first_created, last_created', `org_id, resource_type, user_id, ${hour}, sum(amount), sum(surplus_amount), count(*), min(created), max(created) from events group by 1, 2, 3, 4`],
      ['rollup_day', 'org_id, resource_type, day, io_type, pool_category, amount, events, drawn', `org_id, resource_type, ${day}, io_type, pool_category, ${counted} from events group by 1, 2, 3, 4, 5`],
      ['rollup_day_user', 'org_id, resource_type, day, user_id, io_type, pool_category, amount, events, drawn', `org_id, resource_type, ${day}, user_id, io_type, pool_category, ${counted} from events group by 1, 2, 3, 4, 5, 6`],
      ['rollup_user_day', 'org_id, resource_type, day, user_id, amount, events, drawn', `org_id, resource_type, ${day}, user_id, ${counted} from events group by 1, 2, 3, 4`],
      ['rollup_day_endpoint_type', 'org_id, resource_type, day, endpoint, io_type, pool_category, amount, events', `org_id, resource_type, ${day}, endpoint, io_type, pool_category, sum(amount), count(*) from events group by 1, 2, 3, 4, 5, 6`],
      ['rollup_day_endpoint', 'org_id, day, endpoint, events', `org_id, ${day}, endpoint, count(*) from events group by 1, 2, 3`],
      ['rollup_hour_amount', 'org_id, resource_type, hour, bucket, events', `org_id, resource_type, ${hour}, ${bucket}, count(*) from events group by 1, 2, 3, 4`],
      ['rollup_day_amount', 'org_id, resource_type, day, bucket, events', `org_id, resource_type, ${day}, ${bucket}, count(*) from events group by 1, 2, 3, 4`],
    ];
    for (const [table, columns, fromEvents] of rollups) {
      const { rows } = await pg.pool.query<{ rows: number; differing: number }>(
        `select (select count(*)::int from ${table}) as rows,
           (select count(*)::int from ((select ${columns} from ${table} except all select ${fromEvents})
             union all (select ${fromEvents} except all select ${columns} from ${table})) d) as differing`,
      );
      assert.ok(rows[0]!.rows > 0, `${table} holds rows`);
      assert.equal(rows[0]!.differing, 0, `${table} differs from its events regrouped`);
    }
  });

  it('counts the events per amount bucket alike, and skips a deep page sorted by amount to its bucket, at any maxId', async () => {
    const { rows } = await pg.pool.query<{ a: number; b: number }>('select a, amount_bucket(a) as b from unnest($1::int8[]) a', [[0, 7, 99, 100, 109, 110, 999, 1_000, 1_099, 4_999, 5_000, 123_456, 10 ** 15 + 7]]);
    assert.deepEqual(rows.map((r) => r.b), rows.map((r) => amountBucket(r.a)));
    // Every page from the first is "deep" for this store.
    const skips: { bucket: number; offset: number }[] = [];
    const deep = await createPostgresStore({ connectionString: url, now: () => NOW, deepAmountOffset: 1, max: 2, onAmountSkip: (skip) => skips.push(skip) });
    try {
      let skipped = 0;
      for (let i = 0; i < 80; i++) {
        const orgId = pick(ORGS);
        const offset = await idOffset(orgId);
        const maxId = randomMaxId(orgId);
        const filter: StoreFilter = { maxId };
        if (rand() < 0.8) {
          const from = NOW - Math.floor(rand() * 100 * HOUR);
          filter.from = rand() < 0.3 ? Math.floor(from / HOUR) * HOUR : from;
          filter.to = rand() < 0.4 ? NOW + HOUR : from + Math.floor(rand() * 60 * HOUR) + 1;
        }
        if (rand() < 0.5) filter.resourceType = pick(RESOURCE_TYPES);
        const memoryFilter = { ...filter, maxId: maxId + offset };
        const message = JSON.stringify({ orgId, filter });
        const matching: StoredEvent[] = [];
        for await (const batch of memory.iterateEvents(orgId, memoryFilter, { sort: 'created', order: 'asc' })) matching.push(...batch);
        const expected = new Map<number, number>();
        for (const e of matching) expected.set(amountBucket(e.amount), (expected.get(amountBucket(e.amount)) ?? 0) + 1);
        const counts = await amountBucketCounts((sql, values) => pg.pool.query(sql, values).then((r) => r.rows), orgId, filter);
        assert.deepEqual(counts, [...expected].sort((a, b) => a[0] - b[0]).map(([bucket, events]) => ({ bucket, events })), message);
        const total = matching.length;
        const page = { sort: 'amount' as const, order: pick(['asc', 'desc'] as const), offset: Math.floor(rand() * (total + 20)), limit: 1 + Math.floor(rand() * 40) };
        const inside = page.offset > 0 && page.offset < total;
        if (inside) skipped++;
        const want = await memory.queryEvents(orgId, memoryFilter, page);
        skips.length = 0;
        assert.deepEqual(normalise(await deep.queryEvents(orgId, filter, page), offset), want, `${message} ${JSON.stringify(page)}`);
        // The page was read from the bucket of its first event, not walked from the start.
        if (inside) {
          assert.equal(skips.length, 1, `skipped to a bucket: ${message} ${JSON.stringify(page)}`);
          assert.equal(skips[0]!.bucket, amountBucket(want[0]!.amount), `${message} ${JSON.stringify(page)}`);
          assert.ok(skips[0]!.offset <= page.offset, message);
        }
      }
      assert.ok(skipped >= 40, `only ${skipped} of 80 pages started inside the matches`);
    } finally {
      await deep.close();
    }
  });

  it('skips a deep page in time order (or by endpoint) to the value and hour that hold it, and pages alike, at any maxId', async () => {
    // Every page from the first is "deep" for this store.
    const skips: { filter: StoreFilter; offset: number }[] = [];
    const deep = await createPostgresStore({ connectionString: url, now: () => NOW, deepTimeOffset: 1, max: 2, onTimeSkip: (skip) => skips.push(skip) });
    try {
      let inHour = 0;
      let byEndpoint = 0;
      let pastEnd = 0;
      for (let i = 0; i < 200; i++) {
        const orgId = pick(ORGS);
        const offset = await idOffset(orgId);
        const maxId = randomMaxId(orgId);
        const filter = timeOrderedFilter(maxId);
        // Ranges that start or end inside an hour too, and lists of several values.
        if (rand() < 0.5) filter.from = filter.from! + Math.floor(rand() * HOUR);
        if (rand() < 0.3) filter.poolCategories = some(POOL_CATEGORIES);
        if (rand() < 0.2) filter.endpoints = some(ENDPOINTS, 2);
        if (filter.endpoints && filter.userIds) delete filter.userIds;
        const sort = pick(['created', 'resourceType', 'poolCategory', 'ioType', 'endpoint'] as const);
        const memoryFilter = { ...filter, maxId: maxId + offset };
        const total = await memory.countEvents(orgId, memoryFilter, 100_000);
        const page = { sort, order: pick(['asc', 'desc'] as const), offset: Math.floor(rand() * (total + 10)), limit: 1 + Math.floor(rand() * 40) };
        const message = `${JSON.stringify({ orgId, filter })} ${JSON.stringify(page)}`;
        const want = await memory.queryEvents(orgId, memoryFilter, page);
        skips.length = 0;
        assert.deepEqual(normalise(await deep.queryEvents(orgId, filter, page), offset), want, message);
        if (page.offset >= total) pastEnd++;
        if (skips.length && want.length) {
          // The read started inside the matches: the page's first event lies in the narrower
          // read, at the offset left.
          const [{ filter: narrower, offset: left }] = skips as [{ filter: StoreFilter; offset: number }];
          assert.ok(left < page.offset, message);
          const again = await memory.queryEvents(orgId, { ...narrower, maxId: maxId + offset }, { ...page, offset: left });
          assert.deepEqual(again, want, `${message}: the narrower read gives the same page`);
          if (narrower.from !== filter.from || narrower.to !== filter.to) inHour++;
          if (page.sort === 'endpoint' && narrower.endpoints?.length === 1 && filter.endpoints?.length !== 1) byEndpoint++;
        }
      }
      assert.ok(inHour >= 30, `only ${inHour} of 200 pages started at a later hour`);
      assert.ok(byEndpoint >= 5, `only ${byEndpoint} pages sorted by endpoint started at their endpoint`);
      assert.ok(pastEnd >= 3, `only ${pastEnd} of 200 pages lay past the end`);
    } finally {
      await deep.close();
    }
  });

  it('pages alike when a filter repeats a value or lists many, for every sort', async () => {
    const orgId = ORGS[0];
    const maxId = await pg.lastEventId(orgId);
    const filters: StoreFilter[] = [
      { maxId, userIds: ['alice', 'bob', 'alice'] },
      { maxId, endpoints: ['/v1/chat', '/v1/chat'], poolCategories: ['hybrid', 'surplus'] },
      { maxId, userIds: [...USERS, 'nobody'], ioTypes: ['output', 'input'] },
    ];
    for (const filter of filters) {
      for (const sort of EVENT_SORT_COLUMNS) {
        for (const offset of [0, 37]) {
          const page = { sort, order: offset ? ('asc' as const) : ('desc' as const), offset, limit: 25 };
          const message = JSON.stringify({ filter, page });
          const expected = await memory.queryEvents(orgId, filter, page);
          assert.deepEqual(await pg.queryEvents(orgId, filter, page), expected, message);
          assert.deepEqual(await ordered.queryEvents(orgId, filter, page), expected, message);
          assert.deepEqual(await mixed.queryEvents(orgId, filter, page), expected, message);
        }
      }
    }
  });

  it('pages alike sorted by a column whose values the rollups name under the filter (read one by one)', async () => {
    // The second organization: the memory store numbers its ids after the first's.
    const orgId = ORGS[1];
    // An endpoint with OCR input events only: its other types, pools and I/O types are skipped.
    const only = Array.from({ length: 40 }, (_, i): IngestItem => ({
      userId: USERS[i % 3]!,
      amount: 1 + (i % 2),
      resourceType: 'ocr',
      ioType: 'input',
      requestId: `only-${i}`,
      endpoint: '/v1/ocr-only',
      created: NOW - 10 * HOUR + i * 60_000,
    }));
    const stored = await pg.ingest(orgId, only);
    const expectedStored = await memory.ingest(orgId, only);
    assert.ok(stored.kind === 'stored' && expectedStored.kind === 'stored');
    assert.deepEqual(withoutIds(stored.results), withoutIds(expectedStored.results));
    const maxId = await pg.lastEventId(orgId);
    const offset = await idOffset(orgId);
    const cases: [EventSortColumn, Omit<StoreFilter, 'maxId'>][] = [
      ...RESOURCE_TYPES.map((resourceType): [EventSortColumn, Omit<StoreFilter, 'maxId'>] => ['endpoint', { resourceType }]),
      ['endpoint', { resourceType: 'tokens', poolCategories: ['hybrid'] }],
      ['resourceType', { endpoints: [ENDPOINTS[0]!] }],
      ['resourceType', { endpoints: [ENDPOINTS[1]!, ENDPOINTS[2]!], ioTypes: ['output'] }],
      ['poolCategory', { endpoints: [ENDPOINTS[0]!] }],
      ['ioType', { endpoints: [ENDPOINTS[1]!], resourceType: 'tokens' }],
      ['amount', { endpoints: [ENDPOINTS[2]!] }],
      ['amount', { endpoints: ['/v1/ocr-only'] }],
      ['resourceType', { endpoints: ['/v1/ocr-only', '/nowhere'] }],
      ['ioType', { endpoints: ['/v1/ocr-only'] }],
      ['endpoint', { resourceType: 'ocr', ioTypes: ['input'] }],
      ['amount', { userIds: [USERS[0]!], poolCategories: ['allocated'] }],
      ['resourceType', { userIds: [USERS[1]!, USERS[2]!] }],
    ];
    for (const [sort, narrowing] of cases) {
      // A range starting inside a day: the values come from the days it touches.
      for (const range of [{}, { from: NOW - 30 * HOUR + 17 * 60_000, to: NOW - 2 * HOUR }]) {
        const filter: StoreFilter = { maxId, ...narrowing, ...range };
        for (const order of ['asc', 'desc'] as const) {
          for (const [skip, limit] of [[0, 60], [400, 600]]) {
            const page = { sort, order, offset: skip!, limit: limit! };
            const message = JSON.stringify({ filter, page });
            const expected = await memory.queryEvents(orgId, { ...filter, maxId: maxId + offset }, page);
            if (skip === 0) assert.ok(expected.length, message);
            assert.deepEqual(normalise(await pg.queryEvents(orgId, filter, page), offset), expected, message);
            assert.deepEqual(normalise(await ordered.queryEvents(orgId, filter, page), offset), expected, message);
          }
        }
      }
    }
  });

  function randomEdges(): number[] {
    const unit = pick([HOUR, HOUR, 24 * HOUR, 60_000, 30 * 60_000]);
    const count = 1 + Math.floor(rand() * (unit === 60_000 ? 300 : 60));
    const aligned = rand() < 0.8;
    let start = Math.floor((NOW - rand() * 90 * HOUR) / unit) * unit;
    if (!aligned) start += Math.floor(rand() * unit);
    const edges = Array.from({ length: count + 1 }, (_, i) => start + i * unit);
    // As a chart cuts its first and last buckets to its range (and a 7-day total is one
    // such bucket): the inner edges aligned, the outer ones anywhere inside their bucket.
    if (aligned && rand() < 0.4) {
      edges[0]! += Math.floor((rand() * unit) / 2);
      edges[count]! -= Math.floor((rand() * unit) / 2);
    }
    return edges;
  }

  it('sums by key and by bucket alike, from rollups or events, at any maxId', async () => {
    for (let i = 0; i < 150; i++) {
      const orgId = pick(ORGS);
      const offset = await idOffset(orgId);
      const maxId = randomMaxId(orgId);
      const filter = randomFilter(maxId);
      delete filter.requestId;
      const memoryFilter = { ...filter, maxId: maxId + offset };
      const groupBy: GroupBy | null = rand() < 0.2 ? null : pick(GROUP_BYS);
      const message = JSON.stringify({ orgId, filter, groupBy });
      if (groupBy) {
        assert.deepEqual(
          sortRows(await pg.sumByKey(orgId, filter, groupBy)),
          sortRows(await memory.sumByKey(orgId, memoryFilter, groupBy)),
          message,
        );
      }
      const edges = randomEdges();
      const keys = groupBy && rand() < 0.5 ? some(groupBy === 'userId' ? USERS : groupBy === 'endpoint' ? ENDPOINTS : groupBy === 'ioType' ? IO_TYPES : POOL_CATEGORIES) : null;
      assert.deepEqual(
        sortRows(await pg.sumByBucket(orgId, filter, edges, groupBy, keys)),
        sortRows(await memory.sumByBucket(orgId, memoryFilter, edges, groupBy, keys)),
        `${message} ${JSON.stringify({ edges: [edges[0], edges.length], keys })}`,
      );
    }
  });

  it('gives the same surplus inputs: drawn per minute, per bucket and users over base', async () => {
    for (let i = 0; i < 60; i++) {
      const orgId = pick(ORGS);
      const offset = await idOffset(orgId);
      const maxId = randomMaxId(orgId);
      const type: ResourceType = pick(RESOURCE_TYPES);
      const edges = randomEdges();
      const message = JSON.stringify({ orgId, type, maxId, edges: [edges[0], edges.length] });
      assert.deepEqual(
        await pg.surplusBuckets(orgId, type, edges, maxId),
        await memory.surplusBuckets(orgId, type, edges, maxId + offset),
        message,
      );
      const from = NOW - Math.floor(rand() * 80 * HOUR);
      const to = from + Math.floor(rand() * 30 * HOUR);
      assert.deepEqual(
        await pg.drawnByMinute(orgId, type, from, to, maxId),
        await memory.drawnByMinute(orgId, type, from, to, maxId + offset),
        message,
      );
    }
  });

  it('lists users, endpoints and limits alike', async () => {
    for (const orgId of ORGS) {
      const offset = await idOffset(orgId);
      for (const q of [undefined, 'a', 'É', 'example', '😀', 'zz', 'NAME']) {
        for (const ids of [undefined, ['bob', 'zoë', 'nobody']]) {
          const query = { q, ids, limit: 4, offset: q === 'a' ? 2 : 0 };
          assert.deepEqual(await pg.listUsers(orgId, query), await memory.listUsers(orgId, query), JSON.stringify(query));
        }
      }
      for (let i = 0; i < 10; i++) {
        const maxId = randomMaxId(orgId);
        const query = { since: NOW - Math.floor(rand() * 80 * HOUR), q: rand() < 0.3 ? 'CHAT' : undefined, limit: 1 + Math.floor(rand() * 6), maxId };
        assert.deepEqual(await pg.listEndpoints(orgId, query), await memory.listEndpoints(orgId, { ...query, maxId: maxId + offset }));
      }
      assert.deepEqual(await pg.organizationLimits(orgId), await memory.organizationLimits(orgId));
      assert.deepEqual(sortRows(await pg.userLimits(orgId, 'bob')), sortRows(await memory.userLimits(orgId, 'bob')));
      assert.deepEqual(await pg.userLimits(orgId, 'nobody'), []);
      assert.deepEqual(await pg.getUser(orgId, 'émile'), await memory.getUser(orgId, 'émile'));
      assert.equal(await pg.getUser(orgId, 'nobody'), null);
    }
  });

  it('reads the stream backlog alike: events after an id, and their count', async () => {
    for (const orgId of ORGS) {
      const offset = await idOffset(orgId);
      const last = await pg.lastEventId(orgId);
      for (const afterId of [0, 1, Math.floor(last / 2), last - 3, last]) {
        assert.deepEqual(normalise(await pg.eventsAfter(orgId, afterId, 50), offset), await memory.eventsAfter(orgId, afterId + offset, 50));
        assert.equal(await pg.countEventsAfter(orgId, afterId, 100), Math.min(100, last - afterId));
      }
    }
  });

  it('replays an Idempotency-Key and refuses it with another body, across connections', async () => {
    const items = [randomItem(NOW - 1_000)];
    const idempotency = { key: 'k-1', requestHash: 'h-1', now: NOW };
    const first = await pg.ingest('org-a', items, { idempotency });
    const again = await Promise.all([1, 2, 3].map(() => pg.ingest('org-a', items, { idempotency })));
    assert.equal(first.kind, 'stored');
    for (const outcome of again) assert.deepEqual(outcome, { kind: 'replayed', results: (first as { results: unknown }).results });
    assert.deepEqual(await pg.ingest('org-a', items, { idempotency: { ...idempotency, requestHash: 'h-2' } }), { kind: 'conflict' });
    const later = await pg.ingest('org-a', items, { idempotency: { ...idempotency, now: NOW + 24 * HOUR } });
    assert.equal(later.kind, 'stored', 'a key is forgotten after 24 hours');
  });
});
