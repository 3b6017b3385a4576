// <consumption-events-table> benchmark (issue 4), printing figures; not a test.
//   first rows painted after connect (server time included), against the reference server;
//   repaint after an answer arrives (page change, sort), 25 and 500 rows a page;
//   the element's own code size, min+gzip, without lit; and that it pulls in no ECharts.
//
// Run: npm run bench (all benches) or node --import tsx bench/table.bench.mjs [options]
//   --url=http://host:port/api --token=T   a reference server already running
//   (default) the built server, dist/server/main.js, when it exists, started on a kept
//             1M-event embedded database under data/bench/table-1m/ (seeded on first use:
//             that takes a while once); without it, the in-memory reference handler
//   --memory[=N]   the in-memory reference handler in-process with N events (default
//                  1,000,000; seeding takes minutes), served over HTTP to the page
//   --runs=N       measured repetitions (default 30)
// The figures print the machine's cores and load: on a shared machine they are upper bounds.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../scripts/chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsconfig = `${root}tsconfig.json`;
const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, ...value] = arg.replace(/^--/, '').split('=');
    return [key, value.length ? value.join('=') : 'true'];
  }),
);
const RUNS = Number(args.runs ?? 30);
const BENCH_EVENTS = 1_000_000;
const BENCH_TOKEN = 'bench-table-read-token';
const DEFINE = 'src/consumption-events-table/consumption-events-table.ts';
// The code is measured as published: dist/, with its templates' HTML and CSS minified by
// the build (the sources' CSS, comments and indentation included, read 2 kB more).
const PUBLISHED = 'dist/consumption-events-table/consumption-events-table.js';
const TABLE_DIR = `${root}dist/consumption-events-table/`;
const LIBRARIES = ['lit', 'lit/*', '@lit/*', '@lit-labs/*', 'eventsource-parser'];

// --- Code size ---------------------------------------------------------------------------

async function minified(options) {
  if (!existsSync(`${root}${PUBLISHED}`)) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const result = await build({
    entryPoints: [`${root}${PUBLISHED}`],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    tsconfig,
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    ...options,
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs: Object.keys(result.metafile.inputs) };
}

/** Marks every import that leaves the table's folder external: the table's own files alone. */
const tableFolderOnly = {
  name: 'table-folder-only',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\.?\// }, (resolve) => {
      const path = new URL(resolve.path, `file://${resolve.resolveDir}/`).pathname;
      return path.startsWith(TABLE_DIR) ? undefined : { path: resolve.path, external: true };
    });
  },
};

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

async function codeSize() {
  const own = await minified({ external: LIBRARIES });
  const folder = await minified({ external: LIBRARIES, plugins: [tableFolderOnly] });
  const whole = await minified({});
  return {
    own,
    folder,
    whole,
    echarts: whole.inputs.some((input) => input.includes('echarts')),
  };
}

// --- The server ----------------------------------------------------------------------------

async function waitForServer(url, token, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/limits`, { headers: { authorization: `Bearer ${token}` } });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The reference server at ${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Where the API is: { url, token, label, stop(), handler? } */
async function startApi() {
  if (args.url) {
    return { url: args.url.replace(/\/$/, ''), token: args.token ?? '', label: `the server at ${args.url}`, stop: () => {} };
  }
  const built = `${root}dist/server/main.js`;
  if (!args.memory && existsSync(built)) {
    const dataDir = `${root}data/bench/table-1m`;
    mkdirSync(dataDir, { recursive: true });
    const port = 18_000 + Math.floor(Math.random() * 1000);
    const child = spawn(process.execPath, [built], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        SEED_EVENTS: String(BENCH_EVENTS),
        DATA_DIR: dataDir,
        DEMO_TOKEN: BENCH_TOKEN,
        LIVE_TRAFFIC: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    const url = `http://127.0.0.1:${port}/api`;
    try {
      await Promise.race([
        waitForServer(url, BENCH_TOKEN, 30 * 60_000),
        new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${log}`)))),
      ]);
    } catch (error) {
      child.kill();
      throw error;
    }
    return { url, token: BENCH_TOKEN, label: `the built reference server (dist/server/main.js, ${BENCH_EVENTS.toLocaleString('en-US')} seeded events)`, stop: () => child.kill() };
  }
  const events = Number(args.memory && args.memory !== 'true' ? args.memory : BENCH_EVENTS);
  const { createDemoHandler, DEMO_TOKEN } = await import('../server/index.ts');
  const seeding = Date.now();
  const demo = createDemoHandler({ events });
  await demo.ready;
  console.log(`\nSeeded ${events.toLocaleString('en-US')} events in memory in ${((Date.now() - seeding) / 1000).toFixed(0)} s.`);
  return {
    handler: demo.handler,
    url: '/api',
    token: DEMO_TOKEN,
    label: `the in-memory reference handler in-process over HTTP (${events.toLocaleString('en-US')} events)`,
    stop: () => {},
  };
}

// --- The page ------------------------------------------------------------------------------

const PAGE_SCRIPT = `
import '${root}${DEFINE}';

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
/** Resolves, after the frame in which condition() first holds is painted, with that time. */
async function paintedWhen(condition, timeoutMs = 30000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    await frame();
    if (performance.now() > deadline) throw new Error('the table did not paint within ' + timeoutMs / 1000 + ' s');
    if (condition()) return new Promise((resolve) => setTimeout(() => resolve(performance.now())));
  }
}
const rowsOf = (table) => table.shadowRoot?.querySelectorAll('[part~="row"]') ?? [];
const firstRowIndex = (table) => rowsOf(table)[0]?.getAttribute('aria-rowindex');

let answeredAt = 0;
let serverMs = 0;
// The frames are watched only once the answer is in: rows cannot change before it, and a
// frame loop running through the round trip would take CPU from the server on a small
// machine and slow the very round trip it measures.
let answerWaiters = [];
const nextAnswer = () => new Promise((resolve) => answerWaiters.push(resolve));
const timedFetch = async (input, init) => {
  const start = performance.now();
  const response = await fetch(input, init);
  const body = await response.text();
  answeredAt = performance.now();
  serverMs = answeredAt - start;
  for (const resolve of answerWaiters.splice(0)) resolve();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};

window.bench = {
  async firstRows(endpoint, token, pageSize) {
    const table = document.createElement('consumption-events-table');
    table.setAttribute('data-endpoint', endpoint);
    table.setAttribute('page-size', String(pageSize));
    table.requestOptions = { headers: { authorization: 'Bearer ' + token }, fetch: timedFetch };
    const answered = nextAnswer();
    const start = performance.now();
    document.body.append(table);
    await answered;
    const painted = await paintedWhen(() => rowsOf(table).length > 0);
    const result = { total: painted - start, server: serverMs, rows: rowsOf(table).length };
    table.remove();
    return result;
  },
  async mount(endpoint, token, pageSize) {
    document.querySelector('consumption-events-table')?.remove();
    const table = document.createElement('consumption-events-table');
    table.setAttribute('data-endpoint', endpoint);
    table.setAttribute('page-size', String(pageSize));
    table.requestOptions = { headers: { authorization: 'Bearer ' + token }, fetch: timedFetch };
    document.body.append(table);
    await paintedWhen(() => rowsOf(table).length > 0 && !table.loading);
  },
  /** Clicks a pager or sort button, then: from the answer's arrival to the repaint. */
  async repaint(selector) {
    const table = document.querySelector('consumption-events-table');
    const before = [...rowsOf(table)].map((row) => row.textContent).join('|');
    const index = firstRowIndex(table);
    let button = table.shadowRoot.querySelector(selector);
    // Paging on past the last page: start again from the first.
    if (button.disabled) button = table.shadowRoot.querySelector('[part~="pager"] button[aria-label="First page"]');
    const answered = nextAnswer();
    const clicked = performance.now();
    button.click();
    await answered;
    const painted = await paintedWhen(
      () => !table.loading && (firstRowIndex(table) !== index || [...rowsOf(table)].map((row) => row.textContent).join('|') !== before),
    );
    return { repaint: painted - answeredAt, total: painted - clicked, server: serverMs, rows: rowsOf(table).length };
  },
};
`;

async function pageBundle() {
  const result = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: root, loader: 'ts', sourcefile: 'table-bench-page.ts' },
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    tsconfig,
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Serves the page, its bundle, and the API (proxied to the server, or the in-process handler). */
async function servePage(api, bundle) {
  const server = createServer(async (req, res) => {
    try {
      if (req.url === '/' || req.url === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><meta charset="utf-8"><body><script type="module" src="/bench.js"></script></body>');
        return;
      }
      if (req.url === '/bench.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(bundle);
        return;
      }
      if (req.url.startsWith('/api/')) {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name === 'authorization' || name === 'accept'));
        const response = api.handler
          ? await api.handler(new Request(new URL(req.url, 'http://127.0.0.1'), { headers }))
          : await fetch(`${api.url}${req.url.slice('/api'.length)}`, { headers });
        res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await response.arrayBuffer()));
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

// --- Figures -------------------------------------------------------------------------------

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  return `p50 ${ms(percentile(values, 50))}  p95 ${ms(percentile(values, 95))}  max ${ms(Math.max(...values))}`;
}

const PAGER_NEXT = '[part~="pager"] button[aria-label="Next page"]';
const SORT_COLUMNS = ['userId', 'amount', 'resourceType', 'poolCategory', 'ioType', 'requestId', 'endpoint', 'created'];

async function main() {
  const size = await codeSize();
  console.log('Code size (esbuild minify, gzip -9):');
  console.log(`  element + shared foundation (api, filters, base, format, events), without lit/virtualizer/eventsource-parser: ${kB(size.own.gzip)} (min ${kB(size.own.min)})`);
  console.log(`  the table's folder alone (the element's own code): ${kB(size.folder.gzip)} (min ${kB(size.folder.min)})  target ≤ 12 kB`);
  console.log(`  everything it imports, lit and the virtualizer included: ${kB(size.whole.gzip)}`);
  console.log(`  pulls in ECharts: ${size.echarts ? 'YES (it must not)' : 'no'}`);

  const api = await startApi();
  const page = await servePage(api, await pageBundle());
  // The browser paints at the display's pace, as a user's does. Not with the frame rate
  // unlimited (--disable-frame-rate-limit): the loading state's animations (the bar, the
  // rows' fade) then redraw as fast as they can all through each round trip and take a
  // core from the server and the page on a two-core machine (round trips of 0.25–1.7 s
  // instead of 20–70 ms, repaints slower by as much). A repaint is then counted to the end
  // of the frame that shows it, as a user sees it: up to 16.7 ms more than the work itself.
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    tab.on('pageerror', (error) => console.error('page error:', error.message));
    await tab.goto(`${page.origin}/`);
    await tab.waitForFunction(() => 'bench' in window);
    const load = loadavg().map((value) => value.toFixed(1)).join(' ');
    console.log(`\nAgainst ${api.label}; ${RUNS} runs each; ${availableParallelism()} cores, load average ${load} at the start:`);

    const first = [];
    const firstServer = [];
    await tab.evaluate(([token]) => window.bench.firstRows('/api', token, 25), [api.token]);
    for (let i = 0; i < RUNS; i++) {
      const run = await tab.evaluate(([token]) => window.bench.firstRows('/api', token, 25), [api.token]);
      first.push(run.total);
      firstServer.push(run.server);
    }
    console.log(`  first rows painted after connect (25 rows):  ${summary(first)}   target ≤ 150 ms`);
    console.log(`    of which the answer's round trip:          ${summary(firstServer)}`);

    for (const pageSize of [25, 500]) {
      await tab.evaluate(([token, size]) => window.bench.mount('/api', token, size), [api.token, pageSize]);
      const pages = [];
      for (let i = 0; i < RUNS; i++) pages.push(await tab.evaluate((selector) => window.bench.repaint(selector), PAGER_NEXT));
      const sorts = [];
      for (let i = 0; sorts.length < RUNS; i++) {
        const column = SORT_COLUMNS[i % SORT_COLUMNS.length];
        sorts.push(await tab.evaluate((selector) => window.bench.repaint(selector), `[part~="sort-button"][data-col="${column}"]`));
      }
      // The rows in the DOM: fewer than the page's when the virtualizer renders them.
      const rendered = Math.max(...pages.map((run) => run.rows));
      const label = (what) => `${what} (${pageSize} rows${rendered < pageSize ? `, ${rendered} rendered` : ''}):`.padEnd(60);
      console.log(`  ${label('page change, answer → painted')}${summary(pages.map((run) => run.repaint))}   target ≤ 50 ms`);
      console.log(`  ${label('page change, click → painted')}${summary(pages.map((run) => run.total))}`);
      console.log(`  ${label('sort, answer → painted')}${summary(sorts.map((run) => run.repaint))}   target ≤ 50 ms`);
      console.log(`  ${label('sort, click → painted')}${summary(sorts.map((run) => run.total))}`);
    }
  } finally {
    await browser.close();
    page.close();
    api.stop();
  }
}

await main();
