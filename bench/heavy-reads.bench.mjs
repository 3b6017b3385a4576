// How responsive the reference server stays while many heavy but allowed reads run at
// once: a server (server/main.ts, embedded store, LIVE_TRAFFIC=off) over a copy of a seeded
// bench file; light requests (GET /api/limits, GET /api/users, a first page, a static file
// of the demo) are probed one after another, each kind in a loop of its own, first alone,
// then during each scenario:
//   deep        --concurrency pages 1,900 of 500 over 90 days, sorted by user, endpoint, request ID, amount
//   surplus     --concurrency surplus series of 13 days by minute (18,720 buckets, about 2 MB each)
//   consumption --concurrency consumption series of 13 days by minute and endpoint
//   fanout      --streams live streams reading, then one POST of --batch events
// Prints the probes' p50/p95/max per phase (and of the heavy requests), the server's
// event-loop gaps over 50 ms (bench/lib/loop-gaps.mjs, preloaded; a gap's CPU time tells
// the process's own work from the machine's other load) and the heavy answers' statuses,
// each scenario's distinct bodies (every request of a kind must get the same answer).
//
//   node --import tsx bench/heavy-reads.bench.mjs --file=data/bench/embedded-1000000.sqlite [--scenarios=deep,surplus,consumption,fanout] [--concurrency=50] [--streams=200] [--batch=2000] [--burst=0] [--entry=dist/server/main.js]
//
// The default file is seeded on first use (by bench/server.bench.mjs --events=1000000
// --seed-only); a file named with --file must be seeded already. The copy
// (data/heavy-bench/usage.sqlite) is made once per source and reused, so that runs compare: a
// fan-out adds its batch to it (amount 0). `--burst=N` first ingests N events of amount
// 0 over the copy's last 20 hours (once, kept in the copy), as the audit that found these
// did (1,070,000 over 20,000 seeded events: the last day then holds a million events).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get, request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { ensureSeeded, seeded } from './lib/seeded-file.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const SOURCE = args.file ?? 'data/bench/embedded-1000000.sqlite';
const SCENARIOS = (args.scenarios ?? 'deep,surplus,consumption,fanout').split(',');
const CONCURRENCY = Number(args.concurrency ?? 50);
const STREAMS = Number(args.streams ?? 200);
const BATCH = Number(args.batch ?? 2_000);
const BURST = Number(args.burst ?? 0);
const BASELINE_S = Number(args.baseline ?? 3);
const PORT = Number(args.port ?? 18_081);
/** `--entry=dist/server/main.js`: the built server (after npm run build) instead of the source through tsx. */
const ENTRY = args.entry ?? 'server/main.ts';
const TOKEN = 'heavy-bench-read-token';
const DIR = resolve('data/heavy-bench');
const DAY = 86_400_000;
const log = (line) => process.stdout.write(`${line}\n`);

mkdirSync(DIR, { recursive: true });
const file = `${DIR}/usage.sqlite`;
ensureSeeded(SOURCE, args.file !== undefined, log);
// The copy is of this source (a run on another starts over).
const copied = `${DIR}/source.json`;
if (!seeded(file) || !existsSync(copied) || JSON.parse(readFileSync(copied, 'utf8')).source !== resolve(SOURCE)) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
  rmSync(`${DIR}/burst.json`, { force: true });
  rmSync(`${DIR}/tokens.json`, { force: true });
  // Read through the source's log (another process may hold it open), written whole.
  const source = new Database(SOURCE, { readonly: true });
  await source.backup(file);
  source.close();
  writeFileSync(copied, JSON.stringify({ source: resolve(SOURCE) }));
}

const gaps = [];
const server = spawn(process.execPath, [...(ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : []), '--import', './bench/lib/loop-gaps.mjs', ENTRY], {
  env: { ...process.env, DATA_DIR: DIR, PORT: String(PORT), HOST: '127.0.0.1', LIVE_TRAFFIC: 'off', DEMO_TOKEN: TOKEN, MAX_STREAMS_PER_TOKEN: String(Math.max(100, STREAMS)) },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let ingestToken = '';
const ready = new Promise((resolveReady, reject) => {
  let output = '';
  server.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  server.stdout.on('data', (chunk) => {
    output += String(chunk);
    const ingest = /ingest token \(demo organization[^)]*\): (\S+)/.exec(output);
    if (ingest) {
      ingestToken = ingest[1];
      resolveReady();
    }
  });
});
let stderrTail = '';
server.stderr.on('data', (chunk) => {
  stderrTail += String(chunk);
  const lines = stderrTail.split('\n');
  stderrTail = lines.pop();
  for (const line of lines) {
    const match = /^loop-gap (\d+) (\d+) (\d+)$/.exec(line);
    if (match) gaps.push({ ms: Number(match[1]), cpu: Number(match[2]), at: Number(match[3]) });
    else if (line.trim()) process.stderr.write(`server: ${line}\n`);
  }
});
process.on('exit', () => server.kill('SIGKILL'));
await ready;

const origin = `http://127.0.0.1:${PORT}`;

/** One request on a connection of its own: status, body, milliseconds. */
function call(path, { method = 'GET', token = TOKEN, body } = {}) {
  const started = performance.now();
  return new Promise((resolveCall) => {
    const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) };
    const request = httpRequest(`${origin}${path}`, { method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolveCall({ status: response.statusCode, body: Buffer.concat(chunks).toString(), ms: performance.now() - started }));
    });
    request.on('error', (error) => resolveCall({ status: `error ${error.code ?? error.message}`, body: '', ms: performance.now() - started }));
    request.end(body);
  });
}

function summary(latencies) {
  if (!latencies.length) return 'n=0';
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `n=${sorted.length} p50=${at(0.5).toFixed(0)} p95=${at(0.95).toFixed(0)} max=${sorted.at(-1).toFixed(0)} ms`;
}

/** The server's loop gaps over 50 ms in a phase: how many, the longest, and the CPU the process used during it. */
function gapSummary(since, until) {
  const within = gaps.filter((g) => g.at >= since && g.at <= until + 50);
  if (!within.length) return 'none over 50 ms';
  const longest = within.reduce((a, b) => (b.ms > a.ms ? b : a));
  return `${within.length} over 50 ms, longest ${longest.ms} ms (${longest.cpu} ms CPU)`;
}

const newest = JSON.parse((await call('/api/events?pageSize=1&sort=created&order=desc&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z')).body).items[0].created;
const end = Date.parse(newest) + 60_000;
const iso = (ms) => new Date(ms).toISOString();
const last = (days) => `from=${iso(end - days * DAY)}&to=${iso(end)}`;
const users = JSON.parse((await call('/api/users?limit=200')).body).items.map((u) => u.id);

if (BURST > 0 && !existsSync(`${DIR}/burst.json`)) {
  log(`ingesting a burst of ${BURST.toLocaleString('en-US')} events of amount 0 over the last 20 hours (once)…`);
  const endpoints = ['/v1/chat/completions', '/v1/responses', '/v1/burst/a', '/v1/burst/b'];
  const now = Date.now();
  for (let b = 0; b * 10_000 < BURST; b++) {
    const events = Array.from({ length: Math.min(10_000, BURST - b * 10_000) }, (_, i) => ({
      userId: users[(i * 7 + b) % users.length],
      amount: 0,
      resourceType: ['tokens', 'storage', 'ocr'][i % 3],
      ioType: i % 2 ? 'input' : 'output',
      requestId: `req_burst_${b}_${i}`,
      endpoint: endpoints[i % 4],
      created: iso(now - 20 * 3_600_000 + b * 1_000 + i),
    }));
    const answer = await call('/api/events', { method: 'POST', token: ingestToken, body: JSON.stringify({ events }) });
    if (answer.status !== 200) throw new Error(`burst batch ${b}: ${answer.status} ${answer.body.slice(0, 200)}`);
  }
  writeFileSync(`${DIR}/burst.json`, JSON.stringify({ events: BURST }));
}
const burst = existsSync(`${DIR}/burst.json`) ? JSON.parse(readFileSync(`${DIR}/burst.json`, 'utf8')).events : 0;

const PROBES = {
  limits: '/api/limits',
  users: '/api/users?limit=50',
  'first page': `/api/events?pageSize=25&${last(7)}`,
  'static file': '/assets/favicon.svg',
};

/** Each probe in a loop of its own until `done` settles: their latencies by kind. */
async function probeWhile(done) {
  let finished = false;
  void done.then(() => (finished = true));
  const latencies = Object.fromEntries(Object.keys(PROBES).map((kind) => [kind, []]));
  await Promise.all(
    Object.entries(PROBES).map(async ([kind, path]) => {
      while (!finished) {
        const answer = await call(path, { token: path.startsWith('/api') ? TOKEN : null });
        if (answer.status !== 200) log(`probe ${kind}: ${answer.status}`);
        latencies[kind].push(answer.ms);
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  return latencies;
}

function report(name, latencies, since) {
  log(`${name}:`);
  for (const [kind, values] of Object.entries(latencies)) log(`  ${kind.padEnd(12)} ${summary(values)}`);
  log(`  server loop gaps: ${gapSummary(since, Date.now())}`);
}

/**
 * `CONCURRENCY` heavy requests at once; the probes meanwhile. `alike`: the same request
 * answers the same but for `asOf` (not a surplus series, whose projection and current
 * bucket follow `asOf`).
 */
async function heavy(name, path, alike = true) {
  const since = Date.now();
  const started = performance.now();
  const answers = Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => call(path(i))));
  const latencies = await probeWhile(answers);
  const done = await answers;
  report(`${name} ×${CONCURRENCY} (all answered in ${((performance.now() - started) / 1000).toFixed(1)} s)`, latencies, since);
  const statuses = {};
  for (const answer of done) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  // The same request answers the same, but for the instant it reflects.
  const bodies = new Map();
  done.forEach((answer, i) => bodies.set(path(i), (bodies.get(path(i)) ?? new Set()).add(answer.body.replace(/"asOf":"[^"]*"/, ''))));
  const same = [...bodies.values()].every((set) => set.size === 1);
  const check = alike ? `; ${same ? 'each request answered alike' : 'DIFFERENT answers to the same request'}` : '';
  log(`  heavy requests ${summary(done.map((answer) => answer.ms))}; statuses ${JSON.stringify(statuses)}${check}`);
}

/** `STREAMS` live streams reading, then one POST of `BATCH` events; the probes from the POST on. */
async function fanout() {
  const streams = [];
  let bytes = 0;
  for (let i = 0; i < STREAMS; i++) {
    const stream = get(`${origin}/api/events/stream`, { headers: { authorization: `Bearer ${TOKEN}` }, agent: false }, (response) =>
      response.on('data', (chunk) => (bytes += chunk.length)),
    );
    stream.on('error', () => {});
    streams.push(stream);
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const events = Array.from({ length: BATCH }, (_, i) => ({ userId: users[i % users.length], amount: 0, resourceType: 'tokens', ioType: 'input', requestId: `req_fan_${Date.now()}_${i}`, endpoint: '/v1/fan' }));
  const since = Date.now();
  const before = bytes;
  const posted = call('/api/events', { method: 'POST', token: ingestToken, body: JSON.stringify({ events }) });
  const latencies = await probeWhile(new Promise((r) => setTimeout(r, 3_000)));
  const answer = await posted;
  report(`${STREAMS} streams reading, one POST of ${BATCH.toLocaleString('en-US')} events (POST ${answer.status} in ${answer.ms.toFixed(0)} ms)`, latencies, since);
  log(`  streamed ${((bytes - before) / 1e6).toFixed(1)} MB meanwhile (${((BATCH * 235 * STREAMS) / 1e6).toFixed(0)} MB expected)`);
  for (const stream of streams) stream.destroy();
}

try {
  for (const path of Object.values(PROBES)) await call(path);
  // The start's backfill, ANALYZE and checkpoint settle first.
  await new Promise((r) => setTimeout(r, 3_000));
  log(`${SOURCE} (copy${burst ? `, with a burst of ${burst.toLocaleString('en-US')} events` : ''}), newest event ${newest}; server ${ENTRY}`);
  let since = Date.now();
  report('no heavy reads', await probeWhile(new Promise((r) => setTimeout(r, BASELINE_S * 1000))), since);
  const sorts = ['userId', 'endpoint', 'requestId', 'amount'];
  for (const scenario of SCENARIOS) {
    since = Date.now();
    if (scenario === 'deep') await heavy('page 1,900 of 500, 90 days, by user/endpoint/request/amount', (i) => `/api/events?sort=${sorts[i % 4]}&order=asc&pageSize=500&page=1900&${last(90)}`);
    else if (scenario === 'surplus') await heavy('surplus, 13 days by minute', () => `/api/surplus?bucket=minute&${last(13)}`, false);
    else if (scenario === 'consumption') await heavy('consumption, 13 days by minute and endpoint', () => `/api/consumption?bucket=minute&groupBy=endpoint&${last(13)}`);
    else if (scenario === 'fanout') await fanout();
    else throw new Error(`no scenario ${scenario}`);
  }
} finally {
  server.kill('SIGTERM');
}
