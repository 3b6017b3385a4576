/**
 * Time-zone arithmetic with Intl only: UTC offsets, local midnights and the bucket edges
 * of the contract (minute and hour buckets aligned to the local wall clock, days and weeks
 * from local midnight, weeks from Monday; a repeated hour gives two buckets, a skipped
 * one none).
 */
import type { Bucket, BucketParam } from '../../src/api/contract.js';
import { LIMITS } from '../../src/api/contract.js';
import { badParameter } from './errors.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const UNIT_MS: Record<Bucket, number> = { minute: MINUTE, hour: HOUR, day: DAY, week: 7 * DAY };

/** The units `auto` tries, smallest first. */
const AUTO_ORDER: readonly Bucket[] = ['minute', 'hour', 'day', 'week'];

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether `name` is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > LIMITS.maxStringLength) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** Offsets and local calendar fields of one time zone, memoised per whole minute. */
export class ZoneClock {
  readonly #format: Intl.DateTimeFormat;
  readonly #offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.#format = formatterFor(timeZone);
  }

  /** Local wall-clock fields at an instant. */
  parts(ms: number): LocalParts {
    const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.#format.formatToParts(ms)) {
      if (part.type in out) out[part.type as keyof LocalParts] = Number(part.value);
    }
    return out;
  }

  /** The zone's offset from UTC at an instant, in milliseconds (local = utc + offset). */
  offset(ms: number): number {
    const minute = Math.floor(ms / MINUTE);
    let offset = this.#offsets.get(minute);
    if (offset === undefined) {
      const p = this.parts(minute * MINUTE);
      offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - minute * MINUTE;
      this.#offsets.set(minute, offset);
    }
    return offset;
  }

  /** The first instant whose local date is on or after the given calendar date. */
  startOfLocalDate(year: number, month: number, day: number): number {
    const wall = Date.UTC(year, month - 1, day);
    const guess = wall - this.offset(wall);
    const corrected = wall - this.offset(guess);
    if (corrected + this.offset(corrected) === wall) {
      // A repeated midnight: take the earlier occurrence.
      const earlier = corrected - HOUR;
      return earlier + this.offset(earlier) === wall ? earlier : corrected;
    }
    // Midnight does not exist that day (a skipped hour at 00:00): the day starts at the
    // transition, the first instant whose local date is that day.
    let low = wall - 15 * HOUR;
    let high = wall + 15 * HOUR;
    while (high - low > MINUTE) {
      const mid = Math.floor((low + high) / 2 / MINUTE) * MINUTE;
      if (mid + this.offset(mid) >= wall) high = mid;
      else low = mid;
    }
    return high;
  }

  /** The start of the local unit (minute, hour, day, week from Monday) holding `ms`. */
  unitStart(ms: number, unit: Bucket): number {
    if (unit === 'minute' || unit === 'hour') {
      const size = UNIT_MS[unit];
      const offset = this.offset(ms);
      const start = Math.floor((ms + offset) / size) * size - offset;
      // A transition by a non-multiple of the unit inside it: the bucket starts there.
      return this.offset(start) === offset ? start : this.#transitionBefore(ms, start);
    }
    const p = this.parts(ms);
    let date = Date.UTC(p.year, p.month - 1, p.day);
    if (unit === 'week') {
      const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday = 0
      date -= weekday * DAY;
    }
    const d = new Date(date);
    return this.startOfLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }

  /** The start of the next unit after the one that starts at `start`. */
  nextUnitStart(start: number, unit: Bucket): number {
    if (unit === 'minute' || unit === 'hour') {
      const size = UNIT_MS[unit];
      const offset = this.offset(start);
      const next = Math.floor((start + offset) / size) * size + size - offset;
      return this.offset(next - 1) === offset ? next : this.#transitionAfter(start, next);
    }
    const p = this.parts(start + 12 * HOUR);
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + (unit === 'week' ? 7 : 1) * DAY);
    return this.startOfLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }

  /** The latest instant in (low, high] at which the offset differs from the one at low. */
  #transitionBefore(ms: number, low: number): number {
    const target = this.offset(ms);
    let lo = low;
    let hi = ms;
    while (hi - lo > MINUTE) {
      const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
      if (this.offset(mid) === target) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** The first instant in (start, next) at which the offset changes. */
  #transitionAfter(start: number, next: number): number {
    const initial = this.offset(start);
    let lo = start;
    let hi = next;
    while (hi - lo > MINUTE) {
      const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
      if (this.offset(mid) === initial) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

/** Bucket edges over a range: `edges[i]` is the start of bucket i, the last is the end. */
export interface BucketPlan {
  bucket: Bucket;
  /** Starts of every bucket, then the end of the last one (length = buckets + 1). */
  edges: number[];
}

/** Every edge of `unit` buckets covering `[from, to)`, or null past `max` buckets. */
function edgesOf(clock: ZoneClock, unit: Bucket, from: number, to: number, max: number): number[] | null {
  // A cheap bound first, so that an absurd range never builds its edges.
  if ((to - from) / UNIT_MS[unit] > max + 2) return null;
  const edges = [clock.unitStart(from, unit)];
  let last = edges[0]!;
  while (last < to) {
    if (edges.length > max) return null;
    last = clock.nextUnitStart(last, unit);
    edges.push(last);
  }
  return edges;
}

/**
 * The buckets of a chart over `[from, to)` in a time zone: `auto` takes the smallest unit
 * with at most 1,500 buckets; more than 20,000 buckets is a 400 naming `bucket`.
 */
export function planBuckets(bucket: BucketParam, from: number, to: number, timeZone: string): BucketPlan {
  const clock = new ZoneClock(timeZone);
  if (bucket !== 'auto') {
    const edges = edgesOf(clock, bucket, from, to, LIMITS.maxBuckets);
    if (!edges) {
      throw badParameter('bucket', `More than ${LIMITS.maxBuckets.toLocaleString('en-US')} ${bucket} buckets over this range; choose a larger bucket or a shorter range.`);
    }
    return { bucket, edges };
  }
  for (const unit of AUTO_ORDER) {
    const max = unit === 'week' ? LIMITS.maxBuckets : LIMITS.autoMaxBuckets;
    const edges = edgesOf(clock, unit, from, to, max);
    if (edges) return { bucket: unit, edges };
  }
  throw badParameter('from', `The range holds more than ${LIMITS.maxBuckets.toLocaleString('en-US')} weeks; choose a shorter range.`);
}

/** The index of the bucket holding `ms` (edges sorted), or -1 outside them. */
export function bucketIndex(edges: readonly number[], ms: number): number {
  if (ms < edges[0]! || ms >= edges[edges.length - 1]!) return -1;
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= ms) lo = mid;
    else hi = mid;
  }
  return lo;
}
