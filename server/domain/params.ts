/**
 * Parameter parsing and validation for every route. Each route accepts only its own
 * parameters; an unknown or wrongly repeated one, a bad value, `from` not before `to`, a
 * string over 256 characters, more than 200 values or a query string over 32,768
 * characters is a 400 that names the parameter.
 */
import {
  BUCKETS,
  EVENT_SORT_COLUMNS,
  GROUP_BYS,
  IO_TYPES,
  LIMITS,
  POOL_CATEGORIES,
  RESOURCE_TYPES,
  SORT_ORDERS,
  parseInstant,
  tooLong,
  type BucketParam,
  type EventSortColumn,
  type GroupBy,
  type IoType,
  type PoolCategory,
  type ResourceType,
  type SortOrder,
} from '../../src/api/contract.js';
import { ApiError, badParameter } from './errors.js';
import { isTimeZone, RENAMED } from './time-zone.js';

const spellings = new Map<string, string>();

/**
 * A time zone as answers name it: IANA's spelling when the name differs from it only in
 * case (`utc` → `UTC`, `europe/berlin` → `Europe/Berlin`), else as sent. Only the case:
 * the runtime's own canonical name can be another link of the same zone (Node 20 turns
 * `Asia/Kolkata` into `Asia/Calcutta`, `Etc/UTC` into `UTC`), which a client that sent
 * the name does not expect back; a current name's case is mended as well (`asia/kolkata`).
 */
function zoneSpelling(value: string): string {
  let spelled = spellings.get(value);
  if (spelled === undefined) {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    // Its current name too, which ICU may resolve to an older one (asia/kolkata → Asia/Calcutta).
    spelled = [resolved, RENAMED[resolved]].find((name) => name?.toLowerCase() === value.toLowerCase()) ?? value;
    if (spellings.size >= 1_000) spellings.clear();
    spellings.set(value, spelled);
  }
  return spelled;
}

/** The latest instant accepted anywhere: the end of year 9999. */
const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const DEFAULT_RANGE_MS = 7 * 86_400_000;

type Kind =
  | 'instant'
  | 'resourceType'
  | 'poolCategory'
  | 'ioType'
  | 'amount'
  | 'text'
  | 'search'
  | 'tz'
  | 'sort'
  | 'order'
  | 'positive'
  | 'count'
  | 'bucket'
  | 'groupBy'
  | 'eventId';

interface Spec {
  kind: Kind;
  repeatable?: boolean;
}

const FILTER_SPECS = {
  from: { kind: 'instant' },
  to: { kind: 'instant' },
  resourceType: { kind: 'resourceType' },
  userId: { kind: 'text', repeatable: true },
  poolCategory: { kind: 'poolCategory', repeatable: true },
  ioType: { kind: 'ioType', repeatable: true },
  amountMin: { kind: 'amount' },
  amountMax: { kind: 'amount' },
  requestId: { kind: 'text' },
  endpoint: { kind: 'text', repeatable: true },
  tz: { kind: 'tz' },
} as const satisfies Record<string, Spec>;

/** The parameters of each route. */
export const ROUTE_PARAMS = {
  events: { ...FILTER_SPECS, sort: { kind: 'sort' }, order: { kind: 'order' }, page: { kind: 'positive' }, pageSize: { kind: 'positive' } },
  eventsCsv: { ...FILTER_SPECS, sort: { kind: 'sort' }, order: { kind: 'order' } },
  stream: { ...FILTER_SPECS, after: { kind: 'eventId' } },
  // Every filter, requestId too (DESIGN.md: `consumption?filters`): the chart never sends
  // it, but a request ID's consumption over a range is a fair question.
  consumption: { ...FILTER_SPECS, bucket: { kind: 'bucket' }, groupBy: { kind: 'groupBy' } },
  surplus: { from: { kind: 'instant' }, to: { kind: 'instant' }, resourceType: { kind: 'resourceType' }, bucket: { kind: 'bucket' }, tz: { kind: 'tz' } },
  users: { q: { kind: 'search' }, id: { kind: 'text', repeatable: true }, limit: { kind: 'positive' }, offset: { kind: 'count' } },
  endpoints: { q: { kind: 'search' }, limit: { kind: 'positive' } },
  none: {},
} as const satisfies Record<string, Record<string, Spec>>;

export type RouteName = keyof typeof ROUTE_PARAMS;

type Value<K extends Kind> = K extends 'instant' | 'amount' | 'positive' | 'count' | 'eventId'
  ? number
  : K extends 'resourceType'
    ? ResourceType
    : K extends 'poolCategory'
      ? PoolCategory
      : K extends 'ioType'
        ? IoType
        : K extends 'sort'
          ? EventSortColumn
          : K extends 'order'
            ? SortOrder
            : K extends 'bucket'
              ? BucketParam
              : K extends 'groupBy'
                ? GroupBy
                : string;

/** The parsed parameters of a route: repeatable ones as arrays, the rest optional. */
export type Parsed<R extends RouteName> = {
  [P in keyof (typeof ROUTE_PARAMS)[R]]?: (typeof ROUTE_PARAMS)[R][P] extends { kind: infer K extends Kind; repeatable: true }
    ? Value<K>[]
    : (typeof ROUTE_PARAMS)[R][P] extends { kind: infer K extends Kind }
      ? Value<K>
      : never;
};

function describe(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}

function oneOf<T extends string>(values: readonly T[], value: string, name: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw badParameter(name, `${name} must be one of ${values.join(', ')}.`);
}

function integer(value: string, name: string, min: number, what: string): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw badParameter(name, `${name} must be ${what}.`);
  if (Number(value) > Number.MAX_SAFE_INTEGER) {
    throw badParameter(name, `${name} must be ${what} of at most ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}.`);
  }
  return Number(value);
}

function parseValue(kind: Kind, value: string, name: string): unknown {
  if (tooLong(value)) {
    throw badParameter(name, `${name} is longer than ${LIMITS.maxStringLength} characters.`);
  }
  switch (kind) {
    case 'instant': {
      // A `+` offset sent unescaped arrives as a space (a query string's `+`): read it as the `+` it was.
      const ms = parseInstant(value) ?? parseInstant(value.replace(/(T[\d:.]+) (\d\d:\d\d)$/, '$1+$2'));
      if (ms === null || ms < 0 || ms > MAX_INSTANT) {
        throw badParameter(name, `${name} must be an instant with Z or an offset between 1970 and 9999, such as 2025-03-01T00:00:00Z.`);
      }
      return ms;
    }
    case 'resourceType':
      return oneOf(RESOURCE_TYPES, value, name);
    case 'poolCategory':
      return oneOf(POOL_CATEGORIES, value, name);
    case 'ioType':
      return oneOf(IO_TYPES, value, name);
    case 'sort':
      return oneOf(EVENT_SORT_COLUMNS, value, name);
    case 'order':
      return oneOf(SORT_ORDERS, value, name);
    case 'bucket':
      return oneOf(BUCKETS, value, name);
    case 'groupBy':
      return oneOf(GROUP_BYS, value, name);
    case 'amount':
      return integer(value, name, 0, 'a non-negative integer');
    case 'count':
      return integer(value, name, 0, 'a non-negative integer');
    case 'positive':
      return integer(value, name, 1, 'a positive integer');
    case 'eventId':
      return integer(value, name, 0, 'an event id (a non-negative integer)');
    case 'tz':
      if (!isTimeZone(value)) {
        // A `+` sent as it is reads as a space in a query string (Etc/GMT+5 → "Etc/GMT 5").
        const plus = value.includes(' ') && isTimeZone(value.replaceAll(' ', '+'));
        throw badParameter(name, `${name} must be an IANA time zone such as Europe/Berlin.${plus ? ` Send the + of ${value.replaceAll(' ', '+')} as %2B.` : ''}`);
      }
      return zoneSpelling(value);
    case 'text':
      if (value.length === 0) throw badParameter(name, `${name} must not be empty.`);
      if (value.includes('\u0000')) throw badParameter(name, `${name} must not contain NUL characters.`);
      return value;
    case 'search':
      if (value.includes('\u0000')) throw badParameter(name, `${name} must not contain NUL characters.`);
      return value;
  }
}

/** The 400 of a query string over the limit, naming its longest parameter (name and value). */
function queryTooLong(params: URLSearchParams): ApiError {
  let longest = '';
  let longestLength = -1;
  for (const [name, value] of params) {
    if (value.length + name.length > longestLength) {
      longest = name;
      longestLength = value.length + name.length;
    }
  }
  return badParameter(describe(longest), `The query string is longer than ${LIMITS.maxQueryLength.toLocaleString('en-US')} characters.`);
}

/**
 * The name of the longest `name=value` pair of a raw query string, found by scanning the
 * text (nothing decoded but that one name): for the 400 of a query string too long to
 * decode whole, which must still name a parameter.
 */
export function longestParameterName(search: string): string {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  let best = '';
  let bestLength = -1;
  for (let start = 0; start <= raw.length; ) {
    let end = raw.indexOf('&', start);
    if (end < 0) end = raw.length;
    if (end - start > bestLength) {
      bestLength = end - start;
      const eq = raw.indexOf('=', start);
      best = raw.slice(start, eq >= 0 && eq < end ? eq : end);
    }
    start = end + 1;
  }
  // A name longer than `describe` shows is cut first: nothing long is decoded.
  const shown = best.slice(0, 64 * 12);
  let name: string;
  try {
    name = decodeURIComponent(shown.replace(/\+/g, ' '));
  } catch {
    name = shown;
  }
  return describe(name);
}

/**
 * A query string's names and values must be UTF-8 when decoded (URLSearchParams would
 * put U+FFFD for a bad sequence and match nothing, silently): a 400 naming the parameter.
 */
function checkPercentEncoding(raw: string, params: URLSearchParams): void {
  if (!raw.includes('%')) return;
  const pairs = raw.split('&');
  const names = [...params.keys()];
  pairs.forEach((pair, i) => {
    if (!pair.includes('%')) return;
    try {
      decodeURIComponent(pair.replace(/\+/g, ' '));
    } catch {
      const name = names[pairs.slice(0, i).filter((p) => p !== '').length] ?? '';
      throw badParameter(describe(name), `${describe(name)} is not valid percent-encoded UTF-8.`);
    }
  });
}

/**
 * Parses the query string of a route into typed values, refusing anything the route
 * does not accept.
 */
export function parseRouteParams<R extends RouteName>(route: R, search: string): Parsed<R> {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  const params = new URLSearchParams(raw);
  if (raw.length > LIMITS.maxQueryLength) throw queryTooLong(params);
  checkPercentEncoding(raw, params);
  const specs: Record<string, Spec> = ROUTE_PARAMS[route];
  const out: Record<string, unknown> = {};
  for (const name of new Set(params.keys())) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw badParameter(describe(name), `Unknown parameter ${JSON.stringify(describe(name))}.`);
    const values = params.getAll(name);
    if (spec.repeatable) {
      if (values.length > LIMITS.maxValues) throw badParameter(name, `${name} has more than ${LIMITS.maxValues} values.`);
      out[name] = [...new Set(values.map((value) => parseValue(spec.kind, value, name)))];
    } else {
      if (values.length > 1) throw badParameter(name, `${name} may appear only once.`);
      out[name] = parseValue(spec.kind, values[0]!, name);
    }
  }
  return out as Parsed<R>;
}

/** `from` and `to` together or neither, `from` before `to`. Returns null when neither. */
export function explicitRange(params: { from?: number; to?: number }): { from: number; to: number } | null {
  if (params.from === undefined && params.to === undefined) return null;
  if (params.from === undefined) throw badParameter('from', 'from and to go together: from is missing.');
  if (params.to === undefined) throw badParameter('to', 'from and to go together: to is missing.');
  if (params.from >= params.to) throw badParameter('from', 'from must be before to.');
  return { from: params.from, to: params.to };
}

/** The range of a read: the explicit one, or the last 7 days at the server's now, `[now − 7d, now)` to the millisecond. */
export function rangeOrDefault(params: { from?: number; to?: number }, now: number): { from: number; to: number } {
  return explicitRange(params) ?? { from: now - DEFAULT_RANGE_MS, to: now };
}

/** amountMin ≤ amountMax; on the event routes only together with resourceType. */
export function checkAmounts(params: { amountMin?: number; amountMax?: number; resourceType?: ResourceType }, needsType: boolean): void {
  // Named `amountMin` either way, as DESIGN.md names it ("else a 400 naming amountMin").
  if (needsType && params.resourceType === undefined && (params.amountMin !== undefined || params.amountMax !== undefined)) {
    throw badParameter('amountMin', 'amountMin and amountMax need resourceType: amounts are in the unit of one resource type.');
  }
  if (params.amountMin !== undefined && params.amountMax !== undefined && params.amountMin > params.amountMax) {
    throw badParameter('amountMin', 'amountMin must not be above amountMax.');
  }
}
