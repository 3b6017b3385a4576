import { startProxy, launch, snap, HTML, log, sleep } from './resil-lib.mjs';
const s = await startProxy(8091, () => HTML());
const { b, p, consoleLog } = await launch(8091);
await sleep(5000);
console.log(JSON.stringify(await snap(p), null, 1));
console.log(log.map((e) => `${e.status} ${e.url.slice(0, 200)}`).join('\n'));
console.log(consoleLog);
await p.screenshot({ path: '/tmp/resil/base.png', fullPage: true });
await b.close(); s.close();
