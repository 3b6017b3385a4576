// npm run build, checked from outside as a host would use it: the exports map points at
// real files, the manifest lists every element with its attributes and events, and the
// bundle alone, loaded in Chromium from a page with no other script, registers every tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.mjs';
import { definedTags } from '../rollup.config.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tags = definedTags();

/** A module and every module of src/ it imports, transitively (the files whose templates and styles an element uses). */
function moduleSources(entry) {
  const seen = new Set();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, path] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      const source = join(dirname(file), `${path}.ts`);
      if (existsSync(source)) pending.push(source);
    }
  }
  return [...seen];
}

test('npm run build writes dist, declarations and the manifest', { timeout: 300_000 }, async (t) => {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);

  await t.test('every export of an existing element, the main entry and the bundle points at a file', () => {
    const targets = Object.entries(pkg.exports).filter(([key]) => {
      const tag = key.slice(2);
      return !tag.includes('-') || tags.includes(tag) || key === './bundle';
    });
    for (const [key, target] of targets) {
      const paths = typeof target === 'string' ? [target] : Object.values(target);
      for (const path of paths) {
        if (key === './server' && !existsSync(join(root, 'server/index.ts'))) continue;
        assert.ok(existsSync(join(root, path)), `${key} → ${path}`);
      }
    }
    assert.ok(existsSync(join(root, pkg.types)));
  });

  await t.test('the per-element modules leave lit to the host bundler and register their tag', () => {
    for (const tag of tags) {
      const define = readFileSync(join(root, `dist/${tag}/${tag}.js`), 'utf8');
      assert.match(define, new RegExp(`customElements\\.define\\(['"]${tag}['"]`));
    }
    const base = readFileSync(join(root, 'dist/base/usage-element.js'), 'utf8');
    assert.match(base, /from ['"]@lit\/context['"]/);
    const index = readFileSync(join(root, 'dist/index.js'), 'utf8');
    assert.doesNotMatch(index, /customElements\.define/, 'the main entry registers nothing');
  });

  await t.test('sideEffects names the define modules and the bundle only', () => {
    for (const tag of tags) assert.ok(pkg.sideEffects.includes(`./dist/${tag}/${tag}.js`), tag);
    assert.ok(pkg.sideEffects.includes('./dist/usage-dashboard.bundle.js'));
    assert.ok(!pkg.sideEffects.some((entry) => entry.includes('index')));
  });

  await t.test('no module imports one of ours only for its side effects unless that one registers a tag', () => {
    // A bare import of a module that sideEffects calls pure is dropped by a host's bundler,
    // with a warning each (esbuild: "ignored-bare-import").
    const defineModules = new Set(tags.map((tag) => join(root, 'dist', tag, `${tag}.js`)));
    const bare = [];
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!['server', 'types'].includes(entry.name)) walk(path);
        } else if (entry.name.endsWith('.js') && path !== join(root, 'dist/usage-dashboard.bundle.js')) {
          for (const [, target] of readFileSync(path, 'utf8').matchAll(/^import ['"](\.{1,2}\/[^'"]+)['"]/gm)) {
            if (!defineModules.has(join(dirname(path), target))) bare.push(`${path.slice(root.length + 1)} → ${target}`);
          }
        }
      }
    };
    walk(join(root, 'dist'));
    assert.deepEqual(bare, []);
  });

  await t.test('custom-elements.json lists every tag with its attributes and events', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'dist/custom-elements.json'), 'utf8'));
    assert.deepEqual(manifest, JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')));
    const declarations = manifest.modules.flatMap((module) => module.declarations ?? []);
    for (const tag of tags) {
      const element = declarations.find((d) => d.tagName === tag);
      assert.ok(element, `${tag} in the manifest`);
      const attributes = element.attributes.map((a) => a.name);
      for (const name of ['data-endpoint', 'filter-group', 'locale', 'time-zone', 'live', 'theme', 'range', 'from', 'to', 'user-ids', 'request-id']) {
        assert.ok(attributes.includes(name), `${tag} has ${name}`);
      }
      const events = element.events.map((e) => e.name);
      assert.ok(events.includes('usage-error'), `${tag} fires usage-error`);
      assert.ok(events.every(Boolean), `${tag} lists only named events`);
    }
    const filters = declarations.find((d) => d.tagName === 'usage-filters');
    assert.ok(filters.attributes.some((a) => a.name === 'sync-url'));
    assert.ok(filters.events.some((e) => e.name === 'usage-filters-change'));
  });

  await t.test('custom-elements.json documents every part an element renders and every public custom property it reads', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
    const declarations = manifest.modules.flatMap((module) => module.declarations ?? []);
    for (const tag of tags) {
      const element = declarations.find((d) => d.tagName === tag);
      assert.ok(element.summary && element.description, `${tag} has a summary and a description`);
      const files = moduleSources(join(root, 'src', tag, `${tag}.component.ts`));
      assert.ok(files.length > 5, `${tag}: its sources were found`);
      const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
      const parts = new Set();
      for (const [, value] of text.matchAll(/part="([^"]*)"/g)) {
        // `option${selected ? ' option-selected' : ''}`: the literal names inside an expression count too.
        const literal = value.replace(/\$\{([^}]*)\}/g, (_, expression) => ` ${[...expression.matchAll(/'([^']*)'/g)].map((m) => m[1]).join(' ')} `);
        for (const name of literal.split(/\s+/)) if (/^[a-z][a-z0-9-]*$/.test(name)) parts.add(name);
      }
      const properties = new Set(
        [...text.matchAll(/var\((--[a-z][a-z0-9-]*)/g)].map((m) => m[1]).filter((name) => name.startsWith('--usage-') || name.startsWith(`--${tag}-`)),
      );
      const documentedParts = new Map((element.cssParts ?? []).map((part) => [part.name, part.description]));
      const documentedProperties = new Map((element.cssProperties ?? []).map((property) => [property.name, property.description]));
      assert.deepEqual([...parts].filter((name) => !documentedParts.get(name)), [], `${tag}: parts rendered but not documented`);
      assert.deepEqual([...properties].filter((name) => !documentedProperties.get(name)), [], `${tag}: custom properties read but not documented`);
    }
  });

  await t.test('the bundle is one production module that registers every tag by itself', async () => {
    const bundle = readFileSync(join(root, 'dist/usage-dashboard.bundle.js'), 'utf8');
    assert.doesNotMatch(bundle, /process\.env/);
    assert.doesNotMatch(bundle, /^import .* from ['"]/m, 'nothing left to resolve');
    const server = createServer((request, response) => {
      if (request.url === '/usage-dashboard.bundle.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      } else {
        response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html>
          <usage-filters range="30d" resource-type="storage"><div id="inner"></div></usage-filters>
          <script type="module" src="/usage-dashboard.bundle.js"></script>`);
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const problems = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      const registered = await page.evaluate(async (names) => {
        await Promise.all(names.map((name) => customElements.whenDefined(name)));
        return names.filter((name) => customElements.get(name));
      }, tags);
      assert.deepEqual(registered, tags);
      const state = await page.evaluate(() => document.querySelector('usage-filters').filters);
      assert.equal(state.resourceType, 'storage');
      assert.deepEqual(state.range, { preset: '30d' });
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
