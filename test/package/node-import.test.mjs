// A server render (Next.js, Astro, Nuxt, Angular SSR) imports the page's modules in Node,
// with no DOM: every browser entry of the package must import there without throwing, and
// the bundle (which inlines lit's browser build) resolves under Node to the ESM modules,
// which take lit's node build and register every tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definedTags } from '../../rollup.config.mjs';
import { ensureBuilt, root } from './built.mjs';

ensureBuilt();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const browserEntries = Object.keys(pkg.exports).filter((key) => !key.startsWith('./server') && !key.endsWith('.json'));

/** Imports `specifier` in a fresh node process (the package's own name resolves through its exports) and runs `then`. */
function importInNode(specifier, then = '') {
  const script = `const m = await import(${JSON.stringify(specifier)});\n${then}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
}

for (const entry of browserEntries) {
  const specifier = entry === '.' ? pkg.name : `${pkg.name}/${entry.slice(2)}`;
  test(`${specifier} imports in Node, with no DOM`, () => {
    const result = importInNode(specifier);
    assert.equal(result.status, 0, result.stderr);
  });
}

test('the bundle under Node registers every tag and exports what the browser bundle does', () => {
  assert.ok(browserEntries.includes('./bundle'));
  const tags = definedTags();
  const result = importInNode(
    `${pkg.name}/bundle`,
    `console.log(JSON.stringify({ tags: ${JSON.stringify(tags)}.filter((tag) => customElements.get(tag)), configure: typeof m.configureUsageDashboard }));`,
  );
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').at(-1)), { tags, configure: 'function' });
});
