import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json, jsonItems } from './http.js';

test('jsonItems answers the bytes and headers json answers for { items }', async () => {
  const item = (i: number) => (i % 7 === 3 ? { error: { code: 'bad_parameter', message: `no ${i}`, param: 'amount' } } : { id: String(i), text: `é 😀 "${i}" \\ \ud800`, n: i, none: null });
  for (const length of [0, 1, 99, 100, 101, 250, 1_001]) {
    const items = Array.from({ length }, (_, i) => item(i));
    const [expected, actual] = [json(200, { items }), jsonItems(200, items)];
    assert.equal(actual.status, expected.status);
    assert.deepEqual([...actual.headers], [...expected.headers]);
    assert.deepEqual(new Uint8Array(await actual.arrayBuffer()), new Uint8Array(await expected.arrayBuffer()), `${length} items`);
  }
});
