/** Test helpers: the seeded in-memory reference server as the table's fetch, with a record of the requests. */
import { waitUntil } from '@open-wc/testing';
import { createDemoHandler, type DemoServer } from '../../server/index.js';
import type { ConsumptionEventsTable } from './consumption-events-table.component.js';
import './consumption-events-table.js';

let shared: DemoServer | undefined;

/** One seeded demo organization for the whole file (seeding takes a moment). */
export function demoServer(): DemoServer {
  return (shared ??= createDemoHandler({ events: 4_000 }));
}

export interface RecordedRequest {
  url: URL;
  /** The query parameters, repeated ones as arrays. */
  params: Record<string, string | string[]>;
}

/** What a test may do to a request before it reaches the demo server. */
export type Interceptor = (url: URL, forward: () => Promise<Response>) => Promise<Response>;

export interface Recorder {
  requests: RecordedRequest[];
  /** The requests to one path (`events`, `events.csv`, `events/stream`). */
  to(path: string): RecordedRequest[];
  requestOptions: { fetch: typeof fetch; headers: Record<string, string> };
  intercept: Interceptor | undefined;
}

function paramsOf(url: URL): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    params[key] = values.length > 1 ? values : values[0]!;
  }
  return params;
}

/** A fetch through the demo server that records every request (and lets a test intercept them). */
export function recorder(server: DemoServer = demoServer()): Recorder {
  const record: Recorder = {
    requests: [],
    to: (path) => record.requests.filter((r) => r.url.pathname === `/api/${path}`),
    requestOptions: {
      headers: server.requestOptions.headers,
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input), location.href);
        record.requests.push({ url, params: paramsOf(url) });
        const forward = (): Promise<Response> => server.fetch(input, init);
        return record.intercept ? record.intercept(url, forward) : forward();
      }) as typeof fetch,
    },
    intercept: undefined,
  };
  return record;
}

/** The rows of events on screen. */
export function rows(table: ConsumptionEventsTable): HTMLElement[] {
  return [...table.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]')];
}

/** The cell of a column in a row. */
export function cell(row: Element, column: string): HTMLElement {
  return row.querySelector<HTMLElement>(`[data-column="${column}"]`)!;
}

/** Waits until the table shows an answer and has nothing in flight. */
export async function settled(table: ConsumptionEventsTable, message = 'the table settles'): Promise<void> {
  await waitUntil(() => !table.loading && !table.hasAttribute('aria-busy') && table.shadowRoot!.querySelector('[part~="row"], [part~="empty"], [part~="error"]') !== null, message, {
    timeout: 8_000,
  });
  await table.updateComplete;
}

/** The last request to `events`. */
export function lastEventsRequest(record: Recorder): RecordedRequest {
  const list = record.to('events');
  if (list.length === 0) throw new Error('No events request was made');
  return list.at(-1)!;
}
