/**
 * The chart, surplus and endpoint aggregates of the PostgreSQL store: rollups where the
 * filter and grouping allow, events where they cannot (amount range, request ID, a user
 * and an endpoint together, buckets not aligned to hours), exact at the read's `maxId`.
 */
import { compareCodePoints, type GroupBy, type ResourceType } from '../../../src/api/contract.js';
import type { BucketSum, EndpointUse, KeySum, MinuteDrawn, StoreFilter, SurplusBucket } from '../types.js';
import { DAY, HOUR, ceilTo, floorTo, sliceParts, slicePartsBySource, timeRange, type Bound, type Tier } from './slices.js';
import {
  EVENT_FILTER_COLUMNS,
  Params,
  everyTypeCondition,
  ioTypes,
  poolCategories,
  resourceTypes,
  toTimestamp,
  whereClause,
  type FilterParts,
} from './sql.js';

const MINUTE = 60_000;

/** Runs a statement and returns its rows; `arrays`: each row as an array of its columns (cheaper for long answers). */
export type Query = <R>(sql: string, values: unknown[], options?: { arrays?: boolean }) => Promise<R[]>;

/** An hourly rollup and its daily twin (the same columns, `day` for `hour`). */
interface Rollup {
  table: string;
  dayTable: string;
  columns: FilterParts['columns'];
}

const ROLLUP_HOUR: Rollup = { table: 'rollup_hour', dayTable: 'rollup_day', columns: new Set(['io_type', 'pool_category']) };
const ROLLUP_HOUR_USER: Rollup = {
  table: 'rollup_hour_user',
  dayTable: 'rollup_day_user',
  columns: new Set(['user_id', 'io_type', 'pool_category']),
};
/** Per user alone: rows per user and hour (or day), not per I/O type and pool category too. */
const ROLLUP_USER: Rollup = { table: 'rollup_user_hour', dayTable: 'rollup_user_day', columns: new Set(['user_id']) };
const ROLLUP_HOUR_ENDPOINT: Rollup = {
  table: 'rollup_hour_endpoint',
  dayTable: 'rollup_day_endpoint_type',
  columns: new Set(['endpoint', 'io_type', 'pool_category']),
};

/** The hourly rollup that holds every column the filter and the grouping need, if any. */
export function rollupFor(filter: StoreFilter, groupBy: GroupBy | null): Rollup | null {
  if (filter.amountMin !== undefined || filter.amountMax !== undefined || filter.requestId !== undefined) return null;
  const byUser = Boolean(filter.userIds?.length) || groupBy === 'userId';
  const byEndpoint = Boolean(filter.endpoints?.length) || groupBy === 'endpoint';
  if (byUser && byEndpoint) return null;
  if (byUser) {
    const byPoolOrIo =
      Boolean(filter.ioTypes?.length || filter.poolCategories?.length) || groupBy === 'ioType' || groupBy === 'poolCategory';
    // Named users: the rollup indexed user first (rollup_user_day is keyed by day first, so
    // a user's 90 days read every user's rows of those days).
    return byPoolOrIo || filter.userIds?.length ? ROLLUP_HOUR_USER : ROLLUP_USER;
  }
  if (byEndpoint) return ROLLUP_HOUR_ENDPOINT;
  return ROLLUP_HOUR;
}

const GROUP_COLUMN: Record<GroupBy, string> = {
  userId: 'user_id',
  endpoint: 'endpoint',
  ioType: 'io_type',
  poolCategory: 'pool_category',
};

/** The SQL of a group key (text), folding keys outside `keys` into null. */
function keyExpression(groupBy: GroupBy | null, keys: readonly string[] | null, params: Params): string {
  if (!groupBy) return 'null::text';
  const column = GROUP_COLUMN[groupBy];
  if (groupBy === 'userId' || groupBy === 'endpoint') {
    return keys ? `case when ${column} = any(${params.add(keys, 'text[]')}) then ${column} end` : column;
  }
  const codes = groupBy === 'ioType' ? ioTypes : poolCategories;
  const text = `${column}::text`;
  if (!keys) return text;
  const wanted = keys.flatMap((key) => {
    try {
      return [codes.code(key as never)];
    } catch {
      return [];
    }
  });
  return `case when ${column} = any(${params.add(wanted, 'int2[]')}) then ${text} end`;
}

/** The readable key of a row: enumeration codes back to their names. */
function keyName(groupBy: GroupBy | null, key: string | null): string | null {
  if (key === null || !groupBy) return null;
  if (groupBy === 'ioType') return ioTypes.name(Number(key));
  if (groupBy === 'poolCategory') return poolCategories.name(Number(key));
  return key;
}

/**
 * Whether a rollup of this grain can serve the buckets: every inner edge lies on the
 * grain, so each of its rows inside the range lies in one bucket. The outer edges need
 * not: they bound the range, whose partial hours at either end come from events (a
 * 7-day total from now − 7 days to now, the first bucket of a chart starting at `from`).
 */
function innerEdgesOn(edges: readonly number[] | null, grain: number): boolean {
  return !edges || edges.slice(1, -1).every((edge) => edge % grain === 0);
}

/** The range a read covers: the filter's `[from, to)` cut to the buckets' edges. */
function rangeOf(filter: StoreFilter, edges: readonly number[] | null): [Bound, Bound] {
  let from: Bound = filter.from ?? null;
  let to: Bound = filter.to ?? null;
  if (edges && edges.length) {
    from = from === null ? edges[0]! : Math.max(from, edges[0]!);
    to = to === null ? edges[edges.length - 1]! : Math.min(to, edges[edges.length - 1]!);
  }
  return [from, to];
}

interface SumRow {
  b: number;
  k: string | null;
  /** Σ amount. */
  v: number;
  /** The number of events. */
  n: number;
}

/**
 * Σ amount per bucket (edges, or one bucket 0 without) and group key. Day rollups serve
 * the whole UTC days when every inner edge lies on one, hour rollups the whole hours when
 * every inner edge lies on an hour, events the rest.
 */
async function sums(
  query: Query,
  orgId: string,
  filter: StoreFilter,
  edges: readonly number[] | null,
  groupBy: GroupBy | null,
  keys: readonly string[] | null,
): Promise<SumRow[]> {
  const [from, to] = rangeOf(filter, edges);
  if (from !== null && to !== null && from >= to) return [];
  if (keys && (groupBy === 'userId' || groupBy === 'endpoint')) return keyedAndRest(query, orgId, filter, edges, groupBy, keys);
  const params = new Params();
  const edgesParam = edges ? params.add(edges.map(toTimestamp), 'timestamptz[]') : null;
  const bucket = (column: string): string => (edgesParam ? `width_bucket(${column}, ${edgesParam}) - 1` : '0');
  const key = keyExpression(groupBy, keys, params);
  const eventsWhere = whereClause(orgId, filter, params, { columns: EVENT_FILTER_COLUMNS });
  const rollup = rollupFor(filter, groupBy);
  const aligned = (grain: number): boolean => innerEdgesOn(edges, grain);
  // A rollup row lies in one bucket only when every inner bucket edge lies on its grain.
  const tier = (grain: number, table: string, column: string): Tier => ({
    grain,
    // Bound parameters are added only when a slice uses them (PostgreSQL cannot type unused ones).
    sql: (a, b) =>
      `select ${bucket(column)} as b, ${key} as k, sum(amount) as v, sum(events) as n from ${table} ` +
      `where ${whereClause(orgId, filter, params, { columns: rollup!.columns })}${everyTypeCondition(filter, params)}${timeRange(column, a, b, params)} group by 1, 2`,
  });
  const tiers: Tier[] = [];
  if (rollup && aligned(DAY)) tiers.push(tier(DAY, rollup.dayTable, 'day'));
  if (rollup && aligned(HOUR)) tiers.push(tier(HOUR, rollup.table, 'hour'));
  const parts = sliceParts(
    {
      tiers,
      maxId: filter.maxId,
      events: (a, b, ids, sign) =>
        `select ${bucket('created')} as b, ${key} as k, ${sign}sum(amount) as v, ${sign}count(*) as n from events ` +
        `where ${eventsWhere} and ${ids}${timeRange('created', a, b, params)} group by 1, 2`,
      eventsByUnit: (a, b, ids, sign, unit) =>
        `select ${bucket(`date_trunc('${unit}', created)`)} as b, ${key} as k, ${sign}sum(amount) as v, ${sign}count(*) as n from events ` +
        `where ${eventsWhere} and ${ids}${timeRange('created', a, b, params)} group by 1, 2`,
    },
    params,
    from,
    to,
  );
  const bucketCount = edges ? edges.length - 1 : 1;
  // The buckets outside the edges are dropped here, not in SQL: a condition on the bucket
  // would be pushed into every part, where the planner takes it for selective (a 7-day
  // chart by user read 47,676 hourly rows estimated at 244, and sorted them to group).
  const rows = await query<SumRow>(
    `select b, k, sum(v)::int8 as v, sum(n)::int8 as n from (${parts.join(' union all ')}) s group by b, k having sum(n) > 0`,
    params.values,
  );
  return rows.filter((row) => row.b >= 0 && row.b < bucketCount);
}

/**
 * Σ per bucket for the top users (or endpoints) `keys` and the rest under null, as two
 * reads side by side: the keys' rows alone (the rollup indexed by user reads their rows
 * only) and the total per bucket (the rollup without users), the rest being the
 * difference. Grouping every user's hourly rows to fold all but ten into null read them
 * all: 7 days at 10M, 47,676 rows against some 2,000 and 168.
 */
async function keyedAndRest(
  query: Query,
  orgId: string,
  filter: StoreFilter,
  edges: readonly number[] | null,
  groupBy: 'userId' | 'endpoint',
  keys: readonly string[],
): Promise<SumRow[]> {
  const field = groupBy === 'userId' ? 'userIds' : 'endpoints';
  const listed = filter[field];
  const wanted = listed?.length ? keys.filter((key) => listed.includes(key)) : keys;
  const [keyed, totals] = await Promise.all([
    wanted.length ? sums(query, orgId, { ...filter, [field]: [...new Set(wanted)] }, edges, groupBy, null) : [],
    sums(query, orgId, filter, edges, null, null),
  ]);
  const rest = new Map(totals.map((row) => [row.b, { ...row, k: null }]));
  for (const row of keyed) {
    const other = rest.get(row.b);
    if (!other) continue;
    other.v -= row.v;
    other.n -= row.n;
  }
  return [...keyed, ...[...rest.values()].filter((row) => row.n > 0)];
}

export async function sumByBucket(
  query: Query,
  orgId: string,
  filter: StoreFilter,
  edges: readonly number[],
  groupBy: GroupBy | null,
  keys: readonly string[] | null,
): Promise<BucketSum[]> {
  if (edges.length < 2) return [];
  const rows = await sums(query, orgId, filter, edges, groupBy, keys);
  return rows.map((row) => ({ bucket: row.b, key: keyName(groupBy, row.k), amount: row.v }));
}

export async function sumByKey(query: Query, orgId: string, filter: StoreFilter, groupBy: GroupBy): Promise<KeySum[]> {
  const rows = await sums(query, orgId, filter, null, groupBy, null);
  return rows.map((row) => ({ key: keyName(groupBy, row.k)!, amount: row.v }));
}

/**
 * The events a filter matches per endpoint, exact at its `maxId` (the rows of
 * `sumByKey`'s sums, counted), endpoints without any left out, in code-point order.
 */
export async function countByEndpoint(query: Query, orgId: string, filter: StoreFilter): Promise<{ endpoint: string; events: number }[]> {
  const rows = await sums(query, orgId, filter, null, 'endpoint', null);
  return rows
    .filter((row) => row.n > 0 && row.k !== null)
    .map((row) => ({ endpoint: row.k!, events: row.n }))
    .sort((a, b) => compareCodePoints(a.endpoint, b.endpoint));
}

/** Per bucket: Σ surplusAmount and the distinct users who drew any. */
export async function surplusBuckets(
  query: Query,
  orgId: string,
  resourceType: ResourceType,
  edges: readonly number[],
  maxId: number,
): Promise<SurplusBucket[]> {
  const count = Math.max(0, edges.length - 1);
  const out: SurplusBucket[] = Array.from({ length: count }, () => ({ drawn: 0, usersOverBase: 0 }));
  if (count === 0) return out;
  const params = new Params();
  const edgesParam = params.add(edges.map(toTimestamp), 'timestamptz[]');
  const org = params.add(orgId);
  const type = params.add(resourceTypes.code(resourceType));
  const tier = (grain: number, table: string, column: string): Tier => ({
    grain,
    sql: (a, b) =>
      `select width_bucket(${column}, ${edgesParam}) - 1 as b, user_id as k, drawn as v from ${table} ` +
      `where org_id = ${org} and resource_type = ${type} and drawn > 0${timeRange(column, a, b, params)}`,
  });
  const tiers: Tier[] = [];
  if (innerEdgesOn(edges, DAY)) tiers.push(tier(DAY, 'rollup_user_day', 'day'));
  if (innerEdgesOn(edges, HOUR)) tiers.push(tier(HOUR, 'rollup_hour_user', 'hour'));
  const parts = sliceParts(
    {
      tiers,
      maxId,
      events: (a, b, ids, sign) =>
        `select width_bucket(created, ${edgesParam}) - 1 as b, user_id as k, ${sign}surplus_amount as v from events ` +
        `where org_id = ${org} and resource_type = ${type} and surplus_amount > 0 and ${ids}${timeRange('created', a, b, params)}`,
      eventsByUnit: (a, b, ids, sign, unit) =>
        `select width_bucket(date_trunc('${unit}', created), ${edgesParam}) - 1 as b, user_id as k, ${sign}surplus_amount as v from events ` +
        `where org_id = ${org} and resource_type = ${type} and surplus_amount > 0 and ${ids}${timeRange('created', a, b, params)}`,
    },
    params,
    edges[0]!,
    edges[edges.length - 1]!,
  );
  // Per bucket and user first: a user drew in a bucket exactly when their net drawn > 0.
  const rows = await query<{ b: number; drawn: number; users: number }>(
    `select b, sum(v)::int8 as drawn, count(*) filter (where v > 0)::int8 as users from (` +
      `select b, k, sum(v) as v from (${parts.join(' union all ')}) s group by b, k) u ` +
      `where b >= 0 and b < ${params.add(count)} group by b`,
    params.values,
  );
  for (const row of rows) out[row.b] = { drawn: row.drawn, usersOverBase: row.users };
  return out;
}

/** Σ surplusAmount per minute with any, over `[from, to)`, oldest first. */
export async function drawnByMinute(
  query: Query,
  orgId: string,
  resourceType: ResourceType,
  from: number,
  to: number,
  maxId: number,
): Promise<MinuteDrawn[]> {
  if (from >= to) return [];
  const params = new Params();
  const org = params.add(orgId);
  const type = params.add(resourceTypes.code(resourceType));
  const { rollups, events } = slicePartsBySource(
    {
      tiers: [
        {
          grain: MINUTE,
          sql: (a, b) =>
            `select minute as k, drawn as v from rollup_minute where org_id = ${org} and resource_type = ${type} and drawn > 0` +
            timeRange('minute', a, b, params),
        },
      ],
      maxId,
      events: (a, b, ids, sign) =>
        `select date_trunc('minute', created) as k, ${sign}surplus_amount as v from events ` +
        `where org_id = ${org} and resource_type = ${type} and surplus_amount > 0 and ${ids}${timeRange('created', a, b, params)}`,
    },
    params,
    from,
    to,
  );
  // A 90-day series has some 35,000 drawn minutes. The rollup's rows are read as they lie in
  // its index (one per minute, in order: no grouping or sort of them all) and the few event
  // rows (the corrections and the ends) grouped beside them, in one statement (one
  // snapshot), then merged here; the minute as epoch ms (pg parses a timestamptz through a
  // regular expression) and each row as an array.
  const epoch = (column: string) => `(extract(epoch from ${column}) * 1000)::int8`;
  const statements = [
    ...(rollups.length ? [`(select 0 as s, ${epoch('k')} as t, v from (${rollups.join(' union all ')}) r order by k)`] : []),
    ...(events.length ? [`(select 1, ${epoch('k')}, sum(v)::int8 from (${events.join(' union all ')}) e group by k)`] : []),
  ];
  if (!statements.length) return [];
  const rows = await query<[number, number, number]>(statements.join(' union all '), params.values, { arrays: true });
  const ordered = new Array<MinuteDrawn>(rows.length);
  const others: MinuteDrawn[] = [];
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row[0] === 0) ordered[n++] = { minute: row[1], drawn: row[2] };
    else others.push({ minute: row[1], drawn: row[2] });
  }
  ordered.length = n;
  return mergeMinutes(ordered, others);
}

const oldestFirst = (rows: MinuteDrawn[]): MinuteDrawn[] =>
  rows.every((row, i) => i === 0 || rows[i - 1]!.minute <= row.minute) ? rows : [...rows].sort((x, y) => x.minute - y.minute);

/**
 * Two lists of minutes summed per minute, oldest first, keeping the minutes with a sum
 * above 0. Each list is sorted unless it already is (the rollup's rows come in index
 * order; SQL promises no order across a `union all`, so it is checked, not assumed).
 */
export function mergeMinutes(first: MinuteDrawn[], second: MinuteDrawn[]): MinuteDrawn[] {
  const a = oldestFirst(first);
  const b = oldestFirst(second);
  // Sized up front: growing an array of 35,000 rows element by element costs more than the merge.
  const out = new Array<MinuteDrawn>(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const row = j >= b.length || (i < a.length && a[i]!.minute <= b[j]!.minute) ? a[i++]! : b[j++]!;
    const last = n > 0 ? out[n - 1]! : undefined;
    if (last?.minute !== row.minute) out[n++] = row;
    // A repeated minute: summed into a row of our own (the inputs stay as they were).
    else out[n - 1] = { minute: row.minute, drawn: last.drawn + row.drawn };
  }
  out.length = n;
  let kept = 0;
  for (const row of out) if (row.drawn > 0) out[kept++] = row;
  out.length = kept;
  return out;
}

/** Events per endpoint in `[since, ∞)`: whole days, then hours, then events. */
export async function endpointCounts(query: Query, orgId: string, since: number, maxId: number): Promise<EndpointUse[]> {
  const params = new Params();
  const org = params.add(orgId);
  const parts = sliceParts(
    {
      tiers: [
        {
          grain: DAY,
          sql: (a, b) => `select endpoint as k, events as v from rollup_day_endpoint where org_id = ${org}${timeRange('day', a, b, params)}`,
        },
        {
          grain: HOUR,
          sql: (a, b) => `select endpoint as k, events as v from rollup_hour_endpoint where org_id = ${org}${timeRange('hour', a, b, params)}`,
        },
      ],
      maxId,
      events: (a, b, ids, sign) =>
        `select endpoint as k, ${sign}1 as v from events where org_id = ${org} and ${ids}${timeRange('created', a, b, params)}`,
    },
    params,
    since,
    null,
  );
  const rows = await query<{ k: string; v: number }>(
    `select k, sum(v)::int8 as v from (${parts.join(' union all ')}) s group by k having sum(v) > 0`,
    params.values,
  );
  return rows.map((row) => ({ endpoint: row.k, events: row.v }));
}

/**
 * An upper bound of the events a filter matches, from the daily rollup that holds its
 * columns, over every day its range touches (and rows newer than `maxId`): one short
 * read instead of counting events. Null when no rollup holds the filter (an amount range,
 * a request ID, a user and an endpoint together).
 */
export async function estimateEvents(query: Query, orgId: string, filter: StoreFilter): Promise<number | null> {
  // Every day the range touches: the first from its start.
  const days = dayRows(orgId, filter, filter.from === undefined ? undefined : Math.floor(filter.from / DAY) * DAY, filter.to);
  if (!days) return null;
  const [row] = await query<{ n: number | null }>(`select sum(events)::int8 as n from ${days.table} where ${days.where}`, days.params.values);
  return row?.n ?? 0;
}

/**
 * The daily rollup that holds a filter's columns, and the condition of its rows on the
 * days in `[from, to)` (bounds on the rollup's day starts), or null when none holds it.
 */
function dayRows(orgId: string, filter: StoreFilter, from: number | undefined, to: number | undefined): { table: string; where: string; params: Params } | null {
  return rollupRows(orgId, filter, DAY, from, to);
}

/** `dayRows` for either grain: the daily rollup's rows (`day`), or the hourly one's (`hour`). */
function rollupRows(orgId: string, filter: StoreFilter, grain: number, from: number | undefined, to: number | undefined): { table: string; column: string; where: string; params: Params } | null {
  const rollup = rollupFor(filter, null);
  if (!rollup) return null;
  const column = grain === DAY ? 'day' : 'hour';
  const params = new Params();
  const held: Omit<StoreFilter, 'maxId'> = { ...filter };
  delete held.from;
  delete held.to;
  const conditions = [whereClause(orgId, held, params, { columns: rollup.columns }) + everyTypeCondition(filter, params)];
  if (from !== undefined) conditions.push(`${column} >= ${params.add(toTimestamp(from), 'timestamptz')}`);
  if (to !== undefined) conditions.push(`${column} < ${params.add(toTimestamp(to), 'timestamptz')}`);
  return { table: grain === DAY ? rollup.dayTable : rollup.table, column, where: conditions.join(' and '), params };
}

/**
 * For a deep page in time order (newest first, or oldest first with `oldestFirst`) of a
 * filter the rollups hold: the hour boundary past which the page's read can start, and
 * before which at most `offset` matches lie, or null where not even the nearest whole
 * hour fits (or no rollup holds the filter, or the range is open). The rollups' counts of
 * whole days, then of the hours of the day where the offset falls, are counted from the
 * page's far end; they can only exceed the matches at `maxId` (a rollup row holds later
 * events too, and the days and hours at the range's ends hold events outside it), so the
 * matches before the bound are at most `offset`: the caller counts them exactly
 * (`countFromRollups`) and reads on from the bound with the offset less those. A bound at
 * or past the range's start (newest first; its end, oldest first) means every match lies
 * before the offset.
 */
export async function timeSkip(query: Query, orgId: string, filter: StoreFilter, offset: number, oldestFirst: boolean): Promise<number | null> {
  const { from, to } = filter;
  if (from === undefined || to === undefined || from >= to) return null;
  /** The farthest `grain` boundary in `[lo, hi)` whose span from the page's far end holds at most `offset` (with `seen` before it). */
  const step = async (grain: number, lo: number, hi: number, seen: number): Promise<{ bound: number; seen: number } | null> => {
    const rows = rollupRows(orgId, filter, grain, lo, hi);
    if (!rows) return null;
    const { table, column, where, params } = rows;
    const direction = oldestFirst ? 'asc' : 'desc';
    const [row] = await query<{ at: number; seen: number }>(
      `select (extract(epoch from ${column}) * 1000)::int8 as at, seen from (` +
        `select ${column}, ${params.add(seen)}::int8 + sum(sum(events)) over (order by ${column} ${direction}) as seen from ${table} where ${where} group by ${column}` +
        `) w where seen <= ${params.add(offset)} order by ${column} ${oldestFirst ? 'desc' : 'asc'} limit 1`,
      params.values,
    );
    if (!row) return null;
    return { bound: oldestFirst ? Number(row.at) + grain : Number(row.at), seen: Number(row.seen) };
  };
  if (oldestFirst) {
    // Whole days from the range's first, then the hours of the day after them.
    const days = await step(DAY, floorTo(from, DAY), to, 0);
    const dayBound = days?.bound ?? floorTo(from, DAY);
    const hours = await step(HOUR, Math.max(dayBound, floorTo(from, HOUR)), Math.min(dayBound + DAY, to), days?.seen ?? 0);
    return hours?.bound ?? days?.bound ?? null;
  }
  const days = await step(DAY, floorTo(from, DAY), to, 0);
  const dayBound = days?.bound ?? ceilTo(to, DAY);
  const hours = await step(HOUR, Math.max(dayBound - DAY, floorTo(from, HOUR)), Math.min(dayBound, to), days?.seen ?? 0);
  return hours?.bound ?? days?.bound ?? null;
}

/**
 * For a read in time order (newest first, or oldest first with `oldestFirst`) that needs
 * its first `need` matches: the instant past which the daily rollup holding the filter
 * already has that many, so the read can start (or end) there and plan over the weekly
 * partitions of those days only, or null (no rollup holds the filter, or the range holds
 * fewer). Only whole days inside the range are counted (the days at its ends hold events
 * outside it), and the rollup's events after the read's `maxId` (at most the organization's
 * newest id less `maxId`) are not: the bound never cuts a match the read needs.
 */
export async function timeWindow(query: Query, orgId: string, filter: StoreFilter, need: number, oldestFirst: boolean): Promise<number | null> {
  // The whole days inside the range.
  const days = dayRows(orgId, filter, filter.from === undefined ? undefined : Math.ceil(filter.from / DAY) * DAY, filter.to === undefined ? undefined : Math.floor(filter.to / DAY) * DAY);
  if (!days) return null;
  const { params } = days;
  const direction = oldestFirst ? 'asc' : 'desc';
  const unseen = `(select last_event_id from organizations where org_id = ${params.add(orgId)}) - ${params.add(filter.maxId)}`;
  const [row] = await query<{ day: number }>(
    `select (extract(epoch from day) * 1000)::int8 as day from (` +
      `select day, sum(sum(events)) over (order by day ${direction}) as seen from ${days.table} where ${days.where} group by day` +
      `) w where seen >= ${params.add(need)} + ${unseen} order by day ${direction} limit 1`,
    params.values,
  );
  if (!row) return null;
  return oldestFirst ? row.day + DAY : row.day;
}

/**
 * The exact number of events a filter matches at its `maxId`, from the rollups that hold
 * its columns (whole days, whole hours, and the events of the partial hours at either
 * end, as the charts' sums), or null when none does. An events page's `total` over 90 days
 * counted up to 100,001 events one by one.
 */
export async function countFromRollups(query: Query, orgId: string, filter: StoreFilter): Promise<number | null> {
  if (!rollupFor(filter, null)) return null;
  const rows = await sums(query, orgId, filter, null, null, null);
  return rows.reduce((total, row) => total + row.n, 0);
}

/**
 * The events of a time range (and type) per amount bucket (`amount_bucket`, schema
 * version 11), exact at the filter's `maxId`, ascending by bucket: whole days and hours
 * from the amount rollups, the partial hours at the ends from the events. Null for a
 * filter on any other column, which these rollups do not hold.
 */
export async function amountBucketCounts(query: Query, orgId: string, filter: StoreFilter): Promise<{ bucket: number; events: number }[] | null> {
  const { userIds, poolCategories: pools, ioTypes: io, endpoints, requestId, amountMin, amountMax } = filter;
  if (userIds?.length || pools?.length || io?.length || endpoints?.length || requestId !== undefined || amountMin !== undefined || amountMax !== undefined) return null;
  const [from, to] = rangeOf(filter, null);
  if (from !== null && to !== null && from >= to) return [];
  const params = new Params();
  const typed: Omit<StoreFilter, 'maxId'> = { resourceType: filter.resourceType };
  const tier = (grain: number, table: string, column: string): Tier => ({
    grain,
    sql: (a, b) =>
      `select bucket as b, sum(events) as n from ${table} ` +
      `where ${whereClause(orgId, typed, params, { columns: new Set() })}${everyTypeCondition(filter, params)}${timeRange(column, a, b, params)} group by 1`,
  });
  const events = (a: Bound, b: Bound, ids: string, sign: '' | '-'): string =>
    `select amount_bucket(amount) as b, ${sign}count(*) as n from events ` +
    `where ${whereClause(orgId, typed, params, { columns: EVENT_FILTER_COLUMNS })} and ${ids}${timeRange('created', a, b, params)} group by 1`;
  const parts = sliceParts(
    {
      tiers: [tier(DAY, 'rollup_day_amount', 'day'), tier(HOUR, 'rollup_hour_amount', 'hour')],
      maxId: filter.maxId,
      events,
      // No time buckets: an event counts the same whichever unit its correction is read by.
      eventsByUnit: events,
    },
    params,
    from,
    to,
  );
  const rows = await query<{ b: number; n: number }>(
    `select b, sum(n)::int8 as n from (${parts.join(' union all ')}) s group by b having sum(n) > 0 order by b`,
    params.values,
  );
  return rows.map((row) => ({ bucket: Number(row.b), events: Number(row.n) }));
}
