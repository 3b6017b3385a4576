/**
 * The per-user rollups with I/O type and pool category, read user first: a chart filtered
 * to a few users and grouped (or filtered) by I/O type or pool category — the per-user page
 * among them — read their keys by time, every user's rows of each hour or day, and kept
 * the named users' (five users over 90 days at 10,000,000 events: 92,000 buffers, about
 * 117 ms). The embedded store has the same indexes (`rollup_hour_user_by_user`,
 * `rollup_day_user_by_user`).
 */
export const sql = /* sql */ `
create index rollup_hour_user_by_user on rollup_hour_user (org_id, resource_type, user_id, hour) include (io_type, pool_category, amount, events, drawn);
create index rollup_day_user_by_user on rollup_day_user (org_id, resource_type, user_id, day) include (io_type, pool_category, amount, events, drawn);
`;
