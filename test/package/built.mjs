// The package tests read dist/ and custom-elements.json: build them when they are missing
// (under `npm test`, scripts/build.test.mjs has just built them).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function ensureBuilt() {
  if (existsSync(join(root, 'dist/usage-dashboard.bundle.js')) && existsSync(join(root, 'custom-elements.json'))) return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`);
}
