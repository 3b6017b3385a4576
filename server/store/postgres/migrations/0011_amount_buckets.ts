/**
 * Events per type, hour (and day) and amount bucket (`amount_bucket`: an amount's two
 * leading digits, as the embedded store's schema version 8; server/store/shared/
 * amount-buckets.ts). A deep page sorted by amount counts the events of each bucket in
 * its range from these, and starts its ordered read at the bucket that holds its offset
 * instead of walking every entry before it (page 10,000 over 90 days at 10,000,000
 * events walked 250,000 entries of the amount index through one merge per type: 110 ms
 * of the database's CPU). The keys include the count, so the counts of a range are read
 * from the index alone (90 days: some 66,000 daily rows, 32 ms through the table's rows,
 * 8–10 ms index-only). Filled from the events; kept in the ingest transaction; dropped
 * with retention.
 */
import { amountBucketSql } from '../../shared/amount-buckets.js';

export const sql = /* sql */ `
create function amount_bucket(amount bigint) returns bigint
language sql immutable parallel safe as $$ select ${amountBucketSql('amount')} $$;

create table rollup_hour_amount (
  org_id text collate "C" not null,
  resource_type smallint not null,
  hour timestamptz not null,
  bucket bigint not null,
  events bigint not null,
  primary key (org_id, resource_type, hour, bucket) include (events)
);

create table rollup_day_amount (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  bucket bigint not null,
  events bigint not null,
  primary key (org_id, resource_type, day, bucket) include (events)
);

insert into rollup_hour_amount
select org_id, resource_type, date_trunc('hour', created, 'UTC'), amount_bucket(amount), count(*)
from events group by 1, 2, 3, 4;

insert into rollup_day_amount
select org_id, resource_type, date_trunc('day', hour, 'UTC'), bucket, sum(events)
from rollup_hour_amount group by 1, 2, 3, 4;

analyze rollup_hour_amount;
analyze rollup_day_amount;

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
  end if;
end $$;
`;
