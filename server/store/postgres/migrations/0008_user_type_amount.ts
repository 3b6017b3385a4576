/**
 * A user's events of one type by amount. Without it, a user's storage or OCR events (a
 * few percent of a heavy user's, who mostly spends tokens) were found by reading all of
 * that user's events through `events_user` and their rows for the type, and a user's page
 * sorted by amount walked the amount index of every user's events, keeping theirs (one
 * heavy user over 90 days at 3,000,000 events: 0.35–1.4 s). With it the count of a
 * user's events of a type reads only those, and a page sorted by amount per user and
 * type is one ordered read (`PostgresStore#valueBranches` splits a page by type, and by
 * user when it names several).
 */
export const sql = /* sql */ `
create index events_user_type on events (org_id, user_id, resource_type, amount, created, id);
`;
