/**
 * `GET events/stream`: Server-Sent Events. Each `event: consumption` message carries every
 * matching event since the previous one (at most every 250 ms) with `id:` the batch's last
 * event; `after` or `Last-Event-ID` resumes; more than 10,000 events after the resume point,
 * or a message over 5,000 matching events, is an `event: reset`; a heartbeat comment every 15 s.
 */
import { LIMITS, formatInstant, type EventFilter } from '../../../src/api/contract.js';
import { matchesFilter } from '../../../src/api/match.js';
import { badParameter } from '../../domain/errors.js';
import { checkAmounts, explicitRange, parseRouteParams } from '../../domain/params.js';
import type { RouteContext } from '../context.js';

const encoder = new TextEncoder();

function parseLastEventId(header: string | null): number | undefined {
  if (header === null || header === '') return undefined;
  if (!/^\d{1,16}$/.test(header) || Number(header) > Number.MAX_SAFE_INTEGER) {
    throw badParameter('Last-Event-ID', 'Last-Event-ID must be an event id.');
  }
  return Number(header);
}

export async function getStream(ctx: RouteContext): Promise<Response> {
  const params = parseRouteParams('stream', ctx.url.search);
  // Only events and events.csv need a resourceType beside amountMin/amountMax.
  checkAmounts(params, false);
  const range = explicitRange(params);
  const filter: EventFilter = {
    from: range ? formatInstant(range.from) : undefined,
    to: range ? formatInstant(range.to) : undefined,
    resourceType: params.resourceType,
    userIds: params.userId,
    poolCategories: params.poolCategory,
    ioTypes: params.ioType,
    amountMin: params.amountMin,
    amountMax: params.amountMax,
    requestId: params.requestId,
    endpoints: params.endpoint,
  };
  const headerAfter = parseLastEventId(ctx.request.headers.get('last-event-id'));
  const { store, orgId, request } = ctx;
  const flushMs = ctx.options.streamFlushMs ?? LIMITS.streamFlushMs;
  const heartbeatMs = ctx.options.heartbeatMs ?? LIMITS.streamHeartbeatMs;
  // The header wins over `after`: an EventSource reconnecting to a URL that holds `after`
  // sends the id it last received, which is newer.
  let cursor = headerAfter ?? params.after ?? (await store.lastEventId(orgId));

  let closed = false;
  let running = false;
  let again = false;
  let lastFlush = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let unwatch = (): void => {};
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const send = (text: string): void => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      close();
    }
  };
  const reset = async (): Promise<void> => {
    cursor = await store.lastEventId(orgId);
    send(`event: reset\ndata: ${JSON.stringify({ lastEventId: String(cursor) })}\n\n`);
  };
  const flush = async (): Promise<void> => {
    timer = undefined;
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        // More than 10,000 events of the organization behind the cursor, or more than 5,000
        // of them matching (what the message would hold), is a reset.
        const events = await store.eventsAfter(orgId, cursor, LIMITS.streamMaxBacklog + 1);
        if (closed) return;
        if (events.length > LIMITS.streamMaxBacklog) {
          await reset();
          continue;
        }
        if (events.length === 0) continue;
        const matching = events.filter((event) => matchesFilter(event, filter));
        if (matching.length > LIMITS.streamMaxBatch) {
          await reset();
          continue;
        }
        cursor = Number(events[events.length - 1]!.id);
        if (matching.length) {
          send(`event: consumption\nid: ${matching[matching.length - 1]!.id}\ndata: ${JSON.stringify(matching)}\n\n`);
        }
      } while (again && !closed);
    } catch (error) {
      ctx.options.onError?.(error, request);
      close();
    } finally {
      running = false;
      lastFlush = Date.now();
    }
  };
  const schedule = (): void => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => void flush(), Math.max(0, lastFlush + flushMs - Date.now()));
  };
  function close(): void {
    if (closed) return;
    closed = true;
    unwatch();
    clearTimeout(timer);
    clearInterval(heartbeat);
    request.signal.removeEventListener('abort', close);
    try {
      controller.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
  }

  const body = new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      send(': connected\n\n');
      if ((await store.countEventsAfter(orgId, cursor, LIMITS.streamMaxBacklog + 1)) > LIMITS.streamMaxBacklog) await reset();
      if (closed) return;
      unwatch = store.watch(orgId, schedule);
      heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
      schedule();
    },
    cancel() {
      close();
    },
  });
  if (request.signal.aborted) close();
  else request.signal.addEventListener('abort', close);
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    },
  });
}
