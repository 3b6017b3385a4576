/**
 * Daily rollups beside the hourly ones (the same columns, per UTC day): a chart over 90
 * days with day buckets reads 90 rows per key instead of 2,160. Filled from the hourly
 * rollups; kept in the ingest transaction; dropped with retention.
 */
const day = "date_trunc('day', hour at time zone 'UTC') at time zone 'UTC'";

export const sql = /* sql */ `
create table rollup_day (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, day, io_type, pool_category)
);

create table rollup_day_user (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  user_id text collate "C" not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, day, user_id, io_type, pool_category)
);

-- Per type (rollup_day_endpoint, from the first version, counts every type together).
create table rollup_day_endpoint_type (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  endpoint text collate "C" not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  primary key (org_id, resource_type, day, endpoint, io_type, pool_category)
);

insert into rollup_day
select org_id, resource_type, ${day}, io_type, pool_category, sum(amount), sum(events), sum(drawn)
from rollup_hour group by 1, 2, 3, 4, 5;

insert into rollup_day_user
select org_id, resource_type, ${day}, user_id, io_type, pool_category, sum(amount), sum(events), sum(drawn)
from rollup_hour_user group by 1, 2, 3, 4, 5, 6;

insert into rollup_day_endpoint_type
select org_id, resource_type, ${day}, endpoint, io_type, pool_category, sum(amount), sum(events)
from rollup_hour_endpoint group by 1, 2, 3, 4, 5, 6;

create or replace function drop_events_before(p_before timestamptz) returns setof text
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
    delete from rollup_user_hour where hour < cut;
    delete from rollup_day where day < cut;
    delete from rollup_day_user where day < cut;
    delete from rollup_day_endpoint_type where day < cut;
  end if;
end $$;
`;
