/**
 * The chart, surplus and endpoint aggregates of the embedded store: hourly (and daily,
 * per-minute) rollups where the filter and the buckets allow, events where they cannot
 * (amount range, request ID, a user and an endpoint together, buckets off the hour),
 * exact at the read's `maxId`. The range is cut into rollup-covered slices and raw edges
 * by the PostgreSQL store's `sliceParts`; SQLite sums per hour (or minute) and key, and
 * the buckets, which follow the time zone, are filled here. A sum no rollup serves reads
 * every event of its range, in the store's read worker (`Reads.longText`).
 */
import { bucketIndex } from '../../domain/time-zone.js';
import type { GroupBy, ResourceType } from '../../../src/api/contract.js';
import { DAY, HOUR, sliceParts, type Bound, type Tier } from '../postgres/slices.js';
import { EVENT_FILTER_COLUMNS, GROUP_COLUMN, keyName, rangeOf, rollupFor, type RollupTable } from '../shared/sql-plan.js';
import type { BucketSum, EndpointUse, KeySum, MinuteDrawn, StoreFilter, SurplusBucket } from '../types.js';
import { NamedParams, amountRangeIndex, conditions, poolCategories, resourceTypes, timeRange } from './sql.js';
import { amountBucket, amountBucketEnd } from '../shared/amount-buckets.js';

const MINUTE = 60_000;

/**
 * The events that drew surplus, read along `events_pool`: only a surplus or hybrid event
 * has a `surplus_amount` above 0, so its two codes are two ranges of that index by time.
 * Per-minute sums over a range of stored events (minute buckets, the partial minutes of a
 * range) read those alone; else SQLite walked every event of the range (or every rowid up
 * to maxId) to find them: 300 ms for the 24 hours after a burst of a million allocated
 * events, 0.3 ms so.
 */
const DRAWING_EVENTS = 'events INDEXED BY events_pool';
const DRAWING_POOLS = `pool_category IN (${(['surplus', 'hybrid'] as const).map(poolCategories.code).join(', ')}) AND surplus_amount > 0`;

/** Runs a read and returns its rows. */
export type Query = <R>(sql: string, params: NamedParams) => R[];

/**
 * The reads of the sums: `query` on the store's thread, and `longText`, the one text value
 * of a read that may take long, off that thread where the store can (its read worker).
 */
export interface Reads {
  query: Query;
  longText: (sql: string, params: NamedParams) => Promise<string>;
}

/** The daily rollup beside each hourly one (the same columns). */
const DAY_TABLE: Record<string, string> = {
  rollup_hour: 'rollup_day',
  rollup_hour_user: 'rollup_day_user',
  rollup_hour_endpoint: 'rollup_day_endpoint',
  rollup_hour_user_total: 'rollup_day_user_total',
};

/** The per-minute rollup beside an hourly one, where there is one (the same columns). */
const MINUTE_TABLE: Record<string, string> = { rollup_hour: 'rollup_minute_detail' };

/** Per user over all I/O types and pools: about half the rows of `rollup_hour_user`. */
const ROLLUP_HOUR_USER_TOTAL: RollupTable = { table: 'rollup_hour_user_total', columns: new Set(['user_id']) };

/** The rollup that serves a filter and grouping with the fewest rows, or null (events only). */
function rollupOf(filter: StoreFilter, groupBy: GroupBy | null): RollupTable | null {
  const rollup = rollupFor(filter, groupBy);
  const split = filter.ioTypes?.length || filter.poolCategories?.length || groupBy === 'ioType' || groupBy === 'poolCategory';
  return rollup?.table === 'rollup_hour_user' && !split ? ROLLUP_HOUR_USER_TOTAL : rollup;
}

/**
 * The index a read of the per-user hourly totals takes: named users read user first
 * (`rollup_hour_user_total_by_user`), all users hour first (the key). Left to choose, with
 * the range's bounds bound as parameters, SQLite's planner took the by-user index for
 * `GROUP BY user_id` and read every hour of every user (a ranking's edge hours at 3M
 * events: 2 ms by the key, 8 ms so).
 */
function userTotalsIndex(table: string, filter: StoreFilter): string {
  if (table !== 'rollup_hour_user_total') return '';
  return filter.userIds?.length ? ' INDEXED BY rollup_hour_user_total_by_user' : ' NOT INDEXED';
}

/**
 * For all users' days (user first in their key), the organization's users named, so that
 * the key is sought per user and day range instead of read over every day of every user
 * (a ranking over 7 days at 3M events reads 2,500 rows instead of 38,000). Exact: ingest
 * stores events of known users only, and users are never removed.
 */
function everyUser(table: string, filter: StoreFilter, orgParam: string): string {
  return table === 'rollup_day_user_total' && !filter.userIds?.length ? ` AND user_id IN (SELECT user_id FROM users WHERE org = ${orgParam})` : '';
}

/**
 * Whether a whole `grain` of time never straddles two buckets: every inner edge lies on a
 * multiple of it (UTC). The outer edges bound the range itself, which the slices respect.
 */
function aligned(edges: readonly number[] | null, grain: number): boolean {
  if (!edges) return true;
  for (let i = 1; i < edges.length - 1; i++) if (edges[i]! % grain !== 0) return false;
  return true;
}

/** The bucket of a row summed from `t` on: a partial first grain starts before the first edge. */
function bucketOf(edges: readonly number[], t: number): number {
  return bucketIndex(edges, Math.max(t, edges[0]!));
}

/** The expression events are summed under: the minute when the buckets allow, else the instant. */
function eventTime(edges: readonly number[] | null): string {
  if (!edges) return '0';
  return aligned(edges, MINUTE) ? `created - created % ${MINUTE}` : 'created';
}

/** A correction slice (`id > maxId`) reads the newest rows by rowid, never through an index scan of its range. */
function eventsSource(sign: '' | '-'): string {
  return sign === '-' ? 'events NOT INDEXED' : 'events';
}

/**
 * The id condition of an events slice. A correction slice (`id > maxId`) also ends at the
 * organization's own last id in the statement's snapshot: the ids after it are other
 * organizations' events (all of a later-seeded organization's, or live traffic), which the
 * rowid range would otherwise read one by one; when nothing was stored since maxId, the
 * range is empty.
 */
function idRange(ids: string, sign: '' | '-', orgParam: string): string {
  return sign === '-' ? `${ids} AND id <= (SELECT last_event_id FROM organizations WHERE org = ${orgParam})` : ids;
}

/** The statement that fetches the slices' rows as arrays of `columns` in one JSON text. */
function jsonSql(columns: string, parts: readonly string[]): string {
  return `SELECT json_group_array(json_array(${columns})) AS rows FROM (${parts.join(' UNION ALL ')})`;
}

/**
 * The rows of the slices as arrays of `columns`, fetched as one JSON text: for the tens
 * of thousands of rows a 90-day series can have, a third of the cost of a row object each.
 */
function jsonRows<R extends unknown[]>(query: Query, columns: string, parts: readonly string[], params: NamedParams): R[] {
  const [row] = query<{ rows: string }>(jsonSql(columns, parts), params);
  return JSON.parse(row!.rows) as R[];
}

/**
 * `jsonRows`, for slices that may read every event of the range (no rollup serves the
 * filter, the grouping or the buckets): `long` takes the read off the store's thread (the
 * 13 days by minute and endpoint after a burst of a million events read all of them on
 * it, 0.5–1.3 s a request).
 */
async function jsonRowsMaybeLong<R extends unknown[]>(reads: Reads, columns: string, parts: readonly string[], params: NamedParams, long: boolean): Promise<R[]> {
  if (!long) return jsonRows<R>(reads.query, columns, parts, params);
  return JSON.parse(await reads.longText(jsonSql(columns, parts), params)) as R[];
}

/** Whether the organization has any event created in `[from, to)` (along `events_created`). */
function anyEventIn(query: Query, org: number, from: number, to: number): boolean {
  if (from >= to) return false;
  const params = new NamedParams();
  const [row] = query<{ found: number }>(
    `SELECT EXISTS (SELECT 1 FROM events WHERE org = ${params.add(org)}${timeRange('created', from, to, params)}) AS found`,
    params,
  );
  return row!.found === 1;
}

/** Per bucket, then group key: Σ amount and the event count. */
type Sums = Map<number, Map<string | number | null, { amount: number; events: number }>>;

/** Σ amount and event count per bucket (or one bucket 0 without edges) and group key. */
async function sums(reads: Reads, org: number, filter: StoreFilter, edges: readonly number[] | null, groupBy: GroupBy | null): Promise<Sums> {
  const read = sumsRead(reads.query, org, filter, edges, groupBy);
  if (!read) return new Map();
  return foldSums(await jsonRowsMaybeLong<SumRow>(reads, 't, k, v, n', read.parts, read.params, read.long), edges);
}

/** `sums` on the store's thread, for a filter a rollup holds (a page's counts): never every event of the range. */
function sumsOnThread(query: Query, org: number, filter: StoreFilter, edges: readonly number[] | null): Sums {
  const read = sumsRead(query, org, filter, edges, null);
  return read ? foldSums(jsonRows<SumRow>(query, 't, k, v, n', read.parts, read.params), edges) : new Map();
}

type SumRow = [t: number, k: string | number | null, v: number, n: number];

/** The rows summed per bucket and key: each slice sums in its own index order; the slices meet here. */
function foldSums(rows: readonly SumRow[], edges: readonly number[] | null): Sums {
  const out: Sums = new Map();
  for (const [t, k, v, n] of rows) {
    if (n === 0) continue;
    const bucket = edges ? bucketOf(edges, t) : 0;
    if (bucket < 0) continue;
    let byKey = out.get(bucket);
    if (!byKey) out.set(bucket, (byKey = new Map()));
    const sum = byKey.get(k);
    if (sum) {
      sum.amount += v;
      sum.events += n;
    } else {
      byKey.set(k, { amount: v, events: n });
    }
  }
  return out;
}

/**
 * The slices `sums` reads (null for an empty range), and whether they read every event of
 * the range: no rollup tier serves the filter, the grouping and the buckets (a request
 * ID's few events aside).
 */
function sumsRead(
  query: Query,
  org: number,
  filter: StoreFilter,
  edges: readonly number[] | null,
  groupBy: GroupBy | null,
): { parts: string[]; params: NamedParams; long: boolean } | null {
  const [from, to] = rangeOf(filter, edges);
  if (from !== null && to !== null && from >= to) return null;
  const params = new NamedParams();
  const orgParam = params.add(org);
  const key = groupBy ? GROUP_COLUMN[groupBy] : 'NULL';
  const time = eventTime(edges);
  const rollup = rollupOf(filter, groupBy);
  const tiers: Tier[] = [];
  if (rollup) {
    // Buckets off the hour (minute buckets) read the per-minute rollup where there is one.
    const minuteTable = aligned(edges, HOUR) ? undefined : MINUTE_TABLE[rollup.table];
    for (const [grain, column, table] of [
      [DAY, 'day', DAY_TABLE[rollup.table]!],
      [HOUR, 'hour', rollup.table],
      ...(minuteTable ? ([[MINUTE, 'minute', minuteTable]] as const) : []),
    ] as const) {
      if (!aligned(edges, grain)) continue;
      tiers.push({
        grain,
        sql: (a, b) =>
          `SELECT ${edges ? column : '0'} AS t, ${key} AS k, sum(amount) AS v, sum(events) AS n FROM ${table}${userTotalsIndex(table, filter)} ` +
          `WHERE ${conditions(org, filter, params, { columns: rollup.columns })}${everyUser(table, filter, orgParam)}${timeRange(column, a, b, params)} ` +
          `GROUP BY ${edges ? `${column}, ` : ''}${key}`,
      });
    }
  }
  /** Events of `[a, b)` counted in the hour (or day) they fall in: the rollup row they correct. */
  const byUnit = (a: Bound, b: Bound, ids: string, sign: '' | '-', unit: 'hour' | 'day'): string => {
    const correction = ids.startsWith('id >');
    return (
      `SELECT ${edges ? `created - created % ${unit === 'hour' ? HOUR : DAY}` : '0'} AS t, ${key} AS k, ${sign}sum(amount) AS v, ${sign}count(*) AS n ` +
      `FROM ${correction ? eventsSource('-') : `events${amountRangeIndex(filter, 'rows')}`} ` +
      `WHERE ${conditions(org, filter, params, { columns: EVENT_FILTER_COLUMNS })} AND ${correction ? idRange(ids, '-', orgParam) : ids}${timeRange('created', a, b, params)} GROUP BY 1, 2`
    );
  };
  // A range's partial hours come from the hourly rollup less the events outside the range
  // where those are fewer than the events inside: at its end when it ends late in the hour
  // or no event follows (a range ending now), at its start when it starts early in the
  // hour or no event precedes. The edge hours' events are read otherwise (at 10M events,
  // 59 minutes of events cost a 7-day user ranking 26 ms against 9 ms hour-aligned).
  const hourly = tiers.some((tier) => tier.grain === HOUR);
  const tailByRollup = hourly && to !== null && (to % HOUR >= HOUR / 2 || !anyEventIn(query, org, to, Math.ceil(to / HOUR) * HOUR));
  const hourStart = from === null ? null : Math.floor(from / HOUR) * HOUR;
  const headByRollup =
    hourly &&
    from !== null &&
    hourStart !== null &&
    from !== hourStart &&
    (to === null || hourStart + HOUR <= to) &&
    (from - hourStart < HOUR / 2 || !anyEventIn(query, org, hourStart, from));
  const parts = sliceParts(
    {
      tiers,
      maxId: filter.maxId,
      events: (a, b, ids, sign) =>
        `SELECT ${time} AS t, ${key} AS k, ${sign}sum(amount) AS v, ${sign}count(*) AS n FROM ${eventsSource(sign)}${sign ? '' : amountRangeIndex(filter, 'rows')} ` +
        `WHERE ${conditions(org, filter, params, { columns: EVENT_FILTER_COLUMNS })} AND ${idRange(ids, sign, orgParam)}${timeRange('created', a, b, params)} GROUP BY 1, 2`,
      ...(tailByRollup ? { eventsByUnit: byUnit } : {}),
      // A range ending now (no event after it in its day) reads its last day whole from the
      // daily rollup (a ranking of 420 users over 7 days: 14 hours × 420 rows fewer).
      wholeTailDay:
        tailByRollup && (!edges || aligned(edges, DAY)) && tiers[0]?.grain === DAY && to !== null && to % DAY !== 0 && !anyEventIn(query, org, to, Math.ceil(to / DAY) * DAY),
    },
    params,
    headByRollup ? hourStart : from,
    to,
  );
  // The stored events of the head hour before the range (those after maxId the rollup
  // slice's own correction subtracts).
  if (headByRollup) parts.push(byUnit(hourStart, from, `id <= ${params.add(filter.maxId)}`, '-', 'hour'));
  return { parts, params, long: tiers.length === 0 && filter.requestId === undefined };
}

/** The filter field that names the values of a group key with many values. */
const GROUP_FILTER = { userId: 'userIds', endpoint: 'endpoints' } as const;

/**
 * The chosen keys of a user or endpoint grouping, and the rest as key null, read as two
 * small reads instead of every key's rows: the chosen keys alone (their rollup through
 * its by-key index, a few keys × buckets rows), and the total per bucket from the rollup
 * without the key (a few rows per bucket); the rest is the total less the chosen keys.
 * Both are exact at the filter's `maxId`, so the difference is too.
 */
async function chosenAndRest(
  read: (filter: StoreFilter, groupBy: GroupBy | null) => ReturnType<typeof sums>,
  filter: StoreFilter,
  groupBy: 'userId' | 'endpoint',
  keys: readonly string[],
): Promise<BucketSum[]> {
  const chosen = keys.length ? await read({ ...filter, [GROUP_FILTER[groupBy]]: keys }, groupBy) : new Map();
  const out: BucketSum[] = [];
  for (const [bucket, total] of await read(filter, null)) {
    let amount = 0;
    let events = 0;
    for (const sum of total.values()) {
      amount += sum.amount;
      events += sum.events;
    }
    for (const [code, sum] of chosen.get(bucket) ?? []) {
      if (sum.events <= 0) continue;
      out.push({ bucket, key: keyName(groupBy, code), amount: sum.amount });
      amount -= sum.amount;
      events -= sum.events;
    }
    if (events > 0) out.push({ bucket, key: null, amount });
  }
  return out;
}

export async function sumByBucket(
  reads: Reads,
  org: number,
  filter: StoreFilter,
  edges: readonly number[],
  groupBy: GroupBy | null,
  keys: readonly string[] | null,
): Promise<BucketSum[]> {
  if (edges.length < 2) return [];
  // Split unless the filter narrows the grouped column itself or no rollup serves the total.
  if (keys && (groupBy === 'userId' || groupBy === 'endpoint') && !filter[GROUP_FILTER[groupBy]]?.length && rollupFor(filter, null)) {
    return chosenAndRest((f, g) => sums(reads, org, f, edges, g), filter, groupBy, keys);
  }
  const wanted = keys ? new Set(keys) : null;
  const out: BucketSum[] = [];
  for (const [bucket, byKey] of await sums(reads, org, filter, edges, groupBy)) {
    const folded = new Map<string | null, number>();
    for (const [code, sum] of byKey) {
      if (sum.events <= 0) continue;
      let key = keyName(groupBy, code);
      if (key !== null && wanted && !wanted.has(key)) key = null;
      folded.set(key, (folded.get(key) ?? 0) + sum.amount);
    }
    for (const [key, amount] of folded) out.push({ bucket, key, amount });
  }
  return out;
}

/**
 * How many events match a filter, exact at its `maxId`, summed from the rollups' event
 * counts; null when no rollup holds the filter's columns (an amount range, a request ID, a
 * user and an endpoint together). A count read from the events walks up to the cap of
 * matches through an index (at 10M events, output over 90 days: 69 ms for 100,001).
 */
export function countByRollups(query: Query, org: number, filter: StoreFilter): number | null {
  if (!rollupFor(filter, null)) return null;
  let events = 0;
  for (const sum of sumsOnThread(query, org, filter, null).get(0)?.values() ?? []) events += sum.events;
  return events;
}

/**
 * The filter's matching events per day of its range (UTC days; the first and last cut at
 * the range's bounds), from the rollups' event counts, exact at its `maxId`: the edges and
 * a count per bucket between them. Null without a bounded range or when no rollup holds
 * the filter's columns.
 */
export function eventCountsByDay(query: Query, org: number, filter: StoreFilter): { edges: number[]; counts: number[] } | null {
  if (filter.from === undefined || filter.to === undefined || filter.from >= filter.to || !rollupFor(filter, null)) return null;
  const edges = [filter.from];
  for (let day = Math.floor(filter.from / DAY) * DAY + DAY; day < filter.to; day += DAY) edges.push(day);
  edges.push(filter.to);
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const [bucket, byKey] of sumsOnThread(query, org, filter, edges)) for (const sum of byKey.values()) counts[bucket]! += sum.events;
  return { edges, counts };
}

/**
 * How many events of one type lie in an amount range, exact at the filter's `maxId`: the
 * whole amount buckets inside the range from the per-type amount rollups (whole days,
 * whole hours, then events, as charts slice), the amounts at its edges, each within a
 * bucket, from the events. Null unless the filter is a type and an amount range (and a
 * time range) alone.
 */
export function countAmountRange(query: Query, org: number, filter: StoreFilter): number | null {
  const { resourceType, amountMin, amountMax } = filter;
  if (resourceType === undefined || (amountMin === undefined && amountMax === undefined)) return null;
  if (filter.userIds?.length || filter.endpoints?.length || filter.ioTypes?.length || filter.poolCategories?.length || filter.requestId !== undefined) return null;
  // Amounts are integers: the range as its first and last integer.
  const lo = Math.max(0, Math.ceil(amountMin ?? 0));
  const hi = amountMax === undefined ? null : Math.floor(amountMax);
  if (hi !== null && lo > hi) return 0;
  // Whole buckets start at `first` or after, and before `end` (the bucket holding hi + 1).
  const first = amountBucket(lo) === lo ? lo : amountBucketEnd(amountBucket(lo));
  const end = hi === null ? null : amountBucket(hi + 1);
  const [from, to] = rangeOf(filter, null);
  const params = new NamedParams();
  const orgParam = params.add(org);
  const type = params.add(resourceTypes.code(resourceType));
  const band = (column: string, a: number, b: number | null): string => ` AND ${column} >= ${params.add(a)}${b === null ? '' : ` AND ${column} < ${params.add(b)}`}`;
  const edgeCount = (a: number, b: number): string =>
    `SELECT count(*) AS n FROM events WHERE org = ${orgParam} AND resource_type = ${type}${band('amount', a, b)} AND id <= ${params.add(filter.maxId)}${timeRange('created', from, to, params)}`;
  if (end !== null && first >= end) return jsonRows<[number]>(query, 'n', [edgeCount(lo, hi! + 1)], params)[0]![0];
  const parts = sliceParts(
    {
      tiers: (
        [
          [DAY, 'day', 'rollup_day_amount'],
          [HOUR, 'hour', 'rollup_hour_amount'],
        ] as const
      ).map(([grain, column, table]) => ({
        grain,
        sql: (a, b) =>
          `SELECT sum(events) AS n FROM ${table} WHERE org = ${orgParam} AND resource_type = ${type}${band('bucket', first, end)}${timeRange(column, a, b, params)}`,
      })),
      maxId: filter.maxId,
      events: (a, b, ids, sign) =>
        `SELECT ${sign}count(*) AS n FROM ${sign ? eventsSource(sign) : 'events INDEXED BY events_type'} ` +
        `WHERE org = ${orgParam} AND resource_type = ${type}${band('amount', first, end)} AND ${idRange(ids, sign, orgParam)}${timeRange('created', a, b, params)}`,
    },
    params,
    from,
    to,
  );
  if (lo < first) parts.push(edgeCount(lo, first));
  if (end !== null && end <= hi!) parts.push(edgeCount(end, hi! + 1));
  let count = 0;
  for (const [n] of jsonRows<[number | null]>(query, 'n', parts, params)) count += n ?? 0;
  return count;
}

export async function sumByKey(reads: Reads, org: number, filter: StoreFilter, groupBy: GroupBy): Promise<KeySum[]> {
  const byKey = (await sums(reads, org, filter, null, groupBy)).get(0) ?? new Map();
  return [...byKey].filter(([, sum]) => sum.events > 0).map(([code, sum]) => ({ key: keyName(groupBy, code)!, amount: sum.amount }));
}

/** Per bucket: Σ surplusAmount and the distinct users who drew any. */
export async function surplusBuckets(reads: Reads, org: number, resourceType: ResourceType, edges: readonly number[], maxId: number): Promise<SurplusBucket[]> {
  const count = Math.max(0, edges.length - 1);
  const out: SurplusBucket[] = Array.from({ length: count }, () => ({ drawn: 0, usersOverBase: 0 }));
  if (count === 0) return out;
  const params = new NamedParams();
  const orgParam = params.add(org);
  const type = params.add(resourceTypes.code(resourceType));
  const tiers: Tier[] = (
    [
      [DAY, 'day', 'rollup_day_user_total'],
      [HOUR, 'hour', 'rollup_hour_user_total'],
    ] as const
  )
    .filter(([grain]) => aligned(edges, grain))
    .map(([grain, column, table]) => ({
      grain,
      sql: (a, b) =>
        `SELECT ${column} AS t, user_id AS k, sum(drawn) AS v FROM ${table} ` +
        `WHERE org = ${orgParam} AND resource_type = ${type} AND drawn > 0${timeRange(column, a, b, params)} GROUP BY 1, 2`,
    }));
  const parts = sliceParts(
    {
      tiers,
      maxId,
      events: (a, b, ids, sign) =>
        `SELECT ${eventTime(edges)} AS t, user_id AS k, ${sign}sum(surplus_amount) AS v FROM ${sign ? eventsSource(sign) : DRAWING_EVENTS} ` +
        `WHERE org = ${orgParam} AND resource_type = ${type} AND ${DRAWING_POOLS} AND ${idRange(ids, sign, orgParam)}${timeRange('created', a, b, params)} GROUP BY 1, 2`,
    },
    params,
    edges[0]!,
    edges[edges.length - 1]!,
  );
  // Per bucket and user first: a user drew in a bucket exactly when their net drawn > 0.
  // Off the hour (minute buckets), every drawing event of the range is read.
  const perUser = new Map<number, Map<string, number>>();
  for (const [t, k, v] of await jsonRowsMaybeLong<[number, string, number]>(reads, 't, k, v', parts, params, tiers.length === 0)) {
    const bucket = bucketOf(edges, t);
    if (bucket < 0) continue;
    let users = perUser.get(bucket);
    if (!users) perUser.set(bucket, (users = new Map()));
    users.set(k, (users.get(k) ?? 0) + v);
  }
  for (const [bucket, users] of perUser) {
    let drawn = 0;
    let over = 0;
    for (const value of users.values()) {
      drawn += value;
      if (value > 0) over++;
    }
    out[bucket] = { drawn, usersOverBase: over };
  }
  return out;
}

/** Σ surplusAmount per minute with any, over `[from, to)`, oldest first. */
export function drawnByMinute(query: Query, org: number, resourceType: ResourceType, from: number, to: number, maxId: number): MinuteDrawn[] {
  if (from >= to) return [];
  const params = new NamedParams();
  const orgParam = params.add(org);
  const type = params.add(resourceTypes.code(resourceType));
  const parts = sliceParts(
    {
      tiers: [
        {
          grain: MINUTE,
          sql: (a, b) =>
            `SELECT minute AS t, drawn AS v FROM rollup_minute WHERE org = ${orgParam} AND resource_type = ${type} AND drawn > 0` +
            timeRange('minute', a, b, params),
        },
      ],
      maxId,
      events: (a, b, ids, sign) =>
        `SELECT created - created % ${MINUTE} AS t, ${sign}surplus_amount AS v FROM ${sign ? eventsSource(sign) : DRAWING_EVENTS} ` +
        `WHERE org = ${orgParam} AND resource_type = ${type} AND ${DRAWING_POOLS} AND ${idRange(ids, sign, orgParam)}${timeRange('created', a, b, params)}`,
    },
    params,
    from,
    to,
  );
  // Up to one row per minute of the range (129,600 over 90 days), met here by minute: an
  // array indexed by minute sums them and gives them back in order, without a sort.
  const first = Math.floor(from / MINUTE) * MINUTE;
  const drawnAt = new Float64Array(Math.ceil((to - first) / MINUTE));
  for (const [t, v] of jsonRows<[number, number]>(query, 't, v', parts, params)) drawnAt[(t - first) / MINUTE] += v;
  const out: MinuteDrawn[] = [];
  for (let i = 0; i < drawnAt.length; i++) if (drawnAt[i]! > 0) out.push({ minute: first + i * MINUTE, drawn: drawnAt[i]! });
  return out;
}

/** Events per endpoint in `[since, ∞)`: whole days, then hours, then events. */
export function endpointCounts(query: Query, org: number, since: number, maxId: number): EndpointUse[] {
  const params = new NamedParams();
  const orgParam = params.add(org);
  const parts = sliceParts(
    {
      tiers: [
        {
          grain: DAY,
          sql: (a, b) => `SELECT endpoint AS k, events AS v FROM rollup_day_endpoint WHERE org = ${orgParam}${timeRange('day', a, b, params)}`,
        },
        {
          grain: HOUR,
          sql: (a, b) => `SELECT endpoint AS k, events AS v FROM rollup_hour_endpoint WHERE org = ${orgParam}${timeRange('hour', a, b, params)}`,
        },
      ],
      maxId,
      events: (a, b, ids, sign) =>
        `SELECT endpoint AS k, ${sign}1 AS v FROM ${eventsSource(sign)} WHERE org = ${orgParam} AND ${idRange(ids, sign, orgParam)}${timeRange('created', a, b, params)}`,
    },
    params,
    since,
    null,
  );
  const rows = query<{ k: string; v: number }>(
    `SELECT k, sum(v) AS v FROM (${parts.join(' UNION ALL ')}) GROUP BY k HAVING sum(v) > 0`,
    params,
  );
  return rows.map((row) => ({ endpoint: row.k, events: row.v }));
}
