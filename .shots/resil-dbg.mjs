import { startProxy, launch, HTML, sleep } from './resil-lib.mjs';
const s = await startProxy(8091, () => HTML());
const { b, p, consoleLog } = await launch(8091);
p.on('console', m => console.log('C', m.type(), m.text()));
p.on('requestfailed', r => console.log('F', r.url(), r.failure()?.errorText));
p.on('response', r => console.log('R', r.status(), r.url()));
await p.reload(); await sleep(3000);
console.log(consoleLog);
await b.close(); s.close();
