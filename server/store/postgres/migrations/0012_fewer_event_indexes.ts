/**
 * Fewer indexes for each event to go into: ingest writes every event into every index of
 * `events` while holding the organization's lock, so each full index costs every batch
 * 5–9 ms of that one writing statement (at 10,000,000 events; README, "Running at
 * scale"). Two and most of a third go:
 * - `events_io`: an I/O type is half of the events, so a filter on it passes two entries
 *   per match along any sort's index (which carry `io_type`), and a page sorted by I/O
 *   type is read per type in time order (the primary key), a deep one from the hour that
 *   holds it (`PostgresStore#skipInTime`);
 * - `events_pool` gives way to the same index over the hybrid and surplus events alone
 *   (a few percent), which a filter on those categories needs; allocated events are most
 *   events, found along any index. Its predicate names the category, so the planner proves
 *   it from a query's `pool_category = …` (no other condition, which would make the
 *   entries of the other indexes row reads);
 * - `events_user_type`: the amount index carries the user instead, so a user's events
 *   sorted by amount are an ordered read per type along it that tests the user in the
 *   index (a heavy user holds a few percent of a type's events), and a light user's are
 *   read whole through `events_user`, which carries the type and the amount.
 * `if exists`: a benchmark's cluster may have dropped them by hand to measure without.
 */
export const sql = /* sql */ `
drop index if exists events_user_type;
drop index if exists events_io;
drop index if exists events_pool;
create index events_pool on events (org_id, pool_category, created, id) include (resource_type, amount, io_type, user_id) where pool_category <> 0;
drop index events_amount;
create index events_amount on events (org_id, resource_type, amount, created, id) include (pool_category, io_type, user_id);
`;
