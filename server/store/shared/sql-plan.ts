/**
 * What the SQL stores (embedded SQLite, PostgreSQL) share about planning a read, whatever
 * their dialect: the columns a filter touches, which hourly rollup can serve a filter and
 * grouping, the column of a sort or group key, the range a bucketed read covers, and the
 * WHERE conditions of a store filter. Browser-safe (no node: imports), like the domain.
 */
import type { EventSortColumn, GroupBy } from '../../../src/api/contract.js';
import { SORT_COLUMN, ioTypes, poolCategories, resourceTypes } from '../postgres/sql.js';
import type { StoreFilter } from '../types.js';

export { SORT_COLUMN };

/** The columns a table can filter on besides the organization and the resource type. */
export type FilterColumn = 'user_id' | 'endpoint' | 'io_type' | 'pool_category' | 'amount' | 'request_id';

export const EVENT_FILTER_COLUMNS: ReadonlySet<FilterColumn> = new Set([
  'user_id',
  'endpoint',
  'io_type',
  'pool_category',
  'amount',
  'request_id',
]);

export interface RollupTable {
  table: string;
  columns: ReadonlySet<FilterColumn>;
}

/** Hourly sums per resource type, I/O type and pool category. */
export const ROLLUP_HOUR: RollupTable = { table: 'rollup_hour', columns: new Set(['io_type', 'pool_category']) };
/** The same per user. */
export const ROLLUP_HOUR_USER: RollupTable = { table: 'rollup_hour_user', columns: new Set(['user_id', 'io_type', 'pool_category']) };
/** The same per endpoint. */
export const ROLLUP_HOUR_ENDPOINT: RollupTable = { table: 'rollup_hour_endpoint', columns: new Set(['endpoint', 'io_type', 'pool_category']) };

/**
 * The hourly rollup that holds every column the filter and the grouping need, or null
 * (an amount range, a request ID, or a user and an endpoint together: events only).
 */
export function rollupFor(filter: StoreFilter, groupBy: GroupBy | null): RollupTable | null {
  if (filter.amountMin !== undefined || filter.amountMax !== undefined || filter.requestId !== undefined) return null;
  const byUser = Boolean(filter.userIds?.length) || groupBy === 'userId';
  const byEndpoint = Boolean(filter.endpoints?.length) || groupBy === 'endpoint';
  if (byUser && byEndpoint) return null;
  if (byUser) return ROLLUP_HOUR_USER;
  if (byEndpoint) return ROLLUP_HOUR_ENDPOINT;
  return ROLLUP_HOUR;
}

/** The column of each group key. */
export const GROUP_COLUMN: Record<GroupBy, string> = {
  userId: 'user_id',
  endpoint: 'endpoint',
  ioType: 'io_type',
  poolCategory: 'pool_category',
};

/** The ordering columns of a sort: the column, then `created`, then `id`. */
export function orderColumns(sort: EventSortColumn): string[] {
  const column = SORT_COLUMN[sort];
  return column === 'created' ? ['created', 'id'] : [column, 'created', 'id'];
}

/** The readable name of a group key as a row holds it (enumerations as their codes). */
export function keyName(groupBy: GroupBy | null, key: string | number | null): string | null {
  if (key === null || !groupBy) return null;
  if (groupBy === 'ioType') return ioTypes.name(Number(key));
  if (groupBy === 'poolCategory') return poolCategories.name(Number(key));
  return String(key);
}

/** An instant in epoch ms, or null for unbounded. */
export type Bound = number | null;

/** The range a read covers: the filter's `[from, to)` cut to the buckets' edges. */
export function rangeOf(filter: StoreFilter, edges: readonly number[] | null): [Bound, Bound] {
  let from: Bound = filter.from ?? null;
  let to: Bound = filter.to ?? null;
  if (edges && edges.length) {
    from = from === null ? edges[0]! : Math.max(from, edges[0]!);
    to = to === null ? edges[edges.length - 1]! : Math.min(to, edges[edges.length - 1]!);
  }
  return [from, to];
}

/** How a dialect writes bound parameters. */
export interface SqlDialect {
  /** The placeholder of a new bound parameter. */
  param(value: unknown): string;
  /** An instant (epoch ms) as the dialect's time column compares it. */
  instant(ms: number): string;
  /** `column` equal to one of `values` (text or small integers). */
  inList(column: string, values: readonly (string | number)[], type: 'text' | 'int2'): string;
}

/**
 * The conditions of a filter, the organization's condition (`orgCondition`, bound by the
 * caller) first, joined by AND; `time` applies `from`/`to` on that column, `maxId` bounds the ids (events only).
 * Throws when the table lacks a column the filter needs (callers pick one that has them).
 */
export function filterConditions(
  orgCondition: string,
  filter: Omit<StoreFilter, 'maxId'> & { maxId?: number },
  sql: SqlDialect,
  parts: { time?: string; maxId?: boolean; columns: ReadonlySet<FilterColumn> },
): string {
  const conditions = [orgCondition];
  const need = (column: FilterColumn): void => {
    if (!parts.columns.has(column)) throw new Error(`This table cannot filter on ${column}.`);
  };
  if (parts.maxId && filter.maxId !== undefined) conditions.push(`id <= ${sql.param(filter.maxId)}`);
  if (parts.time && filter.from !== undefined) conditions.push(`${parts.time} >= ${sql.instant(filter.from)}`);
  if (parts.time && filter.to !== undefined) conditions.push(`${parts.time} < ${sql.instant(filter.to)}`);
  if (filter.resourceType !== undefined) conditions.push(`resource_type = ${sql.param(resourceTypes.code(filter.resourceType))}`);
  if (filter.userIds?.length) {
    need('user_id');
    conditions.push(sql.inList('user_id', filter.userIds, 'text'));
  }
  if (filter.endpoints?.length) {
    need('endpoint');
    conditions.push(sql.inList('endpoint', filter.endpoints, 'text'));
  }
  if (filter.poolCategories?.length) {
    need('pool_category');
    conditions.push(sql.inList('pool_category', filter.poolCategories.map(poolCategories.code), 'int2'));
  }
  if (filter.ioTypes?.length) {
    need('io_type');
    conditions.push(sql.inList('io_type', filter.ioTypes.map(ioTypes.code), 'int2'));
  }
  if (filter.amountMin !== undefined) {
    need('amount');
    conditions.push(`amount >= ${sql.param(filter.amountMin)}`);
  }
  if (filter.amountMax !== undefined) {
    need('amount');
    conditions.push(`amount <= ${sql.param(filter.amountMax)}`);
  }
  if (filter.requestId !== undefined) {
    need('request_id');
    conditions.push(`request_id = ${sql.param(filter.requestId)}`);
  }
  return conditions.join(' AND ');
}
