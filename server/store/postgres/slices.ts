/**
 * Aggregates over rollups where they can serve and over events where they cannot, kept
 * exact at a read's `maxId`.
 *
 * A time range is cut into slices: the whole days (or hours) inside it come from a
 * rollup, the partial ones at its ends from the next finer rollup, and the partial hours
 * from events. Rollups are written in the ingest transaction, so in one statement (one
 * snapshot) they hold exactly the committed events; the events with id > maxId that a
 * rollup slice holds are subtracted again, so the answer reflects the read's `maxId`.
 */
import { toTimestamp, type Params } from './sql.js';

/** An instant in epoch ms, or null for unbounded. */
export type Bound = number | null;

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** One source of rows `(b, k, v)` for a time slice `[from, to)`. */
export interface Tier {
  /** The rollup's grain; slices handed to it start and end on multiples of it (UTC). */
  grain: number;
  sql(from: Bound, to: Bound): string;
}

export interface SlicedQuery {
  /** The rollups, coarsest first. */
  tiers: readonly Tier[];
  /**
   * Rows from events over `[from, to)`: `ids` is the id condition (`id <= maxId` for the
   * slices events serve, `id > maxId` for the correction of a rollup slice), and `sign`
   * is `''` or `'-'` for the value.
   */
  events(from: Bound, to: Bound, ids: string, sign: '' | '-'): string;
  /**
   * Like `events`, but each row counted in the bucket of its time truncated to `unit`
   * (the rollup row it corrects). When given, a range ending inside an hour reads that
   * whole hour from the finest rollup and subtracts the events after the range's end:
   * when the range ends at about now, those are few, while the hour's events before now
   * can be very many.
   */
  eventsByUnit?(from: Bound, to: Bound, ids: string, sign: '' | '-', unit: 'hour' | 'day'): string;
  /**
   * With `eventsByUnit`, a range ending inside a day also reads that whole day from the
   * daily rollup less the events after the range's end (when the caller knows there are
   * none or few: a range ending now), instead of its hours from the hourly rollup. Only
   * where the day's sums land in one bucket (no buckets, or day-aligned ones).
   */
  wholeTailDay?: boolean;
  maxId: number;
}

const UNIT: Record<number, 'hour' | 'day'> = { [HOUR]: 'hour', [DAY]: 'day' };

/** `value` rounded up to a multiple of `grain` (UTC), null staying null. */
export function ceilTo(value: number, grain: number): number;
export function ceilTo(value: Bound, grain: number): Bound;
export function ceilTo(value: Bound, grain: number): Bound {
  return value === null ? null : Math.ceil(value / grain) * grain;
}

/** `value` rounded down to a multiple of `grain` (UTC), null staying null. */
export function floorTo(value: number, grain: number): number;
export function floorTo(value: Bound, grain: number): Bound;
export function floorTo(value: Bound, grain: number): Bound {
  return value === null ? null : Math.floor(value / grain) * grain;
}

/** Whether `[from, to)` holds anything. */
function nonEmpty(from: Bound, to: Bound): boolean {
  return from === null || to === null || from < to;
}

/** The SQL parts (each a select of `b, k, v`) covering `[from, to)`. */
export function sliceParts(query: SlicedQuery, params: Params, from: Bound, to: Bound): string[] {
  const { rollups, events } = slicePartsBySource(query, params, from, to);
  return [...rollups, ...events];
}

/**
 * The parts of `sliceParts`, those that read a rollup apart from those that read events
 * (the corrections and the ends): a caller may read the rollups in index order and the
 * few event rows beside them, in one statement so that both see one snapshot.
 */
export function slicePartsBySource(query: SlicedQuery, params: Params, from: Bound, to: Bound): { rollups: string[]; events: string[] } {
  const maxId = params.add(query.maxId);
  const rollups: string[] = [];
  const events: string[] = [];
  const cover = (a: Bound, b: Bound, tierIndex: number): void => {
    if (!nonEmpty(a, b)) return;
    const tier = query.tiers[tierIndex];
    if (!tier) {
      events.push(query.events(a, b, `id <= ${maxId}`, ''));
      return;
    }
    const innerFrom = ceilTo(a, tier.grain);
    const innerTo = floorTo(b, tier.grain);
    if (!nonEmpty(innerFrom, innerTo)) {
      cover(a, b, tierIndex + 1);
      return;
    }
    rollups.push(tier.sql(innerFrom, innerTo));
    events.push(query.events(innerFrom, innerTo, `id > ${maxId}`, '-'));
    if (a !== null && innerFrom !== null && a < innerFrom) cover(a, innerFrom, tierIndex + 1);
    if (b === null || innerTo === null || innerTo >= b) return;
    const unit = UNIT[tier.grain];
    if (query.eventsByUnit && unit && (tierIndex === query.tiers.length - 1 || (unit === 'day' && query.wholeTailDay))) {
      const end = innerTo + tier.grain;
      rollups.push(tier.sql(innerTo, end));
      events.push(query.eventsByUnit(innerTo, end, `id > ${maxId}`, '-', unit));
      events.push(query.eventsByUnit(b, end, `id <= ${maxId}`, '-', unit));
    } else {
      cover(innerTo, b, tierIndex + 1);
    }
  };
  cover(from, to, 0);
  return { rollups, events };
}

/** `and <column> >= from and <column> < to`, for the bounds that are set. */
export function timeRange(column: string, from: Bound, to: Bound, params: Params): string {
  let sql = '';
  if (from !== null) sql += ` and ${column} >= ${params.add(toTimestamp(from), 'timestamptz')}`;
  if (to !== null) sql += ` and ${column} < ${params.add(toTimestamp(to), 'timestamptz')}`;
  return sql;
}
