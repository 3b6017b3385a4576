// Pages of filters that name users or endpoints, sorted by every other column, read whole
// and sorted when they match few events (`#fewMatchesPage`), and of filters by type, I/O
// type or pool (sorted by endpoint, narrowed to the endpoints holding such events): every
// page of every sort column, both ways, against the memory store's pages of the same
// seeded events.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EVENT_SORT_COLUMNS } from '../../../src/api/contract.js';
import { DEMO_ORG, seedDemo } from '../../seed/seed.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { EventOrder, Store, StoreFilter } from '../types.js';
import { openEmbeddedStore } from './index.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const TOKENS = { demoRead: 'p-demo-read', demoIngest: 'p-demo-ingest', otherRead: 'p-other-read', otherIngest: 'p-other-ingest' };
const dir = mkdtempSync(join(tmpdir(), 'usage-embedded-pages-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The request IDs of every page of 25 of a filter in an order, up to `count` events. */
async function everyPage(store: Store, filter: Omit<StoreFilter, 'maxId'>, order: EventOrder, count: number): Promise<string[]> {
  const withMax = { maxId: await store.lastEventId(DEMO_ORG.orgId), ...filter };
  const ids: string[] = [];
  for (let offset = 0; offset <= count; offset += 25) {
    ids.push(...(await store.queryEvents(DEMO_ORG.orgId, withMax, { ...order, offset, limit: 25 })).map((e) => e.requestId));
  }
  return ids;
}

/**
 * Asserts that every page of each filter over `range`, in each of `sorts` both ways, holds
 * what the memory store's does; `atLeast`: how many events each filter must match.
 */
async function assertSamePages(
  embedded: Store,
  memory: Store,
  range: { from: number; to: number },
  filters: readonly Omit<StoreFilter, 'maxId'>[],
  sorts: readonly EventOrder['sort'][],
  atLeast = 0,
): Promise<void> {
  const orgId = DEMO_ORG.orgId;
  for (const extra of filters) {
    const count = await memory.countEvents(orgId, { maxId: await memory.lastEventId(orgId), ...range, ...extra }, 100_001);
    assert.equal(await embedded.countEvents(orgId, { maxId: await embedded.lastEventId(orgId), ...range, ...extra }, 100_001), count);
    assert.ok(count >= atLeast, `${JSON.stringify(extra)} matches ${count}`);
    for (const sort of sorts) {
      for (const order of ['asc', 'desc'] as const) {
        const read = (store: Store): Promise<string[]> => everyPage(store, { ...range, ...extra }, { sort, order }, count);
        const expected = await read(memory);
        assert.equal(expected.length, count);
        assert.deepEqual(await read(embedded), expected, `${JSON.stringify(extra)} ${sort} ${order}`);
      }
    }
  }
}

/**
 * The same 4,000 seeded events in an embedded store whose early scan reads 40 events and
 * whose "few matches" bound is 10 (so that they take the paths a sparse filter takes at
 * millions of events), recording each page's plan, and in the memory store; the users by
 * amount ascending and the endpoints by use.
 */
async function tunedStores(file: string) {
  const plans: string[] = [];
  const embedded = await openEmbeddedStore({ file: join(dir, file), pageTuning: { earlyScan: 40, fewMatches: 10, onPlan: (plan) => plans.push(plan) } });
  const memory = createMemoryStore();
  for (const store of [embedded, memory] as Store[]) await seedDemo(store, { events: 4_000, now: NOW, tokens: TOKENS, days: 3 });
  const orgId = DEMO_ORG.orgId;
  const users = (await memory.sumByKey(orgId, { maxId: await memory.lastEventId(orgId) }, 'userId')).sort((a, b) => a.amount - b.amount);
  const endpoints = (await memory.listEndpoints(orgId, { since: NOW - 4 * DAY, limit: 100, maxId: await memory.lastEventId(orgId) })).map((e) => e.endpoint);
  return { plans, embedded, memory, users, endpoints };
}

/** How many pages took each plan. */
const tally = (plans: readonly string[]): string => JSON.stringify(plans.reduce<Record<string, number>>((n, p) => ({ ...n, [p]: (n[p] ?? 0) + 1 }), {}));

test('filters naming users or endpoints, or by type, I/O type or pool, page exactly as the memory store, in every order', async () => {
  const embedded = await openEmbeddedStore({ file: join(dir, 'pages.sqlite') });
  const memory = createMemoryStore();
  for (const store of [embedded, memory] as Store[]) await seedDemo(store, { events: 4_000, now: NOW, tokens: TOKENS, days: 3 });
  const orgId = DEMO_ORG.orgId;
  const users = (await memory.sumByKey(orgId, { maxId: await memory.lastEventId(orgId) }, 'userId')).sort((a, b) => a.amount - b.amount);
  const endpoints = (await memory.listEndpoints(orgId, { since: NOW - 4 * DAY, limit: 100, maxId: await memory.lastEventId(orgId) })).map((e) => e.endpoint);
  const rare = users[0]!.key;
  const busy = users[users.length - 1]!.key;
  const filters: Omit<StoreFilter, 'maxId'>[] = [
    { userIds: [rare] },
    { userIds: [busy], ioTypes: ['output'] },
    { userIds: [rare, busy] },
    { endpoints: [endpoints[endpoints.length - 1]!] },
    { endpoints: [endpoints[0]!], poolCategories: ['hybrid', 'surplus'] },
    { endpoints: endpoints.slice(0, 3), userIds: [busy] },
    { endpoints: [endpoints[1]!], resourceType: 'tokens', amountMin: 100 },
    // No names: sorted by endpoint, the endpoints holding such events are named first.
    { ioTypes: ['output'] },
    { poolCategories: ['hybrid'] },
    { resourceType: 'storage' },
  ];
  await assertSamePages(embedded, memory, { from: NOW - 2 * DAY, to: NOW }, filters, EVENT_SORT_COLUMNS);
  await embedded.close();
});

test('pages sorted by time or by type, pool or I/O type that the early page cannot fill, and deep ones, are read code by code, exactly as the memory store', async () => {
  // A sparse filter's path at millions of events (`#pageByCodes`).
  const { plans, embedded, memory, users, endpoints } = await tunedStores('codes.sqlite');
  const busy = users[users.length - 1]!.key;
  const filters: Omit<StoreFilter, 'maxId'>[] = [
    { userIds: [busy] },
    { userIds: [busy, users[users.length - 2]!.key], ioTypes: ['output'] },
    { poolCategories: ['hybrid'] },
    { poolCategories: ['surplus'], ioTypes: ['output'] },
    { resourceType: 'ocr', amountMin: 2 },
    { endpoints: [endpoints[0]!], userIds: [busy] },
    { endpoints: [endpoints[endpoints.length - 1]!] },
  ];
  // Over parts of three UTC days: the first and the last cut by the range.
  const range = { from: NOW - 2 * DAY - 3_600_000, to: NOW - 1_800_000 };
  await assertSamePages(embedded, memory, range, filters, ['created', 'resourceType', 'poolCategory', 'ioType'], 11);
  // Most of those pages were read code by code (the rest along the sort's index).
  assert.ok(plans.filter((plan) => plan === 'codes').length > plans.length / 2, `plans: ${tally(plans)}`);
  assert.ok(!plans.includes('planner'));
  await embedded.close();
});

test('pages sorted by amount of filters to pools or endpoints that the early page cannot fill are sorted from their index, exactly as the memory store', async () => {
  // The path hybrid events or a small endpoint take at millions (`#coveredAmountPage`).
  const { plans, embedded, memory, endpoints } = await tunedStores('covered.sqlite');
  const filters: Omit<StoreFilter, 'maxId'>[] = [
    { poolCategories: ['hybrid'] },
    { poolCategories: ['surplus'], ioTypes: ['output'], resourceType: 'tokens' },
    { poolCategories: ['allocated', 'hybrid'], amountMin: 50, amountMax: 5_000 },
    { endpoints: [endpoints[0]!] },
    { endpoints: endpoints.slice(1, 3), poolCategories: ['hybrid', 'surplus'] },
    { endpoints: [endpoints[3]!], ioTypes: ['input'], amountMin: 2 },
  ];
  await assertSamePages(embedded, memory, { from: NOW - 2 * DAY - 3_600_000, to: NOW - 1_800_000 }, filters, ['amount'], 11);
  assert.ok(plans.filter((plan) => plan === 'covered').length > plans.length / 2, `plans: ${tally(plans)}`);
  await embedded.close();
});
