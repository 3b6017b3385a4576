/**
 * Ingest for the embedded store, inside one write transaction (`BEGIN IMMEDIATE`: one
 * writer at a time, so classification against the shared pool is serialised and ids
 * become visible in id order): the Idempotency-Key check, classification by the domain's
 * `classifyEntries`, then the events, the rollups and the organization's last id.
 *
 * Classification reads rolling windows (a user's 4 hours, the pool's 4 hours, the
 * organization's 7 days). They are kept between batches in a `UsageWindows` per
 * organization, loaded once from the file (each event of the last hours, the per-minute
 * rollup before, whose minutes an edge of the 7 days reads one by one when it falls inside
 * them), then grown by every accepted event and pruned to the last day. The
 * cache is trusted only while the organization's `last_event_id` is the one it has seen
 * (another process writing the file makes it reload) and only for events no older than
 * its horizon (an older one reloads from there).
 */
import type Database from 'better-sqlite3';
import { LIMITS, type IoType, type PoolCategory } from '../../../src/api/contract.js';
import { classifyEntries } from '../../domain/classification.js';
import { UsageWindows } from '../../domain/windows.js';
import { DAY, HOUR } from '../postgres/slices.js';
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
import { ioTypes, poolCategories, resourceTypes } from './sql.js';
import { ID_BLOCK } from './schema.js';
import { amountBucket } from '../shared/amount-buckets.js';

const MINUTE = 60_000;
/** Ingest accepts `created` down to a day before now: the cache keeps that much. */
const KEEP = LIMITS.ingestPastMs;

interface WindowCache {
  windows: UsageWindows;
  /** The organization's last id the cache has seen. */
  lastId: number;
  /** Events created at or after this instant classify correctly against the cache. */
  validFrom: number;
  /** The newest `created` added. */
  newest: number;
}

interface LimitRow {
  effective_from: number;
  weekly_token_limit: number;
  storage_limit: number;
  capacity_tokens: number;
  capacity_storage: number;
  capacity_ocr: number;
}

export function toOrganizationLimits(row: LimitRow): OrganizationLimits {
  return {
    effectiveFrom: row.effective_from,
    weeklyTokenLimit: row.weekly_token_limit,
    storageLimit: row.storage_limit,
    surplusCapacity: { tokens: row.capacity_tokens, storage: row.capacity_storage, ocr: row.capacity_ocr },
  };
}

export interface UserLimitRow {
  resource_type: number;
  effective_from: number;
  base_per_4h: number;
  surplus_per_4h: number;
}

export function toUserLimits(row: UserLimitRow): UserLimits {
  return {
    resourceType: resourceTypes.name(row.resource_type),
    effectiveFrom: row.effective_from,
    basePer4h: row.base_per_4h,
    surplusPer4h: row.surplus_per_4h,
  };
}

/** A rollup key's columns from its three parts (`RollupSums`). */
type KeyColumns = (first: number, time: number, last: number | string) => (number | string)[];

/**
 * Sums per rollup key, accumulated over a batch, written with one upsert each. A key is
 * three parts: a small number (the type, or the type, I/O type and pool packed by
 * `packCodes`), a time, and a user, an endpoint, an amount bucket or 0, held in nested
 * maps: no string is built per event (joining the parts into one string key cost ingest
 * about 3 ms per 1,000 events, mostly turning times into text).
 */
class RollupSums {
  readonly #sums = new Map<number, Map<number, Map<number | string, number[]>>>();

  constructor(readonly columns: KeyColumns) {}

  /** Adds two or three sums (in the order of the rollup's upsert) to a key. */
  add(first: number, time: number, last: number | string, a: number, b: number, c?: number): void {
    let byTime = this.#sums.get(first);
    if (!byTime) this.#sums.set(first, (byTime = new Map()));
    let byLast = byTime.get(time);
    if (!byLast) byTime.set(time, (byLast = new Map()));
    const sums = byLast.get(last);
    if (!sums) byLast.set(last, c === undefined ? [a, b] : [a, b, c]);
    else {
      sums[0]! += a;
      sums[1]! += b;
      if (c !== undefined) sums[2]! += c;
    }
  }

  /** Each key's columns, then its sums. */
  *rows(): Iterable<(number | string)[]> {
    for (const [first, byTime] of this.#sums) {
      for (const [time, byLast] of byTime) for (const [last, sums] of byLast) yield [...this.columns(first, time, last), ...sums];
    }
  }
}

/** The type, I/O type and pool codes (below 4 each) as one number, and back. */
const packCodes = (type: number, io: number, pool: number): number => (type << 4) | (io << 2) | pool;
const typeOf = (packed: number): number => packed >> 4;
const ioOf = (packed: number): number => (packed >> 2) & 3;
const poolOf = (packed: number): number => packed & 3;

/** The prepared statements of ingest, made once per connection. */
class Statements {
  readonly orgRow;
  readonly setLastId;
  readonly orgLimits;
  readonly userExists;
  readonly userLimits;
  readonly forgetKeys;
  readonly findKey;
  readonly rememberKey;
  readonly insertEvent;
  readonly minute;
  readonly minuteDetail;
  readonly hour;
  readonly hourUser;
  readonly hourEndpoint;
  readonly day;
  readonly dayUser;
  readonly dayEndpoint;
  readonly hourUserTotal;
  readonly dayUserTotal;
  readonly hourAmount;
  readonly dayAmount;
  readonly recentEvents;
  readonly minutesBefore;
  readonly minuteEvents;

  constructor(db: Database.Database) {
    this.orgRow = db.prepare<[string], { org: number; last_event_id: number; id_base: number }>('SELECT org, last_event_id, id_base FROM organizations WHERE org_id = ?');
    this.setLastId = db.prepare<[number, number]>('UPDATE organizations SET last_event_id = ? WHERE org = ?');
    this.orgLimits = db.prepare<[number], LimitRow>('SELECT * FROM org_limits WHERE org = ? ORDER BY effective_from');
    this.userExists = db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM users WHERE org = ? AND user_id = ?');
    this.userLimits = db.prepare<[number, string], UserLimitRow>(
      'SELECT resource_type, effective_from, base_per_4h, surplus_per_4h FROM user_limits WHERE org = ? AND user_id = ? ORDER BY effective_from, resource_type',
    );
    this.forgetKeys = db.prepare<[number, number]>('DELETE FROM idempotency_keys WHERE org = ? AND created_at <= ?');
    this.findKey = db.prepare<[number, string], { request_hash: string; results: string }>(
      'SELECT request_hash, results FROM idempotency_keys WHERE org = ? AND key = ?',
    );
    this.rememberKey = db.prepare<[number, string, string, number, string]>(
      'INSERT INTO idempotency_keys (org, key, request_hash, created_at, results) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertEvent = db.prepare<[number, number, number, string, number, number, number, number, string, string, number]>(
      `INSERT INTO events (id, org, created, user_id, amount, resource_type, pool_category, io_type, request_id, endpoint, surplus_amount)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const upsert = (table: string, keys: string[], sums: string[]): Database.Statement =>
      db.prepare(
        `INSERT INTO ${table} (org, ${[...keys, ...sums].join(', ')}) VALUES (?${', ?'.repeat(keys.length + sums.length)}) ` +
          `ON CONFLICT DO UPDATE SET ${sums.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`,
      );
    this.minute = upsert('rollup_minute', ['resource_type', 'minute'], ['amount', 'drawn']);
    this.minuteDetail = upsert('rollup_minute_detail', ['resource_type', 'minute', 'io_type', 'pool_category'], ['amount', 'events']);
    this.hour = upsert('rollup_hour', ['resource_type', 'hour', 'io_type', 'pool_category'], ['amount', 'events']);
    this.hourUser = upsert('rollup_hour_user', ['resource_type', 'hour', 'user_id', 'io_type', 'pool_category'], ['amount', 'events', 'drawn']);
    this.hourEndpoint = upsert('rollup_hour_endpoint', ['resource_type', 'hour', 'endpoint', 'io_type', 'pool_category'], ['amount', 'events']);
    this.day = upsert('rollup_day', ['resource_type', 'day', 'io_type', 'pool_category'], ['amount', 'events']);
    this.dayUser = upsert('rollup_day_user', ['resource_type', 'day', 'user_id', 'io_type', 'pool_category'], ['amount', 'events', 'drawn']);
    this.dayEndpoint = upsert('rollup_day_endpoint', ['resource_type', 'day', 'endpoint', 'io_type', 'pool_category'], ['amount', 'events']);
    this.hourUserTotal = upsert('rollup_hour_user_total', ['resource_type', 'hour', 'user_id'], ['amount', 'events', 'drawn']);
    this.dayUserTotal = upsert('rollup_day_user_total', ['resource_type', 'user_id', 'day'], ['amount', 'events', 'drawn']);
    this.hourAmount = upsert('rollup_hour_amount', ['resource_type', 'hour', 'bucket'], ['amount', 'events']);
    this.dayAmount = upsert('rollup_day_amount', ['resource_type', 'day', 'bucket'], ['amount', 'events']);
    this.recentEvents = db.prepare<[number, number], { user_id: string; resource_type: number; created: number; amount: number; surplus_amount: number }>(
      'SELECT user_id, resource_type, created, amount, surplus_amount FROM events WHERE org = ? AND created >= ?',
    );
    this.minutesBefore = db.prepare<[number, number, number], { resource_type: number; minute: number; amount: number; drawn: number }>(
      'SELECT resource_type, minute, amount, drawn FROM rollup_minute WHERE org = ? AND minute >= ? AND minute < ?',
    );
    this.minuteEvents = db
      .prepare<[number, number, number, number], [number, number]>('SELECT created, amount FROM events WHERE org = ? AND resource_type = ? AND created >= ? AND created < ?')
      .raw();
  }
}

/** Ingest over one connection; holds the window caches of its organizations. */
export class Ingester {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  readonly #caches = new Map<number, WindowCache>();
  /**
   * Each organization's limits and its users' (undefined: no such user), read once and
   * kept while the file's `PRAGMA data_version` says no other connection wrote it and this
   * one changed no limits and no users (`forgetLimits`): reading them for a batch's 200
   * users cost about 1.6 ms per 1,000 events.
   */
  readonly #limits = new Map<number, { organization: OrganizationLimits[]; users: Map<string, UserLimits[] | undefined> }>();
  #dataVersion: number | null = null;
  readonly #readDataVersion;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#sql = new Statements(db);
    this.#readDataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** Forgets the caches (the file was changed behind them). */
  reset(): void {
    this.#caches.clear();
    this.forgetLimits();
  }

  /** Forgets the limits and users read (this connection changed them). */
  forgetLimits(): void {
    this.#limits.clear();
  }

  /** The organization's cached limits, fresh when another connection wrote the file since. */
  #limitsOf(org: number): { organization: OrganizationLimits[]; users: Map<string, UserLimits[] | undefined> } {
    const version = this.#readDataVersion.get()!;
    if (version !== this.#dataVersion) {
      this.#limits.clear();
      this.#dataVersion = version;
    }
    let limits = this.#limits.get(org);
    if (!limits) {
      limits = { organization: this.#sql.orgLimits.all(org).map(toOrganizationLimits), users: new Map() };
      this.#limits.set(org, limits);
    }
    return limits;
  }

  /** Windows that classify events created at or after `first` correctly. */
  #windows(org: number, lastId: number, first: number): WindowCache {
    const cached = this.#caches.get(org);
    if (cached && cached.lastId === lastId && first >= cached.validFrom) return cached;
    const windows = new UsageWindows((type, minute) => this.#sql.minuteEvents.all(org, resourceTypes.code(type), minute, minute + MINUTE));
    // Every event since a minute boundary at or before first − 4h, one by one; the
    // per-minute rollup for the 7 days before that (the pool and weekly windows).
    const eventsFrom = Math.floor((first - LIMITS.windowMs) / MINUTE) * MINUTE;
    // From the minute holding first − 7d (the 7 days' edge at first falls inside it).
    const minutesFrom = (Math.floor(first / MINUTE) - LIMITS.weekMs / MINUTE) * MINUTE;
    let newest = -Infinity;
    for (const row of this.#sql.minutesBefore.iterate(org, minutesFrom, eventsFrom)) {
      windows.addMinute(resourceTypes.name(row.resource_type), row.minute, row.amount, row.drawn);
    }
    for (const row of this.#sql.recentEvents.iterate(org, eventsFrom)) {
      windows.add(row.user_id, resourceTypes.name(row.resource_type), row.created, row.amount, row.surplus_amount);
      newest = Math.max(newest, row.created);
    }
    const cache: WindowCache = { windows, lastId, validFrom: first, newest };
    this.#caches.set(org, cache);
    return cache;
  }

  /** Keeps a day of windows behind the newest event (what ingest can still reach). */
  #prune(cache: WindowCache): void {
    const horizon = cache.newest - KEEP;
    if (horizon - cache.validFrom < HOUR) return;
    cache.windows.prune(horizon);
    cache.validFrom = horizon;
  }

  ingest(orgId: string, entries: readonly (IngestItem | IngestRefusal)[], options: IngestOptions): { outcome: IngestOutcome; stored: number } {
    let stored = 0;
    let cache: WindowCache | null = null;
    let org = 0;
    const run = this.#db.transaction((): IngestOutcome => {
      const orgRow = this.#sql.orgRow.get(orgId);
      if (!orgRow) throw new Error(`No organization ${orgId}.`);
      org = orgRow.org;
      const idem = options.idempotency;
      if (idem) {
        this.#sql.forgetKeys.run(org, idem.now - LIMITS.idempotencyMs);
        const remembered = this.#sql.findKey.get(org, idem.key);
        if (remembered) {
          return remembered.request_hash === idem.requestHash
            ? { kind: 'replayed', results: JSON.parse(remembered.results) as IngestResult[] }
            : { kind: 'conflict' };
        }
      }
      const items = entries.filter((entry): entry is IngestItem => !('error' in entry));
      const results: IngestResult[] = [];
      if (items.length) {
        const first = Math.min(...items.map((item) => item.created));
        const orgCache = this.#windows(org, orgRow.last_event_id, first);
        cache = orgCache;
        const { organization: organizationLimits, users: userLimits } = this.#limitsOf(org);
        const source = {
          windows: cache.windows,
          organizationLimits,
          userLimits: (userId: string): UserLimits[] | undefined => {
            if (!userLimits.has(userId)) {
              userLimits.set(
                userId,
                this.#sql.userExists.get(org, userId) ? this.#sql.userLimits.all(org, userId).map(toUserLimits) : undefined,
              );
            }
            return userLimits.get(userId);
          },
        };
        const writer = new BatchWriter(org);
        const classified = classifyEntries(
          source,
          entries,
          // The organization's next id in its own block (its events stored before the
          // blocks, schema version 10, have ids below every block).
          Math.max(orgRow.last_event_id, orgRow.id_base) + 1,
          (event, item) => {
            writer.add(this.#sql, Number(event.id), item.created, event);
            orgCache.newest = Math.max(orgCache.newest, item.created);
            stored++;
          },
        );
        results.push(...classified.results);
        const nextId = classified.nextId;
        if (nextId > orgRow.id_base + ID_BLOCK) throw new Error(`${orgId} has used every id of its block (${ID_BLOCK - 1} events): give it a file of its own.`);
        if (stored) {
          writer.flush(this.#sql);
          this.#sql.setLastId.run(nextId - 1, org);
          cache.lastId = nextId - 1;
        }
      } else {
        results.push(...(entries as IngestRefusal[]));
      }
      if (idem) this.#sql.rememberKey.run(org, idem.key, idem.requestHash, idem.now, JSON.stringify(results));
      return { kind: 'stored', results };
    });
    let outcome: IngestOutcome;
    try {
      outcome = run.immediate();
    } catch (error) {
      // The windows took in events that were rolled back.
      this.#caches.delete(org);
      throw error;
    }
    if (cache) this.#prune(cache);
    return { outcome, stored };
  }
}

/** The rows of one batch: events inserted as they come, rollups summed then upserted. */
class BatchWriter {
  readonly #minute = new RollupSums((type, minute) => [type, minute]);
  readonly #minuteDetail = new RollupSums((codes, minute) => [typeOf(codes), minute, ioOf(codes), poolOf(codes)]);
  readonly #hour = new RollupSums((codes, hour) => [typeOf(codes), hour, ioOf(codes), poolOf(codes)]);
  readonly #hourUser = new RollupSums((codes, hour, user) => [typeOf(codes), hour, user, ioOf(codes), poolOf(codes)]);
  readonly #hourEndpoint = new RollupSums((codes, hour, endpoint) => [typeOf(codes), hour, endpoint, ioOf(codes), poolOf(codes)]);
  readonly #day = new RollupSums((codes, day) => [typeOf(codes), day, ioOf(codes), poolOf(codes)]);
  readonly #dayUser = new RollupSums((codes, day, user) => [typeOf(codes), day, user, ioOf(codes), poolOf(codes)]);
  readonly #dayEndpoint = new RollupSums((codes, day, endpoint) => [typeOf(codes), day, endpoint, ioOf(codes), poolOf(codes)]);
  readonly #hourUserTotal = new RollupSums((type, hour, user) => [type, hour, user]);
  readonly #dayUserTotal = new RollupSums((type, day, user) => [type, user, day]);
  readonly #hourAmount = new RollupSums((type, hour, bucket) => [type, hour, bucket]);
  readonly #dayAmount = new RollupSums((type, day, bucket) => [type, day, bucket]);

  constructor(readonly org: number) {}

  add(sql: Statements, id: number, created: number, event: StoredEvent): void {
    const type = resourceTypes.code(event.resourceType);
    const pool = poolCategories.code(event.poolCategory as PoolCategory);
    const io = ioTypes.code(event.ioType as IoType);
    sql.insertEvent.run(id, this.org, created, event.userId, event.amount, type, pool, io, event.requestId, event.endpoint, event.surplusAmount);
    const hour = Math.floor(created / HOUR) * HOUR;
    const day = Math.floor(created / DAY) * DAY;
    const minute = Math.floor(created / MINUTE) * MINUTE;
    const { userId, endpoint, amount, surplusAmount: drawn } = event;
    const codes = packCodes(type, io, pool);
    const bucket = amountBucket(amount);
    this.#minute.add(type, minute, 0, amount, drawn);
    this.#minuteDetail.add(codes, minute, 0, amount, 1);
    this.#hour.add(codes, hour, 0, amount, 1);
    this.#hourUser.add(codes, hour, userId, amount, 1, drawn);
    this.#hourEndpoint.add(codes, hour, endpoint, amount, 1);
    this.#day.add(codes, day, 0, amount, 1);
    this.#dayUser.add(codes, day, userId, amount, 1, drawn);
    this.#dayEndpoint.add(codes, day, endpoint, amount, 1);
    this.#hourUserTotal.add(type, hour, userId, amount, 1, drawn);
    this.#dayUserTotal.add(type, day, userId, amount, 1, drawn);
    this.#hourAmount.add(type, hour, bucket, amount, 1);
    this.#dayAmount.add(type, day, bucket, amount, 1);
  }

  flush(sql: Statements): void {
    const write = (statement: Database.Statement, sums: RollupSums): void => {
      for (const row of sums.rows()) statement.run(this.org, ...row);
    };
    write(sql.minute, this.#minute);
    write(sql.minuteDetail, this.#minuteDetail);
    write(sql.hour, this.#hour);
    write(sql.hourUser, this.#hourUser);
    write(sql.hourEndpoint, this.#hourEndpoint);
    write(sql.day, this.#day);
    write(sql.dayUser, this.#dayUser);
    write(sql.dayEndpoint, this.#dayEndpoint);
    write(sql.hourUserTotal, this.#hourUserTotal);
    write(sql.dayUserTotal, this.#dayUserTotal);
    write(sql.hourAmount, this.#hourAmount);
    write(sql.dayAmount, this.#dayAmount);
  }
}
