/**
 * Instants for people, in the element's locale and time zone: table cells, axis ticks,
 * ranges, and the full instant for a hover.
 */
import { parseInstant, type Bucket } from '../api/contract.js';
import { defaultTimeZone, ZoneCalendar } from '../api/time-zone.js';
import { cached, dateTimeFormat, relativeTimeFormat } from './intl-cache.js';
import { isolate } from './bidi.js';

/** An instant as the contract writes it, epoch milliseconds, or a Date. */
export type InstantInput = string | number | Date;

export type DateTimeStyle = 'short' | 'medium' | 'full' | 'time' | 'axis-minute' | 'axis-hour' | 'axis-day';

export interface DateTimeFormatOptions {
  /** A BCP 47 locale; default the browser's. */
  locale?: string | undefined;
  /** An IANA time zone; default the browser's. */
  timeZone?: string | undefined;
  style?: DateTimeStyle | undefined;
}

const STYLES: Record<DateTimeStyle, Intl.DateTimeFormatOptions> = {
  short: { dateStyle: 'short', timeStyle: 'short' },
  medium: { dateStyle: 'medium', timeStyle: 'medium' },
  full: { dateStyle: 'full', timeStyle: 'long' },
  time: { timeStyle: 'short' },
  'axis-minute': { hour: 'numeric', minute: '2-digit' },
  'axis-hour': { month: 'short', day: 'numeric', hour: 'numeric' },
  'axis-day': { month: 'short', day: 'numeric' },
};

/** The time of day a zone's name follows. */
const TIME_PARTS = new Set(['hour', 'minute', 'second', 'fractionalSecond', 'dayPeriod']);

/** The ordinary minute's style of a date with its time: a sentence's, a range's ends. */
const MINUTE_STYLE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

const DAY = 86_400_000;

function zoneCalendar(timeZone: string | undefined): ZoneCalendar {
  const zone = timeZone ?? defaultTimeZone();
  return cached('zone', undefined, { zone }, () => new ZoneCalendar(zone));
}

/** Whether the zone's clocks show this instant's wall time twice: it then needs the zone's name to be told apart. */
function isRepeatedWallTime(ms: number, timeZone: string | undefined): boolean {
  const clock = zoneCalendar(timeZone);
  const before = clock.offset(ms - DAY);
  const after = clock.offset(ms + DAY);
  if (before <= after) return false;
  const wall = ms + clock.offset(ms);
  return [wall - before, wall - after].every((t) => t + clock.offset(t) === wall);
}

const FULL_INSTANT: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  timeZoneName: 'short',
};

function toMs(instant: InstantInput): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : parseInstant(instant);
  if (ms == null || !Number.isFinite(ms)) throw new RangeError(`Not an instant: ${String(instant)}`);
  return ms;
}

function format(locale: string | undefined, timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return dateTimeFormat(locale, timeZone ? { ...options, timeZone } : options);
}

/**
 * An instant in a style; in a wall time the clocks show twice (the hour repeated when they
 * go back), with the zone's short name after its time: "1:30 AM EDT", then "1:30 AM EST".
 * The same style, its name added (`dateStyle` and `timeStyle` cannot take `timeZoneName`):
 * spelled out instead, a German list read "1. Nov. 2026, 01:00 GMT-4" among "01.11.2026, 02:00".
 */
function styled(ms: number, options: DateTimeFormatOptions, style: Intl.DateTimeFormatOptions, zoned = isRepeatedWallTime(ms, options.timeZone)): string {
  const formatter = format(options.locale, options.timeZone, style);
  // Parts only where they are needed: a 90-day table view writes 2,160 times.
  if (!zoned) return formatter.format(ms);
  const parts = formatter.formatToParts(ms);
  const at = parts.findLastIndex((part) => TIME_PARTS.has(part.type)) + 1;
  if (at && !parts.some((part) => part.type === 'timeZoneName')) {
    const zone = format(options.locale, options.timeZone, { timeZoneName: 'short' }).formatToParts(ms).find((part) => part.type === 'timeZoneName');
    parts.splice(at, 0, { type: 'literal', value: ' ' }, zone!);
  }
  return parts.map((part) => part.value).join('');
}

/** An instant in a style: `medium` for a table cell, `axis-*` for ticks of each bucket size. */
export function formatDateTime(instant: InstantInput, options: DateTimeFormatOptions = {}): string {
  return styled(toMs(instant), options, STYLES[options.style ?? 'medium']);
}

/**
 * An instant to the minute ("Dec 7, 2026, 9:00 AM"; with the zone's name in an hour the
 * clocks show twice), or its day ("Dec 7, 2026"), for a sentence: `medium` says seconds.
 */
export function formatWhen(instant: InstantInput, unit: 'minute' | 'day', options: Omit<DateTimeFormatOptions, 'style'> = {}): string {
  return styled(toMs(instant), options, unit === 'day' ? { dateStyle: 'medium' } : MINUTE_STYLE);
}

/**
 * Where a bucket lies, for a sentence: "on Dec 1, 2026" (a day), "in the week starting
 * Dec 1, 2026", "in the hour starting Dec 7, 2026, 9:00 AM" (no seconds, no midnight for a day).
 */
export function bucketPhrase(start: InstantInput, bucket: Bucket, options: Omit<DateTimeFormatOptions, 'style'> = {}): string {
  const when = isolate(formatWhen(start, bucket === 'day' || bucket === 'week' ? 'day' : 'minute', options));
  return bucket === 'day' ? `on ${when}` : `in the ${bucket} starting ${when}`;
}

/** The whole instant, to the millisecond, with its zone and its UTC form: for a hover. */
export function formatInstantFull(instant: InstantInput, options: Omit<DateTimeFormatOptions, 'style'> = {}): string {
  const ms = toMs(instant);
  return `${format(options.locale, options.timeZone, FULL_INSTANT).format(ms)} · ${new Date(ms).toISOString()}`;
}

/** Whether an instant starts its local day: midnight, or where the day begins when its midnight was skipped (Santiago, Havana). */
function isLocalDayStart(ms: number, timeZone: string | undefined): boolean {
  const clock = zoneCalendar(timeZone);
  const { year, month, day } = clock.parts(ms);
  return clock.startOfLocalDate(year, month, day) === ms;
}

/**
 * A half-open range `[from, to)`. When both ends start local days it reads as whole
 * days, the last one included ("Mar 2 – 8, 2025"); otherwise with times. A `style`
 * overrides the choice. No line breaks before its dash (a narrow no-break space): a
 * second line began with it ("Nov 30, 2026, 5:36 PM / – Dec 7, 2026, 5:36 PM"). Isolated in
 * a right-to-left locale: in Hebrew, set alone or in English, a day's European digits were
 * drawn apart from its month ("1 – 2:59 ,2026 בדצמ׳").
 */
export function formatRange(from: InstantInput, to: InstantInput, options: DateTimeFormatOptions = {}): string {
  return isolate(rangeText(from, to, options).replace(/[ \u2009]–/u, '\u202f–'));
}

function rangeText(from: InstantInput, to: InstantInput, options: DateTimeFormatOptions): string {
  const start = toMs(from);
  const end = toMs(to);
  // Whole days read as dates, unambiguous even where the midnight is repeated (Havana's
  // November begins twice: last month read "Oct 1, 2026, 12:00 AM GMT-4 – Nov 1, …").
  if (!options.style && end > start && isLocalDayStart(start, options.timeZone) && isLocalDayStart(end, options.timeZone)) {
    return format(options.locale, options.timeZone, { dateStyle: 'medium' }).formatRange(start, end - 1);
  }
  if (isRepeatedWallTime(start, options.timeZone) || isRepeatedWallTime(end, options.timeZone)) {
    // Intl's ranges write a zone name once and fold ends that read alike ("1:00 AM EDT"
    // for the hour from 1:00 EDT to 1:00 EST): each end is written with its zone, the
    // end's date left out when it is the start's.
    const zone = zoneCalendar(options.timeZone);
    const sameDay = end - start < DAY && zone.parts(start).day === zone.parts(end).day;
    const first = options.style ? STYLES[options.style] : MINUTE_STYLE;
    return `${styled(start, options, first, true)} – ${styled(end, options, options.style ? first : sameDay ? STYLES.time : MINUTE_STYLE, true)}`;
  }
  if (options.style) return format(options.locale, options.timeZone, STYLES[options.style]).formatRange(start, end);
  return format(options.locale, options.timeZone, { dateStyle: 'medium', timeStyle: 'short' }).formatRange(start, end);
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** How long ago (or ahead) an instant is: "2 minutes ago", "now"; for "data as of". */
export function formatRelative(
  instant: InstantInput,
  options: { locale?: string | undefined; now?: InstantInput | undefined } = {},
): string {
  const diff = toMs(instant) - toMs(options.now ?? Date.now());
  const [unit, size] = RELATIVE_UNITS.find(([, size]) => Math.abs(diff) >= size) ?? ['second', 1_000];
  return relativeTimeFormat(options.locale, { numeric: 'auto' }).format(Math.round(diff / size), unit);
}
