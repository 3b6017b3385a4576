/**
 * Time on the charts' x axis, in the element's time zone, over the shared `ZoneClock`
 * (src/api/time-zone.ts, the server's buckets use it too): the end of each bucket, the
 * wall clock at a bucket start, and which bucket starts get a label so that labels fall on
 * round local times (every 6 hours, at midnight, on Mondays, on the first of a month, on
 * New Year) and never crowd.
 */
import type { Bucket } from '../api/contract.js';
import { UNIT_MS, type ZoneClock } from '../api/time-zone.js';

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const DAY = 86_400_000;

/**
 * The wall clock at an instant as epoch ms of a UTC date showing it. The offset is read at
 * the start of the quarter hour (every zone changes its offset on a quarter hour), so a
 * week of minute buckets costs the clock 672 look-ups, not 10,080.
 */
export function wallTime(clock: ZoneClock, ms: number): number {
  return ms + clock.offset(Math.floor(ms / QUARTER) * QUARTER);
}

/**
 * The bucket starts of an answer as epoch ms. The client has checked every `t` is in the
 * contract's canonical form (`YYYY-MM-DDTHH:mm:ss.sssZ`), which `Date.parse` reads exactly
 * and, for 10,080 buckets, several times faster than the strict `parseInstant`.
 */
export function bucketStarts(points: readonly { readonly t: string }[]): number[] {
  return points.map((p) => Date.parse(p.t));
}

/** Each bucket's end: the next one's start, and for the last the start after it, capped by `to` when given. */
export function bucketEnds(starts: readonly number[], bucket: Bucket, clock: ZoneClock, to?: number): number[] {
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]! : clock.nextUnitStart(start, bucket);
    return to !== undefined && i === starts.length - 1 ? Math.min(end, Math.max(to, start)) : end;
  });
}

const WEEK_MINUTES = 7 * 1440;
/** Label spacings, in minutes of wall-clock time, from finest to coarsest. */
const STEPS_MIN = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2 * 1440, 3 * 1440, WEEK_MINUTES, 2 * WEEK_MINUTES, 4 * WEEK_MINUTES];
/** The widest spacing in days that still reads as dates; past it labels fall on months. */
export const MAX_DAY_STEP_MINUTES = 14 * 1440;
/** Label spacings in calendar months, from finest to coarsest (12 and up: years). */
const STEPS_MONTHS = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600];

export interface AxisTicks {
  /** The bucket starts that carry a label. */
  values: number[];
  /** The spacing chosen, in minutes: labels show dates from 1,440 on. */
  stepMinutes: number;
  /** For labels on months (`monthTicks`): the spacing in months; they show the year from 12 on. */
  stepMonths?: number;
  /** The labelled starts that begin a local day, which read as dates (`axisTicks`). */
  dayStarts?: ReadonlySet<number>;
}

/**
 * The bucket starts to label: the finest round spacing (in wall-clock minutes) that puts
 * at most `maxLabels` labels on the axis; a label goes where the local time is a multiple
 * of the spacing (days from the epoch for whole days; weeks start on Monday).
 */
export function axisTicks(starts: readonly number[], bucket: Bucket, clock: ZoneClock, maxLabels: number): AxisTicks {
  const bucketMinutes = UNIT_MS[bucket] / MINUTE;
  const count = Math.max(1, maxLabels);
  const spanMinutes = starts.length * bucketMinutes;
  // Past four weeks, whole weeks (labels on Mondays), not days counted from the epoch.
  const stepMinutes =
    STEPS_MIN.find((step) => step >= bucketMinutes && spanMinutes / step <= count) ?? Math.ceil(spanMinutes / count / WEEK_MINUTES) * WEEK_MINUTES;
  const dayStarts = new Set<number>();
  let previousDay: number | null = null;
  let previousLabel = { start: -Infinity, wall: -Infinity };
  const values = starts.filter((start) => {
    const wall = wallTime(clock, start);
    const localDay = Math.floor(wall / DAY);
    // The first bucket of a local date starts its day even when the clocks skipped its
    // midnight (01:00 in Santiago on the day they go forward): it stands for midnight.
    const minuteOfDay = previousDay !== null && localDay !== previousDay ? 0 : Math.round((((wall % DAY) + DAY) % DAY) / MINUTE);
    previousDay = localDay;
    if (minuteOfDay === 0) dayStarts.add(start);
    if (stepMinutes < 1440) {
      // A wall time the clocks repeat (2:00 twice when they go back) is labelled once
      // unless a whole step lies between: two labels an hour apart at a 2-hour step made
      // the loop that fits them take ever wider steps (10 hours over it read "Oct 25", "6:00 AM").
      if (minuteOfDay % stepMinutes !== 0) return false;
      if (wall <= previousLabel.wall && start - previousLabel.start < stepMinutes * MINUTE) return false;
      previousLabel = { start, wall };
      return true;
    }
    if (minuteOfDay !== 0) return false;
    // 1970-01-01 was a Thursday: day + 3 is a multiple of 7 on Mondays.
    return stepMinutes % (7 * 1440) === 0 ? (localDay + 3) % (stepMinutes / 1440) === 0 : localDay % (stepMinutes / 1440) === 0;
  });
  return { values, stepMinutes, dayStarts: new Set(values.filter((start) => dayStarts.has(start))) };
}

/** The local calendar month holding an instant, counted from year 0 (year × 12 + month − 1). */
function monthNumber(clock: ZoneClock, ms: number): number {
  const wall = new Date(wallTime(clock, ms));
  return wall.getUTCFullYear() * 12 + wall.getUTCMonth();
}

/**
 * For a range too long for labels on days: the first bucket of a local month carries a
 * label, every 1, 2, 3 or 6 months, or on New Year every 1, 2, 5, 10… years (multiples of
 * the spacing), at most `maxLabels` of them. A first bucket counts only when it starts the
 * month (a range from the 15th has no label there).
 */
export function monthTicks(starts: readonly number[], clock: ZoneClock, maxLabels: number): AxisTicks {
  const count = Math.max(1, maxLabels);
  const months = starts.map((start) => monthNumber(clock, start));
  const spanMonths = months.length ? months.at(-1)! - months[0]! + 1 : 1;
  const stepMonths = STEPS_MONTHS.find((step) => spanMonths / step <= count) ?? Math.ceil(spanMonths / count / 120) * 120;
  const values = starts.filter((start, i) => {
    const month = months[i]!;
    const first = i > 0 ? month !== months[i - 1] : new Date(wallTime(clock, start)).getUTCDate() === 1 && wallTime(clock, start) % DAY === 0;
    return first && month % stepMonths === 0;
  });
  return { values, stepMinutes: stepMonths * 30 * 1440, stepMonths };
}

/** The local calendar year holding an instant. */
export function wallYear(clock: ZoneClock, ms: number): number {
  return new Date(wallTime(clock, ms)).getUTCFullYear();
}
