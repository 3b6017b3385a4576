/** `GET consumption` and `GET surplus`: the chart series. */
import { LIMITS, UNITS, formatInstant, type ConsumptionSeries, type ResourceType, type SurplusSeries } from '../../../src/api/contract.js';
import { buildConsumptionPoints, hasOther, rankGroups } from '../../domain/consumption.js';
import { checkAmounts, explicitRange, parseRouteParams, rangeOrDefault, type Parsed } from '../../domain/params.js';
import { AvailableSteps, buildSurplusSeries, firstMinuteNeeded } from '../../domain/surplus.js';
import { planBuckets } from '../../domain/time-zone.js';
import type { KeySum, MinuteDrawn, StoreFilter, SurplusBucket } from '../../store/types.js';
import { nextTask } from '../admission.js';
import type { RouteContext } from '../context.js';
import { jsonInPieces } from '../http.js';
import { snapshot, storeFilter } from './common.js';

const MINUTE = 60_000;
const WEEK = 7 * 86_400_000;
/** Up to this many keys in the range, a user or endpoint grouping reads every key's buckets. */
const FEW_KEYS = 30;

/**
 * Runs a chart's answer: one of more buckets than `auto` ever gives (more than 1,500, up to
 * the contract's 20,000) is an expensive read, which takes its turn and yields between its
 * reads, its points and its serialisation (admission.ts); a smaller one runs at once.
 */
function chartRead(ctx: RouteContext, buckets: number, answer: (pause: () => Promise<void>) => Promise<Response>): Promise<Response> {
  if (buckets <= LIMITS.autoMaxBuckets) return answer(async () => {});
  return ctx.expensiveRead(() => answer(nextTask));
}

/** The fields that open both chart answers: what range, buckets, zone and unit they are in. */
function seriesFrame(range: { from: number; to: number }, bucket: ConsumptionSeries['bucket'], tz: string, resourceType: ResourceType) {
  return { from: formatInstant(range.from), to: formatInstant(range.to), bucket, tz, resourceType, unit: UNITS[resourceType] };
}

/**
 * The range of a consumption series: the explicit one; with a request ID and none, all
 * dates (DESIGN.md's filter parameters), that is the minutes from the first matching event
 * to the last, so that the points add up to every matching event; else the last 7 days.
 */
async function consumptionRange(ctx: RouteContext, params: Parsed<'consumption'>, filter: StoreFilter): Promise<{ from: number; to: number }> {
  if (params.requestId === undefined || explicitRange(params)) return rangeOrDefault(params, ctx.asOf);
  const [first] = await ctx.store.queryEvents(ctx.orgId, filter, { sort: 'created', order: 'asc', offset: 0, limit: 1 });
  const [last] = await ctx.store.queryEvents(ctx.orgId, filter, { sort: 'created', order: 'desc', offset: 0, limit: 1 });
  if (!first || !last) return rangeOrDefault(params, ctx.asOf);
  const minute = (created: string) => Math.floor(Date.parse(created) / MINUTE) * MINUTE;
  return { from: minute(first.created), to: minute(last.created) + MINUTE };
}

export async function getConsumption(ctx: RouteContext): Promise<Response> {
  const params = parseRouteParams('consumption', ctx.url.search);
  checkAmounts(params, false);
  const resourceType = params.resourceType ?? 'tokens';
  const snap = await snapshot(ctx);
  const range = await consumptionRange(ctx, params, storeFilter({ ...params, resourceType }, null, snap.maxId));
  const tz = params.tz ?? 'UTC';
  const plan = planBuckets(params.bucket ?? 'auto', range.from, range.to, tz);
  const groupBy = params.groupBy ?? 'ioType';
  const filter = storeFilter({ ...params, resourceType }, range, snap.maxId);
  return chartRead(ctx, plan.edges.length - 1, async (pause) => {
    let groups: string[];
    let rows;
    if (hasOther(groupBy)) {
      const totals = await ctx.store.sumByKey(ctx.orgId, filter, groupBy);
      groups = rankGroups(groupBy, totals, undefined);
      // A few keys in all (an organization's endpoints, typically) are read per bucket as
      // they are, the points folding those outside the top into `other` (at 3M events, 7
      // days by endpoint: 5.7 ms against 11 ms for the top keys and the total apart).
      rows = await ctx.store.sumByBucket(ctx.orgId, filter, plan.edges, groupBy, totals.length <= FEW_KEYS ? null : groups);
    } else {
      rows = await ctx.store.sumByBucket(ctx.orgId, filter, plan.edges, groupBy, null);
      const totals = new Map<string, number>();
      for (const row of rows) if (row.key !== null) totals.set(row.key, (totals.get(row.key) ?? 0) + row.amount);
      const sums: KeySum[] = [...totals].map(([key, amount]) => ({ key, amount }));
      groups = rankGroups(groupBy, sums, groupBy === 'ioType' ? params.ioType : params.poolCategory);
    }
    await pause();
    const points = buildConsumptionPoints(plan.edges, groupBy, groups, rows);
    const answer: ConsumptionSeries = {
      ...seriesFrame(range, plan.bucket, tz, resourceType),
      groupBy,
      groups,
      points,
      total: points.reduce((sum, p) => sum + p.amount, 0),
      asOf: snap.asOf,
      lastEventId: snap.lastEventId,
    };
    await pause();
    return jsonInPieces(200, { ...answer }, 'points');
  });
}

/** Up to this much time between a week ending at asOf and a range, the range's sums serve the week's. */
const NEAR_WEEK = 3_600_000;

/**
 * Σ surplusAmount over `week`, from the sums already read over `range` when the two
 * differ by at most `NEAR_WEEK` (a chart of the last 7 days, asked at the client's "now"):
 * the range's total, less its parts outside the week, plus the week's parts outside it,
 * each a short read of events. Else one read of the week.
 */
async function drawnOver(
  ctx: RouteContext,
  resourceType: ResourceType,
  week: readonly [number, number],
  range: readonly [number, number],
  sums: readonly SurplusBucket[],
  maxId: number,
): Promise<number> {
  const read = async (from: number, to: number): Promise<number> =>
    from < to ? ((await ctx.store.surplusBuckets(ctx.orgId, resourceType, [from, to], maxId))[0]?.drawn ?? 0) : 0;
  const [w0, w1] = week;
  const [r0, r1] = range;
  if (Math.abs(w0 - r0) + Math.abs(w1 - r1) > NEAR_WEEK || r0 >= w1 || w0 >= r1) return read(w0, w1);
  // Σ week = Σ range − Σ (range before the week) − Σ (range after it) + Σ (week before the range) + Σ (week after it).
  const inRange = sums.reduce((total, bucket) => total + bucket.drawn, 0);
  const parts = await Promise.all([read(r0, w0), read(w1, r1), read(w0, r0), read(r1, w1)]);
  return inRange - parts[0]! - parts[1]! + parts[2]! + parts[3]!;
}

const WINDOW = 4 * 3_600_000;
const FIT_DAYS = 14 * 86_400_000;

/**
 * The drawn minutes the series and the projection read: `[from, seriesEnd)` for the
 * buckets (none past asOf) and the 14 days before asOf (with the 4 hours before them) for
 * the trough fit, whatever the range. A range ending long before asOf reads the two spans
 * apart: the minutes between them are never read, and each span starts 4 hours early, so
 * the sliding sums over it are whole.
 */
async function drawnForSeries(ctx: RouteContext, resourceType: ResourceType, from: number, seriesEnd: number, maxId: number): Promise<MinuteDrawn[]> {
  const fitFrom = Math.floor((ctx.asOf - FIT_DAYS) / MINUTE) * MINUTE - WINDOW;
  const to = ctx.asOf + MINUTE;
  if (seriesEnd >= fitFrom) return ctx.store.drawnByMinute(ctx.orgId, resourceType, from, to, maxId);
  const [series, fit] = await Promise.all([
    ctx.store.drawnByMinute(ctx.orgId, resourceType, from, Math.max(seriesEnd, from), maxId),
    ctx.store.drawnByMinute(ctx.orgId, resourceType, fitFrom, to, maxId),
  ]);
  return [...series, ...fit];
}

export async function getSurplus(ctx: RouteContext): Promise<Response> {
  const params = parseRouteParams('surplus', ctx.url.search);
  const range = rangeOrDefault(params, ctx.asOf);
  const tz = params.tz ?? 'UTC';
  const plan = planBuckets(params.bucket ?? 'auto', range.from, range.to, tz);
  const resourceType = params.resourceType ?? 'tokens';
  const snap = await snapshot(ctx);
  const { store, orgId, asOf } = ctx;
  const first = firstMinuteNeeded(plan.edges, asOf);
  const lastEdge = plan.edges[plan.edges.length - 1]!;
  // Drawn sums per bucket are clipped to [from, to): the first bucket may start before from.
  const clipped = [range.from, ...plan.edges.slice(1, -1), range.to];
  return chartRead(ctx, plan.edges.length - 1, async (pause) => {
    const [limits, drawn, sums] = await Promise.all([
      store.organizationLimits(orgId),
      drawnForSeries(ctx, resourceType, first * MINUTE - WINDOW, Math.min(lastEdge, asOf + MINUTE), snap.maxId),
      store.surplusBuckets(orgId, resourceType, clipped, snap.maxId),
    ]);
    const drawnLastWeek = await drawnOver(ctx, resourceType, [asOf - WEEK, asOf], [range.from, range.to], sums, snap.maxId);
    await pause();
    const series = buildSurplusSeries({
      type: resourceType,
      edges: plan.edges,
      from: range.from,
      to: range.to,
      asOf,
      limits,
      steps: new AvailableSteps(first, drawn, limits, resourceType),
      sums,
      drawnLastWeek,
    });
    const answer: SurplusSeries = {
      ...seriesFrame(range, plan.bucket, tz, resourceType),
      capacity: series.capacity,
      points: series.points,
      projection: series.projection,
      asOf: snap.asOf,
      lastEventId: snap.lastEventId,
    };
    await pause();
    return jsonInPieces(200, { ...answer }, 'points');
  });
}
