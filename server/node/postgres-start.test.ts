/**
 * `DATABASE_URL=postgres://…`: the start seeds a real (private, throwaway) PostgreSQL
 * cluster, serves the API from it, and a second start finds the data and does not reseed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCluster, type Cluster } from '../../scripts/pg-cluster.mjs';
import { readConfig } from './config.js';
import { serve } from './serve.js';

describe('npm start on PostgreSQL', () => {
  let cluster: Cluster;
  let dataDir: string;

  before(async () => {
    cluster = await startCluster({ quiet: true });
    dataDir = mkdtempSync(join(tmpdir(), 'ud-pg-start-'));
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('seeds once, serves, and a restart keeps the data', async () => {
    const config = { ...readConfig({ DATABASE_URL: cluster.url, SEED_EVENTS: '2000', PORT: '0', HOST: '127.0.0.1' }, dataDir), dataDir };
    const lines: string[] = [];
    const options = { demoDir: dataDir, distDir: dataDir, log: (line: string) => lines.push(line) };

    const first = await serve(config, options);
    let lastEventId: string;
    try {
      assert.equal(first.opened.kind, 'postgres');
      assert.ok(!first.opened.location.includes(new URL(cluster.url).password || '\0'), 'no password in the location');
      assert.ok(lines.some((line) => line.startsWith('seeded ')), lines.join('\n'));
      const res = await fetch(`${first.url}api/events?pageSize=5`, { headers: { authorization: `Bearer ${first.tokens.demoRead}` } });
      assert.equal(res.status, 200);
      const page = (await res.json()) as { items: unknown[]; lastEventId: string };
      assert.equal(page.items.length, 5);
      lastEventId = page.lastEventId;
    } finally {
      await first.close();
    }

    lines.length = 0;
    const second = await serve(config, options);
    try {
      assert.ok(!lines.some((line) => line.startsWith('seeding')), lines.join('\n'));
      assert.equal(second.tokens.demoRead, first.tokens.demoRead);
      const res = await fetch(`${second.url}api/limits`, { headers: { authorization: `Bearer ${second.tokens.demoRead}` } });
      assert.equal(res.status, 200);
      assert.ok(Number(((await res.json()) as { lastEventId: string }).lastEventId) >= Number(lastEventId));
    } finally {
      await second.close();
    }
  });
});
