/**
 * The embedded store's schema, versioned by SQLite's `user_version`: each migration runs
 * once, in order, in one transaction, and a file written by a newer version is refused.
 *
 * Events live in one rowid table whose rowid is the event id. Each organization numbers
 * its events in a block of ids of its own (`id_base` + 1, + 2, …: version 10), so that ids
 * increase with ingest order within it and say nothing of another's ingest; events stored
 * before version 10 keep the ids of the file's one sequence, below every block. Every index starts
 * with the organization and ends, implicitly, with the rowid: `(org, column, created)`
 * orders by the column, then `created`, then `id`, which is the contract's order, for
 * every sort column. Enumerations are small integers numbered in the code-point order of
 * their names, text is compared with SQLite's BINARY collation (UTF-8 byte order, which
 * is code-point order). Rollups are keyed by time first (charts read time ranges): per
 * minute (amount, drawn), and per hour and per day by I/O type and pool category, alone,
 * per user and per endpoint.
 */
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AMOUNT_BUCKET_SQL } from '../shared/amount-buckets.js';

/** Version 1 (its daily rollups took their final shape after files had been written at version 1). */
const VERSION_1 = `
  CREATE TABLE organizations (
    org INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    last_event_id INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    scopes TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE org_limits (
    org INTEGER NOT NULL,
    effective_from INTEGER NOT NULL,
    weekly_token_limit INTEGER NOT NULL,
    storage_limit INTEGER NOT NULL,
    capacity_tokens INTEGER NOT NULL,
    capacity_storage INTEGER NOT NULL,
    capacity_ocr INTEGER NOT NULL,
    PRIMARY KEY (org, effective_from)
  ) WITHOUT ROWID;
  CREATE TABLE users (
    org INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT,
    email TEXT,
    search_id TEXT NOT NULL,
    search_name TEXT,
    search_email TEXT,
    PRIMARY KEY (org, user_id)
  ) WITHOUT ROWID;
  CREATE TABLE user_limits (
    org INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    resource_type INTEGER NOT NULL,
    effective_from INTEGER NOT NULL,
    base_per_4h INTEGER NOT NULL,
    surplus_per_4h INTEGER NOT NULL,
    PRIMARY KEY (org, user_id, resource_type, effective_from)
  ) WITHOUT ROWID;
  CREATE TABLE idempotency_keys (
    org INTEGER NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    results TEXT NOT NULL,
    PRIMARY KEY (org, key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_age ON idempotency_keys (org, created_at);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    org INTEGER NOT NULL,
    created INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    io_type INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    surplus_amount INTEGER NOT NULL
  );
  CREATE INDEX events_created ON events (org, created);
  CREATE INDEX events_user ON events (org, user_id, created);
  CREATE INDEX events_amount ON events (org, amount, created);
  CREATE INDEX events_type_amount ON events (org, resource_type, amount, created);
  CREATE INDEX events_type ON events (org, resource_type, created);
  CREATE INDEX events_pool ON events (org, pool_category, created);
  CREATE INDEX events_io ON events (org, io_type, created);
  CREATE INDEX events_request ON events (org, request_id, created);
  CREATE INDEX events_endpoint ON events (org, endpoint, created);

  CREATE TABLE rollup_minute (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    drawn INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, minute)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_minute_drawn ON rollup_minute (org, resource_type, minute, drawn) WHERE drawn > 0;
  CREATE TABLE rollup_hour (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, hour, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_hour_user (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    drawn INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, hour, user_id, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_hour_user_by_user ON rollup_hour_user (org, resource_type, user_id, hour);
  CREATE INDEX rollup_hour_user_drawn ON rollup_hour_user (org, resource_type, hour, user_id, drawn) WHERE drawn > 0;
  CREATE TABLE rollup_hour_endpoint (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, hour, endpoint, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_day (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    day INTEGER NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, day, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_day_user (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    day INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    drawn INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, day, user_id, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_day_user_by_user ON rollup_day_user (org, resource_type, user_id, day, amount, events);
  CREATE INDEX rollup_day_user_drawn ON rollup_day_user (org, resource_type, day, user_id, drawn) WHERE drawn > 0;
  CREATE TABLE rollup_day_endpoint (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    day INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, day, endpoint, io_type, pool_category)
  ) WITHOUT ROWID;
  `;

/** Each `CREATE TABLE` and `CREATE INDEX` of a schema text by name, whitespace collapsed. */
function statements(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [statement, name] of sql.matchAll(/CREATE (?:TABLE|INDEX) (\w+)[^;]*/g)) out.set(name!, collapse(statement));
  return out;
}

function collapse(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** The daily rollups, each filled from its hourly one (hours nest in UTC days), and their sums. */
const DAILY: readonly (readonly [day: string, hour: string, keys: string, sums: string])[] = [
  ['rollup_day', 'rollup_hour', 'io_type, pool_category', 'amount, events'],
  ['rollup_day_user', 'rollup_hour_user', 'user_id, io_type, pool_category', 'amount, events, drawn'],
  ['rollup_day_endpoint', 'rollup_hour_endpoint', 'endpoint, io_type, pool_category', 'amount, events'],
];
const DAY_MS = 86_400_000;

/**
 * Version 2: files written at version 1 before its daily rollups took their final shape
 * lack `rollup_day` and `rollup_day_user`, hold `rollup_day_endpoint` without the
 * resource type, or an older by-user index. Each daily table that differs from version 1
 * is made again and filled from its hourly rollup (exact: the hourly rollups never
 * changed); each differing index is made again.
 */
function repairDailyRollups(db: Database.Database): void {
  const wanted = statements(VERSION_1);
  const stored = new Map(
    (db.prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL").all() as { name: string; sql: string }[]).map(
      (row) => [row.name, collapse(row.sql)],
    ),
  );
  for (const [day, hour, keys, sums] of DAILY) {
    if (stored.get(day) === wanted.get(day)) continue;
    db.exec(`DROP TABLE IF EXISTS ${day}`);
    db.exec(wanted.get(day)!);
    stored.delete(day);
    db.exec(
      `INSERT INTO ${day} (org, resource_type, day, ${keys}, ${sums}) ` +
        `SELECT org, resource_type, hour - hour % ${DAY_MS}, ${keys}, ${sums.replace(/\w+/g, (column) => `sum(${column})`)} ` +
        `FROM ${hour} GROUP BY org, resource_type, hour - hour % ${DAY_MS}, ${keys}`,
    );
  }
  for (const [name, sql] of wanted) {
    if (!sql.startsWith('CREATE INDEX') || stored.get(name) === sql) continue;
    db.exec(`DROP INDEX IF EXISTS ${name}`);
    db.exec(sql);
  }
}

/**
 * Version 3: per user and hour (time first, as charts slice) and per user and day (user
 * first: a ranking of users, or a few users' days, reads each user's days in order) over
 * all I/O types and pool categories, about half the rows of the detailed per-user rollups
 * that a user grouping, a user filter and the surplus series read when they need no I/O
 * type or pool; filled from the detailed ones. And the events that drew surplus (pool
 * hybrid or surplus, code 0 is allocated) per user, for a user's surplus pages.
 */
function userTotals(table: string, time: 'hour' | 'day', key: string, source: string): string {
  return `
  CREATE TABLE ${table} (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    ${time} INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    drawn INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, ${key})
  ) WITHOUT ROWID;
  CREATE INDEX ${table}_drawn ON ${table} (org, resource_type, ${time}, user_id, drawn) WHERE drawn > 0;
  INSERT INTO ${table} (org, resource_type, ${time}, user_id, amount, events, drawn)
    SELECT org, resource_type, ${time}, user_id, sum(amount), sum(events), sum(drawn) FROM ${source} GROUP BY org, resource_type, ${key};`;
}

const VERSION_3 = `
  ${userTotals('rollup_hour_user_total', 'hour', 'hour, user_id', 'rollup_hour_user')}
  ${userTotals('rollup_day_user_total', 'day', 'user_id, day', 'rollup_day_user')}
  CREATE INDEX events_user_drawing ON events (org, user_id, created) WHERE pool_category <> 0;
`;

/**
 * Version 4: a type's events by time with their amount, so that an amount range over a
 * time range (its total, and its chart) reads the index of that time alone instead of the
 * amount range over every date (events_type_amount) or each event of the time range.
 */
const VERSION_4 = 'CREATE INDEX events_type_time_amount ON events (org, resource_type, created, amount);';

/**
 * Version 5: the events that drew surplus per endpoint (about 6% of the events), for a
 * filter to hybrid or surplus on an endpoint (90 days of one endpoint's hybrid output at
 * 3M: count and page 109 + 100 → 3 + 3 ms).
 */
const VERSION_5 = 'CREATE INDEX events_endpoint_drawing ON events (org, endpoint, created) WHERE pool_category <> 0;';

/**
 * Version 6: the per-user hourly totals user first too, with the sums: a user grouping's
 * chosen users read their own hours (10 users × 168 hours over 7 days) where the hour-first
 * key read every user's hours (at 3M events: 12 → 6 ms; about 6 s once to build).
 */
const VERSION_6 = 'CREATE INDEX rollup_hour_user_total_by_user ON rollup_hour_user_total (org, resource_type, user_id, hour, amount, events);';

/**
 * Version 7: per minute by type, I/O type and pool category, for charts in minute buckets
 * (a day's chart, `auto` up to about 25 hours): they read the events of the range one by
 * one (at 10M events, 24 hours: about 110,000 events, 80–115 ms), now at most a row per
 * minute and key. Filled from the events (about half a minute once at 10M).
 */
const VERSION_7 = `
  CREATE TABLE rollup_minute_detail (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, minute, io_type, pool_category)
  ) WITHOUT ROWID;
  INSERT INTO rollup_minute_detail (org, resource_type, minute, io_type, pool_category, amount, events)
    SELECT org, resource_type, created - created % 60000, io_type, pool_category, sum(amount), count(*)
    FROM events GROUP BY 1, 2, 3, 4, 5;
`;

/**
 * Version 8: events per type, hour (and day) and amount bucket (shared/amount-buckets.ts: two
 * leading digits), so that a type's amount range is counted from whole buckets and only
 * its edge amounts from the events: the events page's `total` for tokens of 1,000–5,000
 * over 7 days walked 100,001 matches along `events_type_time_amount` (37–55 ms at 10M
 * events). Filled from the events.
 */
function amountRollup(table: string, time: 'hour' | 'day', grain: number): string {
  return `
  CREATE TABLE ${table} (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    ${time} INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, ${time}, bucket)
  ) WITHOUT ROWID;
  INSERT INTO ${table} (org, resource_type, ${time}, bucket, amount, events)
    SELECT org, resource_type, created - created % ${grain}, ${AMOUNT_BUCKET_SQL}, sum(amount), count(*) FROM events GROUP BY 1, 2, 3, 4;`;
}

const VERSION_8 = `
  ${amountRollup('rollup_hour_amount', 'hour', 3_600_000)}
  ${amountRollup('rollup_day_amount', 'day', 86_400_000)}
`;

/**
 * Version 9: the events by pool category and by endpoint, in time order, carry the columns
 * a filter of theirs can name and the amount after the id, so that a page of such a
 * filter sorted by amount reads these indexes alone and sorts what it finds, instead of
 * looking up each match's row (90 days of hybrid events sorted by amount at 10M events,
 * 86,000 matches: 170–280 → 15–28 ms; an OCR endpoint's 97,000, by amount descending:
 * 200–290 → under 55 ms). The events by type and time, and by type, time and amount
 * (version 4), become one index, `(org, resource_type, created, id, amount)`: one index
 * fewer for each ingested event to enter. Sorted by time, the id after the time keeps
 * these indexes in the pages' order. Made again from the events (about a minute at 10M).
 */
const VERSION_9 = `
  DROP INDEX IF EXISTS events_pool;
  DROP INDEX IF EXISTS events_endpoint;
  DROP INDEX IF EXISTS events_type;
  DROP INDEX IF EXISTS events_type_time_amount;
  CREATE INDEX events_pool ON events (org, pool_category, created, id, resource_type, io_type, amount);
  CREATE INDEX events_endpoint ON events (org, endpoint, created, id, resource_type, pool_category, io_type, amount);
  CREATE INDEX events_type ON events (org, resource_type, created, id, amount);
`;

/**
 * The ids of one organization's block: `id_base` + 1 up to `id_base` + `ID_BLOCK` − 1 (68.7
 * billion events). Blocks 1 to 2,047 keep every id below 2^47, stored in 6 bytes in the
 * table and each index (8 bytes from 2^47: 16% more file than the one sequence at 1M
 * events; 6 bytes: about 10%); block 0 holds the ids given before version 10.
 */
export const ID_BLOCK = 2 ** 36;
const ID_BLOCKS = 2_047;

/**
 * A block of ids no organization of the file has, chosen at random (its number says
 * nothing of how many organizations the file holds).
 */
export function freeIdBase(db: Database.Database): number {
  const taken = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM organizations WHERE id_base = ?');
  const count = db.prepare<[], number>('SELECT count(id_base) FROM organizations').pluck().get()!;
  if (count >= ID_BLOCKS) throw new Error(`A file holds at most ${ID_BLOCKS} organizations (a block of event ids each): give the next a file of its own.`);
  for (;;) {
    const base = randomInt(1, ID_BLOCKS + 1) * ID_BLOCK;
    if (!taken.get(base)) return base;
  }
}

/**
 * Version 10: each organization's own block of event ids. In one sequence for the whole
 * file, the gaps between an organization's ids counted the events the others stored in
 * between. The events stored already keep their ids; the next of each organization
 * starts its block.
 */
function idBlocks(db: Database.Database): void {
  db.exec('ALTER TABLE organizations ADD COLUMN id_base INTEGER');
  const orgs = db.prepare<[], { org: number }>('SELECT org FROM organizations ORDER BY org').all();
  const set = db.prepare<[number, number]>('UPDATE organizations SET id_base = ? WHERE org = ?');
  for (const { org } of orgs) set.run(freeIdBase(db), org);
  db.exec('CREATE UNIQUE INDEX organizations_id_base ON organizations (id_base)');
}

const MIGRATIONS: readonly ((db: Database.Database) => void)[] = [
  (db) => db.exec(VERSION_1),
  repairDailyRollups,
  (db) => db.exec(VERSION_3),
  (db) => db.exec(VERSION_4),
  (db) => db.exec(VERSION_5),
  (db) => db.exec(VERSION_6),
  (db) => db.exec(VERSION_7),
  (db) => db.exec(VERSION_8),
  (db) => db.exec(VERSION_9),
  idBlocks,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file's schema to `SCHEMA_VERSION`, each step in its own transaction; refuses
 * a file from a newer version, and says what to do with one it cannot bring up.
 */
export function migrate(db: Database.Database, file = db.name): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`The database file has schema version ${current}; this server knows up to ${SCHEMA_VERSION}. Upgrade the server.`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    try {
      db.transaction(() => {
        MIGRATIONS[version]!(db);
        db.pragma(`user_version = ${version + 1}`);
      }).immediate();
    } catch (error) {
      throw new Error(
        `The database file ${file} (schema version ${version}) could not be upgraded to version ${version + 1}: ${(error as Error).message}. ` +
          'This step changed nothing. Move the file away (or point DATA_DIR at another folder) to start with an empty one, which `npm start` seeds.',
        { cause: error },
      );
    }
  }
}
