/**
 * The data-endpoint contract (DESIGN.md, "The data-endpoint contract"): the types of every
 * request and answer, the limits, and the small pure helpers that both sides need.
 * The elements and the reference server import this module; it imports nothing.
 */

export const RESOURCE_TYPES = ['tokens', 'storage', 'ocr'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const POOL_CATEGORIES = ['allocated', 'surplus', 'hybrid'] as const;
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

export interface ConsumptionSeries extends ReadAnswer {
  from: string;
  to: string;
  bucket: Bucket;
  tz: string;
  resourceType: ResourceType;
  unit: Unit;
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

export interface SurplusSeries extends ReadAnswer {
  from: string;
  to: string;
  bucket: Bucket;
  tz: string;
  resourceType: ResourceType;
  unit: Unit;
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
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(Number(y), month - 1, day, hour, minute, second, Number(frac.padEnd(3, '0').slice(0, 3)));
  if (new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day) return null;
  let offset = 0;
  if (zone !== 'Z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    const [oh, om] = zone!.slice(1).split(':').map(Number);
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
