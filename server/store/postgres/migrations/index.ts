/**
 * The versioned migrations, oldest first. A version is applied once, in its own
 * transaction, and recorded in usage_migrations; never edit one that has shipped: add the
 * next version.
 */
import { sql as initial } from './0001_initial.js';
import { sql as userHourRollup } from './0002_user_hour_rollup.js';
import { sql as dayRollups } from './0003_day_rollups.js';
import { sql as userTotals } from './0004_user_totals.js';
import { sql as drawnIndexes } from './0005_drawn_indexes.js';
import { sql as drawingEvents } from './0006_drawing_events.js';
import { sql as userRollupsByUser } from './0007_user_rollups_by_user.js';
import { sql as userTypeAmount } from './0008_user_type_amount.js';
import { sql as coveringSortIndexes } from './0009_covering_sort_indexes.js';
import { sql as userDayTotalsIndex } from './0010_user_day_totals_index.js';
import { sql as amountBuckets } from './0011_amount_buckets.js';
import { sql as fewerEventIndexes } from './0012_fewer_event_indexes.js';
import { sql as idempotencyJson } from './0013_idempotency_json.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'user hour rollup', sql: userHourRollup },
  { version: 3, name: 'day rollups', sql: dayRollups },
  { version: 4, name: 'user totals', sql: userTotals },
  { version: 5, name: 'drawn indexes', sql: drawnIndexes },
  { version: 6, name: 'drawing events', sql: drawingEvents },
  { version: 7, name: 'user rollups by user', sql: userRollupsByUser },
  { version: 8, name: 'user type amount', sql: userTypeAmount },
  { version: 9, name: 'covering sort indexes', sql: coveringSortIndexes },
  { version: 10, name: 'user day totals index', sql: userDayTotalsIndex },
  { version: 11, name: 'amount buckets', sql: amountBuckets },
  { version: 12, name: 'fewer event indexes', sql: fewerEventIndexes },
  { version: 13, name: 'idempotency json', sql: idempotencyJson },
];
