/**
 * The server's order of events (DESIGN.md, `GET events`), so that a live event can be
 * placed where it sorts into the page shown: by the sort column (text by code point,
 * amounts as numbers), ties by `created`, then `id`, all in the same direction.
 */
import {
  compareCodePoints,
  compareEventIds,
  parseInstant,
  type ConsumptionEvent,
  type EventSortColumn,
  type SortOrder,
} from '../api/contract.js';

function compareCreated(a: ConsumptionEvent, b: ConsumptionEvent): number {
  return (parseInstant(a.created) ?? 0) - (parseInstant(b.created) ?? 0);
}

export function compareEvents(a: ConsumptionEvent, b: ConsumptionEvent, sort: EventSortColumn, order: SortOrder): number {
  let result: number;
  if (sort === 'created') result = 0;
  else if (sort === 'amount') result = a.amount - b.amount;
  else result = compareCodePoints(a[sort], b[sort]);
  if (result === 0) result = compareCreated(a, b);
  if (result === 0) result = compareEventIds(a.id, b.id);
  return order === 'desc' ? -result : result;
}

export interface PagePosition {
  items: readonly ConsumptionEvent[];
  page: number;
  pageSize: number;
  sort: EventSortColumn;
  order: SortOrder;
}

/**
 * Where a new event sorts into the page shown, or null when it sorts onto another page:
 * before the first row of a page after the first (an earlier page), or after the last
 * row of a full page (a later page).
 */
export function placeInPage(event: ConsumptionEvent, position: PagePosition): number | null {
  const { items, page, pageSize, sort, order } = position;
  let index = items.findIndex((item) => compareEvents(event, item, sort, order) < 0);
  if (index === -1) index = items.length;
  if (index === 0 && page > 1) return null;
  if (index === items.length && items.length >= pageSize) return null;
  return index;
}
