/**
 * The one module every element uses for HTTP: typed reads of the data-endpoint contract
 * through the request options, with abort, sharing of identical in-flight reads, retries
 * of idempotent reads, a timeout, and one error type whose message can be shown to people.
 */
import {
  CSV_COLUMNS,
  ContractShapeError,
  LIMITS,
  consumptionParams,
  endpointsParams,
  eventsCsvParams,
  eventsParams,
  surplusParams,
  usersParams,
  checkConsumptionSeries,
  checkEndpointsPage,
  checkErrorBody,
  checkEventsPage,
  checkOrgLimits,
  checkSurplusSeries,
  checkUserDetail,
  checkUsersPage,
  type ConsumptionQuery,
  type ConsumptionSeries,
  type EndpointsPage,
  type EndpointsQuery,
  type ErrorCode,
  type EventsCsvQuery,
  type EventsPage,
  type EventsQuery,
  type OrgLimits,
  type SurplusQuery,
  type SurplusSeries,
  type UserDetail,
  type UserSummary,
  type UsersPage,
  type UsersQuery,
} from './contract.js';
import { fullJitterDelay, realScheduler, sleep, type Scheduler } from './scheduler.js';

/** How the elements make their requests: a bearer token, cookies, or a fetch of your own. */
export interface RequestOptions {
  /** Default `'same-origin'`. */
  credentials?: RequestCredentials;
  /** Sent with every request; a function is called before each request (a token that refreshes). */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** Routes every request, e.g. to an in-memory handler. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

const PAGE_OPTIONS_KEY = Symbol.for('usage-dashboard.request-options');

type PageOptionsHolder = { [PAGE_OPTIONS_KEY]?: RequestOptions };

/**
 * Sets the page-wide request options, shared by every copy of the library on the page.
 * They replace the previous page-wide options; a piece's or `<usage-filters>`' own
 * `requestOptions` override them field by field (headers merge, theirs winning per name).
 */
export function configureUsageDashboard(options: RequestOptions): void {
  (globalThis as PageOptionsHolder)[PAGE_OPTIONS_KEY] = { ...options };
  // Pieces already on the page ask again with them (set late, after their first requests).
  if (typeof globalThis.dispatchEvent === 'function') globalThis.dispatchEvent(new Event(PAGE_OPTIONS_EVENT));
}

/** Dispatched on `globalThis` when `configureUsageDashboard` sets new page-wide options. */
export const PAGE_OPTIONS_EVENT = 'usage-dashboard-request-options';

/** The page-wide request options set by `configureUsageDashboard`, if any. */
export function pageRequestOptions(): RequestOptions | undefined {
  return (globalThis as PageOptionsHolder)[PAGE_OPTIONS_KEY];
}

/** The contract's error codes and the client's own. */
export type UsageErrorCode = ErrorCode | 'network' | 'malformed' | 'aborted' | 'timeout';

export interface UsageApiErrorInit {
  status?: number | undefined;
  param?: string | undefined;
  url?: string | undefined;
  details?: Record<string, unknown> | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/**
 * Every failure of a request: the endpoint's `{error}` body (its message is meant for
 * people), a network failure, a malformed or wrong-shaped answer, an abort or a timeout.
 * An aborted request's error is named `AbortError`, as `fetch`'s is.
 */
export class UsageApiError extends Error {
  readonly code: UsageErrorCode;
  readonly status: number | undefined;
  readonly param: string | undefined;
  readonly url: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: UsageErrorCode, message: string, init: UsageApiErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = code === 'aborted' ? 'AbortError' : 'UsageApiError';
    this.code = code;
    this.status = init.status;
    this.param = init.param;
    this.url = init.url;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Whether an error only says that its request was cancelled (nothing to show). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** Options of one call. */
export interface ApiCallOptions {
  /** Cancels this caller's interest; a shared request stops when every caller has aborted. */
  signal?: AbortSignal | undefined;
  requestOptions?: RequestOptions | undefined;
  /**
   * Per attempt, default 30 s: how long to wait for the answer, and then, for a CSV file
   * (which may be long), for each next part of it while it streams.
   */
  timeoutMs?: number | undefined;
  /** Clock and chance, for tests. */
  scheduler?: Scheduler | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_RETRIES = 3;
const RETRY_BASE_MS = 300;
const RETRY_CAP_MS = 5_000;
/** A `Retry-After` longer than this is not waited for: the error goes to the caller (who says when to try again). */
export const MAX_RETRY_AFTER_MS = 60_000;
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Request options with page-wide and per-call values merged. */
export interface ResolvedRequestOptions {
  fetch: typeof fetch;
  credentials: RequestCredentials;
  /**
   * The merged headers plus `extra`: synchronous unless a `headers` function is set, so a
   * request with static headers is sent in the same task as its caller.
   */
  headers(extra: Record<string, string>): Headers | Promise<Headers>;
}

function unauthorized(cause: unknown): UsageApiError {
  return new UsageApiError('unauthorized', `The request headers could not be prepared: ${messageOf(cause)}`, { cause });
}

export function resolveRequestOptions(
  perCall: RequestOptions | undefined,
  page: RequestOptions | undefined = pageRequestOptions(),
): ResolvedRequestOptions {
  const fetchImpl = perCall?.fetch ?? page?.fetch ?? globalThis.fetch.bind(globalThis);
  const sources = [page?.headers, perCall?.headers];
  const merge = (extra: Record<string, string>, values: readonly (HeadersInit | undefined)[]): Headers => {
    const merged = new Headers(extra);
    try {
      for (const value of values) new Headers(value).forEach((v, name) => merged.set(name, v));
    } catch (cause) {
      throw unauthorized(cause);
    }
    return merged;
  };
  return {
    fetch: fetchImpl,
    credentials: perCall?.credentials ?? page?.credentials ?? 'same-origin',
    headers(extra) {
      if (!sources.some((source) => typeof source === 'function')) return merge(extra, sources as (HeadersInit | undefined)[]);
      let pending: (HeadersInit | Promise<HeadersInit> | undefined)[];
      try {
        pending = sources.map((source) => (typeof source === 'function' ? source() : source));
      } catch (cause) {
        return Promise.reject(unauthorized(cause));
      }
      return Promise.all(pending).then(
        (values) => merge(extra, values),
        (cause: unknown) => {
          throw unauthorized(cause);
        },
      );
    },
  };
}

/** An error's message, or the thrown value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The URL of a contract path under `data-endpoint`, which may be relative ("/api") or
 * absolute, with or without a trailing slash; resolved against the page when there is one,
 * so that the same request is recognised whichever way the endpoint was written.
 */
export function endpointUrl(endpoint: string, path: string, params?: URLSearchParams): string {
  const base = endpoint.trim();
  if (!base) {
    throw new UsageApiError('bad_parameter', 'No data endpoint is set: give the element a data-endpoint attribute.', {
      param: 'data-endpoint',
    });
  }
  const query = params?.toString();
  const url = `${base.replace(/\/+$/, '')}/${path}${query ? `?${query}` : ''}`;
  const page = globalThis.location?.href;
  return page ? new URL(url, page).href : url;
}

/** The code of an error answer without a contract `{error}` body. */
function codeForStatus(status: number): ErrorCode {
  const codes: Record<number, ErrorCode> = {
    400: 'bad_parameter',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    413: 'too_large',
    422: 'limit_exceeded',
    429: 'rate_limited',
  };
  return codes[status] ?? (status >= 400 && status < 500 ? 'bad_parameter' : 'internal');
}

/** `Retry-After` in seconds or as an HTTP date, as a delay from `now`. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Turns an unsuccessful answer into a `UsageApiError`, with the endpoint's own message when it sent one. */
export async function errorFromResponse(response: Response, url: string, now: number): Promise<UsageApiError> {
  const status = response.status;
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), now);
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    // No JSON body: body stays undefined.
  }
  try {
    const { error } = checkErrorBody(body, '');
    return new UsageApiError(error.code, error.message, {
      status,
      url,
      param: error.param,
      details: error.details,
      retryAfterMs,
    });
  } catch {
    const reason = response.statusText ? ` (${response.statusText})` : '';
    return new UsageApiError(codeForStatus(status), `The data endpoint answered HTTP ${status}${reason}.`, {
      status,
      url,
      retryAfterMs,
    });
  }
}

function abortedError(url: string): UsageApiError {
  return new UsageApiError('aborted', 'The request was cancelled.', { url });
}

/**
 * Settles like `promise`, or rejects as soon as the signal aborts (for a fetch that ignores
 * signals): with the signal's reason, or with what `onAbort` returns.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => unknown = () => signal.reason): Promise<T> {
  if (signal.aborted) {
    // Nobody else waits for `promise`: its own rejection must not go unhandled.
    promise.catch(() => {});
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    // The listener goes before the promise settles, so that a later abort calls no `onAbort`.
    const settle =
      <V>(done: (value: V) => void) =>
      (value: V): void => {
        signal.removeEventListener('abort', abort);
        done(value);
      };
    promise.then(settle(resolve), settle(reject));
  });
}

/**
 * Reads a successful answer into its value; throws `UsageApiError` for a bad one. A reader
 * of a long body calls `progress` as parts of it arrive, which restarts the timeout.
 */
type ReadAnswerBody<T> = (response: Response, url: string, progress: () => void) => Promise<T>;

interface Attempt<T> {
  url: string;
  accept: string;
  read: ReadAnswerBody<T>;
  options: ResolvedRequestOptions;
  signal: AbortSignal;
  timeoutMs: number;
  scheduler: Scheduler;
}

async function attemptGet<T>(attempt: Attempt<T>): Promise<T> {
  const { url, scheduler, timeoutMs } = attempt;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(attempt.signal.reason);
  attempt.signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  let sent = false;
  let streaming = false;
  let timer: unknown;
  const startTimer = (): void => {
    scheduler.clearTimeout(timer);
    timer = scheduler.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  startTimer();
  try {
    if (attempt.signal.aborted) throw attempt.signal.reason;
    const prepared = attempt.options.headers({ Accept: attempt.accept });
    // A headers function that never settles (a token service that hangs) times out too.
    const headers = prepared instanceof Headers ? prepared : await untilAborted(prepared, controller.signal);
    sent = true;
    const response = await untilAborted(
      attempt.options.fetch(url, {
        method: 'GET',
        headers,
        credentials: attempt.options.credentials,
        signal: controller.signal,
      }),
      controller.signal,
    );
    if (!response.ok) throw await untilAborted(errorFromResponse(response, url, scheduler.now()), controller.signal);
    const progress = (): void => {
      streaming = true;
      startTimer();
    };
    return await untilAborted(attempt.read(response, url, progress), controller.signal);
  } catch (error) {
    if (attempt.signal.aborted) throw abortedError(url);
    if (timedOut) {
      const seconds = timeoutMs / 1000;
      const message = !sent
        ? `The request headers were not ready within ${seconds} s.`
        : streaming
          ? `The data endpoint stopped sending its answer for ${seconds} s.`
          : `The data endpoint did not answer within ${seconds} s.`;
      throw new UsageApiError('timeout', message, { url });
    }
    if (error instanceof UsageApiError) throw error;
    throw new UsageApiError('network', `The data endpoint could not be reached: ${messageOf(error)}`, {
      url,
      cause: error,
    });
  } finally {
    scheduler.clearTimeout(timer);
    attempt.signal.removeEventListener('abort', onAbort);
  }
}

function isRetryable(error: UsageApiError): boolean {
  return error.code === 'network' || (error.status != null && RETRYABLE_STATUSES.has(error.status));
}

/** A GET with retries on network errors, 429 and 502/503/504: full-jitter back-off, honouring `Retry-After`. */
async function getWithRetries<T>(attempt: Attempt<T>): Promise<T> {
  for (let retry = 0; ; retry++) {
    let error: UsageApiError;
    try {
      return await attemptGet(attempt);
    } catch (caught) {
      error = caught as UsageApiError;
    }
    if (!isRetryable(error) || retry >= MAX_RETRIES) throw error;
    if (error.retryAfterMs != null && error.retryAfterMs > MAX_RETRY_AFTER_MS) throw error;
    const delay = error.retryAfterMs ?? fullJitterDelay(retry, RETRY_BASE_MS, RETRY_CAP_MS, attempt.scheduler);
    try {
      await sleep(delay, attempt.scheduler, attempt.signal);
    } catch {
      throw abortedError(attempt.url);
    }
  }
}

interface InFlight {
  controller: AbortController;
  promise: Promise<unknown>;
  callers: number;
}

const inFlight = new Map<string, InFlight>();
const identities = new WeakMap<object, number>();
let lastIdentity = 0;

/** A number per object, so that option objects can be part of a key by identity. */
function identityOf(value: object | undefined): number {
  if (!value) return 0;
  let id = identities.get(value);
  if (id === undefined) {
    id = ++lastIdentity;
    identities.set(value, id);
  }
  return id;
}

/**
 * The key under which requests are shared: the URL and the identities of the per-call
 * and page-wide options objects (the same object means the same headers and fetch).
 */
export function sharingKey(url: string, requestOptions: RequestOptions | undefined): string {
  return `${identityOf(pageRequestOptions())}:${identityOf(requestOptions)}:${url}`;
}

/** Hands one caller the shared result, or its own abort as soon as its signal aborts. */
function follow<T>(key: string, entry: InFlight, url: string, signal: AbortSignal | undefined): Promise<T> {
  entry.callers++;
  const promise = entry.promise as Promise<T>;
  if (!signal) return promise;
  return untilAborted(promise, signal, () => {
    leave(key, entry);
    return abortedError(url);
  });
}

function leave(key: string, entry: InFlight): void {
  if (--entry.callers > 0) return;
  entry.controller.abort();
  if (inFlight.get(key) === entry) inFlight.delete(key);
}

/** The GET of `path` under `endpoint` (a rejection when no endpoint is set), shared with identical in-flight GETs; each caller keeps its own signal. */
function sharedGet<T>(
  endpoint: string,
  path: string,
  params: URLSearchParams | undefined,
  accept: string,
  read: ReadAnswerBody<T>,
  options: ApiCallOptions,
): Promise<T> {
  let url: string;
  try {
    url = endpointUrl(endpoint, path, params);
  } catch (error) {
    return Promise.reject(error);
  }
  const key = sharingKey(url, options.requestOptions);
  let entry = inFlight.get(key);
  if (!entry) {
    const controller = new AbortController();
    const promise = getWithRetries({
      url,
      accept,
      read,
      options: resolveRequestOptions(options.requestOptions),
      signal: controller.signal,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      scheduler: options.scheduler ?? realScheduler,
    });
    const created: InFlight = { controller, promise, callers: 0 };
    const forget = (): void => {
      if (inFlight.get(key) === created) inFlight.delete(key);
    };
    promise.then(forget, forget);
    inFlight.set(key, created);
    entry = created;
  }
  return follow<T>(key, entry, url, options.signal);
}

/** Checks a parsed answer (one of the contract's `check…` constants, so a bundle keeps only those it reads). */
type AnswerCheck<T> = (value: unknown, path: string) => T;

function readJson<T>(check: AnswerCheck<T>): ReadAnswerBody<T> {
  return async (response, url) => {
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new UsageApiError('malformed', 'The data endpoint sent an answer that is not valid JSON.', {
        url,
        status: response.status,
        cause,
      });
    }
    try {
      return check(json, '');
    } catch (cause) {
      if (!(cause instanceof ContractShapeError)) throw cause;
      throw new UsageApiError('malformed', `The data endpoint sent an answer of the wrong shape: ${cause.message}.`, {
        url,
        status: response.status,
        details: { path: cause.path },
        cause,
      });
    }
  };
}

function getJson<T>(
  endpoint: string,
  path: string,
  params: URLSearchParams | undefined,
  check: AnswerCheck<T>,
  options: ApiCallOptions,
): Promise<T> {
  return sharedGet(endpoint, path, params, 'application/json', readJson(check), options);
}

/** `GET events`: one page of the event log. */
export function fetchEvents(endpoint: string, query: EventsQuery, options: ApiCallOptions = {}): Promise<EventsPage> {
  return getJson(endpoint, 'events', eventsParams(query), checkEventsPage, options);
}

/** `GET consumption`: consumption over time, grouped. */
export function fetchConsumption(
  endpoint: string,
  query: ConsumptionQuery,
  options: ApiCallOptions = {},
): Promise<ConsumptionSeries> {
  return getJson(endpoint, 'consumption', consumptionParams(query), checkConsumptionSeries, options);
}

/** `GET surplus`: the organization's surplus pool over time. */
export function fetchSurplus(endpoint: string, query: SurplusQuery, options: ApiCallOptions = {}): Promise<SurplusSeries> {
  return getJson(endpoint, 'surplus', surplusParams(query), checkSurplusSeries, options);
}

/** `GET users`: search users, or resolve chosen ids. */
export function fetchUsers(endpoint: string, query: UsersQuery, options: ApiCallOptions = {}): Promise<UsersPage> {
  return getJson(endpoint, 'users', usersParams(query), checkUsersPage, options);
}

/**
 * `GET users?id=…`: the named users (IDs another organization's or unknown are left out),
 * asked in chunks of the contract's 200 values; sorted and once each, so that two pieces
 * naming the same users in another order share one request.
 */
export async function fetchUsersById(endpoint: string, given: readonly string[], options: ApiCallOptions = {}): Promise<UserSummary[]> {
  const users: UserSummary[] = [];
  const ids = [...new Set(given)].sort();
  for (let i = 0; i < ids.length; i += LIMITS.maxValues) {
    const page = await fetchUsers(endpoint, { ids: ids.slice(i, i + LIMITS.maxValues), limit: LIMITS.usersMaxLimit }, options);
    users.push(...page.items);
  }
  return users;
}

/** `GET users/{id}`: one user and their limits. */
export function fetchUser(endpoint: string, id: string, options: ApiCallOptions = {}): Promise<UserDetail> {
  return getJson(endpoint, `users/${encodeURIComponent(id)}`, undefined, checkUserDetail, options);
}

/** `GET endpoints`: the endpoints seen lately, most used first. */
export function fetchEndpoints(
  endpoint: string,
  query: EndpointsQuery,
  options: ApiCallOptions = {},
): Promise<EndpointsPage> {
  return getJson(endpoint, 'endpoints', endpointsParams(query), checkEndpointsPage, options);
}

/** `GET limits`: the organization's limits and use. */
export function fetchLimits(endpoint: string, options: ApiCallOptions = {}): Promise<OrgLimits> {
  return getJson(endpoint, 'limits', undefined, checkOrgLimits, options);
}

/** A CSV file fetched through the request options, ready to save. */
export interface CsvFile {
  blob: Blob;
  filename: string;
}

const DEFAULT_CSV_FILENAME = 'usage-events.csv';

function filenameFrom(disposition: string | null): string | undefined {
  const match = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}

/** Reads the file part by part: a long one keeps its request alive while parts keep coming. */
const readCsv: ReadAnswerBody<CsvFile> = async (response, url, progress) => {
  const parts: Uint8Array[] = [];
  const reader = response.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
    parts.push(part.value);
    progress();
  }
  const blob = new Blob(parts as BlobPart[], { type: 'text/csv' });
  const head = await blob.slice(0, 1024).text();
  const header = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  if (header !== CSV_COLUMNS.join(',')) {
    throw new UsageApiError('malformed', 'The data endpoint sent a CSV file without the expected header row.', {
      url,
      status: response.status,
    });
  }
  const filename = filenameFrom(response.headers.get('Content-Disposition')) ?? DEFAULT_CSV_FILENAME;
  return { blob, filename };
};

/**
 * `GET events.csv` through the request options (a bearer token cannot ride a plain link).
 */
export function eventsCsvRequest(endpoint: string, query: EventsCsvQuery, options: ApiCallOptions = {}): Promise<CsvFile> {
  return sharedGet(endpoint, 'events.csv', eventsCsvParams(query), 'text/csv', readCsv, options);
}

/** Fetches `events.csv` (see `eventsCsvRequest`) and saves it as a download. */
export async function downloadEventsCsv(
  endpoint: string,
  query: EventsCsvQuery,
  options: ApiCallOptions & { filename?: string } = {},
): Promise<CsvFile> {
  const file = await eventsCsvRequest(endpoint, query, options);
  const filename = options.filename ?? file.filename;
  saveFile(file.blob, filename);
  return { blob: file.blob, filename };
}

/** Saves `blob` as a download named `filename`, through a hidden link to an object URL. */
export function saveFile(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = filename;
  anchor.hidden = true;
  document.body.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    // The browser reads the object URL after the click's task; give it time before revoking.
    globalThis.setTimeout(() => URL.revokeObjectURL(href), 10_000);
  }
}
