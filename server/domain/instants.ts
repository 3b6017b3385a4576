/**
 * `formatInstant` for the server's hot paths (ingest answers, pages, CSV): the same text,
 * with each minute's `YYYY-MM-DDTHH:mm:` made once and the seconds appended (about a tenth
 * of `Date.prototype.toISOString`'s cost: 1,000 events a batch, a million CSV rows).
 */
import { formatInstant } from '../../src/api/contract.js';

const MINUTE = 60_000;
/** The instants whose ISO text has a four-digit year: 1970 to 9999. */
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
let cachedMinute = Number.NaN;
let cachedPrefix = '';

export function formatInstantFast(ms: number): string {
  if (!(ms >= 0 && ms <= LAST) || !Number.isInteger(ms)) return formatInstant(ms);
  const rest = ms % MINUTE;
  const minute = ms - rest;
  if (minute !== cachedMinute) {
    cachedPrefix = formatInstant(minute).slice(0, 17);
    cachedMinute = minute;
  }
  const seconds = Math.floor(rest / 1000);
  const millis = rest % 1000;
  return `${cachedPrefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
