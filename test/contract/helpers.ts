/** Helpers of the store contract suite: calling the handler, the oracle, reading SSE. */
import { encodeQuery, validateAnswer, type AnswerKind, type ConsumptionEvent } from '../../src/api/contract.js';
import type { Handler } from '../../server/handler/handler.js';
import type { IngestItem, IngestOptions, IngestRefusal, Store } from '../../server/store/types.js';

export const BASE = 'http://contract.test/api';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the handler like a client: a Request with the bearer token, JSON parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field.
export async function call<T = any>(
  handler: Handler,
  path: string,
  token: string | null,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await handler(new Request(`${BASE}${path}`, { ...init, headers }));
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
    body = JSON.parse(text);
    // Every JSON answer must have the contract's shape (the client's own validators).
    const kind = response.status >= 400 ? 'errorBody' : answerKind(path, init.method ?? 'GET');
    if (kind) validateAnswer(kind, body);
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** Which answer a successful GET of a path is (ingest answers are checked by the tests). */
function answerKind(path: string, method: string): AnswerKind | null {
  if (method !== 'GET') return null;
  const route = path.split('?')[0]!;
  if (route === '/events') return 'eventsPage';
  if (route === '/consumption') return 'consumptionSeries';
  if (route === '/surplus') return 'surplusSeries';
  if (route === '/users') return 'usersPage';
  if (route.startsWith('/users/')) return 'userDetail';
  if (route === '/endpoints') return 'endpointsPage';
  if (route === '/limits') return 'orgLimits';
  return null;
}

/** A query string with its `?` (repeatable parameters repeat), or '' when empty. */
export function qs(params: Parameters<typeof encodeQuery>[0]): string {
  const text = encodeQuery(params);
  return text ? `?${text}` : '';
}

/**
 * Wraps a store so that every event it stores is also recorded: the oracle the suite
 * checks answers against, independent of the store's own query paths.
 */
export function recordingStore(store: Store, events: Map<string, ConsumptionEvent[]>): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'ingest') {
        return async (orgId: string, entries: readonly (IngestItem | IngestRefusal)[], options?: IngestOptions) => {
          const outcome = await target.ingest(orgId, entries, options);
          if (outcome.kind === 'stored') {
            const list = events.get(orgId) ?? [];
            for (const result of outcome.results) if (!('error' in result)) list.push(result);
            events.set(orgId, list);
          }
          return outcome;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

/** Reads Server-Sent Events from a streamed body; comments are reported as `event: ':'`. */
export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #done = false;
  #waiters: (() => void)[] = [];
  readonly finished: Promise<void>;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
    this.finished = this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        this.#buffer += this.#decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
          const block = this.#buffer.slice(0, end);
          this.#buffer = this.#buffer.slice(end + 2);
          const message: SseMessage = { event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) message.event = ':';
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          message.data = data.join('\n');
          this.messages.push(message);
        }
        for (const wake of this.#waiters.splice(0)) wake();
      }
    } catch {
      // Cancelled.
    } finally {
      this.#done = true;
      for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  /** The consumption events received so far, in order. */
  events(): ConsumptionEvent[] {
    return this.messages.filter((m) => m.event === 'consumption').flatMap((m) => JSON.parse(m.data) as ConsumptionEvent[]);
  }

  /** Waits until `predicate` holds over the messages, or fails after `ms`. */
  async until(predicate: (messages: SseMessage[]) => boolean, ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this.messages)) {
      if (this.#done) throw new Error(`The stream ended first: ${JSON.stringify(this.messages.slice(-3))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out; got ${JSON.stringify(this.messages.slice(-3))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
    await this.finished;
  }
}

/** Sum of a numeric field. */
export function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
