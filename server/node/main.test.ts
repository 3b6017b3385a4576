/**
 * `npm start` end to end: server/main.ts bundled as the build does it (esbuild, ESM, node,
 * packages external — so the native better-sqlite3 must load from node_modules), laid out
 * like the package (dist/server/main.js beside dist/usage-dashboard.bundle.js, the demo
 * pages in server/demo), started as its own process on a free port over a temporary data
 * folder, then asked as a browser and an API client would; stopped by SIGTERM; started
 * again on the same data (no reseed, same tokens); refused with a clear message on bad
 * settings.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  demoToken: string;
  otherToken: string;
  output: () => string;
}

/** Starts the built server and waits for its "ready" lines. */
function start(main: string, env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start in 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /reference server: (http:\/\/\S+)/.exec(output)?.[1];
      const demoToken = /DEMO_TOKEN=(\S+)/.exec(output)?.[1];
      const otherToken = /OTHER_ORG_TOKEN=(\S+)/.exec(output)?.[1];
      if (url && demoToken && otherToken && /ingest token/.test(output)) {
        clearTimeout(timer);
        resolve({ child, url, demoToken, otherToken, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

/** Runs the built server to its end (a start that must fail). */
/** Runs the built server to its exit; killed at once when its output matches `killOn`. */
function runToExit(main: string, env: Record<string, string>, killOn?: RegExp): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const read = (c: Buffer) => {
    output += c.toString();
    if (killOn?.test(output)) child.kill('SIGKILL');
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('the built reference server (npm start)', () => {
  let dir: string;
  let main: string;
  let dataDir: string;
  let server: Started | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ud-main-'));
    main = join(dir, 'dist/server/main.js');
    dataDir = join(dir, 'data');
    // The options of scripts/build.mjs for server/main.ts.
    await build({
      entryPoints: [join(root, 'server/main.ts')],
      outfile: main,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    mkdirSync(join(dir, 'server'));
    symlinkSync(join(root, 'server/demo'), join(dir, 'server/demo'), 'dir');
    writeFileSync(join(dir, 'dist/usage-dashboard.bundle.js'), 'export const built = true;\n');
  });

  after(async () => {
    if (server) await stop(server.child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ PORT: '0', HOST: '127.0.0.1', SEED_EVENTS: '3000', DATA_DIR: dataDir, DATABASE_URL: '', CORS_ORIGINS: 'https://admin.example.com' });

  test('seeds an empty embedded store, prints the URL and tokens, and serves the demo and the API', async () => {
    server = await start(main, env());
    const { url, demoToken, otherToken } = server;
    assert.match(server.output(), /store: embedded — .*usage\.sqlite/);
    assert.match(server.output(), /seeded [\d,]+ \+ [\d,]+ events in/);

    const home = await fetch(url);
    assert.equal(home.status, 200);
    const html = await home.text();
    assert.ok(html.includes(`"token":"${demoToken}"`), 'the page gets the demo read token');
    assert.ok(html.includes('<usage-filters data-endpoint="/api" sync-url'));

    const userPage = await fetch(`${url}users/x`);
    assert.equal(userPage.status, 200);
    assert.ok((await userPage.text()).includes('"userId":"x"'), 'the user page gets its user in its configuration');
    assert.equal((await fetch(`${url}dist/usage-dashboard.bundle.js`)).status, 200);
    assert.equal((await fetch(`${url}nothing-here`)).status, 404);

    const events = await fetch(`${url}api/events?pageSize=10`, { headers: { authorization: `Bearer ${demoToken}` } });
    assert.equal(events.status, 200);
    const page = (await events.json()) as { items: { id: string }[]; total: number; lastEventId: string };
    assert.equal(page.items.length, 10, 'the last 7 days are not empty');
    assert.ok(Number(page.lastEventId) > 0);

    const anonymous = await fetch(`${url}api/events`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'unauthorized');

    // The second organization's token sees its own users, none of the demo's.
    const demoUsers = (await (await fetch(`${url}api/users?q=u_&limit=5`, { headers: { authorization: `Bearer ${demoToken}` } })).json()) as { items: { id: string }[] };
    const otherView = await fetch(`${url}api/users/${encodeURIComponent(demoUsers.items[0]!.id)}`, { headers: { authorization: `Bearer ${otherToken}` } });
    assert.equal(otherView.status, 404);

    // CORS_ORIGINS reaches the handler.
    const preflight = await fetch(`${url}api/events`, { method: 'OPTIONS', headers: { origin: 'https://admin.example.com' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://admin.example.com');
    const foreign = await fetch(`${url}api/events`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);

    // The tokens are kept for the next start, readable by the owner only.
    const kept = JSON.parse(readFileSync(join(dataDir, 'tokens.json'), 'utf8')) as Record<string, string>;
    assert.equal(kept.demoRead, demoToken);
  });

  test('SIGTERM closes open streams, the server and the store, and exits 0', async () => {
    const { url, demoToken } = server!;
    const stream = await fetch(`${url}api/events/stream`, { headers: { authorization: `Bearer ${demoToken}` } });
    assert.equal(stream.status, 200);
    const reading = stream.body!.getReader().read().catch(() => ({ done: true }));
    const code = await stop(server!.child);
    assert.equal(code, 0);
    assert.match(server!.output(), /SIGTERM: closing/);
    assert.doesNotMatch(server!.output(), /^(error|simulator):/m, 'no fault logged while running or closing');
    await reading;
    server = undefined;
  });

  test('a second start on the same data neither reseeds nor changes the tokens; DEMO_TOKEN overrides', async () => {
    const given = 'given-demo-token-0123456789';
    server = await start(main, { ...env(), DEMO_TOKEN: given });
    assert.doesNotMatch(server.output(), /seeding/);
    assert.equal(server.demoToken, given);
    const events = await fetch(`${server.url}api/events?pageSize=1`, { headers: { authorization: `Bearer ${given}` } });
    assert.equal(events.status, 200);
    const kept = JSON.parse(readFileSync(join(dataDir, 'tokens.json'), 'utf8')) as Record<string, string>;
    assert.notEqual(kept.demoRead, given, 'a token given in the environment is not written to disk');
    assert.equal(await stop(server.child), 0);
    server = undefined;
  });

  test('a bad setting stops the start with a message naming it', async () => {
    const port = await runToExit(main, { ...env(), PORT: 'eighty' });
    assert.equal(port.code, 1);
    assert.match(port.output, /Configuration: PORT=eighty must be an integer/);
    const database = await runToExit(main, { ...env(), DATABASE_URL: 'mysql://u:secret@h/db' });
    assert.equal(database.code, 1);
    assert.match(database.output, /DATABASE_URL=mysql:\/\/u:\*\*\*@h\/db is not understood/);
    assert.doesNotMatch(database.output, /secret/);
  });

  test('a taken PORT or a HOST this machine does not have stops the start before the seed, naming the setting', async () => {
    // An empty data folder each: the start would seed it first (killed at once if it does).
    const fresh = () => mkdtempSync(join(dataDir, 'fresh-'));
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((taken.address() as AddressInfo).port);
      // A seed of minutes would come first if the port were only tried after it.
      const busy = await runToExit(main, { ...env(), DATA_DIR: fresh(), PORT: port, HOST: '127.0.0.1', SEED_EVENTS: '5000000' }, /seeding/);
      assert.equal(busy.code, 1);
      assert.match(busy.output, new RegExp(`PORT=${port} is in use by another program`));
      assert.doesNotMatch(busy.output, /seeding/);
    } finally {
      taken.close();
    }
    const absent = await runToExit(main, { ...env(), DATA_DIR: fresh(), HOST: '192.0.2.1', SEED_EVENTS: '5000000' }, /seeding/);
    assert.equal(absent.code, 1);
    assert.match(absent.output, /HOST=192\.0\.2\.1 is no address of this machine/);
    assert.doesNotMatch(absent.output, /seeding|\n {4}at /);
  });
});
