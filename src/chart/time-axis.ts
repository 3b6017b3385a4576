/**
 * Time on the charts' x axis, in the element's time zone: the end of each bucket, the
 * buckets that follow the last one (live events past `to`, the projection), the bucket
 * holding an instant, and which bucket starts get a label so that labels fall on round
 * local times (every 6 hours, at midnight, on Mondays) and never crowd.
 */
import type { Bucket } from '../api/contract.js';
import { zoneOffset, zonedTimeToInstant } from '../filters/state.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The nominal length of a bucket (days and weeks vary by an hour across a DST change). */
export const BUCKET_MS: Readonly<Record<Bucket, number>> = { minute: MINUTE, hour: HOUR, day: DAY, week: 7 * DAY };

/**
 * The zone's offset at an instant, cached by hour (offsets change on the hour or the
 * half hour in every zone: a half-hour change is seen within the hour it happens).
 */
export class ZoneClock {
  readonly timeZone: string;
  readonly #offsets = new Map<number, number>();

  constructor(timeZone: string) {
    this.timeZone = timeZone;
  }

  offset(ms: number): number {
    const key = Math.floor(ms / (HOUR / 2));
    let offset = this.#offsets.get(key);
    if (offset === undefined) {
      offset = zoneOffset(ms, this.timeZone);
      this.#offsets.set(key, offset);
    }
    return offset;
  }

  /** The wall clock at an instant, as a UTC `Date` that shows it. */
  wall(ms: number): Date {
    return new Date(ms + this.offset(ms));
  }
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: number, bucket: Bucket, clock: ZoneClock): number {
  if (bucket === 'minute' || bucket === 'hour') return start + BUCKET_MS[bucket];
  const wall = clock.wall(start);
  const days = bucket === 'day' ? 1 : 7;
  return zonedTimeToInstant(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + days, clock.timeZone);
}

/** Each bucket's end: the next one's start, and for the last the start after it, capped by `to` when given. */
export function bucketEnds(starts: readonly number[], bucket: Bucket, clock: ZoneClock, to?: number): number[] {
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]! : nextBucketStart(start, bucket, clock);
    return to !== undefined && i === starts.length - 1 ? Math.min(end, Math.max(to, start)) : end;
  });
}

/** The index of the bucket holding `ms` (the last start at or before it), or -1 before the first. */
export function bucketIndexAt(starts: readonly number[], ms: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Label spacings, in minutes of wall-clock time, from finest to coarsest. */
const STEPS_MIN = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2 * 1440, 7 * 1440, 14 * 1440, 28 * 1440];

export interface AxisTicks {
  /** The bucket starts that carry a label. */
  values: number[];
  /** The spacing chosen, in minutes: labels show dates from 1,440 on. */
  stepMinutes: number;
}

/**
 * The bucket starts to label: the finest round spacing (in wall-clock minutes) that puts
 * at most `maxLabels` labels on the axis; a label goes where the local time is a multiple
 * of the spacing (days from the epoch for whole days; weeks start on Monday).
 */
export function axisTicks(starts: readonly number[], bucket: Bucket, clock: ZoneClock, maxLabels: number): AxisTicks {
  const bucketMinutes = BUCKET_MS[bucket] / MINUTE;
  const count = Math.max(1, maxLabels);
  const spanMinutes = starts.length * bucketMinutes;
  const stepMinutes =
    STEPS_MIN.find((step) => step >= bucketMinutes && spanMinutes / step <= count) ?? Math.ceil(spanMinutes / count / 1440) * 1440;
  const values = starts.filter((start) => {
    const wall = clock.wall(start).getTime();
    const minuteOfDay = Math.round((((wall % DAY) + DAY) % DAY) / MINUTE);
    if (stepMinutes < 1440) return minuteOfDay % stepMinutes === 0;
    if (minuteOfDay !== 0) return false;
    const day = Math.round(wall / DAY);
    // 1970-01-01 was a Thursday: day + 3 is a multiple of 7 on Mondays.
    return stepMinutes % (7 * 1440) === 0 ? (day + 3) % (stepMinutes / 1440) === 0 : day % (stepMinutes / 1440) === 0;
  });
  return { values, stepMinutes };
}
