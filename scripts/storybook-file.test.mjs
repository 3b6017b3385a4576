// scripts/storybook-file.mjs over a small stand-in for Storybook's output: module scripts (an
// external one and an inline one), a chunk imported dynamically, `import.meta.url`, a module
// preload and a fetch of index.json. Opened from file:// in a Chromium given no leave to read
// files, the rewritten pages must run all of it, in order. (npm test also opens every real
// story that way: scripts/story-check.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.mjs';
import { makeFileReady, moduleEntry, rewritePage } from './storybook-file.mjs';

const PAGE = (body) => `<!doctype html><html><head><title>t</title>
<script>window.steps = ['classic'];</script>
<script type="module" crossorigin src="./assets/entry-1.js"></script>
<link rel="modulepreload" crossorigin href="./assets/chunk-2.js">
<link rel="stylesheet" crossorigin href="./assets/style-4.css">
</head><body>${body}</body></html>`;

function standIn() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-file-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ v: 5, entries: { 'a--b': { id: 'a--b' } } }));
  writeFileSync(join(dir, 'project.json'), '{"project":1}');
  writeFileSync(
    join(dir, 'assets/entry-1.js'),
    `window.steps.push('entry', document.body ? 'after-parse' : 'before-parse');
window.ownUrl = import.meta.url;
window.asset = new URL('./font.woff2', import.meta.url).href;
window.loaded = (async () => {
  const chunk = await import('./chunk-2.js');
  const index = await (await fetch('./index.json')).json();
  return { chunk: chunk.answer, chunkUrl: chunk.url, story: Object.keys(index.entries)[0], steps: window.steps };
})();`,
  );
  writeFileSync(join(dir, 'assets/style-4.css'), 'body { margin: 7px; }');
  writeFileSync(join(dir, 'assets/chunk-2.js'), `export const answer = 42; export const url = import.meta.url;`);
  writeFileSync(join(dir, 'iframe.html'), PAGE('<div id="root"></div>'));
  writeFileSync(join(dir, 'index.html'), PAGE(`<script type="module">import './assets/manager-3.js';</script>`));
  writeFileSync(join(dir, 'assets/manager-3.js'), `window.steps.push('manager');`);
  return dir;
}

test('the page keeps its module scripts in order, as imports of one entry, and loses its module preloads', () => {
  const html = PAGE(`<script type="module">import './b.js';\nwindow.x = 1;</script>`);
  assert.equal(moduleEntry(html), `import "./assets/entry-1.js";\nimport './b.js';\nwindow.x = 1;`);
  const rewritten = rewritePage(html, 'sb-file/iframe.js');
  assert.doesNotMatch(rewritten, /type="module"|modulepreload|crossorigin/);
  assert.match(rewritten, /<link rel="stylesheet" href="\.\/assets\/style-4\.css">/);
  assert.equal(rewritten.match(/<script defer src="\.\/sb-file\/iframe\.js"><\/script>/g)?.length, 1);
  // The classic scripts stand where the first module script stood: after the page's own script.
  assert.ok(rewritten.indexOf('sb-file/data.js') > rewritten.indexOf("window.steps = ['classic']"));
});

test('from file://, without leave to read files, the rewritten pages run their modules, chunks, URLs and fetches', async (t) => {
  const dir = standIn();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const written = await makeFileReady(dir);
  assert.deepEqual(written.sort(), ['iframe.html', 'index.html', 'sb-file/data.js', 'sb-file/iframe.js', 'sb-file/manager.js']);
  await assert.rejects(makeFileReady(dir), /no module script/, 'a second run must refuse, not bundle nothing');
  assert.doesNotMatch(readFileSync(join(dir, 'iframe.html'), 'utf8'), /type="module"/);

  const browser = await chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const base = pathToFileURL(dir).href;
  for (const page of ['iframe.html', 'index.html']) {
    const tab = await browser.newPage();
    const errors = [];
    tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(`${base}/${page}`);
    const result = await tab.evaluate(async () => ({
      ...(await window.loaded),
      ownUrl: window.ownUrl,
      asset: window.asset,
      margin: getComputedStyle(document.body).marginTop,
    }));
    assert.deepEqual(errors, [], page);
    assert.equal(result.chunk, 42, `${page}: the dynamically imported chunk`);
    assert.equal(result.story, 'a--b', `${page}: index.json through fetch`);
    assert.equal(result.ownUrl, `${base}/assets/entry-1.js`, `${page}: import.meta.url is the module's own file`);
    assert.equal(result.chunkUrl, `${base}/assets/chunk-2.js`);
    assert.equal(result.asset, `${base}/assets/font.woff2`);
    assert.equal(result.margin, '7px', `${page}: the stylesheet Vite marked crossorigin`);
    // Deferred, as module scripts are: after the page's classic script, once the document is parsed.
    assert.deepEqual(result.steps.slice(0, 3), ['classic', 'entry', 'after-parse']);
    if (page === 'index.html') assert.equal(result.steps[3], 'manager', 'the inline module ran after the external one');
    await tab.close();
  }
});
