// The ingest's arrays go to PostgreSQL as literals built by `arrayLiteral`: every text a
// user id, request ID or endpoint may hold comes back from the server unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { arrayLiteral } from '../../server/store/postgres/sql.js';
import { usePostgres } from './cluster.js';

const postgres = usePostgres();

describe('arrayLiteral', () => {
  let client: pg.Client;
  before(async () => {
    client = new pg.Client(postgres.url());
    await client.connect();
  });
  after(() => client.end());

  const roundTrip = async (literal: string, cast: string) =>
    (await client.query<{ v: unknown }>(`select unnest($1::${cast}) as v`, [literal])).rows.map((row) => row.v);

  it('quotes and escapes text so that PostgreSQL reads it back as it was', async () => {
    const texts = [
      'plain',
      '',
      ' spaced out ',
      'NULL',
      'null',
      'a,b',
      '{braces}',
      'quote " inside',
      'back\\slash',
      '\\"both\\"',
      'tab\tnew\nline',
      'ünïcödé 😀 中文',
      '/v1/chat?x=1&y={2}',
    ];
    assert.deepEqual(await roundTrip(arrayLiteral(texts, true), 'text[]'), texts);
    assert.deepEqual(await roundTrip(arrayLiteral([], true), 'text[]'), []);
  });

  it('writes numbers and ISO instants as they are', async () => {
    assert.deepEqual(await roundTrip(arrayLiteral([0, -1, 9_007_199_254_740_991]), 'int8[]'), ['0', '-1', '9007199254740991']);
    const instants = ['2024-06-03T10:00:00.000Z', '1970-01-01T00:00:00.001Z'];
    const read = (await roundTrip(arrayLiteral(instants), 'timestamptz[]')) as Date[];
    assert.deepEqual(
      read.map((d) => new Date(d).toISOString()),
      instants,
    );
    assert.deepEqual(await roundTrip(arrayLiteral([]), 'int8[]'), []);
  });
});
