import { chromium } from 'playwright-core';
const [,, url, sel, out, w='1440', scheme='light'] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: +w, height: 1000 }, colorScheme: scheme });
p.on('pageerror', e => console.log('pageerror', e.message));
await p.goto(url, { waitUntil: 'load' });
await p.waitForTimeout(3500);
await p.locator(sel).first().screenshot({ path: out });
await b.close();
