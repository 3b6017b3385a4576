import fs from 'node:fs';
import http from 'node:http';
import { chromium } from 'playwright-core';
export const TOKEN = 'ud_demo_read_p71Kv8NPbvrfmMxUlP8LwP6D2ayOQvhU';
export const UP = 'http://localhost:8090';
export const modes = {}; // key -> handler(req,res,forward,url)
export const log = [];   // request log
export function keyOf(p) {
  const m = p.replace(/^\/api\//, '').split('?')[0];
  if (m.startsWith('users/')) return 'user';
  return m;
}
export function forward(req, res, urlOverride) {
  const u = new URL(urlOverride ?? req.url, UP);
  const up = http.request(u, { method: req.method, headers: { ...req.headers, host: 'localhost:8090' } }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on('error', (e) => { try { res.destroy(e); } catch {} });
  res.on('close', () => { if (!res.writableFinished) up.destroy(); });
  req.pipe(up);
}
export async function fetchUp(path, headers = {}) {
  const r = await fetch(new URL(path, UP), { headers: { Authorization: 'Bearer ' + TOKEN, ...headers } });
  return { status: r.status, text: await r.text(), headers: r.headers };
}
export function page(html) { return html; }
export const HTML = (opts = {}) => `<!doctype html><html><head><meta charset="utf-8"><title>resil</title>
<style>body{font-family:sans-serif;margin:16px;max-width:1300px} usage-filters>*{display:block;margin-bottom:16px}</style>
<script type="module">
import { configureUsageDashboard } from '/dist/usage-dashboard.bundle.js';
window.__errs = []; window.__changes = [];
document.addEventListener('usage-error', (e) => { window.__errs.push({ tag: e.composedPath()[0].localName, ...e.detail, t: performance.now() }); });
document.addEventListener('usage-filters-change', (e) => window.__changes.push(e.detail.state));
window.addEventListener('unhandledrejection', (e) => window.__unhandled = (window.__unhandled||[]).concat(String(e.reason && (e.reason.stack||e.reason))));
const f = document.querySelector('usage-filters');
f.requestOptions = { headers: { Authorization: 'Bearer ${TOKEN}' } };
</script></head><body>
<usage-filters data-endpoint="/api" ${opts.attrs ?? ''}>
  <usage-filter-bar></usage-filter-bar>
  <surplus-chart></surplus-chart>
  <consumption-chart ${opts.ccAttrs ?? ''}></consumption-chart>
  <consumption-events-table></consumption-events-table>
</usage-filters>
</body></html>`;
export function startProxy(port, htmlFn) {
  const server = http.createServer((req, res) => {
    const p = req.url;
    if (p.startsWith('/favicon')) { res.writeHead(204); res.end(); return; }
    if (p.startsWith('/dist/')) { const f = '/work/main' + p.split('?')[0]; if (fs.existsSync(f)) { res.writeHead(200, { 'content-type': f.endsWith('.js') ? 'text/javascript' : 'application/json', 'cache-control': 'no-store' }); res.end(fs.readFileSync(f)); return; } }
    if (p.startsWith('/resil.html')) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(htmlFn(new URL(p, 'http://x'))); return; }
    if (p.startsWith('/api/')) {
      const k = keyOf(p);
      const entry = { t: Date.now(), k, url: p, status: 'pending' };
      log.push(entry);
      res.on('finish', () => (entry.status = res.statusCode));
      res.on('close', () => { if (entry.status === 'pending') entry.status = 'closed-early'; });
      const h = modes[k];
      if (h) return h(req, res, forward, p);
    }
    forward(req, res);
  });
  return new Promise((r) => server.listen(port, () => r(server)));
}
export async function launch(port, q = '', viewport = { width: 1300, height: 2200 }) {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const p = await b.newPage({ viewport });
  const consoleLog = [];
  p.on('pageerror', (e) => consoleLog.push('PAGEERROR ' + e.message));
  p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleLog.push(m.type() + ' ' + m.text()); });
  await p.goto(`http://localhost:${port}/resil.html${q}`);
  await p.waitForFunction(() => customElements.get('usage-filter-bar') && document.querySelector('usage-filter-bar').shadowRoot, null, { timeout: 10000 }).catch(async (e) => { console.log('LOAD FAIL', consoleLog); throw e; });
  return { b, p, consoleLog };
}
// snapshot of each element's state
export async function snap(p) {
  return p.evaluate(() => {
    const out = {};
    for (const tag of ['usage-filter-bar', 'surplus-chart', 'consumption-chart', 'consumption-events-table']) {
      const el = document.querySelector(tag);
      const sr = el.shadowRoot;
      const err = sr.querySelector('[part~="error"]');
      const retry = sr.querySelector('[part~="retry"]');
      const o = { loading: el.hasAttribute('loading'), error: el.hasAttribute('error') };
      if (err) o.errText = err.textContent.replace(/\s+/g, ' ').trim().slice(0, 200);
      if (retry) o.retry = retry.textContent.trim() + (retry.getAttribute('aria-disabled') ? '(disabled)' : '');
      if (tag === 'consumption-events-table') o.rows = sr.querySelectorAll('[part~="row"]').length;
      if (tag.endsWith('chart')) { const s = sr.querySelector('[part~="summary"]'); o.summary = s ? s.textContent.replace(/\s+/g, ' ').trim().slice(0, 120) : null; o.canvas = !!sr.querySelector('canvas'); o.skeleton = !!sr.querySelector('[part~="skeleton"]'); }
      const ls = sr.querySelector('[part~="live-status"]'); if (ls) o.live = ls.textContent.replace(/\s+/g, ' ').trim().slice(0, 160);
      out[tag] = o;
    }
    out.state = document.querySelector('usage-filters').contextValue?.state;
    out.errs = window.__errs.map((e) => ({ tag: e.tag, code: e.code, status: e.status, message: (e.message||'').slice(0, 160), param: e.param, url: e.url && e.url.replace(location.origin, '') }));
    out.unhandled = window.__unhandled;
    return out;
  });
}
export async function clickRetry(p, tag) {
  return p.evaluate((tag) => { const r = document.querySelector(tag).shadowRoot.querySelector('[part~="retry"]'); if (!r) return false; r.click(); return true; }, tag);
}
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export async function upstreamJson(req) {
  const r = await fetch(new URL(req.url, UP), { headers: { Authorization: req.headers.authorization ?? '' } });
  return { status: r.status, text: await r.text() };
}
export const H = {
  json500: (req, res) => { res.writeHead(500, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: { code: 'internal', message: 'Database exploded (test 500)' } })); },
  html502: (req, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>'); },
  r429: (req, res) => { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '5' }); res.end(JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down (test 429)' } })); },
  r401: (req, res) => { res.writeHead(401, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'Token expired (test 401)' } })); },
  netErr: (req, res) => { req.socket.destroy(); },
  hang: (req, res) => { /* never answer */ },
  trunc: async (req, res) => { const u = await upstreamJson(req); res.writeHead(200, { 'content-type': 'application/json' }); res.end(u.text.slice(0, Math.floor(u.text.length / 2))); },
  mutate: (fn) => async (req, res) => { const u = await upstreamJson(req); const j = JSON.parse(u.text); const out = fn(j, req) ?? j; res.writeHead(200, { 'content-type': 'application/json' }); res.end(typeof out === 'string' ? out : JSON.stringify(out)); },
  slow: (ms) => (req, res, fwd) => { const t = setTimeout(() => fwd(req, res), ms); res.on('close', () => clearTimeout(t)); },
};
// person's changes through the filter bar
export async function clickSegment(p, label) {
  return p.evaluate((label) => { const sr = document.querySelector('usage-filter-bar').shadowRoot; const b = [...sr.querySelectorAll('[part~="segment"], [part~="toggle"]')].find((x) => x.textContent.trim() === label); if (!b) return 'no ' + label; b.click(); return 'ok'; }, label);
}
