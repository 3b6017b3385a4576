/**
 * Per user alone (no I/O type or pool category), for the charts grouped or filtered by
 * user without those filters: rollup_user_hour (kept for ingest's windows) gains its
 * event count and an index by time, and rollup_user_day is its daily twin. Such a chart
 * reads one row per user and hour or day instead of one per user, hour or day, I/O type
 * and pool category (90 days grouped by user at 3M events: 108,000 rows of
 * rollup_day_user). Filled from the finer rollups; kept in the ingest transaction; dropped
 * with retention.
 */
export const sql = /* sql */ `
alter table rollup_user_hour add column events bigint not null default 0;

update rollup_user_hour u set events = s.events
from (
  select org_id, resource_type, user_id, hour, sum(events) as events
  from rollup_hour_user group by 1, 2, 3, 4
) s
where u.org_id = s.org_id and u.resource_type = s.resource_type and u.user_id = s.user_id and u.hour = s.hour;

create index rollup_user_hour_time on rollup_user_hour (org_id, resource_type, hour) include (user_id, amount, events);

create table rollup_user_day (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  user_id text collate "C" not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, day, user_id)
);

insert into rollup_user_day
select org_id, resource_type, day, user_id, sum(amount), sum(events), sum(drawn)
from rollup_day_user group by 1, 2, 3, 4;

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
    delete from rollup_user_day where day < cut;
  end if;
end $$;
`;
