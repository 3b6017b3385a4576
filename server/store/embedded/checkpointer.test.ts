// The write-ahead log is checkpointed by a worker thread, not by the committing writer:
// after ingest, a worker's run copies the log's frames into the file; the writer's own
// automatic checkpoint is only a far backstop; close() stops the worker; a worker that
// cannot open the file reports it, and the writer takes the checkpoints back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEMO_ORG, seedDemo } from '../../seed/seed.js';
import { BACKSTOP_PAGES, Checkpointer, type CheckpointRun } from './checkpointer.js';
import { openEmbeddedStore } from './index.js';

const NOW = Date.parse('2026-03-30T10:17:23.456Z');
const TOKENS = { demoRead: 'c-demo-read', demoIngest: 'c-demo-ingest', otherRead: 'c-other-read', otherIngest: 'c-other-ingest' };
const dir = mkdtempSync(join(tmpdir(), 'usage-embedded-checkpoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves with the first run that `accept`s, or fails after `ms`. */
function waitForRun(runs: CheckpointRun[], accept: (run: CheckpointRun, index: number) => boolean, ms = 10_000): Promise<CheckpointRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const look = (): void => {
      const found = runs.find(accept);
      if (found) resolve(found);
      else if (Date.now() - started > ms) reject(new Error(`no such checkpoint in ${ms} ms: ${JSON.stringify(runs.slice(-5))}`));
      else setTimeout(look, 20);
    };
    look();
  });
}

test('a worker checkpoints what ingest wrote; the writer only keeps a backstop', async () => {
  const runs: CheckpointRun[] = [];
  const store = await openEmbeddedStore({ file: join(dir, 'worker.sqlite'), checkpointEveryMs: 20, onCheckpoint: (run) => runs.push(run) });
  try {
    assert.equal(store.db.pragma('wal_autocheckpoint', { simple: true }), BACKSTOP_PAGES);
    await seedDemo(store, { events: 3_000, now: NOW, tokens: TOKENS, days: 2 });
    const seeded = runs.length;
    // After the seed's commits, a run of the worker finds frames in the log and copies all of them.
    const run = await waitForRun(runs, (r, i) => i >= seeded && r.log > 0 && r.checkpointed === r.log);
    assert.equal(run.busy, 0);
    // The events are readable as committed, whoever copies the log.
    assert.ok((await store.lastEventId(DEMO_ORG.orgId)) > 0);
  } finally {
    await store.close();
  }
  // Stopped with the store: no run after close.
  const closedAt = runs.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(runs.length, closedAt);
});

test('the log grown by a seed is cut back to its limit when it starts over after a whole checkpoint', async () => {
  const file = join(dir, 'limit.sqlite');
  // The worker's runs far apart: the seed's log grows (up to the writer's backstop) until
  // the checkpoint below, instead of being cut back between the seed's batches.
  const store = await openEmbeddedStore({ file, checkpointEveryMs: 600_000, walLimitMb: 1 });
  try {
    await seedDemo(store, { events: 6_000, now: NOW, tokens: TOKENS, days: 3 });
    const grown = statSync(`${file}-wal`).size;
    assert.ok(grown > 2 * 1024 * 1024, `the seed's log: ${grown} bytes`);
    const [whole] = store.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    assert.equal(whole!.checkpointed, whole!.log, 'every frame copied');
    // The next commit starts the log over, and cuts it to the limit.
    await store.putOrganization({ id: 'org_limit', name: 'Limit' });
    assert.ok(statSync(`${file}-wal`).size <= 1024 * 1024, `after: ${statSync(`${file}-wal`).size} bytes`);
  } finally {
    await store.close();
  }
});

test('a store in memory has no worker and keeps the default checkpoint', async () => {
  const store = await openEmbeddedStore({ file: ':memory:' });
  try {
    assert.notEqual(store.db.pragma('wal_autocheckpoint', { simple: true }), BACKSTOP_PAGES);
  } finally {
    await store.close();
  }
});

test('without the worker the writer checkpoints itself', async () => {
  const store = await openEmbeddedStore({ file: join(dir, 'writer.sqlite'), checkpointInWorker: false });
  try {
    assert.equal(store.db.pragma('wal_autocheckpoint', { simple: true }), 10_000);
  } finally {
    await store.close();
  }
});

test('a worker that cannot open the file says so', async () => {
  // The worker never holds a process up: a timer keeps this one alive until it answers.
  const alive = setTimeout(() => {}, 10_000);
  let checkpointer: Checkpointer | undefined;
  const failure = await new Promise<Error>((resolve) => {
    checkpointer = new Checkpointer({ file: join(dir, 'no-such-folder', 'x.sqlite'), onFailure: resolve });
  });
  clearTimeout(alive);
  // Stopping a failed worker returns at once.
  await checkpointer!.stop();
  assert.match(failure.message, /directory does not exist|unable to open/i);
});
