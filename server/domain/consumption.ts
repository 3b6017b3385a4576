/** Shapes the consumption answer from the store's sums: group keys and points. */
import {
  IO_TYPES,
  LIMITS,
  POOL_CATEGORIES,
  compareCodePoints,
  formatInstant,
  type ConsumptionPoint,
  type GroupBy,
} from '../../src/api/contract.js';
import type { BucketSum, KeySum } from '../store/types.js';

/** Only the 10 largest users or endpoints are keys; the rest is a point's `other`. */
export const TOP_GROUPS = LIMITS.topGroups;

/** Whether a grouping keeps only the largest keys and puts the rest in `other`. */
export function hasOther(groupBy: GroupBy): boolean {
  return groupBy === 'userId' || groupBy === 'endpoint';
}

function byTotalThenCodePoint(a: KeySum, b: KeySum): number {
  return b.amount - a.amount || compareCodePoints(a.key, b.key);
}

/**
 * The group keys by total descending, ties by code point: every allowed value of a
 * closed set (`ioType`, `poolCategory`), or the 10 largest open keys.
 */
export function rankGroups(groupBy: GroupBy, sums: readonly KeySum[], allowed: readonly string[] | undefined): string[] {
  if (hasOther(groupBy)) return [...sums].sort(byTotalThenCodePoint).slice(0, TOP_GROUPS).map((s) => s.key);
  const universe: readonly string[] = groupBy === 'ioType' ? IO_TYPES : POOL_CATEGORIES;
  const keys = allowed && allowed.length ? universe.filter((k) => allowed.includes(k)) : universe;
  const totals = new Map(sums.map((s) => [s.key, s.amount]));
  return keys
    .map((key) => ({ key, amount: totals.get(key) ?? 0 }))
    .sort(byTotalThenCodePoint)
    .map((s) => s.key);
}

/** One point per bucket; each `byGroup` holds every key (0 when none). */
export function buildConsumptionPoints(edges: readonly number[], groupBy: GroupBy, groups: readonly string[], rows: readonly BucketSum[]): ConsumptionPoint[] {
  const withOther = hasOther(groupBy);
  const points: ConsumptionPoint[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    // Without a prototype: a group may be any endpoint or user ID, "__proto__" among them,
    // which on a plain object set its prototype instead of a key (the answer lost its amount).
    const byGroup: Record<string, number> = Object.create(null);
    for (const key of groups) byGroup[key] = 0;
    points.push({ t: formatInstant(edges[i]!), amount: 0, byGroup, ...(withOther ? { other: 0 } : {}) });
  }
  for (const row of rows) {
    const point = points[row.bucket];
    if (!point) continue;
    point.amount += row.amount;
    if (row.key !== null && Object.hasOwn(point.byGroup, row.key)) point.byGroup[row.key]! += row.amount;
    else if (withOther) point.other! += row.amount;
  }
  return points;
}
