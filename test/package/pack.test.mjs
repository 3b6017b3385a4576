// What `npm pack` would publish (issue 7): the built code, its types, the manifest, the
// README, the LICENSE, the CHANGELOG and docs/ (what the README links to), every path the
// exports map names; and no tests, stories, examples, sources, data or tooling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definedTags } from '../../rollup.config.mjs';
import { ensureBuilt, root } from './built.mjs';

function packedFiles() {
  ensureBuilt();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const [pack] = JSON.parse(result.stdout);
  return { files: new Set(pack.files.map((file) => file.path)), pack };
}

const { files, pack } = packedFiles();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('the package holds the README, the LICENSE, the CHANGELOG, the manifest and package.json', () => {
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', 'custom-elements.json', 'package.json']) assert.ok(files.has(file), file);
  assert.equal(pkg.customElements, 'custom-elements.json');
});

test("every file the README links to or shows is in the package (its links resolve in node_modules and on the registry's page)", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const linked = new Set([...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)/g)].map((m) => m[1]));
  assert.ok(linked.has('docs/api.md'), 'the README links the API reference');
  for (const path of linked) assert.ok(files.has(path), `README links ${path}`);
});

test("the manifest names the package's files: each element's module and the modules that export it", () => {
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  const elements = manifest.modules.filter((m) => m.declarations?.some((d) => d.customElement));
  assert.ok(elements.length >= 4);
  for (const module of elements) assert.ok(files.has(module.path), `${module.path} (an element's module) is not in the package`);
  for (const module of manifest.modules) {
    for (const entry of module.exports ?? []) {
      if (entry.kind === 'custom-element-definition') assert.ok(files.has(entry.declaration.module), `${module.path}: ${entry.declaration.module}`);
    }
  }
});

test('every element ships its define module, its component and its declarations', () => {
  const tags = definedTags();
  assert.ok(tags.length >= 4, `only ${tags.join(', ')}`);
  for (const tag of tags) {
    for (const file of [`dist/${tag}/${tag}.js`, `dist/${tag}/${tag}.component.js`, `dist/types/src/${tag}/${tag}.d.ts`]) {
      assert.ok(files.has(file), file);
    }
  }
});

test('the self-contained bundle, the main entry and its types ship', () => {
  for (const file of ['dist/usage-dashboard.bundle.js', 'dist/index.js', pkg.types.replace(/^\.\//, '')]) assert.ok(files.has(file), file);
});

test('every path of the exports map is in the package', () => {
  const tags = definedTags();
  for (const [key, target] of Object.entries(pkg.exports)) {
    const tag = key.slice(2);
    if (tag.includes('-') && !tags.includes(tag)) continue; // an element not written yet
    for (const path of typeof target === 'string' ? [target] : Object.values(target)) {
      assert.ok(files.has(path.replace(/^\.\//, '')), `${key} → ${path}`);
    }
  }
});

test('no tests, stories, examples, sources, data or tooling are published', () => {
  const forbidden = [
    [/\.test\.|(^|\/)test-[^/]*$|(^|\/)test-fixtures/, 'a test or test helper'],
    [/(^|\/)(test|tests|__tests__)\//, 'a test folder'],
    [/stories|storybook/, 'a story'],
    [/^(examples|bench|scripts|data|coverage|screenshots|src|server)\//, 'a source or tooling folder'],
    [/(?<!\.d)\.ts$/, 'a TypeScript source'],
    [/\.(db|sqlite|duckdb|wal|csv)$/, 'a data file'],
    [/^\.|\/\./, 'a dot file'],
  ];
  for (const file of files) {
    for (const [pattern, what] of forbidden) assert.doesNotMatch(file, pattern, `${file} is ${what}`);
  }
});

test('the source maps carry their sources, so they do not point at unpublished files', () => {
  const maps = [...files].filter((file) => file.endsWith('.js.map'));
  assert.ok(maps.length > 0);
  for (const file of maps) {
    const map = JSON.parse(readFileSync(join(root, file), 'utf8'));
    assert.equal(map.sourcesContent?.length, map.sources.length, `${file} lacks sourcesContent`);
  }
});

test('the tarball stays a sensible size', () => {
  assert.ok(pack.size < 5 * 1024 * 1024, `${(pack.size / 1024 / 1024).toFixed(1)} MB packed`);
});

test('the server entries load a store driver only with its store: pg and better-sqlite3 are optional peers', () => {
  assert.deepEqual(pkg.peerDependenciesMeta, { 'better-sqlite3': { optional: true }, pg: { optional: true } });
  // Every module the node entries import statically (their chunks included), none of them a driver.
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    assert.ok(files.has(file.slice(root.length + 1)), `${file} ships`);
    const code = readFileSync(file, 'utf8');
    for (const [, specifier] of code.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*"([^"]+)"|^\s*import\s*"([^"]+)"/gm)) {
      if (specifier === undefined) continue;
      assert.ok(!/^(pg|better-sqlite3)$/.test(specifier), `${file.slice(root.length + 1)} imports ${specifier} statically`);
      if (specifier.startsWith('.')) visit(join(file, '..', specifier));
    }
    for (const [, side] of code.matchAll(/^\s*import\s*"(\.[^"]+)"/gm)) visit(join(file, '..', side));
  };
  for (const entry of ['dist/server/node.js', 'dist/server/main.js']) visit(join(root, entry));
  assert.ok(seen.size > 2, `followed ${seen.size} modules`);
});
