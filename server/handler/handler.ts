/**
 * The reference server as one Web-standard handler: `(Request) => Promise<Response>` over a
 * store, implementing every route of the data-endpoint contract relative to `basePath`.
 * Browser-safe, so element tests and Storybook run it through the `fetch` request option.
 */
import { LIMITS } from '../../src/api/contract.js';
import { ApiError, badParameter } from '../domain/errors.js';
import { longestParameterName } from '../domain/params.js';
import { sha256Hex } from '../domain/sha256.js';
import type { TokenGrant, TokenScope } from '../store/types.js';
import { Admission } from './admission.js';
import type { HandlerOptions, RouteContext } from './context.js';
import { errorResponse, json } from './http.js';
import { getConsumption, getSurplus } from './routes/charts.js';
import { getEndpoints, getLimits, getUser, getUsers } from './routes/directory.js';
import { getEvents, getEventsCsv } from './routes/events.js';
import { postEvents } from './routes/ingest.js';
import { getStream } from './routes/stream.js';

export type { HandlerOptions } from './context.js';
export type Handler = (request: Request) => Promise<Response>;

type Route = (ctx: RouteContext) => Promise<Response>;

/** Expensive reads running at once by default: light requests run between their steps. */
const EXPENSIVE_READS = 2;

const ROUTES: Record<string, Partial<Record<'GET' | 'POST', { scope: TokenScope; run: Route }>>> = {
  '/events': { GET: { scope: 'read', run: getEvents }, POST: { scope: 'ingest', run: postEvents } },
  '/events.csv': { GET: { scope: 'read', run: getEventsCsv } },
  '/events/stream': { GET: { scope: 'read', run: getStream } },
  '/consumption': { GET: { scope: 'read', run: getConsumption } },
  '/surplus': { GET: { scope: 'read', run: getSurplus } },
  '/users': { GET: { scope: 'read', run: getUsers } },
  '/endpoints': { GET: { scope: 'read', run: getEndpoints } },
  '/limits': { GET: { scope: 'read', run: getLimits } },
};

const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID',
  'access-control-expose-headers': 'Retry-After, Content-Disposition, Idempotent-Replayed, Usage-As-Of, Usage-Last-Event-Id',
  'access-control-max-age': '600',
};

function findRoute(path: string, method: string): { scope: TokenScope; run: Route } | null {
  const entry = ROUTES[path];
  if (entry) return entry[method as 'GET' | 'POST'] ?? null;
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user && method === 'GET') {
    let id: string;
    try {
      id = decodeURIComponent(user[1]!);
    } catch {
      return { scope: 'read', run: () => Promise.reject(badParameter('id', 'The user id in the path is not valid percent-encoded UTF-8.')) };
    }
    return { scope: 'read', run: (ctx) => getUser(ctx, id) };
  }
  return null;
}

/**
 * How many live streams one token may hold open at once by default: a page holds one per
 * endpoint, so a hundred tabs; without a bound one client could open streams until the
 * server's memory and sockets ran out (each holds a queue of up to 256 kB).
 */
export const MAX_STREAMS_PER_TOKEN = 100;

/** The live streams open per token (by its hash). */
class StreamSlots {
  readonly #open = new Map<string, number>();

  constructor(readonly max: number) {}

  hold(hash: string): () => void {
    const open = this.#open.get(hash) ?? 0;
    if (open >= this.max) {
      throw new ApiError('rate_limited', `This token holds ${open} live streams open, the most it may; close one, or retry later.`, undefined, undefined, { 'retry-after': '30' });
    }
    this.#open.set(hash, open + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = this.#open.get(hash)! - 1;
      if (left > 0) this.#open.set(hash, left);
      else this.#open.delete(hash);
    };
  }
}

/** A token bucket per token: `perSecond` requests a second, bursts up to `burst`. */
class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly perSecond: number, readonly burst: number) {}

  /** 0 when allowed, else the seconds to wait. */
  take(key: string, now: number): number {
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perSecond);
  }
}

/** How long a token's grant is taken as the store last gave it: a revocation or a narrowed scope counts after at most this. */
export const GRANT_TTL_MS = 30_000;

/** Builds the contract handler over a store. */
export function createHandler(options: HandlerOptions): Handler {
  const { store } = options;
  const now = options.now ?? Date.now;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const origins = new Set(options.corsOrigins ?? []);
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst) : null;
  // What each valid token grants, asked of the store again after GRANT_TTL_MS: kept for the
  // handler's life, a token revoked or narrowed in the store kept working until a restart.
  const grants = new Map<string, { grant: TokenGrant; until: number }>();
  const admission = new Admission(options.expensiveReads ?? EXPENSIVE_READS);
  const streams = new StreamSlots(options.maxStreamsPerToken ?? MAX_STREAMS_PER_TOKEN);

  async function authenticate(request: Request): Promise<{ grant: TokenGrant; hash: string }> {
    const header = request.headers.get('authorization') ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,1024})$/i.exec(header.trim());
    const challenge = { 'www-authenticate': 'Bearer' };
    if (!match) throw new ApiError('unauthorized', 'A bearer token is required (Authorization: Bearer <token>).', undefined, undefined, challenge);
    const hash = sha256Hex(match[1]!);
    const kept = grants.get(hash);
    let grant = kept && kept.until > now() ? kept.grant : null;
    if (!grant) {
      grant = await store.findToken(hash);
      if (grant) grants.set(hash, { grant, until: now() + GRANT_TTL_MS });
      else grants.delete(hash);
    }
    if (!grant) throw new ApiError('unauthorized', 'The bearer token is not valid.', undefined, undefined, challenge);
    return { grant, hash };
  }

  async function answer(request: Request, url: URL): Promise<Response> {
    if (!url.pathname.startsWith(basePath)) throw new ApiError('not_found', 'No such route.');
    const path = url.pathname.slice(basePath.length) || '/';
    const route = findRoute(path, request.method);
    if (!route) throw new ApiError('not_found', `No route ${request.method} ${path.slice(0, 100)}.`);
    const { grant, hash } = await authenticate(request);
    if (!grant.scopes.includes(route.scope)) throw new ApiError('forbidden', `This token lacks the ${route.scope} scope.`);
    if (limiter) {
      const wait = limiter.take(hash, now());
      if (wait > 0) throw new ApiError('rate_limited', 'Too many requests; retry later.', undefined, undefined, { 'retry-after': String(wait) });
    }
    const expensiveRead = <T>(work: () => Promise<T>): Promise<T> => admission.run(work, request.signal);
    return route.run({ store, orgId: grant.orgId, request, url, asOf: now(), now, options, expensiveRead, holdStream: () => streams.hold(hash) });
  }

  async function handle(request: Request): Promise<Response> {
    const origin = request.headers.get('origin');
    // Credentials allowed too (the origins are listed, never `*`): a host whose requests go
    // with `credentials: 'include'` for its own backend can point the elements here as well.
    const cors = origin !== null && origins.has(origin) ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' } : null;
    if (request.method === 'OPTIONS') {
      const preflight = new Response(null, { status: 204, headers: cors ? { ...cors, ...CORS_HEADERS } : {} });
      // An allowed origin may send headers of its own too (the elements' `headers` hook: a
      // tenant, a trace id): those it asks for are allowed beside the contract's.
      const asked = request.headers.get('access-control-request-headers');
      if (cors && asked) preflight.headers.set('access-control-allow-headers', `${CORS_HEADERS['access-control-allow-headers']}, ${asked}`);
      if (origins.size > 0) preflight.headers.append('vary', 'Origin, Access-Control-Request-Headers');
      return preflight;
    }
    let response: Response;
    try {
      const url = new URL(request.url);
      if (url.search.length - 1 > LIMITS.maxQueryLength * 3) {
        // Named as any query string over the limit is (DESIGN.md): its longest parameter, found without decoding the rest.
        throw badParameter(longestParameterName(url.search), `The query string is longer than ${LIMITS.maxQueryLength.toLocaleString('en-US')} characters.`);
      }
      response = await answer(request, url);
    } catch (error) {
      if (error instanceof ApiError) {
        response = errorResponse(error);
      } else if (request.signal.aborted && error === request.signal.reason) {
        // The client went away (a queued expensive read was dropped): nobody reads this, and no
        // fault. Any other error is one, even if the client has gone meanwhile.
        response = new Response(null, { status: 499 });
      } else {
        options.onError?.(error, request);
        response = json(500, { error: { code: 'internal', message: 'The server failed to answer this request.' } });
      }
    }
    if (cors) {
      for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
      response.headers.set('access-control-expose-headers', CORS_HEADERS['access-control-expose-headers']);
    }
    // With CORS_ORIGINS set, every answer depends on Origin (an allowed one gets the CORS
    // headers, any other none), so a cache must not hand one origin's answer to another.
    if (origins.size > 0) response.headers.append('vary', 'Origin');
    return response;
  }

  /**
   * HEAD is GET without the body (RFC 9110 §9.3.2): the same status and headers, the
   * body's stream cancelled unread (a CSV or a live stream stops there).
   */
  return async function handleWithHead(request: Request): Promise<Response> {
    if (request.method !== 'HEAD') return handle(request);
    const response = await handle(new Request(request, { method: 'GET' }));
    await response.body?.cancel();
    return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
