/**
 * The events that drew surplus (hybrid and surplus ones, about 6%) by user and by
 * endpoint, for a filter to those pool categories with a user or an endpoint: their count
 * and an ordered read by time went through the index of all drawing events of a type,
 * filtering the user (one user's surplus tokens over 90 days at 10,000,000 events: about
 * 1 s). Queries name `surplus_amount > 0` with such a filter (`whereClause`), which these
 * partial indexes need.
 */
export const sql = /* sql */ `
create index events_drawn_user on events (org_id, user_id, created, id) where surplus_amount > 0;
create index events_drawn_endpoint on events (org_id, endpoint, created, id) where surplus_amount > 0;
`;
