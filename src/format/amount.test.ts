import { expect } from '@open-wc/testing';
import { formatAmount, parseAmount } from './amount.js';
import { isolate, revealControls } from './bidi.js';
import { formatDateTime } from './datetime.js';
import { ioTypeLabel, poolCategoryLabel, resourceTypeLabel, unitLabel } from './labels.js';

/** Locales space with NBSP or narrow NBSP; compare them as plain spaces. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatAmount', () => {
  it('writes tokens grouped, with a counted word, in each locale', () => {
    expect(formatAmount(12345, 'tokens', { locale: 'en-US' })).to.equal('12,345 tokens');
    expect(formatAmount(1, 'tokens', { locale: 'en-US' })).to.equal('1 token');
    expect(formatAmount(0, 'tokens', { locale: 'en-US' })).to.equal('0 tokens');
    expect(formatAmount(12345, 'tokens', { locale: 'de-DE' })).to.equal('12.345 tokens');
    expect(plain(formatAmount(1234567, 'tokens', { locale: 'fr-FR' }))).to.equal('1 234 567 tokens');
    expect(formatAmount(12345, 'tokens', { locale: 'en-US', unitDisplay: 'none' })).to.equal('12,345');
  });

  it('writes compact tokens for axes and summaries', () => {
    expect(formatAmount(12345, 'tokens', { locale: 'en-US', compact: true })).to.equal('12.3K tokens');
    expect(formatAmount(12345, 'tokens', { locale: 'en-US', compact: true, unitDisplay: 'none' })).to.equal('12.3K');
    // Three significant digits whatever the scale: 1,046,842 is not "1M" beside "756K".
    expect(formatAmount(1_046_842, 'tokens', { locale: 'en-US', compact: true })).to.equal('1.05M tokens');
    expect(formatAmount(756_400, 'tokens', { locale: 'en-US', compact: true })).to.equal('756K tokens');
    expect(formatAmount(5_000_000, 'ocr', { locale: 'en-US', compact: true })).to.equal('5M pages');
    expect(plain(formatAmount(1_234_567, 'tokens', { locale: 'de-DE', compact: true, unitDisplay: 'none' }))).to.equal(
      '1,23 Mio.',
    );
    expect(plain(formatAmount(12345, 'tokens', { locale: 'fr-FR', compact: true, unitDisplay: 'none' }))).to.equal('12,3 k');
    // No short form for thousands in German or Japanese: in full, not "207.000" or "2160" that pass for exact.
    expect(formatAmount(207_462, 'tokens', { locale: 'de-DE', compact: true })).to.equal('207.462 tokens');
    expect(formatAmount(2_155, 'ocr', { locale: 'ja-JP', compact: true })).to.equal('2,155 pages');
    expect(formatAmount(207_462, 'tokens', { locale: 'ja-JP', compact: true })).to.equal('20.7万 tokens');
    expect(formatAmount(999, 'tokens', { locale: 'en-US', compact: true })).to.equal('999 tokens');
  });

  it('writes storage in SI bytes, scaled to the largest fitting unit', () => {
    const en = (bytes: number, more = {}): string => formatAmount(bytes, 'storage', { locale: 'en-US', ...more });
    expect(en(999)).to.equal('999 B');
    expect(en(1000)).to.equal('1 kB');
    expect(en(500_000)).to.equal('500 kB');
    expect(en(1_500_000)).to.equal('1.5 MB');
    expect(en(1_234_567)).to.equal('1.23 MB');
    expect(en(12_000_000_000)).to.equal('12 GB');
    expect(en(3_000_000_000_000)).to.equal('3 TB');
    expect(en(999_950)).to.equal('1 MB');
    expect(en(1_500_000, { unitDisplay: 'long' })).to.equal('1.5 megabytes');
    expect(en(999, { unitDisplay: 'long' })).to.equal('999 bytes');
    expect(en(1_500_000, { unitDisplay: 'narrow' })).to.equal('1.5MB');
    expect(en(1_500_000, { unitDisplay: 'none' })).to.equal('1.5 MB');
  });

  it('writes storage in the symbols of German and French', () => {
    expect(plain(formatAmount(999, 'storage', { locale: 'de-DE' }))).to.equal('999 B');
    expect(plain(formatAmount(1_500_000, 'storage', { locale: 'de-DE' }))).to.equal('1,5 MB');
    expect(plain(formatAmount(999, 'storage', { locale: 'fr-FR' }))).to.equal('999 o');
    expect(plain(formatAmount(12_000_000_000, 'storage', { locale: 'fr-FR' }))).to.equal('12 Go');
  });

  it('writes OCR in pages, pluralised', () => {
    expect(formatAmount(3, 'ocr', { locale: 'en-US' })).to.equal('3 pages');
    expect(formatAmount(1, 'ocr', { locale: 'en-US' })).to.equal('1 page');
    expect(formatAmount(1500, 'ocr', { locale: 'de-DE' })).to.equal('1.500 pages');
  });

  it('keeps the decimals asked for (a rate), the word following the number shown', () => {
    expect(formatAmount(2.43, 'ocr', { locale: 'en-US', fractionDigits: 1 })).to.equal('2.4 pages');
    expect(formatAmount(2.43, 'ocr', { locale: 'de-DE', fractionDigits: 1 })).to.equal('2,4 pages');
    expect(formatAmount(1.04, 'ocr', { locale: 'en-US', fractionDigits: 1 })).to.equal('1 page');
    expect(formatAmount(0.96, 'tokens', { locale: 'en-US', fractionDigits: 1 })).to.equal('1 token');
    expect(formatAmount(2.43, 'ocr', { locale: 'en-US' })).to.equal('2 pages');
  });

  it('keeps the sign of a negative figure (a falling trend) and refuses a non-finite one', () => {
    expect(formatAmount(-1_500_000, 'storage', { locale: 'en-US' })).to.equal('-1.5 MB');
    expect(formatAmount(-12, 'tokens', { locale: 'en-US' })).to.equal('-12 tokens');
    expect(() => formatAmount(Number.NaN, 'tokens')).to.throw(RangeError, 'Not an amount');
  });
});

describe('parseAmount', () => {
  it('reads integers with the grouping of the locale, and an optional word', () => {
    expect(parseAmount('12,345', 'tokens', 'en-US')).to.equal(12345);
    expect(parseAmount('12345', 'tokens', 'en-US')).to.equal(12345);
    expect(parseAmount(' 500 tokens ', 'tokens', 'en-US')).to.equal(500);
    expect(parseAmount('1 page', 'ocr', 'en-US')).to.equal(1);
    expect(parseAmount('12.345', 'tokens', 'de-DE')).to.equal(12345);
    expect(parseAmount('1 234 567', 'tokens', 'fr-FR')).to.equal(1234567);
    expect(parseAmount('1\u202f234', 'tokens', 'fr-FR')).to.equal(1234);
  });

  it('reads the thousand and million shorthands of the charts’ axes, when they make a whole count', () => {
    expect(parseAmount('10K', 'tokens', 'en-US')).to.equal(10_000);
    expect(parseAmount('1.5k', 'tokens', 'en-US')).to.equal(1_500);
    expect(parseAmount('2M', 'tokens', 'en-US')).to.equal(2_000_000);
    expect(parseAmount('1,5 M', 'ocr', 'de-DE')).to.equal(1_500_000);
    expect(parseAmount('1.2345k', 'tokens', 'en-US'), 'not a whole count').to.equal(null);
    expect(parseAmount('10kk', 'tokens', 'en-US')).to.equal(null);
  });

  it('refuses what is not a non-negative integer of the unit', () => {
    for (const [text, locale] of [
      ['12.345', 'en-US'],
      ['12,345', 'de-DE'],
      ['1,23,456', 'en-US'],
      ['-5', 'en-US'],
      ['5 MB', 'en-US'],
      ['', 'en-US'],
      ['tokens', 'en-US'],
      ['1e5', 'en-US'],
      ['99999999999999999999', 'en-US'],
    ] as const) {
      expect(parseAmount(text, 'tokens', locale), `${text} in ${locale}`).to.equal(null);
    }
  });

  it('reads storage sizes with SI units, in each locale', () => {
    expect(parseAmount('10 MB', 'storage', 'en-US')).to.equal(10_000_000);
    expect(parseAmount('1.5GB', 'storage', 'en-US')).to.equal(1_500_000_000);
    expect(parseAmount('500 kB', 'storage', 'en-US')).to.equal(500_000);
    expect(parseAmount('2 B', 'storage', 'en-US')).to.equal(2);
    expect(parseAmount('2048', 'storage', 'en-US')).to.equal(2048);
    expect(parseAmount('1,500 MB', 'storage', 'en-US')).to.equal(1_500_000_000);
    expect(parseAmount('1,5 GB', 'storage', 'de-DE')).to.equal(1_500_000_000);
    expect(parseAmount('1,5 Go', 'storage', 'fr-FR')).to.equal(1_500_000_000);
    // A fraction of a byte is no amount: rounded, an inclusive maximum of 1.5 B let 2 B past.
    expect(parseAmount('1.2345 kB', 'storage', 'en-US')).to.equal(null);
    expect(parseAmount('1.5', 'storage', 'en-US')).to.equal(null);
    expect(parseAmount('0.4 B', 'storage', 'en-US')).to.equal(null);
    expect(parseAmount('1.0005 kB', 'storage', 'en-US')).to.equal(null);
    expect(parseAmount('1.2340 kB', 'storage', 'en-US'), 'zeros past the byte').to.equal(1234);
    // Exactly, not through floating point (1.005 × 1000 is 1004.999…).
    expect(parseAmount('1.005 kB', 'storage', 'en-US')).to.equal(1005);
    expect(parseAmount('1.005k', 'tokens', 'en-US')).to.equal(1005);
    expect(parseAmount('4.35 MB', 'storage', 'en-US')).to.equal(4_350_000);
    expect(parseAmount('0.000001 TB', 'storage', 'en-US')).to.equal(1_000_000);
    expect(parseAmount('10 MiB', 'storage', 'en-US')).to.equal(null);
    expect(parseAmount('1,5 GB', 'storage', 'en-US')).to.equal(null);
  });

  it('reads the grouping and the digits each locale writes with, and its own storage units', () => {
    expect(parseAmount('1,00,000', 'tokens', 'en-IN')).to.equal(100_000);
    expect(parseAmount('12,34,567 tokens', 'tokens', 'en-IN')).to.equal(1_234_567);
    expect(parseAmount('1,234,567', 'tokens', 'en-IN'), 'threes read too').to.equal(1_234_567);
    expect(parseAmount('1,23,456', 'tokens', 'en-US'), 'not in US English').to.equal(null);
    expect(parseAmount('١٢٬٣٤٥', 'tokens', 'ar-EG')).to.equal(12_345);
    expect(parseAmount('12٬345', 'tokens', 'ar-EG'), 'ASCII digits too').to.equal(12_345);
    expect(parseAmount('١٫٥ GB', 'storage', 'ar-EG')).to.equal(1_500_000_000);
    expect(parseAmount('١٢٬٣٤٥', 'tokens', 'hi-IN-u-nu-deva')).to.equal(null);
    expect(parseAmount('१२,३४५', 'tokens', 'hi-IN-u-nu-deva')).to.equal(12_345);
    const megabytes = new Intl.NumberFormat('ar-EG', { style: 'unit', unit: 'megabyte', unitDisplay: 'long' }).format(2);
    expect(parseAmount(megabytes, 'storage', 'ar-EG'), megabytes).to.equal(2_000_000);
    expect(parseAmount('2 Megabyte', 'storage', 'de-DE')).to.equal(2_000_000);
  });

  it('reads the full-width digits, separators and units an East Asian input method types', () => {
    expect(parseAmount('１２，３４５', 'tokens', 'ja-JP')).to.equal(12_345);
    expect(parseAmount('１２３４５ tokens', 'tokens', 'zh-CN')).to.equal(12_345);
    expect(parseAmount('１．５ＭＢ', 'storage', 'ja-JP')).to.equal(1_500_000);
    expect(parseAmount('１０　ＧＢ', 'storage', 'ko-KR'), 'an ideographic space').to.equal(10_000_000_000);
    expect(parseAmount('１２．３４５', 'tokens', 'de-DE'), 'in the locale’s own grouping').to.equal(12_345);
    expect(parseAmount('１２，３４５', 'tokens', 'de-DE'), 'a German decimal comma: not a whole count').to.equal(null);
  });

  it('reads back what formatAmount writes', () => {
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'en-IN', 'ar-EG', 'hi-IN-u-nu-deva', 'ja-JP']) {
      for (const amount of [0, 7, 999, 12_345, 1_000_000]) {
        expect(parseAmount(formatAmount(amount, 'tokens', { locale }), 'tokens', locale), `${amount} ${locale}`).to.equal(amount);
      }
      for (const amount of [999, 1_500_000, 12_000_000_000]) {
        expect(parseAmount(formatAmount(amount, 'storage', { locale }), 'storage', locale), `${amount} B ${locale}`).to.equal(amount);
      }
    }
  });
});

describe('labels', () => {
  it('names the resource types, pools, I/O types and units', () => {
    expect(['tokens', 'storage', 'ocr'].map((t) => resourceTypeLabel(t as 'tokens'))).to.deep.equal(['Tokens', 'Storage', 'OCR']);
    expect(['allocated', 'surplus', 'hybrid'].map((p) => poolCategoryLabel(p as 'hybrid'))).to.deep.equal([
      'Allocated',
      'Surplus',
      'Hybrid',
    ]);
    expect([ioTypeLabel('input'), ioTypeLabel('output')]).to.deep.equal(['Input', 'Output']);
    expect([unitLabel('tokens'), unitLabel('storage'), unitLabel('ocr')]).to.deep.equal(['tokens', 'bytes', 'pages']);
  });
});

describe('isolate', () => {
  it('isolates a figure holding right-to-left letters (an Arabic unit or date), nothing else', () => {
    const megabytes = formatAmount(1_860_000, 'storage', { locale: 'ar-EG' });
    expect(isolate(megabytes)).to.equal(`\u2068${megabytes}\u2069`);
    const date = formatDateTime('2026-12-01T07:00:00.000Z', { locale: 'ar-EG', timeZone: 'UTC', style: 'medium' });
    expect(isolate(date)).to.equal(`\u2068${date}\u2069`);
    for (const text of [formatAmount(1_860_000, 'storage', { locale: 'en-US' }), formatAmount(12_345, 'tokens', { locale: 'de-DE' })]) {
      expect(isolate(text), text).to.equal(text);
    }
  });
});

describe('revealControls', () => {
  it('writes out embeddings, overrides and isolates, and leaves every other letter, marks included', () => {
    expect(revealControls('\u202Eevil.exe\u202C reversed')).to.equal('⟨U+202E⟩evil.exe⟨U+202C⟩ reversed');
    expect(revealControls('a\u202Ab\u202Bc\u202Dd\u2066e\u2067f\u2068g\u2069')).to.equal('a⟨U+202A⟩b⟨U+202B⟩c⟨U+202D⟩d⟨U+2066⟩e⟨U+2067⟩f⟨U+2068⟩g⟨U+2069⟩');
    expect(revealControls('مستخدم-عربي-١٢٣ u_1 \u200f')).to.equal('مستخدم-عربي-١٢٣ u_1 \u200f');
  });
});
