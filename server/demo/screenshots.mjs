// Screenshots of the running demo (playwright-core over Debian's Chromium): the dashboard
// in light and dark at 1,400 and 390 px, and a user page. Also reports what the page logged
// (errors, failed requests), so an element misbehaving shows up here.
//   node server/demo/screenshots.mjs http://localhost:8080/ [out-dir=screenshots]
// The user page is a user's the demo token lists: DEMO_TOKEN, else DATA_DIR's tokens.json.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';

const base = new URL(process.argv[2] ?? 'http://localhost:8080/');
const out = process.argv[3] ?? 'screenshots';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
const problems = [];

/** Waits until no element inside the dashboard is loading, the charts have drawn and the table has rows. */
async function settle(page) {
  await page.waitForFunction(
    () => {
      const all = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      const tags = ['surplus-chart', 'consumption-chart', 'consumption-events-table'];
      const pieces = all.filter((el) => tags.includes(el.localName));
      return pieces.length > 0 && pieces.every((el) => !el.hasAttribute('loading'));
    },
    undefined,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(1_200);
}

async function shoot(name, path, { width, theme }) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${name}: console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${name}: ${response.status()} ${response.url()}`);
  });
  await page.addInitScript((chosen) => localStorage.setItem('usage-demo.theme', chosen), theme);
  await page.goto(new URL(path, base).href);
  try {
    await settle(page);
  } catch {
    problems.push(`${name}: the elements did not finish loading in 30 s`);
  }
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`wrote ${file}`);
  if (width < 600) {
    // The whole narrow page shrinks too much to read: its first screen as well.
    const top = join(out, `${name}-top.png`);
    await page.screenshot({ path: top });
    console.log(`wrote ${top}`);
  }
  await context.close();
  return page;
}

await shoot('dashboard-light-1400', '/', { width: 1400, theme: 'light' });
await shoot('dashboard-dark-1400', '/', { width: 1400, theme: 'dark' });
await shoot('dashboard-light-390', '/', { width: 390, theme: 'light' });
await shoot('dashboard-dark-390', '/', { width: 390, theme: 'dark' });

// The demo's read token: DEMO_TOKEN, else the one the server generated in DATA_DIR (./data).
const tokensFile = join(process.env.DATA_DIR?.trim() || 'data', 'tokens.json');
const token = process.env.DEMO_TOKEN ?? (existsSync(tokensFile) ? JSON.parse(readFileSync(tokensFile, 'utf8')).demoRead : '');
const users = await fetch(new URL('/api/users?q=u_&limit=1', base), { headers: { authorization: `Bearer ${token}` } });
const userId = users.ok ? (await users.json()).items[0]?.id : undefined;
if (!userId) problems.push(`no user to shoot: GET /api/users answered ${users.status} (set DEMO_TOKEN, or DATA_DIR to the server's)`);
await shoot('user-light-1400', `/users/${encodeURIComponent(userId ?? 'unknown')}`, { width: 1400, theme: 'light' });
await shoot('user-dark-390', `/users/${encodeURIComponent(userId ?? 'unknown')}`, { width: 390, theme: 'dark' });

await browser.close();
if (problems.length) {
  console.log(`\n${problems.length} problem(s) seen by the pages:`);
  for (const line of problems) console.log(`  ${line}`);
}
