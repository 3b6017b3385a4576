/**
 * Live updates: one shared `events/stream` connection per endpoint and request options
 * on the page, however many pieces follow it (browsers allow six connections per host
 * over HTTP/1.1). Read with `fetch` through the request options, because `EventSource`
 * cannot send an `Authorization` header, and parsed with `eventsource-parser`.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import {
  UsageApiError,
  endpointUrl,
  errorFromResponse,
  resolveRequestOptions,
  sharingKey,
  untilAborted,
  type RequestOptions,
  type ResolvedRequestOptions,
} from './client.js';
import { LIMITS, compareEventIds, streamParams, checkConsumptionEvents, checkStreamReset, type ConsumptionEvent } from './contract.js';
import { fullJitterDelay, realScheduler, sleep, type Scheduler } from './scheduler.js';

/**
 * `connecting`: the first request is under way; `open`: events flow; `reconnecting`:
 * the connection dropped and is being retried (with the error that ended it);
 * `failed`: the endpoint refused the stream (400, 401, 403, 404), or answered it malformed
 * three connections in a row (not an event stream, a message of the wrong shape): no more retries until a
 * piece subscribes again (a Reconnect), which starts it anew, after the last event, for
 * every piece that follows it.
 */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'failed';

export interface LiveSubscription {
  endpoint: string;
  requestOptions?: RequestOptions | undefined;
  /** The `lastEventId` of the subscriber's first answer; the connection starts after the first subscriber's. */
  after: string;
  /** Every event that arrives after the subscriber joined, in id order; apply only those above your own `lastEventId`. */
  onEvents(events: readonly ConsumptionEvent[]): void;
  /** Events were skipped (too many at once): refetch. At most once per 10 s. */
  onReset(lastEventId: string): void;
  onStatus?(status: LiveStatus, error?: UsageApiError): void;
  /** Clock and chance, for tests; the first subscriber's is used by the connection. */
  scheduler?: Scheduler | undefined;
}

const RECONNECT_BASE_MS = 1_000;
const RECONNECT_CAP_MS = 30_000;
/** Three heartbeats missed: the connection is dead even if the socket says otherwise. */
export const STREAM_SILENCE_MS = 45_000;

/**
 * Connections in a row that may end on a malformed answer (not an event stream, a message
 * of the wrong shape) before the stream stops as refused: a glitch is retried, an endpoint
 * that answers so every time is said with its reason (and Reconnect), not retried unseen.
 */
const MALFORMED_TRIES = 3;

/** The statuses after which retrying cannot help. */
function isFatal(error: UsageApiError): boolean {
  const status = error.status ?? 0;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function report(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}

class LiveConnection {
  readonly #subscribers = new Set<LiveSubscription>();
  readonly #closed = new AbortController();
  readonly #endpoint: string;
  readonly #options: ResolvedRequestOptions;
  readonly #scheduler: Scheduler;
  readonly #onClosed: () => void;
  #cursor: string;
  /**
   * Every event after `#recentAfter` up to the cursor, in id order (at most the server's
   * backlog): what a subscriber whose answer is older than the cursor missed.
   */
  #recent: ConsumptionEvent[] = [];
  #recentAfter: string;
  #status: LiveStatus = 'connecting';
  #error: UsageApiError | undefined;
  #lastResetAt = Number.NEGATIVE_INFINITY;
  #pendingReset: string | undefined;
  #resetTimer: unknown;
  #closing: unknown;

  constructor(first: LiveSubscription, onClosed: () => void) {
    this.#endpoint = first.endpoint;
    this.#options = resolveRequestOptions(first.requestOptions);
    this.#scheduler = first.scheduler ?? realScheduler;
    this.#cursor = this.#recentAfter = first.after;
    this.#onClosed = onClosed;
    void this.#run();
  }

  subscribe(subscription: LiveSubscription): () => void {
    this.#scheduler.clearTimeout(this.#closing);
    this.#subscribers.add(subscription);
    if (this.#status === 'failed') {
      this.#setStatus('connecting');
      void this.#run();
    } else subscription.onStatus?.(this.#status, this.#error);
    // A subscriber whose answer is older than the stream's position (a slow answer, a piece
    // added later) gets the events it missed, or refetches when they are no longer kept.
    const { after } = subscription;
    if (compareEventIds(after, this.#cursor) < 0) {
      const missed = compareEventIds(after, this.#recentAfter) >= 0 ? this.#recent.filter((e) => compareEventIds(e.id, after) > 0) : null;
      const cursor = this.#cursor;
      queueMicrotask(() => {
        if (!this.#subscribers.has(subscription)) return;
        if (!missed) subscription.onReset(cursor);
        else if (missed.length > 0) subscription.onEvents(missed);
      });
    }
    // The last to leave closes the connection a task later: a piece (or a whole holder)
    // moved in the page leaves and joins again within one task, and keeps it.
    return () => {
      if (this.#subscribers.delete(subscription) && this.#subscribers.size === 0) this.#closing = this.#scheduler.setTimeout(() => this.#close(), 0);
    };
  }

  #close(): void {
    this.#closed.abort();
    this.#scheduler.clearTimeout(this.#resetTimer);
    this.#onClosed();
  }

  #setStatus(status: LiveStatus, error?: UsageApiError): void {
    if (status === this.#status && error === this.#error) return;
    this.#status = status;
    this.#error = error;
    this.#deliver((subscriber) => subscriber.onStatus?.(status, error));
  }

  async #run(): Promise<void> {
    const closed = this.#closed.signal;
    let malformed = 0;
    for (let attempt = 0; !closed.aborted; attempt++) {
      const outcome = await this.#connectOnce(closed);
      if (closed.aborted) return;
      malformed = outcome.error.code === 'malformed' ? malformed + 1 : 0;
      if (isFatal(outcome.error) || malformed >= MALFORMED_TRIES) {
        this.#setStatus('failed', outcome.error);
        return;
      }
      if (outcome.healthy) attempt = 0;
      this.#setStatus('reconnecting', outcome.error);
      const backOff = fullJitterDelay(attempt, RECONNECT_BASE_MS, RECONNECT_CAP_MS, this.#scheduler);
      // The browser back online ends the wait (not a Retry-After's).
      const wait = new AbortController();
      const wake = (): void => wait.abort();
      closed.addEventListener('abort', wake);
      if (!outcome.error.retryAfterMs) addEventListener('online', wake);
      try {
        await sleep(Math.max(backOff, outcome.error.retryAfterMs ?? 0), this.#scheduler, wait.signal);
      } catch {
        // Woken early: back online, or closed (the loop's test ends it).
      } finally {
        closed.removeEventListener('abort', wake);
        removeEventListener('online', wake);
      }
    }
  }

  /** One connection, until it ends; says why it ended and whether anything arrived. */
  async #connectOnce(closed: AbortSignal): Promise<{ error: UsageApiError; healthy: boolean }> {
    const attempt = new AbortController();
    const onClose = (): void => attempt.abort();
    closed.addEventListener('abort', onClose, { once: true });
    let healthy = false;
    let failure: UsageApiError | undefined;
    let url = '';
    const fail = (error: UsageApiError): void => {
      failure ??= error;
      attempt.abort();
    };
    let watchdog: unknown;
    const watch = (): void => {
      this.#scheduler.clearTimeout(watchdog);
      watchdog = this.#scheduler.setTimeout(
        () => fail(new UsageApiError('timeout', `The live stream was silent for ${STREAM_SILENCE_MS / 1000} s.`, { url })),
        STREAM_SILENCE_MS,
      );
    };
    let reader: ReadableStreamDefaultReader<string> | undefined;
    // Offline, the socket may stay open without a word until the silence runs out (45 s).
    const offline = (): void => fail(new UsageApiError('network', 'The browser is offline.', { url }));
    addEventListener('offline', offline);
    try {
      url = endpointUrl(this.#endpoint, 'events/stream', streamParams({ after: this.#cursor }));
      watch();
      const headers = await untilAborted(
        Promise.resolve(this.#options.headers({ Accept: 'text/event-stream', 'Last-Event-ID': this.#cursor })),
        attempt.signal,
      );
      const response = await untilAborted(
        this.#options.fetch(url, {
          method: 'GET',
          headers,
          credentials: this.#options.credentials,
          cache: 'no-store',
          signal: attempt.signal,
        }),
        attempt.signal,
      );
      if (!response.ok) throw await untilAborted(errorFromResponse(response, url, this.#scheduler.now()), attempt.signal);
      const type = response.headers.get('Content-Type') ?? '';
      if (!response.body || !type.startsWith('text/event-stream')) {
        throw new UsageApiError('malformed', 'The data endpoint did not answer the live stream with an event stream.', {
          url,
          status: response.status,
        });
      }
      this.#setStatus('open');
      const openedAt = this.#scheduler.now();
      const parser = createParser({
        onEvent: (message) => {
          try {
            this.#receive(message);
            healthy = true;
          } catch (error) {
            // A connection that ends on a malformed message is not healthy, whatever came
            // before it: the back-off grows instead of reconnecting at once, again and again.
            healthy = false;
            fail(
              new UsageApiError('malformed', `The live stream sent a message of the wrong shape: ${(error as Error).message}`, {
                url,
                cause: error,
              }),
            );
          }
        },
        // A comment says the connection works once it has stayed open a heartbeat's
        // interval: one that closes right after its first comment backs off further.
        onComment: () => {
          if (this.#scheduler.now() - openedAt >= LIMITS.streamHeartbeatMs) healthy = true;
        },
      });
      reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const chunk = await untilAborted(reader.read(), attempt.signal);
        if (chunk.done) break;
        watch();
        parser.feed(chunk.value);
      }
      return { error: failure ?? new UsageApiError('network', 'The live stream ended.', { url }), healthy };
    } catch (error) {
      return {
        error:
          failure ??
          (error instanceof UsageApiError
            ? error
            : new UsageApiError('network', `The live stream was interrupted: ${(error as Error)?.message ?? error}`, { url, cause: error })),
        healthy,
      };
    } finally {
      removeEventListener('offline', offline);
      this.#scheduler.clearTimeout(watchdog);
      closed.removeEventListener('abort', onClose);
      attempt.abort();
      reader?.cancel().catch(() => {});
    }
  }

  #receive(message: EventSourceMessage): void {
    if (message.event === 'consumption') {
      const events = checkConsumptionEvents(JSON.parse(message.data), '');
      const fresh = events.filter((event) => compareEventIds(event.id, this.#cursor) > 0);
      const last = message.id ?? fresh.at(-1)?.id;
      if (last != null && compareEventIds(last, this.#cursor) > 0) this.#cursor = last;
      this.#recent.push(...fresh);
      const excess = this.#recent.length - LIMITS.streamMaxBacklog;
      if (excess > 0) this.#recentAfter = this.#recent.splice(0, excess).at(-1)!.id;
      if (fresh.length > 0) this.#deliver((subscriber) => subscriber.onEvents(fresh));
    } else if (message.event === 'reset') {
      const { lastEventId } = checkStreamReset(JSON.parse(message.data), '');
      this.#cursor = this.#recentAfter = lastEventId;
      this.#recent = [];
      this.#reset(lastEventId);
    }
  }

  #deliver(call: (subscriber: LiveSubscription) => void): void {
    for (const subscriber of [...this.#subscribers]) {
      try {
        call(subscriber);
      } catch (error) {
        report(error);
      }
    }
  }

  /** Delivers a reset at most once per `LIMITS.streamResetRefetchMs`; a later one waits for the window's end. */
  #reset(lastEventId: string): void {
    this.#pendingReset = lastEventId;
    if (this.#resetTimer !== undefined) return;
    const wait = this.#lastResetAt + LIMITS.streamResetRefetchMs - this.#scheduler.now();
    if (wait <= 0) {
      this.#deliverReset();
      return;
    }
    this.#resetTimer = this.#scheduler.setTimeout(() => {
      this.#resetTimer = undefined;
      this.#deliverReset();
    }, wait);
  }

  #deliverReset(): void {
    // Set by every #reset before it delivers or starts the timer that delivers.
    const lastEventId = this.#pendingReset!;
    this.#lastResetAt = this.#scheduler.now();
    this.#deliver((subscriber) => subscriber.onReset(lastEventId));
  }
}

interface SharedConnection {
  subscribe(subscription: LiveSubscription): () => void;
}

/** Kept on the page, so that every copy of the library shares the connections (versioned: the shape may change). */
const CONNECTIONS_KEY = Symbol.for('usage-dashboard.live-connections.v1');

function connections(): Map<string, SharedConnection> {
  const holder = globalThis as { [CONNECTIONS_KEY]?: Map<string, SharedConnection> };
  return (holder[CONNECTIONS_KEY] ??= new Map());
}

/**
 * Follows the organization's live events. Returns the function that stops following;
 * the connection closes a task after its last subscriber leaves.
 */
export function subscribeToLiveEvents(subscription: LiveSubscription): () => void {
  let key: string;
  try {
    key = sharingKey(endpointUrl(subscription.endpoint, 'events/stream'), subscription.requestOptions);
  } catch (error) {
    subscription.onStatus?.('failed', error as UsageApiError);
    return () => {};
  }
  const registry = connections();
  let connection = registry.get(key);
  if (!connection) {
    const created: SharedConnection = new LiveConnection(subscription, () => {
      if (registry.get(key) === created) registry.delete(key);
    });
    registry.set(key, created);
    connection = created;
  }
  return connection.subscribe(subscription);
}
