/**
 * The surplus chart's reads by index alone: the minutes that drew surplus (its per-minute
 * series over 90 days reads some 30,000 of 130,000 minutes, each a table row before) and
 * the users who drew per day (its daily buckets, from rollup_user_day instead of one row
 * per user, hour, I/O type and pool category of rollup_hour_user).
 */
export const sql = /* sql */ `
create index rollup_minute_drawn on rollup_minute (org_id, resource_type, minute) include (drawn) where drawn > 0;
create index rollup_user_day_drawn on rollup_user_day (org_id, resource_type, day) include (user_id, drawn) where drawn > 0;
`;
