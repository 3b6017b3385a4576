/**
 * The surplus series (DESIGN.md "The surplus model"): `available` per minute is the pool's
 * capacity minus the organization's surplus drawn over the 240 minutes up to it, from the
 * per-minute rollup. It only changes where a drawn minute enters or leaves the window or
 * the capacity changes, so it is kept as a step function: a 90-day series costs the
 * number of drawn minutes, not the number of minutes.
 */
import { LIMITS, formatInstant, type ResourceType, type SurplusPoint, type SurplusProjection } from '../../src/api/contract.js';
import type { MinuteDrawn, OrganizationLimits, SurplusBucket } from '../store/types.js';
import { versionAt } from './classification.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const WINDOW_MINUTES = LIMITS.windowMs / MINUTE;

/** The pool's capacity of a type at an instant. */
export function capacityAt(limits: readonly OrganizationLimits[], type: ResourceType, t: number): number {
  return versionAt(limits, t)?.surplusCapacity[type] ?? 0;
}

/** Whether the minutes ascend (repeats allowed). */
function isOldestFirst(drawn: readonly MinuteDrawn[]): boolean {
  for (let i = 1; i < drawn.length; i++) if (drawn[i]!.minute < drawn[i - 1]!.minute) return false;
  return true;
}

/** `available` as a step function of the minute index, from `first` on. */
export class AvailableSteps {
  /** Minute indexes where the value changes (ascending); the first is `first`. */
  readonly minutes: Float64Array;
  readonly values: Float64Array;

  /**
   * One pass over the drawn minutes (oldest first, as the store returns them), merged with
   * the same minutes 240 later (where each leaves the window) and the limit versions: no
   * map of minutes, no set of changes to sort (a 90-day series of tokens has some 35,000
   * drawn minutes). Typed arrays sized up front: growing arrays of that length element by
   * element costs more than the pass itself.
   */
  constructor(first: number, drawn: readonly MinuteDrawn[], limits: readonly OrganizationLimits[], type: ResourceType) {
    const rows = isOldestFirst(drawn) ? drawn : [...drawn].sort((a, b) => a.minute - b.minute);
    // The drawn minute indexes, ascending and distinct, with their sums, and Infinity after
    // the last (no read past the end in the loop below).
    const indexes = new Float64Array(rows.length + 1);
    const sums = new Float64Array(rows.length + 1);
    let count = 0;
    for (const { minute, drawn: value } of rows) {
      const index = Math.floor(minute / MINUTE);
      if (count > 0 && indexes[count - 1] === index) sums[count - 1]! += value;
      else {
        indexes[count] = index;
        sums[count++] = value;
      }
    }
    indexes[count] = Infinity;
    const versions = limits.map((version) => Math.ceil(version.effectiveFrom / MINUTE)).filter((index) => index > first).sort((a, b) => a - b);
    versions.push(Infinity);
    let inWindow = 0;
    let entering = 0;
    for (; entering < count && indexes[entering]! <= first; entering++) {
      if (indexes[entering]! > first - WINDOW_MINUTES) inWindow += sums[entering]!;
    }
    let leaving = 0;
    while (leaving < count && indexes[leaving]! + WINDOW_MINUTES <= first) leaving++;
    // At most one change per minute entering, leaving and version, and the first.
    const minutes = new Float64Array(2 * count + versions.length + 1);
    const values = new Float64Array(minutes.length);
    let length = 0;
    let version = 0;
    let index = first;
    // The capacity changes only where a limit version starts.
    let capacity = capacityAt(limits, type, index * MINUTE);
    for (;;) {
      // Below 0 when the pool is overdrawn (back-dated ingest, a capacity lowered): as DESIGN.md writes it.
      const value = capacity - inWindow;
      if (length === 0 || values[length - 1] !== value) {
        minutes[length] = index;
        values[length++] = value;
      }
      const enters = indexes[entering]!;
      const leaves = indexes[leaving]! + WINDOW_MINUTES;
      index = Math.min(enters, leaves, versions[version]!);
      if (index === Infinity) break;
      if (enters === index) inWindow += sums[entering++]!;
      if (leaves === index) inWindow -= sums[leaving++]!;
      if (versions[version] === index) {
        while (versions[version] === index) version++;
        capacity = capacityAt(limits, type, index * MINUTE);
      }
    }
    this.minutes = minutes.subarray(0, length);
    this.values = values.subarray(0, length);
  }

  #indexAt(minute: number): number {
    let lo = 0;
    let hi = this.minutes.length - 1;
    if (minute < this.minutes[0]!) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.minutes[mid]! <= minute) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  valueAt(minute: number): number {
    return this.values[this.#indexAt(minute)]!;
  }

  /** The lowest value over minute indexes `[first, last]`. */
  minOver(first: number, last: number): number {
    let i = this.#indexAt(first);
    let min = this.values[i]!;
    for (i++; i < this.minutes.length && this.minutes[i]! <= last; i++) min = Math.min(min, this.values[i]!);
    return min;
  }

  /**
   * How often the value fell from above 0 to 0 (or below) in a minute of `[first, last]`
   * while the capacity was above 0: a fall in the first minute counts too (from the minute
   * before it).
   */
  exhaustions(first: number, last: number, capacityAtMinute: (minute: number) => number): number {
    let i = this.#indexAt(first);
    let previous = this.valueAt(first - 1);
    let count = 0;
    // The step in force before `first` is the value `previous` already holds.
    if (this.minutes[i]! < first) i++;
    for (; i < this.minutes.length && this.minutes[i]! <= last; i++) {
      const value = this.values[i]!;
      if (previous > 0 && value <= 0 && capacityAtMinute(this.minutes[i]!) > 0) count++;
      previous = value;
    }
    return count;
  }
}

export interface SurplusSeriesInput {
  type: ResourceType;
  /** Bucket edges (starts, then the end of the last bucket). */
  edges: readonly number[];
  from: number;
  to: number;
  asOf: number;
  limits: readonly OrganizationLimits[];
  steps: AvailableSteps;
  /** The store's sums per bucket, clipped to `[from, to)`. */
  sums: readonly SurplusBucket[];
  /** Σ surplusAmount in `[asOf − 7d, asOf)`. */
  drawnLastWeek: number;
}

/** The first minute index the series and the projection read (and the one before: a fall into the first minute counts). */
export function firstMinuteNeeded(edges: readonly number[], asOf: number): number {
  return Math.floor(Math.min(edges[0]!, asOf - 14 * DAY) / MINUTE) - 1;
}

/** The points and projection of the surplus answer. */
export function buildSurplusSeries(input: SurplusSeriesInput): { points: SurplusPoint[]; projection: SurplusProjection; capacity: number } {
  const { type, edges, from, to, asOf, limits, steps, sums } = input;
  const asOfMinute = Math.floor(asOf / MINUTE);
  const points: SurplusPoint[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    // A partial first or last bucket is read inside [from, to) only, as its drawn sum is: a
    // range ending at 11:30 shows the pool at 11:29, not at the bucket's midnight end.
    const end = Math.min(edges[i + 1]!, to);
    const first = Math.max(Math.ceil(edges[i]! / MINUTE), Math.floor(from / MINUTE));
    const last = Math.min(Math.ceil(end / MINUTE) - 1, asOfMinute);
    // A bucket wholly after asOf shows the pool as it stands at asOf.
    const available = steps.valueAt(last >= first ? last : asOfMinute);
    points.push({
      t: formatInstant(edges[i]!),
      capacity: capacityAt(limits, type, Math.min(end - 1, asOf)),
      available,
      availableMin: last >= first ? steps.minOver(first, last) : available,
      drawn: sums[i]?.drawn ?? 0,
      usersOverBase: sums[i]?.usersOverBase ?? 0,
    });
  }
  const lastMinute = Math.min(Math.ceil(to / MINUTE) - 1, asOfMinute);
  const firstMinute = Math.floor(from / MINUTE);
  const exhaustions = lastMinute >= firstMinute ? steps.exhaustions(firstMinute, lastMinute, (m) => capacityAt(limits, type, m * MINUTE)) : 0;
  return {
    points,
    capacity: capacityAt(limits, type, Math.min(to - 1, asOf)),
    projection: project(steps, asOf, input.drawnLastWeek, exhaustions),
  };
}

/**
 * `ratePerDay` over the last 7 days; the least-squares line through the lowest
 * `available` of each of the 14 days before `asOf` (x = the window's end);
 * `exhaustedAt` where that line reaches 0, if within 30 days.
 */
function project(steps: AvailableSteps, asOf: number, drawnLastWeek: number, exhaustions: number): SurplusProjection {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 1; k <= 14; k++) {
    const start = asOf - k * DAY;
    const end = asOf - (k - 1) * DAY;
    const first = Math.ceil(start / MINUTE);
    const last = Math.ceil(end / MINUTE) - 1;
    xs.push(end / DAY);
    ys.push(steps.minOver(first, last));
  }
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - meanX) ** 2;
    sxy += (xs[i]! - meanX) * (ys[i]! - meanY);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  let exhaustedAt: string | null = null;
  if (slope < 0) {
    const zeroDay = meanX - meanY / slope;
    const zero = zeroDay * DAY;
    if (zero > asOf && zero <= asOf + 30 * DAY) exhaustedAt = formatInstant(Math.round(zero));
  }
  return { ratePerDay: drawnLastWeek / 7, troughSlopePerDay: slope, exhaustedAt, exhaustions };
}
