/**
 * Intl objects are costly to build and a table formats thousands of cells: every
 * formatter is kept by (kind, locale, options), where options include the time zone.
 */

const MAX_ENTRIES = 500;
const cache = new Map<string, unknown>();

/** A value derived from a locale (and options), kept like the formatters. */
export function cached<T>(kind: string, locale: string | undefined, options: object, make: () => T): T {
  const key = `${kind}\u0000${locale ?? ''}\u0000${JSON.stringify(options)}`;
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, value);
  }
  return value;
}

export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached('number', locale, options, () => new Intl.NumberFormat(locale, options));
}

export function dateTimeFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached('date', locale, options, () => new Intl.DateTimeFormat(locale, options));
}

export function pluralRules(locale: string | undefined, options: Intl.PluralRulesOptions = {}): Intl.PluralRules {
  return cached('plural', locale, options, () => new Intl.PluralRules(locale, options));
}

export function relativeTimeFormat(
  locale: string | undefined,
  options: Intl.RelativeTimeFormatOptions = {},
): Intl.RelativeTimeFormat {
  return cached('relative', locale, options, () => new Intl.RelativeTimeFormat(locale, options));
}
