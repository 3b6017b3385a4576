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
