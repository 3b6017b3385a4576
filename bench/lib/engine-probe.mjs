// Engine probe: the same 10M-event table in SQLite (better-sqlite3) and DuckDB
// (@duckdb/node-api), the table's and charts' queries run against each, p50/p95 printed.
// Run: node bench/lib/engine-probe.mjs --events=10000000 --engine=sqlite|duckdb
// This decides the embedded store's engine; the figures go into README "Reference server".
import { mkdirSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const N = Number(args.events ?? 10_000_000);
const engine = args.engine ?? 'sqlite';
const dir = 'data/bench/probe';
mkdirSync(dir, { recursive: true });
const DAY = 86_400_000;
const END = Date.parse('2026-01-01T00:00:00Z');
const START = END - 90 * DAY;

// Deterministic data: heavy-tailed users, rhythm, paired requests.
let s = 42;
const rnd = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0), (s >>> 0) / 4294967296);
const USERS = Array.from({ length: 420 }, (_, i) => `u_${(i * 7919).toString(36).padStart(8, '0')}`);
const WEIGHTS = USERS.map(() => Math.min((1 - rnd()) ** (-1 / 1.16), 60));
const CUM = [];
WEIGHTS.reduce((a, w, i) => (CUM[i] = a + w), 0);
const pickUser = () => {
  const t = rnd() * CUM[CUM.length - 1];
  let lo = 0, hi = CUM.length - 1;
  while (lo < hi) { const m = (lo + hi) >> 1; if (CUM[m] > t) hi = m; else lo = m + 1; }
  return USERS[lo];
};
const ENDPOINTS = ['/v1/chat/completions', '/v1/responses', '/v1/completions', '/v1/embeddings', '/v1/batches', '/v1/audio/transcriptions', '/v1/assistants/runs', '/v1/files', '/v1/vector_stores/files', '/v1/ocr/documents', '/v1/ocr/receipts'];
function* rows() {
  for (let i = 0; i < N; i++) {
    const created = START + Math.floor((i / N) * 90 * DAY);
    const r = rnd();
    const type = r < 0.86 ? 'tokens' : r < 0.93 ? 'storage' : 'ocr';
    const endpoint = type === 'tokens' ? ENDPOINTS[Math.floor(rnd() * 7)] : type === 'storage' ? ENDPOINTS[7 + Math.floor(rnd() * 2)] : ENDPOINTS[9 + Math.floor(rnd() * 2)];
    const amount = Math.max(1, Math.round(Math.exp(Math.log(type === 'storage' ? 1e6 : type === 'ocr' ? 4 : 1000) + 1.1 * (rnd() + rnd() + rnd() - 1.5) * 2)));
    const p = rnd();
    const pool = p < 0.88 ? 'allocated' : p < 0.94 ? 'hybrid' : 'surplus';
    const surplus = pool === 'allocated' ? 0 : pool === 'surplus' ? amount : Math.floor(amount * rnd());
    yield [i % 20 === 0 ? 2 : 1, i + 1, created, pickUser(), amount, type, pool, rnd() < 0.55 ? 'input' : 'output', `req_${(i * 2654435761 % 4294967296).toString(36)}${i.toString(36)}`, endpoint, surplus];
  }
}

function stats(name, times) {
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  console.log(`${name.padEnd(58)} p50 ${q(0.5).toFixed(1).padStart(7)} ms   p95 ${q(0.95).toFixed(1).padStart(7)} ms`);
}

const H7 = END - 7 * DAY;
// [name, sql where, params, order by, offset]
const ORDERS = { created: 'created DESC, id DESC', user: 'user_id ASC, created ASC, id ASC', amount: 'amount DESC, created DESC, id DESC', request: 'request_id ASC, created ASC, id ASC', endpoint: 'endpoint ASC, created ASC, id ASC', pool: 'pool ASC, created ASC, id ASC', io: 'io DESC, created DESC, id DESC', type: 'resource_type ASC, created ASC, id ASC' };
const PAGES = [
  ['7d, created desc', 'created >= ? AND created < ?', [H7, END], ORDERS.created, 0],
  ['7d, user (heavy) amount desc', 'created >= ? AND created < ? AND user_id = ?', [H7, END, USERS[WEIGHTS.indexOf(Math.max(...WEIGHTS))]], ORDERS.amount, 0],
  ['7d, 5 users, sort endpoint', `created >= ? AND created < ? AND user_id IN (?,?,?,?,?)`, [H7, END, ...USERS.slice(10, 15)], ORDERS.endpoint, 0],
  ['7d, hybrid + output + endpoint, created desc', 'created >= ? AND created < ? AND pool = ? AND io = ? AND endpoint = ?', [H7, END, 'hybrid', 'output', '/v1/batches'], ORDERS.created, 0],
  ['7d, tokens amount 5000-6000, amount desc', 'created >= ? AND created < ? AND resource_type = ? AND amount BETWEEN ? AND ?', [H7, END, 'tokens', 5000, 6000], ORDERS.amount, 0],
  ['7d, sort requestId', 'created >= ? AND created < ?', [H7, END], ORDERS.request, 0],
  ['7d, sort pool asc', 'created >= ? AND created < ?', [H7, END], ORDERS.pool, 0],
  ['90d, sort userId', 'created >= ? AND created < ?', [START, END], ORDERS.user, 0],
  ['90d, ocr, sort amount desc', 'created >= ? AND created < ? AND resource_type = ?', [START, END, 'ocr'], ORDERS.amount, 0],
  ['requestId, all dates', 'request_id = ?', ['req_x'], ORDERS.created, 0],
  ['page 10,000: 90d created desc', 'created >= ? AND created < ?', [START, END], ORDERS.created, 249_975],
  ['page 10,000: 90d endpoint asc', 'created >= ? AND created < ?', [START, END], ORDERS.endpoint, 249_975],
  ['page 10,000: 30d tokens, sort amount desc', 'created >= ? AND created < ? AND resource_type = ?', [END - 30 * DAY, END, 'tokens'], ORDERS.amount, 249_975],
];
const COUNTS = [
  ['count ≤100,001: 7d', 'created >= ? AND created < ?', [H7, END]],
  ['count ≤100,001: 7d hybrid + output + endpoint', 'created >= ? AND created < ? AND pool = ? AND io = ? AND endpoint = ?', [H7, END, 'hybrid', 'output', '/v1/batches']],
  ['count ≤100,001: 90d tokens amount 5000-6000', 'created >= ? AND created < ? AND resource_type = ? AND amount BETWEEN ? AND ?', [START, END, 'tokens', 5000, 6000]],
];
const SUMS = [
  ['sum by hour+io, 7d (scan)', `SELECT (created / 3600000) AS b, io, SUM(amount) FROM events WHERE org = 1 AND resource_type = 'tokens' AND created >= ? AND created < ? GROUP BY 1, 2`, [H7, END]],
  ['sum by day+io, 90d (scan)', `SELECT (created / 86400000) AS b, io, SUM(amount) FROM events WHERE org = 1 AND resource_type = 'tokens' AND created >= ? AND created < ? GROUP BY 1, 2`, [START, END]],
  ['sum by hour, 7d, endpoint + amount range (scan)', `SELECT (created / 3600000) AS b, SUM(amount) FROM events WHERE org = 1 AND resource_type = 'tokens' AND created >= ? AND created < ? AND endpoint = ? AND amount BETWEEN ? AND ? GROUP BY 1`, [H7, END, '/v1/responses', 100, 5000]],
  ['drawn by minute, 90d (scan)', `SELECT (created / 60000) AS m, SUM(surplus) FROM events WHERE org = 1 AND resource_type = 'tokens' AND created >= ? AND created < ? AND surplus > 0 GROUP BY 1`, [START, END]],
];
const REPEAT = Number(args.repeat ?? 7);

if (engine === 'sqlite') {
  const { default: Database } = await import('better-sqlite3');
  const file = `${dir}/probe-${N}.sqlite`;
  const fresh = !existsSync(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -131072');
  db.pragma('mmap_size = 1073741824');
  db.pragma('temp_store = MEMORY');
  const INDEXES = [
    'CREATE INDEX IF NOT EXISTS ix_created ON events (org, created, id)',
    'CREATE INDEX IF NOT EXISTS ix_user ON events (org, user_id, created, id)',
    'CREATE INDEX IF NOT EXISTS ix_amount ON events (org, resource_type, amount, created, id)',
    'CREATE INDEX IF NOT EXISTS ix_type ON events (org, resource_type, created, id)',
    'CREATE INDEX IF NOT EXISTS ix_request ON events (org, request_id, created, id)',
    'CREATE INDEX IF NOT EXISTS ix_endpoint ON events (org, endpoint, created, id)',
    'CREATE INDEX IF NOT EXISTS ix_pool ON events (org, pool, created, id)',
    'CREATE INDEX IF NOT EXISTS ix_io ON events (org, io, created, id)',
  ];
  if (fresh) {
    db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, org INTEGER NOT NULL, created INTEGER NOT NULL, user_id TEXT NOT NULL, amount INTEGER NOT NULL, resource_type TEXT NOT NULL, pool TEXT NOT NULL, io TEXT NOT NULL, request_id TEXT NOT NULL, endpoint TEXT NOT NULL, surplus INTEGER NOT NULL)`);
    const ins = db.prepare('INSERT INTO events (org, id, created, user_id, amount, resource_type, pool, io, request_id, endpoint, surplus) VALUES (?,?,?,?,?,?,?,?,?,?,?)');
    const t0 = performance.now();
    let batch = [];
    const flush = db.transaction((b) => { for (const r of b) ins.run(r); });
    for (const r of rows()) { batch.push(r); if (batch.length === 50_000) { flush(batch); batch = []; } }
    flush(batch);
    console.log(`load ${N} rows: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const t1 = performance.now();
    for (const sql of INDEXES) db.exec(sql);
    db.exec('ANALYZE');
    console.log(`indexes: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  }
  for (const [name, where, params, order, offset] of PAGES) {
    const st = db.prepare(`SELECT * FROM events WHERE org = 1 AND ${where} ORDER BY ${order} LIMIT 25 OFFSET ${offset}`);
    const times = [];
    for (let i = 0; i < REPEAT; i++) { const t = performance.now(); st.all(...params); times.push(performance.now() - t); }
    stats(name, times);
  }
  for (const [name, where, params] of COUNTS) {
    const st = db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE org = 1 AND ${where} LIMIT 100001)`);
    const times = [];
    for (let i = 0; i < REPEAT; i++) { const t = performance.now(); st.get(...params); times.push(performance.now() - t); }
    stats(name, times);
  }
  for (const [name, sql, params] of SUMS) {
    const st = db.prepare(sql);
    const times = [];
    for (let i = 0; i < 3; i++) { const t = performance.now(); st.all(...params); times.push(performance.now() - t); }
    stats(name, times);
  }
  // Sustained ingest into the indexed table: 100k rows in batches of 1,000.
  const ins = db.prepare('INSERT INTO events (org, created, user_id, amount, resource_type, pool, io, request_id, endpoint, surplus) VALUES (?,?,?,?,?,?,?,?,?,?)');
  const tx = db.transaction((b) => { for (const r of b) ins.run(r[0], END + r[1], r[3], r[4], r[5], r[6], r[7], r[8] + 'x', r[9], r[10]); });
  const gen = rows();
  const t2 = performance.now();
  for (let k = 0; k < 100; k++) { const b = []; for (let j = 0; j < 1000; j++) b.push(gen.next().value); tx(b); }
  console.log(`ingest into indexed table: ${Math.round(100_000 / ((performance.now() - t2) / 1000))} rows/s`);
  db.exec(`DELETE FROM events WHERE created >= ${END}`);
  console.log(`RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
} else {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const file = `${dir}/probe-${N}.duckdb`;
  const fresh = !existsSync(file);
  const instance = await DuckDBInstance.create(file, { memory_limit: args.mem ?? '256MB', threads: '2' });
  const conn = await instance.connect();
  if (fresh) {
    await conn.run(`CREATE TABLE events (org INTEGER NOT NULL, id BIGINT NOT NULL, created BIGINT NOT NULL, user_id VARCHAR NOT NULL, amount BIGINT NOT NULL, resource_type VARCHAR NOT NULL, pool VARCHAR NOT NULL, io VARCHAR NOT NULL, request_id VARCHAR NOT NULL, endpoint VARCHAR NOT NULL, surplus BIGINT NOT NULL)`);
    const t0 = performance.now();
    const app = await conn.createAppender('events');
    for (const r of rows()) {
      app.appendInteger(r[0]); app.appendBigInt(BigInt(r[1])); app.appendBigInt(BigInt(r[2])); app.appendVarchar(r[3]); app.appendBigInt(BigInt(r[4]));
      app.appendVarchar(r[5]); app.appendVarchar(r[6]); app.appendVarchar(r[7]); app.appendVarchar(r[8]); app.appendVarchar(r[9]); app.appendBigInt(BigInt(r[10]));
      app.endRow();
    }
    app.closeSync();
    console.log(`load ${N} rows: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const t1 = performance.now();
    // No ART index on request_id: DuckDB holds ART indexes in memory (10M keys exceed the memory limit).
    await conn.run('CHECKPOINT');
    console.log(`index: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  }
  const run = async (sql, params) => (await conn.runAndReadAll(sql, params.map((p) => (typeof p === 'number' ? BigInt(p) : p)))).getRows();
  for (const [name, where, params, order, offset] of PAGES) {
    const sql = `SELECT * FROM events WHERE org = 1 AND ${where.replaceAll('?', () => '?')} ORDER BY ${order} LIMIT 25 OFFSET ${offset}`;
    const times = [];
    for (let i = 0; i < REPEAT; i++) { const t = performance.now(); await run(sql, params); times.push(performance.now() - t); }
    stats(name, times);
  }
  for (const [name, where, params] of COUNTS) {
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE org = 1 AND ${where} LIMIT 100001)`;
    const times = [];
    for (let i = 0; i < REPEAT; i++) { const t = performance.now(); await run(sql, params); times.push(performance.now() - t); }
    stats(name, times);
  }
  for (const [name, sql, params] of SUMS) {
    const times = [];
    for (let i = 0; i < 3; i++) { const t = performance.now(); await run(sql, params); times.push(performance.now() - t); }
    stats(name, times);
  }
  const gen = rows();
  const t2 = performance.now();
  for (let k = 0; k < 100; k++) {
    const app = await conn.createAppender('events');
    for (let j = 0; j < 1000; j++) {
      const r = gen.next().value;
      app.appendInteger(r[0]); app.appendBigInt(BigInt(r[1] + N)); app.appendBigInt(BigInt(END + r[2])); app.appendVarchar(r[3]); app.appendBigInt(BigInt(r[4]));
      app.appendVarchar(r[5]); app.appendVarchar(r[6]); app.appendVarchar(r[7]); app.appendVarchar(r[8] + 'x'); app.appendVarchar(r[9]); app.appendBigInt(BigInt(r[10]));
      app.endRow();
    }
    app.closeSync();
  }
  console.log(`ingest (appender, 1,000-row batches): ${Math.round(100_000 / ((performance.now() - t2) / 1000))} rows/s`);
  await conn.run(`DELETE FROM events WHERE id > ${N}`);
  console.log(`RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  conn.closeSync();
  instance.closeSync();
}
