/**
 * The demo site around the contract handler: `/` the organization's dashboard,
 * `/users/{id}` the per-user page, `/assets/*` the pages' own files, `/dist/*` the built
 * library (the pages load `/dist/usage-dashboard.bundle.js`), and the contract at `/api`.
 * The pages get their configuration (endpoint, the demo read token, the organization, the
 * user) in a `<script type="application/json">` data block, which is never executed, so
 * the pages run under a strict Content-Security-Policy with no inline script.
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { WebHandler } from './adapter.js';
import { acceptsGzip, isCompressible, MIN_COMPRESSED_BYTES } from './compression.js';

export interface SiteOptions {
  /** The contract handler, created with `basePath` equal to `apiPath`. */
  api: WebHandler;
  /** Where the contract is mounted (default "/api"). */
  apiPath?: string;
  /** The demo organization's read token, handed to the pages. */
  token: string;
  /** The organization's display name, shown in the header. */
  organization: string;
  /** Folder holding index.html, user.html, demo.js, demo.css. */
  demoDir: string;
  /** The built library (`dist/`), served under `/dist/`. */
  distDir: string;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // No 'unsafe-inline': the pages and the elements style through files and constructed
  // style sheets; allowed, an injected style could read the page holding a token.
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
};

const gzip = promisify(gzipCallback);

const DEMO_ASSETS = new Set(['demo.js', 'demo.css', 'favicon.svg']);

/** JSON safe to place inside a <script type="application/json"> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Text safe inside an HTML element or a double-quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function contentType(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 && TYPES[file.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

/** The first existing folder among candidates (the built package, then the source tree). */
export function findDir(...candidates: URL[]): string {
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  return fileURLToPath(candidates[candidates.length - 1]!);
}

/**
 * The file under `root` that a URL path below the mount names, or null when the path is
 * malformed or leaves `root` (`..`, encoded slashes or backslashes, NUL).
 */
export function safeFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.') || segments.at(-1) === '') return null;
  const base = resolve(root);
  const file = resolve(base, ...segments.filter(Boolean));
  return file.startsWith(base + sep) ? file : null;
}

export function createSite(options: SiteOptions): WebHandler {
  const apiPath = (options.apiPath ?? '/api').replace(/\/+$/, '');
  const headers = (type: string): Record<string, string> => ({
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-cache',
  });
  const text = (status: number, body: string) => new Response(body, { status, headers: headers('text/plain; charset=utf-8') });
  const notFound = () => text(404, 'Not found');

  /** A page with its configuration in the data block and `%USER_ID%` filled in (escaped). */
  const page = async (file: string, userId?: string) => {
    const html = await readFile(resolve(options.demoDir, file), 'utf8');
    const config = { endpoint: apiPath, token: options.token, organization: options.organization, ...(userId === undefined ? {} : { userId }) };
    // One pass, so that a user ID holding a placeholder's name is never filled in again.
    const body = html.replace(/%(DEMO_CONFIG|USER_ID)%/g, (_, name: string) => (name === 'DEMO_CONFIG' ? scriptJson(config) : escapeHtml(userId ?? '')));
    // Not stored by the browser or a proxy: the page holds the demo's read token.
    return new Response(body, { status: 200, headers: { ...headers(TYPES['.html']!), 'cache-control': 'no-store' } });
  };

  /** Gzipped text files, by path, kept while the file's size and mtime stay the same. */
  const gzipped = new Map<string, { stamp: string; body: Uint8Array<ArrayBuffer> }>();

  const serveFile = async (file: string | null, missing: string, request: Request): Promise<Response> => {
    if (!file) return notFound();
    let info;
    try {
      info = await stat(file);
    } catch {
      return text(404, missing);
    }
    if (!info.isFile()) return notFound();
    const type = contentType(file);
    const fileHeaders = { ...headers(type), vary: 'Accept-Encoding' };
    const compressible = isCompressible(type) && info.size >= MIN_COMPRESSED_BYTES;
    if (!compressible || !acceptsGzip(request.headers.get('accept-encoding'))) {
      return new Response(await readFile(file), { status: 200, headers: fileHeaders });
    }
    // The bundle is about 700 kB, 225 kB gzipped: compress once per version of the file.
    const stamp = `${info.size}:${info.mtimeMs}`;
    let cached = gzipped.get(file);
    if (cached?.stamp !== stamp) {
      cached = { stamp, body: Uint8Array.from(await gzip(await readFile(file))) };
      gzipped.set(file, cached);
    }
    return new Response(cached.body, { status: 200, headers: { ...fileHeaders, 'content-encoding': 'gzip' } });
  };

  return async (request) => {
    const path = new URL(request.url).pathname;
    if (path === apiPath || path.startsWith(`${apiPath}/`)) return options.api(request);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { ...headers('text/plain; charset=utf-8'), allow: 'GET, HEAD' } });
    }
    if (path === '/' || path === '/index.html') return page('index.html');
    const user = /^\/users\/([^/]+)$/.exec(path);
    if (user) {
      let id: string;
      try {
        id = decodeURIComponent(user[1]!);
      } catch {
        return notFound();
      }
      return page('user.html', id);
    }
    if (path.startsWith('/assets/')) {
      const name = path.slice('/assets/'.length);
      return DEMO_ASSETS.has(name) ? serveFile(resolve(options.demoDir, name), 'Not found', request) : notFound();
    }
    if (path.startsWith('/dist/')) {
      return serveFile(safeFile(options.distDir, path.slice('/dist/'.length)), 'Not found (is the library built? run npm run build)', request);
    }
    return notFound();
  };
}
