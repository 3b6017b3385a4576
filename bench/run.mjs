// `npm run bench`: runs every bench/*.bench.mjs one after the other (not the server's,
// which has its own `npm run bench:server` and takes long), each under tsx so that a
// bench may import the TypeScript sources. Extra arguments go to every bench.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs') && !name.startsWith('server'))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${here}${name}`, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${name} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed ? 1 : 0);
