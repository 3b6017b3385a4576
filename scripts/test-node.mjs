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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--experimental-test-coverage', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
