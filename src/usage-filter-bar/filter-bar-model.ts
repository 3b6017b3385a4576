/**
 * The filter bar's pure parts: reading what a person typed (amounts, custom range, request
 * ID) with a message for every refusal, writing state values back into inputs, and the
 * compact summary of the active filters.
 */
import { LIMITS, parseInstant, tooLong, type ResourceType } from '../api/contract.js';
import { countPhrase, formatAmount, formatBytesShort, formatDateTime, formatRange, parseAmount, poolCategoryLabel, ioTypeLabel, unitLabel } from '../format/index.js';
import { skippedWallTime, zoneOffset, zonedTimeToInstant, type RangePreset, type UsageFilterState } from '../filters/state.js';

/** A value read from an input, or the message that refuses it. */
/** An end of the custom range: its input is marked wrong (`aria-invalid`) when a message names it. */
export type RangeEnd = 'from' | 'to';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const RANGE_PRESET_LABELS: Readonly<Record<RangePreset, string>> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  'this-month': 'This month',
  'last-month': 'Last month',
};

/** How the amount of a type is typed, for hints and messages: a size with the locale's decimal sign ("1,5 MB" in German). */
export function amountExample(resourceType: ResourceType, locale?: string): string {
  return resourceType === 'storage' ? `a size in whole bytes, such as ${formatAmount(1_500_000, resourceType, { locale })}` : `a whole number of ${unitLabel(resourceType)}`;
}

/**
 * One amount bound as typed: empty is no bound; a negative or unreadable value is refused.
 * Storage takes SI sizes ("10 MB"); tokens and pages whole numbers in the locale's grouping.
 */
export function parseAmountInput(text: string, resourceType: ResourceType, bound: 'minimum' | 'maximum', locale?: string): Parsed<number | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  if (/^[-\u2212\u2012\u2013]/u.test(trimmed)) return { ok: false, message: `The ${bound} cannot be negative.` };
  const value = parseAmount(trimmed, resourceType, locale);
  if (value === null) return { ok: false, message: `The ${bound} “${trimmed}” is not an amount: enter ${amountExample(resourceType, locale)}.` };
  return { ok: true, value };
}

/** Both bounds, refused together when the minimum is above the maximum. */
export function parseAmountRange(
  minText: string,
  maxText: string,
  resourceType: ResourceType,
  locale?: string,
): { min: Parsed<number | null>; max: Parsed<number | null>; order: string | null } {
  const min = parseAmountInput(minText, resourceType, 'minimum', locale);
  const max = parseAmountInput(maxText, resourceType, 'maximum', locale);
  const order =
    min.ok && max.ok && min.value !== null && max.value !== null && min.value > max.value
      ? 'The minimum is above the maximum.'
      : null;
  return { min, max, order };
}

/**
 * An amount as an input shows it so that reading it back gives the same integer: storage
 * in the largest SI unit that keeps it exact ("10 MB", "1.5 GB"), counts grouped ("12,345").
 */
export function amountInputText(amount: number | null, resourceType: ResourceType | null, locale?: string): string {
  if (amount === null || resourceType === null) return '';
  const formatted = formatAmount(amount, resourceType, { locale, unitDisplay: 'none' });
  if (parseAmount(formatted, resourceType, locale) === amount) return formatted;
  return resourceType === 'storage' ? formatBytesShort(amount, locale) : String(amount);
}

/** A request ID as typed: empty clears it; longer than the contract allows is refused. */
export function parseRequestIdInput(text: string): Parsed<string | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  if (tooLong(trimmed)) {
    return { ok: false, message: `A request ID has at most ${LIMITS.maxStringLength} characters; this one has ${[...trimmed].length}.` };
  }
  return { ok: true, value: trimmed };
}

const LOCAL_INPUT = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** An instant as a `datetime-local` input shows it in `timeZone` ("2025-03-08T14:30"). */
export function toLocalInput(instant: string, timeZone: string): string {
  const ms = parseInstant(instant);
  if (ms === null) return '';
  const local = new Date(ms + zoneOffset(ms, timeZone)).toISOString();
  return ms % 60_000 === 0 ? local.slice(0, 16) : local.slice(0, ms % 1000 === 0 ? 19 : 23);
}

/** The instant a `datetime-local` value names in `timeZone`; null when it is not one. */
export function fromLocalInput(value: string, timeZone: string): number | null {
  const m = LOCAL_INPUT.exec(value);
  // Instants start in 1970 for the contract (and Date.UTC would read the years 0–99 as 19xx).
  if (!m || Number(m[1]) < 1970) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '0'] = m;
  const ms = zonedTimeToInstant(Number(y), Number(mo) - 1, Number(d), timeZone, Number(h), Number(mi));
  return Number.isFinite(ms) ? ms + Number(s) * 1000 + Number(frac.padEnd(3, '0')) : null;
}

/**
 * The refusal of a `datetime-local` value the zone's clocks never show (the hour skipped
 * when they go forward), naming the time, the zone and the gap; null for any other value.
 * Read as the hour after, it would quietly move the range, or put a start "after" an end
 * typed a few minutes later.
 */
function skippedTimeMessage(value: string, timeZone: string, end: 'start' | 'end', locale: string | undefined): string | null {
  const m = LOCAL_INPUT.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as number[];
  const gap = skippedWallTime(y!, mo! - 1, d!, timeZone, h!, mi!);
  if (!gap) return null;
  // Wall times are written as UTC instants of the same fields, so they read as typed.
  const typed = formatDateTime(Date.UTC(y!, mo! - 1, d!, h!, mi!), { locale, timeZone: 'UTC', style: 'short' });
  const [leave, resume] = [gap.start, gap.end].map((wall) => formatDateTime(wall, { locale, timeZone: 'UTC', style: 'time' }));
  return `The ${end}, ${typed}, does not exist in ${timeZone}: the clocks go forward from ${leave} to ${resume} that day. Choose a time before ${leave} or from ${resume}.`;
}

/**
 * A custom range as typed: both ends needed, each a wall time the zone shows, the start
 * strictly before the (exclusive) end. An end still showing the applied range's
 * (`applied`) keeps its instant: a wall time that comes twice (the repeated hour when
 * clocks go back) would read as its first. A refusal of complete values (a skipped time,
 * the order) is `final`: worth saying while the person types. A refusal names in `ends` the
 * inputs it is about.
 */
export function parseCustomRange(
  fromValue: string,
  toValue: string,
  timeZone: string,
  applied?: { from: string; to: string },
  locale?: string,
): Parsed<{ from: string; to: string }> & { final?: true; ends?: readonly RangeEnd[] } {
  const kept = (value: string, instant: string | undefined): boolean => instant !== undefined && value === toLocalInput(instant, timeZone);
  const read = (value: string, instant: string | undefined): number | null =>
    kept(value, instant) ? parseInstant(instant!) : fromLocalInput(value, timeZone);
  const from = read(fromValue, applied?.from);
  const to = read(toValue, applied?.to);
  if (from === null && to === null) return { ok: false, message: 'Enter a start and an end date and time.', ends: ['from', 'to'] };
  if (from === null) return { ok: false, message: 'Enter a start date and time, from 1970 on.', ends: ['from'] };
  if (to === null) return { ok: false, message: 'Enter an end date and time, from 1970 on.', ends: ['to'] };
  const skippedFrom = kept(fromValue, applied?.from) ? null : skippedTimeMessage(fromValue, timeZone, 'start', locale);
  if (skippedFrom) return { ok: false, message: skippedFrom, final: true, ends: ['from'] };
  const skippedTo = kept(toValue, applied?.to) ? null : skippedTimeMessage(toValue, timeZone, 'end', locale);
  if (skippedTo) return { ok: false, message: skippedTo, final: true, ends: ['to'] };
  if (from >= to) return { ok: false, message: 'The start must be before the end.', final: true, ends: ['from', 'to'] };
  return { ok: true, value: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } };
}

function listOf(values: readonly string[], noun: string, locale: string | undefined): string {
  return values.length <= 2 ? values.join(', ') : countPhrase(values.length, noun, locale);
}

export interface SummaryOptions {
  locale?: string | undefined;
  timeZone?: string | undefined;
}

/** The active filters in a few words: "7 days · tokens · 3 users". */
export function summarizeFilters(state: UsageFilterState, options: SummaryOptions = {}): string {
  const parts: string[] = [];
  if (state.requestId !== null) parts.push('all dates (request ID)');
  // The preset's label in the summary's lower case, a rolling one without its "Last": "7 days", "this month".
  else if ('preset' in state.range) parts.push(RANGE_PRESET_LABELS[state.range.preset].replace(/^Last (?=\d)/, '').toLowerCase());
  else parts.push(formatRange(state.range.from, state.range.to, options));
  parts.push(state.resourceType === null ? 'all types' : state.resourceType === 'ocr' ? 'OCR' : state.resourceType);
  if (state.userIds.length) parts.push(countPhrase(state.userIds.length, 'user', options.locale));
  if (state.poolCategories.length) {
    const names = state.poolCategories.map((p) => poolCategoryLabel(p).toLowerCase()).join(', ');
    // Named as the field is: "surplus pool" would do, but "allocated pool" and "hybrid pool" name none.
    parts.push(`${names} pool ${state.poolCategories.length === 1 ? 'category' : 'categories'}`);
  }
  if (state.ioTypes.length) parts.push(state.ioTypes.map((io) => ioTypeLabel(io).toLowerCase()).join(', '));
  if (state.resourceType !== null && (state.amountMin !== null || state.amountMax !== null)) {
    const format = (amount: number) => formatAmount(amount, state.resourceType!, { locale: options.locale });
    if (state.amountMin !== null && state.amountMax !== null) parts.push(`${format(state.amountMin)} – ${format(state.amountMax)}`);
    else if (state.amountMin !== null) parts.push(`≥ ${format(state.amountMin)}`);
    else parts.push(`≤ ${format(state.amountMax!)}`);
  }
  if (state.requestId !== null) parts.push(`request ${state.requestId}`);
  if (state.endpoints.length) parts.push(listOf(state.endpoints, 'endpoint', options.locale));
  return parts.join(' · ');
}
