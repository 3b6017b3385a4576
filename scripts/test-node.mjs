// Runs node's own test runner over the server and contract tests (TypeScript through tsx).
// Node 20 has no glob support in --test, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOTS = ['server', 'test', 'scripts'];
const PATTERN = /\.test\.(ts|mjs)$/;

function walk(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(walk(path));
    else if (PATTERN.test(name)) out.push(path);
  }
  return out;
}

const only = process.argv.slice(2);
const files = only.length ? only : ROOTS.flatMap(walk).sort();
if (files.length === 0) {
  console.error('No node tests found.');
  process.exit(1);
}
// scripts/build.test.mjs rewrites dist/, which the server, package and demo tests read: it
// runs first, on its own; the other files then run two at a time (the PostgreSQL files
// share one private cluster, test/postgres/cluster.ts, and each takes its own database).
const BUILD_TEST = join('scripts', 'build.test.mjs');
const steps = [files.filter((file) => file === BUILD_TEST), files.filter((file) => file !== BUILD_TEST)];
for (const [index, step] of steps.entries()) {
  if (step.length === 0) continue;
  const result = spawnSync(
    process.execPath,
    // A test that fails and leaves a stream or a server open must not hold the run for good:
    // node's runner has no timeout of its own and waits for every handle to close (a broken
    // stream cap hung the run). Forced exits leave no room for its coverage report.
    ['--import', 'tsx', '--test', `--test-concurrency=${index === 0 ? 1 : 2}`, '--test-timeout=300000', '--test-force-exit', ...step],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
