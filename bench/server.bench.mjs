// The reference server's benchmark: the targets of DESIGN.md / issue 3 measured through
// the contract handler (Request → Response, as every adapter calls it) over a seeded store.
//
//   npm run bench:server -- --events=10000000 --store=embedded|postgres [--runs=10] [--batches=100] [--ingest-warm-up=10] [--ingest-concurrency=1] [--verbose]
//   npm run bench:server -- --events=10000000 --only=ingest   (the ingest rate alone, no reads)
//   npm run bench:server -- --events=10000000 --only=surplus  (the read rows whose name starts so, no ingest)
//   npm run bench:server -- --events=10000000 --seed-only   (embedded: seed the kept file, measure nothing)
//
// embedded: the SQLite file data/bench/embedded-<events>.sqlite, seeded on first use
// through the store's own ingest (the same classification as POST events) and reused by
// later runs. postgres: bench/lib/postgres.mjs (a kept private cluster, or DATABASE_URL).
// Prints p50/p95 per query class (varied filters, every sort column and direction), the
// ingest rate through POST events in batches of 1,000, and the process's RSS. Wall and CPU
// time are both printed: on a shared machine the CPU time is the request's own cost. With
// PostgreSQL on this machine, the database server's CPU time is measured too (all its
// processes, per row of the table: a mean per request), since the query runs there.
import { mkdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createHandler } from '../server/handler/handler.ts';
import { DEMO_ORG, OTHER_ORG, seedDemo } from '../server/seed/seed.ts';
import { DEMO_INGEST_TOKEN, DEMO_TOKEN, OTHER_ORG_INGEST_TOKEN, OTHER_ORG_TOKEN } from '../server/seed/demo.ts';
import { openEmbeddedStore } from '../server/store/embedded/index.ts';
import { LIMITS } from '../src/api/contract.ts';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const EVENTS = Number(args.events ?? 10_000_000);
const STORE = args.store ?? 'embedded';
const RUNS = Number(args.runs ?? 10);
const BATCHES = Number(args.batches ?? 100);
/** `--verbose`: how many of a row's costliest paths to list (`--top`, default 5). */
const TOP = Number(args.top ?? 5);
/** Untimed batches of 1,000 before the timed ingest (`--ingest-warm-up`, default 10). */
const INGEST_WARM_UP = Number(args['ingest-warm-up'] ?? 10);
const INGEST_CONCURRENCY = Number(args['ingest-concurrency'] ?? 1);
/**
 * `--only=ingest`: measure the ingest rate alone (no reads), e.g. under `node --cpu-prof`;
 * `--only=<prefix>`: the read rows whose name starts with it, and no ingest.
 */
const ONLY = args.only;
const ONLY_INGEST = ONLY === 'ingest';
/** `--seed-only`: seed the kept file when empty, then stop (no measurement: run it niced, outside the lock). */
const SEED_ONLY = args['seed-only'] === 'true';
/** The seeding connection's page cache in MiB (`--seed-cache-mb`, default 6,144: a 10M-event file is about 4 GiB). */
const SEED_CACHE_MB = Number(args['seed-cache-mb'] ?? 6_144);
const DAY = 86_400_000;
const SORTS = ['created', 'userId', 'amount', 'resourceType', 'poolCategory', 'ioType', 'requestId', 'endpoint'];
const TOKENS = { demoRead: DEMO_TOKEN, demoIngest: DEMO_INGEST_TOKEN, otherRead: OTHER_ORG_TOKEN, otherIngest: OTHER_ORG_INGEST_TOKEN };
const log = (line) => process.stderr.write(`${line}\n`);

/** The embedded store on its kept bench file, seeded when empty. */
async function openEmbeddedBenchStore() {
  mkdirSync('data/bench', { recursive: true });
  const file = `data/bench/embedded-${EVENTS}.sqlite`;
  let store = await openEmbeddedStore({ file });
  let seedSeconds = null;
  if ((await store.lastEventId(DEMO_ORG.orgId)) === 0) {
    // The seed writes through a connection of its own with a page cache that holds the
    // whole file (the events' indexes by amount, request ID and user take inserts all over
    // their pages, each a read from the operating system once they outgrow 128 MiB) and
    // one ANALYZE at the end instead of one per doubling; the benchmark then reopens the
    // file as a server would (default cache, so RSS is measured as served).
    await store.close();
    store = await openEmbeddedStore({ file, cacheMb: SEED_CACHE_MB, analyzeAfter: Infinity });
    const started = performance.now();
    let reported = 0;
    await seedDemo(store, {
      events: EVENTS,
      now: Date.now(),
      tokens: TOKENS,
      onProgress: (written) => {
        if (written - reported < 250_000) return;
        reported = written;
        const seconds = (performance.now() - started) / 1000;
        log(`seeded ${written.toLocaleString('en-US')} events in ${seconds.toFixed(0)} s (${Math.round(written / seconds).toLocaleString('en-US')}/s)`);
      },
    });
    seedSeconds = (performance.now() - started) / 1000;
    store.db.exec('ANALYZE');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    log(`seeded in ${seedSeconds.toFixed(0)} s, ANALYZE and checkpoint after ${((performance.now() - started) / 1000 - seedSeconds).toFixed(0)} s more`);
    await store.close();
    store = await openEmbeddedStore({ file });
  }
  if (SEED_ONLY) {
    await store.close();
    process.exit(0);
  }
  return {
    store,
    seedSeconds,
    size: () => ['', '-wal'].reduce((total, suffix) => total + (statSync(`${file}${suffix}`, { throwIfNoEntry: false })?.size ?? 0), 0),
    close: () => store.close(),
  };
}

async function openPostgres() {
  const { openPostgresBenchStore, databaseCpuReader, analyzeAsAutovacuumWould } = await import('./lib/postgres.mjs');
  const opened = await openPostgresBenchStore({ events: EVENTS, log });
  const size = (await opened.store.pool.query('select pg_database_size(current_database()) as n')).rows[0].n;
  return {
    ...opened,
    size: () => size,
    databaseCpu: await databaseCpuReader(opened.store.pool),
    // What a running server's autovacuum has done by then (see analyzeAsAutovacuumWould).
    settle: async () => {
      const analyzed = await analyzeAsAutovacuumWould(opened.store.pool);
      if (analyzed.length) log(`analyzed as autovacuum would: ${analyzed.join(', ')}`);
    },
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function call(handler, path, init = {}, token = DEMO_TOKEN) {
  const response = await handler(new Request(`http://bench/api/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } }));
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/**
 * p50/p95/max over `runs` timed calls of every path (after one untimed warm-up each), in
 * wall time and in this process's CPU time (user + system): on a shared, loaded machine
 * the CPU time is what a request costs, the wall time adds the wait for a core.
 */
async function measure(handler, paths, runs) {
  const wall = [];
  const cpu = [];
  const worst = [];
  let databaseMs = 0;
  for (const path of paths) {
    await call(handler, path);
    const databaseStart = databaseCpu?.();
    let most = 0;
    for (let i = 0; i < runs; i++) {
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      await call(handler, path);
      wall.push(performance.now() - started);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
      most = Math.max(most, cpu[cpu.length - 1]);
    }
    // With the database's CPU, a path's worst is its worst own CPU plus its database mean.
    const database = databaseCpu ? (databaseCpu() - databaseStart) / runs : 0;
    databaseMs += database * runs;
    worst.push([most + database, path]);
  }
  if (args.verbose) {
    const what = databaseCpu ? 'ms CPU with the database' : 'ms CPU';
    for (const [ms, path] of worst.sort((a, b) => b[0] - a[0]).slice(0, TOP)) log(`    ${ms.toFixed(1)} ${what}  ${decodeURIComponent(path).replace(/&?from=[^&]*&to=[^&]*/, '')}`);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    p50: percentile(wall, 50),
    p95: percentile(wall, 95),
    max: wall[wall.length - 1],
    cpu50: percentile(cpu, 50),
    cpu95: percentile(cpu, 95),
    database: databaseCpu ? databaseMs / wall.length : null,
    n: wall.length,
  };
}

const opened = STORE === 'postgres' ? await openPostgres() : await openEmbeddedBenchStore();
const { store } = opened;
/** The database server's CPU time so far in ms (PostgreSQL on this machine), else undefined. */
const databaseCpu = opened.databaseCpu ?? undefined;
try {
  const orgId = DEMO_ORG.orgId;
  const lastId = await store.lastEventId(orgId);
  const [newest] = await store.eventsAfter(orgId, lastId - 1, 1);
  const now = Date.parse(newest.created) + 60_000;
  const handler = createHandler({ store, now: () => now, basePath: '/api' });
  const iso = (ms) => new Date(ms).toISOString();
  const last = (days) => `from=${iso(now - days * DAY)}&to=${iso(now)}`;
  const enc = encodeURIComponent;
  const users = (await store.listUsers(orgId, { limit: 200, offset: 0 })).items.map((u) => u.id);
  const heavy = (await store.sumByKey(orgId, { maxId: lastId, from: now - 7 * DAY, to: now, resourceType: 'tokens' }, 'userId'))
    .sort((a, b) => b.amount - a.amount)
    .map((s) => s.key);
  const endpoints = (await store.listEndpoints(orgId, { since: now - 90 * DAY, limit: 50, maxId: lastId })).map((e) => e.endpoint);
  // A request ID of a few days back (the 500th newest of the last 3 days; the oldest of them in a small organization).
  const recent = await store.queryEvents(orgId, { maxId: lastId, from: now - 3 * DAY, to: now }, { sort: 'created', order: 'desc', offset: 0, limit: 501 });
  const sample = recent.at(-1) ?? (await store.queryEvents(orgId, { maxId: lastId }, { sort: 'created', order: 'desc', offset: 0, limit: 1 }))[0];
  if (!sample) throw new Error('the benchmark needs a seeded organization: it holds no events');
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
    `poolCategory=hybrid&ioType=output&endpoint=${enc(endpoints[endpoints.length - 1])}`,
  ];
  const rows = [];
  const row = async (name, target, paths, runs) => {
    if (ONLY && !name.startsWith(ONLY)) return;
    const result = await measure(handler, paths, runs);
    rows.push({ name, target, ...result });
    const database = result.database === null ? '' : `, database CPU mean ${result.database.toFixed(1)} ms`;
    log(`${name}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, CPU p95 ${result.cpu95.toFixed(1)} ms${database} (${result.n})`);
  };
  const page1 = filters.flatMap((filter) => SORTS.flatMap((sort) => ['asc', 'desc'].map((order) => `events?${filter}&sort=${sort}&order=${order}`)));
  const fewRuns = Math.max(1, Math.floor(RUNS / 5));
  await row('events page 1, 7 days, 15 filters × every sort', '≤ 50', page1.map((p) => `${p}&${last(7)}`), fewRuns);
  await row('events page 1, 90 days, 15 filters × every sort', '≤ 50', page1.map((p) => `${p}&${last(90)}`), fewRuns);
  await row(
    'events page 10,000, 90 days, every sort',
    '≤ 100',
    SORTS.flatMap((sort) => ['asc', 'desc'].map((order) => `events?${last(90)}&sort=${sort}&order=${order}&page=10000`)),
    Math.max(1, Math.floor(RUNS / 2)),
  );
  const groupings = ['ioType', 'poolCategory', 'userId', 'endpoint'];
  await row('consumption 7 days, every groupBy', '≤ 30', groupings.map((g) => `consumption?${last(7)}&groupBy=${g}`), RUNS);
  await row('consumption 90 days, every groupBy', '≤ 100', groupings.map((g) => `consumption?${last(90)}&groupBy=${g}`), RUNS);
  await row(
    'consumption 7 days, one user / pools / endpoint',
    '≤ 30',
    [`userId=${enc(heavy[0])}`, 'poolCategory=surplus&poolCategory=hybrid&groupBy=userId', `endpoint=${enc(endpoints[0])}`].map(
      (f) => `consumption?${last(7)}&${f}`,
    ),
    RUNS,
  );
  await row('consumption 7 days, amount range (scan)', '', [`consumption?${last(7)}&amountMin=1000&amountMax=5000`], RUNS);
  await row('surplus 7 days, every type', '≤ 30', ['tokens', 'storage', 'ocr'].map((t) => `surplus?${last(7)}&resourceType=${t}`), RUNS);
  await row('surplus 90 days, every type', '≤ 100', ['tokens', 'storage', 'ocr'].map((t) => `surplus?${last(90)}&resourceType=${t}`), RUNS);
  await row('limits, users, endpoints', '', ['limits', 'users?q=a', 'endpoints'], RUNS);

  // Ingest through POST events, batches of 1,000 (validation, classification, ids, rollups,
  // commit), as live traffic: created in the last minute. Into the second organization, so
  // that a kept file's demo organization (what the reads above measure) stays as seeded
  // however often the benchmark runs; and at a clock one rolling window (4 hours) and a
  // minute past that organization's newest event, so that every run classifies against
  // the same, empty window instead of the piled-up minutes of the runs before it.
  const measureIngest = async () => {
    const otherUsers = (await store.listUsers(OTHER_ORG.orgId, { limit: 200, offset: 0 })).items.map((u) => u.id);
    const otherLastId = await store.lastEventId(OTHER_ORG.orgId);
    const [otherNewest] = otherLastId ? await store.eventsAfter(OTHER_ORG.orgId, otherLastId - 1, 1) : [];
    const ingestNow = Math.max(now, otherNewest ? Date.parse(otherNewest.created) + LIMITS.windowMs + 60_000 : now);
    const ingestHandler = createHandler({ store, now: () => ingestNow, basePath: '/api' });
    const total = BATCHES * 1000;
    const body = (events) => JSON.stringify({ events });
    const post = (text) => call(ingestHandler, 'events', { method: 'POST', body: text, headers: { 'content-type': 'application/json' } }, OTHER_ORG_INGEST_TOKEN);
    const benchEvent = (k) => ({
      userId: otherUsers[k % otherUsers.length],
      amount: 1 + ((k * 104729) % 50),
      resourceType: 'tokens',
      ioType: k % 2 ? 'output' : 'input',
      requestId: `bench-${ingestNow}-${k}`,
      endpoint: endpoints[k % endpoints.length],
      created: iso(ingestNow - 60_000 + Math.floor((k * 60_000) / total)),
    });
    // Warm-up (not timed): the store loads the organization's classification windows once,
    // and the first batches bring the second organization's index and rollup pages back
    // into the page cache, which the reads above filled with the demo organization's
    // (--ingest-warm-up batches of 1,000, created just before the timed ones).
    for (let b = INGEST_WARM_UP; b > 0; b--) await post(body(Array.from({ length: 1000 }, (_, i) => benchEvent(-b * 1000 + i))));
    if (!INGEST_WARM_UP) await post(body([{ ...benchEvent(0), requestId: `bench-${ingestNow}-warm-up` }]));
    await opened.settle?.();
    // The client's part stays out of the timing: each batch's JSON is made before, the
    // answers are read after (they cost this process about 5 ms a batch).
    const bodies = Array.from({ length: BATCHES }, (_, b) => body(Array.from({ length: 1000 }, (_, i) => benchEvent(b * 1000 + i))));
    const answers = [];
    const started = performance.now();
    const ingestCpu = process.cpuUsage();
    const ingestDatabaseStart = databaseCpu?.();
    // --ingest-concurrency=N keeps N POSTs in flight, as N clients (or API processes) would.
    let nextBatch = 0;
    await Promise.all(
      Array.from({ length: INGEST_CONCURRENCY }, async () => {
        while (nextBatch < BATCHES) {
          const b = nextBatch++;
          answers[b] = await post(bodies[b]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const ingestCpuUsed = process.cpuUsage(ingestCpu);
    const ingested = answers.reduce((sum, answer) => sum + JSON.parse(answer).items.filter((item) => 'id' in item).length, 0);
    const rate = ingested / seconds;
    const cpuRate = ingested / ((ingestCpuUsed.user + ingestCpuUsed.system) / 1e6);
    const ingestDatabaseMs = databaseCpu ? databaseCpu() - ingestDatabaseStart : null;
    // Per CPU second of this process and the database server together.
    const bothRate = ingestDatabaseMs === null ? null : ingested / ((ingestCpuUsed.user + ingestCpuUsed.system) / 1e6 + ingestDatabaseMs / 1000);
    log(
      `ingest: ${Math.round(rate)} events/s, ${Math.round(cpuRate)} per CPU second${bothRate === null ? '' : ` (${Math.round(bothRate)} with the database's CPU)`} (${ingested} stored)`,
    );
    return { rate, cpuRate, bothRate };
  };
  const ingest = ONLY && !ONLY_INGEST ? null : await measureIngest();

  const newestId = await store.lastEventId(orgId);
  console.log(`\n${STORE} store, demo organization up to event id ${newestId.toLocaleString('en-US')} (about ${EVENTS.toLocaleString('en-US')} seeded)`);
  console.log(
    `measured on ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end${loadavg()[0] > 1 ? ' (a loaded, shared machine: figures are pessimistic)' : ''}`,
  );
  if (opened.seedSeconds) console.log(`seeded in ${opened.seedSeconds.toFixed(0)} s`);
  const withDatabase = Boolean(databaseCpu);
  const blank = withDatabase ? ' |' : '';
  console.log(`| measurement | target p95 ms | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms |${withDatabase ? ' database CPU mean ms |' : ''} requests |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- |${withDatabase ? ' --- |' : ''} --- |`);
  for (const r of rows) {
    const database = withDatabase ? ` ${r.database.toFixed(1)} |` : '';
    console.log(`| ${r.name} | ${r.target} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.cpu50.toFixed(1)} | ${r.cpu95.toFixed(1)} |${database} ${r.n} |`);
  }
  if (ingest) {
    const { rate, cpuRate, bothRate } = ingest;
    const ingestDatabase = withDatabase ? ` ${Math.round(bothRate).toLocaleString('en-US')} per CPU s with the database's |` : '';
    console.log(
      `| ingest through POST events, batches of 1,000 (second organization${INGEST_CONCURRENCY > 1 ? `, ${INGEST_CONCURRENCY} in flight` : ''}) | ≥ 20,000/s | ${Math.round(rate).toLocaleString('en-US')} events/s | | | ${Math.round(cpuRate).toLocaleString('en-US')} per CPU s | |${ingestDatabase} ${BATCHES} |`,
    );
  }
  console.log(`| database size | | ${(opened.size() / 2 ** 30).toFixed(2)} GiB | | | | |${blank} |`);
  console.log(`| process RSS | ≤ 500 MB | ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB | | | | |${blank} |`);
} finally {
  await opened.close();
}
