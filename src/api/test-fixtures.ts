/**
 * Test helpers for src/api: well-formed answers of every route, a fetch that records its
 * requests and answers with real Responses, and a fake clock for retries and reconnects.
 */
import type {
  ConsumptionEvent,
  ConsumptionSeries,
  EndpointsPage,
  EventsPage,
  OrgLimits,
  SurplusSeries,
  UserDetail,
  UsersPage,
} from './contract.js';
import type { Scheduler } from './scheduler.js';

const AS_OF = '2025-03-09T12:00:00.000Z';

export function sampleEvent(id: number, overrides: Partial<ConsumptionEvent> = {}): ConsumptionEvent {
  return {
    id: String(id),
    created: new Date(Date.UTC(2025, 2, 9, 11, 0, 0) + id * 1000).toISOString(),
    userId: `user-${id % 3}`,
    amount: 1200,
    resourceType: 'tokens',
    poolCategory: 'hybrid',
    ioType: 'input',
    requestId: `req-${id}`,
    endpoint: '/v1/chat',
    surplusAmount: 200,
    ...overrides,
  };
}

export function sampleEventsPage(): EventsPage {
  return {
    items: [sampleEvent(41), sampleEvent(42, { poolCategory: 'allocated', surplusAmount: 0 })],
    page: 1,
    pageSize: 25,
    total: 2,
    totalIsExact: true,
    asOf: AS_OF,
    lastEventId: '42',
  };
}

export function sampleConsumptionSeries(): ConsumptionSeries {
  return {
    from: '2025-03-09T10:00:00.000Z',
    to: '2025-03-09T12:00:00.000Z',
    bucket: 'hour',
    tz: 'Europe/Berlin',
    resourceType: 'tokens',
    unit: 'tokens',
    groupBy: 'ioType',
    groups: ['input', 'output'],
    points: [
      { t: '2025-03-09T10:00:00.000Z', amount: 30, byGroup: { input: 20, output: 10 } },
      { t: '2025-03-09T11:00:00.000Z', amount: 5, byGroup: { input: 0, output: 5 } },
    ],
    total: 35,
    asOf: AS_OF,
    lastEventId: '42',
  };
}

export function sampleSurplusSeries(): SurplusSeries {
  return {
    from: '2025-03-09T10:00:00.000Z',
    to: '2025-03-09T12:00:00.000Z',
    bucket: 'hour',
    tz: 'UTC',
    resourceType: 'storage',
    unit: 'bytes',
    capacity: 1_000_000,
    points: [
      { t: '2025-03-09T10:00:00.000Z', capacity: 1_000_000, available: 900_000, availableMin: 850_000, drawn: 100_000, usersOverBase: 2 },
      { t: '2025-03-09T11:00:00.000Z', capacity: 1_000_000, available: 0, availableMin: 0, drawn: 900_000, usersOverBase: 7 },
    ],
    projection: { ratePerDay: 12_345.5, troughSlopePerDay: -3.25, exhaustedAt: '2025-03-20T00:00:00.000Z', exhaustions: 1 },
    asOf: AS_OF,
    lastEventId: '42',
  };
}

export function sampleUsersPage(): UsersPage {
  return {
    items: [{ id: 'user-0', name: 'Ada', email: 'ada@example.com' }, { id: 'user-1' }],
    total: 2,
    asOf: AS_OF,
    lastEventId: '42',
  };
}

export function sampleUserDetail(): UserDetail {
  return {
    id: 'user-0',
    name: 'Ada',
    limits: {
      tokens: { basePer4h: 100_000, surplusPer4h: 50_000 },
      storage: { basePer4h: 10_000_000, surplusPer4h: 0 },
      ocr: { basePer4h: 100, surplusPer4h: 20 },
    },
    asOf: AS_OF,
    lastEventId: '42',
  };
}

export function sampleEndpointsPage(): EndpointsPage {
  return { items: [{ endpoint: '/v1/chat', events: 900 }, { endpoint: '/v1/ocr', events: 12 }], asOf: AS_OF, lastEventId: '42' };
}

export function sampleOrgLimits(): OrgLimits {
  return {
    weeklyTokenLimit: 10_000_000,
    weeklyTokensUsed: 1_234_567,
    storageLimit: 5_000_000_000,
    storageUsed: 1_500_000,
    surplusCapacity: { tokens: 300_000, storage: 0, ocr: 50 },
    asOf: AS_OF,
    lastEventId: '42',
  };
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  extra: { param?: string; headers?: Record<string, string> } = {},
): Response {
  const error = { code, message, ...(extra.param ? { param: extra.param } : {}) };
  return jsonResponse({ error }, status, extra.headers);
}

/** A fetch that records every request and answers through `respond`. */
export function recordingFetch(respond: (request: Request, index: number) => Response | Promise<Response>): {
  fetch: typeof fetch;
  requests: Request[];
} {
  const requests: Request[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return respond(request, requests.length - 1);
  }) as typeof fetch;
  return { fetch: fetchImpl, requests };
}

/** A promise and the functions that settle it. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise jobs and the browser's own tasks (body reads) run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** A clock that moves only when told to; records every delay asked of it. */
export class FakeScheduler implements Scheduler {
  time = Date.UTC(2025, 2, 9, 12, 0, 0);
  randomValue = 0.5;
  readonly delays: number[] = [];
  #timers = new Map<number, { at: number; callback: () => void }>();
  #lastHandle = 0;

  now(): number {
    return this.time;
  }

  random(): number {
    return this.randomValue;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = ++this.#lastHandle;
    this.#timers.set(handle, { at: this.time + ms, callback });
    this.delays.push(ms);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers not yet run, sorted by when they are due. */
  get pendingDelays(): number[] {
    return [...this.#timers.values()].map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  /** Moves the clock forward by `ms`, running each timer that falls due, with promise jobs between. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.#timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
    await settle();
  }
}

/**
 * Makes a recorder answer requests to `/api/<path>` with the contract's error body (through
 * `errorResponse`) until `allow()` is called; other requests go on to the server.
 */
export function refuseRequests(
  record: { intercept?: ((url: URL, forward: () => Promise<Response>) => Promise<Response>) | undefined },
  path: string,
  status: number,
  code: string,
  message: string,
): { allow(): void } {
  let refusing = true;
  record.intercept = (url, forward) => (url.pathname === `/api/${path}` && refusing ? Promise.resolve(errorResponse(status, code, message)) : forward());
  return { allow: () => void (refusing = false) };
}
