import { createHandler } from '../server/handler/handler.ts';
import { DEMO_ORG } from '../server/seed/seed.ts';
import { DEMO_TOKEN } from '../server/seed/demo.ts';
import { openEmbeddedStore } from '../server/store/embedded/index.ts';
const store = await openEmbeddedStore({ file: 'data/bench/embedded-10000000.sqlite' });
const lastId = await store.lastEventId(DEMO_ORG.orgId);
const [newest] = await store.eventsAfter(DEMO_ORG.orgId, lastId - 1, 1);
const now = Date.parse(newest.created) + 60_000;
const handler = createHandler({ store, now: () => now, basePath: '/api' });
const iso = (ms) => new Date(ms).toISOString();
const days = Number(process.argv[2] ?? 7);
const type = process.argv[3] ?? 'tokens';
const extra = process.argv[4] ?? '';
for (const type of (process.env.TYPES ?? 'tokens').split(',')) {
const url = `http://b/api/surplus?from=${iso(now - days * 86400000)}&to=${iso(now)}&resourceType=${type}${extra}`;
const times = [];
for (let i = 0; i < Number(process.env.N ?? 12); i++) {
  const s = performance.now();
  const r = await handler(new Request(url, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } }));
  const t = await r.text();
  times.push((performance.now() - s).toFixed(1));
  if (i === 0) console.log(r.status, t.slice(0, 200), t.length);
}
console.log(type, times.join(' '));
}
await store.close();
