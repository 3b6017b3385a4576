// Drives the static Storybook's own controls panel (storybook-static/, from `npm run
// build-storybook`) in Debian's Chromium and checks that a control reaches the element.
// The controls live in the manager and reach the preview over Storybook's channel, which
// the per-story check (story-check.mjs, the preview alone) never crosses: the channel turns
// a string shaped like an ISO instant into a Date, so a text control for `from`/`to` did
// nothing. The check runs twice: over http (a static host) and from disk (file://, as
// scripts/storybook-file.mjs made possible: the manager's fetch of its index included).
//
//   node scripts/story-check-controls.mjs [--dir storybook-static]
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ensureChromium, CHROMIUM_ARGS } from './chromium.mjs';

const { values } = parseArgs({ options: { dir: { type: 'string', default: 'storybook-static' } } });
const dir = resolve(values.dir);
if (!existsSync(join(dir, 'index.html'))) {
  console.error(`${dir}/index.html is missing: run \`npm run build-storybook\` first.`);
  process.exit(1);
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };
const server = createServer(async (request, response) => {
  const path = join(dir, decodeURIComponent(new URL(request.url, 'http://localhost').pathname).replace(/\/$/, '/index.html'));
  try {
    if (!path.startsWith(dir + sep)) throw new Error('outside the build');
    const body = await readFile(path);
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS });
const TIMEOUT_MS = 30_000;

/** The filter bar's custom range, set through the `from` date control: its `from` attribute and its range input follow. */
async function checkInstantControl(page, base) {
  await page.goto(`${base}/index.html?path=/story/elements-usage-filter-bar--every-filter-set`);
  const preview = page.frameLocator('#storybook-preview-iframe');
  const bar = preview.locator('#storybook-root usage-filter-bar');
  // An applied custom range reads as its dates beside an Edit button.
  const dates = bar.locator('#range-hint');
  await bar.locator('[part~="edit-range"]').waitFor({ timeout: TIMEOUT_MS });
  await page.locator('#control-from-date').fill('2024-04-20');
  await page.locator('#control-from-time').fill('06:30');
  // The browser runs in UTC (the context's time zone), as does the bar without a time-zone.
  const problems = [];
  const expectValue = async (what, read, want) => {
    const deadline = Date.now() + TIMEOUT_MS;
    let got = await read();
    while (got !== want && Date.now() < deadline) {
      await page.waitForTimeout(100);
      got = await read();
    }
    if (got !== want) problems.push(`${what}: ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
  };
  await expectValue("the bar's from attribute", () => bar.getAttribute('from'), '2024-04-20T06:30:00.000Z');
  await expectValue("the bar's to attribute (unchanged)", () => bar.getAttribute('to'), '2024-05-08T00:00:00.000Z');
  const start = async () => (await dates.textContent()).replace(/[\s\u202f]+/g, ' ').trim().split(' – ')[0];
  await expectValue("the bar's range start", start, 'Apr 20, 2024, 6:30 AM');
  // After the round trip through the preview, the control still shows what was chosen.
  await expectValue('the from control', () => page.locator('#control-from-date').inputValue(), '2024-04-20');
  return problems;
}

/** Every element of custom-elements.json by tag: its attributes and public properties without an attribute. */
function manifestTags() {
  const manifest = JSON.parse(readFileSync(resolve('custom-elements.json'), 'utf8'));
  const tags = new Map();
  for (const module of manifest.modules) {
    if (/(^|\/)test-|\.test\./.test(module.path)) continue;
    for (const declaration of module.declarations ?? []) {
      if (!declaration.tagName) continue;
      const properties = (declaration.members ?? []).filter(
        (member) => member.kind === 'field' && !member.static && (member.privacy ?? 'public') === 'public' && !member.attribute && !member.name.startsWith('#'),
      );
      tags.set(declaration.tagName, [...(declaration.attributes ?? []), ...properties].map((item) => item.name));
    }
  }
  return tags;
}

/**
 * Each element's docs page: its table has a row, with a description, for every attribute and
 * property of custom-elements.json, and its description (the class JSDoc, hard-wrapped)
 * reads as prose: no code block before the first story (an inline code span broken over
 * two lines of the JSDoc became one).
 */
async function checkDocsPages(page, base) {
  const tags = manifestTags();
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const docs = Object.values(index.entries).filter((entry) => entry.type === 'docs' && entry.title.startsWith('Elements/'));
  const problems = [];
  if (docs.length < tags.size) problems.push(`${docs.length} element docs pages for ${tags.size} elements`);
  for (const entry of docs) {
    await page.goto(`${base}/iframe.html?id=${entry.id}&viewMode=docs`);
    await page.locator('table.docblock-argstable tbody tr').first().waitFor({ timeout: TIMEOUT_MS });
    const found = await page.evaluate((tagNames) => {
      const story = document.querySelector('.docs-story');
      const tag = [...(story?.querySelectorAll('*') ?? [])].map((element) => element.localName).find((name) => tagNames.includes(name));
      const rows = [...document.querySelectorAll('table.docblock-argstable tbody tr')].map((row) => [...row.querySelectorAll('td')]);
      const described = Object.fromEntries(
        rows.filter((cells) => cells.length >= 2).map((cells) => [cells[0].textContent.trim(), cells[1].textContent.trim().length > 0]),
      );
      const before = story ? [...document.querySelectorAll('#storybook-docs pre')].filter((pre) => pre.compareDocumentPosition(story) & Node.DOCUMENT_POSITION_FOLLOWING) : [];
      return { tag, described, codeBlocks: before.map((pre) => pre.textContent.trim().slice(0, 60)) };
    }, [...tags.keys()]);
    if (!found.tag) {
      problems.push(`${entry.id}: no element of custom-elements.json in its first story`);
      continue;
    }
    const missing = tags.get(found.tag).filter((name) => !(name in found.described));
    const undescribed = tags.get(found.tag).filter((name) => found.described[name] === false);
    if (missing.length) problems.push(`${entry.id}: no row for ${missing.join(', ')}`);
    if (undescribed.length) problems.push(`${entry.id}: no description for ${undescribed.join(', ')}`);
    for (const block of found.codeBlocks) problems.push(`${entry.id}: a code block in the description: ${JSON.stringify(block)}`);
  }
  return problems;
}

const bases = { http: origin, 'file://': pathToFileURL(dir).href };
const checks = {
  'from/to date controls set the custom range': checkInstantControl,
  'docs pages list every attribute and property, and read as prose': checkDocsPages,
};
let failed = 0;
try {
  for (const [checkName, check] of Object.entries(checks)) for (const [where, base] of Object.entries(bases)) {
    const name = `${checkName} (${where})`;
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    let problems;
    try {
      problems = [...(await check(page, base)), ...errors];
    } catch (error) {
      problems = [error.message.split('\n')[0], ...errors];
    }
    await context.close();
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}`);
    for (const problem of problems) console.log(`     ${problem}`);
    if (problems.length) failed += 1;
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
