// The live simulator's floor: the demo's quiet hours (and a small SEED_EVENTS) would
// otherwise show no live event for minutes; `minPerMinute` keeps requests coming.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { DEMO_ORG, scaledSpec, seedDemo, startLiveTraffic } from './seed.js';

const TOKENS = { demoRead: 'l-demo-read', demoIngest: 'l-demo-ingest', otherRead: 'l-other-read', otherIngest: 'l-other-ingest' };

async function ingestedWhileRunning(options: { requestsPerWeight: number; minPerMinute?: number }): Promise<number> {
  const store = createMemoryStore();
  await seedDemo(store, { events: 400, tokens: TOKENS, days: 1 });
  const before = await store.lastEventId(DEMO_ORG.orgId);
  // The organization as seeded (its users), as `npm start` gives it to the simulator.
  const stop = startLiveTraffic(store, scaledSpec(DEMO_ORG, 400), { ...options, intervalMs: 50, onError: (error) => assert.fail(String(error)) });
  await sleep(1_000);
  stop();
  await sleep(100);
  return (await store.lastEventId(DEMO_ORG.orgId)) - before;
}

test('the live simulator ingests at least its floor when the rhythm asks for nothing, and nothing without one', async () => {
  // 1,200 a minute: about 20 requests in the second it runs (a Poisson draw per 50-ms tick).
  assert.ok((await ingestedWhileRunning({ requestsPerWeight: 0, minPerMinute: 1_200 })) > 0, 'events arrived');
  assert.equal(await ingestedWhileRunning({ requestsPerWeight: 0 }), 0);
});
