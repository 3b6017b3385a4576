// The PostgreSQL side of the server benchmark.
//
// As a module (for bench/server.bench.mjs, `--store=postgres`):
//   const { store, close } = await openPostgresBenchStore({ events });
// connects to DATABASE_URL when set, else to a private cluster kept under
// data/bench/postgres-<events> (stopped, not deleted, after the run), so a seeded
// database is reused by the next run.
//
// Standalone (needs tsx for the TypeScript server):
//   node --import tsx bench/lib/postgres.mjs --events=10000000 [--runs=20]
// seeds if empty (through the store's own ingest, as the server does), then measures the
// targets through the contract handler and prints a table.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../../scripts/pg-cluster.mjs';
import { createPostgresStore } from '../../server/store/postgres/postgres-store.ts';
import { createHandler } from '../../server/handler/handler.ts';
import { seedDemo, DEMO_ORG } from '../../server/seed/seed.ts';
import { DEMO_TOKEN, DEMO_INGEST_TOKEN, OTHER_ORG_TOKEN, OTHER_ORG_INGEST_TOKEN } from '../../server/seed/demo.ts';

/** Server settings for the benchmark cluster on this 2-core, 24 GiB machine. */
const SETTINGS = {
  shared_buffers: '2GB',
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
  let store = await createPostgresStore({ connectionString: url, max: 10, now: () => now });
  let seedSeconds = null;
  if ((await store.lastEventId(DEMO_ORG.orgId)) === 0) {
    if (cluster) {
      await store.close();
      await cluster.stop();
      cluster = await startCluster({ keepDir, settings: { ...SETTINGS, ...SEEDING } });
      url = cluster.url;
      store = await createPostgresStore({ connectionString: url, max: 10, now: () => now });
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
      store = await createPostgresStore({ connectionString: url, max: 10, now: () => now });
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

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Times `request(path)` over every path, `runs` times each (after one warm-up). */
async function measure(handler, paths, runs) {
  const times = [];
  for (const path of paths) {
    await call(handler, path);
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await call(handler, path);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1], n: times.length };
}

async function call(handler, path, init = {}) {
  const response = await handler(
    new Request(`http://bench/api/${path}`, { ...init, headers: { authorization: `Bearer ${DEMO_TOKEN}`, ...(init.headers ?? {}) } }),
  );
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

const SORTS = ['created', 'userId', 'amount', 'resourceType', 'poolCategory', 'ioType', 'requestId', 'endpoint'];

async function runStandalone() {
  const args = Object.fromEntries(
    process.argv.slice(2).map((arg) => {
      const [key, value] = arg.replace(/^--/, '').split('=');
      return [key, value ?? 'true'];
    }),
  );
  const events = Number(args.events ?? 10_000_000);
  const runs = Number(args.runs ?? 10);
  const log = (line) => process.stderr.write(`${line}\n`);
  const opened = await openPostgresBenchStore({ events, log });
  const { store } = opened;
  try {
    const orgId = DEMO_ORG.orgId;
    const lastId = await store.lastEventId(orgId);
    const [newest] = await store.eventsAfter(orgId, lastId - 1, 1);
    const now = Date.parse(newest.created) + 60_000;
    const handler = createHandler({ store, now: () => now, basePath: '/api' });
    const iso = (ms) => new Date(ms).toISOString();
    const day = 86_400_000;
    const last = (days) => `from=${iso(now - days * day)}&to=${iso(now)}`;
    const users = (await store.listUsers(orgId, { limit: 200, offset: 0 })).items.map((u) => u.id);
    const heavy = (await store.sumByKey(orgId, { maxId: lastId, from: now - 7 * day, to: now, resourceType: 'tokens' }, 'userId'))
      .sort((a, b) => b.amount - a.amount)
      .map((s) => s.key);
    const endpoints = (await store.listEndpoints(orgId, { since: now - 90 * day, limit: 50, maxId: lastId })).map((e) => e.endpoint);
    const [sample] = await store.queryEvents(orgId, { maxId: lastId, from: now - 3 * day, to: now }, { sort: 'created', order: 'desc', offset: 500, limit: 1 });
    const enc = encodeURIComponent;
    const filters = [
      '',
      `userId=${enc(heavy[0])}`,
      `userId=${enc(users[7])}`,
      heavy.slice(0, 5).map((u) => `userId=${enc(u)}`).join('&'),
      'resourceType=tokens&amountMin=1000&amountMax=5000',
      'resourceType=storage',
      'resourceType=ocr&amountMin=5',
      'poolCategory=surplus&poolCategory=hybrid',
      'poolCategory=hybrid',
      'ioType=output',
      `endpoint=${enc(endpoints[0])}`,
      `endpoint=${enc(endpoints[endpoints.length - 1])}`,
      `requestId=${enc(sample.requestId)}`,
      `resourceType=tokens&poolCategory=surplus&userId=${enc(heavy[1])}`,
    ];
    const rows = [];
    const row = (name, target, result) => {
      rows.push({ name, target, ...result });
      log(`${name}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`);
    };
    const page1 = [];
    for (const filter of filters) {
      for (const sort of SORTS) {
        for (const order of ['asc', 'desc']) page1.push(`events?${filter}&sort=${sort}&order=${order}&page=1&pageSize=25`);
      }
    }
    // One run each over 14 filters × 8 sorts × 2 orders (7 days), then 90 days.
    row('events page 1, 7 days, any filter, any sort', 50, await measure(handler, page1.map((p) => `${p}&${last(7)}`), Math.max(1, Math.floor(runs / 5))));
    row('events page 1, 90 days, any filter, any sort', 50, await measure(handler, page1.map((p) => `${p}&${last(90)}`), Math.max(1, Math.floor(runs / 5))));
    const deep = SORTS.flatMap((sort) => ['asc', 'desc'].map((order) => `events?${last(90)}&sort=${sort}&order=${order}&page=10000&pageSize=25`));
    row('events page 10,000 (90 days, every sort)', 100, await measure(handler, deep, Math.max(1, Math.floor(runs / 2))));
    const groupings = ['ioType', 'poolCategory', 'userId', 'endpoint'];
    row('consumption 7 days', 30, await measure(handler, groupings.map((g) => `consumption?${last(7)}&groupBy=${g}`), runs));
    row('consumption 90 days', 100, await measure(handler, groupings.map((g) => `consumption?${last(90)}&groupBy=${g}`), runs));
    row('consumption 7 days, one user', 30, await measure(handler, [`consumption?${last(7)}&userId=${enc(heavy[0])}`], runs));
    row('surplus 7 days', 30, await measure(handler, ['tokens', 'storage', 'ocr'].map((t) => `surplus?${last(7)}&resourceType=${t}`), runs));
    row('surplus 90 days', 100, await measure(handler, ['tokens', 'storage', 'ocr'].map((t) => `surplus?${last(90)}&resourceType=${t}`), runs));
    // Ingest through the API in batches of 1,000 (classification, ids, rollups, commit).
    const batches = Number(args.ingestBatches ?? 50);
    const started = performance.now();
    let ingested = 0;
    for (let b = 0; b < batches; b++) {
      const body = {
        events: Array.from({ length: 1000 }, (_, i) => ({
          userId: users[(b * 1000 + i) % users.length],
          amount: 1 + ((b * 7919 + i * 104729) % 50),
          resourceType: 'tokens',
          ioType: i % 2 ? 'output' : 'input',
          requestId: `bench-${b}-${i}`,
          endpoint: endpoints[i % endpoints.length],
          created: iso(now - 60_000 + ((b * 1000 + i) % 60_000)),
        })),
      };
      const response = await handler(
        new Request('http://bench/api/events', {
          method: 'POST',
          headers: { authorization: `Bearer ${DEMO_INGEST_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      const answer = await response.json();
      ingested += answer.items.filter((item) => 'id' in item).length;
    }
    const rate = ingested / ((performance.now() - started) / 1000);
    log(`ingest: ${Math.round(rate)} events/s (${ingested} stored)`);
    const size = (await store.pool.query('select pg_database_size(current_database()) as n')).rows[0].n;
    console.log(`\nPostgreSQL store, ${(await store.lastEventId(orgId)).toLocaleString('en-US')} events in the demo organization`);
    if (opened.seedSeconds) console.log(`seeded in ${opened.seedSeconds.toFixed(0)} s`);
    console.log('| measurement | target | p50 ms | p95 ms | max ms | requests |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      console.log(`| ${r.name} | ≤ ${r.target} ms p95 | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.n} |`);
    }
    console.log(`| ingest through the handler, batches of 1,000 | ≥ 20,000/s | ${Math.round(rate).toLocaleString('en-US')} events/s | | | ${batches} |`);
    console.log(`| database size | | ${(size / 2 ** 30).toFixed(2)} GiB | | | |`);
    console.log(`| API process RSS | | ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB | | | |`);
  } finally {
    await opened.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runStandalone();
}
