/**
 * An Idempotency-Key's remembered answer kept as `json`, not `jsonb`: `jsonb` stores an
 * object's keys in its own order (shortest first), so a replay answered the first answer
 * with its keys reordered (`{"id","amount","ioType",…}` for `{"id","created","userId",…}`)
 * where the contract returns the first answer, as the memory and embedded stores do.
 * `json` keeps the text as written. Keys remembered before this version keep jsonb's order
 * (they expire within 24 hours).
 */
export const sql = /* sql */ `
alter table idempotency_keys alter column results type json using results::json;
`;
