// The PostgreSQL side of the server benchmark (`npm run bench:server -- --store=postgres`):
//   const { store, close, seedSeconds } = await openPostgresBenchStore({ events, log });
// connects to DATABASE_URL when set, else to a private cluster kept under
// data/bench/postgres-<events> (stopped, not deleted, after the run), so a seeded
// database is reused by the next run. An empty database is seeded through the store's own
// ingest, as the server seeds it, with durability off while seeding only.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCluster } from '../../scripts/pg-cluster.mjs';
import { createPostgresStore } from '../../server/store/postgres/postgres-store.ts';
import { seedDemo, DEMO_ORG } from '../../server/seed/seed.ts';
import { DEMO_TOKEN, DEMO_INGEST_TOKEN, OTHER_ORG_TOKEN, OTHER_ORG_INGEST_TOKEN } from '../../server/seed/demo.ts';

/** Server settings for the benchmark cluster on this 2-core, 24 GiB machine. */
const SETTINGS = {
  shared_buffers: '6GB',
  effective_cache_size: '8GB',
  work_mem: '32MB',
  maintenance_work_mem: '512MB',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  random_page_cost: '1.1',
  max_parallel_workers_per_gather: '1',
  jit: 'off',
};
/** Durability as a production server would have it (measurements run with these). */
const DURABLE = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };
/** While seeding only: a crash would just mean seeding again. */
const SEEDING = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

const TOKENS = { demoRead: DEMO_TOKEN, demoIngest: DEMO_INGEST_TOKEN, otherRead: OTHER_ORG_TOKEN, otherIngest: OTHER_ORG_INGEST_TOKEN };

/**
 * A PostgreSQL store for the benchmark, seeded with about `events` events when empty.
 * Resolves to `{ store, url, seeded, seedSeconds, close }`.
 */
export async function openPostgresBenchStore({ events = 10_000_000, now = Date.now(), log = () => {} } = {}) {
  const external = process.env.DATABASE_URL;
  const keepDir = `data/bench/postgres-${events}`;
  let cluster = external ? null : await startCluster({ keepDir, settings: { ...SETTINGS, ...DURABLE } });
  let url = external ?? cluster.url;
  let store = await createPostgresStore({ connectionString: url, now: () => now });
  let seedSeconds = null;
  if ((await store.lastEventId(DEMO_ORG.orgId)) === 0) {
    if (cluster) {
      await store.close();
      await cluster.stop();
      cluster = await startCluster({ keepDir, settings: { ...SETTINGS, ...SEEDING } });
      url = cluster.url;
      store = await createPostgresStore({ connectionString: url, now: () => now });
    }
    const started = performance.now();
    let reported = 0;
    await seedDemo(store, {
      events,
      now,
      tokens: TOKENS,
      onProgress: (written) => {
        if (written - reported >= 250_000) {
          reported = written;
          const seconds = (performance.now() - started) / 1000;
          log(`seeded ${written.toLocaleString('en-US')} events (${Math.round(written / seconds).toLocaleString('en-US')}/s)`);
        }
      },
    });
    seedSeconds = (performance.now() - started) / 1000;
    await store.pool.query('vacuum analyze');
    await store.pool.query('checkpoint');
    if (cluster) {
      await store.close();
      await cluster.stop();
      cluster = await startCluster({ keepDir, settings: { ...SETTINGS, ...DURABLE } });
      url = cluster.url;
      store = await createPostgresStore({ connectionString: url, now: () => now });
    }
  }
  return {
    store,
    url,
    seedSeconds,
    async close() {
      await store.close();
      await cluster?.stop();
    },
  };
}

/**
 * Analyzes the tables that autovacuum would analyze now (more rows changed since their
 * last analyze than `autovacuum_analyze_threshold` + `autovacuum_analyze_scale_factor` ×
 * their rows); their names. The benchmark's cluster runs for minutes at a time, too short
 * for autovacuum (a pass a minute) to analyze the week partition that the ingest fills,
 * which a running server's has done within a minute of its first rows: without it the
 * planner takes that partition for empty and reads a user's recent events along the
 * amount index (about 55 ms a batch at 10M instead of under 3).
 */
export async function analyzeAsAutovacuumWould(pool) {
  const { rows } = await pool.query(
    `select format('%I.%I', t.schemaname, t.relname) as name from pg_stat_user_tables t join pg_class c on c.oid = t.relid
      where t.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::int
        + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)`,
  );
  for (const { name } of rows) await pool.query(`analyze ${name}`);
  return rows.map((row) => row.name);
}

/**
 * The CPU time the database server has spent so far, in ms, as a function (or null when
 * the server is not on this machine or its files cannot be read): the postmaster's own
 * time, its live children's (backends, parallel workers, background processes; from
 * /proc/<pid>/schedstat, in ns) and the ended children's it has reaped (cutime + cstime,
 * in clock ticks). The difference of two readings is the database's share of the work
 * in between, which the benchmark process's own CPU time does not hold.
 */
export async function databaseCpuReader(pool) {
  let postmaster;
  try {
    const dir = (await pool.query('show data_directory')).rows[0].data_directory;
    postmaster = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    readFileSync(`/proc/${postmaster}/schedstat`, 'utf8');
  } catch {
    return null;
  }
  const TICK_MS = 10; // USER_HZ is 100 on Linux
  const onCpuMs = (pid) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  // /proc/<pid>/stat after the command's closing parenthesis: state, ppid, … (fields 3…).
  const statFields = (pid) => {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  };
  return () => {
    const own = statFields(postmaster);
    // Fields 16 and 17 (cutime, cstime) are at 13 and 14 after the parenthesis.
    let total = onCpuMs(postmaster) + (Number(own[13]) + Number(own[14])) * TICK_MS;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (Number(statFields(entry)[1]) === postmaster) total += onCpuMs(entry);
      } catch {
        // ended between the listing and the read: its time is in the postmaster's cutime
      }
    }
    return total;
  };
}
