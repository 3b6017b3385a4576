/**
 * Each user's consumption per type and UTC hour with the first and last instant in it,
 * for ingest: the part of a user's rolling 4-hour window that lies inside every window
 * of a batch is read as whole hours from here (an hour whose first and last events both
 * lie inside that part), not event by event. Filled from the stored events; retention
 * drops its rows with the weeks they belong to.
 */
export const sql = /* sql */ `
create table rollup_user_hour (
  org_id text collate "C" not null,
  resource_type smallint not null,
  user_id text collate "C" not null,
  hour timestamptz not null,
  amount bigint not null,
  drawn bigint not null,
  first_created timestamptz not null,
  last_created timestamptz not null,
  primary key (org_id, resource_type, user_id, hour)
);

insert into rollup_user_hour (org_id, resource_type, user_id, hour, amount, drawn, first_created, last_created)
select org_id, resource_type, user_id, date_trunc('hour', created at time zone 'UTC') at time zone 'UTC',
       sum(amount), sum(surplus_amount), min(created), max(created)
from events group by 1, 2, 3, 4;

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
  end if;
end $$;
`;
