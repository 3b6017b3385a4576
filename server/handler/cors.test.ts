import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '../domain/sha256.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createHandler } from './handler.js';

const ALLOWED = 'https://admin.example.com';
const TOKEN = 'cors-test-read-token';

async function setUp(corsOrigins?: string[]) {
  const store = createMemoryStore();
  await store.putOrganization({ id: 'org', name: 'org' });
  await store.putToken(sha256Hex(TOKEN), { orgId: 'org', scopes: ['read'] });
  return createHandler({ store, basePath: '/api', ...(corsOrigins ? { corsOrigins } : {}) });
}

const request = (method: string, origin: string | null, token: string | null = TOKEN) =>
  new Request('http://localhost/api/limits', {
    method,
    headers: { ...(origin ? { origin } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

test('with CORS origins set, every answer varies by Origin: allowed, disallowed, none, preflight, error, HEAD', async () => {
  const handler = await setUp([ALLOWED]);
  const cases = [
    ['GET', ALLOWED, TOKEN, 200, ALLOWED],
    ['GET', 'https://evil.example', TOKEN, 200, null],
    ['GET', null, TOKEN, 200, null],
    ['GET', 'https://evil.example', null, 401, null],
    ['HEAD', 'https://evil.example', TOKEN, 200, null],
    ['OPTIONS', ALLOWED, null, 204, ALLOWED],
    ['OPTIONS', 'https://evil.example', null, 204, null],
  ] as const;
  for (const [method, origin, token, status, allowOrigin] of cases) {
    const response = await handler(request(method, origin, token));
    const label = `${method} from ${origin ?? 'no origin'}`;
    assert.equal(response.status, status, label);
    assert.equal(response.headers.get('access-control-allow-origin'), allowOrigin, label);
    // credentials: 'include' from a listed origin: the browser needs this to read the answer.
    assert.equal(response.headers.get('access-control-allow-credentials'), allowOrigin ? 'true' : null, label);
    assert.equal(response.headers.get('vary'), method === 'OPTIONS' ? 'Origin, Access-Control-Request-Headers' : 'Origin', label);
  }
});

test("a preflight from an allowed origin allows the headers it asks for (a host's own, from the headers hook); others get none", async () => {
  const handler = await setUp([ALLOWED]);
  const preflight = (origin: string) =>
    handler(new Request('http://localhost/api/limits', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,x-tenant' } }));
  const allowed = (await preflight(ALLOWED)).headers.get('access-control-allow-headers')!.toLowerCase().split(/\s*,\s*/);
  assert.ok(allowed.includes('x-tenant') && allowed.includes('authorization') && allowed.includes('idempotency-key'), allowed.join(', '));
  assert.equal((await preflight('https://evil.example')).headers.get('access-control-allow-headers'), null);
});

test('without CORS origins, answers do not depend on Origin and carry no Vary: Origin', async () => {
  const handler = await setUp();
  for (const origin of [ALLOWED, null]) {
    const response = await handler(request('GET', origin));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(response.headers.get('vary'), null);
  }
});

test("an allowed origin may read the headers a host's code needs: the CSV's name and stamps, Retry-After, a replayed ingest", async () => {
  const handler = await setUp([ALLOWED]);
  const csv = await handler(new Request('http://localhost/api/events.csv', { headers: { origin: ALLOWED, authorization: `Bearer ${TOKEN}` } }));
  assert.equal(csv.status, 200);
  const exposed = csv.headers.get('access-control-expose-headers')!.toLowerCase().split(/\s*,\s*/);
  for (const name of ['content-disposition', 'usage-as-of', 'usage-last-event-id', 'retry-after', 'idempotent-replayed']) {
    assert.ok(exposed.includes(name), `${name} in ${exposed.join(', ')}`);
  }
  for (const name of ['content-disposition', 'usage-as-of', 'usage-last-event-id']) assert.ok(csv.headers.get(name), name);
  await csv.body?.cancel();
});
