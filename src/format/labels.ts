/**
 * The words the pieces show for the contract's enums. English, like the rest of the
 * elements' text.
 */
import { UNITS, type IoType, type PoolCategory, type ResourceType, type Unit } from '../api/contract.js';
import { numberFormat } from './intl-cache.js';

/** "1 user", "1,440 hours": the count in the locale's digits and grouping, the noun English (a plural in -s). */
export function countPhrase(count: number, noun: string, locale?: string): string {
  return `${numberFormat(locale).format(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * A count of buckets out of those the range spans, with its preposition: "in 93 of the 169
 * hours the range spans", "on 3 of the 8 days the range spans" (7 days from 22:41 touch 169
 * clock hours, the first and last in part), so that it does not read as off by one beside
 * the range's length ("over 168 hours").
 */
export function ofSpanned(count: number, total: number, unit: string, locale?: string): string {
  return `${unit === 'day' ? 'on' : 'in'} ${numberFormat(locale).format(count)} of the ${countPhrase(total, unit, locale)} the range spans`;
}

/** A change in percent, signed ("+12%", "−3%"); under 1 % to a tenth (−0.13 % read "0%"). */
export function changePhrase(fraction: number, locale?: string): string {
  return numberFormat(locale, { style: 'percent', signDisplay: 'exceptZero', maximumFractionDigits: Math.abs(fraction) < 0.01 ? 1 : 0 }).format(fraction);
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/**
 * How long a range lasts, in a bucket's unit to a tenth: "168 hours" for 7 days by hour,
 * "90 days", "4.3 weeks" for 30 days by week. A count of buckets would say 169 hours: a
 * range from 22:41 touches 169 clock hours, the first and last in part.
 */
export function spanPhrase(ms: number, unit: keyof typeof UNIT_MS, locale?: string): string {
  const count = Math.round((ms / UNIT_MS[unit]) * 10) / 10;
  return `${numberFormat(locale, { maximumFractionDigits: 1 }).format(count)} ${unit}${count === 1 ? '' : 's'}`;
}

const RESOURCE_TYPE_LABELS: Record<ResourceType, string> = { tokens: 'Tokens', storage: 'Storage', ocr: 'OCR' };
const POOL_CATEGORY_LABELS: Record<PoolCategory, string> = { allocated: 'Allocated', surplus: 'Surplus', hybrid: 'Hybrid' };
const IO_TYPE_LABELS: Record<IoType, string> = { input: 'Input', output: 'Output' };

export function resourceTypeLabel(resourceType: ResourceType): string {
  return RESOURCE_TYPE_LABELS[resourceType];
}

export function poolCategoryLabel(poolCategory: PoolCategory): string {
  return POOL_CATEGORY_LABELS[poolCategory];
}

export function ioTypeLabel(ioType: IoType): string {
  return IO_TYPE_LABELS[ioType];
}

/** The unit amounts of a resource type are counted in: `tokens`, `bytes` or `pages`. */
export function unitLabel(resourceType: ResourceType): Unit {
  return UNITS[resourceType];
}
