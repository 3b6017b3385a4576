/**
 * What the PostgreSQL store adds for scale: the events page's total counted within a
 * time budget (a lower bound past it), retention by dropping whole weekly partitions
 * with their rollups (which another process's ingest survives), and read-only stores
 * for read replicas.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPostgresStore, type PostgresStore } from '../../server/store/postgres/postgres-store.js';
import type { IngestItem } from '../../server/store/types.js';
import { usePostgres } from './cluster.js';

const postgres = usePostgres();
const DAY = 86_400_000;
/** A Monday, 00:00 UTC: partitions run from Monday to Monday. */
const MONDAY = Date.UTC(2024, 0, 8);
const NOW = MONDAY + 21 * DAY;
const BULK = 150_000;

function item(created: number, i: number): IngestItem {
  return { userId: 'u1', amount: 10, resourceType: 'tokens', ioType: 'input', requestId: `r${i}`, endpoint: '/v1/chat', created };
}

describe('PostgreSQL store at scale', () => {
  let store: PostgresStore;
  let other: PostgresStore;
  let url: string;

  before(async () => {
    url = await postgres.newDatabase();
    store = await createPostgresStore({ connectionString: url, now: () => NOW });
    other = await createPostgresStore({ connectionString: url, now: () => NOW });
    await store.putOrganization({ id: 'org', name: 'Org' });
    await store.putOrganization({ id: 'bulk', name: 'Bulk' });
    await store.setOrganizationLimits('org', {
      effectiveFrom: 0,
      weeklyTokenLimit: 1_000_000,
      storageLimit: 0,
      surplusCapacity: { tokens: 0, storage: 0, ocr: 0 },
    });
    await store.putUsers('org', [{ id: 'u1' }]);
    await store.setUserLimits('org', 'u1', [{ resourceType: 'tokens', effectiveFrom: 0, basePer4h: 1_000_000, surplusPer4h: 0 }]);
    // Many rows fast, straight into the table: only the count reads them.
    await store.ensurePartitions(NOW - 7 * DAY, NOW);
    await store.pool.query(
      `insert into events (org_id, id, created, amount, surplus_amount, resource_type, pool_category, io_type, user_id, request_id, endpoint)
       select 'bulk', n, $1::timestamptz + n * interval '1 second', n % 97, 0, 2, 0, n % 2, 'u' || (n % 50), 'r' || n, '/e'
       from generate_series(1, $2::int) n`,
      [new Date(NOW - 7 * DAY).toISOString(), BULK],
    );
  });
  after(async () => {
    await other.close();
    await store.close();
  });

  it('counts the total within a time budget, and says when it is only a lower bound', async () => {
    const filter = { maxId: BULK, from: NOW - 7 * DAY, to: NOW };
    const exact = await store.countEventsWithin('bulk', filter, BULK + 1, 60_000);
    assert.deepEqual(exact, { count: BULK, exact: true });
    const capped = await store.countEventsWithin('bulk', filter, 1_001, 60_000);
    assert.deepEqual(capped, { count: 1_001, exact: true });
    const hurried = await store.countEventsWithin('bulk', { ...filter, ioTypes: ['output'] }, BULK + 1, 1);
    assert.equal(hurried.exact, false);
    assert.ok(hurried.count < BULK / 2, `a lower bound, counted ${hurried.count}`);
    // The connection is usable again after a cancelled count. (An amount range: these
    // events were written without their rollups, and countEvents reads the rollups where
    // they hold the filter.)
    assert.equal(await store.countEvents('bulk', { ...filter, ioTypes: ['output'], resourceType: 'tokens', amountMin: 0 }, BULK), BULK / 2);
  });

  it('drops whole old weeks with their rollups, and ingest into a dropped week makes it again', async () => {
    const weeks = [MONDAY + DAY, MONDAY + 8 * DAY, MONDAY + 15 * DAY];
    // Written through the other process, which thereby knows these weeks' partitions.
    const outcome = await other.ingest('org', weeks.map(item));
    assert.equal(outcome.kind, 'stored');
    const everything = { maxId: 3, from: MONDAY, to: NOW };
    assert.equal((await store.sumByBucket('org', everything, [MONDAY, NOW], null, null))[0]?.amount, 30);

    assert.deepEqual(await store.dropEventsBefore(MONDAY + 14 * DAY), ['events_p20240108', 'events_p20240115']);
    const left = await store.queryEvents('org', everything, { sort: 'created', order: 'asc', offset: 0, limit: 10 });
    assert.deepEqual(left.map((event) => event.id), ['3']);
    // Charts read rollups for whole hours: they must agree with the events left.
    assert.equal((await store.sumByBucket('org', everything, [MONDAY, NOW], null, null))[0]?.amount, 10);
    // Every rollup table (found by name, so that a new one is checked too) by its time column.
    const { rows: tables } = await store.pool.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
       where table_schema = 'public' and table_name like 'rollup\\_%' and column_name in ('minute', 'hour', 'day') order by 1`,
    );
    assert.ok(tables.length >= 12, `rollup tables found: ${tables.map((t) => t.table_name).join(', ')}`);
    for (const { table_name: table, column_name: column } of tables) {
      const { rows } = await store.pool.query<{ n: number }>(`select count(*)::int as n from ${table} where ${column} < $1`, [new Date(MONDAY + 14 * DAY).toISOString()]);
      assert.equal(rows[0]!.n, 0, `${table} keeps rows of the dropped weeks`);
    }

    // The other process still believes the dropped week's partition exists.
    const again = await other.ingest('org', [item(MONDAY + 2 * DAY, 4)]);
    assert.equal(again.kind, 'stored');
    const back = await store.queryEvents('org', { ...everything, maxId: 4 }, { sort: 'created', order: 'asc', offset: 0, limit: 10 });
    assert.deepEqual(back.map((event) => event.id), ['4', '3']);
  });

  it('serves reads from a read-only connection (a replica) and wakes its streams by polling', async () => {
    // A role whose every transaction is read-only stands in for a hot standby (roles
    // belong to the whole cluster, which the run's test files share).
    const role = `replica_reader_${process.pid}`;
    await store.pool.query(`create role ${role} login`);
    await store.pool.query(`alter role ${role} set default_transaction_read_only = on`);
    await store.pool.query(`grant select on all tables in schema public to ${role}`);
    const reader = await createPostgresStore({ connectionString: url.replace('postgres@', `${role}@`), readOnly: true });
    try {
      const filter = { maxId: await store.lastEventId('org') };
      const page = { sort: 'created' as const, order: 'desc' as const, offset: 0, limit: 10 };
      assert.deepEqual(await reader.queryEvents('org', filter, page), await store.queryEvents('org', filter, page));
      await assert.rejects(reader.ingest('org', [item(NOW - DAY, 90)]), /read-only/);
      let woken = 0;
      const stop = reader.watch('org', () => woken++);
      await new Promise((resolve) => setTimeout(resolve, 600));
      // The first reading wakes once (events may have come before it), then only news.
      assert.equal(woken, 1);
      await store.ingest('org', [item(NOW - DAY, 91)]);
      const deadline = Date.now() + 5_000;
      while (woken < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 600));
      stop();
      assert.equal(woken, 2);
    } finally {
      await reader.close();
    }
  });
});
