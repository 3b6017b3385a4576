/**
 * Ingest in one transaction: the organization's row lock (serialising classification,
 * since the surplus pool is shared, and making ids visible in id order), the
 * Idempotency-Key check, classification by the domain's `classifyItem` over windows
 * loaded from the database, then the events, the rollups, the id counter and the
 * notification that wakes the live streams of every process.
 */
import { LIMITS, type IoType, type PoolCategory, type ResourceType } from '../../../src/api/contract.js';
import { type ClassifierSource, classifyEntries } from '../../domain/classification.js';
import { UsageWindows } from '../../domain/windows.js';
import type {
  IngestItem,
  IngestOptions,
  IngestOutcome,
  IngestRefusal,
  IngestResult,
  OrganizationLimits,
  StoredEvent,
  UserLimits,
} from '../types.js';
import { DAY, HOUR } from './slices.js';
import { Params, arrayLiteral, ioTypes, poolCategories, resourceTypes, toTimestamp } from './sql.js';

const MINUTE = 60_000;
/** The channel whose payload is the organization whose events became visible. */
export const EVENTS_CHANNEL = 'usage_events';

export interface Queryable {
  query<R>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

interface LimitRow {
  effective_from: Date;
  weekly_token_limit: number;
  storage_limit: number;
  surplus_capacity_ocr: number;
  surplus_capacity_storage: number;
  surplus_capacity_tokens: number;
}

export function toOrganizationLimits(row: LimitRow): OrganizationLimits {
  return {
    effectiveFrom: row.effective_from.getTime(),
    weeklyTokenLimit: row.weekly_token_limit,
    storageLimit: row.storage_limit,
    surplusCapacity: { tokens: row.surplus_capacity_tokens, storage: row.surplus_capacity_storage, ocr: row.surplus_capacity_ocr },
  };
}

interface UserLimitRow {
  user_id: string;
  resource_type: number;
  effective_from: Date;
  base_per_4h: number;
  surplus_per_4h: number;
}

export function toUserLimits(row: UserLimitRow): UserLimits {
  return {
    resourceType: resourceTypes.name(row.resource_type),
    effectiveFrom: row.effective_from.getTime(),
    basePer4h: row.base_per_4h,
    surplusPer4h: row.surplus_per_4h,
  };
}

/** The Monday 00:00 UTC that starts the partition holding `ms`. */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY);
  const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday
  return (day - weekday) * DAY;
}

/** Instants as epoch ms in SQL (cheaper to read than timestamps). */
const epochMs = (column: string): string => `(extract(epoch from ${column}) * 1000)::int8`;

/**
 * Where the organization's per-minute sums are needed minute by minute: around every
 * window edge the items' instants can put (the pool window and the users' own events from
 * `first − 4h`, and for a weekly limit the 7-day window's start). Between them whole
 * hours suffice. `[from, to)` pairs, ascending, minute-aligned.
 */
function minuteRegions(type: ResourceType, first: number, last: number): { exact: [number, number][]; hours: [number, number] | null } {
  const firstMinute = Math.floor(first / MINUTE) * MINUTE;
  const end = Math.floor(last / MINUTE) * MINUTE + MINUTE;
  if (type === 'ocr') return { exact: [[firstMinute - LIMITS.windowMs + MINUTE, end]], hours: null };
  const recent: [number, number] = [Math.floor((firstMinute - LIMITS.windowMs) / HOUR) * HOUR, end];
  const weekStartFirst = firstMinute - LIMITS.weekMs + MINUTE;
  const weekStartLast = end - LIMITS.weekMs;
  const weekEdge: [number, number] = [Math.floor(weekStartFirst / HOUR) * HOUR, Math.ceil(weekStartLast / HOUR) * HOUR];
  if (weekEdge[1] >= recent[0]) return { exact: [[weekEdge[0], end]], hours: null };
  return { exact: [weekEdge, recent], hours: [weekEdge[1], recent[0]] };
}

/** A user's own events of one type in `(first − 4h, last]`, one by one: $1 org, $2 users, $3 type, $4 first − 4h, $5 last. */
const OWN_WHOLE_SQL = `select user_id, ${epochMs('created')} as t, amount, surplus_amount from events
  where org_id = $1 and user_id = any($2::text[]) and resource_type = $3 and created > $4 and created <= $5`;

/**
 * The read of the users' own events when the items' windows share a middle `(edge,
 * first]` (edge = last − 4h), which lies inside every one of them: there sums placed at
 * the oldest instant read the same as the events one by one (sums and "oldest" alike).
 * Outside it, `(first − 4h, edge]` and `(first, last]`, the events come one by one.
 * Inside it, from rollup_user_hour: an hour whose first and last events lie in the middle
 * comes whole (its sums at its first instant); of the hour holding the edge, the events
 * after the edge come one by one; of the hour holding `first` (the one filling up as
 * batches arrive), the hour's sums minus its events after `first` (usually none), at the
 * hour's first instant, so a batch never reads the events earlier batches put in the
 * current hour. When edge and first fall in one hour, its events in the middle come one
 * by one. Parameters: $1 org, $2 users, $3 type, $4 first − 4h, then `values`.
 */
function ownMiddle(edge: number, first: number, last: number): { sql: string; values: string[] } {
  const edgeHour = Math.floor(edge / HOUR) * HOUR;
  const firstHour = Math.floor(first / HOUR) * HOUR;
  const split = firstHour > edgeHour;
  // $5 edge, $6 first, $7 last; $8 where the edge hour's events stop being read one by one
  // (exclusive; instants are whole milliseconds), $9 the edge hour; $10, $11 first's hour.
  const values = [edge, first, last, split ? edgeHour + HOUR : first + 1, edgeHour, ...(split ? [firstHour, firstHour + HOUR] : [])];
  const sql = `with spans as (
      select user_id, hour, amount, drawn, first_created, first_created > $5 and last_created <= $6 as inside
      from rollup_user_hour
      where org_id = $1 and resource_type = $3 and user_id = any($2::text[])
        and hour > $5::timestamptz - interval '1 hour' and hour <= $6
    )${
      split
        ? `, after_first as (
      select user_id, sum(amount)::int8 as amount, sum(surplus_amount)::int8 as drawn from events
      where org_id = $1 and resource_type = $3 and user_id = any($2::text[]) and created > $6 and created < $11
      group by user_id
    )`
        : ''
    }
    select user_id, ${epochMs('created')} as t, amount, surplus_amount from events
    where org_id = $1 and user_id = any($2::text[]) and resource_type = $3
      and ((created > $4 and created <= $5) or (created > $6 and created <= $7))
    union all
    select user_id, ${epochMs('first_created')}, amount, drawn from spans where inside
    union all
    select user_id, ${epochMs('created')}, amount, surplus_amount from events
    where org_id = $1 and resource_type = $3 and created > $5 and created < $8
      and user_id = any(array(select user_id from spans where hour = $9 and not inside))${
        split
          ? `
    union all
    select s.user_id, ${epochMs('s.first_created')}, s.amount - coalesce(a.amount, 0), s.drawn - coalesce(a.drawn, 0)
    from spans s left join after_first a using (user_id)
    where s.hour = $10 and not s.inside and s.first_created <= $6`
          : ''
      }`;
  return { sql, values: values.map(toTimestamp) };
}

/** Renumbers a statement's `$1…$n` into `params` (each value added once), to make it part of a larger one. */
function embed(sql: string, values: readonly unknown[], params: Params): string {
  const placeholders = values.map((value) => params.add(value));
  return sql.replace(/\$(\d+)/g, (_, n: string) => placeholders[Number(n) - 1]!);
}

/** A query's rows as one JSON array of arrays (`[]` for none): one column of a combined read. */
function jsonRows(query: string, columns: string, order = ''): string {
  return `(select coalesce(json_agg(json_build_array(${columns})${order}), '[]') from (${query}) q)`;
}

type OwnRow = [userId: string, t: number, amount: number, surplusAmount: number];
type MinuteRow = [t: number, amount: number, drawn: number];
type HourRow = [ta: number | null, amount: number, td: number | null, drawn: number];
type EdgeRow = [t: number, amount: number];

/**
 * What classification reads for these items, per type: each user's own events in
 * `(first − 4h, last]` one by one, and the organization's per-minute sums of the pool
 * window (and of the 7-day window for the types with a weekly limit) as sums of everyone
 * else (`addMinute`). Whole hours away from any window edge come as one sum placed at the
 * hour's first minute with a value, so every window sum and every "oldest in the window"
 * stays exact. For a weekly limit, the organization's events of the minutes the 7 days'
 * edges fall in (the items' own, a week before) come one by one too (`setMinuteDetail`):
 * that window is exact to the millisecond. Adds each read to `params` and returns its
 * columns and how to load the rows into `windows`.
 */
function windowReads(orgId: string, items: readonly IngestItem[], params: Params): { columns: string[]; load: (row: Record<string, unknown[]>, windows: UsageWindows) => void }[] {
  const byType = new Map<ResourceType, { users: Set<string>; first: number; last: number }>();
  for (const item of items) {
    const span = byType.get(item.resourceType);
    if (span) {
      span.users.add(item.userId);
      span.first = Math.min(span.first, item.created);
      span.last = Math.max(span.last, item.created);
    } else {
      byType.set(item.resourceType, { users: new Set([item.userId]), first: item.created, last: item.created });
    }
  }
  return [...byType].map(([type, span], i) => {
    const code = resourceTypes.code(type);
    const regions = minuteRegions(type, span.first, span.last);
    const windowStart = toTimestamp(span.first - LIMITS.windowMs);
    const middle = span.last - LIMITS.windowMs < span.first ? ownMiddle(span.last - LIMITS.windowMs, span.first, span.last) : null;
    const own = embed(middle ? middle.sql : OWN_WHOLE_SQL, [orgId, [...span.users], code, windowStart, ...(middle ? middle.values : [toTimestamp(span.last)])], params);
    const bounds = regions.exact.flatMap(([from, to]) => [toTimestamp(from), toTimestamp(to)]);
    const minutes = embed(
      `select ${epochMs('minute')} as t, amount, drawn from rollup_minute
       where org_id = $1 and resource_type = $2 and (${regions.exact.map((_, j) => `(minute >= $${3 + 2 * j} and minute < $${4 + 2 * j})`).join(' or ')})`,
      [orgId, code, ...bounds],
      params,
    );
    const columns = [`${jsonRows(own, 'user_id, t, amount, surplus_amount')} as own_${i}`, `${jsonRows(minutes, 't, amount, drawn')} as minutes_${i}`];
    if (regions.hours) {
      const hours = embed(
        `select ${epochMs('min(minute) filter (where amount > 0)')} as ta, sum(amount)::int8 as amount,
                ${epochMs('min(minute) filter (where drawn > 0)')} as td, sum(drawn)::int8 as drawn
         from rollup_minute where org_id = $1 and resource_type = $2 and minute >= $3 and minute < $4
         group by floor(extract(epoch from minute) / 3600)`,
        [orgId, code, toTimestamp(regions.hours[0]), toTimestamp(regions.hours[1])],
        params,
      );
      columns.push(`${jsonRows(hours, 'ta, amount, td, drawn')} as hours_${i}`);
    }
    if (type !== 'ocr') {
      const minuteOf = (t: number): number => Math.floor(t / MINUTE) * MINUTE;
      // The minutes of both edges; and the minute of the first event after the old edge's,
      // the oldest in the 7 days of an item whose edge minute holds none (its "frees at").
      const edges = embed(
        `select ${epochMs('created')} as t, amount from events
         where org_id = $1 and resource_type = $2 and ((created >= $3 and created < $4) or (created >= $5 and created < $6))
         union all
         select ${epochMs('e.created')}, e.amount from events e,
           (select date_trunc('minute', min(created), 'UTC') as m from events where org_id = $1 and resource_type = $2 and created >= $4) n
         where e.org_id = $1 and e.resource_type = $2 and e.created >= n.m and e.created < n.m + interval '1 minute' and (e.created < $5 or e.created >= $6)`,
        [
          orgId,
          code,
          ...[span.first - LIMITS.weekMs, span.last - LIMITS.weekMs, span.first, span.last].map((t, j) => toTimestamp(minuteOf(t) + (j % 2) * MINUTE)),
        ],
        params,
      );
      columns.push(`${jsonRows(edges, 't, amount')} as edges_${i}`);
    }
    const load = (row: Record<string, unknown[]>, windows: UsageWindows): void => {
      const others = new Map<number, { amount: number; drawn: number }>();
      for (const [t, amount, drawn] of row[`minutes_${i}`] as MinuteRow[]) others.set(t, { amount, drawn });
      for (const [userId, t, amount, surplusAmount] of row[`own_${i}`] as OwnRow[]) {
        windows.add(userId, type, t, amount, surplusAmount);
        const minute = others.get(Math.floor(t / MINUTE) * MINUTE);
        if (minute) {
          minute.amount -= amount;
          minute.drawn -= surplusAmount;
        }
      }
      for (const [minute, sums] of others) windows.addMinute(type, minute, sums.amount, sums.drawn);
      for (const [ta, amount, td, drawn] of (row[`hours_${i}`] ?? []) as HourRow[]) {
        if (ta !== null) windows.addMinute(type, ta, amount, 0);
        if (td !== null) windows.addMinute(type, td, 0, drawn);
      }
      const edgeMinutes = new Map<number, EdgeRow[]>();
      for (const event of (row[`edges_${i}`] ?? []) as EdgeRow[]) {
        const minute = Math.floor(event[0] / MINUTE) * MINUTE;
        const list = edgeMinutes.get(minute);
        if (list) list.push(event);
        else edgeMinutes.set(minute, [event]);
      }
      for (const [minute, events] of edgeMinutes) windows.setMinuteDetail(type, minute, events);
    };
    return { columns, load };
  });
}

/** A rollup's upsert from the batch's events (`input`), grouped by its key in SQL. */
interface RollupWrite {
  table: string;
  /** Key columns of the table and the expression over `input` that gives each. */
  keys: [column: string, expression: string][];
  /** Value columns, the aggregate over `input` that gives each and how a conflict combines. */
  values: [column: string, aggregate: string, combine: 'sum' | 'least' | 'greatest'][];
}

const hourOf = "date_trunc('hour', created, 'UTC')";
const dayOf = "date_trunc('day', created, 'UTC')";
type Value = RollupWrite['values'][number];
const AMOUNT: Value = ['amount', 'sum(amount)', 'sum'];
const EVENTS: Value = ['events', 'count(*)', 'sum'];
const DRAWN: Value = ['drawn', 'sum(surplus_amount)', 'sum'];
const COUNTED: RollupWrite['values'] = [AMOUNT, EVENTS, DRAWN];
const CELL: RollupWrite['keys'] = [
  ['io_type', 'io_type'],
  ['pool_category', 'pool_category'],
];

const TYPE: RollupWrite['keys'][number] = ['resource_type', 'resource_type'];
const USER: RollupWrite['keys'][number] = ['user_id', 'user_id'];
const ENDPOINT: RollupWrite['keys'][number] = ['endpoint', 'endpoint'];

/** An hourly rollup and its daily twin, keyed by type, the hour or day, then `rest`. */
function hourAndDay(hourTable: string, dayTable: string, rest: RollupWrite['keys'], values: RollupWrite['values']): RollupWrite[] {
  return [
    { table: hourTable, keys: [TYPE, ['hour', hourOf], ...rest], values },
    { table: dayTable, keys: [TYPE, ['day', dayOf], ...rest], values },
  ];
}

/** Every rollup kept in the ingest transaction (migrations 0001–0004, 0011). */
const ROLLUP_WRITES: RollupWrite[] = [
  { table: 'rollup_minute', keys: [TYPE, ['minute', "date_trunc('minute', created, 'UTC')"]], values: [AMOUNT, DRAWN] },
  ...hourAndDay('rollup_hour', 'rollup_day', CELL, COUNTED),
  ...hourAndDay('rollup_hour_user', 'rollup_day_user', [USER, ...CELL], COUNTED),
  ...hourAndDay('rollup_hour_endpoint', 'rollup_day_endpoint_type', [ENDPOINT, ...CELL], [AMOUNT, EVENTS]),
  {
    table: 'rollup_user_hour',
    keys: [TYPE, USER, ['hour', hourOf]],
    values: [AMOUNT, DRAWN, EVENTS, ['first_created', 'min(created)', 'least'], ['last_created', 'max(created)', 'greatest']],
  },
  { table: 'rollup_user_day', keys: [TYPE, ['day', dayOf], USER], values: COUNTED },
  { table: 'rollup_day_endpoint', keys: [['day', dayOf], ENDPOINT], values: [EVENTS] },
  ...hourAndDay('rollup_hour_amount', 'rollup_day_amount', [['bucket', 'amount_bucket(amount)']], [EVENTS]),
];

/** `insert … select … from input group by … on conflict … do update` of one rollup. */
function rollupUpsert({ table, keys, values }: RollupWrite, org: string): string {
  const columns = ['org_id', ...keys.map(([column]) => column), ...values.map(([column]) => column)];
  const combined = values.map(([column, , combine]) =>
    combine === 'sum' ? `${column} = ${table}.${column} + excluded.${column}` : `${column} = ${combine}(${table}.${column}, excluded.${column})`,
  );
  return `insert into ${table} (${columns.join(', ')})
       select ${org}, ${[...keys.map(([, expression]) => expression), ...values.map(([, aggregate]) => aggregate)].join(', ')}
       from input group by ${keys.map((_, i) => i + 2).join(', ')}
       on conflict (${['org_id', ...keys.map(([column]) => column)].join(', ')}) do update set ${combined.join(', ')}`;
}

/** The batch's columns: each goes as one array literal of its values ($2…$11, in this order). */
const INPUT_COLUMNS: [column: string, cast: string, value: (event: StoredEvent) => number | string][] = [
  ['id', 'int8[]', (event) => Number(event.id)],
  ['created', 'timestamptz[]', (event) => event.created],
  ['amount', 'int8[]', (event) => event.amount],
  ['surplus_amount', 'int8[]', (event) => event.surplusAmount],
  ['resource_type', 'int2[]', (event) => resourceTypes.code(event.resourceType)],
  ['pool_category', 'int2[]', (event) => poolCategories.code(event.poolCategory as PoolCategory)],
  ['io_type', 'int2[]', (event) => ioTypes.code(event.ioType as IoType)],
  ['user_id', 'text[]', (event) => event.userId],
  ['request_id', 'text[]', (event) => event.requestId],
  ['endpoint', 'text[]', (event) => event.endpoint],
];

/**
 * The write statement, the same text for every batch (made once): $1 the organization,
 * $2…$11 the input columns, then the last id and the channel.
 */
const WRITE_SQL = ((): string => {
  const params = new Params();
  const org = params.add(null);
  const input = INPUT_COLUMNS.map(([, cast]) => params.add(null, cast));
  const columns = INPUT_COLUMNS.map(([column]) => column).join(', ');
  return `with input as materialized (
       select * from unnest(${input.join(', ')}) as t(${columns})
     ), new_events as (
       insert into events (org_id, ${columns}) select ${org}, ${columns} from input
     ), ${ROLLUP_WRITES.map((rollup, i) => `rollup_${i} as (\n       ${rollupUpsert(rollup, org)}\n     )`).join(', ')}, counter as (
       update organizations set last_event_id = ${params.add(null)} where org_id = ${org}
     )
     select pg_notify(${params.add(null)}, ${org})`;
})();

/**
 * Writes the accepted events, their rollups and the id counter, and notifies at commit,
 * in one statement (one round trip). The events go as one array per column; every rollup
 * is grouped from them in SQL (hours and days in UTC), so the process neither builds the
 * rollups' rows nor sends them.
 */
async function writeEvents(db: Queryable, orgId: string, events: readonly StoredEvent[], lastId: number): Promise<void> {
  const literals = INPUT_COLUMNS.map(([, cast, value]) => arrayLiteral(events.map(value), cast === 'text[]'));
  await db.query(WRITE_SQL, [orgId, ...literals, lastId, EVENTS_CHANNEL]);
}

/** One POST's share of a group ingested in one transaction. */
export interface IngestRequest {
  entries: readonly (IngestItem | IngestRefusal)[];
  options: IngestOptions;
}

interface Remembered {
  hash: string;
  results: IngestResult[];
  createdAt: number;
}

/**
 * The ingest transaction of a group of requests for one organization, in their order (as
 * if each had its own transaction, one after another); `db` is one connection, inside
 * `begin`. Returns each request's outcome; the caller commits when any is `stored`, else
 * rolls back.
 */
export async function ingestInTransaction(db: Queryable, orgId: string, requests: readonly IngestRequest[]): Promise<IngestOutcome[]> {
  const locked = await db.query<{ last_event_id: number }>(
    'select last_event_id from organizations where org_id = $1 for update',
    [orgId],
  );
  if (!locked.rows.length) throw new Error(`No organization ${orgId}.`);
  const remembered = await rememberedKeys(db, orgId, requests);
  /** The answer remembered for this request's key, if any (its own `now` decides expiry). */
  const answered = (idem: IngestOptions['idempotency']): Remembered | undefined => {
    const seen = idem && remembered.get(idem.key);
    return seen && seen.createdAt > idem.now - LIMITS.idempotencyMs ? seen : undefined;
  };
  // Entries the handler already refused (bad values) keep their place in the answer; a
  // replay classifies nothing, so a group of replays reads nothing more.
  const items = requests.flatMap((request) =>
    answered(request.options.idempotency) ? [] : request.entries.filter((entry): entry is IngestItem => !('error' in entry)),
  );
  const source = await classificationSource(db, orgId, items);
  let lastId = locked.rows[0]!.last_event_id;
  const stored: StoredEvent[] = [];
  const remember: { key: string; hash: string; now: number; results: IngestResult[] }[] = [];
  const outcomes = requests.map(({ entries, options }): IngestOutcome => {
    const idem = options.idempotency;
    const seen = answered(idem);
    if (seen) return seen.hash === idem!.requestHash ? { kind: 'replayed', results: seen.results } : { kind: 'conflict' };
    const classified = classifyEntries(source, entries, lastId + 1, (event) => stored.push(event));
    lastId = classified.nextId - 1;
    const { results } = classified;
    if (idem) {
      // A later request of the group with the same key replays these.
      remembered.set(idem.key, { hash: idem.requestHash, results, createdAt: idem.now });
      remember.push({ key: idem.key, hash: idem.requestHash, now: idem.now, results });
    }
    return { kind: 'stored', results };
  });
  if (stored.length) await writeEvents(db, orgId, stored, lastId);
  if (remember.length) {
    // `on conflict`: a key past its 24 hours for this request, not yet deleted.
    await db.query(
      `insert into idempotency_keys (org_id, key, request_hash, created_at, results)
       select $1, * from unnest($2::text[], $3::text[], $4::timestamptz[], $5::json[])
       on conflict (org_id, key) do update set request_hash = excluded.request_hash, created_at = excluded.created_at, results = excluded.results`,
      [
        orgId,
        remember.map((row) => row.key),
        remember.map((row) => row.hash),
        remember.map((row) => toTimestamp(row.now)),
        remember.map((row) => JSON.stringify(row.results)),
      ],
    );
  }
  return outcomes;
}

/**
 * What classification reads for `items`, in one statement (one round trip): the
 * organization's limits, the items' users and their limits, and the windows
 * (`windowReads`), each as a JSON column. No items, no reads.
 */
async function classificationSource(db: Queryable, orgId: string, items: readonly IngestItem[]): Promise<ClassifierSource> {
  const windows = new UsageWindows();
  if (!items.length) return { windows, organizationLimits: [], userLimits: () => undefined };
  const params = new Params();
  const org = params.add(orgId);
  const userIds = params.add([...new Set(items.map((item) => item.userId))]);
  const reads = windowReads(orgId, items, params);
  const columns = [
    `${jsonRows(`select * from org_limits where org_id = ${org}`, `${epochMs('effective_from')}, weekly_token_limit, storage_limit, surplus_capacity_tokens, surplus_capacity_storage, surplus_capacity_ocr`, ' order by effective_from')} as org_limits`,
    `${jsonRows(`select user_id from users where org_id = ${org} and user_id = any(${userIds}::text[])`, 'user_id')} as users`,
    `${jsonRows(`select * from user_limits where org_id = ${org} and user_id = any(${userIds}::text[])`, `user_id, resource_type, ${epochMs('effective_from')}, base_per_4h, surplus_per_4h`, ' order by effective_from')} as user_limits`,
    ...reads.flatMap((read) => read.columns),
  ];
  const { rows } = await db.query<Record<string, unknown[]>>(`select ${columns.join(',\n  ')}`, params.values);
  const row = rows[0]!;
  for (const read of reads) read.load(row, windows);
  const limitsByUser = new Map<string, UserLimits[]>((row.users as [string][]).map(([userId]) => [userId, []]));
  for (const [userId, type, effectiveFrom, basePer4h, surplusPer4h] of row.user_limits as [string, number, number, number, number][]) {
    limitsByUser.get(userId)?.push({ resourceType: resourceTypes.name(type), effectiveFrom, basePer4h, surplusPer4h });
  }
  const organizationLimits = (row.org_limits as number[][]).map(([effectiveFrom, weeklyTokenLimit, storageLimit, tokens, storage, ocr]) => ({
    effectiveFrom: effectiveFrom!,
    weeklyTokenLimit: weeklyTokenLimit!,
    storageLimit: storageLimit!,
    surplusCapacity: { tokens: tokens!, storage: storage!, ocr: ocr! },
  }));
  return { windows, organizationLimits, userLimits: (userId: string) => limitsByUser.get(userId) };
}

/** The group's Idempotency-Keys as stored, after deleting those past every request's 24 hours. */
async function rememberedKeys(db: Queryable, orgId: string, requests: readonly IngestRequest[]): Promise<Map<string, Remembered>> {
  const remembered = new Map<string, Remembered>();
  const keyed = requests.flatMap((request) => (request.options.idempotency ? [request.options.idempotency] : []));
  if (!keyed.length) return remembered;
  const earliest = Math.min(...keyed.map((idem) => idem.now));
  await db.query('delete from idempotency_keys where org_id = $1 and created_at <= $2', [
    orgId,
    toTimestamp(earliest - LIMITS.idempotencyMs),
  ]);
  const found = await db.query<{ key: string; request_hash: string; results: IngestResult[]; created_at: Date }>(
    'select key, request_hash, results, created_at from idempotency_keys where org_id = $1 and key = any($2::text[])',
    [orgId, [...new Set(keyed.map((idem) => idem.key))]],
  );
  for (const row of found.rows) {
    remembered.set(row.key, { hash: row.request_hash, results: row.results, createdAt: row.created_at.getTime() });
  }
  return remembered;
}
