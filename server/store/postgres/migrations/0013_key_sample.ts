/**
 * A sample of the events for deep pages sorted by user, endpoint or request ID: every
 * event whose id is a multiple of 64 (ids are consecutive per organization, so one in 64
 * of any run of them), with the columns those sorts and a type filter need, written by the
 * ingest statement beside the rollups. A page 10,000 sorted by request ID walked 250,000
 * entries of the request ID index merged across 14 weekly partitions (about 95 ms at
 * 10,000,000 events); from the sample it finds a key a little before its offset (about
 * 4,000 entries of a small index), counts the events before that key exactly (the same
 * index, unmerged, in two halves of the range read side by side) and reads on from the key
 * (`PostgresStore#deepKeyPage`). The sample only estimates: the count makes the page
 * exact. Retention drops its rows with their weeks.
 */
export const sql = /* sql */ `
create table events_sample (
  org_id text collate "C" not null,
  id bigint not null,
  created timestamptz not null,
  resource_type smallint not null,
  user_id text collate "C" not null,
  request_id text collate "C" not null,
  endpoint text collate "C" not null,
  primary key (org_id, id)
);
create index events_sample_user on events_sample (org_id, user_id, created, id) include (resource_type);
create index events_sample_request on events_sample (org_id, request_id, created, id) include (resource_type);
create index events_sample_endpoint on events_sample (org_id, endpoint, created, id) include (resource_type);

insert into events_sample
select org_id, id, created, resource_type, user_id, request_id, endpoint from events where id % 64 = 0;
analyze events_sample;

create or replace function drop_events_before(p_before timestamptz) returns setof text
language plpgsql as $$
declare
  part record;
  rollup record;
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
    -- Every rollup table, by its time column: a rollup added by a later migration is
    -- dropped with its weeks without restating this function again.
    for rollup in
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and table_name like 'rollup\\_%' and column_name in ('minute', 'hour', 'day')
    loop
      execute format('delete from %I where %I < $1', rollup.table_name, rollup.column_name) using cut;
    end loop;
    delete from events_sample where created < cut;
  end if;
end $$;
`;
