// The per-type amount rollups (schema version 8): the bucket of an amount in JS (ingest)
// and in SQL (the migration) agree, and a type's amount range counts exactly as the
// memory store counts it, whatever its edges, time range and maxId.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { DEMO_ORG, seedDemo } from '../../seed/seed.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { Store, StoreFilter } from '../types.js';
import { AMOUNT_BUCKET_SQL, amountBucket, amountBucketEnd } from '../shared/amount-buckets.js';
import { openEmbeddedStore } from './index.js';
import { ID_BLOCK } from './schema.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const TOKENS = { demoRead: 'a-demo-read', demoIngest: 'a-demo-ingest', otherRead: 'a-other-read', otherIngest: 'a-other-ingest' };
const dir = mkdtempSync(join(tmpdir(), 'usage-embedded-amounts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an amount bucket is its two leading digits, the same in JS and in SQL', () => {
  assert.deepEqual([0, 7, 99, 100, 109, 110, 999, 1_000, 1_099, 4_999, 5_000, 123_456].map(amountBucket), [0, 7, 99, 100, 100, 110, 990, 1_000, 1_000, 4_900, 5_000, 120_000]);
  assert.deepEqual([0, 99, 100, 990, 1_000, 4_900, 120_000].map(amountBucketEnd), [1, 100, 110, 1_000, 1_100, 5_000, 130_000]);
  const db = new Database(':memory:');
  try {
    const sql = db.prepare(`SELECT ${AMOUNT_BUCKET_SQL} AS b FROM (SELECT ? AS amount)`).pluck();
    const samples = [0, 1, 99, 100, 101, 999, 1_000, 10 ** 15 - 1, 10 ** 15, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2_000; i++) samples.push(Math.floor(Math.random() * 10 ** Math.floor(Math.random() * 16)));
    for (const amount of samples) {
      const bucket = amountBucket(amount);
      assert.equal(sql.get(amount), bucket, `amount ${amount}`);
      assert.ok(bucket <= amount && amount < amountBucketEnd(bucket), `amount ${amount} in [${bucket}, ${amountBucketEnd(bucket)})`);
    }
  } finally {
    db.close();
  }
});

test('a type’s amount range counts as the memory store counts it, whatever its edges, time range and maxId', async () => {
  const embedded = await openEmbeddedStore({ file: join(dir, 'amounts.sqlite') });
  const memory = createMemoryStore();
  for (const store of [embedded, memory] as Store[]) await seedDemo(store, { events: 3_000, now: NOW, tokens: TOKENS, days: 4 });
  const orgId = DEMO_ORG.orgId;
  // The same events in the same order: the embedded file numbers them in the organization's
  // block of ids, the memory store from 1, so an id of one is the other's plus the offset.
  const last = await memory.lastEventId(orgId);
  const offset = (await embedded.lastEventId(orgId)) - last;
  assert.equal(offset % ID_BLOCK, 0);
  const amounts: Omit<StoreFilter, 'maxId'>[] = [
    { resourceType: 'tokens', amountMin: 1_000, amountMax: 5_000 },
    { resourceType: 'tokens', amountMin: 1_234, amountMax: 5_678 },
    { resourceType: 'tokens', amountMin: 333 },
    { resourceType: 'tokens', amountMax: 777 },
    { resourceType: 'tokens', amountMin: 1_201, amountMax: 1_299 },
    { resourceType: 'tokens', amountMin: 10.5, amountMax: 99.5 },
    { resourceType: 'ocr', amountMin: 5 },
    { resourceType: 'storage', amountMin: 0, amountMax: 10 ** 12 },
    { resourceType: 'tokens', amountMin: 50, amountMax: 40 },
  ];
  const ranges = [
    { from: NOW - 3 * DAY, to: NOW },
    { from: Math.floor(NOW / DAY) * DAY - 2 * DAY, to: Math.floor(NOW / DAY) * DAY },
    { from: NOW - 30 * HOUR - 1_234, to: NOW - 5 * HOUR + 17 },
    { from: NOW - 40 * 60_000, to: NOW - 10 * 60_000 },
  ];
  let nonZero = 0;
  for (const maxId of [last, last - 150]) {
    for (const range of ranges) {
      for (const extra of amounts) {
        const filter = { maxId, ...range, ...extra };
        const expected = await memory.countEvents(orgId, filter, 100_001);
        if (expected > 0) nonZero++;
        assert.equal(await embedded.countEvents(orgId, { ...filter, maxId: maxId + offset }, 100_001), expected, JSON.stringify(filter));
      }
    }
  }
  assert.ok(nonZero > 40, `${nonZero} counts above 0`);
  await embedded.close();
});
