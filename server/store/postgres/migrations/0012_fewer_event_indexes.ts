/**
 * Fewer indexes for each event to go into: ingest writes every event into every index of
 * `events` while holding the organization's lock, so each full index costs every batch
 * 5–9 ms of that one writing statement (at 10,000,000 events; README, "Running at
 * scale"). Three go:
 * - `events_io`: an I/O type is half of the events, so a filter on it passes two entries
 *   per match along any sort's index (which carry `io_type`), and a page sorted by I/O
 *   type is read per type in time order (the primary key), a deep one from the hour that
 *   holds it (`PostgresStore#skipInTime`);
 * - `events_pool` gives way to the same index over the hybrid and surplus events alone
 *   (those that drew surplus: a few percent), which a filter on those categories needs;
 *   allocated events are most events, found along any index;
 * - `events_user_type`: a user's events sorted by amount are read whole through
 *   `events_user`, which carries the type and the amount (index-only).
 * `if exists`: a benchmark's cluster may have dropped them by hand to measure without.
 */
export const sql = /* sql */ `
drop index if exists events_user_type;
drop index if exists events_io;
drop index if exists events_pool;
create index events_pool on events (org_id, pool_category, created, id) include (resource_type, amount, io_type, user_id) where surplus_amount > 0;
`;
