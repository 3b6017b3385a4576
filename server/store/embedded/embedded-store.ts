/**
 * The embedded store: one SQLite file through better-sqlite3 (WAL, synchronous calls),
 * the default of `npm start`. Pages are index range scans in the contract's order (an
 * index per sort column, each ending in created and the rowid id); charts and the surplus
 * series read hourly and per-minute rollups kept in the ingest transaction, with events
 * only at the partial edges (aggregates.ts); ingest classifies with the domain over
 * windows cached between batches (ingest.ts). One process writes the file; readers in
 * other processes see committed data.
 */
import Database from 'better-sqlite3';
import { IO_TYPES, POOL_CATEGORIES, RESOURCE_TYPES, type EventSortColumn, type GroupBy, type ResourceType } from '../../../src/api/contract.js';
import type {
  BucketSum,
  EndpointUse,
  EventOrder,
  EventPageRequest,
  IngestItem,
  IngestOptions,
  IngestOutcome,
  IngestRefusal,
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
import { compareCodePoints } from '../../../src/api/contract.js';
import * as aggregates from './aggregates.js';
import { BACKSTOP_PAGES, Checkpointer, type CheckpointRun } from './checkpointer.js';
import { Ingester, toOrganizationLimits, toUserLimits, type UserLimitRow } from './ingest.js';
import { freeIdBase, ID_BLOCK, migrate } from './schema.js';
import { ReadWorker } from './read-worker.js';
import { toUser, type UserRow } from '../shared/rows.js';
import { EVENT_FILTER_COLUMNS, SORT_COLUMN, rollupFor } from '../shared/sql-plan.js';
import {
  EVENT_COLUMNS,
  NamedParams,
  amountRangeIndex,
  conditions,
  ioTypes,
  orderBy,
  poolCategories,
  resourceTypes,
  timeRange,
  toEvent,
  type EventRow,
} from './sql.js';

const ITERATE_BATCH = 1_000;
/** A count that may walk more matches than this (a page's total: 100,001) runs in the read worker. */
const COUNT_ON_THREAD = 100_001;
/** Pages ending within this many rows try the sort's own index first. */
const EARLY_PAGE_ROWS = 1_000;
/**
 * A page read that skips more rows than this (a deep page) takes its ids from the read
 * worker (`#pageRows`): page 1,900 of 500 sorted by user walks 950,000 index entries, about
 * 200 ms of this thread per request, and 50 such requests at once held every other request
 * (a static file included) for 10 s.
 */
const SKIP_ON_THREAD = 1_000;
/** How many events of the range an early page reads along the sort's index at most. */
const EARLY_SCAN = 5_000;
const ALL_TYPES = RESOURCE_TYPES.map(resourceTypes.code);
const DAY = 86_400_000;
/**
 * The condition of the indexes of the events that drew surplus, per user and per endpoint
 * (schema.ts), code 0 being allocated: they serve only a query that states it, which one
 * filtered to hybrid or surplus does (a user's or an endpoint's surplus then reads those
 * events alone).
 */
const DRAWING = 'pool_category <> 0';
function drawingOnly(filter: StoreFilter): boolean {
  return Boolean(filter.poolCategories?.length) && !filter.poolCategories!.includes('allocated');
}
/**
 * The filter narrowed to one code of an enumerated sort column (null: no narrowing, for
 * a sort by time), or null when the filter excludes that code.
 */
function withSortCode(filter: StoreFilter, sort: EventSortColumn, code: number | null): StoreFilter | null {
  if (code === null) return filter;
  if (sort === 'resourceType') {
    const type = resourceTypes.name(code);
    return filter.resourceType === undefined || filter.resourceType === type ? { ...filter, resourceType: type } : null;
  }
  if (sort === 'poolCategory') {
    const pool = poolCategories.name(code);
    return !filter.poolCategories?.length || filter.poolCategories.includes(pool) ? { ...filter, poolCategories: [pool] } : null;
  }
  const io = ioTypes.name(code);
  return !filter.ioTypes?.length || filter.ioTypes.includes(io) ? { ...filter, ioTypes: [io] } : null;
}
/** Every code of the enumerated sort columns. */
const ENUM_CODES: Partial<Record<EventSortColumn, number[]>> = {
  resourceType: ALL_TYPES,
  poolCategory: POOL_CATEGORIES.map(poolCategories.code),
  ioType: IO_TYPES.map(ioTypes.code),
};
/** The index that reads the events of an organization in each sort's order (then created, then id). */
const SORT_INDEX: Record<EventSortColumn, string> = {
  created: 'events_created',
  userId: 'events_user',
  amount: 'events_amount',
  resourceType: 'events_type',
  poolCategory: 'events_pool',
  ioType: 'events_io',
  requestId: 'events_request',
  endpoint: 'events_endpoint',
};
/**
 * Up to this many events of a filter's pools or endpoints in the range, a page of it sorted
 * by amount is sorted from their index alone (`#coveredAmountPage`; about 0.2 µs each).
 */
const COVERED_SCAN = 200_000;
/** A filter matching fewer events than this is read whole and sorted (`#fewMatchesPage`). */
const FEW_MATCHES = 5_000;
/** Prepared statements kept per connection (queries differ by filter shape only). */
const STATEMENT_CACHE = 500;
/**
 * The writer's automatic checkpoint without the worker: every 10,000 pages (~40 MB)
 * instead of 1,000. A batch of ingest dirties thousands of pages, mostly the same ones as
 * the batch before (the newest leaves of each index and rollup), which a checkpoint then
 * copies once for many commits (ingest in batches of 1,000 into a 200k-event file: 12,400
 * → 17,700 events per CPU second, medians of three alternating runs, load 5–6).
 */
const WRITER_CHECKPOINT_PAGES = 10_000;

/**
 * How an events page was read (`queryEvents`): every match read and sorted (`few`), along
 * the sort's index (`early`), sorted by amount from a pool's or endpoint's index alone
 * (`covered`), code by code in time order (`codes`), or as SQLite's planner chose
 * (`planner`).
 */
export type PagePlan = 'few' | 'early' | 'covered' | 'codes' | 'planner';

export interface EmbeddedStoreOptions {
  /** The database file (created when missing), or ':memory:'. */
  file: string;
  /**
   * SQLite's page cache in MiB (default 128): with the node heap, the process's memory.
   * The operating system's file cache holds the rest of a hot file outside the process.
   */
  cacheMb?: number;
  /**
   * Memory-mapped reads in MiB (default 0: off). Mapped pages a query touches count in the
   * process's resident memory, so a large map breaks a memory budget on a large file.
   */
  mmapMb?: number;
  /**
   * Refresh the planner's statistics (`ANALYZE`) once this many events were stored since
   * the last refresh, or as many as the file held then if more (default 50,000): the
   * statistics follow the file as a seed fills it, then grow rare (each doubling).
   */
  analyzeAfter?: number;
  /**
   * Checkpoint the write-ahead log from a worker thread (default: true for a file, false
   * for ':memory:'), so that no commit waits for a checkpoint (checkpointer.ts).
   */
  checkpointInWorker?: boolean;
  /**
   * Run the long reads of ids (the sort of `iterateEvents`, a `countEvents` that may walk
   * more than 100,001 matches, a page that skips more than 1,000 rows) in a worker thread
   * on a connection of its own (default: true for a file, false for ':memory:'), so that
   * they never hold this thread (read-worker.ts). Started with the first such read.
   */
  exportInWorker?: boolean;
  /** How often the worker checkpoints, in ms (default 200). */
  checkpointEveryMs?: number;
  /**
   * The size in MiB the write-ahead log is cut back to when it starts over after a whole
   * checkpoint (default 64): a seed grows it to hundreds of MB, which otherwise stay on disk.
   */
  walLimitMb?: number;
  /** Called with each of the worker's checkpoints (tests, diagnostics). */
  onCheckpoint?: (run: CheckpointRun) => void;
  /**
   * The page reads' thresholds (tests: a few thousand events then take the paths that
   * millions take): how many events an early page reads along the sort's index (default
   * 5,000), and below how many matches a filter naming users or endpoints is read whole
   * and sorted (default 1,000).
   */
  pageTuning?: { earlyScan?: number; fewMatches?: number; onPlan?: (plan: PagePlan) => void };
}

export class EmbeddedStore implements Store {
  readonly db: Database.Database;
  readonly #ingester: Ingester;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #orgCodes = new Map<string, number>();
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #analyzeAfter: number;
  /** Events in the file at the last ANALYZE (from its statistics), and stored since. */
  #analyzedEvents = 0;
  #storedSinceAnalyze = 0;
  #checkpointer: Checkpointer | null = null;
  #readInWorker: boolean;
  #reader: ReadWorker | null = null;
  readonly #earlyScan: number;
  readonly #fewMatches: number;
  readonly #onPlan: ((plan: PagePlan) => void) | undefined;

  constructor(options: EmbeddedStoreOptions) {
    this.db = new Database(options.file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`cache_size = -${(options.cacheMb ?? 128) * 1024}`);
      this.db.pragma(`mmap_size = ${(options.mmapMb ?? 0) * 1024 * 1024}`);
      this.db.pragma('temp_store = MEMORY');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      this.db.pragma(`journal_size_limit = ${(options.walLimitMb ?? 64) * 1024 * 1024}`);
      migrate(this.db);
      this.db.pragma('optimize = 0x10002');
      this.#ingester = new Ingester(this.db);
      this.#analyzeAfter = options.analyzeAfter ?? 50_000;
      this.#earlyScan = options.pageTuning?.earlyScan ?? EARLY_SCAN;
      this.#fewMatches = options.pageTuning?.fewMatches ?? FEW_MATCHES;
      this.#onPlan = options.pageTuning?.onPlan;
      this.#analyzedEvents = this.#analyzedRows();
      if (options.checkpointInWorker ?? this.db.name !== ':memory:') this.#startCheckpointer(options);
      this.#readInWorker = options.exportInWorker ?? this.db.name !== ':memory:';
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** Checkpoints from a worker thread; the writer's own automatic checkpoint becomes a backstop. */
  #startCheckpointer(options: EmbeddedStoreOptions): void {
    this.#checkpointer = new Checkpointer({
      file: this.db.name,
      ...(options.checkpointEveryMs === undefined ? {} : { everyMs: options.checkpointEveryMs }),
      ...(options.onCheckpoint ? { onRun: options.onCheckpoint } : {}),
      onFailure: () => {
        this.#checkpointer = null;
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      },
    });
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE) this.#statements.delete(this.#statements.keys().next().value!);
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  readonly #query: aggregates.Query = <R>(sql: string, params: NamedParams): R[] => {
    const statement = this.#statement(sql);
    return (params.values.length ? statement.all(params.bind()) : statement.all()) as R[];
  };

  /** The chart sums' reads: short ones here, a sum over every event of its range in the read worker. */
  readonly #reads: aggregates.Reads = {
    query: this.#query,
    longText: (sql, params) =>
      this.#offThread(
        (reader) => reader.text(sql, params.bind()),
        () => String(this.#plucked(sql, (statement) => (params.values.length ? statement.get(params.bind()) : statement.get())) ?? ''),
      ),
  };

  /** The organization's row number in the file, or null. */
  #org(orgId: string): number | null {
    const known = this.#orgCodes.get(orgId);
    if (known !== undefined) return known;
    const row = this.#statement('SELECT org FROM organizations WHERE org_id = ?').get(orgId) as { org: number } | undefined;
    if (!row) return null;
    this.#orgCodes.set(orgId, row.org);
    return row.org;
  }

  #requireOrg(orgId: string): number {
    const org = this.#org(orgId);
    if (org === null) throw new Error(`No organization ${orgId}.`);
    return org;
  }

  async findToken(tokenHash: string): Promise<TokenGrant | null> {
    const row = this.#statement('SELECT org_id, scopes FROM tokens WHERE token_hash = ?').get(tokenHash) as
      | { org_id: string; scopes: string }
      | undefined;
    return row ? { orgId: row.org_id, scopes: JSON.parse(row.scopes) as TokenScope[] } : null;
  }

  async putOrganization(org: Organization): Promise<void> {
    if (this.#statement('UPDATE organizations SET name = ? WHERE org_id = ?').run(org.name, org.id).changes) return;
    // A new organization, with a block of ids of its own (chosen and taken in one synchronous step).
    this.#statement('INSERT INTO organizations (org_id, name, id_base) VALUES (?, ?, ?)').run(org.id, org.name, freeIdBase(this.db));
  }

  async getOrganization(orgId: string): Promise<Organization | null> {
    const row = this.#statement('SELECT name FROM organizations WHERE org_id = ?').get(orgId) as { name: string } | undefined;
    return row ? { id: orgId, name: row.name } : null;
  }

  async putToken(tokenHash: string, grant: TokenGrant): Promise<void> {
    this.#statement(
      'INSERT INTO tokens (token_hash, org_id, scopes) VALUES (?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET org_id = excluded.org_id, scopes = excluded.scopes',
    ).run(tokenHash, grant.orgId, JSON.stringify([...grant.scopes]));
  }

  async setOrganizationLimits(orgId: string, limits: OrganizationLimits): Promise<void> {
    const org = this.#requireOrg(orgId);
    this.#statement(
      `INSERT INTO org_limits (org, effective_from, weekly_token_limit, storage_limit, capacity_tokens, capacity_storage, capacity_ocr)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET weekly_token_limit = excluded.weekly_token_limit, storage_limit = excluded.storage_limit,
         capacity_tokens = excluded.capacity_tokens, capacity_storage = excluded.capacity_storage, capacity_ocr = excluded.capacity_ocr`,
    ).run(
      org,
      limits.effectiveFrom,
      limits.weeklyTokenLimit,
      limits.storageLimit,
      limits.surplusCapacity.tokens,
      limits.surplusCapacity.storage,
      limits.surplusCapacity.ocr,
    );
    this.#ingester.forgetLimits();
  }

  async putUsers(orgId: string, users: readonly User[]): Promise<void> {
    const org = this.#requireOrg(orgId);
    const upsert = this.#statement(
      `INSERT INTO users (org, user_id, name, email, search_id, search_name, search_email) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET name = excluded.name, email = excluded.email, search_name = excluded.search_name, search_email = excluded.search_email`,
    );
    this.db.transaction(() => {
      for (const u of users) {
        upsert.run(org, u.id, u.name ?? null, u.email ?? null, u.id.toLowerCase(), u.name?.toLowerCase() ?? null, u.email?.toLowerCase() ?? null);
      }
    })();
    this.#ingester.forgetLimits();
  }

  async setUserLimits(orgId: string, userId: string, limits: readonly UserLimits[]): Promise<void> {
    const org = this.#requireOrg(orgId);
    if (!(await this.getUser(orgId, userId))) throw new Error(`No user ${userId} in ${orgId}.`);
    const upsert = this.#statement(
      `INSERT INTO user_limits (org, user_id, resource_type, effective_from, base_per_4h, surplus_per_4h) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET base_per_4h = excluded.base_per_4h, surplus_per_4h = excluded.surplus_per_4h`,
    );
    this.db.transaction(() => {
      for (const l of limits) upsert.run(org, userId, resourceTypes.code(l.resourceType), l.effectiveFrom, l.basePer4h, l.surplusPer4h);
    })();
    this.#ingester.forgetLimits();
  }

  async organizationLimits(orgId: string): Promise<OrganizationLimits[]> {
    const org = this.#org(orgId);
    if (org === null) return [];
    return (this.#statement('SELECT * FROM org_limits WHERE org = ? ORDER BY effective_from').all(org) as Parameters<typeof toOrganizationLimits>[0][]).map(
      toOrganizationLimits,
    );
  }

  async userLimits(orgId: string, userId: string): Promise<UserLimits[]> {
    const org = this.#org(orgId);
    if (org === null) return [];
    const rows = this.#statement(
      'SELECT resource_type, effective_from, base_per_4h, surplus_per_4h FROM user_limits WHERE org = ? AND user_id = ? ORDER BY effective_from, resource_type',
    ).all(org, userId) as UserLimitRow[];
    return rows.map(toUserLimits);
  }

  async getUser(orgId: string, userId: string): Promise<User | null> {
    const org = this.#org(orgId);
    if (org === null) return null;
    const row = this.#statement('SELECT user_id, name, email FROM users WHERE org = ? AND user_id = ?').get(org, userId) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async listUsers(orgId: string, query: UsersQueryInput): Promise<{ items: User[]; total: number }> {
    const org = this.#org(orgId);
    if (org === null) return { items: [], total: 0 };
    const params = new NamedParams();
    const conditions = [`org = ${params.add(org)}`];
    if (query.ids?.length) conditions.push(`user_id IN (${query.ids.map((id) => params.add(id)).join(', ')})`);
    if (query.q) {
      const needle = params.add(query.q.toLowerCase());
      conditions.push(`(instr(search_id, ${needle}) > 0 OR instr(search_name, ${needle}) > 0 OR instr(search_email, ${needle}) > 0)`);
    }
    const where = conditions.join(' AND ');
    const [count] = this.#query<{ n: number }>(`SELECT count(*) AS n FROM users WHERE ${where}`, params);
    const items = this.#query<UserRow>(
      `SELECT user_id, name, email FROM users WHERE ${where} ORDER BY user_id LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset)}`,
      params,
    );
    return { items: items.map(toUser), total: count!.n };
  }

  async listEndpoints(orgId: string, query: { since: number; q?: string; limit: number; maxId: number }): Promise<EndpointUse[]> {
    const org = this.#org(orgId);
    if (org === null) return [];
    const needle = query.q?.toLowerCase() ?? '';
    return aggregates
      .endpointCounts(this.#query, org, query.since, query.maxId)
      .filter((use) => !needle || use.endpoint.toLowerCase().includes(needle))
      .sort((a, b) => b.events - a.events || compareCodePoints(a.endpoint, b.endpoint))
      .slice(0, query.limit);
  }

  async lastEventId(orgId: string): Promise<number> {
    const row = this.#statement('SELECT last_event_id FROM organizations WHERE org_id = ?').get(orgId) as { last_event_id: number } | undefined;
    return row?.last_event_id ?? 0;
  }

  #where(org: number, filter: StoreFilter, params: NamedParams): string {
    const where = conditions(org, filter, params, { time: 'created', maxId: true, columns: EVENT_FILTER_COLUMNS });
    return drawingOnly(filter) ? `${where} AND ${DRAWING}` : where;
  }

  async queryEvents(orgId: string, filter: StoreFilter, page: EventPageRequest): Promise<StoredEvent[]> {
    const org = this.#org(orgId);
    if (org === null) return [];
    const few = this.#fewMatchesPage(org, filter, page);
    if (few) return this.#planned('few', few);
    // Sorted by endpoint, the endpoints holding the filter's events are named first: one
    // early page along them instead of a first one through endpoints that hold none. Sorted
    // by amount, named endpoints get their one type first: the early page then reads that
    // type's amounts, not every type's (storage's, largest, before an OCR endpoint's).
    const narrowFirst = page.sort === 'endpoint' ? !filter.endpoints?.length : page.sort === 'amount' && Boolean(filter.endpoints?.length);
    if (narrowFirst) filter = this.#narrowed(org, filter, page) ?? filter;
    let early = this.#earlyPage(org, filter, page);
    if (early) return this.#planned('early', early);
    const narrowed = narrowFirst ? null : this.#narrowed(org, filter, page);
    if (narrowed) {
      // The same events, and a filter the early page reads along narrower index ranges.
      filter = narrowed;
      early = this.#earlyPage(org, filter, page);
      if (early) return this.#planned('early', early);
    }
    const covered = await this.#coveredAmountPage(org, filter, page);
    if (covered) return this.#planned('covered', covered);
    const byCodes = await this.#pageByCodes(org, filter, page);
    if (byCodes) return this.#planned('codes', byCodes);
    const params = new NamedParams();
    const rows = await this.#pageRows(
      `FROM events WHERE ${this.#where(org, filter, params)} ${orderBy(page)} LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}`,
      params,
      page.offset,
    );
    return this.#planned('planner', rows);
  }

  /**
   * The rows of a page's read, `SELECT <the event's columns> ${from}` (`from`: the rest of
   * the statement, its LIMIT and OFFSET included), skipping `skip` rows: on this thread, or
   * past `SKIP_ON_THREAD` as ids from the read worker (the same statement's order and plan,
   * on its own connection), then the page's rows by id here.
   */
  async #pageRows(from: string, params: NamedParams, skip: number): Promise<EventRow[]> {
    if (skip <= SKIP_ON_THREAD) return this.#query<EventRow>(`SELECT ${EVENT_COLUMNS} ${from}`, params);
    return this.#rowsById(await this.#column(`SELECT id ${from}`, params));
  }

  /** The rows of these event ids, in their order. */
  #rowsById(ids: Float64Array): EventRow[] {
    if (ids.length === 0) return [];
    return this.#statement(
      `SELECT ${EVENT_COLUMNS} FROM (SELECT key AS position, value AS wanted FROM json_each(?)) CROSS JOIN events ON id = wanted ORDER BY position`,
    ).all(JSON.stringify(Array.from(ids))) as EventRow[];
  }

  #planned(plan: PagePlan, rows: EventRow[]): StoredEvent[] {
    this.#onPlan?.(plan);
    return rows.map(toEvent);
  }

  /**
   * The page of a filter naming endpoints or users, sorted by another column, when it
   * matches fewer than `FEW_MATCHES` events: all of them read through the filter's own
   * index (a MATERIALIZED set, so the planner chooses for the filter alone), then sorted.
   * Else null. An early page would read 5,000 events along the sort's index, each a row
   * looked up, to find a handful (an OCR endpoint's hybrid output sorted by user), and the
   * planner, given the ORDER BY, may walk the sort's index over the whole range.
   */
  #fewMatchesPage(org: number, filter: StoreFilter, page: EventPageRequest): EventRow[] | null {
    const named = (filter.endpoints?.length && page.sort !== 'endpoint') || (filter.userIds?.length && page.sort !== 'userId');
    if (!named || filter.requestId !== undefined) return null;
    const counted = new NamedParams();
    const [count] = this.#query<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE ${this.#where(org, filter, counted)} LIMIT ${counted.add(this.#fewMatches)})`,
      counted,
    );
    if (count!.n >= this.#fewMatches) return null;
    const params = new NamedParams();
    return this.#query<EventRow>(
      `WITH matches AS MATERIALIZED (SELECT ${EVENT_COLUMNS} FROM events WHERE ${this.#where(org, filter, params)}) ` +
        `SELECT * FROM matches ${orderBy(page)} LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}`,
      params,
    );
  }

  /**
   * The same filter, narrowed by what the daily endpoint rollup (it holds every event)
   * says of the range, or null. An endpoint serves one type: with endpoints and no type,
   * their one type is added (sorted by amount or type, an endpoint's events come after,
   * or before, every other type's, which an early page along the sort index alone never
   * reaches); sorted by endpoint with a type, I/O types or pools and no endpoints, the
   * endpoints holding such events on the range's days are (the early page then reads only
   * those along the endpoint index, not the events of an endpoint holding none: an
   * input-only endpoint first in an output filter sorted by endpoint desc), and so they
   * are for any other filter sorted by endpoint: each named endpoint's range of time is
   * sought, where the index walked the first endpoint's events from its oldest (7 days
   * sorted by endpoint at 10M: the 440,000 events of the first endpoint before the range,
   * 45–68 ms).
   */
  #narrowed(org: number, filter: StoreFilter, page: EventOrder): StoreFilter | null {
    const byEndpoints = filter.endpoints?.length && filter.resourceType === undefined;
    const byType = page.sort === 'endpoint' && !filter.endpoints?.length;
    if (!byEndpoints && !byType) return null;
    const params = new NamedParams();
    const types = filter.resourceType ? [resourceTypes.code(filter.resourceType)] : ALL_TYPES;
    const from = filter.from === undefined ? null : Math.floor(filter.from / DAY) * DAY;
    let sql =
      `SELECT DISTINCT resource_type AS t, endpoint AS e FROM rollup_day_endpoint WHERE org = ${params.add(org)} ` +
      `AND resource_type IN (${types.map((code) => params.add(code)).join(', ')})${timeRange('day', from, filter.to ?? null, params)}`;
    if (filter.endpoints?.length) sql += ` AND endpoint IN (${filter.endpoints.map((endpoint) => params.add(endpoint)).join(', ')})`;
    if (filter.ioTypes?.length) sql += ` AND io_type IN (${filter.ioTypes.map((io) => params.add(ioTypes.code(io))).join(', ')})`;
    if (filter.poolCategories?.length) sql += ` AND pool_category IN (${filter.poolCategories.map((pool) => params.add(poolCategories.code(pool))).join(', ')})`;
    const rows = this.#query<{ t: number; e: string }>(sql, params);
    if (byType) return rows.length ? { ...filter, endpoints: [...new Set(rows.map((row) => row.e))] } : null;
    const found = new Set(rows.map((row) => row.t));
    return found.size === 1 ? { ...filter, resourceType: resourceTypes.name([...found][0]!) } : null;
  }

  /**
   * An early page read along the sort's own index: the first `EARLY_SCAN` events of the
   * range in the sort's order (index only), then the rest of the filter on those rows.
   * The matches among them are the first matches overall, so when there are enough, or
   * the range held no more, the page is exact; else null, and SQLite's planner decides
   * (it picks a filter's index and sorts, which is slow for a common value sorted by
   * another column: an endpoint by amount, a type's amount range by user).
   */
  #earlyPage(org: number, filter: StoreFilter, page: EventPageRequest): EventRow[] | null {
    if (page.offset + page.limit > EARLY_PAGE_ROWS || filter.requestId !== undefined) return null;
    const params = new NamedParams();
    const typed = page.sort === 'amount' && filter.resourceType !== undefined;
    const scanFilter: StoreFilter = { maxId: filter.maxId, from: filter.from, to: filter.to };
    if (typed) scanFilter.resourceType = filter.resourceType;
    // Along the amount's (or endpoint's) index, an amount range (or the endpoints) is where the scan reads.
    if (page.sort === 'amount') Object.assign(scanFilter, { amountMin: filter.amountMin, amountMax: filter.amountMax });
    if (page.sort === 'endpoint' && filter.endpoints?.length) scanFilter.endpoints = filter.endpoints;
    if (page.sort === 'userId' && filter.userIds?.length) scanFilter.userIds = filter.userIds;
    // Sorted by user, a filter to hybrid or surplus reads the users' events that drew surplus alone.
    const drawing = page.sort === 'userId' && drawingOnly(filter);
    const index = typed ? 'events_type_amount' : drawing ? 'events_user_drawing' : SORT_INDEX[page.sort];
    // An enumeration sorts as an IN over its codes, and a sort column the filter names as
    // an IN over those values, each a range of created in order; other columns keep
    // created off the index (`+created`), else SQLite skip-scans the range and sorts all
    // of it.
    const codes = page.sort === 'resourceType' && filter.resourceType ? [resourceTypes.code(filter.resourceType)] : ENUM_CODES[page.sort];
    const named = Boolean(scanFilter.endpoints ?? scanFilter.userIds);
    const time = page.sort === 'created' || codes || named ? 'created' : '+created';
    let where = conditions(org, scanFilter, params, { time, maxId: true, columns: EVENT_FILTER_COLUMNS });
    if (codes) where += ` AND ${SORT_COLUMN[page.sort]} IN (${codes.map((code) => params.add(code)).join(', ')})`;
    if (drawing) where += ` AND ${DRAWING}`;
    const scan = `SELECT id AS early_id FROM events INDEXED BY ${index} WHERE ${where} ${orderBy(page)} LIMIT ${params.add(this.#earlyScan)}`;
    const scanParams = params.values.length;
    const rows = this.#query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM (${scan}) CROSS JOIN events ON id = early_id ` +
        `WHERE ${this.#where(org, filter, params)} ${orderBy(page)} ` +
        `LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}`,
      params,
    );
    if (rows.length === page.limit) return rows;
    const scanOnly = new NamedParams();
    scanOnly.values.push(...params.values.slice(0, scanParams));
    const [scanned] = this.#query<{ n: number }>(`SELECT count(*) AS n FROM (${scan})`, scanOnly);
    return scanned!.n < this.#earlyScan ? rows : null;
  }

  /**
   * A page sorted by amount of a filter to pool categories or endpoints whose events in the
   * range are at most `COVERED_SCAN` (the rollups' count): their ids read from the pool's or
   * the endpoint's index alone (it carries every column such a filter can name, and the
   * amount; schema version 9) and sorted, then the page's rows looked up. Else null. The
   * early page cannot fill such a page when the filter's events lie far along the amount
   * index (hybrid events are large, an OCR endpoint's receipts are one page each), and the
   * planner then looked up each match's row to sort them (86,000 hybrid events over 90
   * days at 10M: about 200 ms, against 15–20 ms so).
   */
  async #coveredAmountPage(org: number, filter: StoreFilter, page: EventPageRequest): Promise<EventRow[] | null> {
    if (page.sort !== 'amount' || filter.userIds?.length || filter.requestId !== undefined) return null;
    const scope = { maxId: filter.maxId, from: filter.from, to: filter.to };
    const scans: [index: string, entries: number][] = [];
    if (filter.endpoints?.length) scans.push(['events_endpoint', aggregates.countByRollups(this.#query, org, { ...scope, endpoints: filter.endpoints }) ?? Infinity]);
    if (filter.poolCategories?.length) {
      scans.push(['events_pool', aggregates.countByRollups(this.#query, org, { ...scope, poolCategories: filter.poolCategories }) ?? Infinity]);
    }
    const [scan] = scans.sort((a, b) => a[1] - b[1]);
    if (!scan || scan[1] > COVERED_SCAN) return null;
    const params = new NamedParams();
    const ids =
      `SELECT id AS page_id FROM events INDEXED BY ${scan[0]} WHERE ${this.#where(org, filter, params)} ${orderBy(page)} ` +
      `LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}`;
    if (page.offset > SKIP_ON_THREAD) return this.#rowsById(await this.#column(ids, params));
    return this.#query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM (${ids}) CROSS JOIN events ON id = page_id ${orderBy(page)}`, params);
  }

  /**
   * A page sorted by time or by an enumeration (type, pool, I/O type) that the early page
   * could not fill, or a deep one: read code by code in the sort's order, each code then
   * an equality, so that its matches come in time order along whichever index the planner
   * takes and the read stops at the page's end. The rollups' daily event counts skip a
   * code that matches nothing in the range and, where they hold the whole filter (no
   * amount range; not users and endpoints together), skip whole codes and days before the
   * page and narrow the read to the days that hold it: a deep page skips within a day at
   * most. Else SQLite's planner read every match through the filter's index and sorted them
   * (a heavy user's 90 days sorted by pool: 0.5 s at 10M events; page 10,000 sorted by I/O
   * type, with other planner statistics: 11 s). Null when it does not apply.
   */
  async #pageByCodes(org: number, filter: StoreFilter, page: EventPageRequest): Promise<EventRow[] | null> {
    const codes = page.sort === 'created' ? [null] : ENUM_CODES[page.sort];
    if (!codes || filter.requestId !== undefined || filter.from === undefined || filter.to === undefined) return null;
    const exact = rollupFor(filter, null) !== null;
    // Where the rollups hold only part of the filter, their counts bound the matches from
    // above: they skip empty codes only, and the page is read from the start.
    if (!exact && page.offset + page.limit > EARLY_PAGE_ROWS) return null;
    const held: StoreFilter = { ...filter, amountMin: undefined, amountMax: undefined, endpoints: filter.userIds?.length ? undefined : filter.endpoints };
    let skip = exact ? page.offset : 0;
    const need = exact ? page.limit : page.offset + page.limit;
    const rows: EventRow[] = [];
    const desc = page.order === 'desc';
    // Codes are numbered in their names' order, which is the sort's.
    for (const code of [...codes].sort((a, b) => (desc ? b! - a! : a! - b!))) {
      const codeFilter = withSortCode(filter, page.sort, code);
      if (!codeFilter) continue;
      const days = aggregates.eventCountsByDay(this.#query, org, exact ? codeFilter : withSortCode(held, page.sort, code)!);
      if (!days) return null;
      const { counts, edges } = days;
      const total = counts.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      if (exact && skip >= total) {
        skip -= total;
        continue;
      }
      const wanted = need - rows.length;
      const read = { ...codeFilter };
      let offset = skip;
      if (exact) {
        // The days wholly before the page (in the sort's direction) are left out, then
        // the days after the ones that hold it.
        const n = counts.length;
        const day = (i: number): number => (desc ? n - 1 - i : i);
        let i = 0;
        for (; i < n && counts[day(i)]! <= offset; i++) offset -= counts[day(i)]!;
        if (i > 0) {
          if (desc) read.to = edges[n - i]!;
          else read.from = edges[i]!;
        }
        let inDays = 0;
        for (let j = i; j < n; j++) {
          inDays += counts[day(j)]!;
          if (inDays < offset + wanted) continue;
          if (desc) read.from = edges[day(j)]!;
          else read.to = edges[day(j) + 1]!;
          break;
        }
      }
      let found = await this.#readInTimeOrder(org, read, page.order, wanted, offset);
      const expected = exact ? Math.min(wanted, total - skip) : wanted;
      if (found.length < expected && (read.from !== codeFilter.from || read.to !== codeFilter.to)) {
        found = await this.#readInTimeOrder(org, codeFilter, page.order, wanted, skip);
      }
      rows.push(...found);
      skip = 0;
      if (rows.length >= need) break;
    }
    return exact ? rows.slice(0, need) : rows.slice(page.offset, need);
  }

  /** `limit` events of a filter in time order (then id), after `offset`. */
  #readInTimeOrder(org: number, filter: StoreFilter, order: 'asc' | 'desc', limit: number, offset = 0): Promise<EventRow[]> {
    const params = new NamedParams();
    return this.#pageRows(
      `FROM events WHERE ${this.#where(org, filter, params)} ${orderBy({ sort: 'created', order })} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
      params,
      offset,
    );
  }

  async countEvents(orgId: string, filter: StoreFilter, cap: number): Promise<number> {
    const org = this.#org(orgId);
    if (org === null) return 0;
    // From the rollups' event counts where they hold the filter: 2–6 ms at 10M events
    // whatever the count, where walking up to the cap of 100,001 matches took up to 70 ms.
    const counted = aggregates.countByRollups(this.#query, org, filter) ?? aggregates.countAmountRange(this.#query, org, filter);
    if (counted !== null) return Math.min(counted, cap);
    const params = new NamedParams();
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM events${amountRangeIndex(filter, 'count')} WHERE ${this.#where(org, filter, params)} LIMIT ${params.add(cap)})`;
    // An export's count (up to 1,000,001) walks in the read worker: users and endpoints
    // together, 540,000 matches at 950,000 events, took 460–690 ms on this thread.
    if (cap > COUNT_ON_THREAD) return (await this.#column(sql, params))[0]!;
    const [row] = this.#query<{ n: number }>(sql, params);
    return row!.n;
  }

  /**
   * The ids in order first (one sort, 8 bytes an event: the CSV stops at 1,000,000), in the
   * read worker for a file (read-worker.ts: at 950,000 events it took 360–700 ms, which on
   * this thread held every other request), then the events in batches by id, each a short
   * read of its own (a few ms), so other requests run between batches. (Paging by keyset
   * would make SQLite sort a range again per batch, or read many index entries per batch
   * along the sort's index for a filter it does not hold.)
   */
  async *iterateEvents(orgId: string, filter: StoreFilter, order: EventOrder): AsyncIterable<StoredEvent[]> {
    const org = this.#org(orgId);
    if (org === null) return;
    const params = new NamedParams();
    const ids = await this.#column(`SELECT id FROM events WHERE ${this.#where(org, filter, params)} ${orderBy(order)}`, params);
    for (let i = 0; i < ids.length; i += ITERATE_BATCH) yield this.#rowsById(ids.subarray(i, i + ITERATE_BATCH)).map(toEvent);
  }

  /**
   * The first column of a statement's rows (numbers), in its order: from the read worker,
   * or on this thread without one.
   */
  #column(sql: string, params: NamedParams): Promise<Float64Array> {
    return this.#offThread(
      (reader) => reader.column(sql, params.bind()),
      () => Float64Array.from(this.#plucked(sql, (statement) => statement.all(params.bind())) as number[]),
    );
  }

  /** A long read in the read worker, or on this thread without one (or once it failed). */
  async #offThread<T>(inWorker: (reader: ReadWorker) => Promise<T>, onThread: () => T): Promise<T> {
    if (this.#readInWorker && this.db.open) {
      this.#reader ??= new ReadWorker({ file: this.db.name });
      const reader = this.#reader;
      try {
        return await inWorker(reader);
      } catch (error) {
        // A worker that failed hands its reads back to this thread; a failing query fails here too.
        if (!reader.failed) throw error;
        this.#readInWorker = false;
        this.#reader = null;
      }
    }
    return onThread();
  }

  /** A read of a statement's first column, plucked for this read only (a page's count shares the export's count statement). */
  #plucked<T>(sql: string, read: (statement: Database.Statement) => T): T {
    const statement = this.#statement(sql);
    try {
      return read(statement.pluck(true));
    } finally {
      statement.pluck(false);
    }
  }

  async sumByKey(orgId: string, filter: StoreFilter, groupBy: GroupBy): Promise<KeySum[]> {
    const org = this.#org(orgId);
    return org === null ? [] : aggregates.sumByKey(this.#reads, org, filter, groupBy);
  }

  async sumByBucket(
    orgId: string,
    filter: StoreFilter,
    edges: readonly number[],
    groupBy: GroupBy | null,
    keys: readonly string[] | null,
  ): Promise<BucketSum[]> {
    const org = this.#org(orgId);
    return org === null ? [] : aggregates.sumByBucket(this.#reads, org, filter, edges, groupBy, keys);
  }

  async drawnByMinute(orgId: string, resourceType: ResourceType, from: number, to: number, maxId: number): Promise<MinuteDrawn[]> {
    const org = this.#org(orgId);
    return org === null ? [] : aggregates.drawnByMinute(this.#query, org, resourceType, from, to, maxId);
  }

  async surplusBuckets(orgId: string, resourceType: ResourceType, edges: readonly number[], maxId: number): Promise<SurplusBucket[]> {
    const org = this.#org(orgId);
    if (org === null) return Array.from({ length: Math.max(0, edges.length - 1) }, () => ({ drawn: 0, usersOverBase: 0 }));
    return aggregates.surplusBuckets(this.#reads, org, resourceType, edges, maxId);
  }

  async eventsAfter(orgId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    const org = this.#org(orgId);
    if (org === null) return [];
    const rows = this.#afterRanges(afterId).flatMap(
      (range) => this.#statement(`SELECT ${EVENT_COLUMNS} FROM events NOT INDEXED WHERE ${range} ORDER BY id LIMIT @limit`).all({ after: afterId, org, limit, block: ID_BLOCK }) as EventRow[],
    );
    return rows.slice(0, limit).map(toEvent);
  }

  async countEventsAfter(orgId: string, afterId: number, cap: number): Promise<number> {
    const org = this.#org(orgId);
    if (org === null) return 0;
    let n = 0;
    for (const range of this.#afterRanges(afterId)) {
      n += (this.#statement(`SELECT count(*) AS n FROM (SELECT 1 FROM events NOT INDEXED WHERE ${range} LIMIT @cap)`).get({ after: afterId, org, cap, block: ID_BLOCK }) as { n: number }).n;
    }
    return Math.min(n, cap);
  }

  /**
   * The rowid ranges of an organization's events after an id, in id order: those stored
   * before schema version 10 (the file's one sequence, below every block) when the id lies
   * there, then its own block up to its last id (a range open to the file's end would read
   * the blocks of the organizations after it).
   */
  #afterRanges(afterId: number): string[] {
    const own =
      'id > max(@after, (SELECT id_base FROM organizations WHERE org = @org)) AND id <= (SELECT last_event_id FROM organizations WHERE org = @org) AND org = @org';
    return afterId < ID_BLOCK ? ['id > @after AND id < @block AND org = @org', own] : [own];
  }

  watch(orgId: string, listener: () => void): () => void {
    let listeners = this.#listeners.get(orgId);
    if (!listeners) this.#listeners.set(orgId, (listeners = new Set()));
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async ingest(orgId: string, entries: readonly (IngestItem | IngestRefusal)[], options: IngestOptions = {}): Promise<IngestOutcome> {
    const { outcome, stored } = this.#ingester.ingest(orgId, entries, options);
    if (stored > 0) {
      this.#storedSinceAnalyze += stored;
      if (this.#storedSinceAnalyze >= Math.max(this.#analyzeAfter, this.#analyzedEvents)) this.#analyze();
      for (const listener of [...(this.#listeners.get(orgId) ?? [])]) listener();
    }
    return outcome;
  }

  /** Fresh statistics for the planner, and statements prepared against them. */
  #analyze(): void {
    this.db.pragma('analysis_limit = 0');
    this.db.exec('ANALYZE');
    this.#statements.clear();
    this.#analyzedEvents = this.#analyzedRows();
    this.#storedSinceAnalyze = 0;
  }

  /** The events the statistics counted (0 before any ANALYZE). */
  #analyzedRows(): number {
    const analyzed = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get();
    if (!analyzed) return 0;
    const stat = this.db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' AND idx = 'events_created'").pluck().get() as string | undefined;
    return stat ? Number.parseInt(stat, 10) : 0;
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    this.#readInWorker = false;
    await this.#checkpointer?.stop();
    this.#checkpointer = null;
    await this.#reader?.stop();
    this.#reader = null;
    if (!this.db.open) return;
    this.db.pragma('optimize');
    this.db.close();
  }
}
