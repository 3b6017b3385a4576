/**
 * The small vocabulary every PostgreSQL query shares: the enumeration codes, parameter
 * lists, the WHERE clause of a store filter, and the mapping of a row to an event.
 */
import {
  IO_TYPES,
  POOL_CATEGORIES,
  RESOURCE_TYPES,
  type EventSortColumn,
  type IoType,
  type PoolCategory,
  type ResourceType,
} from '../../../src/api/contract.js';
import type { StoredEvent, StoreFilter } from '../types.js';

/**
 * The enumerations are stored as smallints numbered in the code-point order of their
 * names, so ordering by the number orders by the name (migrations/0001_initial.ts).
 */
function codes<T extends string>(names: readonly T[]): { code: (name: T) => number; name: (code: number) => T } {
  const sorted = [...names].sort();
  const index = new Map(sorted.map((name, i) => [name, i]));
  return {
    code: (name) => index.get(name)!,
    name: (code) => {
      const name = sorted[code];
      if (name === undefined) throw new Error(`Unknown code ${code} in the events table.`);
      return name;
    },
  };
}

export const resourceTypes = codes<ResourceType>(RESOURCE_TYPES);
export const poolCategories = codes<PoolCategory>(POOL_CATEGORIES);
export const ioTypes = codes<IoType>(IO_TYPES);

/**
 * A PostgreSQL array literal (`{…}`): numbers (or text that needs no quoting, such as ISO
 * instants) as they are, or with `quote` every element quoted and escaped. pg's own
 * conversion of a JS array escapes element by element through several calls, a few
 * times slower on the ingest's ten arrays of up to 10,000. One `join` makes the literal a
 * flat string (pieces appended one by one make a rope that pg's serializer must flatten).
 */
export function arrayLiteral(values: readonly (number | string)[], quote = false): string {
  if (!quote) return `{${values.join(',')}}`;
  if (!values.length) return '{}';
  const quoted = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const text = String(values[i]);
    quoted[i] = ESCAPED.test(text) ? text.replace(QUOTED, '\\$&') : text;
  }
  return `{"${quoted.join('","')}"}`;
}

const ESCAPED = /["\\]/;
const QUOTED = /["\\]/g;

/** Collects bound parameters and hands out their placeholders. Bound parameters only. */
export class Params {
  readonly values: unknown[] = [];

  /** The placeholder of a new parameter, with a cast when given. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** The column of each sort key (the events table). */
export const SORT_COLUMN: Record<EventSortColumn, string> = {
  created: 'created',
  userId: 'user_id',
  amount: 'amount',
  resourceType: 'resource_type',
  poolCategory: 'pool_category',
  ioType: 'io_type',
  requestId: 'request_id',
  endpoint: 'endpoint',
};

/** The columns an event is read with, in the order of `toEvent`. */
export const EVENT_COLUMNS =
  'id, created, user_id, amount, resource_type, pool_category, io_type, request_id, endpoint, surplus_amount';

export interface EventRow {
  id: number;
  created: Date;
  user_id: string;
  amount: number;
  resource_type: number;
  pool_category: number;
  io_type: number;
  request_id: string;
  endpoint: string;
  surplus_amount: number;
}

export function toEvent(row: EventRow): StoredEvent {
  return {
    id: String(row.id),
    created: row.created.toISOString(),
    userId: row.user_id,
    amount: row.amount,
    resourceType: resourceTypes.name(row.resource_type),
    poolCategory: poolCategories.name(row.pool_category),
    ioType: ioTypes.name(row.io_type),
    requestId: row.request_id,
    endpoint: row.endpoint,
    surplusAmount: row.surplus_amount,
  };
}

/**
 * An instant as PostgreSQL reads it. Past year 9999 (a range's end rounded up to its hour,
 * day or week, or a bucket's edge) JavaScript writes `+010000-…`, whose sign PostgreSQL
 * takes for a zone: the year goes without its sign and leading zeros.
 */
export function toTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/^\+0*/, '');
}

/**
 * ` and resource_type = any(every type)` when the filter names no type, else nothing: the
 * rollups are keyed `(org_id, resource_type, …)`, and without a type condition a read by
 * a later key column walks every row of the organization.
 */
export function everyTypeCondition(filter: Pick<StoreFilter, 'resourceType'>, params: Params): string {
  return filter.resourceType === undefined ? ` and resource_type = any(${params.add(RESOURCE_TYPES.map(resourceTypes.code), 'int2[]')})` : '';
}

/** Which parts of a filter a query applies (a rollup holds only some of the columns). */
export interface FilterParts {
  /** Apply `from`/`to` on this column (omit to leave the time range to the caller). */
  time?: string;
  /** Apply `maxId` (events only: rollups are corrected for it separately). */
  maxId?: boolean;
  /** The columns the table has; the filter must not need others. */
  columns: ReadonlySet<'user_id' | 'endpoint' | 'io_type' | 'pool_category' | 'amount' | 'request_id'>;
}

export const EVENT_FILTER_COLUMNS: FilterParts['columns'] = new Set([
  'user_id',
  'endpoint',
  'io_type',
  'pool_category',
  'amount',
  'request_id',
]);

/**
 * `column = $n` for one value, `column = any($n)` for several. The difference matters:
 * PostgreSQL 15 cannot read an index in order past an `= any(…)` on a column after the
 * first, so a one-user or one-endpoint page would sort every matching row instead of
 * reading its first 25 from the index.
 */
function inList(column: string, values: readonly unknown[], params: Params, cast: string): string {
  return values.length === 1 ? `${column} = ${params.add(values[0])}` : `${column} = any(${params.add(values, `${cast}[]`)})`;
}

/** The conditions of a filter, `org_id = …` first, joined by `and`. */
export function whereClause(orgId: string, filter: Omit<StoreFilter, 'maxId'> & { maxId?: number }, params: Params, parts: FilterParts): string {
  const conditions = [`org_id = ${params.add(orgId)}`];
  const need = (column: Parameters<FilterParts['columns']['has']>[0]): void => {
    if (!parts.columns.has(column)) throw new Error(`This table cannot filter on ${column}.`);
  };
  if (parts.maxId && filter.maxId !== undefined) conditions.push(`id <= ${params.add(filter.maxId)}`);
  if (parts.time && filter.from !== undefined) conditions.push(`${parts.time} >= ${params.add(toTimestamp(filter.from), 'timestamptz')}`);
  if (parts.time && filter.to !== undefined) conditions.push(`${parts.time} < ${params.add(toTimestamp(filter.to), 'timestamptz')}`);
  if (filter.resourceType !== undefined) conditions.push(`resource_type = ${params.add(resourceTypes.code(filter.resourceType))}`);
  if (filter.userIds?.length) {
    need('user_id');
    conditions.push(inList('user_id', filter.userIds, params, 'text'));
  }
  if (filter.endpoints?.length) {
    need('endpoint');
    conditions.push(inList('endpoint', filter.endpoints, params, 'text'));
  }
  if (filter.poolCategories?.length) {
    need('pool_category');
    conditions.push(inList('pool_category', filter.poolCategories.map(poolCategories.code), params, 'int2'));
    // Hybrid and surplus events are exactly those that drew surplus (classification gives
    // allocated ones 0 and the others more): said outright with a user or an endpoint, the
    // planner can use the partial indexes of their drawing events. Not without: the sort
    // indexes hold the pool category (and the partial pool index is over `pool_category
    // <> 0`, which the planner proves from the categories themselves), and the condition
    // would make each of their entries a row read (a 90-day count of hybrid events: 49,000
    // rows; hybrid and surplus events sorted by amount: 0.8 s).
    const drawingIndex = Boolean(filter.userIds?.length || filter.endpoints?.length);
    if (parts.columns === EVENT_FILTER_COLUMNS && drawingIndex && !filter.poolCategories.includes('allocated')) conditions.push('surplus_amount > 0');
  }
  if (filter.ioTypes?.length) {
    need('io_type');
    conditions.push(inList('io_type', filter.ioTypes.map(ioTypes.code), params, 'int2'));
  }
  if (filter.amountMin !== undefined) {
    need('amount');
    conditions.push(`amount >= ${params.add(filter.amountMin)}`);
  }
  if (filter.amountMax !== undefined) {
    need('amount');
    conditions.push(`amount <= ${params.add(filter.amountMax)}`);
  }
  if (filter.requestId !== undefined) {
    need('request_id');
    conditions.push(`request_id = ${params.add(filter.requestId)}`);
  }
  return conditions.join(' and ');
}
