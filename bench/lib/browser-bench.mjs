// What the element benchmarks share: their options, the reference server they measure
// against (an already running one, the built server on a kept seeded database, or the
// in-memory handler), the page that loads an element bundle and reaches the API from the
// same origin, and the figures (p50, p95, max).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const tsconfig = `${root}tsconfig.json`;

/** `--name=value` and `--flag` arguments as an object. */
export function benchArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(
    argv.map((arg) => {
      const [key, ...value] = arg.replace(/^--/, '').split('=');
      return [key, value.length ? value.join('=') : 'true'];
    }),
  );
}

async function waitForServer(url, token, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/limits`, { headers: { authorization: `Bearer ${token}` } })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The reference server at ${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Where the API is: `{ url, token, label, stop(), handler? }`. `--url` (and `--token`): a
 * server already running; else the built server (dist/server/main.js) on the embedded
 * database kept in `dataDir`, seeded with `events` on first use; `--memory[=N]` (or no
 * build): the in-memory reference handler with N events (default `events`), in-process.
 */
export async function startReferenceApi(args, { dataDir, token, events }) {
  if (args.url) return { url: args.url.replace(/\/$/, ''), token: args.token ?? '', label: `the server at ${args.url}`, stop: () => {} };
  const built = `${root}dist/server/main.js`;
  if (!args.memory && existsSync(built)) {
    mkdirSync(dataDir, { recursive: true });
    const port = 18_000 + Math.floor(Math.random() * 2000);
    const env = { ...process.env, PORT: String(port), SEED_EVENTS: String(events), DATA_DIR: dataDir, DEMO_TOKEN: token, LIVE_TRAFFIC: '0' };
    const child = spawn(process.execPath, [built], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    const url = `http://127.0.0.1:${port}/api`;
    try {
      await Promise.race([
        waitForServer(url, token, 30 * 60_000),
        new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${log}`)))),
      ]);
    } catch (error) {
      child.kill();
      throw error;
    }
    const label = `the built reference server (dist/server/main.js, embedded store, ${events.toLocaleString('en-US')} seeded events)`;
    return { url, token, label, stop: () => child.kill() };
  }
  const count = Number(args.memory && args.memory !== 'true' ? args.memory : events);
  const { createDemoHandler, DEMO_TOKEN } = await import('../../server/index.ts');
  const demo = createDemoHandler({ events: count });
  await demo.ready;
  return { handler: demo.handler, url: '/api', token: DEMO_TOKEN, label: `the in-memory reference handler (${count.toLocaleString('en-US')} events)`, stop: () => {} };
}

/** A page script (TypeScript, importing the sources by path) bundled and minified for production. */
export async function pageBundle(script, sourcefile) {
  const result = await build({
    stdin: { contents: script, resolveDir: root, loader: 'ts', sourcefile },
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

/** Serves the page at `/`, its bundle, and the API under `/api/` (proxied to the server, or the in-process handler). */
export async function servePage(api, bundle) {
  const server = createServer(async (req, res) => {
    try {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><meta charset="utf-8"><body><script type="module" src="/bench.js"></script></body>');
      } else if (req.url === '/bench.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(bundle);
      } else if (req.url.startsWith('/api/')) {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name === 'authorization' || name === 'accept'));
        const response = api.handler
          ? await api.handler(new Request(new URL(req.url, 'http://127.0.0.1'), { headers }))
          : await fetch(`${api.url}${req.url.slice('/api'.length)}`, { headers });
        res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await response.arrayBuffer()));
      } else res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** "p50 … p95 … max …" of durations in ms. */
export function summary(values) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  return `p50 ${ms(percentile(values, 50))}  p95 ${ms(percentile(values, 95))}  max ${ms(Math.max(...values))}`;
}
