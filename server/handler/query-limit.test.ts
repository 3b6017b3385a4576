import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS } from '../../src/api/contract.js';
import { longestParameterName } from '../domain/params.js';
import { sha256Hex } from '../domain/sha256.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createHandler } from './handler.js';

const TOKEN = 'query-limit-read-token';

async function setUp() {
  const store = createMemoryStore();
  await store.putOrganization({ id: 'org', name: 'org' });
  await store.putToken(sha256Hex(TOKEN), { orgId: 'org', scopes: ['read'] });
  return createHandler({ store, basePath: '/api' });
}

// DESIGN.md: "a query string over 32,768 characters … is a 400 that names the parameter".
// The handler refuses a query string over three times the limit before decoding it; that
// 400 named `query`, which is no parameter of any route.
test('a query string far over the limit (past the pre-decoding guard) is a 400 naming its longest parameter', async () => {
  const handler = await setUp();
  const huge = LIMITS.maxQueryLength * 3 + 10;
  const cases: [string, string][] = [
    [`userId=${'a'.repeat(huge)}`, 'userId'],
    [`resourceType=tokens&endpoint=${'e'.repeat(huge)}&userId=b`, 'endpoint'],
    [`${'n'.repeat(huge)}=1`, `${'n'.repeat(64)}…`],
    [`user%49d=${'%41'.repeat(huge / 3)}`, 'userId'],
  ];
  for (const [query, param] of cases) {
    const response = await handler(new Request(`http://localhost/api/events?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    assert.equal(response.status, 400, query.slice(0, 40));
    const body = (await response.json()) as { error: { code: string; param?: string; message: string } };
    assert.equal(body.error.code, 'bad_parameter');
    assert.equal(body.error.param, param, query.slice(0, 40));
    assert.match(body.error.message, /32,768/);
  }
});

test('longestParameterName scans the raw text: names decoded, bad encoding kept as sent, empty pairs skipped', () => {
  assert.equal(longestParameterName('?a=1&bb=22&cccccc'), 'cccccc');
  assert.equal(longestParameterName('&&user%49d=xyz&&'), 'userId');
  assert.equal(longestParameterName('%ZZ=123456'), '%ZZ');
  assert.equal(longestParameterName('a+b=1234'), 'a b');
  assert.equal(longestParameterName(''), '');
});
