/** The start-up pieces: settings from the environment, kept tokens, the store choice, the rate estimate. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEMO_ORG, OTHER_ORG, seedDemo, seededRate } from '../seed/seed.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { openStore, redact, storeKind } from '../store/open.js';
import { ConfigError, describeStartFailure, readConfig } from './config.js';
import { estimateRate, serve } from './serve.js';
import { keepTokens } from './tokens.js';

describe('readConfig', () => {
  test('defaults: port 8080, the embedded store under ./data, a million events, no CORS, live traffic', () => {
    const config = readConfig({}, '/srv/app');
    assert.deepEqual(config, {
      port: 8080,
      host: undefined,
      databaseUrl: undefined,
      dataDir: '/srv/app/data',
      seedEvents: 1_000_000,
      corsOrigins: [],
      demoToken: undefined,
      otherOrgToken: undefined,
      liveTraffic: true,
      maxStreamsPerToken: 100,
    });
  });

  test('reads every variable', () => {
    const config = readConfig(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://u:p@db:5432/usage',
        DATA_DIR: 'var/ud',
        SEED_EVENTS: '20_000',
        CORS_ORIGINS: 'https://a.example, http://localhost:3000',
        DEMO_TOKEN: 'demo-token-0123456789',
        OTHER_ORG_TOKEN: 'other-token-0123456789',
        LIVE_TRAFFIC: 'off',
        MAX_STREAMS_PER_TOKEN: '1_000',
      },
      '/srv/app',
    );
    assert.equal(config.port, 0);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, 'postgres://u:p@db:5432/usage');
    assert.equal(config.dataDir, '/srv/app/var/ud');
    assert.equal(config.seedEvents, 20_000);
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'http://localhost:3000']);
    assert.equal(config.demoToken, 'demo-token-0123456789');
    assert.equal(config.otherOrgToken, 'other-token-0123456789');
    assert.equal(config.liveTraffic, false);
    assert.equal(config.maxStreamsPerToken, 1_000);
  });

  test('a bad value names its variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: '70000' }, /^PORT=70000 must be an integer from 0 to 65,535/],
      [{ PORT: '-1' }, /^PORT/],
      [{ SEED_EVENTS: '1e6' }, /^SEED_EVENTS=1e6/],
      [{ MAX_STREAMS_PER_TOKEN: '0' }, /^MAX_STREAMS_PER_TOKEN=0 must be an integer from 1/],
      [{ CORS_ORIGINS: 'https://a.example/path' }, /^CORS_ORIGINS holds "https:\/\/a\.example\/path"/],
      [{ CORS_ORIGINS: '*' }, /^CORS_ORIGINS holds "\*"/],
      [{ DEMO_TOKEN: 'short' }, /^DEMO_TOKEN must be 16/],
      [{ DEMO_TOKEN: 'same-token-0123456789', OTHER_ORG_TOKEN: 'same-token-0123456789' }, /must differ/],
      [{ DATABASE_URL: 'sqlite://x' }, /^DATABASE_URL=sqlite:\/\/x is not understood/],
      [{ LIVE_TRAFFIC: 'maybe' }, /^LIVE_TRAFFIC=maybe must be on or off/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => readConfig(env, '/'), (error: unknown) => error instanceof ConfigError && message.test(error.message), JSON.stringify(env));
    }
  });
});

describe('store choice', () => {
  test('a failed start names the setting to change, not a stack trace', () => {
    const config = { port: 8114, host: undefined, dataDir: '/srv/usage', databaseUrl: undefined };
    const failure = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });
    assert.equal(describeStartFailure(failure('EADDRINUSE', 'listen EADDRINUSE: address already in use :::8114'), config), 'PORT=8114 is in use by another program: set PORT to a free port (0 picks one).');
    const host = { ...config, host: 'dashboard.invalid' };
    assert.match(String(describeStartFailure(failure('ENOTFOUND', 'getaddrinfo ENOTFOUND dashboard.invalid', { syscall: 'getaddrinfo', hostname: 'dashboard.invalid' }), host)), /^HOST=dashboard\.invalid is no address of this machine \(ENOTFOUND\): set HOST/);
    const absent = { ...config, host: '192.0.2.1' };
    assert.match(String(describeStartFailure(failure('EADDRNOTAVAIL', 'listen EADDRNOTAVAIL: address not available 192.0.2.1:8114', { syscall: 'listen' }), absent)), /^HOST=192\.0\.2\.1 is no address of this machine \(EADDRNOTAVAIL\)/);
    assert.match(String(describeStartFailure(failure('EACCES', 'listen EACCES: permission denied 0.0.0.0:80', { syscall: 'listen' }), { ...config, port: 80 })), /^PORT=80 needs privileges/);
    assert.match(String(describeStartFailure(failure('EACCES', 'permission denied', { path: '/srv/usage/tokens.json' }), config)), /^Cannot write \/srv\/usage\/tokens\.json \(EACCES\): set DATA_DIR/);
    assert.match(String(describeStartFailure(failure('EEXIST', 'file already exists, mkdir'), config)), /^DATA_DIR=\/srv\/usage is not a folder/);
    const corrupt = Object.assign(failure('SQLITE_NOTADB', 'file is not a database'), { name: 'SqliteError' });
    assert.match(String(describeStartFailure(corrupt, config)), /^The database file \/srv\/usage\/usage\.sqlite cannot be used: file is not a database\. .*delete it/);
    const pg = { ...config, databaseUrl: 'postgres://u:hunter2@127.0.0.1:1/db' };
    const refused = String(describeStartFailure(failure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), pg));
    assert.match(refused, /^PostgreSQL at DATABASE_URL=postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db could not be used/);
    assert.ok(!refused.includes('hunter2'));
    assert.equal(describeStartFailure(new ConfigError('PORT=abc must be an integer.'), undefined), 'Configuration: PORT=abc must be an integer.');
    // A driver the package leaves to the host (an optional peer dependency) is named.
    const missing = failure('ERR_MODULE_NOT_FOUND', "Cannot find package 'better-sqlite3' imported from /app/node_modules/usage-dashboard-elements/dist/server/chunks/index.js");
    assert.equal(describeStartFailure(missing, config), 'The embedded store needs the package better-sqlite3: run `npm install better-sqlite3`, or set DATABASE_URL=memory: (nothing kept).');
    assert.match(String(describeStartFailure(failure('ERR_MODULE_NOT_FOUND', "Cannot find package 'pg' imported from /x.js"), pg)), /^The PostgreSQL store needs the package pg: run `npm install pg`\.$/);
    // The unforeseen is printed as it is, stack and all.
    const other = new TypeError('boom');
    assert.equal(describeStartFailure(other, config), other);
  });

  test('DATABASE_URL picks the store; passwords never show', async () => {
    assert.equal(storeKind(undefined), 'embedded');
    assert.equal(storeKind(' '), 'embedded');
    assert.equal(storeKind('postgres://h/db'), 'postgres');
    assert.equal(storeKind('postgresql://h/db'), 'postgres');
    assert.equal(storeKind('memory:'), 'memory');
    assert.throws(() => storeKind('mysql://u:hunter2@h/db'), (e: Error) => !e.message.includes('hunter2') && e.message.includes('u:***@h'));
    assert.equal(redact('postgres://user:pa:ss@host:5432/db'), 'postgres://user:***@host:5432/db');
    assert.equal(redact('postgres://host/db'), 'postgres://host/db');
    const memory = await openStore('memory:', { dataDir: '/nonexistent' });
    assert.equal(memory.kind, 'memory');
    assert.equal(memory.persistent, false);
    await memory.store.close();
  });

  test('the default is the embedded file in the data folder, kept across opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ud-open-'));
    try {
      const first = await openStore(undefined, { dataDir: join(dir, 'data') });
      assert.equal(first.kind, 'embedded');
      assert.equal(first.location, join(dir, 'data', 'usage.sqlite'));
      await first.store.putOrganization({ id: 'org_kept', name: 'Kept' });
      await first.store.close();
      const second = await openStore('', { dataDir: join(dir, 'data') });
      assert.deepEqual(await second.store.getOrganization('org_kept'), { id: 'org_kept', name: 'Kept' });
      await second.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('keepTokens', () => {
  test('generates once, keeps them (owner-only file), and lets the environment override without writing it down', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ud-tokens-'));
    try {
      const first = keepTokens(dir, {});
      assert.deepEqual(first.generated, { demoRead: true, otherRead: true });
      assert.match(first.demoRead, /^ud_demo_read_[\w-]{32}$/);
      assert.equal(new Set([first.demoRead, first.demoIngest, first.otherRead, first.otherIngest]).size, 4);
      assert.equal(statSync(join(dir, 'tokens.json')).mode & 0o777, 0o600);

      const again = keepTokens(dir, {});
      assert.equal(again.demoRead, first.demoRead);
      assert.equal(again.otherIngest, first.otherIngest);
      assert.deepEqual(again.generated, { demoRead: false, otherRead: false });

      const given = keepTokens(dir, { demoToken: 'from-the-environment-1' });
      assert.equal(given.demoRead, 'from-the-environment-1');
      assert.equal(given.otherRead, first.otherRead);
      assert.equal(JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')).demoRead, first.demoRead);

      writeFileSync(join(dir, 'tokens.json'), '{ broken');
      assert.throws(() => keepTokens(dir, {}), /tokens\.json is not valid JSON: fix or delete it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('estimateRate', () => {
  test('recovers the seeded rhythm from the stored week, so the backfill goes on at the same pace', async () => {
    const store = createMemoryStore();
    const now = Date.parse('2026-03-10T12:00:00.000Z');
    const events = 20_000;
    await seedDemo(store, { events, now, tokens: { demoRead: 'a'.repeat(16), demoIngest: 'b'.repeat(16), otherRead: 'c'.repeat(16), otherIngest: 'd'.repeat(16) } });
    const users = (await store.listUsers(DEMO_ORG.orgId, { limit: 1, offset: 0 })).total;
    const estimated = await estimateRate(store, { ...DEMO_ORG, users }, now);
    const seeded = seededRate(DEMO_ORG, events, now);
    assert.ok(estimated > seeded * 0.6 && estimated < seeded * 1.4, `estimated ${estimated}, seeded ${seeded}`);
    assert.equal(await estimateRate(createMemoryStore(), { ...DEMO_ORG, users }, now), 0);
  });

  test('measures a history shorter than a week over what there is; under a day of it gives the fallback', async () => {
    const tokens = { demoRead: 'a'.repeat(16), demoIngest: 'b'.repeat(16), otherRead: 'c'.repeat(16), otherIngest: 'd'.repeat(16) };
    const now = Date.parse('2026-03-10T12:00:00.000Z');
    const events = 20_000;
    const store = createMemoryStore();
    // Three days at the pace of 20,000 over 90.
    await seedDemo(store, { events: (events * 3) / 90, now, days: 3, tokens, organizations: [DEMO_ORG] });
    const users = (await store.listUsers(DEMO_ORG.orgId, { limit: 1, offset: 0 })).total;
    const seeded = seededRate(DEMO_ORG, (events * 3) / 90, now, 3);
    const estimated = await estimateRate(store, { ...DEMO_ORG, users }, now);
    assert.ok(estimated > seeded * 0.6 && estimated < seeded * 1.4, `estimated ${estimated}, seeded ${seeded}`);
    const hour = createMemoryStore();
    await seedDemo(hour, { events: 200, now, days: 1 / 24, tokens, organizations: [DEMO_ORG] });
    assert.ok((await hour.lastEventId(DEMO_ORG.orgId)) > 0);
    assert.equal(await estimateRate(hour, { ...DEMO_ORG, users }, now, 1.25), 1.25);
  });
});

describe('serve', () => {
  test('a seed that was stopped goes on where it stopped: the organization it had not reached is seeded, the other one backfilled at its pace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ud-serve-'));
    const DAY = 86_400_000;
    const events = 9_000;
    try {
      // As a seed stopped two thirds of the way through the demo organization's 90 days
      // (its events go in time order), after setting up the other one but before its events.
      const now = Date.now();
      const stoppedAt = now - 30 * DAY;
      const opened = await openStore(undefined, { dataDir: dir });
      const tokens = keepTokens(dir, {});
      await seedDemo(opened.store, { events: (events * 60) / 90, now: stoppedAt, days: 60, tokens, organizations: [DEMO_ORG] });
      await opened.store.putOrganization({ id: OTHER_ORG.orgId, name: OTHER_ORG.name });
      const before = await opened.store.countEvents(DEMO_ORG.orgId, { maxId: await opened.store.lastEventId(DEMO_ORG.orgId) }, 1e9);
      await opened.store.close();

      const lines: string[] = [];
      const config = { ...readConfig({}, dir), dataDir: dir, port: 0, liveTraffic: false, seedEvents: events };
      const running = await serve(config, { demoDir: dir, distDir: dir, log: (line) => lines.push(line) });
      try {
        const { store } = running.opened;
        assert.ok(lines.some((line) => line.includes('completing an interrupted seed: Globex Labs')), lines.join('\n'));
        assert.ok((await store.lastEventId(OTHER_ORG.orgId)) > 0, 'the other organization has its events');
        const maxId = await store.lastEventId(DEMO_ORG.orgId);
        const [newest] = await store.queryEvents(DEMO_ORG.orgId, { maxId }, { sort: 'created', order: 'desc', offset: 0, limit: 1 });
        assert.ok(Date.parse(newest!.created) > now - 12 * 3_600_000, `the demo organization reaches now (newest ${newest!.created})`);
        const gap = await store.countEvents(DEMO_ORG.orgId, { maxId, from: stoppedAt }, 1e9);
        // 30 days at the pace of the 60 before them: about half as many events.
        assert.ok(gap > before * 0.3 && gap < before * 0.7, `${gap} events in the 30 days after ${before} in the 60 before`);
      } finally {
        await running.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
