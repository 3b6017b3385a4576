/**
 * `GET events/stream`: Server-Sent Events. Each `event: consumption` message carries every
 * matching event since the previous one (at most every 250 ms) with `id:` the batch's last
 * event; `after` or `Last-Event-ID` resumes; more than 10,000 events after the resume point,
 * or a message over 5,000 matching events, is an `event: reset` (so is an id past the
 * organization's newest); a heartbeat comment every 15 s. A client that does not read what
 * was sent gets nothing more until it does (see STREAM_QUEUE_BYTES).
 */
import { LIMITS, formatInstant, type EventFilter } from '../../../src/api/contract.js';
import { matchesFilter } from '../../../src/api/match.js';
import { badParameter } from '../../domain/errors.js';
import { checkAmounts, explicitRange, parseRouteParams } from '../../domain/params.js';
import type { RouteContext } from '../context.js';

const encoder = new TextEncoder();

/**
 * How many bytes may wait in a stream's queue for its client to read them before the
 * stream stops taking events from the store: one message of up to 5,000 events may come on
 * top. Without it a stalled client held every message since it stalled in the server's
 * memory (20 stalled clients: +300 MB over 100,000 events).
 */
export const STREAM_QUEUE_BYTES = 256 * 1024;

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
  /** A flush held back while the client has not read what was sent: the next pull flushes. */
  let held = false;

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
        // A client that does not read (stalled, or slower than the organization's events)
        // gets nothing more until it has taken what is queued: the events wait in the store,
        // behind the cursor, not in memory here; a catch-up past the backlog is a reset.
        if ((controller.desiredSize ?? 1) <= 0) {
          held = true;
          return;
        }
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
      // An id past the organization's newest (from a server that was reseeded since) would
      // wait silently until the ids caught up: a reset to the newest.
      const newest = await store.lastEventId(orgId);
      if (cursor > newest || (await store.countEventsAfter(orgId, cursor, LIMITS.streamMaxBacklog + 1)) > LIMITS.streamMaxBacklog) await reset();
      if (closed) return;
      unwatch = store.watch(orgId, schedule);
      // A heartbeat only keeps an idle connection open: none while the client has not read.
      heartbeat = setInterval(() => (controller.desiredSize ?? 1) > 0 && send(': heartbeat\n\n'), heartbeatMs);
      schedule();
    },
    pull() {
      if (!held) return;
      held = false;
      schedule();
    },
    cancel() {
      close();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: STREAM_QUEUE_BYTES }));
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
