/**
 * Instants for people, in the element's locale and time zone: table cells, axis ticks,
 * ranges, and the full instant for a hover.
 */
import { parseInstant } from '../api/contract.js';
import { dateTimeFormat, relativeTimeFormat } from './intl-cache.js';

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

/** An instant in a style: `medium` for a table cell, `axis-*` for ticks of each bucket size. */
export function formatDateTime(instant: InstantInput, options: DateTimeFormatOptions = {}): string {
  return format(options.locale, options.timeZone, STYLES[options.style ?? 'medium']).format(toMs(instant));
}

/** The whole instant, to the millisecond, with its zone and its UTC form: for a hover. */
export function formatInstantFull(instant: InstantInput, options: Omit<DateTimeFormatOptions, 'style'> = {}): string {
  const ms = toMs(instant);
  return `${format(options.locale, options.timeZone, FULL_INSTANT).format(ms)} · ${new Date(ms).toISOString()}`;
}

const MIDNIGHT_PARTS: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' };

function isLocalMidnight(ms: number, timeZone: string | undefined): boolean {
  if (ms % 1000 !== 0) return false;
  return format('en-US', timeZone, MIDNIGHT_PARTS)
    .formatToParts(ms)
    .filter((part) => part.type !== 'literal')
    .every((part) => Number(part.value) === 0);
}

/**
 * A half-open range `[from, to)`. When both ends are local midnights it reads as whole
 * days, the last one included ("Mar 2 – 8, 2025"); otherwise with times. A `style`
 * overrides the choice.
 */
export function formatRange(from: InstantInput, to: InstantInput, options: DateTimeFormatOptions = {}): string {
  const start = toMs(from);
  const end = toMs(to);
  if (options.style) return format(options.locale, options.timeZone, STYLES[options.style]).formatRange(start, end);
  if (end > start && isLocalMidnight(start, options.timeZone) && isLocalMidnight(end, options.timeZone)) {
    return format(options.locale, options.timeZone, { dateStyle: 'medium' }).formatRange(start, end - 1);
  }
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
