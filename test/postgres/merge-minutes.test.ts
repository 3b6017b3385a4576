// The PostgreSQL store's merge of the drawn minutes read from the rollup (in index order)
// with the few read from events (corrections and ends): no database needed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeMinutes } from '../../server/store/postgres/aggregates.js';

const rows = (...pairs: [number, number][]) => pairs.map(([minute, drawn]) => ({ minute, drawn }));

describe('mergeMinutes', () => {
  it('sums a minute found in both lists and keeps the order', () => {
    assert.deepEqual(mergeMinutes(rows([60, 5], [180, 7], [300, 1]), rows([120, 2], [180, -3])), rows([60, 5], [120, 2], [180, 4], [300, 1]));
  });

  it('drops a minute whose events after the read were all subtracted, and sums of 0 or less', () => {
    assert.deepEqual(mergeMinutes(rows([60, 5], [120, 4]), rows([60, -5], [120, -6])), []);
  });

  it('sorts a list that came out of order, and sums its repeats', () => {
    assert.deepEqual(mergeMinutes(rows([240, 1], [60, 2]), rows([240, 3], [120, 1], [120, 1])), rows([60, 2], [120, 2], [240, 4]));
  });

  it('does not change its input', () => {
    const first = rows([60, 5]);
    mergeMinutes(first, rows([60, 1]));
    assert.deepEqual(first, rows([60, 5]));
  });
});
