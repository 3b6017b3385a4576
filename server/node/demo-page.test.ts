/**
 * The demo pages in Chromium (playwright-core, Debian's Chromium), served by serve() over a
 * seeded memory store with the built bundle: the elements load their data with the demo
 * token under the strict CSP, nothing fails or logs an error, the pages pass axe in light
 * and dark, the theme switch reaches the elements, the user page pins its user, and an
 * unknown user says so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error -- plain JavaScript helpers without declarations.
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';
// @ts-expect-error -- plain JavaScript helpers without declarations.
import { ensureBuilt } from '../../test/package/built.mjs';
import { sha256Hex } from '../domain/sha256.js';
import { readConfig } from './config.js';
import { serve, type RunningServer } from './serve.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Seen {
  api: { url: string; status: number }[];
  problems: string[];
}

/** Opens a page and records its API answers and anything it reports as wrong. */
async function open(
  browser: Browser,
  url: string,
  options: { colorScheme?: 'light' | 'dark'; bypassCSP?: boolean; before?: (page: Page) => Promise<unknown>; waitUntil?: 'load' | 'commit' } = {},
): Promise<{ page: Page; seen: Seen; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: options.colorScheme ?? 'light', bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  const seen: Seen = { api: [], problems: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.url().includes('/api/')) seen.api.push({ url: response.url(), status: response.status() });
    else if (response.status() >= 400) seen.problems.push(`${response.status()} ${response.url()}`);
  });
  await options.before?.(page);
  await page.goto(url, { waitUntil: options.waitUntil ?? 'load' });
  return { page, seen, close: () => context.close() };
}

/** Waits until every data piece has finished loading (none carries `loading`). */
async function settled(page: Page, tags: string[]): Promise<void> {
  await page.waitForFunction(
    (names) => names.every((name) => {
      const el = document.querySelector(name);
      return el !== null && el.shadowRoot !== null && !el.hasAttribute('loading');
    }),
    tags,
    { timeout: 30_000 },
  );
}

/** Waits until the page has had an answer from each of these API routes. */
async function answered(seen: Seen, routes: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  const missing = () => routes.filter((route) => !seen.api.some((r) => new URL(r.url).pathname === route));
  while (missing().length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(missing(), [], 'routes the page never got an answer from');
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
    return (await axe.run(document)).violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}

describe('the demo pages in a browser', () => {
  let browser: Browser;
  let server: RunningServer;
  let dataDir: string;

  before(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ud-demo-'));
    const config = { ...readConfig({ DATABASE_URL: 'memory:', SEED_EVENTS: '5000', LIVE_TRAFFIC: 'off', PORT: '0', HOST: '127.0.0.1' }, dataDir), dataDir };
    server = await serve(config, { demoDir: join(root, 'server/demo'), distDir: join(root, 'dist'), log: () => {} });
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the dashboard loads every piece with the demo token, under the CSP, without errors', async () => {
    const { page, seen, close } = await open(browser, server.url);
    try {
      await answered(seen, ['/api/events', '/api/consumption', '/api/surplus', '/api/limits']);
      await settled(page, ['surplus-chart', 'consumption-chart', 'consumption-events-table']);
      assert.deepEqual(seen.problems, []);
      assert.deepEqual(seen.api.filter((r) => r.status !== 200), [], 'every API answer is 200');
      const header = await page.evaluate(() => ({
        org: document.querySelector('[data-org-name]')!.textContent,
        asOf: document.querySelector('[data-as-of]')!.getAttribute('datetime'),
        error: [...document.querySelectorAll('surplus-chart, consumption-chart, consumption-events-table')].some((el) => el.hasAttribute('error')),
      }));
      assert.equal(header.org, 'Northwind Research');
      // Capacity planning: how much of the organization's limits is used, from GET limits.
      await page.waitForFunction(() => !document.querySelector('[data-org-limits]')!.hasAttribute('aria-busy'));
      const use = await page.evaluate(() => ({
        week: document.querySelector('[data-week-text]')!.textContent,
        storage: document.querySelector('[data-storage-text]')!.textContent,
        meter: document.querySelector<HTMLMeterElement>('[data-week-meter]')!.value,
      }));
      assert.match(use.week ?? '', /^[\d,]+ tokens of [\d,]+ tokens used in the last 7 days \(\d+%\)$/);
      assert.match(use.storage ?? '', /^[\d.,]+ [kMGT]?B of [\d.,]+ [kMGT]?B used in the last 7 days \(\d+%\)$/);
      assert.ok(use.meter > 0 && use.meter <= 1, String(use.meter));
      assert.match(header.asOf ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.equal(header.error, false);
    } finally {
      await close();
    }
  });

  test('when GET limits fails, the header says the instant is not available and the cards offer to try again', async () => {
    let failing = true;
    const { page, close } = await open(browser, server.url, {
      before: (page) =>
        page.route('**/api/limits', (route) =>
          failing ? route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ code: 'internal', message: 'Down for a test.' }) }) : route.continue(),
        ),
    });
    try {
      await page.waitForFunction(() => !document.querySelector<HTMLElement>('[data-limits-error]')!.hidden);
      const failed = await page.evaluate(() => ({
        header: document.querySelector('.as-of')!.textContent,
        error: document.querySelector('[data-limits-error-text]')!.textContent,
        cards: [...document.querySelectorAll('.org-limits .stat')].filter((el) => el.getClientRects().length > 0).length,
      }));
      assert.equal(failed.header, 'Data as of: not available');
      assert.match(failed.error ?? '', /^The organization's limits could not be loaded\. \S/);
      assert.equal(failed.cards, 0);
      failing = false;
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-limits-error]')!.hidden);
      const recovered = await page.evaluate(() => ({
        header: document.querySelector('.as-of')!.textContent,
        asOf: document.querySelector('[data-as-of]')!.getAttribute('datetime'),
        week: document.querySelector('[data-week-text]')!.textContent,
        cards: [...document.querySelectorAll('.org-limits .stat')].filter((el) => el.getClientRects().length > 0).length,
        focus: document.activeElement?.matches('[data-org-limits]'),
      }));
      assert.match(recovered.header ?? '', /^Data as of \S/);
      assert.match(recovered.asOf ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.match(recovered.week ?? '', /^[\d,]+ tokens of [\d,]+ tokens used in the last 7 days/);
      assert.equal(recovered.cards, 2);
      assert.equal(recovered.focus, true, 'the focus goes from the button to the cards');
    } finally {
      await close();
    }
  });

  test('the page does not move when the data comes: the limits hold their place, the Group by waits for its chart', async () => {
    /** Holds the requests matching `pattern` until `release()`. */
    const gate = (pattern: string) => {
      let release!: () => void;
      const open = new Promise<void>((resolve) => (release = resolve));
      return { before: (page: Page) => page.route(pattern, async (route) => (await open, route.continue())), release };
    };
    /** Where the parts of the page stand: each one's top and height. */
    const layout = (page: Page, selectors: string[]) =>
      page.evaluate((list) => list.map((selector) => {
        const box = document.querySelector(selector)!.getBoundingClientRect();
        return `${selector}: top ${Math.round(box.top)}, height ${Math.round(box.height)}`;
      }), selectors);
    // A user as most are, with a name and an email (the placeholder is of their length).
    const users = (await (await fetch(`${server.url}api/users?q=u_&limit=1`, { headers: { authorization: `Bearer ${server.tokens.demoRead}` } })).json()) as { items: { id: string; email?: string }[] };
    const someone = users.items[0]!;
    assert.ok(someone.email);
    for (const width of [1400, 390]) {
      // The dashboard: the organization's limit cards, before and after GET limits answers.
      const limits = gate('**/api/limits');
      const dashboard = await open(browser, server.url, { before: async (page) => (await page.setViewportSize({ width, height: 900 }), limits.before(page)) });
      try {
        await settled(dashboard.page, ['consumption-chart']);
        const parts = ['[data-org-limits]', '[data-week-text]', 'usage-filter-bar'];
        const loading = await layout(dashboard.page, parts);
        limits.release();
        await dashboard.page.waitForFunction(() => !document.querySelector('[data-org-limits]')!.hasAttribute('aria-busy'));
        assert.deepEqual(await layout(dashboard.page, parts), loading, `the dashboard at ${width} px`);
      } finally {
        await dashboard.close();
      }
      // A user's page: the user's limits, before and after the user and "left now" come.
      const user = gate(`**/api/users/${encodeURIComponent(someone.id)}`);
      const userPage = await open(browser, `${server.url}users/${encodeURIComponent(someone.id)}`, { before: async (page) => (await page.setViewportSize({ width, height: 900 }), user.before(page)) });
      try {
        await settled(userPage.page, ['consumption-chart']);
        const parts = ['[data-user-email]', '[data-user-section]', '[data-left-note]', 'usage-filter-bar'];
        const loading = await layout(userPage.page, parts);
        user.release();
        await userPage.page.waitForFunction(() => !document.querySelector('[data-user-section]')!.hasAttribute('aria-busy'));
        assert.deepEqual(await layout(userPage.page, parts), loading, `the user page at ${width} px`);
      } finally {
        await userPage.close();
      }
    }
    // Before the library defines its tags, the chart's slotted Group by is not shown bare.
    const bundle = gate('**/dist/usage-dashboard.bundle.js');
    const early = await open(browser, server.url, { before: bundle.before, waitUntil: 'commit' });
    try {
      await early.page.waitForSelector('[data-group-by]', { state: 'attached' });
      assert.equal(await early.page.evaluate(() => document.querySelector('[data-group-by]')!.getClientRects().length), 0, 'hidden before the chart is defined');
      bundle.release();
      await early.page.waitForSelector('[data-group-by]', { state: 'visible' });
    } finally {
      await early.close();
    }
  });

  test('side by side, neither chart card shows a blank below its content, with "Who is drawing surplus" open or not', async () => {
    const { page, close } = await open(browser, server.url);
    try {
      await settled(page, ['surplus-chart', 'consumption-chart']);
      /** Each card's height below its last shown part (the card's own padding is some 12 px). */
      const blanks = () =>
        page.evaluate(() => ['surplus-chart', 'consumption-chart'].map((tag) => {
          const card = document.querySelector(tag)!.shadowRoot!.querySelector('[part~="base"]')!;
          const shown = [...card.children].filter((child) => child.getClientRects().length > 0);
          return Math.round(card.getBoundingClientRect().bottom - Math.max(...shown.map((child) => child.getBoundingClientRect().bottom)));
        }));
      for (const blank of await blanks()) assert.ok(blank <= 32, `a blank of ${blank} px`);
      await page.locator('surplus-chart').getByRole('button', { name: 'Who is drawing surplus' }).click();
      await page.waitForFunction(() => {
        const drawers = document.querySelector('surplus-chart')!.shadowRoot!.querySelector('[part~="drawers"]');
        return drawers !== null && !drawers.textContent!.includes('Loading');
      });
      await settled(page, ['surplus-chart', 'consumption-chart']);
      for (const blank of await blanks()) assert.ok(blank <= 32, `a blank of ${blank} px with the surplus list open`);
    } finally {
      await close();
    }
  });

  test('in forced colours the limit meters keep a visible track, and the share is in the text', async () => {
    const { page, close } = await open(browser, server.url);
    try {
      await page.emulateMedia({ forcedColors: 'active' });
      await page.waitForFunction(() => !document.querySelector('[data-org-limits]')!.hasAttribute('aria-busy'));
      const meters = await page.evaluate(() =>
        ['week', 'storage'].map((name) => {
          const style = getComputedStyle(document.querySelector(`[data-${name}-meter]`)!);
          return {
            track: `${style.borderTopStyle} ${style.borderTopWidth} ${style.borderTopColor === style.backgroundColor ? 'same as its ground' : 'contrasting'}`,
            text: /\(\d+%\)$/.test(document.querySelector(`[data-${name}-text]`)!.textContent!),
          };
        }),
      );
      assert.deepEqual(meters, [
        { track: 'solid 1px contrasting', text: true },
        { track: 'solid 1px contrasting', text: true },
      ]);
    } finally {
      await close();
    }
  });

  test('a request ID chosen in the table looks that request up across all dates', async () => {
    const { page, seen, close } = await open(browser, server.url);
    try {
      await answered(seen, ['/api/events']);
      await settled(page, ['consumption-events-table']);
      const requestId = await page.evaluate(() => {
        const button = document.querySelector('consumption-events-table')!.shadowRoot!.querySelector<HTMLButtonElement>('[role="cell"] [data-nav="requestId"]')!;
        button.click();
        return button.textContent!.trim();
      });
      // Every row shown is of that request (an input and its output share one).
      await page.waitForFunction((id) => {
        const table = document.querySelector('consumption-events-table')!;
        const cells = [...table.shadowRoot!.querySelectorAll('[data-column="requestId"]')].map((cell) => cell.textContent!.trim());
        return !table.hasAttribute('loading') && cells.length > 0 && cells.every((text) => text === id);
      }, requestId);
      const lookup = seen.api.filter((r) => r.url.includes('/api/events?') && new URL(r.url).searchParams.get('requestId') === requestId);
      assert.ok(lookup.length > 0, 'the table asked for the request');
      assert.equal(new URL(lookup[0]!.url).searchParams.get('from'), null, 'across all dates');
      // A person's change: a history entry of its own and Reset enabled; Back returns to the page as it was.
      assert.equal(new URL(page.url()).searchParams.get('ud.request'), requestId);
      const reset = await page.evaluate(() => {
        const bar = document.querySelector('usage-filter-bar')!.shadowRoot!;
        return [...bar.querySelectorAll('button')].find((b) => /reset/i.test(b.textContent ?? ''))?.disabled;
      });
      assert.equal(reset, false, 'Reset filters is enabled');
      await page.goBack();
      await page.waitForFunction(() => {
        const table = document.querySelector('consumption-events-table')!;
        return !table.hasAttribute('loading') && (table as unknown as { filters: { requestId: string | null } }).filters.requestId === null;
      });
      assert.equal(new URL(page.url()).searchParams.get('ud.request'), null);
    } finally {
      await close();
    }
  });

  test('a request ID searched in the filter bar brings the event log into view', async () => {
    const { page, seen, close } = await open(browser, server.url, { before: (p) => p.emulateMedia({ reducedMotion: 'reduce' }) });
    try {
      await answered(seen, ['/api/events']);
      await settled(page, ['consumption-events-table']);
      const requestId = await page.evaluate(() => {
        const table = document.querySelector('consumption-events-table')!;
        return table.shadowRoot!.querySelector('[data-column="requestId"]')!.textContent!.trim();
      });
      const top = () => page.evaluate(() => document.querySelector('consumption-events-table')!.getBoundingClientRect().top);
      assert.ok((await top()) > 1000 * 0.6, 'the log starts below the first screen');
      const box = page.locator('usage-filter-bar').locator('#request-id');
      await box.fill(requestId);
      await box.press('Enter');
      // Scrolled to the log, as far as the page goes (two rows leave a short page).
      await page.waitForFunction(() => scrollY > 0);
      const shown = await page.evaluate(() => {
        const rect = document.querySelector('consumption-events-table')!.getBoundingClientRect();
        return { top: rect.top, bottom: rect.bottom };
      });
      assert.ok(shown.top >= -1 && shown.bottom <= 1000 + 1, `the log, its rows included, is in view (${shown.top}–${shown.bottom})`);
    } finally {
      await close();
    }
  });

  test("the consumption chart's Group by is kept in the URL: a bookmark or a reload keeps it, Back returns", async () => {
    const { page, seen, close } = await open(browser, server.url);
    try {
      await answered(seen, ['/api/consumption']);
      await settled(page, ['consumption-chart']);
      await page.selectOption('[data-group-by]', 'userId');
      assert.equal(new URL(page.url()).searchParams.get('groupBy'), 'userId');
      await page.reload();
      await page.waitForFunction(() => document.querySelector('[data-consumption]')!.getAttribute('group-by') === 'userId');
      assert.equal(await page.inputValue('[data-group-by]'), 'userId');
      const asked = () => seen.api.filter((r) => r.url.includes('/api/consumption?')).map((r) => new URL(r.url).searchParams.get('groupBy'));
      await page.waitForFunction(() => !document.querySelector('consumption-chart')!.hasAttribute('loading'));
      assert.equal(asked().at(-1), 'userId');
      // Its own history entry: Back returns to the I/O type grouping the page started with.
      await page.goBack();
      await page.waitForFunction(() => (document.querySelector<HTMLSelectElement>('[data-group-by]')!.value === 'ioType'));
      assert.equal(await page.evaluate(() => document.querySelector('[data-consumption]')!.getAttribute('group-by') ?? 'ioType'), 'ioType');
      // A value the page does not know is left out: the chart keeps its default.
      await page.goto(`${server.url}?groupBy=colour`);
      await settled(page, ['consumption-chart']);
      assert.equal(await page.inputValue('[data-group-by]'), 'ioType');
      assert.deepEqual(seen.problems, []);
    } finally {
      await close();
    }
  });

  test("the consumption chart's Group by chosen by keyboard applies once the choice rests: one request, one history entry", async () => {
    const { page, seen, close } = await open(browser, server.url);
    try {
      await answered(seen, ['/api/consumption']);
      await settled(page, ['consumption-chart']);
      const asked = () => seen.api.filter((r) => r.url.includes('/api/consumption?')).map((r) => new URL(r.url).searchParams.get('groupBy'));
      const before = { asked: asked().length, history: await page.evaluate(() => history.length) };
      await page.focus('[data-group-by]');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      assert.equal(await page.inputValue('[data-group-by]'), 'endpoint');
      await page.waitForFunction(() => document.querySelector('[data-consumption]')!.getAttribute('group-by') === 'endpoint');
      await page.waitForFunction(() => !document.querySelector('consumption-chart')!.hasAttribute('loading'));
      await page.waitForTimeout(700);
      assert.deepEqual(asked().slice(before.asked), ['endpoint'], 'the options passed on the way were not asked for');
      assert.equal(await page.evaluate(() => history.length), before.history + 1);
      assert.equal(new URL(page.url()).searchParams.get('groupBy'), 'endpoint');
      // Enter applies at once.
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.querySelector('[data-consumption]')!.getAttribute('group-by')), 'userId');
      assert.deepEqual(seen.problems, []);
    } finally {
      await close();
    }
  });

  test("the consumption chart's Per (its buckets) is asked for and kept in the URL, beside Group by", async () => {
    const { page, seen, close } = await open(browser, server.url);
    try {
      await answered(seen, ['/api/consumption']);
      await settled(page, ['consumption-chart']);
      const asked = () => seen.api.filter((r) => r.url.includes('/api/consumption?')).map((r) => new URL(r.url).searchParams.get('bucket'));
      assert.equal(asked().at(-1), 'auto');
      await page.selectOption('[data-bucket]', 'day');
      assert.equal(new URL(page.url()).searchParams.get('bucket'), 'day');
      await page.waitForFunction(() => !document.querySelector('consumption-chart')!.hasAttribute('loading'));
      assert.equal(asked().at(-1), 'day');
      await page.selectOption('[data-group-by]', 'endpoint');
      await page.reload();
      await settled(page, ['consumption-chart']);
      assert.deepEqual([await page.inputValue('[data-bucket]'), await page.inputValue('[data-group-by]')], ['day', 'endpoint']);
      await page.goBack();
      await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-group-by]')!.value === 'ioType');
      assert.equal(await page.inputValue('[data-bucket]'), 'day');
      assert.deepEqual(seen.problems, []);
    } finally {
      await close();
    }
  });

  test("the consumption chart's Compare (the previous period) is kept in the URL: a reload keeps it, Back returns", async () => {
    const { page, seen, close } = await open(browser, server.url);
    try {
      await settled(page, ['consumption-chart']);
      const toggle = page.locator('[data-consumption] [part~="compare-toggle"]');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await toggle.click();
      assert.equal(new URL(page.url()).searchParams.get('compare'), '1');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      await page.reload();
      await settled(page, ['consumption-chart']);
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      // The previous period is asked for: the range before the page's.
      await page.waitForFunction(() => document.querySelector('[data-consumption]')!.shadowRoot!.querySelector('[part~="comparison"]') !== null);
      await page.goBack();
      await page.waitForFunction(() => !(document.querySelector('[data-consumption]') as unknown as { compare: boolean }).compare);
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      assert.deepEqual(seen.problems, []);
    } finally {
      await close();
    }
  });

  test("following a user ID keeps the date range and resource type in view, and so does the way back", async () => {
    const { page, seen, close } = await open(browser, `${server.url}?ud.range=30d&ud.type=tokens&ud.pool=surplus`);
    try {
      await settled(page, ['consumption-events-table']);
      const link = page.locator('consumption-events-table a[data-nav="userId"]').first();
      const userId = await link.textContent();
      await Promise.all([page.waitForURL(/\/users\//), link.click()]);
      const there = new URL(page.url());
      assert.equal(there.pathname, `/users/${encodeURIComponent(userId!)}`);
      // The range and type go along; the table's own narrowing (pool) does not. The page's
      // user is its own state, which the URL holds beside them.
      assert.deepEqual([...there.searchParams], [['ud.range', '30d'], ['ud.type', 'tokens'], ['ud.user', userId]]);
      await settled(page, ['consumption-chart', 'consumption-events-table']);
      const asked = seen.api.filter((r) => new URL(r.url).pathname === '/api/consumption').map((r) => new URL(r.url).searchParams).at(-1)!;
      assert.equal(asked.get('resourceType'), 'tokens');
      assert.equal(Date.parse(asked.get('to')!) - Date.parse(asked.get('from')!), 30 * 24 * 3_600_000);
      await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.click('nav.breadcrumb a')]);
      assert.deepEqual([...new URL(page.url()).searchParams], [['ud.range', '30d'], ['ud.type', 'tokens']]);
      assert.deepEqual(seen.problems, []);
    } finally {
      await close();
    }
  });

  test("the first Tab reaches a link that skips to the event log, past the filter bar and the charts", async () => {
    for (const path of ['', 'users/svc-batch-summarizer']) {
      const { page, close } = await open(browser, `${server.url}${path}`);
      try {
        await settled(page, ['consumption-events-table']);
        await page.keyboard.press('Tab');
        const link = await page.evaluate(() => {
          const active = document.activeElement as HTMLAnchorElement;
          return { text: active.textContent, top: active.getBoundingClientRect().top, target: document.querySelector(active.hash)?.localName };
        });
        assert.match(link.text ?? '', /^Skip to the (event log|user's events)$/);
        assert.ok(link.top >= 0, 'in view once focused');
        assert.equal(link.target, 'div');
        await page.keyboard.press('Enter');
        // The focus moves to the event log's wrapper (a screen reader follows it there)…
        const landed = await page.evaluate(() => ({ on: document.activeElement?.id, holds: document.activeElement?.firstElementChild?.localName }));
        assert.deepEqual(landed, { on: 'events', holds: 'consumption-events-table' }, path || '/');
        // …and the next Tab goes into the table (its first control), not to the filter bar.
        const inTable = () => page.evaluate(() => ({ on: document.activeElement?.localName, part: document.activeElement?.shadowRoot?.activeElement?.getAttribute('part') }));
        await page.keyboard.press('Tab');
        assert.deepEqual(await inTable(), { on: 'consumption-events-table', part: 'download' }, path || '/');
        // Tab from the chart before it reaches the table too: a negative tabindex on the table
        // itself took every control inside it out of the Tab order (Tab left the page).
        await page.keyboard.press('Shift+Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.localName), 'consumption-chart', path || '/');
        await page.keyboard.press('Tab');
        assert.deepEqual(await inTable(), { on: 'consumption-events-table', part: 'download' }, path || '/');
      } finally {
        await close();
      }
    }
  });

  test('the theme switch reaches the page and the elements, and is remembered', async () => {
    const { page, close } = await open(browser, server.url);
    try {
      await page.selectOption('[data-theme-switch]', 'dark');
      const applied = await page.evaluate(() => ({ page: document.documentElement.dataset.theme, holder: document.querySelector('usage-filters')!.getAttribute('theme') }));
      assert.deepEqual(applied, { page: 'dark', holder: 'dark' });
      await page.reload();
      assert.equal(await page.evaluate(() => document.querySelector('usage-filters')!.getAttribute('theme')), 'dark');
    } finally {
      await close();
    }
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`the dashboard and a user page pass axe (${scheme})`, async () => {
      for (const path of ['', 'users/svc-batch-summarizer']) {
        // axe is injected as an inline script: this page alone runs without the CSP.
        const { page, seen, close } = await open(browser, `${server.url}${path}`, { colorScheme: scheme, bypassCSP: true });
        try {
          await answered(seen, ['/api/events', '/api/consumption']);
          await settled(page, ['consumption-chart', 'consumption-events-table']);
          assert.deepEqual(await axeViolations(page), [], `${path || '/'} in ${scheme}`);
        } finally {
          await close();
        }
      }
    });
  }

  test("a user page shows the user's limits and pins the chart and the table to the user", async () => {
    const users = (await (await fetch(`${server.url}api/users?q=u_&limit=1`, { headers: { authorization: `Bearer ${server.tokens.demoRead}` } })).json()) as { items: { id: string; name: string }[] };
    const user = users.items[0]!;
    // Events of the user in the last minutes, so that the window of "left now" holds some.
    const ingest = await fetch(`${server.url}api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.tokens.demoIngest}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [700, 1300].map((amount, i) => ({ userId: user.id, amount, resourceType: 'tokens', ioType: 'input', requestId: `req_left_${i}`, endpoint: '/v1/chat/completions' })) }),
    });
    assert.equal(ingest.status, 200);
    const opened = Date.now();
    const { page, seen, close } = await open(browser, `${server.url}users/${encodeURIComponent(user.id)}`);
    try {
      await answered(seen, ['/api/events', '/api/consumption']);
      await settled(page, ['consumption-chart', 'consumption-events-table']);
      assert.deepEqual(seen.problems, []);
      await page.waitForFunction(() => document.querySelectorAll('[data-limits] tr').length === 3);
      const shown = await page.evaluate(() => ({
        title: document.querySelector('h1')!.textContent,
        rows: [...document.querySelectorAll('[data-limits] tr')].map((tr) => tr.querySelector('th')!.textContent),
      }));
      assert.deepEqual(shown, { title: user.name, rows: ['Tokens', 'Storage', 'OCR'] });
      // The limits table is named by its heading for a screen reader (it read `table ""`).
      assert.equal(await page.getByRole('table', { name: 'Limits per rolling 4 hours', exact: true }).count(), 1);
      // What is left now in the rolling 4 hours, as ingest would classify the next event:
      // checked against the user's events of that window, read here from the API.
      await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-left-note]')!.dataset['asOf'] !== undefined);
      const left = await page.evaluate(() => ({
        asOf: document.querySelector<HTMLElement>('[data-left-note]')!.dataset['asOf']!,
        tokens: [...document.querySelector('[data-limits] tr')!.querySelectorAll('td')].map((td) => td.textContent!),
      }));
      const now = Date.parse(left.asOf);
      const window = new URLSearchParams({ userId: user.id, resourceType: 'tokens', pageSize: '500', from: new Date(now - 4 * 3_600_000 + 1).toISOString(), to: new Date(now + 1).toISOString() });
      const events = (await (await fetch(`${server.url}api/events?${window}`, { headers: { authorization: `Bearer ${server.tokens.demoRead}` } })).json()) as { items: { amount: number; surplusAmount: number }[]; total: number };
      assert.ok(events.total > 0 && events.total <= 500, `${events.total} events in the window`);
      const detail = (await (await fetch(`${server.url}api/users/${encodeURIComponent(user.id)}`, { headers: { authorization: `Bearer ${server.tokens.demoRead}` } })).json()) as { limits: { tokens: { basePer4h: number } } };
      const baseUsed = events.items.reduce((sum, e) => sum + e.amount - e.surplusAmount, 0);
      assert.equal(left.tokens.length, 4);
      assert.match(left.tokens[1]!, /^[\d,]+ tokens \(\d+%\)$/);
      assert.equal(Number(left.tokens[1]!.split(' ')[0]!.replace(/,/g, '')), Math.max(0, detail.limits.tokens.basePer4h - baseUsed));
      assert.match(left.tokens[3]!, /^[\d,]+ tokens \(\d+%\)(, pool-limited)?$/);

      // "Data as of" and "left now" read one answer of GET limits (the page asked twice before).
      // (one read at load, one more per 30 s the page has been open)
      const limitsReads = seen.api.filter((r) => new URL(r.url).pathname.endsWith('/api/limits')).length;
      assert.ok(limitsReads <= 1 + Math.floor((Date.now() - opened) / 30_000), `${limitsReads} reads of GET limits`);
      const data = seen.api.filter((r) => /\/api\/(events|consumption)\?/.test(r.url));
      assert.ok(data.length >= 2);
      for (const request of data) assert.deepEqual(new URL(request.url).searchParams.getAll('userId'), [user.id], request.url);
      // The page's user is the pieces' own filter: the bar offers no users picker that would change nothing.
      const pickers = await page.evaluate(() => {
        const field = document.querySelector('usage-filter-bar')!.shadowRoot!.querySelector('[part~="users"]')!;
        return { users: getComputedStyle(field).display, range: getComputedStyle(document.querySelector('usage-filter-bar')!.shadowRoot!.querySelector('[part~="range"]')!).display };
      });
      assert.equal(pickers.users, 'none');
      assert.notEqual(pickers.range, 'none');
      // The user is the page's own state: nothing to reset (Reset returns to the user, it
      // cannot drop them); the URL holds it, as every field that is not the default.
      const shared = await page.evaluate(() => ({
        reset: document.querySelector('usage-filter-bar')!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="reset"]')!.disabled,
        search: [...new URLSearchParams(location.search)],
        userIds: (document.querySelector('usage-filters') as HTMLElement & { filters: { userIds: string[] } }).filters.userIds,
      }));
      assert.deepEqual(shared, { reset: true, search: [['ud.user', user.id]], userIds: [user.id] });
    } finally {
      await close();
    }
  });

  test('a user whose ID holds commas and spaces gets their own page, not an empty one', async () => {
    // IDs an attribute would split (commas) or trim (spaces at either end): the page sets
    // the user through the `filters` property, so every request names exactly this user.
    const store = server.opened.store;
    const { orgId } = (await store.findToken(sha256Hex(server.tokens.demoRead)))!;
    const limits = await store.userLimits(orgId, 'svc-batch-summarizer');
    for (const id of ['user with spaces, and,commas', ' padded ']) {
      await store.putUsers(orgId, [{ id, email: 'odd@northwind.example' }]);
      await store.setUserLimits(orgId, id, limits);
      const ingest = await fetch(`${server.url}api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.tokens.demoIngest}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [400, 600].map((amount, i) => ({ userId: id, amount, resourceType: 'tokens', ioType: 'input', requestId: `req_odd_${id.length}_${i}`, endpoint: '/v1/chat/completions' })) }),
      });
      assert.equal(ingest.status, 200);
      // A `ud.user` naming someone else does not take the page to another user: it gives way.
      const { page, seen, close } = await open(browser, `${server.url}users/${encodeURIComponent(id)}?ud.user=svc-batch-summarizer&ud.range=30d`);
      try {
        await page.waitForFunction(() => {
          const table = document.querySelector('consumption-events-table')!;
          return !table.hasAttribute('loading') && table.shadowRoot!.querySelectorAll('[data-column="userId"]').length > 0;
        }, undefined, { timeout: 30_000 });
        const shown = await page.evaluate(() => [...document.querySelector('consumption-events-table')!.shadowRoot!.querySelectorAll('[data-column="userId"]')].map((cell) => cell.textContent!.trim()));
        assert.equal(shown.length, 2, JSON.stringify(shown));
        assert.deepEqual([...new URL(page.url()).searchParams], [['ud.range', '30d'], ['ud.user', id]]);
        const data = seen.api.filter((r) => /\/api\/(events|consumption)\?/.test(r.url));
        assert.ok(data.length >= 2);
        for (const request of data) assert.deepEqual(new URL(request.url).searchParams.getAll('userId'), [id], request.url);
        assert.deepEqual(seen.problems, []);
      } finally {
        await close();
      }
    }
  });

  test('a 256-character user ID wraps: the user page is no wider than the window', async () => {
    const store = server.opened.store;
    const { orgId } = (await store.findToken(sha256Hex(server.tokens.demoRead)))!;
    const id = 'x'.repeat(256);
    await store.putUsers(orgId, [{ id, name: 'Long Identifier', email: 'long@northwind.example' }]);
    await store.setUserLimits(orgId, id, await store.userLimits(orgId, 'svc-batch-summarizer'));
    // Events of theirs, so that the chart and the table show rows, not a message naming the ID.
    const ingest = await fetch(`${server.url}api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.tokens.demoIngest}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ userId: id, amount: 500, resourceType: 'tokens', ioType: 'input', requestId: 'req_long_0', endpoint: '/v1/chat/completions' }] }),
    });
    assert.equal(ingest.status, 200);
    for (const width of [1400, 390]) {
      const { page, close } = await open(browser, `${server.url}users/${id}`);
      try {
        await page.setViewportSize({ width, height: 900 });
        // The subtitle names the ID after the email once the user is loaded.
        await page.waitForFunction((userId) => document.querySelector('[data-user-email]')!.textContent!.endsWith(userId), id);
        await settled(page, ['consumption-chart', 'consumption-events-table']);
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, `the page's width at ${width} px`);
      } finally {
        await close();
      }
    }
  });

  test('an unknown user is said to be unknown, not shown as an empty page', async () => {
    const { page, close } = await open(browser, `${server.url}users/${encodeURIComponent('nobody, "here"')}`);
    try {
      await page.waitForFunction(() => !document.querySelector<HTMLElement>('[data-user-missing]')!.hidden);
      const state = await page.evaluate(() => ({
        dashboard: document.querySelector<HTMLElement>('[data-user-dashboard]')!.hidden,
        limits: document.querySelector<HTMLElement>('[data-user-section]')!.hidden,
        title: document.querySelector('h1')!.textContent,
        // No placeholder left loading under the heading; a way back.
        placeholders: [...document.querySelectorAll('.skeleton')].filter((el) => el.getClientRects().length > 0).length,
        back: document.querySelector('[data-user-missing] a')?.getAttribute('href'),
      }));
      assert.deepEqual(state, { dashboard: true, limits: true, title: 'nobody, "here"', placeholders: 0, back: '/' });
      // Hidden means not shown: no filter bar, chart or table of a user who is not there.
      const shown = await page.evaluate(() =>
        ['usage-filter-bar', 'consumption-chart', 'consumption-events-table'].filter((tag) => document.querySelector(tag)!.getClientRects().length > 0),
      );
      assert.deepEqual(shown, []);
    } finally {
      await close();
    }
  });
});
