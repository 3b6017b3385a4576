/**
 * The data-endpoint contract (docs/contract.md, "The rules"): the types of every
 * request and answer, the limits, and the small pure helpers that both sides need.
 * The elements and the reference server import this module; it imports nothing.
 */

export const RESOURCE_TYPES = ['tokens', 'storage', 'ocr'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const POOL_CATEGORIES = ['allocated', 'surplus', 'hybrid'] as const;
/** The pools of events that drew from the surplus pool: their user had gone past the base budget. */
export const SURPLUS_POOLS = ['surplus', 'hybrid'] as const;
export type PoolCategory = (typeof POOL_CATEGORIES)[number];

export const IO_TYPES = ['input', 'output'] as const;
export type IoType = (typeof IO_TYPES)[number];

export const UNITS = { tokens: 'tokens', storage: 'bytes', ocr: 'pages' } as const satisfies Record<ResourceType, string>;
export type Unit = (typeof UNITS)[ResourceType];

export const EVENT_SORT_COLUMNS = [
  'created',
  'userId',
  'amount',
  'resourceType',
  'poolCategory',
  'ioType',
  'requestId',
  'endpoint',
] as const;
export type EventSortColumn = (typeof EVENT_SORT_COLUMNS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const BUCKETS = ['auto', 'minute', 'hour', 'day', 'week'] as const;
export type BucketParam = (typeof BUCKETS)[number];
export type Bucket = Exclude<BucketParam, 'auto'>;

export const GROUP_BYS = ['ioType', 'poolCategory', 'userId', 'endpoint'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const ERROR_CODES = [
  'bad_parameter',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'limit_exceeded',
  'rate_limited',
  'too_large',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The limits the contract states, shared by the server's checks and the elements. */
export const LIMITS = {
  /** Values of one repeatable parameter. */
  maxValues: 200,
  /** Characters of one string parameter. */
  maxStringLength: 256,
  /** Characters of a whole query string. */
  maxQueryLength: 32_768,
  defaultPageSize: 25,
  maxPageSize: 500,
  /** Largest `(page − 1) × pageSize`. */
  maxOffset: 1_000_000,
  /** `total` is exact up to this count; beyond, it is this with `totalIsExact: false`. */
  exactTotalCap: 100_000,
  /** `bucket=auto` takes the smallest unit with at most this many buckets. */
  autoMaxBuckets: 1_500,
  maxBuckets: 20_000,
  /** A consumption series grouped by user or endpoint has at most this many keys; the rest is `other`. */
  topGroups: 10,
  maxCsvRows: 1_000_000,
  maxIngestBatch: 10_000,
  /** The stream resets when more than this many events follow `after`. */
  streamMaxBacklog: 10_000,
  /** The stream resets when one message would hold more than this many events. */
  streamMaxBatch: 5_000,
  streamFlushMs: 250,
  streamHeartbeatMs: 15_000,
  /** Pieces refetch after a reset at most this often. */
  streamResetRefetchMs: 10_000,
  usersDefaultLimit: 50,
  usersMaxLimit: 200,
  endpointsDefaultLimit: 50,
  endpointsMaxLimit: 200,
  /** Endpoints are listed from the last this many days. */
  endpointsWindowDays: 90,
  /** The rolling window of budgets and of the surplus pool. */
  windowMs: 4 * 3_600_000,
  /** The rolling window of the weekly token limit. */
  weekMs: 7 * 86_400_000,
  /** `created` on ingest must lie in `[now − this, now + ingestFutureMs]`. */
  ingestPastMs: 24 * 3_600_000,
  ingestFutureMs: 5 * 60_000,
  idempotencyMs: 24 * 3_600_000,
} as const;

/** Whether a string has more characters than a string parameter may: code points (an emoji is one), as a database counts them. */
export const tooLong = (value: string): boolean => value.length > LIMITS.maxStringLength && [...value].length > LIMITS.maxStringLength;

export interface ConsumptionEvent {
  /** A decimal integer below 2^53, compared as a number; increases with ingest order. */
  id: string;
  created: string;
  userId: string;
  amount: number;
  resourceType: ResourceType;
  poolCategory: PoolCategory;
  ioType: IoType;
  requestId: string;
  endpoint: string;
  /** The part drawn from surplus: 0 allocated, `amount` surplus, between for hybrid. */
  surplusAmount: number;
}

/**
 * The filter parameters of the contract, normalised: what a request carries and what
 * the shared matcher (`match.ts`) tests an event against. `from` and `to` go together.
 */
export interface EventFilter {
  from?: string | undefined;
  to?: string | undefined;
  resourceType?: ResourceType | undefined;
  userIds?: readonly string[] | undefined;
  poolCategories?: readonly PoolCategory[] | undefined;
  ioTypes?: readonly IoType[] | undefined;
  amountMin?: number | undefined;
  amountMax?: number | undefined;
  requestId?: string | undefined;
  endpoints?: readonly string[] | undefined;
}

/** Every read answer says which instant it reflects and the newest event id then. */
export interface ReadAnswer {
  asOf: string;
  /** The newest event id of the organization at `asOf`; "0" when it has none. */
  lastEventId: string;
}

export interface EventsQuery extends EventFilter {
  tz?: string | undefined;
  sort?: EventSortColumn | undefined;
  order?: SortOrder | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface EventsPage extends ReadAnswer {
  items: ConsumptionEvent[];
  page: number;
  pageSize: number;
  total: number;
  totalIsExact: boolean;
}

export interface ConsumptionQuery extends Omit<EventFilter, 'requestId'> {
  tz?: string | undefined;
  bucket?: BucketParam | undefined;
  groupBy?: GroupBy | undefined;
}

export interface ConsumptionPoint {
  /** The bucket's start. */
  t: string;
  amount: number;
  byGroup: Record<string, number>;
  /** For `userId` and `endpoint`: everything outside the 10 largest keys. */
  other?: number;
}

/** What both chart answers (`consumption`, `surplus`) say of their range and buckets. */
export interface SeriesAnswer extends ReadAnswer {
  from: string;
  to: string;
  bucket: Bucket;
  tz: string;
  resourceType: ResourceType;
  unit: Unit;
}

export interface ConsumptionSeries extends SeriesAnswer {
  groupBy: GroupBy;
  /** Keys by total descending, ties by code point. */
  groups: string[];
  points: ConsumptionPoint[];
  total: number;
}

export interface SurplusQuery {
  from?: string | undefined;
  to?: string | undefined;
  resourceType?: ResourceType | undefined;
  bucket?: BucketParam | undefined;
  tz?: string | undefined;
}

export interface SurplusPoint {
  t: string;
  capacity: number;
  /** At the bucket's end (or at `asOf` for the current bucket). */
  available: number;
  /** The lowest minute value inside the bucket. */
  availableMin: number;
  drawn: number;
  usersOverBase: number;
}

export interface SurplusProjection {
  ratePerDay: number;
  troughSlopePerDay: number;
  exhaustedAt: string | null;
  exhaustions: number;
}

export interface SurplusSeries extends SeriesAnswer {
  capacity: number;
  points: SurplusPoint[];
  projection: SurplusProjection;
}

export interface UserSummary {
  id: string;
  name?: string;
  email?: string;
}

export interface UsersQuery {
  q?: string | undefined;
  ids?: readonly string[] | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface UsersPage extends ReadAnswer {
  items: UserSummary[];
  total: number;
}

export interface ResourceLimits {
  basePer4h: number;
  surplusPer4h: number;
}

export interface UserDetail extends UserSummary, ReadAnswer {
  limits: Record<ResourceType, ResourceLimits>;
}

export interface EndpointsQuery {
  q?: string | undefined;
  limit?: number | undefined;
}

export interface EndpointsPage extends ReadAnswer {
  items: { endpoint: string; events: number }[];
}

export interface OrgLimits extends ReadAnswer {
  weeklyTokenLimit: number;
  weeklyTokensUsed: number;
  storageLimit: number;
  storageUsed: number;
  surplusCapacity: Record<ResourceType, number>;
}

export interface IngestEventInput {
  userId: string;
  amount: number;
  resourceType: ResourceType;
  ioType: IoType;
  requestId: string;
  endpoint: string;
  created?: string;
}

export interface LimitExceededDetails {
  baseLeft: number;
  surplusLeft: number;
  weeklyLeft: number | null;
  freesAt: string | null;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    param?: string;
    details?: Record<string, unknown>;
  };
}

export interface IngestBatchAnswer {
  items: (ConsumptionEvent | ErrorBody)[];
}

/** `event: reset` data on the live stream. */
export interface StreamReset {
  lastEventId: string;
}

export const CSV_COLUMNS = [
  'created',
  'userId',
  'amount',
  'resourceType',
  'poolCategory',
  'ioType',
  'requestId',
  'endpoint',
  'surplusAmount',
  'id',
] as const;

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an instant that carries `Z` or an offset, kept to the millisecond.
 * Returns epoch milliseconds, or null for anything else (no zone, impossible dates).
 */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part = '0') => Number(part)) as number[];
  // Date.UTC reads the years 0–99 as 1900–1999: those are refused (no range reaches them).
  if (year! < 100 || month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59 || second! > 59) return null;
  const utc = Date.UTC(year!, month! - 1, day, hour, minute, second, Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  // A day past its month's end (no rollover into the next day otherwise: the time is in range).
  if (new Date(utc).getUTCDate() !== day) return null;
  const zone = m[8]!;
  let offset = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number);
    if (oh! > 23 || om! > 59) return null;
    offset = sign * (oh! * 60 + om!) * 60_000;
  }
  const ms = utc - offset;
  return Number.isFinite(ms) ? ms : null;
}

/** The contract's form of an instant: `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Orders strings by Unicode code point (UTF-8 byte order), as the stores do
 * (`COLLATE "C"`), not by UTF-16 units as `<` does.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (0xD800–0xDFFF) stands for a code point above 0xFFFF, so it sorts
    // after every BMP unit above it (0xE000–0xFFFF) too.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Compares two event ids (decimal integers below 2^53) as numbers. */
export function compareEventIds(a: string, b: string): number {
  return Number(a) - Number(b);
}

// ---------------------------------------------------------------------------------------
// Query encoding

/** A value of one query parameter; arrays repeat the parameter, nullish ones are left out. */
export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

function toSearchParams(params: Readonly<Record<string, QueryValue>>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value == null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number)[]) search.append(name, String(item));
    } else {
      search.append(name, String(value));
    }
  }
  return search;
}

/**
 * Encodes query parameters in the contract's form, without the leading `?`: repeatable
 * parameters repeat (`userId=a&userId=b`); nullish values and empty arrays are left out.
 */
export function encodeQuery(params: Readonly<Record<string, QueryValue>>): string {
  return toSearchParams(params).toString();
}

/** The filter parameters every event route shares, under their contract names. */
function filterParams(filter: EventFilter): Record<string, QueryValue> {
  return {
    from: filter.from,
    to: filter.to,
    resourceType: filter.resourceType,
    userId: filter.userIds,
    poolCategory: filter.poolCategories,
    ioType: filter.ioTypes,
    amountMin: filter.amountMin,
    amountMax: filter.amountMax,
    requestId: filter.requestId,
    endpoint: filter.endpoints,
  };
}

/** `GET events` */
export function eventsParams(query: EventsQuery): URLSearchParams {
  return toSearchParams({
    ...filterParams(query),
    tz: query.tz,
    sort: query.sort,
    order: query.order,
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** `GET events.csv`: the events filters and sort, no paging. */
export type EventsCsvQuery = Omit<EventsQuery, 'page' | 'pageSize'>;

/** `GET events.csv` */
export function eventsCsvParams(query: EventsCsvQuery): URLSearchParams {
  return toSearchParams({ ...filterParams(query), tz: query.tz, sort: query.sort, order: query.order });
}

/** `GET events/stream`: optional filters and the id to resume after. */
export interface StreamQuery extends EventFilter {
  after?: string | undefined;
}

/** `GET events/stream` */
export function streamParams(query: StreamQuery): URLSearchParams {
  return toSearchParams({ ...filterParams(query), after: query.after });
}

/** `GET consumption` */
export function consumptionParams(query: ConsumptionQuery): URLSearchParams {
  return toSearchParams({
    ...filterParams({ ...query, requestId: undefined }),
    tz: query.tz,
    bucket: query.bucket,
    groupBy: query.groupBy,
  });
}

/** `GET surplus` */
export function surplusParams(query: SurplusQuery): URLSearchParams {
  return toSearchParams({
    from: query.from,
    to: query.to,
    resourceType: query.resourceType,
    bucket: query.bucket,
    tz: query.tz,
  });
}

/** `GET users` */
export function usersParams(query: UsersQuery): URLSearchParams {
  return toSearchParams({ q: query.q, id: query.ids, limit: query.limit, offset: query.offset });
}

/** `GET endpoints` */
export function endpointsParams(query: EndpointsQuery): URLSearchParams {
  return toSearchParams({ q: query.q, limit: query.limit });
}

// ---------------------------------------------------------------------------------------
// Answer validation: hand-written checks of every field, so that a wrong-shaped answer
// becomes an error naming the path of the bad field instead of a crash far away.

/** An answer that does not have the contract's shape; `path` names the bad field. */
export class ContractShapeError extends Error {
  readonly path: string;
  readonly expected: string;

  constructor(path: string, expected: string) {
    super(`${path || 'answer'}: expected ${expected}`);
    this.name = 'ContractShapeError';
    this.path = path;
    this.expected = expected;
  }
}

/**
 * Where a checked value sits: its text, or a function giving it, so that the path of every
 * field is spelled out only when a check fails (10,080 points are checked in a few ms).
 */
type Path = string | (() => string);

const pathText = (path: Path): string => (typeof path === 'string' ? path : path());

/** Checks a value at a path and returns it typed, or throws a `ContractShapeError`. */
type Check<T> = (value: unknown, path: Path) => T;

const EVENT_ID = /^(0|[1-9]\d*)$/;

function ensure<T>(ok: boolean, value: unknown, path: Path, expected: string): T {
  if (!ok) throw new ContractShapeError(pathText(path), expected);
  return value as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const aString: Check<string> = (v, p) => ensure(typeof v === 'string', v, p, 'a string');
const aBoolean: Check<boolean> = (v, p) => ensure(typeof v === 'boolean', v, p, 'a boolean');
const aNumber: Check<number> = (v, p) => ensure(typeof v === 'number' && Number.isFinite(v), v, p, 'a finite number');
const anInteger: Check<number> = (v, p) => ensure(Number.isSafeInteger(v), v, p, 'an integer');
const aCount: Check<number> = (v, p) =>
  ensure(Number.isSafeInteger(v) && (v as number) >= 0, v, p, 'a non-negative integer');
const aPositiveInteger: Check<number> = (v, p) =>
  ensure(Number.isSafeInteger(v) && (v as number) >= 1, v, p, 'a positive integer');
const anInstant: Check<string> = (v, p) =>
  ensure(typeof v === 'string' && parseInstant(v) != null, v, p, 'an instant with a zone');
const anEventId: Check<string> = (v, p) =>
  ensure(typeof v === 'string' && EVENT_ID.test(v) && Number(v) < 2 ** 53, v, p, 'an event id (a decimal integer)');

function oneOf<T extends string>(values: readonly T[]): Check<T> {
  const expected = `one of ${values.map((v) => `"${v}"`).join(', ')}`;
  return (v, p) => ensure(values.includes(v as T), v, p, expected);
}

function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, p) => (v === undefined ? undefined : check(v, p));
}

function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, p) => (v === null ? null : check(v, p));
}

function arrayOf<T>(check: Check<T>): Check<T[]> {
  return (v, p) => {
    ensure(Array.isArray(v), v, p, 'an array');
    (v as unknown[]).forEach((item, i) => check(item, () => `${pathText(p)}[${i}]`));
    return v as T[];
  };
}

function join(path: Path, key: string): Path {
  return () => {
    const base = pathText(path);
    return base ? `${base}.${key}` : key;
  };
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

function object<T>(shape: Shape<T>): Check<T> {
  return (v, p) => {
    ensure(isRecord(v), v, p, 'an object');
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      shape[key](record[key], join(p, key));
    }
    return v as T;
  };
}

function recordOf<T>(check: Check<T>): Check<Record<string, T>> {
  return (v, p) => {
    ensure(isRecord(v), v, p, 'an object');
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) check(item, join(p, key));
    return v as Record<string, T>;
  };
}

const readAnswer: Shape<ReadAnswer> = { asOf: anInstant, lastEventId: anEventId };

const consumptionEvent: Check<ConsumptionEvent> = (v, p) => {
  const event = object<ConsumptionEvent>({
    id: anEventId,
    created: anInstant,
    userId: aString,
    amount: aCount,
    resourceType: oneOf(RESOURCE_TYPES),
    poolCategory: oneOf(POOL_CATEGORIES),
    ioType: oneOf(IO_TYPES),
    requestId: aString,
    endpoint: aString,
    surplusAmount: aCount,
  })(v, p);
  return ensure(event.surplusAmount <= event.amount, event, join(p, 'surplusAmount'), 'at most the amount');
};

const unitOf: Check<Unit> = /* @__PURE__ */ oneOf(Object.values(UNITS));

/** The `unit` must be the one of the answer's `resourceType`. */
function checkUnit(answer: { resourceType: ResourceType; unit: Unit }, path: Path): void {
  ensure(answer.unit === UNITS[answer.resourceType], answer, join(path, 'unit'), `"${UNITS[answer.resourceType]}"`);
}

/**
 * A series' points: at most `maxBuckets`, each after the one before, as the contract has
 * them (a chart given 300,000, or one bucket again and again, drew nonsense or nothing).
 */
function checkBuckets(points: readonly { t: string }[], path: Path): void {
  const at = join(path, 'points');
  ensure(points.length <= LIMITS.maxBuckets, points, at, `at most ${LIMITS.maxBuckets} buckets`);
  points.reduce((previous, point, i) => {
    const t = parseInstant(point.t)!;
    return ensure(t > previous, t, () => `${pathText(at)}[${i}].t`, 'after the bucket before');
  }, -Infinity);
}

/**
 * A chart answer: the fields both series share and its own, then its unit and buckets
 * checked against each other.
 */
function seriesOf<T extends SeriesAnswer & { points: readonly { t: string }[] }>(own: Omit<Shape<T>, keyof SeriesAnswer>): Check<T> {
  return (v, p) => {
    const shared: Shape<SeriesAnswer> = {
      ...readAnswer,
      from: anInstant,
      to: anInstant,
      bucket: oneOf(BUCKETS.filter((b): b is Bucket => b !== 'auto')),
      tz: aString,
      resourceType: oneOf(RESOURCE_TYPES),
      unit: unitOf,
    };
    const series = object<T>({ ...shared, ...own } as Shape<T>)(v, p);
    checkUnit(series, p);
    checkBuckets(series.points, p);
    return series;
  };
}

const consumptionSeries: Check<ConsumptionSeries> = (v, p) => {
  const series = seriesOf<ConsumptionSeries>({
    groupBy: oneOf(GROUP_BYS),
    groups: arrayOf(aString),
    points: arrayOf(
      object<ConsumptionPoint>({ t: anInstant, amount: aCount, byGroup: recordOf(aCount), other: optional(aCount) }),
    ),
    total: aCount,
  })(v, p);
  series.points.forEach((point, i) => {
    for (const group of series.groups) {
      aCount(point.byGroup[group], () => `${pathText(join(p, 'points'))}[${i}].byGroup.${group}`);
    }
  });
  return series;
};

const surplusSeries: Check<SurplusSeries> = (v, p) =>
  seriesOf<SurplusSeries>({
    capacity: aCount,
    points: arrayOf(
      object<SurplusPoint>({
        t: anInstant,
        capacity: aCount,
        available: anInteger,
        availableMin: anInteger,
        drawn: aCount,
        usersOverBase: aCount,
      }),
    ),
    projection: object<SurplusProjection>({
      ratePerDay: aNumber,
      troughSlopePerDay: aNumber,
      exhaustedAt: nullable(anInstant),
      exhaustions: aCount,
    }),
  })(v, p);

const userSummary: Shape<UserSummary> = { id: aString, name: optional(aString), email: optional(aString) };

const resourceLimits = /* @__PURE__ */ object<ResourceLimits>({ basePer4h: aCount, surplusPer4h: aCount });

const errorBody: Check<ErrorBody> = /* @__PURE__ */ object<ErrorBody>({
  error: object<ErrorBody['error']>({
    code: oneOf(ERROR_CODES),
    message: aString,
    param: optional(aString),
    details: optional(recordOf((v) => v)),
  }),
});

// One constant per answer, so that a bundle keeps only the checks of the routes it reads.

/** Checks a `GET events` answer. */
export const checkEventsPage = /* @__PURE__ */ object<EventsPage>({
  ...readAnswer,
  items: arrayOf(consumptionEvent),
  page: aPositiveInteger,
  pageSize: aPositiveInteger,
  total: aCount,
  totalIsExact: aBoolean,
});

/** Checks a `GET consumption` answer. */
export const checkConsumptionSeries = consumptionSeries;

/** Checks a `GET surplus` answer. */
export const checkSurplusSeries = surplusSeries;

/** Checks a `GET users` answer. */
export const checkUsersPage = /* @__PURE__ */ object<UsersPage>({ ...readAnswer, items: arrayOf(object<UserSummary>(userSummary)), total: aCount });

/** Checks a `GET users/{id}` answer. */
export const checkUserDetail = /* @__PURE__ */ object<UserDetail>({
  ...readAnswer,
  ...userSummary,
  limits: /* @__PURE__ */ object<Record<ResourceType, ResourceLimits>>({
    tokens: resourceLimits,
    storage: resourceLimits,
    ocr: resourceLimits,
  }),
});

/** Checks a `GET endpoints` answer. */
export const checkEndpointsPage = /* @__PURE__ */ object<EndpointsPage>({
  ...readAnswer,
  items: arrayOf(object<EndpointsPage['items'][number]>({ endpoint: aString, events: aCount })),
});

/** Checks a `GET limits` answer. */
export const checkOrgLimits = /* @__PURE__ */ object<OrgLimits>({
  ...readAnswer,
  weeklyTokenLimit: aCount,
  weeklyTokensUsed: aCount,
  storageLimit: aCount,
  storageUsed: aCount,
  surplusCapacity: /* @__PURE__ */ object<Record<ResourceType, number>>({ tokens: aCount, storage: aCount, ocr: aCount }),
});

/** Checks an error answer's `{ error }` body. */
export const checkErrorBody = errorBody;

/** Checks the data of an `event: consumption` message on the live stream. */
export const checkConsumptionEvents = /* @__PURE__ */ arrayOf(consumptionEvent);

/** Checks the data of an `event: reset` message on the live stream. */
export const checkStreamReset = /* @__PURE__ */ object<StreamReset>({ lastEventId: anEventId });

/** Validators of every answer of the contract: each returns its input typed or throws. */
export const validate = {
  eventsPage: checkEventsPage,
  consumptionSeries: checkConsumptionSeries,
  surplusSeries: checkSurplusSeries,
  usersPage: checkUsersPage,
  userDetail: checkUserDetail,
  endpointsPage: checkEndpointsPage,
  orgLimits: checkOrgLimits,
  errorBody: checkErrorBody,
  consumptionEvents: checkConsumptionEvents,
  streamReset: checkStreamReset,
} satisfies Record<string, (value: unknown, path: string) => unknown>;

/** The name of one validator of `validate`. */
export type AnswerKind = keyof typeof validate;

/** Checks a whole answer against its shape; throws a `ContractShapeError` naming the bad field. */
export function validateAnswer<K extends AnswerKind>(kind: K, value: unknown): Answer<K> {
  return validate[kind](value, '') as Answer<K>;
}

/** The type of the answer a validator of `validate` checks. */
export type Answer<K extends AnswerKind> = ReturnType<(typeof validate)[K]>;
