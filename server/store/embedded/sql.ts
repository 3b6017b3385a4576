/**
 * The vocabulary of the embedded store's queries: named bound parameters, SQLite's
 * dialect for the shared filter conditions, a time range, the sort order and the mapping
 * of a row to an event. Enumerations use the PostgreSQL store's codes (numbered in the code-point
 * order of their names, so ordering by the code orders by the name).
 */
import { formatInstantFast } from '../../domain/instants.js';
import { ioTypes, poolCategories, resourceTypes } from '../postgres/sql.js';
import { filterConditions, orderColumns, type FilterColumn, type SqlDialect } from '../shared/sql-plan.js';
import type { EventOrder, StoredEvent, StoreFilter } from '../types.js';

export { ioTypes, poolCategories, resourceTypes };

/** Collects bound parameters as `@pN` names. Bound parameters only, never spliced values. */
export class NamedParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `@p${this.values.length}`;
  }

  /** The object better-sqlite3 binds the names from. */
  bind(): Record<string, unknown> {
    const named: Record<string, unknown> = {};
    this.values.forEach((value, i) => {
      named[`p${i + 1}`] = value;
    });
    return named;
  }
}

/** SQLite's way of binding: named parameters, lists as `IN (…)`, instants as epoch ms. */
export function sqlite(params: NamedParams): SqlDialect {
  return {
    param: (value) => params.add(value),
    instant: (ms) => params.add(ms),
    inList: (column, values) =>
      values.length === 1 ? `${column} = ${params.add(values[0])}` : `${column} IN (${values.map((value) => params.add(value)).join(', ')})`,
  };
}

/** The conditions of a store filter on a table of this file (`org` first). */
export function conditions(
  org: number,
  filter: Omit<StoreFilter, 'maxId'> & { maxId?: number },
  params: NamedParams,
  parts: { time?: string; maxId?: boolean; columns: ReadonlySet<FilterColumn> },
): string {
  return filterConditions(`org = ${params.add(org)}`, filter, sqlite(params), parts);
}

/** ` AND column >= from AND column < to` for the bounds that are set. */
export function timeRange(column: string, from: number | null, to: number | null, params: NamedParams): string {
  let sql = '';
  if (from !== null) sql += ` AND ${column} >= ${params.add(from)}`;
  if (to !== null) sql += ` AND ${column} < ${params.add(to)}`;
  return sql;
}

/** `ORDER BY <column>, created, id`, all in the same direction. */
export function orderBy(order: EventOrder): string {
  const direction = order.order === 'desc' ? 'DESC' : 'ASC';
  return `ORDER BY ${orderColumns(order.sort)
    .map((column) => `${column} ${direction}`)
    .join(', ')}`;
}

export const EVENT_COLUMNS =
  'id, created, user_id, amount, resource_type, pool_category, io_type, request_id, endpoint, surplus_amount';

export interface EventRow {
  id: number;
  created: number;
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
    created: formatInstantFast(row.created),
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

/** A range this long or shorter counts a type's amount range along time (`amountRangeIndex`). */
const SHORT_RANGE = 31 * 86_400_000;

/**
 * ` INDEXED BY events_type` for a type's amount range with no narrower filter
 * (a user, an endpoint, a request ID), where SQLite's planner reads the amount range over
 * every date (skip-scanning the organization) instead of the range's time:
 * - `rows`, a read of each matching event's row (a chart's sums): always, as the rows then
 *   come in time order, which is nearly rowid order (90 days of tokens at 3M: 3.7 → 1.1 s;
 *   the amount's order reads them all over the file);
 * - `count`, the index alone: over at most a month (7 days at 3M: 114 → 24 ms); over
 *   longer ranges the amount range reaches the count's cap sooner, the planner decides.
 */
export function amountRangeIndex(filter: StoreFilter, reads: 'rows' | 'count'): string {
  const amounts = filter.amountMin !== undefined || filter.amountMax !== undefined;
  const narrower = filter.userIds?.length || filter.endpoints?.length || filter.requestId !== undefined;
  const short = filter.from !== undefined && filter.to !== undefined && filter.to - filter.from <= SHORT_RANGE;
  return amounts && filter.resourceType !== undefined && !narrower && (reads === 'rows' || short) ? ' INDEXED BY events_type' : '';
}
