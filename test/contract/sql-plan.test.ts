import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EVENT_FILTER_COLUMNS,
  ROLLUP_HOUR,
  ROLLUP_HOUR_ENDPOINT,
  ROLLUP_HOUR_USER,
  filterConditions,
  keyName,
  orderColumns,
  rangeOf,
  rollupFor,
  type SqlDialect,
} from '../../server/store/shared/sql-plan.js';

/** Numbered placeholders, values kept, lists as IN. */
function dialect(): SqlDialect & { values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `?${values.length}`;
  };
  return { values, param, instant: param, inList: (column, list) => `${column} IN (${list.map(param).join(', ')})` };
}

test('rollupFor: the hourly rollup holding every column, none for amount, request or user with endpoint', () => {
  assert.equal(rollupFor({ maxId: 1 }, 'ioType'), ROLLUP_HOUR);
  assert.equal(rollupFor({ maxId: 1, poolCategories: ['surplus'] }, null), ROLLUP_HOUR);
  assert.equal(rollupFor({ maxId: 1, userIds: ['u'] }, 'ioType'), ROLLUP_HOUR_USER);
  assert.equal(rollupFor({ maxId: 1 }, 'userId'), ROLLUP_HOUR_USER);
  assert.equal(rollupFor({ maxId: 1, endpoints: ['/e'] }, 'poolCategory'), ROLLUP_HOUR_ENDPOINT);
  assert.equal(rollupFor({ maxId: 1, userIds: ['u'] }, 'endpoint'), null);
  assert.equal(rollupFor({ maxId: 1, resourceType: 'tokens', amountMin: 1 }, null), null);
  assert.equal(rollupFor({ maxId: 1, requestId: 'r' }, null), null);
});

test('rangeOf: the filter cut to the edges; open ends take the edges', () => {
  assert.deepEqual(rangeOf({ maxId: 1, from: 5, to: 50 }, [0, 10, 20]), [5, 20]);
  assert.deepEqual(rangeOf({ maxId: 1 }, [0, 10, 20]), [0, 20]);
  assert.deepEqual(rangeOf({ maxId: 1, from: 5 }, null), [5, null]);
});

test('filterConditions: every field bound, never spliced; a table without the column refuses', () => {
  const sql = dialect();
  const where = filterConditions('org = ?0', {
    maxId: 9,
    from: 1,
    to: 2,
    resourceType: 'storage',
    userIds: ["o'brien"],
    endpoints: ['/a', '/b'],
    poolCategories: ['surplus'],
    ioTypes: ['output'],
    amountMin: 3,
    amountMax: 4,
    requestId: 'r1',
  }, sql, { time: 'created', maxId: true, columns: EVENT_FILTER_COLUMNS });
  assert.equal(
    where,
    'org = ?0 AND id <= ?1 AND created >= ?2 AND created < ?3 AND resource_type = ?4 AND user_id IN (?5) AND endpoint IN (?6, ?7) ' +
      'AND pool_category IN (?8) AND io_type IN (?9) AND amount >= ?10 AND amount <= ?11 AND request_id = ?12',
  );
  assert.deepEqual(sql.values, [9, 1, 2, 1, "o'brien", '/a', '/b', 2, 1, 3, 4, 'r1']);
  assert.throws(() => filterConditions('org = 1', { userIds: ['u'] }, dialect(), { columns: ROLLUP_HOUR.columns }), /user_id/);
  assert.equal(filterConditions('org = 1', { maxId: 3, from: 1 }, dialect(), { columns: ROLLUP_HOUR.columns }), 'org = 1');
});

test('orderColumns and keyName', () => {
  assert.deepEqual(orderColumns('created'), ['created', 'id']);
  assert.deepEqual(orderColumns('requestId'), ['request_id', 'created', 'id']);
  assert.equal(keyName('ioType', 1), 'output');
  assert.equal(keyName('poolCategory', '2'), 'surplus');
  assert.equal(keyName('userId', 'u1'), 'u1');
  assert.equal(keyName(null, 'x'), null);
});
