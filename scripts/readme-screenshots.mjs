// Takes the README's screenshots of the demo (docs/images/dashboard-light.png and
// dashboard-dark.png): the reference server on the in-memory store, seeded, without live
// traffic, and the host page in headless Chromium at 1,280px, the top of the page down to
// the first rows of the event log. Run after `npm run build`:
//
//   node scripts/readme-screenshots.mjs
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'images');
mkdirSync(out, { recursive: true });

const server = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], {
  env: { ...process.env, PORT: '0', DATABASE_URL: 'memory:', SEED_EVENTS: '20000', LIVE_TRAFFIC: 'off' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const found = /reference server: (http\S+)/.exec(text);
    if (found) resolve(found[1]);
  });
  server.on('exit', (code) => reject(new Error(`the server exited (${code}) before it listened`)));
});

const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
try {
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1500 }, colorScheme, deviceScaleFactor: 1 });
    await page.goto(url);
    // Every piece drawn: the charts' canvases and the table's rows.
    await page.waitForFunction(() => {
      const table = document.querySelector('consumption-events-table');
      return (table?.shadowRoot?.querySelectorAll('[role="row"][aria-rowindex]').length ?? 0) > 1 && document.querySelectorAll('surplus-chart, consumption-chart').length === 2;
    });
    await page.waitForTimeout(1500);
    const path = join(out, `dashboard-${colorScheme}.png`);
    await page.screenshot({ path });
    console.log(`wrote ${path.slice(root.length + 1)}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
