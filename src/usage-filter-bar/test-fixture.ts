/**
 * Test helpers: the seeded in-memory reference server (server/) as the elements' fetch,
 * with a record of every request, its abort, and a way to hold answers back.
 */
import { aTimeout, waitUntil } from '@open-wc/testing';
import { createDemoHandler, type DemoServer } from '../../server/index.js';
import type { UsageFilterBar } from './usage-filter-bar.component.js';

let shared: DemoServer | undefined;

/** One seeded demo organization (420 users, a few thousand events) for the whole run. */
export function demoServer(): DemoServer {
  return (shared ??= createDemoHandler({ events: 3_000 }));
}

let large: Promise<DemoServer> | undefined;

/** The number of users the large organization has on top of the demo's own. */
export const EXTRA_USERS = 50_000;

/**
 * A demo organization whose store holds 50,000 more users (put into the in-memory store,
 * so every lookup goes through the real `users` route).
 */
export function largeDemoServer(): Promise<DemoServer> {
  return (large ??= (async () => {
    const server = createDemoHandler({ events: 500 });
    await server.ready;
    const users = Array.from({ length: EXTRA_USERS }, (_, i) => {
      const n = String(i).padStart(5, '0');
      return { id: `x_${n}`, name: `Load User ${n}`, email: `load.user.${n}@northwind.example` };
    });
    await server.store.putUsers('org_demo', users);
    return server;
  })());
}

export interface RecordedRequest {
  url: URL;
  /** The route under /api: `events`, `users`, `endpoints`, … */
  path: string;
  params: URLSearchParams;
  aborted: boolean;
}

export interface Recorder {
  requests: RecordedRequest[];
  to(path: string): RecordedRequest[];
  requestOptions: { fetch: typeof fetch; headers: Record<string, string> };
  /** While set, answers to this route wait until `release()`. */
  hold(path: string): void;
  release(): void;
}

export function recorder(server: DemoServer = demoServer()): Recorder {
  let held: string | null = null;
  const waiting: (() => void)[] = [];
  const record: Recorder = {
    requests: [],
    to: (path) => record.requests.filter((r) => r.path === path),
    hold(path) {
      held = path;
    },
    release() {
      held = null;
      for (const go of waiting.splice(0)) go();
    },
    requestOptions: {
      headers: server.requestOptions.headers,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input), location.href);
        const entry: RecordedRequest = { url, path: url.pathname.replace(/^\/api\//, ''), params: url.searchParams, aborted: false };
        record.requests.push(entry);
        const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
        signal?.addEventListener('abort', () => (entry.aborted = true));
        if (held === entry.path) await new Promise<void>((go) => waiting.push(go));
        return server.fetch(input, init);
      }) as typeof fetch,
    },
  };
  return record;
}

/** An element of the bar's shadow root. */
export function part<T extends Element = HTMLElement>(bar: UsageFilterBar, selector: string): T {
  const found = bar.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`No ${selector} in the filter bar`);
  return found;
}

/** The rendered options of a picker (`users` or `endpoints`). */
export function options(bar: UsageFilterBar, id: 'users' | 'endpoints'): HTMLElement[] {
  return [...bar.shadowRoot!.querySelectorAll<HTMLElement>(`#${id}-listbox [role="option"]`)];
}

/** Waits until the picker shows options with content (not placeholders). */
export async function loadedOptions(bar: UsageFilterBar, id: 'users' | 'endpoints'): Promise<HTMLElement[]> {
  await waitUntil(() => options(bar, id).some((o) => !o.classList.contains('placeholder')), `no ${id} options`, { timeout: 5_000 });
  return options(bar, id).filter((o) => !o.classList.contains('placeholder'));
}

/** Types into an input as a person would, through its events, without keyboard timing. */
export function typeInto(input: HTMLInputElement, value: string): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** Types and commits (Enter or leaving the field). */
export function commit(input: HTMLInputElement, value: string): void {
  typeInto(input, value);
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Waits long enough for a pause in typing to apply and any request it caused to be sent. */
export function settle(): Promise<void> {
  return aTimeout(600);
}

/** "ResizeObserver loop completed" from the virtualizer is harmless: keep it from failing a test. */
export function ignoreResizeObserverLoop(): void {
  const original = window.onerror;
  window.onerror = (message, ...rest) => (/ResizeObserver loop/.test(String(message)) ? true : original?.call(window, message, ...rest));
}
