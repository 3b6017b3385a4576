// The live streams open on an organization share its feed: one read of the store per
// flush for the streams at the same cursor, one message per filter, and each stream still
// gets exactly the events its filter matches, once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseReader } from '../../test/contract/helpers.js';
import { sha256Hex } from '../domain/sha256.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { Store } from '../store/types.js';
import { createHandler } from './handler.js';

const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const READ = 'feed-read';
const INGEST = 'feed-ingest';

/** An organization of two users, its tokens, and a count of the store's `eventsAfter` reads. */
async function setUp(): Promise<{ store: Store; reads: () => number }> {
  const memory = createMemoryStore();
  await memory.putOrganization({ id: 'org_feed', name: 'Feed' });
  await memory.setOrganizationLimits('org_feed', {
    effectiveFrom: NOW - 86_400_000,
    weeklyTokenLimit: 1e12,
    storageLimit: 1e15,
    surplusCapacity: { tokens: 1e9, storage: 1e12, ocr: 1e6 },
  });
  await memory.putUsers('org_feed', [{ id: 'a' }, { id: 'b' }]);
  for (const userId of ['a', 'b']) {
    await memory.setUserLimits('org_feed', userId, (['tokens', 'storage', 'ocr'] as const).map((resourceType) => ({ resourceType, effectiveFrom: NOW - 86_400_000, basePer4h: 1e9, surplusPer4h: 1e9 })));
  }
  await memory.putToken(sha256Hex(READ), { orgId: 'org_feed', scopes: ['read'] });
  await memory.putToken(sha256Hex(INGEST), { orgId: 'org_feed', scopes: ['read', 'ingest'] });
  let reads = 0;
  const store = new Proxy(memory, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'eventsAfter') return (...args: Parameters<Store['eventsAfter']>) => (reads++, target.eventsAfter(...args));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, reads: () => reads };
}

test('streams at the same cursor share one read per flush and one message per filter; each gets what its filter matches', async () => {
  const { store, reads } = await setUp();
  const handler = createHandler({ store, now: () => NOW, basePath: '/api', streamFlushMs: 20 });
  const open = async (query = ''): Promise<SseReader> => {
    const response = await handler(new Request(`http://x/api/events/stream${query}`, { headers: { authorization: `Bearer ${READ}` } }));
    assert.equal(response.status, 200);
    return new SseReader(response.body!);
  };
  const unfiltered = await Promise.all(Array.from({ length: 20 }, () => open()));
  const onlyB = await Promise.all([open('?userId=b'), open('?userId=b')]);
  const output = await open('?ioType=output');
  const all = [...unfiltered, ...onlyB, output];
  try {
    await Promise.all(all.map((reader) => reader.until((messages) => messages.length >= 1)));
    // Let the feed's first flush (nothing new yet) pass.
    await new Promise((resolve) => setTimeout(resolve, 60));
    const before = reads();
    const event = (userId: string, ioType: string, n: number) => ({ userId, amount: n, resourceType: 'tokens', ioType, requestId: `r${n}`, endpoint: '/e' });
    const posted = await handler(
      new Request('http://x/api/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [event('a', 'input', 1), event('b', 'output', 2), event('b', 'input', 3)] }),
      }),
    );
    const ids = ((await posted.json()) as { items: { id: string }[] }).items.map((item) => item.id);
    await Promise.all(unfiltered.map((reader) => reader.until(() => reader.events().length >= 3)));
    await Promise.all(onlyB.map((reader) => reader.until(() => reader.events().length >= 2)));
    await output.until(() => output.events().length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    // One read for the 23 streams (each read for itself before).
    assert.equal(reads() - before, 1);
    for (const reader of unfiltered) assert.deepEqual(reader.events().map((e) => e.id), ids);
    for (const reader of onlyB) assert.deepEqual(reader.events().map((e) => e.id), ids.slice(1));
    assert.deepEqual(output.events().map((e) => e.id), [ids[1]]);
    for (const reader of all) assert.equal(reader.messages.filter((m) => m.event === 'consumption').length, 1);
  } finally {
    await Promise.all(all.map((reader) => reader.close()));
  }
});

test('a feed queues a batch to its streams a megabyte per task, so that other work runs between', async () => {
  const { store } = await setUp();
  const handler = createHandler({ store, now: () => NOW, basePath: '/api', streamFlushMs: 20 });
  const readers = await Promise.all(
    Array.from({ length: 40 }, async () => {
      const response = await handler(new Request('http://x/api/events/stream', { headers: { authorization: `Bearer ${READ}` } }));
      return new SseReader(response.body!);
    }),
  );
  // The turn of the event loop in which each stream got its message.
  let turn = 0;
  let counting = true;
  const count = (): void => {
    turn++;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  try {
    await Promise.all(readers.map((reader) => reader.until((messages) => messages.length >= 1)));
    await new Promise((resolve) => setTimeout(resolve, 60));
    // 300 events: a message of about 60 kB, 2.4 MB to the 40 streams.
    const events = Array.from({ length: 300 }, (_, i) => ({ userId: 'a', amount: i, resourceType: 'tokens', ioType: 'input', requestId: `req-${i}`, endpoint: '/v1/chat/completions' }));
    await handler(
      new Request('http://x/api/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      }),
    );
    const turns = await Promise.all(readers.map(async (reader) => (await reader.until(() => reader.events().length >= 300), turn)));
    assert.ok(Math.max(...turns) - Math.min(...turns) >= 2, `every stream got the batch within turns ${Math.min(...turns)}–${Math.max(...turns)}`);
    for (const reader of readers) assert.equal(reader.events().length, 300);
  } finally {
    counting = false;
    await Promise.all(readers.map((reader) => reader.close()));
  }
});

test('a token holds at most maxStreamsPerToken live streams open: one more is a 429 with Retry-After, until one closes; other tokens and bad parameters are answered as ever', async () => {
  const { store } = await setUp();
  const handler = createHandler({ store, now: () => NOW, basePath: '/api', maxStreamsPerToken: 3 });
  // Every answer's body is cancelled at the end, whatever its status: a stream let through
  // by a broken cap and never read kept the test's process alive.
  const answers: Response[] = [];
  const ask = async (token: string, query = '') => {
    const response = await handler(new Request(`http://x/api/events/stream${query}`, { headers: { authorization: `Bearer ${token}` } }));
    answers.push(response);
    return response;
  };
  const held = await Promise.all([ask(READ), ask(READ), ask(READ)]);
  const readers = held.map((response) => (assert.equal(response.status, 200), new SseReader(response.body!)));
  try {
    const refused = await ask(READ);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '30');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'rate_limited');
    assert.match(body.error.message, /3 live streams open/);
    assert.equal((await ask(READ, '?after=x')).status, 400, 'a bad parameter is named first');
    const other = await ask(INGEST);
    assert.equal(other.status, 200, 'another token has streams of its own');
    readers.push(new SseReader(other.body!));
    // Closing one gives its room back.
    await readers.shift()!.close();
    const again = await ask(READ);
    assert.equal(again.status, 200);
    readers.push(new SseReader(again.body!));
    assert.equal((await ask(READ)).status, 429);
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
    await Promise.all(answers.map((response) => (response.bodyUsed || response.body?.locked ? undefined : response.body?.cancel())));
  }
});

test('a feed more than 10,000 events behind (ingested between two flushes) sends each stream a reset to the newest id, not the events', async () => {
  const { store } = await setUp();
  const handler = createHandler({ store, now: () => NOW, basePath: '/api', streamFlushMs: 4_000 });
  const response = await handler(new Request('http://x/api/events/stream', { headers: { authorization: `Bearer ${READ}` } }));
  const reader = new SseReader(response.body!);
  try {
    await reader.until((messages) => messages.length >= 1);
    // The feed's first flush (nothing new) is done at once; the next comes 4 s after it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const post = (events: object[]) =>
      handler(new Request('http://x/api/events', { method: 'POST', headers: { authorization: `Bearer ${INGEST}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }) }));
    const event = (n: number) => ({ userId: n % 2 ? 'a' : 'b', amount: 1, resourceType: 'tokens', ioType: 'input', requestId: `backlog-${n}`, endpoint: '/e' });
    const started = Date.now();
    const accepted = async (answer: Promise<Response>) => {
      const { items } = (await (await answer).json()) as { items: { id?: string }[] };
      return items.filter((item) => item.id !== undefined).length;
    };
    assert.equal(await accepted(post(Array.from({ length: 10_000 }, (_, i) => event(i)))), 10_000);
    assert.equal(await accepted(post([event(10_000)])), 1);
    const newest = await store.lastEventId('org_feed');
    assert.ok(Date.now() - started < 4_000, 'both posts within one flush interval');
    await reader.until((messages) => messages.some((m) => m.event === 'reset'), 10_000);
    const reset = reader.messages.find((m) => m.event === 'reset')!;
    assert.deepEqual(JSON.parse(reset.data), { lastEventId: String(newest) });
    assert.equal(reader.events().length, 0, 'no event sent: the stream catches up by asking again');
  } finally {
    await reader.close();
  }
});
