// Opens every story of the static Storybook (storybook-static/, from `npm run build-storybook`)
// in Debian's Chromium through playwright-core, in the light and the dark theme (the toolbar's
// `theme` global), and fails when a story logs a console error, throws, fails to render,
// leaves a tag undefined, never settles, or has an axe-core violation.
// The pages are opened from file:// (the static Storybook must work without a server).
//
//   node scripts/story-check.mjs [--dir storybook-static] [--only <substring of a story id>]
//                                [--themes light,dark] [--screenshots <folder>]  (a PNG of each story that passes)
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ensureChromium, CHROMIUM_ARGS } from './chromium.mjs';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'storybook-static' },
    only: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
    screenshots: { type: 'string' },
    themes: { type: 'string', default: 'light,dark' },
  },
});

/** Browser noise that says nothing about our code. */
const IGNORED_CONSOLE = [/ResizeObserver loop/];
/** A story tagged so shows a state that never ends (a request that never answers). */
const NEVER_SETTLES_TAG = 'never-settles';
// Generous: the large data set (50,000 users) is seeded in the page, and CI machines are shared.
const SETTLE_TIMEOUT_MS = 45_000;
/** The tags that draw something (`<usage-filters>` draws nothing of its own). */
const VISUAL_TAGS = ['usage-filter-bar', 'surplus-chart', 'consumption-chart', 'consumption-events-table'];
/** Stories whose id ends so show a narrow host, checked at a phone's width too. */
const NARROW_SUFFIX = '--narrow-host';
const NARROW_WIDTH = 375;
/**
 * Stories whose id ends so have play functions that wait for live events (up to ~30 s for the
 * surplus chart's next turn): each theme's run starts with them, so that they overlap the
 * other stories instead of being the one worker's tail.
 */
const LIVE_SUFFIX = '--live';
/** The dark page's background (stories/support/decorators.ts), as computed. */
const DARK_PAGE_COLOR = 'rgb(13, 17, 23)';

const dir = resolve(values.dir);
const indexPath = resolve(dir, 'index.json');
if (!existsSync(indexPath)) {
  console.error(`${indexPath} is missing: run \`npm run build-storybook\` first.`);
  process.exit(1);
}
const index = JSON.parse(readFileSync(indexPath, 'utf8'));
const stories = Object.values(index.entries)
  .filter((entry) => entry.type === 'story')
  .filter((entry) => !values.only || entry.id.includes(values.only));
if (stories.length === 0) {
  console.error('No stories found in index.json.');
  process.exit(1);
}
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const iframeUrl = pathToFileURL(resolve(dir, 'iframe.html')).href;

if (values.screenshots) mkdirSync(resolve(values.screenshots), { recursive: true });

const browser = await chromium.launch({
  executablePath: ensureChromium(),
  headless: true,
  // No leave to read files: the static Storybook must open from disk as any browser would
  // (scripts/storybook-file.mjs made it so).
  args: CHROMIUM_ARGS,
});

/**
 * Shows a story. The first opens the preview page; the others switch story through
 * Storybook's channel, without reloading it, so the preview and each demo data set load
 * once per worker (as they do when a person clicks through the sidebar).
 */
async function showStory(page, { story, theme }, first) {
  if (first) {
    await page.goto(`${iframeUrl}?id=${encodeURIComponent(story.id)}&viewMode=story&globals=theme:${theme}`);
  } else {
    await page.evaluate((id) => {
      window.__storyCheck = { rendered: null, failed: null };
      window.__STORYBOOK_ADDONS_CHANNEL__.emit('setCurrentStory', { storyId: id, viewMode: 'story' });
    }, story.id);
  }
}

/** Waits until the story rendered and no element in it is loading (looking through shadow roots). */
async function settle(page, story) {
  const neverSettles = (story.tags ?? []).includes(NEVER_SETTLES_TAG);
  // `storyRendered` comes after the loaders, the render and the play function.
  await page.waitForFunction(
    (id) => window.__storyCheck?.failed || window.__storyCheck?.rendered === id || document.body.classList.contains('sb-show-errordisplay'),
    story.id,
    { timeout: SETTLE_TIMEOUT_MS, polling: 50 },
  );
  const failure = await page.evaluate(
    () =>
      window.__storyCheck?.failed ??
      (document.body.classList.contains('sb-show-errordisplay') ? `error display: ${document.querySelector('#error-message')?.textContent?.trim()}` : null),
  );
  if (failure) throw new Error(`Storybook could not render the story: ${failure}`);
  // A never-settling story must show that it is busy; every other one must stop being busy.
  await page.waitForFunction(
    (wantBusy) => {
      const busy = (root) => {
        for (const element of root.querySelectorAll('*')) {
          if (element.hasAttribute('loading') || element.getAttribute('aria-busy') === 'true') return true;
          if (element.shadowRoot && busy(element.shadowRoot)) return true;
        }
        return false;
      };
      const root = document.querySelector('#storybook-root');
      return root !== null && root.childElementCount > 0 && busy(root) === wantBusy;
    },
    neverSettles,
    { timeout: SETTLE_TIMEOUT_MS, polling: 100 },
  );
}

/** Runs the story's checks on the worker's page; problems logged meanwhile are the story's. */
async function checkStory(page, item, first, problems) {
  const { story, theme } = item;
  problems.length = 0;
  const started = Date.now();
  try {
    await showStory(page, item, first);
    await settle(page, story);
    // Let charts finish their first frame and late errors surface.
    await page.waitForTimeout(250);
    const undefinedTags = await page.evaluate(() => {
      const found = new Set();
      const visit = (root) => {
        for (const element of root.querySelectorAll('*')) {
          if (element.localName.includes('-') && !customElements.get(element.localName)) found.add(element.localName);
          if (element.shadowRoot) visit(element.shadowRoot);
        }
      };
      visit(document.querySelector('#storybook-root'));
      return [...found];
    });
    if (undefinedTags.length) problems.push(`never defined: ${undefinedTags.join(', ')}`);
    // The dark page (stories/support/decorators.ts) once: a DarkTheme story in the toolbar's
    // dark theme was wrapped in it twice, 16 px more padding on every side.
    const darkPages = await page.evaluate((color) => {
      const root = document.querySelector('#storybook-root');
      const pages = [...root.querySelectorAll('*')].filter((element) => getComputedStyle(element).backgroundColor === color);
      return pages.filter((element) => pages.some((other) => other !== element && other.contains(element))).length;
    }, DARK_PAGE_COLOR);
    if (darkPages) problems.push(`a dark page inside a dark page (${darkPages} nested)`);
    if (theme === 'dark') {
      // The toolbar's dark theme reaches every piece, whatever the story's decorators return.
      const light = await page.evaluate((tags) => {
        const found = [];
        const visit = (root) => {
          for (const element of root.querySelectorAll('*')) {
            if (tags.includes(element.localName) && element.getAttribute('theme') !== 'dark' && !element.matches(':state(dark)')) found.push(element.localName);
            if (element.shadowRoot) visit(element.shadowRoot);
          }
        };
        visit(document.querySelector('#storybook-root'));
        return [...new Set(found)];
      }, VISUAL_TAGS);
      if (light.length) problems.push(`light in the dark theme: ${light.join(', ')}`);
    }
    if (story.id.endsWith(NARROW_SUFFIX)) {
      // A narrow host is a phone: at 375 px the page must not scroll sideways.
      const viewport = page.viewportSize();
      await page.setViewportSize({ width: NARROW_WIDTH, height: viewport.height });
      await page.waitForTimeout(500);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth }));
      await page.setViewportSize(viewport);
      if (scrollWidth > innerWidth) problems.push(`scrolls sideways at ${innerWidth} px: ${scrollWidth} px wide`);
    }
    if (first) await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document.querySelector('#storybook-root'), { resultTypes: ['violations'] });
      return result.violations.map((v) => {
        const why = v.nodes[0]?.any[0]?.message ?? v.nodes[0]?.all[0]?.message ?? '';
        return `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}${why ? ` — ${why}` : ''}`;
      });
    });
    for (const violation of violations) problems.push(`axe: ${violation}`);
    if (values.screenshots && problems.length === 0) {
      // The page is made as tall as the story first: a full-page screenshot resizes the view,
      // the charts redraw, and ECharts' animation would be caught halfway.
      const viewport = page.viewportSize();
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
      await page.waitForTimeout(2_000);
      await page.screenshot({ path: resolve(values.screenshots, `${story.id}--${theme}.png`) });
      await page.setViewportSize(viewport);
    }
  } catch (error) {
    problems.push(error.message.split('\n')[0]);
  }
  return { story, theme, problems: [...problems], ms: Date.now() - started };
}

/**
 * Listens to Storybook's channel from the moment the preview creates it (before the first
 * story renders), so that the first story's outcome is seen too.
 */
function listenToChannel() {
  window.__storyCheck = { rendered: null, failed: null };
  let channel;
  Object.defineProperty(globalThis, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set: (value) => {
      channel = value;
      channel.on('storyRendered', (id) => (window.__storyCheck.rendered = id));
      for (const name of ['storyErrored', 'storyThrewException', 'playFunctionThrewException', 'storyMissing']) {
        channel.on(name, (detail) => (window.__storyCheck.failed = `${name}: ${JSON.stringify(detail)?.slice(0, 500)}`));
      }
    },
  });
}

async function newWorkerPage(context) {
  const page = await context.newPage();
  await page.addInitScript(listenToChannel);
  const problems = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (!IGNORED_CONSOLE.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { page, problems };
}

const started = Date.now();
const themes = values.themes.split(',').filter(Boolean);
// Every story in the first theme, then in the next: each worker reloads once per theme.
const liveFirst = [...stories.filter((s) => s.id.endsWith(LIVE_SUFFIX)), ...stories.filter((s) => !s.id.endsWith(LIVE_SUFFIX))];
const queue = themes.flatMap((theme) => liveFirst.map((story) => ({ story, theme })));
const results = [];
const workers = Array.from({ length: Math.max(1, Number(values.concurrency)) }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let worker = await newWorkerPage(context);
  let shownTheme = null;
  for (let item = queue.shift(); item; item = queue.shift()) {
    const result = await checkStory(worker.page, item, item.theme !== shownTheme, worker.problems);
    shownTheme = item.theme;
    results.push(result);
    const mark = result.problems.length ? 'FAIL' : 'ok  ';
    console.log(`${mark} ${item.story.id} [${item.theme}] (${result.ms} ms)`);
    for (const problem of result.problems) console.log(`     ${problem}`);
    if (result.problems.length) {
      // A fresh page, so that one story's failure cannot leak into the next one's result.
      await worker.page.close();
      worker = await newWorkerPage(context);
      shownTheme = null;
    }
  }
  await context.close();
});
await Promise.all(workers);
await browser.close();

const failed = results.filter((result) => result.problems.length > 0);
console.log(`\nStory check took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
console.log(`stories × themes (${themes.join(', ')}): ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
