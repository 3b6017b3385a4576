/**
 * One private PostgreSQL cluster per test file (scripts/pg-cluster.mjs) and a fresh
 * database per use, so tests never see each other's rows. No PostgreSQL is a failure
 * with install instructions, never a skip.
 */
import { after, before } from 'node:test';
import pg from 'pg';
import { startCluster, type Cluster } from '../../scripts/pg-cluster.mjs';

let cluster: Cluster | undefined;
let counter = 0;

/** Registers before/after hooks for this file's cluster and returns a database maker. */
export function usePostgres(): { newDatabase: () => Promise<string>; url: () => string } {
  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await cluster?.stop();
    cluster = undefined;
  });
  return {
    url: () => {
      if (!cluster) throw new Error('The PostgreSQL cluster is not running.');
      return cluster.url;
    },
    async newDatabase() {
      if (!cluster) throw new Error('The PostgreSQL cluster is not running.');
      const name = `usage_test_${process.pid}_${++counter}`;
      const admin = new pg.Client(cluster.url);
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      return cluster.url.replace(/\/postgres$/, `/${name}`);
    },
  };
}
