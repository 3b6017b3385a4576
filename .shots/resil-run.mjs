import { startProxy, launch, snap, HTML, log, sleep, modes, H, clickRetry, clickSegment } from './resil-lib.mjs';
const [, , only] = process.argv;
const TAG = { events: 'consumption-events-table', consumption: 'consumption-chart', surplus: 'surplus-chart' };
const big = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const SHAPES = {
  missingTotal: (j) => { delete j.total; },
  missingPoints: (j) => { delete j.points; delete j.items; },
  pointsObject: (j) => { if (j.points) j.points = { a: 1 }; if (j.items) j.items = { a: 1 }; },
  stringNums: (j) => { for (const x of j.points ?? j.items ?? []) { for (const k of ['amount', 'available', 'drawn', 'capacity']) if (k in x) x[k] = String(x[k]); } },
  nulls: (j) => { for (const k of Object.keys(j)) j[k] = null; },
  nullBody: () => 'null',
  arrayBody: () => '[]',
  nullPointItems: (j) => { if (j.points) j.points[3] = null; if (j.items) j.items[3] = null; },
  extra: (j) => { j.unknownTop = { x: 1 }; for (const x of j.points ?? j.items ?? []) { x.zzExtra = 'hello'; x.nested = [1, 2]; } },
  hugeArray: (j) => { if (j.points) { const p0 = j.points[0]; j.points = big(300000, () => p0); } if (j.items) { const i0 = j.items[0]; j.items = big(300000, (i) => ({ ...i0, id: String(9e15 - i) })); } },
};
const scenarios = [];
for (const key of ['events', 'consumption', 'surplus']) {
  for (const m of ['json500', 'html502', 'r429', 'r401', 'netErr', 'trunc']) scenarios.push({ name: `${key}-${m}`, key, h: H[m], wait: m === 'r429' ? 20000 : m === 'html502' || m === 'netErr' ? 16000 : 3000 });
  for (const [s, fn] of Object.entries(SHAPES)) scenarios.push({ name: `${key}-shape-${s}`, key, h: H.mutate(fn), wait: s === 'hugeArray' ? 15000 : 3000 });
}
const sel = scenarios.filter((s) => !only || new RegExp(only).test(s.name));
const server = await startProxy(8091, () => HTML());
for (const sc of sel) {
  for (const k of Object.keys(modes)) delete modes[k];
  log.length = 0;
  const { b, p, consoleLog } = await launch(8091);
  await sleep(2500);
  const t0 = Date.now();
  modes[sc.key] = sc.h;
  const r = await clickSegment(p, 'Storage');
  await sleep(sc.wait);
  const s1 = await snap(p);
  await p.screenshot({ path: `/tmp/resil/${sc.name}.png`, fullPage: true });
  delete modes[sc.key];
  const tag = TAG[sc.key];
  const retried = await clickRetry(p, tag);
  await sleep(3000);
  const s2 = await snap(p);
  const el = s1[tag];
  const others = Object.entries(TAG).filter(([k]) => k !== sc.key).map(([, t]) => `${t.split('-')[0]}:${s1[t].error ? 'ERR' : 'ok'}`);
  console.log(`\n=== ${sc.name} (seg ${r})`);
  console.log(' during:', JSON.stringify(el));
  console.log(' others during:', others.join(' '), '| state.resourceType', s1.state?.resourceType);
  console.log(' usage-errors:', JSON.stringify(s1.errs));
  console.log(' unhandled:', JSON.stringify(s1.unhandled));
  console.log(' retry clicked:', retried, ' after:', JSON.stringify(s2[tag]), '| state.resourceType', s2.state?.resourceType);
  console.log(' requests:', log.filter((e) => e.k === sc.key).map((e) => `${e.status}@${e.t - t0}`).join(' '));
  console.log(' console:', JSON.stringify(consoleLog));
  await b.close();
}
server.close();
