/**
 * The PostgreSQL store (`pg`): the same contract as the memory and embedded stores, for
 * one large database shared by several stateless API processes. Every query filters by
 * organization first; events are partitioned by week; charts read hourly rollups kept in
 * the ingest transaction; the live stream of every process is woken by LISTEN/NOTIFY.
 */
import pg from 'pg';
import type { EventSortColumn, GroupBy, ResourceType } from '../../../src/api/contract.js';
import type {
  BucketSum,
  EndpointUse,
  EventOrder,
  EventPageRequest,
  IngestItem,
  IngestOptions,
  IngestRefusal,
  IngestOutcome,
  KeySum,
  MinuteDrawn,
  Organization,
  OrganizationLimits,
  Store,
  StoredEvent,
  StoreFilter,
  SurplusBucket,
  TokenGrant,
  TokenScope,
  User,
  UserLimits,
  UsersQueryInput,
} from '../types.js';
import { IO_TYPES, POOL_CATEGORIES, RESOURCE_TYPES, compareCodePoints } from '../../../src/api/contract.js';
import { amountBucketEnd } from '../shared/amount-buckets.js';
import * as aggregates from './aggregates.js';
import { ingestInTransaction, type IngestRequest, toOrganizationLimits, toUserLimits, weekStart } from './ingest.js';
import { migrate } from './migrate.js';
import { IdPoller, Notifications } from './notifications.js';
import { DAY } from './slices.js';
import {
  EVENT_COLUMNS,
  EVENT_FILTER_COLUMNS,
  Params,
  SORT_COLUMN,
  ioTypes,
  poolCategories,
  resourceTypes,
  toEvent,
  toTimestamp,
  whereClause,
  type EventRow,
  type FilterParts,
} from './sql.js';

const WEEK = 7 * DAY;
/** Partitions are made this far ahead of now at start. */
const PARTITIONS_AHEAD = 4 * WEEK;
const ITERATE_BATCH = 1_000;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
/** At most this many entries go in one group transaction (a request larger alone goes alone). */
const GROUP_ENTRIES = 10_000;
/**
 * From this offset a page sorted by amount skips to its amount bucket (see
 * `deepAmountOffset`): the bucket counts cost a read of the range's daily and edge hourly
 * amount rollups (90 days at 10M: some 20,000 rows), about what walking this many index
 * entries costs.
 */
const DEEP_AMOUNT_OFFSET = 25_000;
/**
 * From this offset a page in time order (sorted by time, or by type, pool category, I/O
 * type or endpoint per value) starts at the hour that holds it (see `deepTimeOffset`): the counts cost
 * a few short reads of the daily and hourly rollups, about what walking this many entries
 * of an index costs, or fewer where each is a row read (an I/O type's, which has no index).
 */
const DEEP_TIME_OFFSET = 5_000;
/** SQLSTATE of "no partition of relation found for row". */
const NO_PARTITION = '23514';
/** SQLSTATE of a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';
/** Rows counted per step of a budgeted count. */
const COUNT_CHUNK = 10_000;
/** Connections in the pool by default (see `max`). */
const POOL_SIZE = 5;
/** An idle connection is closed after this long (see `idleTimeoutMillis`). */
const IDLE_TIMEOUT_MS = 10 * 60_000;

export interface PostgresStoreOptions {
  /** A `postgres://` URL. */
  connectionString: string;
  /**
   * Connections in the pool (default 5: the usual 2 × cores + 1 for a database server of 2
   * cores; raise it with the server's cores). More connections than the server has cores
   * to run them do not read faster, and each new one is slow at first (see
   * `idleTimeoutMillis`): at 10 million events, pages over 90 days read with 10
   * connections had a p95 of 80–90 ms, with 4 of 57–58 ms.
   */
  max?: number;
  /**
   * How long an idle connection stays open, in ms (default 10 minutes; 0: until `close`).
   * A new connection is slow at first: its server process loads the description of every
   * weekly partition and index a query plans over (a page read for five users over 90
   * days: about 280 ms on a new connection, 60 ms on one that has read it before), so
   * connections are kept rather than closed after pg's default 10 s of idleness, which
   * let a page that fans out over many connections meet new ones every time.
   */
  idleTimeoutMillis?: number;
  /** The instant partitions are made ahead of (default the clock). */
  now?: () => number;
  /**
   * A read replica (a hot standby): no migrations or partitions at start, every write
   * refused, and the live stream woken by polling the newest event id (a standby has no
   * LISTEN). Serves every read route; ingest goes to a store on the primary.
   */
  readOnly?: boolean;
  /**
   * A page whose narrowing filter matches at most this many events (by the daily rollups'
   * bound, or counted where none holds it) is read whole and sorted rather than read in
   * index order; beyond it the choice weighs the two reads (default 5,000; 0: never read
   * whole; see `queryEvents`).
   */
  sortWholeLimit?: number;
  /**
   * A page sorted by amount whose offset is at least this (default 25,000), under a filter
   * of a time range and a type alone, starts its read at the amount bucket that holds the
   * offset, counted from the amount rollups, instead of walking every entry before it
   * (see `queryEvents`).
   */
  deepAmountOffset?: number;
  /**
   * Told of each deep page sorted by amount that starts at its amount bucket: the bucket
   * and the offset left within the narrower read (for tests and benchmarks that need to
   * know the skip was taken).
   */
  onAmountSkip?: (skip: { bucket: number; offset: number }) => void;
  /**
   * A page whose offset is at least this (default 5,000), sorted by time or by type, pool
   * category, I/O type or endpoint, under a filter the rollups hold (not an amount range, a
   * request ID, or users and endpoints together; no users for a sort by endpoint), starts
   * its read at the value and then the hour that hold the offset, counted from the
   * rollups, instead of walking every entry before it (see `queryEvents`).
   */
  deepTimeOffset?: number;
  /**
   * Told of each deep page in time order that starts past some of its matches: the filter
   * it reads (one value, a narrower range) and the offset left (for tests and benchmarks).
   */
  onTimeSkip?: (skip: { filter: StoreFilter; offset: number }) => void;
}

/** int8 and numeric as numbers: every id, amount and sum stays below 2^53. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** A store connected and migrated: `await createPostgresStore({ connectionString })`. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const store = new PostgresStore(options);
  if (options.readOnly) return store;
  try {
    await migrate(store.pool);
    await store.ensurePartitions(options.now?.() ?? Date.now(), (options.now?.() ?? Date.now()) + PARTITIONS_AHEAD);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly #notifications: Notifications | IdPoller;
  readonly #readOnly: boolean;
  readonly #sortWholeLimit: number;
  readonly #deepAmountOffset: number;
  readonly #onAmountSkip: PostgresStoreOptions['onAmountSkip'];
  readonly #deepTimeOffset: number;
  readonly #onTimeSkip: PostgresStoreOptions['onTimeSkip'];
  /** Week starts whose partition is known to exist. */
  readonly #partitions = new Set<number>();
  /** Per organization whose ingest transaction runs: the requests waiting for the next. */
  readonly #waiting = new Map<string, PendingIngest[]>();

  constructor(options: PostgresStoreOptions) {
    const config: pg.ClientConfig = { connectionString: options.connectionString, types, options: '-c TimeZone=UTC' };
    this.pool = new pg.Pool({ ...config, max: options.max ?? POOL_SIZE, idleTimeoutMillis: options.idleTimeoutMillis ?? IDLE_TIMEOUT_MS });
    // An idle client's error (the server restarting) must not crash the process.
    this.pool.on('error', () => {});
    this.#readOnly = options.readOnly ?? false;
    this.#sortWholeLimit = options.sortWholeLimit ?? SORT_WHOLE_LIMIT;
    this.#deepAmountOffset = options.deepAmountOffset ?? DEEP_AMOUNT_OFFSET;
    this.#onAmountSkip = options.onAmountSkip;
    this.#deepTimeOffset = options.deepTimeOffset ?? DEEP_TIME_OFFSET;
    this.#onTimeSkip = options.onTimeSkip;
    this.#notifications = this.#readOnly ? new IdPoller(this.pool) : new Notifications(config);
  }

  #writable(): void {
    if (this.#readOnly) throw new Error('This PostgreSQL store is read-only (a replica): write through a store on the primary.');
  }

  async #rows<R>(sql: string, values: unknown[] = [], options: { arrays?: boolean } = {}): Promise<R[]> {
    const result = options.arrays ? await this.pool.query({ text: sql, values, rowMode: 'array' }) : await this.pool.query(sql, values);
    return result.rows as R[];
  }

  readonly #query: aggregates.Query = (sql, values, options) => this.#rows(sql, values, options);

  /** Makes the weekly partitions of `[from, to)` that this process has not seen yet. */
  async ensurePartitions(from: number, to: number): Promise<void> {
    this.#writable();
    const first = weekStart(from);
    let missing = false;
    for (let week = first; week < to; week += WEEK) if (!this.#partitions.has(week)) missing = true;
    if (!missing) return;
    await this.pool.query('select ensure_event_partitions($1, $2)', [toTimestamp(first), toTimestamp(to)]);
    for (let week = first; week < to; week += WEEK) this.#partitions.add(week);
  }

  /**
   * Retention: drops every weekly events partition that ends at or before `before`, with
   * the rollup rows of those weeks, and returns the dropped partitions' names. A week that
   * is still partly inside the kept range is kept whole.
   */
  async dropEventsBefore(before: number): Promise<string[]> {
    this.#writable();
    const rows = await this.#rows<{ name: string }>('select drop_events_before($1) as name', [toTimestamp(before)]);
    this.#partitions.clear();
    return rows.map((row) => row.name);
  }

  async findToken(tokenHash: string): Promise<TokenGrant | null> {
    const [row] = await this.#rows<{ org_id: string; scopes: string[] }>('select org_id, scopes from tokens where token_hash = $1', [tokenHash]);
    return row ? { orgId: row.org_id, scopes: row.scopes as TokenScope[] } : null;
  }

  async putOrganization(org: Organization): Promise<void> {
    this.#writable();
    await this.pool.query(
      'insert into organizations (org_id, name) values ($1, $2) on conflict (org_id) do update set name = excluded.name',
      [org.id, org.name],
    );
  }

  async getOrganization(orgId: string): Promise<Organization | null> {
    const [row] = await this.#rows<{ name: string }>('select name from organizations where org_id = $1', [orgId]);
    return row ? { id: orgId, name: row.name } : null;
  }

  async putToken(tokenHash: string, grant: TokenGrant): Promise<void> {
    this.#writable();
    await this.pool.query(
      'insert into tokens (token_hash, org_id, scopes) values ($1, $2, $3) on conflict (token_hash) do update set org_id = excluded.org_id, scopes = excluded.scopes',
      [tokenHash, grant.orgId, [...grant.scopes]],
    );
  }

  async #requireOrganization(orgId: string): Promise<void> {
    if (!(await this.getOrganization(orgId))) throw new Error(`No organization ${orgId}.`);
  }

  async setOrganizationLimits(orgId: string, limits: OrganizationLimits): Promise<void> {
    this.#writable();
    await this.#requireOrganization(orgId);
    await this.pool.query(
      `insert into org_limits (org_id, effective_from, weekly_token_limit, storage_limit, surplus_capacity_ocr, surplus_capacity_storage, surplus_capacity_tokens)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (org_id, effective_from) do update set weekly_token_limit = excluded.weekly_token_limit,
         storage_limit = excluded.storage_limit, surplus_capacity_ocr = excluded.surplus_capacity_ocr,
         surplus_capacity_storage = excluded.surplus_capacity_storage, surplus_capacity_tokens = excluded.surplus_capacity_tokens`,
      [
        orgId,
        toTimestamp(limits.effectiveFrom),
        limits.weeklyTokenLimit,
        limits.storageLimit,
        limits.surplusCapacity.ocr,
        limits.surplusCapacity.storage,
        limits.surplusCapacity.tokens,
      ],
    );
  }

  async putUsers(orgId: string, users: readonly User[]): Promise<void> {
    this.#writable();
    await this.#requireOrganization(orgId);
    if (!users.length) return;
    await this.pool.query(
      `insert into users (org_id, user_id, name, email, search_id, search_name, search_email)
       select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       on conflict (org_id, user_id) do update set name = excluded.name, email = excluded.email,
         search_name = excluded.search_name, search_email = excluded.search_email`,
      [
        orgId,
        users.map((u) => u.id),
        users.map((u) => u.name ?? null),
        users.map((u) => u.email ?? null),
        users.map((u) => u.id.toLowerCase()),
        users.map((u) => u.name?.toLowerCase() ?? null),
        users.map((u) => u.email?.toLowerCase() ?? null),
      ],
    );
  }

  async setUserLimits(orgId: string, userId: string, limits: readonly UserLimits[]): Promise<void> {
    this.#writable();
    if (!(await this.getUser(orgId, userId))) throw new Error(`No user ${userId} in ${orgId}.`);
    if (!limits.length) return;
    await this.pool.query(
      `insert into user_limits (org_id, user_id, resource_type, effective_from, base_per_4h, surplus_per_4h)
       select $1, $2, * from unnest($3::int2[], $4::timestamptz[], $5::int8[], $6::int8[])
       on conflict (org_id, user_id, resource_type, effective_from) do update
       set base_per_4h = excluded.base_per_4h, surplus_per_4h = excluded.surplus_per_4h`,
      [
        orgId,
        userId,
        limits.map((l) => resourceTypes.code(l.resourceType)),
        limits.map((l) => toTimestamp(l.effectiveFrom)),
        limits.map((l) => l.basePer4h),
        limits.map((l) => l.surplusPer4h),
      ],
    );
  }

  async organizationLimits(orgId: string): Promise<OrganizationLimits[]> {
    const rows = await this.#rows<Parameters<typeof toOrganizationLimits>[0]>(
      'select * from org_limits where org_id = $1 order by effective_from',
      [orgId],
    );
    return rows.map(toOrganizationLimits);
  }

  async userLimits(orgId: string, userId: string): Promise<UserLimits[]> {
    const rows = await this.#rows<Parameters<typeof toUserLimits>[0]>(
      'select * from user_limits where org_id = $1 and user_id = $2 order by effective_from, resource_type',
      [orgId, userId],
    );
    return rows.map(toUserLimits);
  }

  async getUser(orgId: string, userId: string): Promise<User | null> {
    const [row] = await this.#rows<UserRow>('select user_id, name, email from users where org_id = $1 and user_id = $2', [orgId, userId]);
    return row ? toUser(row) : null;
  }

  async listUsers(orgId: string, query: UsersQueryInput): Promise<{ items: User[]; total: number }> {
    const params = new Params();
    const conditions = [`org_id = ${params.add(orgId)}`];
    if (query.ids?.length) conditions.push(`user_id = any(${params.add(query.ids, 'text[]')})`);
    if (query.q) {
      const needle = params.add(query.q.toLowerCase());
      conditions.push(`(strpos(search_id, ${needle}) > 0 or strpos(search_name, ${needle}) > 0 or strpos(search_email, ${needle}) > 0)`);
    }
    const where = conditions.join(' and ');
    const whereValues = [...params.values];
    const [items, [count]] = await Promise.all([
      this.#rows<UserRow>(
        `select user_id, name, email from users where ${where} order by user_id limit ${params.add(query.limit)} offset ${params.add(query.offset)}`,
        params.values,
      ),
      this.#rows<{ n: number }>(`select count(*) as n from users where ${where}`, whereValues),
    ]);
    return { items: items.map(toUser), total: count!.n };
  }

  async listEndpoints(orgId: string, query: { since: number; q?: string; limit: number; maxId: number }): Promise<EndpointUse[]> {
    const counts = await aggregates.endpointCounts(this.#query, orgId, query.since, query.maxId);
    const needle = query.q?.toLowerCase() ?? '';
    return counts
      .filter((use) => !needle || use.endpoint.toLowerCase().includes(needle))
      .sort((a, b) => b.events - a.events || compareCodePoints(a.endpoint, b.endpoint))
      .slice(0, query.limit);
  }

  async lastEventId(orgId: string): Promise<number> {
    const [row] = await this.#rows<{ last_event_id: number }>('select last_event_id from organizations where org_id = $1', [orgId]);
    return row?.last_event_id ?? 0;
  }

  #select(orgId: string, filter: StoreFilter, params: Params): string {
    return `select ${EVENT_COLUMNS} from events where ${whereClause(orgId, filter, params, { time: 'created', maxId: true, columns: EVENT_FILTER_COLUMNS })}`;
  }

  /**
   * One page in two steps: the page's keys `(created, id)` from the sort column's index
   * alone (every sort index ends in `created, id`, so skipping to a deep page reads no
   * table rows when the filter is on indexed columns), then those rows. Where one index
   * read cannot come out in order — a sort by amount over every type (the amount index
   * leads with the type: different units), or a filter with several values — it merges
   * one ordered read per value (`branchFilters`).
   *
   * An ordered read filters as it goes, so a narrow filter on other columns (a rare
   * endpoint's hybrid outputs, sorted by request ID) would walk most of the index; the
   * planner cannot know how rare the combination is. So a narrowing filter's matches are
   * first bounded from the daily rollup that holds its columns (`estimateEvents`; where
   * none does, counted up to `sortWholeLimit` + 1 unless the sort's index tests every
   * column): at most `sortWholeLimit`, they are read through the filter's index and
   * sorted; up to `WHOLE_READ_LIMIT`, likewise unless the ordered read promises to pass
   * far fewer entries (`ORDERED_MARGIN`); beyond, an ordered read, or a whole read through
   * a pool or I/O index that holds the sort column (`coveredReadPays`).
   */
  async queryEvents(orgId: string, filter: StoreFilter, page: EventPageRequest): Promise<StoredEvent[]> {
    if (page.sort === 'amount' && page.offset >= this.#deepAmountOffset) {
      const skipped = await this.#skipToAmountBucket(orgId, filter, page);
      if (skipped === 'past the end') return [];
      if (skipped) ({ filter, page } = skipped);
    } else if (TIME_SKIP_SORTS.has(page.sort as EventSortColumn) && page.offset >= this.#deepTimeOffset) {
      const skipped = await this.#skipInTime(orgId, filter, page);
      if (skipped === 'past the end') return [];
      if (skipped) ({ filter, page } = skipped);
    }
    const narrowed = page.offset + page.limit <= EARLY_PAGE ? await this.#valueBranches(orgId, filter, page.sort as EventSortColumn) : null;
    if (narrowed?.length === 0) return [];
    if (narrowed?.length === 1) filter = narrowed[0]!;
    const params = new Params();
    const parts = { time: 'created', maxId: true, columns: EVENT_FILTER_COLUMNS };
    const order = orderBy(page);
    const limit = params.add(page.limit);
    const offset = params.add(page.offset);
    // Each value's filter split further where one of its lists still names several values
    // (the types of five users sorted by amount: one ordered read per type and user).
    const early = page.offset + page.limit <= EARLY_PAGE;
    const split = (narrowed ?? [filter]).flatMap((f) => branchFilters(f, page.sort as EventSortColumn, early));
    const windowed = await this.#windowed(orgId, narrowed && split.length > MAX_BRANCHES ? narrowed : split, page, early);
    const branches = windowed.map((read) => read.filter);
    const column = SORT_COLUMN[page.sort as EventSortColumn];
    const selected = column === 'created' ? 'created, id' : `created, id, ${column}`;
    let keys: string;
    /** Whether the filter's matches are better read whole and sorted than in index order. */
    const few = async (f: StoreFilter): Promise<boolean> => {
      if (!narrows(f) || this.#sortWholeLimit <= 0) return false;
      const estimate = await aggregates.estimateEvents(this.#query, orgId, f);
      if (estimate === null) {
        // No rollup bounds it (a user with an endpoint, an amount range): where the sort's
        // index tests every column, the ordered read needs no count first.
        if (sortIndexHolds(f, page.sort as EventSortColumn)) return false;
        return (await this.countEvents(orgId, f, this.#sortWholeLimit + 1)) <= this.#sortWholeLimit;
      }
      if (estimate <= this.#sortWholeLimit) return true;
      // Sorted by pool category or I/O type, one value's read is one in time order (no
      // index leads with those: see `branchFilters`).
      const sort = POOL_OR_IO_SORTS.has(page.sort as EventSortColumn) && inTimeOrder(f, page.sort as EventSortColumn) ? 'created' : (page.sort as EventSortColumn);
      if (sort === 'created' || estimate > WHOLE_READ_LIMIT) return coveredReadPays(f, sort, estimate);
      // An ordered read passes about walked / estimate entries per match (walked: the events
      // the sort's index holds under the filter's columns it tests, or under its key column
      // alone where it tests them all), a row read each where it cannot test one; the whole
      // read reads the estimate once. The ordered read is taken only where that promises it
      // twenty times cheaper (storage sorted by request ID, 5% of the range: 169 → 13 ms at
      // 10M), since columns go together (a user's surplus tokens are the larger amounts: in
      // amount order, walked past every smaller one; a user's surplus events sorted by pool,
      // in the weeks without any, past every surplus event of those weeks).
      const walked = await aggregates.estimateEvents(this.#query, orgId, walkedBySort(f, sort));
      // Where the sort's index tests every column of the filter, the ordered read passes
      // index entries only, while the whole read fetches each match's row (the filter's
      // index lacks the sort column): a smaller margin (one user's 30,000 events over 90
      // days sorted by request ID, read whole: 40 ms warm, 270–820 ms from disk).
      const margin = sortIndexHolds(f, sort) ? INDEX_ONLY_MARGIN : ORDERED_MARGIN;
      return walked === null || estimate * estimate <= margin * (page.offset + page.limit) * walked;
    };
    /** The sorted matches of one filter, read whole (materialized, so the filter picks its own index). */
    const sortedWhole = (f: StoreFilter, bound: string): string =>
      `with matching as materialized (select ${selected} from events where ${whereClause(orgId, f, params, parts)})
        select ${selected} from matching ${order} ${bound}`;
    // A single read narrowed to the days that hold its matches is read in order, as a
    // narrowed branch is (no estimate, no whole read over the full range).
    const single = windowed.length === 1 && windowed[0]!.inOrder;
    if (!single && (await few(filter))) {
      keys = `select created, id from (${sortedWhole(filter, `limit ${limit} offset ${offset}`)}) whole`;
    } else if (branches.length > 1) {
      const reach = params.add(page.offset + page.limit);
      // A branch that matches little (an OCR endpoint's storage events) would walk the
      // whole sort index looking for its first match: it too is read whole. A read narrowed
      // to the days that hold its matches is read in order (its first ones lie there).
      const reads = await Promise.all(
        windowed.map(async ({ filter: branch, inOrder }) =>
          !inOrder && (await few(branch))
            ? `(${sortedWhole(branch, `limit ${reach}`)})`
            : `(select ${selected} from events where ${whereClause(orgId, branch, params, parts)} ${order} limit ${reach})`,
        ),
      );
      keys = `select created, id from (${reads.join(' union all ')}) branches ${order} limit ${limit} offset ${offset}`;
    } else {
      keys = `select created, id from events where ${whereClause(orgId, branches[0] ?? filter, params, parts)} ${order} limit ${limit} offset ${offset}`;
    }
    const rows = await this.#rows<EventRow>(
      `select ${EVENT_COLUMNS} from events join (${keys}) page using (created, id) where org_id = ${params.add(orgId)} ${order}`,
      params.values,
    );
    return rows.map(toEvent);
  }

  /**
   * A deep page sorted by amount as the same page of a narrower read: the events of the
   * range per amount bucket (`aggregates.amountBucketCounts`, exact at `maxId`) say which
   * bucket holds the page's first event and how many come before that bucket in the
   * page's order; the read then starts at the bucket (an amount bound the amount index
   * seeks to) with the offset less those. Null where the amount rollups do not hold the
   * filter (any column but the time range and the type); 'past the end' when the offset
   * lies beyond every match.
   */
  async #skipToAmountBucket(
    orgId: string,
    filter: StoreFilter,
    page: EventPageRequest,
  ): Promise<{ filter: StoreFilter; page: EventPageRequest } | 'past the end' | null> {
    const counts = await aggregates.amountBucketCounts(this.#query, orgId, filter);
    if (!counts) return null;
    const descending = page.order === 'desc';
    if (descending) counts.reverse();
    let before = 0;
    for (const { bucket, events } of counts) {
      if (before + events > page.offset) {
        const bound: Partial<StoreFilter> = descending ? { amountMax: amountBucketEnd(bucket) - 1 } : { amountMin: bucket };
        this.#onAmountSkip?.({ bucket, offset: page.offset - before });
        return { filter: { ...filter, ...bound }, page: { ...page, offset: page.offset - before } };
      }
      before += events;
    }
    return 'past the end';
  }

  /**
   * A deep page in time order as the same page of a narrower read: sorted by type, pool
   * category, I/O type or endpoint, first the value that holds the page (each value's
   * matches counted exactly from the rollups, in the page's order; a page running on into
   * the next value is not narrowed), then, within it (or sorted by time), the whole hours at
   * the page's far end that hold at most the offset left (`aggregates.timeSkip`), whose
   * matches are counted exactly and the range cut to the rest. Null where the rollups do
   * not hold the filter or nothing is skipped; 'past the end' when the offset lies beyond
   * every match.
   */
  async #skipInTime(
    orgId: string,
    filter: StoreFilter,
    page: EventPageRequest,
  ): Promise<{ filter: StoreFilter; page: EventPageRequest } | 'past the end' | null> {
    if (!aggregates.rollupFor(filter, null)) return null;
    const sort = page.sort as EventSortColumn;
    const oldestFirst = page.order === 'asc';
    let offset = page.offset;
    // Sorted by a value the filter leaves open: the filter per value, with its matches.
    let values: { filter: StoreFilter; events: number }[] | null = null;
    if (sort === 'endpoint') {
      // From the endpoint rollups, which do not hold users.
      if (filter.userIds?.length) return null;
      if (filter.endpoints?.length !== 1) {
        const counts = await aggregates.countByEndpoint(this.#query, orgId, filter);
        values = counts.map(({ endpoint, events }) => ({ filter: { ...filter, endpoints: [endpoint] }, events }));
      }
    } else if (!inTimeOrder(filter, sort)) {
      const filters = valueFilters(filter, sort);
      const counts = await Promise.all(filters.map((value) => aggregates.countFromRollups(this.#query, orgId, value)));
      values = filters.map((value, i) => ({ filter: value, events: counts[i]! }));
    }
    if (values) {
      if (!oldestFirst) values.reverse();
      const index = values.findIndex(({ events }) => {
        if (offset < events) return true;
        offset -= events;
        return false;
      });
      if (index < 0) return 'past the end';
      // A page that runs on into the next value is read as it was (rare: one per value).
      if (index < values.length - 1 && offset + page.limit > values[index]!.events) return null;
      filter = values[index]!.filter;
    }
    const bound = await aggregates.timeSkip(this.#query, orgId, filter, offset, oldestFirst);
    if (bound !== null) {
      if (oldestFirst ? bound >= filter.to! : bound <= filter.from!) return 'past the end';
      const before = oldestFirst ? { ...filter, to: bound } : { ...filter, from: bound };
      offset -= (await aggregates.countFromRollups(this.#query, orgId, before))!;
      filter = oldestFirst ? { ...filter, from: bound } : { ...filter, to: bound };
    }
    if (offset === page.offset) return null;
    this.#onTimeSkip?.({ filter, offset });
    return { filter, page: { ...page, offset } };
  }

  /**
   * An early page's reads that come out in time order (sorted by time, or by a column the
   * read holds to one value) narrowed to the days that already hold the matches they need
   * (`aggregates.timeWindow`): each then plans over the weekly partitions of those days
   * rather than of the whole range, and is read in order (`inOrder`: its first matches lie
   * there, so reading it whole and sorting would only cost more). Five users over 90 days
   * sorted by pool, 15 reads over 14 partitions each, spent 30–80 ms planning; the heavy
   * users' pages lie in the last day or two.
   */
  async #windowed(orgId: string, reads: StoreFilter[], page: EventPageRequest, early: boolean): Promise<{ filter: StoreFilter; inOrder: boolean }[]> {
    if (!early) return reads.map((filter) => ({ filter, inOrder: false }));
    const sort = page.sort as EventSortColumn;
    const oldestFirst = page.order === 'asc';
    const need = page.offset + page.limit;
    return Promise.all(
      reads.map(async (read) => {
        if (!inTimeOrder(read, sort) || read.from === undefined || read.to === undefined) return { filter: read, inOrder: false };
        const bound = await aggregates.timeWindow(this.#query, orgId, read, need, oldestFirst);
        if (bound === null) return { filter: read, inOrder: false };
        const filter = oldestFirst ? { ...read, to: Math.min(read.to, bound) } : { ...read, from: Math.max(read.from, bound) };
        // Its first matches lie in those days: read in order, not whole (see `few`).
        return { filter, inOrder: true };
      }),
    );
  }

  /**
   * For an early page sorted by a column with few values per filter, one filter per value
   * that the daily endpoint rollup holds under the filter on the days its range touches (a
   * superset of the values with a match; none: nothing matches), or null when this does not
   * apply. An ordered read along the sort column's index walks the events of every value
   * before the first that matches: sorted by endpoint under a type, the endpoints without
   * that type (storage over 90 days: 1.1 s); sorted by type, pool category or I/O type
   * under an endpoint filter, the values that endpoint lacks (an OCR endpoint sorted by
   * type desc walked every token event: 1.1 s). One read per held value, merged, does not.
   * Sorted by amount with no type filter, under endpoints or users, the types they hold
   * (users' from rollup_user_hour): a type they lack was counted through the filter's index
   * before being skipped (an endpoint sorted by amount over 90 days: 0.55 s), or its whole
   * amount index walked. When every value of an enumeration is held, nothing is skipped and
   * this does not apply.
   */
  async #valueBranches(orgId: string, filter: StoreFilter, sort: EventSortColumn): Promise<StoreFilter[] | null> {
    // Sorted by amount (the index leads with the type) or by type, with no type filter.
    const byType = filter.resourceType === undefined && (sort === 'amount' || sort === 'resourceType');
    const byEndpoint = sort === 'endpoint' && filter.resourceType !== undefined && !filter.endpoints?.length;
    const underEndpoints =
      Boolean(filter.endpoints?.length) &&
      (byType || (sort === 'poolCategory' && !filter.poolCategories?.length) || (sort === 'ioType' && !filter.ioTypes?.length));
    const underUsers = !filter.endpoints?.length && Boolean(filter.userIds?.length) && sort === 'amount' && filter.resourceType === undefined;
    if (!byEndpoint && !underEndpoints && !underUsers) return null;
    const column = byType ? 'resource_type' : SORT_COLUMN[sort];
    const params = new Params();
    /** The rollup rows of the days the range touches (the day's start on or before `from`). */
    const touched = (column: string): string[] => [
      ...(filter.from === undefined ? [] : [`${column} >= ${params.add(toTimestamp(Math.floor(filter.from / DAY) * DAY), 'timestamptz')}`]),
      ...(filter.to === undefined ? [] : [`${column} < ${params.add(toTimestamp(filter.to), 'timestamptz')}`]),
    ];
    let sql: string;
    if (underUsers) {
      // The users' types from their hourly totals (user before hour in its key): one
      // probe per type, each stopping at its first row.
      const conditions = [`org_id = ${params.add(orgId)}`, 'resource_type = t', `user_id = any(${params.add(filter.userIds, 'text[]')})`, 'events > 0'];
      sql = `select t as value from unnest(${params.add(RESOURCE_TYPES.map(resourceTypes.code), 'int2[]')}) t
        where exists (select 1 from rollup_user_hour where ${[...conditions, ...touched('hour')].join(' and ')})`;
    } else {
      const held: Omit<StoreFilter, 'maxId'> = {
        resourceType: filter.resourceType,
        endpoints: filter.endpoints,
        poolCategories: filter.poolCategories,
        ioTypes: filter.ioTypes,
      };
      const conditions = [whereClause(orgId, held, params, { columns: ROLLUP_DAY_ENDPOINT_COLUMNS }), 'events > 0', ...touched('day')];
      sql = `select distinct ${column} as value from rollup_day_endpoint_type where ${conditions.join(' and ')}`;
    }
    const rows = await this.#rows<{ value: string | number }>(sql, params.values);
    if (rows.length > MAX_BRANCHES) return null;
    // Every value of an enumeration held: nothing to skip, and the one ordered read (or the
    // usual one per type for amount) costs less than a count and a read per value.
    const values = { resource_type: RESOURCE_TYPES.length, pool_category: POOL_CATEGORIES.length, io_type: IO_TYPES.length }[column];
    if (rows.length === values) return null;
    return rows.map(({ value }) => {
      if (column === 'resource_type') return { ...filter, resourceType: resourceTypes.name(value as number) };
      if (column === 'endpoint') return { ...filter, endpoints: [value as string] };
      if (column === 'pool_category') return { ...filter, poolCategories: [poolCategories.name(value as number)] };
      return { ...filter, ioTypes: [ioTypes.name(value as number)] };
    });
  }

  /** At most `cap`: from the rollups where they hold the filter, else counted up to it. */
  async countEvents(orgId: string, filter: StoreFilter, cap: number): Promise<number> {
    const counted = await aggregates.countFromRollups(this.#query, orgId, filter);
    if (counted !== null) return Math.min(counted, cap);
    const params = new Params();
    const where = whereClause(orgId, filter, params, { time: 'created', maxId: true, columns: EVENT_FILTER_COLUMNS });
    const [row] = await this.#rows<{ n: number }>(
      `select count(*) as n from (select 1 from events where ${where} limit ${params.add(cap)}) s`,
      params.values,
    );
    return row!.n;
  }

  /**
   * `countEvents` within a time budget, for the events page's `total`: counts in chunks
   * through a cursor and stops when `budgetMs` has passed (a chunk that overruns it is
   * cancelled by `statement_timeout`). `exact` false means `count` is a lower bound
   * (`totalIsExact: false`); the CSV's row limit keeps using the exact `countEvents`.
   */
  async countEventsWithin(orgId: string, filter: StoreFilter, cap: number, budgetMs: number): Promise<{ count: number; exact: boolean }> {
    const started = performance.now();
    const client = await this.pool.connect();
    let count = 0;
    let healthy = true;
    try {
      await client.query('begin read only');
      await client.query(`set local statement_timeout = ${Math.max(1, Math.ceil(budgetMs))}`);
      const params = new Params();
      const where = whereClause(orgId, filter, params, { time: 'created', maxId: true, columns: EVENT_FILTER_COLUMNS });
      await client.query(`declare events_count no scroll cursor for select 1 from events where ${where} limit ${params.add(cap)}`, params.values);
      for (;;) {
        const moved = (await client.query(`move forward ${COUNT_CHUNK} in events_count`)).rowCount ?? 0;
        count += moved;
        if (moved < COUNT_CHUNK) return { count, exact: true };
        if (performance.now() - started >= budgetMs) return { count, exact: false };
      }
    } catch (error) {
      if ((error as { code?: string }).code !== QUERY_CANCELED) {
        healthy = false;
        throw error;
      }
      return { count, exact: false };
    } finally {
      await client.query('rollback').catch(() => {
        healthy = false;
      });
      client.release(!healthy);
    }
  }

  /** A cursor in one transaction: one sort, then batches, whatever the order. */
  async *iterateEvents(orgId: string, filter: StoreFilter, order: EventOrder): AsyncIterable<StoredEvent[]> {
    const client = await this.pool.connect();
    let failed = false;
    try {
      await client.query('begin read only');
      const params = new Params();
      await client.query(`declare events_csv no scroll cursor for ${this.#select(orgId, filter, params)} ${orderBy(order)}`, params.values);
      for (;;) {
        const { rows } = await client.query<EventRow>(`fetch ${ITERATE_BATCH} from events_csv`);
        if (!rows.length) break;
        yield rows.map(toEvent);
        if (rows.length < ITERATE_BATCH) break;
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      await client.query('rollback').catch(() => {
        failed = true;
      });
      client.release(failed);
    }
  }

  sumByKey(orgId: string, filter: StoreFilter, groupBy: GroupBy): Promise<KeySum[]> {
    return aggregates.sumByKey(this.#query, orgId, filter, groupBy);
  }

  sumByBucket(
    orgId: string,
    filter: StoreFilter,
    edges: readonly number[],
    groupBy: GroupBy | null,
    keys: readonly string[] | null,
  ): Promise<BucketSum[]> {
    return aggregates.sumByBucket(this.#query, orgId, filter, edges, groupBy, keys);
  }

  drawnByMinute(orgId: string, resourceType: ResourceType, from: number, to: number, maxId: number): Promise<MinuteDrawn[]> {
    return aggregates.drawnByMinute(this.#query, orgId, resourceType, from, to, maxId);
  }

  surplusBuckets(orgId: string, resourceType: ResourceType, edges: readonly number[], maxId: number): Promise<SurplusBucket[]> {
    return aggregates.surplusBuckets(this.#query, orgId, resourceType, edges, maxId);
  }

  async eventsAfter(orgId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.#rows<EventRow>(
      `select ${EVENT_COLUMNS} from events where org_id = $1 and id > $2 order by id limit $3`,
      [orgId, afterId, limit],
    );
    return rows.map(toEvent);
  }

  async countEventsAfter(orgId: string, afterId: number, cap: number): Promise<number> {
    const [row] = await this.#rows<{ n: number }>(
      'select count(*) as n from (select 1 from events where org_id = $1 and id > $2 limit $3) s',
      [orgId, afterId, cap],
    );
    return row!.n;
  }

  watch(orgId: string, listener: () => void): () => void {
    return this.#notifications.watch(orgId, listener);
  }

  /**
   * Ingest. Requests for one organization that arrive while its transaction runs wait and
   * then go together, in arrival order, in the next one (group commit): the organization's
   * row lock serializes its ingest anyway, and one transaction per group pays the lock,
   * the reads classification needs, the statement and the commit once for all of them.
   * Each request's answer is what its own transaction would have given.
   */
  ingest(orgId: string, entries: readonly (IngestItem | IngestRefusal)[], options: IngestOptions = {}): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.#writable();
      const request: PendingIngest = { entries, options, resolve, reject };
      const waiting = this.#waiting.get(orgId);
      if (waiting) {
        waiting.push(request);
        return;
      }
      this.#waiting.set(orgId, [request]);
      void this.#drain(orgId);
    });
  }

  /** Runs the organization's groups until none waits. */
  async #drain(orgId: string): Promise<void> {
    const waiting = this.#waiting.get(orgId)!;
    while (waiting.length) {
      let count = 0;
      let taken = 0;
      while (taken < waiting.length && (taken === 0 || count + waiting[taken]!.entries.length <= GROUP_ENTRIES)) {
        count += waiting[taken]!.entries.length;
        taken++;
      }
      const group = waiting.splice(0, taken);
      try {
        const outcomes = await this.#ingestGroup(orgId, group);
        group.forEach((request, i) => request.resolve(outcomes[i]!));
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error);
        // One request's failure must not fail the others: each goes alone.
        else for (const request of group) await this.#ingestGroup(orgId, [request]).then(([outcome]) => request.resolve(outcome!), request.reject);
      }
    }
    this.#waiting.delete(orgId);
  }

  async #ingestGroup(orgId: string, group: readonly PendingIngest[]): Promise<IngestOutcome[]> {
    let first = Infinity;
    let last = -Infinity;
    for (const { entries } of group) {
      for (const entry of entries) {
        if ('error' in entry) continue;
        first = Math.min(first, entry.created);
        last = Math.max(last, entry.created);
      }
    }
    const any = first <= last;
    if (any) await this.ensurePartitions(first, last + 1);
    try {
      return await this.#ingestOnce(orgId, group);
    } catch (error) {
      // A partition this process knew of was dropped (retention) by another: make it again.
      if ((error as { code?: string }).code !== NO_PARTITION || !any) throw error;
      this.#partitions.clear();
      await this.ensurePartitions(first, last + 1);
      return this.#ingestOnce(orgId, group);
    }
  }

  async #ingestOnce(orgId: string, group: readonly IngestRequest[]): Promise<IngestOutcome[]> {
    const client = await this.pool.connect();
    let outcomes: IngestOutcome[];
    try {
      await client.query('begin');
      outcomes = await ingestInTransaction(client, orgId, group);
      await client.query(outcomes.some((outcome) => outcome.kind === 'stored') ? 'commit' : 'rollback');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      client.release();
      throw error;
    }
    client.release();
    if (outcomes.some((outcome) => outcome.kind === 'stored' && outcome.results.some((result) => !('error' in result)))) {
      this.#notifications.notify(orgId);
    }
    return outcomes;
  }

  async close(): Promise<void> {
    await this.#notifications.close();
    await this.pool.end();
  }
}

interface PendingIngest extends IngestRequest {
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

interface UserRow {
  user_id: string;
  name: string | null;
  email: string | null;
}

function toUser(row: UserRow): User {
  const user: User = { id: row.user_id };
  if (row.name !== null) user.name = row.name;
  if (row.email !== null) user.email = row.email;
  return user;
}

/** The default `sortWholeLimit`. */
const SORT_WHOLE_LIMIT = 5_000;

/**
 * The filter columns each sort's index holds (as key or `include` columns, schema versions
 * 9 and 12): an ordered read along it tests those in the index, read index-only. Sorted by
 * pool category, one value's read is in time order: the hybrid and surplus events' along
 * the partial pool index (which holds these), the allocated ones' along the primary key
 * (which holds none). Sorted by I/O type, along the primary key (no index leads with it).
 */
const SORT_INDEX_HOLDS: Record<EventSortColumn, ReadonlySet<FilterColumn>> = {
  created: new Set(),
  userId: new Set(['userIds', 'resourceType', 'amount', 'poolCategories', 'ioTypes']),
  amount: new Set(['resourceType', 'amount', 'poolCategories', 'ioTypes', 'userIds']),
  resourceType: new Set(['resourceType']),
  poolCategory: new Set(['poolCategories', 'resourceType', 'amount', 'ioTypes', 'userIds']),
  ioType: new Set(),
  requestId: new Set(['requestId', 'userIds']),
  endpoint: new Set(['endpoints', 'resourceType', 'amount', 'poolCategories', 'ioTypes', 'userIds']),
};

type FilterColumn = 'resourceType' | 'userIds' | 'endpoints' | 'poolCategories' | 'ioTypes' | 'amount' | 'requestId';

function filterColumns(filter: StoreFilter): FilterColumn[] {
  const columns: FilterColumn[] = [];
  if (filter.resourceType !== undefined) columns.push('resourceType');
  if (filter.userIds?.length) columns.push('userIds');
  if (filter.endpoints?.length) columns.push('endpoints');
  if (filter.poolCategories?.length) columns.push('poolCategories');
  if (filter.ioTypes?.length) columns.push('ioTypes');
  if (filter.amountMin !== undefined || filter.amountMax !== undefined) columns.push('amount');
  if (filter.requestId !== undefined) columns.push('requestId');
  return columns;
}

/** Whether a read sorted by `sort` comes out in time order: by time, or by a column it holds to one value. */
function inTimeOrder(filter: StoreFilter, sort: EventSortColumn): boolean {
  if (sort === 'created') return true;
  if (sort === 'resourceType') return filter.resourceType !== undefined;
  if (sort === 'poolCategory') return filter.poolCategories?.length === 1;
  if (sort === 'ioType') return filter.ioTypes?.length === 1;
  return false;
}

/** Whether the sort's index holds every column the filter names (never for a sort by time). */
function sortIndexHolds(filter: StoreFilter, sort: EventSortColumn): boolean {
  const holds = SORT_INDEX_HOLDS[sort];
  return sort !== 'created' && filterColumns(filter).every((column) => holds.has(column));
}

/** The filter column of each sort column. */
const SORT_FILTER_COLUMN: Record<EventSortColumn, FilterColumn | null> = {
  created: null,
  userId: 'userIds',
  amount: 'amount',
  resourceType: 'resourceType',
  poolCategory: 'poolCategories',
  ioType: 'ioTypes',
  requestId: 'requestId',
  endpoint: 'endpoints',
};

/** The filter's range and, of its other parts, those on `columns` that a rollup can hold. */
function restrictTo(filter: StoreFilter, columns: ReadonlySet<FilterColumn>): StoreFilter {
  const part: StoreFilter = { maxId: filter.maxId, from: filter.from, to: filter.to };
  if (columns.has('resourceType') && filter.resourceType !== undefined) part.resourceType = filter.resourceType;
  if (columns.has('userIds') && filter.userIds) part.userIds = filter.userIds;
  if (columns.has('endpoints') && filter.endpoints) part.endpoints = filter.endpoints;
  if (columns.has('poolCategories') && filter.poolCategories) part.poolCategories = filter.poolCategories;
  if (columns.has('ioTypes') && filter.ioTypes) part.ioTypes = filter.ioTypes;
  return part;
}

/**
 * The part of a filter an ordered read along the sort's index walks: where the index
 * tests every filter column, its key column's (the amount index's is the type); else the
 * columns it tests.
 */
function walkedBySort(filter: StoreFilter, sort: EventSortColumn): StoreFilter {
  if (!sortIndexHolds(filter, sort)) return restrictTo(filter, SORT_INDEX_HOLDS[sort]);
  const key = sort === 'amount' ? 'resourceType' : SORT_FILTER_COLUMN[sort];
  return restrictTo(filter, new Set(key ? [key] : []));
}

/** How much cheaper an ordered read must promise to be than a whole read (of up to `WHOLE_READ_LIMIT`) to be taken. */
const ORDERED_MARGIN = 20;
/** The same where the ordered read tests every filter column in the sort's index (index-only). */
const INDEX_ONLY_MARGIN = 2;

/** Up to this many matches (by the rollup estimate), a read may be made whole (see `queryEvents`). */
const WHOLE_READ_LIMIT = 50_000;
/** Up to this many, when the filter's own index (hybrid and surplus events', or users') holds the sort column too: read index-only. */
const COVERED_READ_LIMIT = 200_000;

/**
 * Whether a filter matching more than `WHOLE_READ_LIMIT` (by its estimate) whose sort's
 * index cannot test it is better read whole through its own index, which holds the sort
 * column too (read index-only, up to `COVERED_READ_LIMIT`), than along the sort's index,
 * where each entry passed is a row read: the partial pool index of hybrid and surplus
 * events (hybrid events sorted by user over 90 days at 10,000,000 events: 0.6 s), or the
 * users' index, which holds type, amount, pool category and I/O type (users' events
 * sorted by type). Never sorted by time: the filter's index is in order.
 */
function coveredReadPays(filter: StoreFilter, sort: EventSortColumn, estimate: number): boolean {
  if (sort === 'created' || estimate > COVERED_READ_LIMIT || sortIndexHolds(filter, sort)) return false;
  const drawing = Boolean(filter.poolCategories?.length) && !filter.poolCategories!.includes('allocated');
  const own = drawing ? SORT_INDEX_HOLDS.poolCategory : filter.userIds?.length ? SORT_INDEX_HOLDS.userId : null;
  const sortColumn = SORT_FILTER_COLUMN[sort];
  return own !== null && sortColumn !== null && [...filterColumns(filter), sortColumn].every((column) => own.has(column));
}

/** Whether a filter narrows the events beyond their time range. */
function narrows(filter: StoreFilter): boolean {
  return (
    filter.resourceType !== undefined ||
    Boolean(filter.userIds?.length || filter.endpoints?.length || filter.poolCategories?.length || filter.ioTypes?.length) ||
    filter.amountMin !== undefined ||
    filter.amountMax !== undefined ||
    filter.requestId !== undefined
  );
}

/** At most this many ordered reads are merged for one page. */
const MAX_BRANCHES = 20;

/** The columns of rollup_day_endpoint_type a filter can name. */
const ROLLUP_DAY_ENDPOINT_COLUMNS: FilterParts['columns'] = new Set(['endpoint', 'io_type', 'pool_category']);

/** A page ending within this many events is an early one, where merging reads pays. */
const EARLY_PAGE = 1_000;

/** The sorts whose deep pages can start at the value and hour that hold them (`PostgresStore#skipInTime`): one value's events are in time order. */
const TIME_SKIP_SORTS: ReadonlySet<EventSortColumn> = new Set(['created', 'resourceType', 'poolCategory', 'ioType', 'endpoint']);
/** The sorts no index reads in order: one read per value, each in time order. */
const POOL_OR_IO_SORTS: ReadonlySet<EventSortColumn> = new Set(['poolCategory', 'ioType']);

/**
 * The filter once per value of the sorted enumeration (type, pool category, I/O type)
 * that it allows (all, or those it lists), ascending by name (the values' codes).
 */
function valueFilters(filter: StoreFilter, sort: EventSortColumn): StoreFilter[] {
  /** Distinct, ascending by code. */
  const byCode = <T extends string>(values: readonly T[], codes: { code: (name: T) => number }): T[] =>
    [...new Set(values)].sort((a, b) => codes.code(a) - codes.code(b));
  if (sort === 'resourceType') {
    return byCode(filter.resourceType === undefined ? RESOURCE_TYPES : [filter.resourceType], resourceTypes).map((resourceType) => ({ ...filter, resourceType }));
  }
  if (sort === 'poolCategory') {
    return byCode(filter.poolCategories?.length ? filter.poolCategories : POOL_CATEGORIES, poolCategories).map((value) => ({ ...filter, poolCategories: [value] }));
  }
  if (sort === 'ioType') return byCode(filter.ioTypes?.length ? filter.ioTypes : IO_TYPES, ioTypes).map((value) => ({ ...filter, ioTypes: [value] }));
  return [filter];
}

/**
 * The filters whose ordered reads, merged, give the page. First by the sort column's
 * values where the filter leaves them open: per resource type for a sort by amount (the
 * amount index leads with the type: different units); per pool category or I/O type for a sort
 * by them (no index leads with them since schema version 12: each value's read is in time
 * order); and on an early page per resource type for a sort by type (its index is
 * `(org_id, value, created, id)`, so without the value the range's start bounds nothing
 * and a read walks the first week's entries before it; five users sorted by pool over 7
 * days at 10,000,000 events: 250 ms). Then each of those per value of the first list
 * filter with 2 to 20 values (PostgreSQL 15 reads `column = any(…)` out of index order).
 * At most `MAX_BRANCHES` reads: a split that would pass it is not made.
 */
function branchFilters(filter: StoreFilter, sort: EventSortColumn, early = false): StoreFilter[] {
  const bySort: StoreFilter[] =
    (sort === 'amount' && filter.resourceType === undefined) ||
    (early && sort === 'resourceType') ||
    POOL_OR_IO_SORTS.has(sort)
      ? valueFilters(filter, sort === 'amount' ? 'resourceType' : sort)
      : [filter];
  const byList = bySort.flatMap(splitByList);
  return byList.length <= MAX_BRANCHES ? byList : bySort;
}

/** One filter per value of the first list filter with 2 to 20 distinct values, else the filter. */
function splitByList(filter: StoreFilter): StoreFilter[] {
  for (const key of ['userIds', 'endpoints', 'poolCategories', 'ioTypes'] as const) {
    // A value repeated in the request must not read its rows twice.
    const values = [...new Set<string>(filter[key] ?? [])];
    if (values.length > 1 && values.length <= MAX_BRANCHES) return values.map((value) => ({ ...filter, [key]: [value] }));
  }
  return [filter];
}

/** `order by <column>, created, id`, all in the same direction. */
function orderBy(order: EventOrder): string {
  const direction = order.order === 'desc' ? 'desc' : 'asc';
  const column = SORT_COLUMN[order.sort as EventSortColumn];
  return column === 'created'
    ? `order by created ${direction}, id ${direction}`
    : `order by ${column} ${direction}, created ${direction}, id ${direction}`;
}
