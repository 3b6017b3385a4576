/**
 * The contract's buckets over a range: planning the edges of `auto` and fixed buckets
 * with the limits of the contract. The zone arithmetic itself is the one shared module
 * src/api/time-zone.ts, which the elements use too.
 */
import type { Bucket, BucketParam } from '../../src/api/contract.js';
import { LIMITS } from '../../src/api/contract.js';
import { UNIT_MS, ZoneClock } from '../../src/api/time-zone.js';
import { badParameter } from './errors.js';

export { bucketIndex, isTimeZone, RENAMED, ZoneClock } from '../../src/api/time-zone.js';

/** The units `auto` tries, smallest first. */
const AUTO_ORDER: readonly Bucket[] = ['minute', 'hour', 'day', 'week'];

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
