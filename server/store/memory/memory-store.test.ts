// What the memory store adds to the contract suite (test/contract/memory.test.ts): an
// export (`iterateEvents`) finds its matches batch by batch as they are taken, not all of
// them before the first batch (at 1M events that walk held the thread 150–300 ms), and
// keeps to the rows sorted when it started while ingest goes on between batches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_ORG, seedDemo } from '../../seed/seed.js';
import type { StoredEvent, StoreFilter } from '../types.js';
import { createMemoryStore } from './memory-store.js';

const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const TOKENS = { demoRead: 'm-demo-read', demoIngest: 'm-demo-ingest', otherRead: 'm-other-read', otherIngest: 'm-other-ingest' };
const BATCH = 1_000;

test('an export tests only the rows of the batch it hands out, and keeps to its rows while ingest goes on', async () => {
  const store = createMemoryStore();
  await seedDemo(store, { events: 3_000, now: NOW, tokens: TOKENS, days: 3 });
  const orgId = DEMO_ORG.orgId;
  const maxId = await store.lastEventId(orgId);
  const total = await store.countEvents(orgId, { maxId }, 100_000);
  assert.ok(total > 2 * BATCH, `${total} events`);
  const expected: StoredEvent[] = [];
  for await (const batch of store.iterateEvents(orgId, { maxId }, { sort: 'userId', order: 'desc' })) expected.push(...batch);
  assert.equal(expected.length, total);

  // A filter matching every event that counts the rows tested against it.
  let tested = 0;
  const filter = {
    get maxId() {
      tested++;
      return maxId;
    },
  } as StoreFilter;
  const batches = store.iterateEvents(orgId, filter, { sort: 'userId', order: 'desc' })[Symbol.asyncIterator]();
  const first = await batches.next();
  assert.ok(!first.done);
  // Before, every row (3,000) was tested before the first batch.
  assert.equal(tested, BATCH);
  const events = [...first.value];
  const [user] = (await store.sumByKey(orgId, { maxId }, 'userId')).map((u) => u.key);
  const outcome = await store.ingest(orgId, [
    { userId: user!, amount: 1, resourceType: 'tokens', ioType: 'input', requestId: 'req-between-batches', endpoint: '/v1/chat/completions', created: NOW - 1_000 },
  ]);
  assert.equal(outcome.kind, 'stored');
  for (let next = await batches.next(); !next.done; next = await batches.next()) events.push(...next.value);
  assert.deepEqual(events, expected);
});

test("each organization's event ids are a sequence of its own: another's ingest leaves no gap in them", async () => {
  const store = createMemoryStore();
  await seedDemo(store, { events: 600, now: NOW, tokens: TOKENS, days: 1 });
  const other = 'org_other';
  const demoLast = await store.lastEventId(DEMO_ORG.orgId);
  const otherLast = await store.lastEventId(other);
  assert.ok(demoLast > 0 && otherLast > 0);
  // Each starts at 1 and has no gaps.
  for (const orgId of [DEMO_ORG.orgId, other]) {
    const last = await store.lastEventId(orgId);
    const ids = (await store.queryEvents(orgId, { maxId: last }, { sort: 'created', order: 'asc', offset: 0, limit: 100_000 })).map((e) => Number(e.id)).sort((a, b) => a - b);
    assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => i + 1), orgId);
  }
});
