// How responsive the reference server stays while it streams a large CSV export: a server
// (server/main.ts, embedded store, LIVE_TRAFFIC=off) over a copy of a seeded bench file,
// small requests (GET /api/limits, GET /api/events?pageSize=25) every --interval ms, first
// alone, then while curl downloads the whole 90 days as CSV as fast as it can, per sort.
// Prints the small requests' p50/p95/max per phase, the server's longest event-loop gaps
// (bench/lib/loop-gaps.mjs, preloaded) and each export's size, time and SHA-256 (the body:
// compare before/after a change).
//
// A gap's CPU time tells the process's own work (CPU ≈ wall; more with the sorting and
// checkpointing workers) from the machine's other load holding it (CPU ≪ wall).
//
//   node bench/csv-export.bench.mjs --file=data/bench/embedded-1000000.sqlite [--sorts=created:desc,userId:desc] [--interval=50] [--baseline=5] [--entry=dist/server/main.js]
//
// The default file is seeded on first use (by bench/server.bench.mjs --events=1000000 --seed-only);
// a file named with --file must be seeded already. The copy (data/csv-bench/usage.sqlite) is made once and reused, so that runs compare.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
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
/**
 * `sort:order`, or `sort:order:walked` for the filter of 200 users and every endpoint
 * together, which the rollups do not count (the count walks its matches).
 */
const SORTS = (args.sorts ?? 'created:desc,userId:desc').split(',').map((s) => s.split(':'));
const INTERVAL = Number(args.interval ?? 50);
const BASELINE_S = Number(args.baseline ?? 5);
const PORT = Number(args.port ?? 18_080);
/** `--entry=dist/server/main.js`: the built server (after npm run build) instead of the source through tsx. */
const ENTRY = args.entry ?? 'server/main.ts';
const TOKEN = 'csv-bench-read-token';
const DIR = resolve('data/csv-bench');
const DAY = 86_400_000;
const log = (line) => process.stdout.write(`${line}\n`);

mkdirSync(DIR, { recursive: true });
const file = `${DIR}/usage.sqlite`;
ensureSeeded(SOURCE, args.file !== undefined, log);
if (!seeded(file)) {
  const source = new Database(SOURCE);
  source.pragma('wal_checkpoint(TRUNCATE)');
  source.close();
  copyFileSync(SOURCE, file);
}
// A fixed range ending at the seed's newest event, kept beside the copy: the backfill on
// every start adds later events only, so every run exports the same rows.
const rangeFile = `${DIR}/range.json`;
if (!existsSync(rangeFile)) {
  const db = new Database(file, { readonly: true });
  writeFileSync(rangeFile, JSON.stringify({ newest: db.prepare('SELECT max(created) FROM events').pluck().get() }));
  db.close();
}
const { newest } = JSON.parse(readFileSync(rangeFile, 'utf8'));
const to = new Date(newest).toISOString();
const from = new Date(newest - 90 * DAY).toISOString();

const gaps = [];
const server = spawn(process.execPath, [...(ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : []), '--import', './bench/lib/loop-gaps.mjs', ENTRY], {
  env: { ...process.env, DATA_DIR: DIR, PORT: String(PORT), LIVE_TRAFFIC: 'off', DEMO_TOKEN: TOKEN },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const ready = new Promise((resolveReady, reject) => {
  server.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  server.stdout.on('data', (chunk) => {
    if (String(chunk).includes('Usage dashboard reference server')) resolveReady();
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

const base = `http://127.0.0.1:${PORT}/api`;
const headers = { authorization: `Bearer ${TOKEN}` };
const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
const PROBES = ['/limits', `/events?pageSize=25&${range}`];

/** One small request on a connection of its own (no keep-alive race with the server's timeout). */
function probe(path) {
  const started = performance.now();
  return new Promise((resolveProbe, reject) => {
    const request = get(`${base}${path}`, { headers, agent: false }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`${path}: ${response.statusCode}`));
        else resolveProbe(performance.now() - started);
      });
    });
    request.on('error', reject);
  });
}

/** Probes every INTERVAL ms until `done` settles (or for `seconds`); their latencies. */
async function probeWhile(done) {
  const latencies = [];
  const pending = [];
  let finished = false;
  void done.then(() => (finished = true));
  let i = 0;
  while (!finished) {
    pending.push(
      probe(PROBES[i++ % PROBES.length]).then(
        (ms) => latencies.push(ms),
        (error) => log(`probe failed: ${error.message}`),
      ),
    );
    await new Promise((r) => setTimeout(r, INTERVAL));
  }
  await Promise.all(pending);
  return latencies;
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `n=${sorted.length} p50=${at(0.5).toFixed(1)} p95=${at(0.95).toFixed(1)} max=${sorted.at(-1).toFixed(1)} ms`;
}

/** The server's loop gaps over 50 ms in a phase: how many, the longest, and the CPU the process used during it. */
function gapSummary(since, until) {
  const within = gaps.filter((g) => g.at >= since && g.at <= until + 50);
  if (!within.length) return 'none over 50 ms';
  const longest = within.reduce((a, b) => (b.ms > a.ms ? b : a));
  return `${within.length} over 50 ms, longest ${longest.ms} ms (${longest.cpu} ms CPU)`;
}

/** curl downloading the CSV to a pipe read as fast as it comes: status, bytes, seconds, sha256. */
function exportCsv(sort, order, extra = '') {
  return new Promise((resolveExport, reject) => {
    const started = performance.now();
    const curl = spawn('curl', ['-sS', '-H', `authorization: Bearer ${TOKEN}`, '-w', '\n%{http_code}', `${base}/events.csv?${range}&sort=${sort}&order=${order}${extra}`]);
    const hash = createHash('sha256');
    let bytes = 0;
    let tail = Buffer.alloc(0);
    curl.stdout.on('data', (chunk) => {
      // The last line is curl's status code, written after the body.
      const all = Buffer.concat([tail, chunk]);
      const keep = Math.min(all.length, 8);
      hash.update(all.subarray(0, all.length - keep));
      bytes += all.length - keep;
      tail = all.subarray(all.length - keep);
    });
    curl.on('error', reject);
    curl.on('close', () => {
      const text = tail.toString();
      const newline = text.lastIndexOf('\n');
      hash.update(tail.subarray(0, newline));
      bytes += newline;
      resolveExport({ status: text.slice(newline + 1), bytes, seconds: (performance.now() - started) / 1000, sha256: hash.digest('hex') });
    });
  });
}

try {
  for (const path of PROBES) await probe(path);
  // The start's backfill, ANALYZE and checkpoint settle first.
  await new Promise((r) => setTimeout(r, 3_000));
  const countResponse = await fetch(`${base}/events?pageSize=1&${range}`, { headers });
  const { total, totalIsExact } = await countResponse.json();
  log(`range ${from} – ${to}: ${total.toLocaleString('en-US')}${totalIsExact ? '' : '+'} events; probes every ${INTERVAL} ms: ${PROBES.join(', ')}`);
  let since = Date.now();
  const baseline = await probeWhile(new Promise((r) => setTimeout(r, BASELINE_S * 1000)));
  log(`no export:                  ${summary(baseline)}; server loop gaps: ${gapSummary(since, Date.now())}`);
  let walked = '';
  if (SORTS.some(([, , filter]) => filter === 'walked')) {
    const json = async (path) => (await fetch(`${base}${path}`, { headers })).json();
    const users = (await json('/users?limit=200')).items.map((u) => u.id);
    const endpoints = (await json('/endpoints?limit=200')).items.map((e) => e.endpoint);
    walked = [...users.map((u) => `&userId=${encodeURIComponent(u)}`), ...endpoints.map((e) => `&endpoint=${encodeURIComponent(e)}`)].join('');
  }
  for (const [sort, order, filter] of SORTS) {
    since = Date.now();
    const exporting = exportCsv(sort, order, filter === 'walked' ? walked : '');
    const latencies = await probeWhile(exporting);
    const result = await exporting;
    log(
      `export ${`${sort} ${order}${filter ? ` ${filter}` : ''}`.padEnd(22)}${summary(latencies)}; server loop gaps: ${gapSummary(since, Date.now())}; ` +
        `csv ${result.status}, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.seconds.toFixed(1)} s, sha256 ${result.sha256.slice(0, 16)}`,
    );
  }
} finally {
  server.kill('SIGTERM');
}
