// What the embedded store adds to the contract: the file persists everything across a
// reopen, its schema is versioned, and its classification (windows cached between
// batches, reloaded after a reopen, another writer or an older event) answers exactly as
// the memory store's does for the same sequence of ingests.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { sha256Hex } from '../../server/domain/sha256.js';
import { DEMO_ORG, OTHER_ORG, seedDemo } from '../../server/seed/seed.js';
import { Random } from '../../server/seed/prng.js';
import { openEmbeddedStore } from '../../server/store/embedded/index.js';
import { ID_BLOCK, SCHEMA_VERSION } from '../../server/store/embedded/schema.js';
import { poolCategories } from '../../server/store/embedded/sql.js';
import { createMemoryStore } from '../../server/store/memory/memory-store.js';
import type { IngestItem, IngestOutcome, Store, StoredEvent } from '../../server/store/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const TOKENS = { demoRead: 'e-demo-read', demoIngest: 'e-demo-ingest', otherRead: 'e-other-read', otherIngest: 'e-other-ingest' };
const dir = mkdtempSync(join(tmpdir(), 'usage-embedded-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function allEvents(store: Store, orgId: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  const maxId = await store.lastEventId(orgId);
  for await (const batch of store.iterateEvents(orgId, { maxId }, { sort: 'created', order: 'asc' })) out.push(...batch);
  return out;
}

/** Random live traffic of the demo organization: busy users, backdated up to a day, some over their limits. */
function traffic(random: Random, users: readonly string[], count: number, at: number, backdate = true): IngestItem[] {
  return Array.from({ length: count }, (_, i) => ({
    userId: users[random.int(0, Math.min(users.length, 12) - 1)]!,
    amount: random.chance(0.1) ? random.int(50_000, 400_000) : random.int(1, 20_000),
    resourceType: random.chance(0.8) ? 'tokens' : random.chance(0.5) ? 'storage' : 'ocr',
    ioType: random.chance(0.5) ? 'input' : 'output',
    requestId: `req-${at}-${i}`,
    endpoint: random.chance(0.5) ? '/v1/chat/completions' : '/v1/embeddings',
    created: at - (backdate && random.chance(0.2) ? random.int(0, 23 * HOUR) : random.int(0, 60_000)),
  }));
}

/** What an outcome says, ids aside (the stores number their events independently). */
function verdicts(outcome: IngestOutcome): unknown[] {
  assert.equal(outcome.kind, 'stored');
  if (outcome.kind !== 'stored') return [];
  return outcome.results.map((r) => ('error' in r ? r.error : { ...r, id: undefined }));
}

describe('embedded store', { timeout: 300_000 }, () => {
  test('classifies exactly as the memory store: seed, live batches, backdated events, a reopen, a second writer and changed limits', async () => {
    const file = join(dir, 'parity.sqlite');
    const memory = createMemoryStore();
    let embedded = await openEmbeddedStore({ file });
    const options = { events: 3_000, now: NOW, tokens: TOKENS };
    await seedDemo(memory, options);
    await seedDemo(embedded, options);
    const seeded = await allEvents(embedded, DEMO_ORG.orgId);
    assert.deepEqual(
      seeded.map((e) => ({ ...e, id: undefined })),
      (await allEvents(memory, DEMO_ORG.orgId)).map((e) => ({ ...e, id: undefined })),
    );
    const users = (await embedded.listUsers(DEMO_ORG.orgId, { limit: 200, offset: 0 })).items.map((u) => u.id);
    const random = new Random('embedded-parity');
    let refused = 0;
    let hybrid = 0;
    for (let round = 0; round < 24; round++) {
      const at = NOW + round * 10 * 60_000;
      // The batches that load windows from the file start at their own time: the loaded
      // windows then hold the dense traffic of the hours before.
      const items = traffic(random, users, 60, at, ![8, 16, 17].includes(round));
      // Round 8 reopens the file (the windows reload from it); round 16 writes through a
      // second connection to the same file (the first must notice and reload).
      if (round === 8) {
        await embedded.close();
        embedded = await openEmbeddedStore({ file });
      }
      // Limits change between batches (the store keeps them between batches): a user's
      // through this connection (round 4) and through a second one (round 12, which this
      // one must notice), and the organization's pool, emptied (round 20).
      if (round === 4 || round === 12) {
        // Plenty (the busy user's tokens, refused before, are stored), then nothing at all.
        const budget = round === 4 ? 1e9 : 0;
        const limits = [{ resourceType: 'tokens' as const, effectiveFrom: at - HOUR, basePer4h: budget, surplusPer4h: budget }];
        await memory.setUserLimits(DEMO_ORG.orgId, users[0]!, limits);
        const editor = round === 12 ? await openEmbeddedStore({ file }) : embedded;
        await editor.setUserLimits(DEMO_ORG.orgId, users[0]!, limits);
        if (editor !== embedded) await editor.close();
      }
      if (round === 20) {
        const current = (await memory.organizationLimits(DEMO_ORG.orgId)).at(-1)!;
        const limits = { ...current, effectiveFrom: at - HOUR, surplusCapacity: { ...current.surplusCapacity, tokens: 0 } };
        await memory.setOrganizationLimits(DEMO_ORG.orgId, limits);
        await embedded.setOrganizationLimits(DEMO_ORG.orgId, limits);
      }
      const writer = round === 16 ? await openEmbeddedStore({ file }) : embedded;
      const expected = verdicts(await memory.ingest(DEMO_ORG.orgId, items));
      const actual = verdicts(await writer.ingest(DEMO_ORG.orgId, items));
      if (writer !== embedded) await writer.close();
      assert.deepEqual(actual, expected, `round ${round}`);
      refused += expected.filter((v) => (v as { code?: string }).code === 'limit_exceeded').length;
      hybrid += expected.filter((v) => (v as { poolCategory?: string }).poolCategory === 'hybrid').length;
    }
    assert.ok(refused > 0 && hybrid > 0, `the traffic reaches the limits (${refused} refused, ${hybrid} hybrid)`);
    await embedded.close();
  });

  test('a reopened file keeps events, users, limits, tokens, idempotency keys and lastEventId; ids keep increasing', async () => {
    const file = join(dir, 'persist.sqlite');
    const first = await openEmbeddedStore({ file });
    await seedDemo(first, { events: 1_500, now: NOW, tokens: TOKENS });
    const users = (await first.listUsers(DEMO_ORG.orgId, { limit: 200, offset: 0 })).items;
    const items = traffic(new Random('persist'), users.map((u) => u.id), 5, NOW);
    const idempotency = { key: 'batch-1', requestHash: 'hash-1', now: NOW };
    const stored = await first.ingest(DEMO_ORG.orgId, items, { idempotency });
    const before = {
      events: await allEvents(first, DEMO_ORG.orgId),
      other: await allEvents(first, OTHER_ORG.orgId),
      lastId: await first.lastEventId(DEMO_ORG.orgId),
      org: await first.getOrganization(DEMO_ORG.orgId),
      orgLimits: await first.organizationLimits(DEMO_ORG.orgId),
      userLimits: await first.userLimits(DEMO_ORG.orgId, users[3]!.id),
      user: await first.getUser(DEMO_ORG.orgId, users[3]!.id),
      endpoints: await first.listEndpoints(DEMO_ORG.orgId, { since: NOW - 90 * DAY, limit: 50, maxId: Number.MAX_SAFE_INTEGER }),
    };
    await first.close();

    const second = await openEmbeddedStore({ file });
    assert.deepEqual(await allEvents(second, DEMO_ORG.orgId), before.events);
    assert.deepEqual(await allEvents(second, OTHER_ORG.orgId), before.other);
    assert.equal(await second.lastEventId(DEMO_ORG.orgId), before.lastId);
    assert.deepEqual(await second.getOrganization(DEMO_ORG.orgId), before.org);
    assert.deepEqual(await second.organizationLimits(DEMO_ORG.orgId), before.orgLimits);
    assert.deepEqual(await second.userLimits(DEMO_ORG.orgId, users[3]!.id), before.userLimits);
    assert.deepEqual(await second.getUser(DEMO_ORG.orgId, users[3]!.id), before.user);
    assert.deepEqual((await second.listUsers(DEMO_ORG.orgId, { limit: 200, offset: 0 })).items, users);
    assert.deepEqual(
      await second.listEndpoints(DEMO_ORG.orgId, { since: NOW - 90 * DAY, limit: 50, maxId: Number.MAX_SAFE_INTEGER }),
      before.endpoints,
    );
    assert.deepEqual(await second.findToken(sha256Hex(TOKENS.demoIngest)), { orgId: DEMO_ORG.orgId, scopes: ['read', 'ingest'] });
    assert.deepEqual(await second.findToken(sha256Hex(TOKENS.otherRead)), { orgId: OTHER_ORG.orgId, scopes: ['read'] });
    // The key answers as before and stores nothing; another body under it is a conflict.
    assert.deepEqual(await second.ingest(DEMO_ORG.orgId, items, { idempotency: { ...idempotency, now: NOW + HOUR } }), {
      kind: 'replayed',
      results: (stored as { results: unknown[] }).results,
    });
    assert.deepEqual(await second.ingest(DEMO_ORG.orgId, items.slice(1), { idempotency: { ...idempotency, requestHash: 'other' } }), {
      kind: 'conflict',
    });
    assert.equal(await second.lastEventId(DEMO_ORG.orgId), before.lastId);
    const next = await second.ingest(DEMO_ORG.orgId, [{ ...items[0]!, amount: 1, requestId: 'after-reopen' }]);
    assert.equal(next.kind, 'stored');
    const event = (next as { results: StoredEvent[] }).results[0]!;
    assert.ok(Number(event.id) > before.lastId, 'a new id follows the stored ones');
    assert.equal(await second.lastEventId(DEMO_ORG.orgId), Number(event.id));
    await second.close();
  });

  test('early pages read along the sort index, and fall back when the first rows in that order do not match', async () => {
    const embedded = await openEmbeddedStore({ file: join(dir, 'early.sqlite') });
    const memory = createMemoryStore();
    const orgId = 'org_early';
    for (const store of [embedded, memory] as Store[]) {
      await store.putOrganization({ id: orgId, name: orgId });
      await store.setOrganizationLimits(orgId, {
        effectiveFrom: 0,
        weeklyTokenLimit: 1e15,
        storageLimit: 1e15,
        surplusCapacity: { tokens: 1e12, storage: 1e12, ocr: 1e12 },
      });
      await store.putUsers(orgId, [{ id: 'u_a' }, { id: 'u_z' }]);
      for (const userId of ['u_a', 'u_z']) {
        await store.setUserLimits(
          orgId,
          userId,
          (['tokens', 'storage', 'ocr'] as const).map((resourceType) => ({ resourceType, effectiveFrom: 0, basePer4h: 1e12, surplusPer4h: 0 })),
        );
      }
      // 6,000 events of u_a on /a, then 40 of u_z on /z: sorted by user, the first
      // thousands hold no /z at all.
      const items: IngestItem[] = Array.from({ length: 6_040 }, (_, i) => ({
        userId: i < 6_000 ? 'u_a' : 'u_z',
        endpoint: i < 6_000 ? '/a' : '/z',
        amount: 1 + (i % 97),
        resourceType: 'tokens',
        ioType: i % 2 ? 'input' : 'output',
        requestId: `r${i}`,
        created: NOW - DAY + i * 1_000,
      }));
      // Then 6,000 storage events on /s, whose amounts outrank every token amount and whose
      // type sorts before tokens: sorted by amount or type, /z's tokens come after them.
      const storage: IngestItem[] = Array.from({ length: 6_000 }, (_, i) => ({
        userId: 'u_a',
        endpoint: '/s',
        amount: 1_000_000 + i,
        resourceType: 'storage',
        ioType: 'input',
        requestId: `s${i}`,
        created: NOW - DAY + i * 1_000 + 500,
      }));
      assert.equal((await store.ingest(orgId, items)).kind, 'stored');
      assert.equal((await store.ingest(orgId, storage)).kind, 'stored');
    }
    const maxId = await embedded.lastEventId(orgId);
    const filters = [
      { endpoints: ['/z'] },
      { userIds: ['u_z'], ioTypes: ['input' as const] },
      { endpoints: ['/a'] },
      { endpoints: ['/z', '/a'] },
      { endpoints: ['/z'], resourceType: 'tokens' as const },
      // Amount ranges: the scan along the amount index starts and ends at them; a type's
      // range over a short time counts along time.
      { resourceType: 'tokens' as const, amountMin: 50, amountMax: 60 },
      { amountMin: 90, endpoints: ['/z'] },
      { poolCategories: ['hybrid' as const, 'surplus' as const], endpoints: ['/z'] },
      { resourceType: 'storage' as const, amountMax: 1_000_100 },
      {},
    ];
    for (const extra of filters) {
      assert.equal(
        await embedded.countEvents(orgId, { maxId, from: NOW - 2 * DAY, to: NOW + DAY, ...extra }, 100_001),
        await memory.countEvents(orgId, { maxId: await memory.lastEventId(orgId), from: NOW - 2 * DAY, to: NOW + DAY, ...extra }, 100_001),
        `count ${JSON.stringify(extra)}`,
      );
      for (const sort of ['userId', 'endpoint', 'created', 'amount', 'requestId', 'resourceType'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          for (const offset of [0, 25]) {
            const page = { sort, order, offset, limit: 25 };
            const expected = await memory.queryEvents(orgId, { maxId: await memory.lastEventId(orgId), from: NOW - 2 * DAY, to: NOW + DAY, ...extra }, page);
            const actual = await embedded.queryEvents(orgId, { maxId, from: NOW - 2 * DAY, to: NOW + DAY, ...extra }, page);
            assert.deepEqual(
              actual.map((e) => e.requestId),
              expected.map((e) => e.requestId),
              `${JSON.stringify(extra)} ${sort} ${order} ${offset}`,
            );
          }
        }
      }
    }
    await embedded.close();
  });

  test('charts are exact at maxId (events stored after it, in this organization or another, are left out); chosen keys and the rest', async () => {
    const store = await openEmbeddedStore({ file: join(dir, 'exact.sqlite') });
    await seedDemo(store, { events: 2_000, now: NOW, tokens: TOKENS, days: 3 });
    const users = (await store.listUsers(DEMO_ORG.orgId, { limit: 200, offset: 0 })).items.map((u) => u.id);
    const otherUsers = (await store.listUsers(OTHER_ORG.orgId, { limit: 200, offset: 0 })).items.map((u) => u.id);
    const random = new Random('exact-at-max-id');
    await store.ingest(DEMO_ORG.orgId, traffic(random, users, 200, NOW));
    const maxId = await store.lastEventId(DEMO_ORG.orgId);
    // After maxId: more in the same hours and days (the rollups hold them), and the other
    // organization's events (ids past the demo organization's last one).
    await store.ingest(DEMO_ORG.orgId, traffic(random, users, 200, NOW + 60_000));
    await store.ingest(OTHER_ORG.orgId, traffic(random, otherUsers, 300, NOW + 120_000));
    assert.ok((await store.lastEventId(DEMO_ORG.orgId)) > maxId);
    const events = (await allEvents(store, DEMO_ORG.orgId)).filter((e) => Number(e.id) <= maxId && e.resourceType === 'tokens');
    const from = NOW - 2 * DAY - 17 * 60_000;
    const to = NOW + 5 * 60_000;
    const edges = [from];
    for (let t = Math.ceil(from / HOUR) * HOUR; t < to; t += HOUR) edges.push(t);
    edges.push(to);
    const filter = { maxId, from, to, resourceType: 'tokens' as const };
    const keyOf = (e: StoredEvent, groupBy: 'userId' | 'endpoint' | 'ioType'): string => e[groupBy];
    for (const groupBy of ['userId', 'endpoint', 'ioType'] as const) {
      const totals = new Map<string, number>();
      for (const e of events) if (Date.parse(e.created) >= from) totals.set(keyOf(e, groupBy), (totals.get(keyOf(e, groupBy)) ?? 0) + e.amount);
      const byKey = await store.sumByKey(DEMO_ORG.orgId, filter, groupBy);
      assert.deepEqual(new Map(byKey.map((s) => [s.key, s.amount])), totals, `sumByKey ${groupBy}`);
      const chosen = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([key]) => key);
      for (const keys of [chosen, [], null]) {
        const expected = new Map<string, number>();
        for (const e of events) {
          const t = Date.parse(e.created);
          if (t < from || t >= to) continue;
          let bucket = 0;
          while (t >= edges[bucket + 1]!) bucket++;
          const key = keys && !keys.includes(keyOf(e, groupBy)) ? null : keyOf(e, groupBy);
          const id = `${bucket} ${key}`;
          expected.set(id, (expected.get(id) ?? 0) + e.amount);
        }
        const rows = await store.sumByBucket(DEMO_ORG.orgId, filter, edges, groupBy, keys);
        const actual = new Map(rows.map((r) => [`${r.bucket} ${r.key}`, r.amount]));
        assert.equal(actual.size, rows.length, 'one row per bucket and key');
        assert.deepEqual(actual, expected, `sumByBucket ${groupBy} keys ${JSON.stringify(keys)}`);
      }
    }
    const drawn = events.filter((e) => e.surplusAmount > 0);
    assert.ok(drawn.length > 0, 'some events drew surplus');
    const buckets = await store.surplusBuckets(DEMO_ORG.orgId, 'tokens', edges, maxId);
    assert.equal(
      buckets.reduce((sum, b) => sum + b.drawn, 0),
      drawn.filter((e) => Date.parse(e.created) >= from && Date.parse(e.created) < to).reduce((sum, e) => sum + e.surplusAmount, 0),
    );
    const minutes = await store.drawnByMinute(DEMO_ORG.orgId, 'tokens', from, to, maxId);
    assert.equal(
      minutes.reduce((sum, m) => sum + m.drawn, 0),
      drawn.filter((e) => Date.parse(e.created) >= from && Date.parse(e.created) < to).reduce((sum, e) => sum + e.surplusAmount, 0),
    );
    await store.close();
  });

  test('the planner statistics follow the file: ANALYZE once enough events were stored since the last', async () => {
    const file = join(dir, 'analyze.sqlite');
    const store = await openEmbeddedStore({ file, analyzeAfter: 500 });
    /** The events in the file, and the events its statistics counted (0: none yet). */
    const look = (): { events: number; analyzed: number } => {
      const db = new Database(file, { readonly: true });
      try {
        const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
        const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get();
        const stat = table ? (db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' AND idx = 'events_created'").pluck().get() as string | undefined) : undefined;
        return { events, analyzed: stat ? Number.parseInt(stat, 10) : 0 };
      } finally {
        db.close();
      }
    };
    await seedDemo(store, { events: 150, now: NOW, tokens: TOKENS, days: 2 });
    const before = look();
    assert.ok(before.events > 0 && before.events < 500, `seeded ${before.events}`);
    assert.equal(before.analyzed, 0, 'no statistics before 500 events');
    await seedDemo(store, { events: 450, now: NOW + 3 * DAY, tokens: TOKENS, days: 2 });
    const after = look();
    assert.ok(after.analyzed >= 500 && after.analyzed <= after.events, `statistics count ${after.analyzed} of ${after.events} events`);
    await store.close();
  });

  test('a version 1 file from before its daily rollups took their final shape opens upgraded; one that cannot be upgraded says what to do', async () => {
    const file = join(dir, 'old.sqlite');
    const day0 = Math.floor(NOW / DAY) * DAY - 3 * DAY;
    const edges = [0, 1, 2, 3, 4].map((i) => day0 + i * DAY);
    const range = { from: edges[0]!, to: edges[4]! };
    const minuteEdges = Array.from({ length: 241 }, (_, i) => edges[3]! + 6 * 3_600_000 + i * 60_000);
    let users: string[] = [];
    const answers = async (store: Store) => {
      const maxId = await store.lastEventId(DEMO_ORG.orgId);
      const filter = { maxId, ...range, resourceType: 'tokens' as const };
      return {
        byUser: await store.sumByKey(DEMO_ORG.orgId, filter, 'userId'),
        byUserDay: await store.sumByBucket(DEMO_ORG.orgId, { ...filter, userIds: [users[0]!, users[1]!] }, edges, 'userId', null),
        byDay: await store.sumByBucket(DEMO_ORG.orgId, filter, edges, 'ioType', null),
        // Minute buckets over four hours of the last day (the per-minute rollup of version 7).
        byMinute: await store.sumByBucket(DEMO_ORG.orgId, filter, minuteEdges, 'poolCategory', null),
        byEndpoint: await store.sumByBucket(DEMO_ORG.orgId, filter, edges, 'endpoint', null),
        endpoints: await store.listEndpoints(DEMO_ORG.orgId, { since: range.from, limit: 50, maxId }),
        surplus: await store.surplusBuckets(DEMO_ORG.orgId, 'tokens', edges, maxId),
        // A type's amount range, counted from the per-type amount rollups of version 8.
        amounts: await store.countEvents(DEMO_ORG.orgId, { ...filter, amountMin: 15, amountMax: 1_234 }, 100_001),
        // Pages by amount of a pool and of an endpoint, whose indexes version 9 makes again.
        byAmount: await Promise.all(
          [{ poolCategories: ['hybrid' as const] }, { endpoints: ['/v1/embeddings'] }].map((extra) =>
            store.queryEvents(DEMO_ORG.orgId, { ...filter, resourceType: undefined, ...extra }, { sort: 'amount', order: 'desc', offset: 0, limit: 25 }),
          ),
        ),
      };
    };
    const first = await openEmbeddedStore({ file });
    await seedDemo(first, { events: 1_500, now: NOW, tokens: TOKENS, days: 4 });
    users = (await first.sumByKey(DEMO_ORG.orgId, { maxId: await first.lastEventId(DEMO_ORG.orgId), ...range }, 'userId')).map((s) => s.key);
    const before = await answers(first);
    assert.ok(before.byUser.length > 3 && before.surplus.some((b) => b.drawn > 0), 'the seed has users and surplus');
    assert.ok(before.byMinute.length > 10, 'the seed has events in the minute buckets');
    assert.ok(before.amounts > 10, 'the seed has tokens of 15–1,234');
    assert.ok(before.byAmount.every((page) => page.length === 25), 'the seed has hybrid events and an endpoint');
    await first.close();
    // Back to version 1: without what versions 3 and later add.
    const edit = (sql: string): void => {
      const db = new Database(file);
      try {
        db.exec(
          'DROP TABLE rollup_hour_user_total; DROP TABLE rollup_day_user_total; DROP INDEX events_user_drawing; ' +
            'DROP INDEX events_endpoint_drawing; DROP TABLE rollup_minute_detail; DROP TABLE rollup_hour_amount; DROP TABLE rollup_day_amount; ' +
            'DROP INDEX events_pool; DROP INDEX events_endpoint; CREATE INDEX events_pool ON events (org, pool_category, created); ' +
            'CREATE INDEX events_endpoint ON events (org, endpoint, created); DROP INDEX events_type; CREATE INDEX events_type ON events (org, resource_type, created); ' +
            'DROP INDEX organizations_id_base; ALTER TABLE organizations DROP COLUMN id_base;',
        );
        db.exec(sql);
        db.pragma('user_version = 1');
      } finally {
        db.close();
      }
    };
    const indexSql = (): string | undefined => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT sql FROM sqlite_master WHERE name = 'rollup_day_user_by_user'").pluck().get() as string | undefined;
      } finally {
        db.close();
      }
    };
    const wantedIndex = indexSql();
    // The first shape of version 1: no daily rollup alone or per user; daily event counts per endpoint only.
    edit(`
      DROP TABLE rollup_day; DROP TABLE rollup_day_user; DROP TABLE rollup_day_endpoint;
      CREATE TABLE rollup_day_endpoint (org INTEGER NOT NULL, day INTEGER NOT NULL, endpoint TEXT NOT NULL, events INTEGER NOT NULL,
        PRIMARY KEY (org, day, endpoint)) WITHOUT ROWID;
      INSERT INTO rollup_day_endpoint VALUES (1, ${day0}, '/stale', 7);
    `);
    let upgraded = await openEmbeddedStore({ file });
    assert.deepEqual(await answers(upgraded), before);
    assert.equal(upgraded.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.match(upgraded.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_pool'").pluck().get() as string, /created, id, resource_type, io_type, amount\)$/);
    await upgraded.close();
    // The second: the by-user daily index without the sums it now covers.
    edit('DROP INDEX rollup_day_user_by_user; CREATE INDEX rollup_day_user_by_user ON rollup_day_user (org, resource_type, user_id, day);');
    assert.notEqual(indexSql(), wantedIndex);
    upgraded = await openEmbeddedStore({ file });
    assert.deepEqual(await answers(upgraded), before);
    await upgraded.close();
    assert.equal(indexSql(), wantedIndex);
    // A file it cannot bring up (an hourly rollup is gone) is refused, unchanged, with what to do.
    edit('DROP TABLE rollup_day_user; DROP TABLE rollup_hour_user;');
    await assert.rejects(openEmbeddedStore({ file }), /could not be upgraded to version 2: no such table: rollup_hour_user\. This step changed nothing\. Move the file away/);
    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    db.close();
  });

  test('version 10 gives each organization a block of ids: events stored before keep theirs, the next start the block', async () => {
    const file = join(dir, 'blocks.sqlite');
    const first = await openEmbeddedStore({ file });
    for (const orgId of ['org_a', 'org_b']) {
      await first.putOrganization({ id: orgId, name: orgId });
      await first.setOrganizationLimits(orgId, { effectiveFrom: NOW - DAY, weeklyTokenLimit: 1e12, storageLimit: 1e15, surplusCapacity: { tokens: 1e9, storage: 1e12, ocr: 1e6 } });
      await first.putUsers(orgId, [{ id: 'u' }]);
      await first.setUserLimits(orgId, 'u', (['tokens', 'storage', 'ocr'] as const).map((resourceType) => ({ resourceType, effectiveFrom: NOW - DAY, basePer4h: 1e9, surplusPer4h: 1e9 })));
    }
    await first.close();
    // Back to version 9, with events numbered as then: one sequence for the file (a, b, a, a, b).
    let db = new Database(file);
    db.exec('DROP INDEX organizations_id_base; ALTER TABLE organizations DROP COLUMN id_base;');
    const orgOf = (orgId: string) => db.prepare('SELECT org FROM organizations WHERE org_id = ?').pluck().get(orgId) as number;
    const insert = db.prepare(
      "INSERT INTO events (id, org, created, user_id, amount, resource_type, pool_category, io_type, request_id, endpoint, surplus_amount) VALUES (?, ?, ?, 'u', 1, 0, 0, 0, ?, '/e', 0)",
    );
    ['org_a', 'org_b', 'org_a', 'org_a', 'org_b'].forEach((orgId, i) => insert.run(i + 1, orgOf(orgId), NOW - HOUR + i, `old-${i + 1}`));
    db.exec(`UPDATE organizations SET last_event_id = CASE org WHEN ${orgOf('org_a')} THEN 4 ELSE 5 END`);
    db.pragma('user_version = 9');
    db.close();
    const store = await openEmbeddedStore({ file });
    assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const item = (requestId: string): IngestItem => ({ userId: 'u', amount: 1, resourceType: 'tokens', ioType: 'input', requestId, endpoint: '/e', created: NOW });
    const ids = async (orgId: string, n: number) => {
      const outcome = await store.ingest(orgId, Array.from({ length: n }, (_, i) => item(`${orgId}-${i}`)));
      assert.equal(outcome.kind, 'stored');
      return outcome.kind === 'stored' ? outcome.results.map((r) => Number((r as StoredEvent).id)) : [];
    };
    const [b1] = await ids('org_b', 1);
    await ids('org_a', 7);
    const [b2] = await ids('org_b', 1);
    // B's block: its next ids, whatever A stored in between, above its old ones and below 2^53.
    assert.equal(b2! - b1!, 1);
    assert.equal(b1! % ID_BLOCK, 1);
    assert.ok(b2! < 2 ** 47);
    assert.equal(await store.lastEventId('org_b'), b2);
    // The stream reads B's old events, then its block, and nothing of A's.
    const after = async (id: number) => (await store.eventsAfter('org_b', id, 10)).map((e) => e.requestId);
    assert.deepEqual(await after(0), ['old-2', 'old-5', 'org_b-0', 'org_b-0']);
    assert.deepEqual(await after(2), ['old-5', 'org_b-0', 'org_b-0']);
    assert.deepEqual(await after(b1!), ['org_b-0']);
    assert.deepEqual((await store.eventsAfter('org_b', 0, 2)).map((e) => e.requestId), ['old-2', 'old-5']);
    assert.equal(await store.countEventsAfter('org_b', 0, 100), 4);
    assert.equal(await store.countEventsAfter('org_b', 0, 3), 3);
    assert.equal(await store.countEventsAfter('org_b', b2!, 100), 0);
    // Each organization its own block; a new one too.
    await store.putOrganization({ id: 'org_c', name: 'org_c' });
    db = store.db;
    const bases = db.prepare('SELECT id_base FROM organizations').pluck().all() as number[];
    assert.equal(new Set(bases).size, 3);
    assert.ok(bases.every((base) => base >= ID_BLOCK && base % ID_BLOCK === 0 && base + ID_BLOCK <= 2 ** 47));
    await store.close();
  });

  test('the schema is versioned: a new file is at the current version, a newer file is refused', async () => {
    const file = join(dir, 'version.sqlite');
    await (await openEmbeddedStore({ file })).close();
    const db = new Database(file);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await assert.rejects(openEmbeddedStore({ file }), /schema version/);
    // The index of the events that drew surplus, and the queries it serves, name allocated as code 0.
    assert.equal(poolCategories.code('allocated'), 0);
  });
});
