/**
 * `createDemoHandler`: a seeded in-memory store behind the contract handler, for element
 * tests and Storybook (pass `demo.requestOptions` or `demo.fetch` as the `fetch` request
 * option; no server, works from file://). Browser-safe.
 */
import type { IngestEventInput } from '../../src/api/contract.js';
import { createHandler, type Handler } from '../handler/handler.js';
import { createMemoryStore, type MemoryStore } from '../store/memory/memory-store.js';
import { seedDemo, type SeedSummary } from './seed.js';

/** The demo organization's read token. */
export const DEMO_TOKEN = 'demo-read-token';
/** The demo organization's token with the ingest scope. */
export const DEMO_INGEST_TOKEN = 'demo-ingest-token';
/** The second organization's read token (its data must never show with DEMO_TOKEN). */
export const OTHER_ORG_TOKEN = 'other-org-read-token';
export const OTHER_ORG_INGEST_TOKEN = 'other-org-ingest-token';

export interface DemoOptions {
  /** About how many events the demo organization gets (default 20,000). */
  events?: number;
  /** The server's clock; the history ends at its value when created. */
  now?: () => number;
  /** Days of history (default 90). */
  days?: number;
  /** The path the contract answers at (default "/api"): use data-endpoint="/api". */
  basePath?: string;
  /** How many users the demo organization has (default: scaled with `events`, at most 420). */
  users?: number;
}

export interface DemoServer {
  /** The contract handler; it waits for the seed before answering. */
  handler: Handler;
  /** A `fetch` for the request options: every URL goes to the handler, whatever its origin. */
  fetch: typeof fetch;
  /** Ready-made request options: the demo `fetch` and the read token. */
  requestOptions: { fetch: typeof fetch; headers: Record<string, string> };
  store: MemoryStore;
  /** Resolves when the seed is written. */
  ready: Promise<SeedSummary>;
  /** Ingests events now through `POST events` with the ingest token (live tests). */
  ingest(events: IngestEventInput | IngestEventInput[]): Promise<Response>;
}

export function createDemoHandler(options: DemoOptions = {}): DemoServer {
  const now = options.now ?? Date.now;
  const basePath = options.basePath ?? '/api';
  const store = createMemoryStore();
  const ready = seedDemo(store, {
    events: options.events ?? 20_000,
    now: now(),
    days: options.days ?? 90,
    ...(options.users ? { users: options.users } : {}),
    tokens: { demoRead: DEMO_TOKEN, demoIngest: DEMO_INGEST_TOKEN, otherRead: OTHER_ORG_TOKEN, otherIngest: OTHER_ORG_INGEST_TOKEN },
  });
  const inner = createHandler({ store, now, basePath });
  const handler: Handler = async (request) => {
    await ready;
    return inner(request);
  };
  const demoFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (input instanceof Request) return handler(init ? new Request(input, init) : input);
    const url = new URL(String(input), 'http://memory');
    return handler(new Request(url, init));
  }) as typeof fetch;
  return {
    handler,
    fetch: demoFetch,
    requestOptions: { fetch: demoFetch, headers: { authorization: `Bearer ${DEMO_TOKEN}` } },
    store,
    ready,
    ingest(events) {
      return demoFetch(`${basePath}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_INGEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(Array.isArray(events) ? { events } : events),
      });
    },
  };
}
