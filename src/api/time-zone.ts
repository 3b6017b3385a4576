/**
 * Time-zone arithmetic with Intl only, shared by the elements (presets, custom ranges,
 * chart axes, live buckets) and the reference server (the contract's buckets): UTC
 * offsets, wall clocks, local midnights, and the units of the contract's buckets (minute
 * and hour aligned to the local wall clock, days and weeks from local midnight, weeks
 * from Monday; a repeated hour gives two buckets, a skipped one none).
 *
 * Browser-safe: imports nothing from `node:`.
 */
import type { Bucket } from './contract.js';
import { LIMITS } from './contract.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The nominal length of each bucket unit (days and weeks vary across a DST change). */
export const UNIT_MS: Readonly<Record<Bucket, number>> = { minute: MINUTE, hour: HOUR, day: DAY, week: 7 * DAY };

/** Local wall-clock fields; `month` is 1-based. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per zone, whatever the case of its name (IANA's names are matched without
 * it): keyed by the name as sent, each of a name's 2^n spellings kept one more (a server's
 * `tz` grew its memory by 29 kB a spelling, for good).
 */
/** How many zone formatters are kept (for the tests). */
export const keptZoneFormatters = (): number => formatters.size;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const key = timeZone.toLowerCase();
  let format = formatters.get(key);
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
    formatters.set(key, format);
  }
  return format;
}

/**
 * Whether `name` is an IANA time zone this runtime knows. An offset ("+05:45"), which
 * newer engines take as a zone (Chromium does, Node 20 does not), is not one: it has no
 * DST and the contract's `tz` refuses it, so every request would fail.
 */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > LIMITS.maxStringLength || /^[+\u2212-]/u.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

let runtimeZone: { name: string; checkedAt: number } | null = null;

/** Zones Chromium's ICU still names as they were once spelled, by the names their people use now. */
export const RENAMED: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
};

/**
 * The runtime's own time zone, by its current name (Chromium says "Asia/Calcutta"). Reading
 * it builds an `Intl.DateTimeFormat`, which is slow enough to show in a filter change's
 * frame, so it is read again at most once a minute (a laptop that travels still follows).
 */
export function defaultTimeZone(): string {
  const now = Date.now();
  if (!runtimeZone || now - runtimeZone.checkedAt > 60_000) {
    const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const renamed = RENAMED[name];
    runtimeZone = { name: renamed && isTimeZone(renamed) ? renamed : name, checkedAt: now };
  }
  return runtimeZone.name;
}

/** Local wall-clock fields of an instant in a zone. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type in out) out[part.type as keyof LocalParts] = Number(part.value);
  }
  return out;
}

/**
 * Bisection by whole minutes between `lo`, where `reached` is false, and `hi`, where it is
 * true: the earliest minute found where it holds (within a minute of the change).
 */
function firstMinute(lo: number, hi: number, reached: (ms: number) => boolean): number {
  while (hi - lo > MINUTE) {
    const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Offsets and local calendar fields of one time zone. Offsets are memoised per UTC day
 * (and per minute on a day with a change), so make one per task (a request, a render),
 * not one for the process.
 * `ZoneClock` adds the bucket units; the filter state needs only this part, so a bundle
 * without the charts leaves the units out.
 */
export class ZoneCalendar {
  readonly #offsets = new Map<number, number>();
  /** Per UTC day: the offset of the whole day when it holds no change, else null. */
  readonly #days = new Map<number, number | null>();

  constructor(readonly timeZone: string) {
    formatterFor(timeZone);
  }

  /** Local wall-clock fields at an instant. */
  parts(ms: number): LocalParts {
    return localParts(ms, this.timeZone);
  }

  /**
   * The zone's offset from UTC at an instant, in milliseconds (local = utc + offset).
   * A UTC day whose first and last minutes have the same offset holds no change (no zone
   * changes its offset twice within a day), so one reading serves all of its minutes: a
   * day of minute buckets reads the zone a few times instead of thousands. A day with a
   * change is read minute by minute.
   */
  offset(ms: number): number {
    const day = Math.floor(ms / DAY);
    let whole = this.#days.get(day);
    if (whole === undefined) {
      const first = this.#minuteOffset((day * DAY) / MINUTE);
      whole = first === this.#minuteOffset(((day + 1) * DAY) / MINUTE - 1) ? first : null;
      this.#days.set(day, whole);
    }
    return whole ?? this.#minuteOffset(Math.floor(ms / MINUTE));
  }

  #minuteOffset(minute: number): number {
    let offset = this.#offsets.get(minute);
    if (offset === undefined) {
      const p = this.parts(minute * MINUTE);
      offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - minute * MINUTE;
      this.#offsets.set(minute, offset);
    }
    return offset;
  }

  /**
   * The instant at which the zone's clocks show a wall time (`month` 1-based; fields may
   * overflow as in `Date.UTC`). A time repeated by a change back takes its first
   * occurrence; a time skipped by a change forward is read with the offset before the
   * change (so 02:30 in a skipped 02:00–03:00 is 03:30), as `Temporal`'s 'compatible'.
   */
  instantOf(year: number, month: number, day: number, hour = 0, minute = 0): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    const before = this.offset(wall - DAY);
    const after = this.offset(wall + DAY);
    const valid = [wall - before, wall - after].filter((t) => t + this.offset(t) === wall);
    return valid.length > 0 ? Math.min(...valid) : wall - before;
  }

  /**
   * The gap a change forward makes around a wall time, as wall times (local fields read as
   * UTC milliseconds): `start` the last wall time shown before the change, `end` the first
   * after it (02:00 and 03:00 for 02:30 on a spring-forward night). Null when the zone's
   * clocks show that time.
   */
  skippedGap(year: number, month: number, day: number, hour = 0, minute = 0): { start: number; end: number } | null {
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    const instant = this.instantOf(year, month, day, hour, minute);
    if (instant + this.offset(instant) === wall) return null;
    const before = this.offset(wall - DAY);
    const after = this.offset(wall + DAY);
    // The change lies in (wall − after, wall − before]: the wall time is behind the clocks there, ahead before.
    const change = firstMinute(wall - after, wall - before, (mid) => this.offset(mid) !== before);
    return { start: change + before, end: change + after };
  }

  /** The first instant whose local date is on or after the given calendar date (`month` 1-based). */
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
    return firstMinute(wall - 15 * HOUR, wall + 15 * HOUR, (mid) => mid + this.offset(mid) >= wall);
  }

}

/** A `ZoneCalendar` with the contract's bucket units: make one per task, as its offsets are memoised. */
export class ZoneClock extends ZoneCalendar {
  /** The start of the local unit (minute, hour, day, week from Monday) holding `ms`. */
  unitStart(ms: number, unit: Bucket): number {
    if (unit === 'minute' || unit === 'hour') {
      const size = UNIT_MS[unit];
      const offset = this.offset(ms);
      const start = Math.floor((ms + offset) / size) * size - offset;
      // A transition by a non-multiple of the unit inside it (Lord Howe's half hour in an
      // hour): the bucket starts there. By a multiple (Chatham's hour at 02:45), the
      // bucket keeps its length: its ends fall on whole local units under either offset.
      return (this.offset(start) - offset) % size === 0 ? start : this.#transitionBefore(ms, start);
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
      return (this.offset(next - 1) - offset) % size === 0 ? next : this.#transitionAfter(start, next);
    }
    const p = this.parts(start + 12 * HOUR);
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + (unit === 'week' ? 7 : 1) * DAY);
    return this.startOfLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }

  /** The latest instant in (low, high] at which the offset differs from the one at low. */
  #transitionBefore(ms: number, low: number): number {
    const target = this.offset(ms);
    return firstMinute(low, ms, (mid) => this.offset(mid) === target);
  }

  /** The first instant in (start, next) at which the offset changes. */
  #transitionAfter(start: number, next: number): number {
    const initial = this.offset(start);
    return firstMinute(start, next, (mid) => this.offset(mid) !== initial);
  }
}

/** The index of the bucket holding `ms` (`edges` sorted: starts, then the last end), or -1 outside them. */
export function bucketIndex(edges: readonly number[], ms: number): number {
  if (edges.length < 2 || ms < edges[0]! || ms >= edges[edges.length - 1]!) return -1;
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= ms) lo = mid;
    else hi = mid;
  }
  return lo;
}
