// `rateLimit`: a token bucket per token, `perSecond` requests a second with bursts up to
// `burst`; past it a 429 `rate_limited` with `Retry-After` in whole seconds; each token
// its own bucket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '../domain/sha256.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createHandler } from './handler.js';

test('rateLimit: a burst, then one request per 1/perSecond; a 429 with Retry-After past it; each token its own bucket', async () => {
  const store = createMemoryStore();
  await store.putOrganization({ id: 'org', name: 'org' });
  for (const token of ['rate-token-a-0123', 'rate-token-b-0123']) await store.putToken(sha256Hex(token), { orgId: 'org', scopes: ['read'] });
  let clock = Date.parse('2026-12-08T12:00:00.000Z');
  const handler = createHandler({ store, basePath: '/api', now: () => clock, rateLimit: { perSecond: 0.5, burst: 3 } });
  const read = (token = 'rate-token-a-0123') => handler(new Request('http://localhost/api/endpoints', { headers: { authorization: `Bearer ${token}` } }));
  for (let i = 0; i < 3; i++) assert.equal((await read()).status, 200, `request ${i + 1} of the burst`);
  const refused = await read();
  assert.equal(refused.status, 429);
  // One request every 2 s: the next is 2 s away.
  assert.equal(refused.headers.get('retry-after'), '2');
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'rate_limited');
  assert.equal((await read('rate-token-b-0123')).status, 200, 'another token has a bucket of its own');
  clock += 1_000;
  const still = await read();
  assert.equal(still.status, 429, 'half a request gained');
  assert.equal(still.headers.get('retry-after'), '1');
  clock += 1_000;
  assert.equal((await read()).status, 200, 'a whole request gained');
  assert.equal((await read()).status, 429);
  // Rested, the bucket holds no more than the burst.
  clock += 60_000;
  for (let i = 0; i < 3; i++) assert.equal((await read()).status, 200);
  assert.equal((await read()).status, 429);
});
