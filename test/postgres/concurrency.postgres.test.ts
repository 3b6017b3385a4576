/**
 * Classification stays exact when ingests for one user arrive at once through several
 * stores (each its own pool, as separate API processes would be): no budget is spent
 * twice, and ids become visible in id order with no gap at any moment.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPostgresStore, type PostgresStore } from '../../server/store/postgres/postgres-store.js';
import type { IngestItem, IngestOutcome, StoredEvent } from '../../server/store/types.js';
import { usePostgres } from './cluster.js';

const postgres = usePostgres();
const NOW = Date.UTC(2024, 5, 3, 10, 0, 0);
const BASE = 1_000;
const SURPLUS = 500;
const CAPACITY = 400;
const AMOUNT = 100;

function item(i: number): IngestItem {
  return {
    userId: 'u1',
    amount: AMOUNT,
    resourceType: 'tokens',
    ioType: 'input',
    requestId: `r${i}`,
    endpoint: '/v1/chat',
    // One instant for all: each event's window (t − 4h, t] then holds every other one,
    // whatever order they arrive in.
    created: NOW,
  };
}

describe('PostgreSQL store under concurrent ingest', () => {
  const stores: PostgresStore[] = [];

  before(async () => {
    const url = await postgres.newDatabase();
    for (let i = 0; i < 3; i++) stores.push(await createPostgresStore({ connectionString: url, max: 8, now: () => NOW }));
    const [admin] = stores;
    await admin!.putOrganization({ id: 'org', name: 'Org' });
    await admin!.setOrganizationLimits('org', {
      effectiveFrom: 0,
      weeklyTokenLimit: 1_000_000,
      storageLimit: 1_000_000,
      surplusCapacity: { tokens: CAPACITY, storage: 0, ocr: 0 },
    });
    await admin!.putUsers('org', [{ id: 'u1' }]);
    await admin!.setUserLimits('org', 'u1', [{ resourceType: 'tokens', effectiveFrom: 0, basePer4h: BASE, surplusPer4h: SURPLUS }]);
  });
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it('spends no budget twice when 3 processes ingest for one user at the boundary at once', async () => {
    let polling = true;
    let polls = 0;
    const poller = (async () => {
      while (polling) {
        const seen = await stores[2]!.eventsAfter('org', 0, 1_000);
        // Ids become visible in id order: whatever is visible is exactly 1..n.
        assert.deepEqual(
          seen.map((e) => Number(e.id)),
          seen.map((_, i) => i + 1),
        );
        polls++;
      }
    })();
    const outcomes: IngestOutcome[] = await Promise.all(
      Array.from({ length: 30 }, (_, i) => stores[i % 3]!.ingest('org', [item(i)])),
    );
    polling = false;
    await poller;
    assert.ok(polls > 1, 'the poller ran while ingesting');
    const stored = outcomes.flatMap((o) => (o.kind === 'stored' ? o.results : [])).filter((r): r is StoredEvent => !('error' in r));
    const refused = outcomes.flatMap((o) => (o.kind === 'stored' ? o.results : [])).filter((r) => 'error' in r);
    const allocated = stored.filter((e) => e.poolCategory === 'allocated').length;
    const surplus = stored.filter((e) => e.poolCategory === 'surplus').length;
    assert.equal(allocated, BASE / AMOUNT, 'the base budget is spent exactly once');
    assert.equal(surplus, Math.min(SURPLUS, CAPACITY) / AMOUNT, 'the pool is drawn exactly to its capacity');
    assert.equal(refused.length, 30 - allocated - surplus);
    assert.equal(stored.reduce((sum, e) => sum + e.surplusAmount, 0), CAPACITY);
    assert.deepEqual(
      stored.map((e) => Number(e.id)).sort((a, b) => a - b),
      stored.map((_, i) => i + 1),
    );
    assert.equal(await stores[1]!.lastEventId('org'), stored.length);
  });

  it('splits a hybrid at the boundary once, whichever process gets there first', async () => {
    // Base is spent; the pool is dry. Raise the user's allowance and the capacity: one
    // event of 150 fits as surplus (the pool has 100 + 150 new), and only one.
    await stores[0]!.setOrganizationLimits('org', {
      effectiveFrom: NOW + 1_000,
      weeklyTokenLimit: 1_000_000,
      storageLimit: 1_000_000,
      surplusCapacity: { tokens: CAPACITY + 150, storage: 0, ocr: 0 },
    });
    await stores[0]!.setUserLimits('org', 'u1', [
      { resourceType: 'tokens', effectiveFrom: NOW + 1_000, basePer4h: BASE + 50, surplusPer4h: SURPLUS + 100 },
    ]);
    const big = (i: number): IngestItem => ({ ...item(1_000 + i), amount: 150, created: NOW + 2_000 });
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => stores[i % 3]!.ingest('org', [big(i)])));
    const stored = outcomes.flatMap((o) => (o.kind === 'stored' ? o.results : [])).filter((r): r is StoredEvent => !('error' in r));
    // baseLeft 50, surplusLeft min(600 − 400, 550 − 400) = 150: one hybrid of 150 (100 from surplus), then 50 left.
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.poolCategory, 'hybrid');
    assert.equal(stored[0]!.surplusAmount, 100);
  });
});

describe('PostgreSQL store, requests that wait for one organization (group commit)', () => {
  let store: PostgresStore;
  const idem = (key: string, requestHash: string) => ({ idempotency: { key, requestHash, now: NOW } });
  const event = (userId: string, i: number, amount = AMOUNT): IngestItem => ({ ...item(i), userId, amount });
  const ids = (outcome: IngestOutcome) => (outcome.kind === 'stored' ? outcome.results.map((r) => ('id' in r ? r.id : r.error.code)) : outcome.kind);

  before(async () => {
    store = await createPostgresStore({ connectionString: await postgres.newDatabase(), now: () => NOW });
    await store.putOrganization({ id: 'org', name: 'Org' });
    await store.setOrganizationLimits('org', {
      effectiveFrom: 0,
      weeklyTokenLimit: 1_000_000,
      storageLimit: 1_000_000,
      surplusCapacity: { tokens: 0, storage: 0, ocr: 0 },
    });
    await store.putUsers('org', [{ id: 'u1' }, { id: 'u2' }]);
    for (const user of ['u1', 'u2']) {
      await store.setUserLimits('org', user, [{ resourceType: 'tokens', effectiveFrom: 0, basePer4h: 250, surplusPer4h: 0 }]);
    }
  });
  after(() => store.close());

  it('answers each request as if each had its own transaction, in arrival order', async () => {
    await store.ensurePartitions(NOW, NOW + 1);
    let transactions = 0;
    const count = () => transactions++;
    store.pool.on('acquire', count);
    // The first runs alone; the other four arrive while it runs and go together.
    const outcomes = await Promise.all([
      store.ingest('org', [event('u1', 1)]),
      store.ingest('org', [event('u1', 2), event('u2', 3)], idem('k', 'h')),
      store.ingest('org', [event('u1', 2), event('u2', 3)], idem('k', 'h')),
      store.ingest('org', [event('u1', 4)], idem('k', 'other')),
      // u1 has 250 per 4 hours: 100 + 100 spent above, so this 100 is refused.
      store.ingest('org', [event('u1', 5), event('u2', 6)]),
    ]);
    store.pool.off('acquire', count);
    assert.equal(transactions, 2, 'one transaction for the first request, one for the four that waited');
    assert.deepEqual(outcomes.map(ids), [['1'], ['2', '3'], 'replayed', 'conflict', ['limit_exceeded', '4']]);
    assert.deepEqual(outcomes[2]!.kind === 'replayed' && outcomes[2].results, outcomes[1]!.kind === 'stored' && outcomes[1].results);
    assert.equal(await store.lastEventId('org'), 4);
    const stored = await store.eventsAfter('org', 0, 10);
    assert.deepEqual(
      stored.map((e) => [e.id, e.requestId]),
      [
        ['1', 'r1'],
        ['2', 'r2'],
        ['3', 'r3'],
        ['4', 'r6'],
      ],
    );
    // The key is remembered for later requests too; a replay reads no limits or windows.
    const statements: string[] = [];
    const spy = (client: { query: (...args: unknown[]) => unknown }) => {
      const query = client.query;
      client.query = function (this: unknown, ...args: unknown[]) {
        if (typeof args[0] === 'string') statements.push(args[0].trim().split(/\s+/).slice(0, 3).join(' '));
        return query.apply(this, args);
      };
      return () => (client.query = query);
    };
    let restore = () => {};
    const onAcquire = (client: { query: (...args: unknown[]) => unknown }) => (restore = spy(client));
    store.pool.once('acquire', onAcquire);
    const again = await store.ingest('org', [event('u1', 2), event('u2', 3)], idem('k', 'h'));
    restore();
    assert.equal(again.kind, 'replayed');
    assert.deepEqual(statements, ['begin', 'select last_event_id from', 'delete from idempotency_keys', 'select key, request_hash,', 'rollback']);
  });

  it('keeps the other requests of a group when one of them fails', async () => {
    const before = await store.lastEventId('org');
    const settled = await Promise.allSettled([
      store.ingest('org', [event('u2', 10, 1)]),
      store.ingest('org', [event('u2', 11, 1)]),
      // PostgreSQL text cannot hold NUL: the database refuses the write (the handler
      // would refuse it first).
      store.ingest('org', [{ ...event('u2', 12, 1), requestId: 'r\u0000' }]),
      store.ingest('org', [event('u2', 13, 1)]),
    ]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    const stored = await store.eventsAfter('org', before, 10);
    assert.deepEqual(
      stored.map((e) => e.requestId),
      ['r10', 'r11', 'r13'],
    );
  });
});
