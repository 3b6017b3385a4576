/** The table's columns, in the order shown and named as DESIGN.md names them, and what a first click on each header sorts. */
import type { EventSortColumn, SortOrder } from '../api/contract.js';

export interface ColumnDefinition {
  readonly key: EventSortColumn;
  readonly label: string;
  /** The order of a first click: the biggest and newest first where that is what people look for. */
  readonly firstOrder: SortOrder;
}

export const COLUMNS: readonly ColumnDefinition[] = [
  { key: 'created', label: 'Created', firstOrder: 'desc' },
  { key: 'userId', label: 'User ID', firstOrder: 'asc' },
  { key: 'amount', label: 'Amount', firstOrder: 'desc' },
  { key: 'resourceType', label: 'Resource Type', firstOrder: 'asc' },
  { key: 'poolCategory', label: 'Pool Category', firstOrder: 'asc' },
  { key: 'ioType', label: 'I/O Type', firstOrder: 'asc' },
  { key: 'requestId', label: 'Request ID', firstOrder: 'asc' },
  { key: 'endpoint', label: 'Endpoint', firstOrder: 'asc' },
];

/** The sort after a click on a column's header: the other order on the sorted column, else its first order. */
export function nextSort(
  current: { sort: EventSortColumn; order: SortOrder },
  column: ColumnDefinition,
): { sort: EventSortColumn; order: SortOrder } {
  if (current.sort === column.key) return { sort: column.key, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { sort: column.key, order: column.firstOrder };
}
