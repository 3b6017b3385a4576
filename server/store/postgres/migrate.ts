/**
 * Applies the migrations a database lacks, each once, in order, under an advisory lock so
 * that several processes starting together apply each exactly once.
 */
import type pg from 'pg';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/** The advisory lock key held while migrating ('usage-dashboard migrations'). */
const MIGRATION_LOCK = 7_215_370_913;

/** Applies what is missing and returns the versions it applied (none on a second run). */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'create table if not exists usage_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())',
      );
      const { rows } = await client.query<{ version: number }>('select version from usage_migrations');
      const applied = new Set(rows.map((row) => row.version));
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query('begin');
        try {
          await client.query(migration.sql);
          await client.query('insert into usage_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
        }
        done.push(migration.version);
      }
      return done;
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
