/**
 * Amount buckets of the per-type amount rollups of both stores (embedded schema version 8,
 * PostgreSQL schema version 11): an amount's two leading digits, so a bucket spans a hundredth of its decade at most (0–99 each their
 * own; 100–109, 110–119, …; 1,000–1,099, …). An amount range's count takes its whole
 * buckets from the rollups and only the amounts at its edges from the events.
 */

/** The largest power of ten at most a hundredth of `amount`'s (≥ 100) order, else 1. */
function unitOf(amount: number): number {
  let unit = 1;
  while (amount >= unit * 100) unit *= 10;
  return unit;
}

/** The bucket of a non-negative integer amount: its first amount. */
export function amountBucket(amount: number): number {
  const unit = unitOf(amount);
  return amount - (amount % unit);
}

/** The first amount after the bucket that starts at `bucket`. */
export function amountBucketEnd(bucket: number): number {
  return bucket + unitOf(bucket);
}

/** `amountBucket(column)` in SQL, for SQLite and PostgreSQL alike (amounts are safe integers: below 10^16). */
export function amountBucketSql(column: string): string {
  const steps = Array.from({ length: 14 }, (_, i) => `WHEN ${column} < ${10 ** (i + 3)} THEN ${column} - ${column} % ${10 ** (i + 1)}`);
  return `CASE WHEN ${column} < 100 THEN ${column} ${steps.join(' ')} ELSE ${column} END`;
}

/** `amountBucket(amount)` in SQL. */
export const AMOUNT_BUCKET_SQL = amountBucketSql('amount');
