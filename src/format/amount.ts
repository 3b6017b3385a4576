/**
 * Amounts by resource type: tokens and OCR pages as grouped integers with their word,
 * storage in SI bytes (1 kB = 1,000 B, as the contract counts), in the element's locale.
 */
import type { ResourceType } from '../api/contract.js';
import { cached, numberFormat, pluralRules } from './intl-cache.js';

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
  /** At most this many decimals for tokens and pages (a rate: "2.4 pages"); default 0. */
  fractionDigits?: number | undefined;
}

const SI_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;
const STORAGE_DIGITS = 3;

/** The counted words: Intl has no "token" or "page" unit. English, as every label is. */
const WORDS = { tokens: ['token', 'tokens'], ocr: ['page', 'pages'] } as const;

function assertFinite(amount: number): void {
  if (!Number.isFinite(amount)) throw new RangeError(`Not an amount: ${amount}`);
}

function formatCount(amount: number, resourceType: 'tokens' | 'ocr', options: AmountFormatOptions): string {
  // Three significant digits, as storage's: "1.05M", not "1M" for 1,046,842 beside "756.4K".
  // Where the locale has no short form for the scale (German and Japanese thousands), the
  // rounded number would pass for an exact one ("207.000" for 207,462): written in full.
  const parts = options.compact ? numberFormat(options.locale, { notation: 'compact', maximumSignificantDigits: 3 }).formatToParts(amount) : [];
  const number = parts.some((part) => part.type === 'compact')
    ? parts.map((part) => part.value).join('')
    : numberFormat(options.locale, { maximumFractionDigits: options.fractionDigits ?? 0 }).format(amount);
  if (options.unitDisplay === 'none') return number;
  const [one, other] = WORDS[resourceType];
  const word = pluralRules('en').select(Number(amount.toFixed(options.fractionDigits ?? 0))) === 'one' ? one : other;
  return `${number} ${word}`;
}

/**
 * Bytes in CLDR's short form say "byte" in English ("999 byte"); the kilobyte symbol of
 * the same locale, less its kilo prefix, is the symbol people expect ("999 B", "999 o" in
 * French). Null where the kilobyte symbol does not start with a k (Intl's stands there).
 */
function byteSymbol(locale: string | undefined): string | null {
  const unit = numberFormat(locale, { style: 'unit', unit: 'kilobyte', unitDisplay: 'short' })
    .formatToParts(1)
    .find((part) => part.type === 'unit');
  return unit && /^[kK\u043a\u041a]./u.test(unit.value) ? unit.value.slice(1) : null;
}

/** A count of bytes in the locale, whole and grouped: "1,234,568 B", "١٬٢٣٤٬٥٦٨ ب". */
export function formatBytesShort(amount: number, locale: string | undefined): string {
  const symbol = byteSymbol(locale);
  const unit = symbol === null ? 'byte' : 'kilobyte';
  const parts = numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 }).formatToParts(amount);
  return parts.map((part) => (part.type === 'unit' && symbol !== null ? symbol : part.value)).join('');
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

/** The one-letter shorthands a person may type in any locale ("10 M", "2 G"). */
const STORAGE_LETTERS = { b: 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };

/** The counted words a count may carry ("500 tokens"), and the chart axis's shorthands ("10K", "1.5M"). */
const COUNT_UNITS = new Map([...['token', 'tokens', 'page', 'pages'].map((word) => [word, 1] as const), ['k', 1e3], ['m', 1e6]]);

/** Direction marks some locales put around numbers and units (Arabic's ALM among them). */
const BIDI_MARKS = /[\u061c\u200e\u200f]/gu;

/**
 * Every kind of space a locale may group with (NBSP, narrow NBSP) counts as a plain space;
 * full-width forms, which a Japanese, Chinese or Korean input method types by default
 * ("１２，３４５", "１０ＭＢ"), count as the ASCII ones (NFKC).
 */
function normalizeSpaces(text: string): string {
  return text.normalize('NFKC').replace(BIDI_MARKS, '').replace(/[\s\u00a0\u202f]+/gu, ' ').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * How the locale writes numbers: its digits (Arabic-Indic, Devanagari… read as ASCII
 * ones, which are always accepted too), its decimal separator, and its grouping, as the
 * locale groups (three by three, or "12,34,567" in Indian English) or by threes.
 */
function numberSyntax(locale: string | undefined): { digits: Map<string, string>; pattern: RegExp; group: string } {
  return cached('number syntax', locale, {}, () => {
    const parts = numberFormat(locale).formatToParts(1234567890.5);
    const group = normalizeSpaces(parts.find((p) => p.type === 'group')?.value ?? ',') || ' ';
    const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
    const sizes = parts.filter((p) => p.type === 'integer').map((p) => p.value.length);
    const secondary = sizes.length > 2 ? sizes[sizes.length - 2]! : 3;
    const g = escapeRegExp(group);
    const grouped = [...new Set([secondary, 3])].map((size) => `\\d{1,${size}}(?:${g}\\d{${size}})*${g}\\d{3}`);
    const digits = new Map<string, string>();
    const plain = numberFormat(locale, { useGrouping: false });
    for (let i = 0; i < 10; i++) if (plain.format(i) !== String(i)) digits.set(plain.format(i), String(i));
    const pattern = new RegExp(`^(${grouped.join('|')}|\\d+)(?:${escapeRegExp(decimal)}(\\d+))?$`, 'u');
    return { digits, pattern, group };
  });
}

/**
 * A number written in the locale (digits grouped as the locale does or not at all, and an
 * optional fraction) times 10^`shift`, exactly: null unless that is a whole number
 * ("1.005" shifted by 3 is 1005, where 1.005 × 1000 is 1004.999…; "1.0005" is null).
 */
function parseLocaleNumber(text: string, locale: string | undefined, shift: number): number | null {
  const { digits, pattern, group } = numberSyntax(locale);
  const match = pattern.exec([...text].map((c) => digits.get(c) ?? c).join(''));
  if (!match) return null;
  const fraction = (match[2] ?? '').padEnd(shift, '0');
  return /[^0]/.test(fraction.slice(shift)) ? null : Number(match[1]!.split(group).join('') + fraction.slice(0, shift));
}

/**
 * The storage units a person may type, lower-cased, with their factor: every form the
 * locale writes ("MB", "Mo", "م.ب", "Megabyte"), as `formatAmount` shows them, the
 * English ones in any locale, and one-letter shorthands.
 */
function storageUnits(locale: string | undefined): Map<string, number> {
  return cached('storage units', locale, {}, () => {
    const units = new Map<string, number>(Object.entries(STORAGE_LETTERS));
    for (const source of ['en', locale]) {
      SI_UNITS.forEach((unit, index) => {
        for (const unitDisplay of ['short', 'long', 'narrow'] as const) {
          for (const count of [0, 1, 2, 5, 1.5]) {
            const part = numberFormat(source, { style: 'unit', unit, unitDisplay }).formatToParts(count).find((p) => p.type === 'unit');
            if (part) units.set(normalizeSpaces(part.value).toLowerCase(), 1000 ** index);
          }
        }
      });
      const symbol = byteSymbol(source);
      if (symbol) units.set(normalizeSpaces(symbol).toLowerCase(), 1);
    }
    return units;
  });
}

/**
 * The number and the factor of its unit, written after it ("10 MB", "1.5GB") or before
 * it where a locale does so; the longest known unit wins. Null when letters are left that
 * name no unit.
 */
function splitUnit(text: string, units: Map<string, number>): { number: string; factor: number } | null {
  const lower = text.toLowerCase();
  let found: { unit: string; number: string; factor: number } | null = null;
  for (const [unit, factor] of units) {
    if (found && unit.length <= found.unit.length) continue;
    if (lower.endsWith(unit)) found = { unit, factor, number: text.slice(0, text.length - unit.length).trim() };
    else if (lower.startsWith(unit)) found = { unit, factor, number: text.slice(unit.length).trim() };
  }
  if (found) return found;
  return /\p{L}/u.test(text) ? null : { number: text, factor: 1 };
}

/**
 * Reads an amount a person typed, in the unit of the resource type: a non-negative
 * integer with the locale's grouping and digits ("12,345", "12.345" in German,
 * "12,34,567" in Indian English, "١٢٬٣٤٥" in Egyptian Arabic), an optional word ("500
 * tokens") or a thousand or million shorthand as the charts' axes write in English ("10K",
 * "1.5M"; in every locale), and for storage a size with an SI unit ("10 MB", "1.5GB",
 * "500 kB", "2 B", "١٫٥ م.ب"; 1 kB = 1,000 B); full-width forms as their ASCII ones
 * ("１２，３４５"). Returns null for anything else, a fraction of the unit among it ("1.5
 * pages", "1.0005 kB").
 */
export function parseAmount(text: string, resourceType: ResourceType, locale?: string): number | null {
  const split = splitUnit(normalizeSpaces(text), resourceType === 'storage' ? storageUnits(locale) : COUNT_UNITS);
  if (!split || !split.number) return null;
  // Factors are powers of ten: shifted by their count of zeros. A fraction of the unit
  // (of a byte too) is no amount: rounded, an inclusive bound let past what it excluded.
  const amount = parseLocaleNumber(split.number, locale, String(split.factor).length - 1);
  return amount != null && Number.isSafeInteger(amount) ? amount : null;
}
