/**
 * Amounts by resource type: tokens and OCR pages as grouped integers with their word,
 * storage in SI bytes (1 kB = 1,000 B, as the contract counts), in the element's locale.
 */
import type { ResourceType } from '../api/contract.js';
import { numberFormat, pluralRules } from './intl-cache.js';

export interface AmountFormatOptions {
  /** A BCP 47 locale; default the browser's. */
  locale?: string | undefined;
  /** "12.3K tokens" instead of "12,345 tokens" (tokens and pages; storage is always scaled). */
  compact?: boolean | undefined;
  /**
   * How the unit is written. `'none'` leaves out the word of tokens and pages (an axis
   * titled with its unit); storage always keeps its SI unit, which carries the scale.
   * Default `'short'`: "1.5 MB", "12,345 tokens".
   */
  unitDisplay?: 'long' | 'short' | 'narrow' | 'none' | undefined;
}

const SI_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;
const STORAGE_DIGITS = 3;

/** The counted words: Intl has no "token" or "page" unit. English, as every label is. */
const WORDS = { tokens: ['token', 'tokens'], ocr: ['page', 'pages'] } as const;

function assertFinite(amount: number): void {
  if (!Number.isFinite(amount)) throw new RangeError(`Not an amount: ${amount}`);
}

function formatCount(amount: number, resourceType: 'tokens' | 'ocr', options: AmountFormatOptions): string {
  const number = numberFormat(
    options.locale,
    options.compact ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: 0 },
  ).format(amount);
  if (options.unitDisplay === 'none') return number;
  const [one, other] = WORDS[resourceType];
  const word = pluralRules('en').select(Math.round(amount)) === 'one' ? one : other;
  return `${number} ${word}`;
}

/**
 * Bytes in CLDR's short form say "byte" in English ("999 byte"); the kilobyte pattern of
 * the same locale, less its kilo prefix, gives the symbol people expect ("999 B",
 * "999 o" in French). Locales whose kilobyte symbol does not start with a k keep Intl's.
 */
function formatBytesShort(amount: number, locale: string | undefined): string {
  const parts = numberFormat(locale, { style: 'unit', unit: 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 0 }).formatToParts(
    amount,
  );
  const unit = parts.find((part) => part.type === 'unit');
  if (!unit || !/^[kK\u043a\u041a]./u.test(unit.value)) {
    return numberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'short', maximumFractionDigits: 0 }).format(amount);
  }
  return parts.map((part) => (part.type === 'unit' ? part.value.slice(1) : part.value)).join('');
}

function formatStorage(amount: number, options: AmountFormatOptions): string {
  let index = 0;
  let value = Math.abs(amount);
  // Scale by the rounded value, so that 999,950 B reads "1 MB", not "1,000 kB".
  while (index < SI_UNITS.length - 1 && Number(value.toPrecision(STORAGE_DIGITS)) >= 1000) {
    value /= 1000;
    index++;
  }
  const signed = Math.sign(amount) * value;
  const unitDisplay = options.unitDisplay === 'none' || options.unitDisplay == null ? 'short' : options.unitDisplay;
  if (index === 0 && unitDisplay === 'short') return formatBytesShort(Math.round(signed), options.locale);
  return numberFormat(options.locale, {
    style: 'unit',
    unit: SI_UNITS[index],
    unitDisplay,
    ...(index === 0 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: STORAGE_DIGITS }),
  }).format(signed);
}

/** An amount in the unit of its resource type, for people: "12,345 tokens", "1.5 MB", "3 pages". */
export function formatAmount(amount: number, resourceType: ResourceType, options: AmountFormatOptions = {}): string {
  assertFinite(amount);
  return resourceType === 'storage' ? formatStorage(amount, options) : formatCount(amount, resourceType, options);
}

const STORAGE_FACTORS: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  o: 1,
  octet: 1,
  octets: 1,
  k: 1e3,
  kb: 1e3,
  ko: 1e3,
  kilobyte: 1e3,
  kilobytes: 1e3,
  m: 1e6,
  mb: 1e6,
  mo: 1e6,
  megabyte: 1e6,
  megabytes: 1e6,
  g: 1e9,
  gb: 1e9,
  go: 1e9,
  gigabyte: 1e9,
  gigabytes: 1e9,
  t: 1e12,
  tb: 1e12,
  to: 1e12,
  terabyte: 1e12,
  terabytes: 1e12,
  pb: 1e15,
  petabyte: 1e15,
  petabytes: 1e15,
};

const COUNT_WORDS = /^(?:tokens?|pages?)$/i;

/** Every kind of space a locale may group with (NBSP, narrow NBSP) counts as a plain space. */
function normalizeSpaces(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/gu, ' ').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The locale's grouping and decimal separators. */
function separators(locale: string | undefined): { group: string; decimal: string } {
  const parts = numberFormat(locale).formatToParts(1234567.5);
  return {
    group: normalizeSpaces(parts.find((p) => p.type === 'group')?.value ?? ',') || ' ',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
}

/** A number written in the locale: digits grouped correctly or not at all, and an optional fraction. */
function parseLocaleNumber(text: string, locale: string | undefined): number | null {
  const { group, decimal } = separators(locale);
  const g = escapeRegExp(group);
  const match = new RegExp(`^(\\d{1,3}(?:${g}\\d{3})+|\\d+)(?:${escapeRegExp(decimal)}(\\d+))?$`, 'u').exec(text);
  if (!match) return null;
  const integer = match[1]!.split(group).join('');
  return Number(match[2] ? `${integer}.${match[2]}` : integer);
}

/**
 * Reads an amount a person typed, in the unit of the resource type: a non-negative
 * integer with the locale's grouping ("12,345", "12.345" in German), an optional word
 * ("500 tokens"), and for storage a size with an SI unit ("10 MB", "1.5GB", "500 kB",
 * "2 B"; 1 kB = 1,000 B). Returns null for anything else.
 */
export function parseAmount(text: string, resourceType: ResourceType, locale?: string): number | null {
  const match = /^(.*?)\s*([\p{L}]+)?$/u.exec(normalizeSpaces(text));
  if (!match || !match[1]) return null;
  const [, numberText, unitText] = match;
  let factor = 1;
  if (resourceType === 'storage') {
    if (unitText) {
      const known = STORAGE_FACTORS[unitText.toLowerCase()];
      if (known === undefined) return null;
      factor = known;
    }
  } else if (unitText && !COUNT_WORDS.test(unitText)) {
    return null;
  }
  const value = parseLocaleNumber(numberText!, locale);
  if (value == null) return null;
  if (resourceType !== 'storage' && !Number.isInteger(value)) return null;
  const amount = Math.round(value * factor);
  return Number.isSafeInteger(amount) ? amount : null;
}
