// docs/contract.md shows real requests and the reference handler's real answers: it must be
// what scripts/contract-docs.mjs writes today, so a change in the server shows up as a
// failing test until the examples are regenerated (npm run docs:contract).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderContractDocs } from '../../scripts/contract-docs.mjs';
import { root } from './built.mjs';

const ROUTES = [
  'GET /api/events?',
  'GET /api/events.csv?',
  'GET /api/events/stream?',
  'GET /api/consumption?',
  'GET /api/surplus?',
  'GET /api/users?',
  'GET /api/users/',
  'GET /api/endpoints?',
  'GET /api/limits',
  'POST /api/events',
];

test('docs/contract.md is what the handler answers today, for every route of the contract', async () => {
  const expected = await renderContractDocs();
  for (const route of ROUTES) assert.ok(expected.includes(route), `no example of ${route}`);
  for (const status of ['HTTP 200', 'HTTP 201', 'HTTP 400', 'HTTP 401']) assert.ok(expected.includes(status), `no ${status} answer`);
  assert.match(expected, /event: consumption\nid: \d+\ndata: \[\{/, 'the stream example carries a message');
  const written = readFileSync(join(root, 'docs/contract.md'), 'utf8');
  assert.equal(written, expected, 'docs/contract.md is out of date: run `npm run docs:contract`');
});
