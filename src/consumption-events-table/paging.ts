/** The pager's arithmetic, apart from the element so that it is easy to check. */
import { LIMITS } from '../api/contract.js';

export interface PageSummary {
  /** 1-based position of the first row shown; 0 when the page is empty. */
  first: number;
  /** Position of the last row shown. */
  last: number;
  /** The last page, when the total is exact. */
  lastPage: number | null;
  /** The highest page that may be asked for (the contract caps the offset). */
  maxPage: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

/** The highest page whose offset the contract accepts. */
export function maxPageFor(pageSize: number): number {
  return Math.floor(LIMITS.maxOffset / pageSize) + 1;
}

/**
 * Where a page stands. With an inexact total (more than 100,000 events) the last page is
 * unknown: Next stays enabled while pages come back full.
 */
export function summarizePage(page: number, pageSize: number, rows: number, total: number, totalIsExact: boolean): PageSummary {
  const offset = (page - 1) * pageSize;
  const lastPage = totalIsExact ? Math.max(1, Math.ceil(total / pageSize)) : null;
  const maxPage = Math.min(lastPage ?? Number.POSITIVE_INFINITY, maxPageFor(pageSize));
  return {
    first: rows > 0 ? offset + 1 : 0,
    last: offset + rows,
    lastPage,
    maxPage,
    hasPrevious: page > 1,
    hasNext: page < maxPage && (lastPage !== null || rows >= pageSize),
  };
}

/**
 * The page to show instead when a page came back empty past the end (the data shrank, or
 * a page number typed past it): the last page that has rows, or null when this page is the
 * one to show. An inexact total means at least that many events, so its last page has rows
 * too; a later page shown with rows under it (`shownWithRows`, 0 for none) is nearer the
 * real end, and the person goes back there rather than to page 4,000.
 */
export function pageAfterEmptyAnswer(page: number, pageSize: number, total: number, totalIsExact = true, shownWithRows = 0): number | null {
  if (page <= 1 || total <= 0) return null;
  let last = Math.max(1, Math.ceil(total / pageSize));
  if (!totalIsExact && shownWithRows < page) last = Math.max(last, shownWithRows);
  return last < page ? last : null;
}
