/**
 * `GET events/stream`: Server-Sent Events. Each `event: consumption` message carries every
 * matching event since the previous one (at most every 250 ms) with `id:` the batch's last
 * event; `after` or `Last-Event-ID` resumes; more than 10,000 events after the resume point,
 * or a message over 5,000 matching events, is an `event: reset` (so is an id past the
 * organization's newest); a heartbeat comment every 15 s. A client that does not read what
 * was sent gets nothing more until it does (see STREAM_QUEUE_BYTES). The streams open on an
 * organization share one feed (OrgFeed): one read and one message for all that follow the
 * same events with the same filter.
 */
import { LIMITS, formatInstant, type EventFilter } from '../../../src/api/contract.js';
import { matchesFilter } from '../../../src/api/match.js';
import { badParameter } from '../../domain/errors.js';
import { checkAmounts, explicitRange, parseRouteParams } from '../../domain/params.js';
import type { Store, StoredEvent } from '../../store/types.js';
import { nextTask } from '../admission.js';
import type { HandlerOptions, RouteContext } from '../context.js';

const encoder = new TextEncoder();

/**
 * How many bytes may wait in a stream's queue for its client to read them before the
 * stream stops taking events from the store: one message of up to 5,000 events may come on
 * top. Without it a stalled client held every message since it stalled in the server's
 * memory (20 stalled clients: +300 MB over 100,000 events).
 */
export const STREAM_QUEUE_BYTES = 256 * 1024;

/**
 * Bytes queued to the streams of a feed between two tasks: each stream's bytes are written
 * to its socket as soon as they are queued, so one batch of 2,000 events to 200 streams
 * was 94 MB written in one turn of the event loop (up to a second on a loaded machine).
 */
const BYTES_PER_TASK = 1024 * 1024;

function parseLastEventId(header: string | null): number | undefined {
  if (header === null || header === '') return undefined;
  if (!/^\d{1,16}$/.test(header) || Number(header) > Number.MAX_SAFE_INTEGER) {
    throw badParameter('Last-Event-ID', 'Last-Event-ID must be an event id.');
  }
  return Number(header);
}

/** One open stream, as its organization's feed sees it. */
interface Subscriber {
  filter: EventFilter;
  /** The filter as text: streams with equal filters share one message. */
  filterKey: string;
  /** The id of the last event of the organization this stream has been given (or skipped). */
  cursor: number;
  /** Set when a flush found the client's queue full: its next read (pull) asks for a flush. */
  held: boolean;
  /** Whether the client has taken enough of what was queued to be sent more. */
  ready(): boolean;
  send(bytes: Uint8Array): void;
  /** Sends `event: reset` with the newest id and moves the cursor there. */
  reset(): Promise<void>;
  /** The store failed this stream's read: reported, and the stream ends. */
  fail(error: unknown): void;
}

/**
 * The live events of one organization for every stream open on it through one handler:
 * one watch of the store, one flush at most every `flushMs` for all of them, in it one read
 * of the events after each cursor the streams are at (usually one: they follow the same
 * events), and one message per filter among those (usually one: the elements' streams have
 * none), made and encoded once and queued to each stream. Each stream read and serialised
 * every batch for itself before: 200 streams and one batch of 2,000 events took 200 reads
 * and 200 serialisations of 470 kB, which held every other request for 2 s.
 */
class OrgFeed {
  readonly #subscribers = new Set<Subscriber>();
  readonly #unwatch: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #again = false;
  #lastFlush = 0;

  constructor(
    readonly store: Store,
    readonly orgId: string,
    readonly flushMs: number,
    readonly onEmpty: () => void,
  ) {
    this.#unwatch = store.watch(orgId, () => this.schedule());
  }

  add(subscriber: Subscriber): void {
    this.#subscribers.add(subscriber);
    this.schedule();
  }

  remove(subscriber: Subscriber): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size > 0) return;
    this.#unwatch();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.onEmpty();
  }

  /** A flush at most every `flushMs` (the first at once). */
  schedule(): void {
    if (this.#timer !== undefined || this.#subscribers.size === 0) return;
    this.#timer = setTimeout(() => void this.#flush(), Math.max(0, this.#lastFlush + this.flushMs - Date.now()));
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        // A client that does not read (stalled, or slower than the organization's events)
        // gets nothing more until it has taken what is queued: the events wait in the store,
        // behind its cursor, not in memory here; a catch-up past the backlog is a reset.
        const byCursor = new Map<number, Subscriber[]>();
        for (const subscriber of this.#subscribers) {
          if (!subscriber.ready()) subscriber.held = true;
          else byCursor.set(subscriber.cursor, [...(byCursor.get(subscriber.cursor) ?? []), subscriber]);
        }
        for (const [cursor, group] of byCursor) await this.#flushGroup(cursor, group);
      } while (this.#again && this.#subscribers.size > 0);
    } finally {
      this.#running = false;
      this.#lastFlush = Date.now();
    }
  }

  /** The events after `cursor` to the streams at it: more than 10,000, or more than 5,000 matching a stream's filter, is a reset. */
  async #flushGroup(cursor: number, group: readonly Subscriber[]): Promise<void> {
    let events: StoredEvent[];
    try {
      events = await this.store.eventsAfter(this.orgId, cursor, LIMITS.streamMaxBacklog + 1);
    } catch (error) {
      for (const subscriber of group) subscriber.fail(error);
      return;
    }
    // Streams closed while the events were read are gone from the feed.
    const open = group.filter((subscriber) => this.#subscribers.has(subscriber));
    if (events.length > LIMITS.streamMaxBacklog) {
      for (const subscriber of open) await subscriber.reset();
      return;
    }
    if (events.length === 0) return;
    const last = Number(events[events.length - 1]!.id);
    const messages = new Map<string, Uint8Array | 'reset' | null>();
    let queued = 0;
    for (const subscriber of open) {
      if (queued >= BYTES_PER_TASK) {
        queued = 0;
        await nextTask();
      }
      let message = messages.get(subscriber.filterKey);
      if (message === undefined) {
        const matching = events.filter((event) => matchesFilter(event, subscriber.filter));
        if (matching.length > LIMITS.streamMaxBatch) message = 'reset';
        else if (matching.length === 0) message = null;
        else message = encoder.encode(`event: consumption\nid: ${matching[matching.length - 1]!.id}\ndata: ${JSON.stringify(matching)}\n\n`);
        messages.set(subscriber.filterKey, message);
      }
      if (message === 'reset') {
        await subscriber.reset();
        continue;
      }
      subscriber.cursor = last;
      if (!message) continue;
      subscriber.send(message);
      queued += message.byteLength;
    }
  }
}

/** The feeds of each handler (its options object), by organization. */
const feeds = new WeakMap<HandlerOptions, Map<string, OrgFeed>>();

function feedOf(ctx: RouteContext): OrgFeed {
  let byOrg = feeds.get(ctx.options);
  if (!byOrg) feeds.set(ctx.options, (byOrg = new Map()));
  let feed = byOrg.get(ctx.orgId);
  if (!feed) {
    const orgs = byOrg;
    const orgId = ctx.orgId;
    feed = new OrgFeed(ctx.store, orgId, ctx.options.streamFlushMs ?? LIMITS.streamFlushMs, () => orgs.delete(orgId));
    byOrg.set(orgId, feed);
  }
  return feed;
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
  const heartbeatMs = ctx.options.heartbeatMs ?? LIMITS.streamHeartbeatMs;
  // Taken after the parameters are checked (a bad one is a 400 whatever the count), given
  // back when the stream closes or cannot start.
  const release = ctx.holdStream();
  let after: number;
  try {
    // The header wins over `after`: an EventSource reconnecting to a URL that holds `after`
    // sends the id it last received, which is newer.
    after = headerAfter ?? params.after ?? (await store.lastEventId(orgId));
  } catch (error) {
    release();
    throw error;
  }

  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let feed: OrgFeed | null = null;
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const send = (bytes: Uint8Array): void => {
    if (closed) return;
    try {
      controller.enqueue(bytes);
    } catch {
      close();
    }
  };
  const subscriber: Subscriber = {
    filter,
    filterKey: JSON.stringify(filter),
    cursor: after,
    held: false,
    ready: () => (controller.desiredSize ?? 1) > 0,
    send,
    async reset() {
      try {
        subscriber.cursor = await store.lastEventId(orgId);
      } catch (error) {
        subscriber.fail(error);
        return;
      }
      send(encoder.encode(`event: reset\ndata: ${JSON.stringify({ lastEventId: String(subscriber.cursor) })}\n\n`));
    },
    fail(error) {
      ctx.options.onError?.(error, request);
      close();
    },
  };
  function close(): void {
    if (closed) return;
    closed = true;
    release();
    feed?.remove(subscriber);
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
      send(encoder.encode(': connected\n\n'));
      // An id past the organization's newest (from a server that was reseeded since) would
      // wait silently until the ids caught up: a reset to the newest.
      try {
        const newest = await store.lastEventId(orgId);
        if (after > newest || (await store.countEventsAfter(orgId, after, LIMITS.streamMaxBacklog + 1)) > LIMITS.streamMaxBacklog) await subscriber.reset();
      } catch (error) {
        release();
        throw error;
      }
      if (closed) return;
      feed = feedOf(ctx);
      feed.add(subscriber);
      // A heartbeat only keeps an idle connection open: none while the client has not read.
      heartbeat = setInterval(() => subscriber.ready() && send(encoder.encode(': heartbeat\n\n')), heartbeatMs);
    },
    pull() {
      if (!subscriber.held) return;
      subscriber.held = false;
      feed?.schedule();
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
