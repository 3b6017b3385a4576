/**
 * One private PostgreSQL cluster per test run (scripts/pg-cluster.mjs), shared by the
 * test files of that run, and a fresh database per use, so tests never see each other's
 * rows. The first file starts it, owned by the test runner (the files' parent process),
 * which removes it when the run ends; the others find its address in a file named after
 * the runner. No PostgreSQL is a failure with install instructions, never a skip.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before } from 'node:test';
import pg from 'pg';
import { startCluster } from '../../scripts/pg-cluster.mjs';

const SHARED = join(tmpdir(), `usage-pg-run-${process.ppid}.json`);
const LOCK = `${SHARED}.lock`;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client(url);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The run's cluster: started here, or found where an earlier file left its address. */
async function sharedCluster(): Promise<string> {
  for (let waited = 0; waited < 120_000; waited += 200) {
    if (existsSync(SHARED)) {
      const { url } = JSON.parse(readFileSync(SHARED, 'utf8')) as { url: string };
      if (await reachable(url)) return url;
      rmSync(SHARED, { force: true });
    }
    try {
      mkdirSync(LOCK);
    } catch {
      // Another file of this run is starting it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      const cluster = await startCluster({ owner: process.ppid, cleanup: [SHARED] });
      writeFileSync(SHARED, JSON.stringify({ url: cluster.url, dir: cluster.dir }));
      return cluster.url;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  throw new Error('Gave up waiting for the test run\'s PostgreSQL cluster.');
}

let clusterUrl: string | undefined;
let counter = 0;

/** Registers the hook that finds or starts the run's cluster and returns a database maker. */
export function usePostgres(): { newDatabase: () => Promise<string>; url: () => string } {
  before(async () => {
    clusterUrl = await sharedCluster();
  });
  return {
    url: () => {
      if (!clusterUrl) throw new Error('The PostgreSQL cluster is not running.');
      return clusterUrl;
    },
    async newDatabase() {
      if (!clusterUrl) throw new Error('The PostgreSQL cluster is not running.');
      const name = `usage_test_${process.pid}_${++counter}`;
      const admin = new pg.Client(clusterUrl);
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      return clusterUrl.replace(/\/postgres$/, `/${name}`);
    },
  };
}
