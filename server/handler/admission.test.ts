// Expensive reads (a page past the first 1,000 rows, a chart of more than 1,500 buckets)
// take turns, two at a time by default, in arrival order, each from a task of its own;
// light requests are answered while they wait or run; every answer is the one given alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatInstant } from '../../src/api/contract.js';
import { seedDemo } from '../seed/seed.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { Store } from '../store/types.js';
import { Admission } from './admission.js';
import { createHandler, type Handler } from './handler.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const TOKENS = { demoRead: 'a-demo-read', demoIngest: 'a-demo-ingest', otherRead: 'a-other-read', otherIngest: 'a-other-ingest' };
const range = `from=${formatInstant(NOW - 13 * DAY)}&to=${formatInstant(NOW)}`;

const get = async (handler: Handler, path: string): Promise<{ status: number; text: string }> => {
  const response = await handler(new Request(`http://localhost/api${path}`, { headers: { authorization: `Bearer ${TOKENS.demoRead}` } }));
  return { status: response.status, text: await response.text() };
};

/** Lets tasks run until `done()` holds (at most 200 turns of the event loop). */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 200 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The store, with the reads only expensive requests make (a deep page, sums over more
 * than 1,500 buckets) held until let go, in the order they were made.
 */
function holding(store: Store): { store: Store; held: { what: string; go: () => void }[]; most: () => number } {
  const held: { what: string; go: () => void }[] = [];
  let reading = 0;
  let most = 0;
  const hold = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
    most = Math.max(most, ++reading);
    await new Promise<void>((go) => held.push({ what, go }));
    try {
      return await read();
    } finally {
      reading--;
    }
  };
  const slow: Partial<Store> = {
    queryEvents: (orgId, filter, page) =>
      page.offset > 1_000 ? hold(`page ${page.sort}`, () => store.queryEvents(orgId, filter, page)) : store.queryEvents(orgId, filter, page),
    surplusBuckets: (orgId, type, edges, maxId) =>
      edges.length > 1_501 ? hold(`surplus ${type}`, () => store.surplusBuckets(orgId, type, edges, maxId)) : store.surplusBuckets(orgId, type, edges, maxId),
  };
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property in slow) return slow[property as keyof Store];
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, held, most: () => most };
}

test('expensive reads take turns, two at a time in arrival order, while light requests are answered', async () => {
  const store = createMemoryStore();
  await seedDemo(store, { events: 3_000, now: NOW, tokens: TOKENS, days: 14 });
  const { store: slow, held, most } = holding(store);
  const handler = createHandler({ store: slow, now: () => NOW, basePath: '/api' });
  const paths = [
    `/surplus?bucket=minute&${range}&resourceType=tokens`,
    `/events?sort=userId&page=60&pageSize=25&${range}`,
    `/surplus?bucket=minute&${range}&resourceType=storage`,
    `/events?sort=amount&page=60&pageSize=25&${range}`,
    `/surplus?bucket=minute&${range}&resourceType=ocr`,
    `/events?sort=endpoint&page=60&pageSize=25&${range}`,
  ];
  const answers = paths.map((path) => get(handler, path));
  await until(() => held.length >= 2);
  await until(() => false);
  assert.deepEqual(
    held.map((h) => h.what),
    ['surplus tokens', 'page userId'],
    'two expensive reads run, the others wait',
  );
  // Light requests meanwhile: the limits, a first page, a chart of the last day by minute.
  for (const path of ['/limits', `/events?from=${formatInstant(NOW - DAY)}&to=${formatInstant(NOW)}`, `/surplus?from=${formatInstant(NOW - DAY)}&to=${formatInstant(NOW)}`]) {
    assert.equal((await get(handler, path)).status, 200, path);
  }
  // Each read let go admits the next in line.
  const order: string[] = [];
  while (order.length < paths.length) {
    await until(() => held.length > 0);
    const next = held.shift()!;
    order.push(next.what);
    next.go();
  }
  assert.deepEqual(order, ['surplus tokens', 'page userId', 'surplus storage', 'page amount', 'surplus ocr', 'page endpoint']);
  assert.equal(most(), 2);
  // Every answer is the one the same request gets alone.
  const alone = createHandler({ store, now: () => NOW, basePath: '/api' });
  for (const [i, answer] of (await Promise.all(answers)).entries()) {
    assert.equal(answer.status, 200, paths[i]);
    assert.equal(answer.text, (await get(alone, paths[i]!)).text, paths[i]);
  }
});

test('expensiveReads sets how many run at once; an admitted read starts in a later task', async () => {
  const store = createMemoryStore();
  await seedDemo(store, { events: 1_000, now: NOW, tokens: TOKENS, days: 14 });
  const { store: slow, held, most } = holding(store);
  const handler = createHandler({ store: slow, now: () => NOW, basePath: '/api', expensiveReads: 1 });
  const answers = ['tokens', 'storage', 'ocr'].map((type) => get(handler, `/surplus?bucket=minute&${range}&resourceType=${type}`));
  for (const type of ['tokens', 'storage', 'ocr']) {
    await until(() => held.length > 0);
    await until(() => false);
    assert.deepEqual(
      held.map((h) => h.what),
      [`surplus ${type}`],
    );
    held.shift()!.go();
  }
  assert.ok((await Promise.all(answers)).every((answer) => answer.status === 200));
  assert.equal(most(), 1);

  const admission = new Admission(1);
  let started = false;
  const run = admission.run(async () => (started = true));
  await Promise.resolve();
  assert.equal(started, false, 'started in the task that admitted it');
  await run;
  assert.equal(started, true);
  assert.throws(() => new Admission(0), RangeError);
});

test('a queued expensive read whose client went away while it waited is dropped, not run', async () => {
  const store = createMemoryStore();
  await seedDemo(store, { events: 1_000, now: NOW, tokens: TOKENS, days: 14 });
  const { store: slow, held } = holding(store);
  const faults: unknown[] = [];
  const handler = createHandler({ store: slow, now: () => NOW, basePath: '/api', expensiveReads: 1, onError: (error) => faults.push(error) });
  const path = (type: string) => `http://localhost/api/surplus?bucket=minute&${range}&resourceType=${type}`;
  const headers = { authorization: `Bearer ${TOKENS.demoRead}` };
  const first = handler(new Request(path('tokens'), { headers }));
  const gone = new AbortController();
  const second = handler(new Request(path('storage'), { headers, signal: gone.signal }));
  const third = handler(new Request(path('ocr'), { headers }));
  await until(() => held.length > 0);
  gone.abort();
  held.shift()!.go();
  // The third read is admitted next: the second's turn passed on without reading.
  await until(() => held.length > 0);
  assert.deepEqual(
    held.map((h) => h.what),
    ['surplus ocr'],
  );
  held.shift()!.go();
  assert.equal((await first).status, 200);
  assert.equal((await third).status, 200);
  assert.equal((await second).status, 499, 'an answer nobody reads, not a fault');
  assert.deepEqual(faults, []);
});

test('a real fault is reported even when its client has gone meanwhile', async () => {
  const store = createMemoryStore();
  await seedDemo(store, { events: 200, now: NOW, tokens: TOKENS, days: 14 });
  const gone = new AbortController();
  const broken = new Proxy(store, {
    get(target, property) {
      if (property === 'surplusBuckets') {
        return async () => {
          gone.abort();
          throw new Error('disk on fire');
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const faults: unknown[] = [];
  const handler = createHandler({ store: broken, now: () => NOW, basePath: '/api', onError: (error) => faults.push(error) });
  const response = await handler(
    new Request(`http://localhost/api/surplus?bucket=minute&${range}`, { headers: { authorization: `Bearer ${TOKENS.demoRead}` }, signal: gone.signal }),
  );
  assert.equal(response.status, 500);
  assert.equal((faults[0] as Error).message, 'disk on fire');
});
