import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import pg from 'pg';
import { findPostgres, startCluster } from '../../scripts/pg-cluster.mjs';

describe('the private PostgreSQL cluster', () => {
  it('fails loudly, saying how to install PostgreSQL, when none can be found', () => {
    assert.throws(
      () => findPostgres({ debianRoot: '/nonexistent', pgBin: undefined, searchPath: false, install: false }),
      /apt-get install -y postgresql/,
    );
  });

  it('starts PostgreSQL 15 or later with C.UTF-8 and UTF8, and deletes it on stop', async () => {
    const cluster = await startCluster();
    try {
      const client = new pg.Client(cluster.url);
      await client.connect();
      const { rows } = await client.query("select current_setting('server_version_num')::int as v, current_setting('server_encoding') as e");
      await client.end();
      assert.ok(rows[0].v >= 150000);
      assert.equal(rows[0].e, 'UTF8');
    } finally {
      await cluster.stop();
    }
    assert.equal(existsSync(cluster.dir), false);
  });
});
