import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { migrate } from '../../server/store/postgres/migrate.js';
import { MIGRATIONS } from '../../server/store/postgres/migrations/index.js';
import { usePostgres } from './cluster.js';

const postgres = usePostgres();

async function withPool<T>(url: string, use: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
}

describe('PostgreSQL migrations', () => {
  it('applies every version on a new database and nothing on the second start', async () => {
    const url = await postgres.newDatabase();
    await withPool(url, async (pool) => {
      assert.deepEqual(await migrate(pool), MIGRATIONS.map((m) => m.version));
      assert.deepEqual(await migrate(pool), []);
      const { rows } = await pool.query('select version from usage_migrations order by version');
      assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
    });
  });

  it('applies each version once when several processes start together', async () => {
    const url = await postgres.newDatabase();
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: url, max: 2 }));
    try {
      const applied = await Promise.all(pools.map((pool) => migrate(pool)));
      assert.deepEqual(applied.flat().sort((a, b) => a - b), MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('applies only the new version after an upgrade, and rolls back a failing one whole', async () => {
    const url = await postgres.newDatabase();
    await withPool(url, async (pool) => {
      await migrate(pool);
      const next = { version: MIGRATIONS.length + 1, name: 'test', sql: 'create table later_table (x int);' };
      assert.deepEqual(await migrate(pool, [...MIGRATIONS, next]), [next.version]);
      assert.deepEqual(await migrate(pool, [...MIGRATIONS, next]), []);
      const broken = { version: next.version + 1, name: 'broken', sql: 'create table half_made (x int); select no_such_function();' };
      await assert.rejects(migrate(pool, [...MIGRATIONS, next, broken]), /Migration \d+ \(broken\) failed/);
      const { rows } = await pool.query("select to_regclass('half_made') as t, (select max(version) from usage_migrations) as v");
      assert.equal(rows[0].t, null);
      assert.equal(rows[0].v, next.version);
    });
  });

  it('makes weekly partitions ahead, each once, and drops whole old ones with their rollups', async () => {
    const url = await postgres.newDatabase();
    await withPool(url, async (pool) => {
      await migrate(pool);
      const made = await pool.query("select ensure_event_partitions('2024-01-03T12:00:00Z', '2024-01-29T00:00:00Z') as n");
      assert.equal(made.rows[0].n, 4); // weeks from Mon 1, 8, 15, 22 January
      const again = await pool.query("select ensure_event_partitions('2024-01-01T00:00:00Z', '2024-01-29T00:00:00Z') as n");
      assert.equal(again.rows[0].n, 0);
      await pool.query("insert into organizations (org_id, name) values ('o', 'O')");
      for (const [id, created] of [[1, '2024-01-02T00:00:00Z'], [2, '2024-01-09T00:00:00Z'], [3, '2024-01-28T23:59:59.999Z']] as const) {
        await pool.query(
          "insert into events values ($1, $2, 5, 0, 2, 0, 0, 'o', 'u', 'r', '/e')",
          [id, created],
        );
      }
      await assert.rejects(pool.query("insert into events values (4, '2024-01-29T00:00:00Z', 5, 0, 2, 0, 0, 'o', 'u', 'r', '/e')"), /no partition/);
      await pool.query("insert into rollup_hour values ('o', 2, '2024-01-02T00:00:00Z', 0, 0, 5, 1, 0), ('o', 2, '2024-01-09T00:00:00Z', 0, 0, 5, 1, 0)");
      const dropped = await pool.query("select drop_events_before('2024-01-10T00:00:00Z') as name");
      assert.deepEqual(dropped.rows.map((r) => r.name), ['events_p20240101']);
      const left = await pool.query('select id from events order by id');
      assert.deepEqual(left.rows.map((r) => Number(r.id)), [2, 3]);
      const hours = await pool.query('select count(*)::int as n from rollup_hour');
      assert.equal(hours.rows[0].n, 1);
    });
  });
});
