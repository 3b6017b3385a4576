/**
 * The one event matcher: whether an event matches a contract filter. The live pieces
 * use it to apply streamed events; the server's stream and its tests use it too, so the
 * two sides cannot disagree on what "matching" means.
 */
import { LIMITS, parseInstant, type ConsumptionEvent, type EventFilter } from './contract.js';

export interface MatchOptions {
  /**
   * Rolling presets are open at their end for live updates: an event newer than the
   * resolved `to` still matches.
   */
  openEnd?: boolean;
}

function inList<T>(list: readonly T[] | undefined, value: T): boolean {
  return !list || list.length === 0 || list.includes(value);
}

export function matchesFilter(event: ConsumptionEvent, filter: EventFilter, options: MatchOptions = {}): boolean {
  if (filter.requestId != null && event.requestId !== filter.requestId) return false;
  if (filter.from != null && filter.to != null) {
    const created = parseInstant(event.created);
    const from = parseInstant(filter.from);
    const to = parseInstant(filter.to);
    if (created == null || from == null || to == null) return false;
    if (created < from) return false;
    if (!options.openEnd && created >= to) return false;
  }
  if (filter.resourceType != null && event.resourceType !== filter.resourceType) return false;
  if (!inList(filter.userIds, event.userId)) return false;
  if (!inList(filter.poolCategories, event.poolCategory)) return false;
  if (!inList(filter.ioTypes, event.ioType)) return false;
  if (!inList(filter.endpoints, event.endpoint)) return false;
  if (filter.amountMin != null && event.amount < filter.amountMin) return false;
  if (filter.amountMax != null && event.amount > filter.amountMax) return false;
  return true;
}

/**
 * Whether events may still arrive in a range ending at `to` (none: all dates), as of an
 * answer's `asOf`: ingest takes `created` back to 24 hours before its now, so a range that
 * ended before that is closed, and its pieces neither follow the live stream nor say "Live".
 */
export const mayStillArrive = (to: string | undefined, asOf: string): boolean => !to || Date.parse(to) > Date.parse(asOf) - LIMITS.ingestPastMs;
