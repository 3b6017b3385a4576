/** Test helpers: the seeded in-memory reference server as the table's fetch, with a record of the requests. */
import { fixture, html, waitUntil } from '@open-wc/testing';
import { createDemoHandler, type DemoServer } from '../../server/index.js';
import type { ConsumptionEvent, EventsPage, IngestEventInput } from '../api/contract.js';
import { addUserTo, ingestInto, paramsOf } from '../base/test-demo.js';
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
  /** The JSON answer, for `events` requests that succeeded. */
  answer?: Promise<EventsPage | undefined>;
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

/** A fetch through the demo server that records every request (and lets a test intercept them). */
export function recorder(server: DemoServer = demoServer()): Recorder {
  const record: Recorder = {
    requests: [],
    to: (path) => record.requests.filter((r) => r.url.pathname === `/api/${path}`),
    requestOptions: {
      headers: server.requestOptions.headers,
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input), location.href);
        const request: RecordedRequest = { url, params: paramsOf(url) };
        record.requests.push(request);
        const forward = (): Promise<Response> => server.fetch(input, init);
        const response = record.intercept ? record.intercept(url, forward) : forward();
        if (url.pathname === '/api/events') {
          request.answer = response.then((r) => (r.ok ? (r.clone().json() as Promise<EventsPage>) : undefined));
        }
        return response;
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

/** Adds a user with generous budgets to the demo organization, so that events can be ingested for it. */
export function addUser(userId: string, server: DemoServer = demoServer()): Promise<void> {
  return addUserTo(server, userId);
}

/** Ingests events now through `POST events` and returns them as stored. */
export function ingest(events: IngestEventInput[], server: DemoServer = demoServer()): Promise<ConsumptionEvent[]> {
  return ingestInto(server, events);
}

let sequence = 0;

/** A fresh OCR event for a user made for the tests (OCR: no weekly token limit in the way). */
export function ocrEvent(userId: string, overrides: Partial<IngestEventInput> = {}): IngestEventInput {
  sequence += 1;
  return { userId, amount: 1, resourceType: 'ocr', ioType: 'input', requestId: `req_test_${Date.now()}_${sequence}`, endpoint: '/v1/ocr/test', ...overrides };
}

/** A table alone against the demo server, with the given attributes; resolves once its first page shows. */
export async function mountTable(
  attributes: Record<string, string> = {},
  record: Recorder = recorder(),
): Promise<{ table: ConsumptionEventsTable; record: Recorder }> {
  await demoServer().ready;
  const table = document.createElement('consumption-events-table');
  table.setAttribute('data-endpoint', '/api');
  for (const [name, value] of Object.entries(attributes)) table.setAttribute(name, value);
  table.requestOptions = record.requestOptions;
  await fixture(html`${table}`);
  await settled(table);
  return { table, record };
}

/** The sort button of a column. */
export function sortButton(table: ConsumptionEventsTable, column: string): HTMLButtonElement {
  return table.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="sort-button"][data-col="${column}"]`)!;
}

/** A pager button by its accessible name ("Next page"). */
export function pagerButton(table: ConsumptionEventsTable, label: string): HTMLButtonElement {
  return table.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="pager"] button[aria-label="${label}"]`)!;
}

/** Resolves after the next `events` request the table makes has settled on screen. */
export async function nextPage(table: ConsumptionEventsTable, record: Recorder, act: () => void | Promise<void>): Promise<RecordedRequest> {
  const before = record.to('events').length;
  await act();
  await waitUntil(() => record.to('events').length > before, 'a new events request', { timeout: 5_000 });
  await settled(table);
  return lastEventsRequest(record);
}

/**
 * "ResizeObserver loop completed with undelivered notifications" is a benign report of the
 * virtualizer measuring its rows (TOOLCHAIN.md); the test framework would fail a test on it.
 */
export function ignoreResizeObserverLoopErrors(): void {
  const original = window.onerror;
  window.onerror = function (message, ...rest) {
    if (/ResizeObserver loop/.test(String(message))) return true;
    return original ? original.call(window, message, ...rest) : false;
  };
}
