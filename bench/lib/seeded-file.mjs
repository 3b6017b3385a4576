// The 1,000,000-event embedded file the server-side benches copy: seeded on first use (as
// `npm run bench` runs them on a fresh clone) by the server benchmark's own seeding; a file
// a bench is given with --file must be seeded already.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

/** The file holds a seeded store (an interrupted copy or seed does not). */
export function seeded(path) {
  if (!existsSync(path)) return false;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'").pluck().get() === 1;
  } finally {
    db.close();
  }
}

/** Seeds `source` unless it is; `named`: the person named it (--file), so it must exist. */
export function ensureSeeded(source, named, log) {
  if (seeded(source)) return;
  if (named) throw new Error(`${source} holds no seeded store: seed it with node --import tsx bench/server.bench.mjs --events=<n> --seed-only`);
  log(`seeding ${source} (1,000,000 events, once; a few minutes)…`);
  const seed = spawnSync(process.execPath, ['--import', 'tsx', 'bench/server.bench.mjs', '--events=1000000', '--store=embedded', '--seed-only'], { stdio: 'inherit' });
  if (seed.status !== 0 || !seeded(source)) throw new Error(`seeding ${source} failed (exit ${seed.status ?? seed.signal})`);
}
