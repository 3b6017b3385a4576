/**
 * The initial schema. Every table is keyed by `org_id` first and every query filters by
 * it, so the schema distributes on Citus by organization (README, "Running at scale").
 * Text that is sorted or compared uses `COLLATE "C"` (code-point order, as the embedded
 * store and `compareCodePoints`). The three small enumerations are smallints numbered in
 * the code-point order of their names, so sorting by the number sorts by the name:
 *   resource_type 0 ocr, 1 storage, 2 tokens; pool_category 0 allocated, 1 hybrid,
 *   2 surplus; io_type 0 input, 1 output.
 */
export const sql = /* sql */ `
create table organizations (
  org_id text collate "C" primary key,
  name text not null,
  -- The per-organization id counter. Ingest takes this row's lock for its whole
  -- transaction: classification is serialised per organization (the surplus pool is
  -- shared) and ids become visible in id order.
  last_event_id bigint not null default 0
);

create table org_limits (
  org_id text collate "C" not null,
  effective_from timestamptz not null,
  weekly_token_limit bigint not null,
  storage_limit bigint not null,
  surplus_capacity_ocr bigint not null,
  surplus_capacity_storage bigint not null,
  surplus_capacity_tokens bigint not null,
  primary key (org_id, effective_from)
);

-- Looked up by token before the organization is known: a reference table on Citus.
create table tokens (
  token_hash text collate "C" primary key,
  org_id text collate "C" not null,
  scopes text[] not null
);

create table users (
  org_id text collate "C" not null,
  user_id text collate "C" not null,
  name text,
  email text,
  -- Lower-cased in JavaScript (String#toLowerCase) at write time, so the search is the
  -- same case-insensitive match whatever the database's ctype.
  search_id text not null,
  search_name text,
  search_email text,
  primary key (org_id, user_id)
);

create table user_limits (
  org_id text collate "C" not null,
  user_id text collate "C" not null,
  resource_type smallint not null,
  effective_from timestamptz not null,
  base_per_4h bigint not null,
  surplus_per_4h bigint not null,
  primary key (org_id, user_id, resource_type, effective_from)
);

-- Events, partitioned by week of created (UTC, from Monday); partitions are made ahead by
-- ensure_event_partitions() and dropped for retention by drop_events_before().
create table events (
  id bigint not null,
  created timestamptz not null,
  amount bigint not null,
  surplus_amount bigint not null,
  resource_type smallint not null,
  pool_category smallint not null,
  io_type smallint not null,
  org_id text collate "C" not null,
  user_id text collate "C" not null,
  request_id text collate "C" not null,
  endpoint text collate "C" not null,
  primary key (org_id, created, id)
) partition by range (created);

-- One index per sort column (ties by created, id), which also serves its filter; (org_id,
-- id) serves the live stream and the bounds of every read by id.
create index events_id on events (org_id, id);
create index events_user on events (org_id, user_id, created, id);
create index events_amount on events (org_id, resource_type, amount, created, id);
create index events_request on events (org_id, request_id, created, id);
create index events_endpoint on events (org_id, endpoint, created, id);
create index events_type on events (org_id, resource_type, created, id);
create index events_pool on events (org_id, pool_category, created, id);
create index events_io on events (org_id, io_type, created, id);
-- The surplus series where rollups cannot serve (minute buckets, partial hours).
create index events_drawn on events (org_id, resource_type, created) include (user_id, surplus_amount, id) where surplus_amount > 0;

-- Per-minute sums of each resource type: drawn surplus (the pool's available(t) slides
-- over 240 of them) and consumed amount (the rolling 7-day limits).
create table rollup_minute (
  org_id text collate "C" not null,
  resource_type smallint not null,
  minute timestamptz not null,
  amount bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, minute)
);

-- Hourly rollups for the charts, kept in the ingest transaction. Each serves the queries
-- whose filters and grouping it holds; the others scan events.
create table rollup_hour (
  org_id text collate "C" not null,
  resource_type smallint not null,
  hour timestamptz not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, hour, io_type, pool_category)
);

create table rollup_hour_user (
  org_id text collate "C" not null,
  resource_type smallint not null,
  hour timestamptz not null,
  user_id text collate "C" not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, hour, user_id, io_type, pool_category)
);
-- Who drew surplus in an hour (usersOverBase).
create index rollup_hour_user_drawn on rollup_hour_user (org_id, resource_type, hour) include (user_id, drawn) where drawn > 0;

create table rollup_hour_endpoint (
  org_id text collate "C" not null,
  resource_type smallint not null,
  hour timestamptz not null,
  endpoint text collate "C" not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  primary key (org_id, resource_type, hour, endpoint, io_type, pool_category)
);

-- Events per endpoint and UTC day, all types (the endpoints list).
create table rollup_day_endpoint (
  org_id text collate "C" not null,
  day timestamptz not null,
  endpoint text collate "C" not null,
  events bigint not null,
  primary key (org_id, day, endpoint)
);

create table idempotency_keys (
  org_id text collate "C" not null,
  key text collate "C" not null,
  request_hash text not null,
  created_at timestamptz not null,
  results jsonb not null,
  primary key (org_id, key)
);
create index idempotency_keys_expiry on idempotency_keys (org_id, created_at);

-- Creates the weekly partitions of events covering [p_from, p_to); returns how many it made.
create function ensure_event_partitions(p_from timestamptz, p_to timestamptz) returns integer
language plpgsql as $$
declare
  week timestamp := date_trunc('week', p_from at time zone 'UTC');
  made integer := 0;
  part text;
begin
  -- Two processes making the same partition at once would collide in the catalog.
  perform pg_advisory_xact_lock(hashtext('usage.event_partitions'));
  while week at time zone 'UTC' < p_to loop
    part := 'events_p' || to_char(week, 'YYYYMMDD');
    if to_regclass(part) is null then
      execute format('create table %I partition of events for values from (%L) to (%L)',
        part, week at time zone 'UTC', (week + interval '7 days') at time zone 'UTC');
      made := made + 1;
    end if;
    week := week + interval '7 days';
  end loop;
  return made;
end $$;

-- Retention: drops every events partition that ends at or before p_before and the rollup
-- rows before the oldest kept partition, so rollups and events keep agreeing. Returns the
-- names of the dropped partitions.
create function drop_events_before(p_before timestamptz) returns setof text
language plpgsql as $$
declare
  part record;
  cut timestamptz := '-infinity';
  part_end timestamptz;
begin
  perform pg_advisory_xact_lock(hashtext('usage.event_partitions'));
  for part in
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'events'::regclass and c.relname ~ '^events_p[0-9]{8}$'
    order by c.relname
  loop
    part_end := (to_timestamp(substr(part.relname, 9), 'YYYYMMDD')::timestamp + interval '7 days') at time zone 'UTC';
    exit when part_end > p_before;
    execute format('drop table %I', part.relname);
    cut := part_end;
    return next part.relname;
  end loop;
  if cut > '-infinity' then
    delete from rollup_minute where minute < cut;
    delete from rollup_hour where hour < cut;
    delete from rollup_hour_user where hour < cut;
    delete from rollup_hour_endpoint where hour < cut;
    delete from rollup_day_endpoint where day < cut;
  end if;
end $$;
`;
