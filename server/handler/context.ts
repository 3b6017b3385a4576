/** What a route gets: the store, the caller's organization, the clock and the request. */
import type { Store } from '../store/types.js';

export interface HandlerOptions {
  store: Store;
  /** The server's clock (epoch ms); tests pass a fixed one. */
  now?: () => number;
  /** The path the contract is mounted at, e.g. "/api" (default: the root). */
  basePath?: string;
  /** Origins allowed to call from another origin (CORS); default none. */
  corsOrigins?: readonly string[];
  /** Requests per second and burst per token; default no limit. */
  rateLimit?: { perSecond: number; burst: number };
  /** Largest request body in bytes (default 16 MiB). */
  maxBodyBytes?: number;
  /** Stream batching interval in ms (default 250). */
  streamFlushMs?: number;
  /** Stream heartbeat interval in ms (default 15,000). */
  heartbeatMs?: number;
  /**
   * How many expensive reads (a page past the first 1,000 rows, a chart of more than 1,500
   * buckets) run at once; the others wait their turn (default 2; admission.ts).
   */
  expensiveReads?: number;
  /**
   * How many live streams one token may hold open at once (default 100,
   * `MAX_STREAMS_PER_TOKEN`); one more is a 429 `rate_limited` with `Retry-After`.
   */
  maxStreamsPerToken?: number;
  /** Told about real faults (answered as 500 `internal`). */
  onError?: (error: unknown, request: Request) => void;
}

export interface RouteContext {
  store: Store;
  orgId: string;
  request: Request;
  url: URL;
  /** The instant the answer reflects. */
  asOf: number;
  now: () => number;
  options: HandlerOptions;
  /** Runs an expensive read when its turn comes, unless the client has gone by then (admission.ts). */
  expensiveRead: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * Takes one of the caller's token's live streams (`maxStreamsPerToken`), or throws the
   * 429 when all are open; returns what gives it back (once, however often called).
   */
  holdStream: () => () => void;
}
