import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json, jsonInPieces, jsonItems } from './http.js';

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

test('jsonInPieces answers the bytes and headers json answers, a thousand items a task', async () => {
  const point = (i: number) => ({ t: new Date(i * 60_000).toISOString(), amount: i, byGroup: { 'u "x"': i, '\\': 0 }, other: 0.5 });
  for (const length of [0, 1, 999, 1_000, 1_001, 2_500]) {
    // Strings before and after the array that spell its key, quotes and all.
    const body = { from: '"points":[]', groups: ['"points":[', 'points'], points: Array.from({ length }, (_, i) => point(i)), total: length, asOf: 'x]' };
    let tasks = 0;
    let counting = true;
    const count = (): void => {
      tasks++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const actual = await jsonInPieces(200, body, 'points');
    counting = false;
    const expected = json(200, body);
    assert.equal(actual.status, expected.status);
    assert.deepEqual([...actual.headers], [...expected.headers]);
    assert.deepEqual(new Uint8Array(await actual.arrayBuffer()), new Uint8Array(await expected.arrayBuffer()), `${length} items`);
    // Other tasks ran between the pieces.
    assert.equal(tasks, Math.max(0, Math.ceil(length / 1_000) - 1), `${length} items: tasks between the pieces`);
  }
});
