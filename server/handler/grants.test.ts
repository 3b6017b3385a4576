// A token's grant is the store's, taken again after GRANT_TTL_MS: a host that revokes a
// token or narrows its scopes in the store sees it counted without restarting the server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '../domain/sha256.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createHandler, GRANT_TTL_MS } from './handler.js';

test('a token narrowed or revoked in the store counts after at most GRANT_TTL_MS', async () => {
  const store = createMemoryStore();
  await store.putOrganization({ id: 'org', name: 'org' });
  const token = 'grants-test-token';
  await store.putToken(sha256Hex(token), { orgId: 'org', scopes: ['read', 'ingest'] });
  let clock = Date.parse('2026-12-08T12:00:00.000Z');
  const handler = createHandler({ store, basePath: '/api', now: () => clock });
  const post = () =>
    handler(new Request('http://localhost/api/events', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' }));
  const read = () => handler(new Request('http://localhost/api/limits', { headers: { authorization: `Bearer ${token}` } }));
  // Allowed to ingest: an empty body is refused for what it holds, not for the scope.
  assert.equal((await post()).status, 400);
  await store.putToken(sha256Hex(token), { orgId: 'org', scopes: ['read'] });
  clock += GRANT_TTL_MS - 1;
  assert.equal((await post()).status, 400, 'within the time the grant is kept');
  clock += 2;
  assert.equal((await post()).status, 403, 'the narrowed scope counts');
  assert.equal((await read()).status, 200);
  // Revoked: the memory store has no delete, so the token is taken from a store that no longer knows it.
  const findToken = store.findToken.bind(store);
  store.findToken = async () => null;
  clock += GRANT_TTL_MS + 1;
  assert.equal((await read()).status, 401, 'the revoked token is refused');
  store.findToken = findToken;
});
