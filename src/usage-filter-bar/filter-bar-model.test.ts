import { expect } from '@open-wc/testing';
import { DEFAULT_FILTER_STATE, RANGE_PRESETS, normalizeFilterState } from '../filters/state.js';
import {
  RANGE_PRESET_LABELS,
  amountInputText,
  fromLocalInput,
  parseAmountInput,
  parseAmountRange,
  parseCustomRange,
  parseRequestIdInput,
  summarizeFilters,
  toLocalInput,
} from './filter-bar-model.js';

describe('filter bar model: typed amounts', () => {
  it('reads storage sizes in SI units and counts with the locale grouping', () => {
    expect(parseAmountInput('10 MB', 'storage', 'minimum')).to.deep.equal({ ok: true, value: 10_000_000 });
    expect(parseAmountInput('1.5GB', 'storage', 'minimum')).to.deep.equal({ ok: true, value: 1_500_000_000 });
    expect(parseAmountInput('12,345', 'tokens', 'maximum', 'en-US')).to.deep.equal({ ok: true, value: 12_345 });
    expect(parseAmountInput('12.345', 'tokens', 'maximum', 'de-DE')).to.deep.equal({ ok: true, value: 12_345 });
    expect(parseAmountInput('  ', 'ocr', 'minimum')).to.deep.equal({ ok: true, value: null });
  });

  it('refuses negative and non-numeric values with a message naming the bound', () => {
    const negative = parseAmountInput('-5', 'tokens', 'minimum');
    expect(negative.ok).to.equal(false);
    expect((negative as { message: string }).message).to.equal('The minimum cannot be negative.');
    const minusSign = parseAmountInput('\u22125 MB', 'storage', 'maximum');
    expect((minusSign as { message: string }).message).to.equal('The maximum cannot be negative.');
    const words = parseAmountInput('lots', 'tokens', 'maximum');
    expect((words as { message: string }).message).to.contain('“lots” is not an amount').and.contain('whole number of tokens');
    const unit = parseAmountInput('10 parsecs', 'storage', 'minimum');
    expect((unit as { message: string }).message).to.contain('a size in whole bytes, such as 1.5 MB');
    // In German "1.5 MB" is not a size (the point groups thousands): the example writes the decimal comma.
    const german = parseAmountInput('1.5 MB', 'storage', 'minimum', 'de-DE');
    expect((german as { message: string }).message).to.equal('The minimum “1.5 MB” is not an amount: enter a size in whole bytes, such as 1,5 MB.');
    expect(parseAmountInput('1.5', 'ocr', 'minimum').ok).to.equal(false);
  });

  it('refuses a minimum above the maximum', () => {
    expect(parseAmountRange('10 MB', '2 kB', 'storage').order).to.equal('The minimum is above the maximum.');
    expect(parseAmountRange('5', '5', 'tokens').order).to.equal(null);
    expect(parseAmountRange('5', '', 'tokens').order).to.equal(null);
  });

  it('writes amounts back so that reading them gives the same integer', () => {
    for (const locale of ['en-US', 'de-DE', 'ar-EG', 'hi-IN-u-nu-deva']) {
      for (const amount of [0, 999, 10_000_000, 1_500_000_000, 10_500_001, 123_456_789]) {
        const text = amountInputText(amount, 'storage', locale);
        expect(parseAmountInput(text, 'storage', 'minimum', locale)).to.deep.equal({ ok: true, value: amount }, `${text} in ${locale}`);
      }
    }
    expect(amountInputText(10_000_000, 'storage', 'en-US')).to.equal('10 MB');
    // A size no SI unit holds exactly: its bytes, grouped and in the locale's digits (it read "1234568 B" in every locale).
    expect(amountInputText(1_234_568, 'storage', 'en-US')).to.equal('1,234,568 B');
    expect(amountInputText(1_234_568, 'storage', 'de-DE')).to.equal('1.234.568 B');
    expect(amountInputText(1_234_568, 'storage', 'ar-EG')).to.match(/^[\u0660-\u0669\u066c\u061c\u200f]+ /u);
    expect(amountInputText(12_345, 'tokens', 'de-DE')).to.equal('12.345');
    expect(amountInputText(null, 'tokens')).to.equal('');
    expect(amountInputText(5, null)).to.equal('');
  });
});

describe('filter bar model: request ID', () => {
  it('trims, clears when empty, refuses more than 256 characters', () => {
    expect(parseRequestIdInput('  req_1 ')).to.deep.equal({ ok: true, value: 'req_1' });
    expect(parseRequestIdInput('')).to.deep.equal({ ok: true, value: null });
    const long = parseRequestIdInput('x'.repeat(257));
    expect(long.ok).to.equal(false);
    expect((long as { message: string }).message).to.contain('at most 256 characters');
    // Characters are code points, as the server counts them.
    expect(parseRequestIdInput('😀'.repeat(256))).to.deep.equal({ ok: true, value: '😀'.repeat(256) });
    expect(parseRequestIdInput('😀'.repeat(257))).to.deep.include({ ok: false, message: 'A request ID has at most 256 characters; this one has 257.' });
  });
});

describe('filter bar model: custom range in a time zone', () => {
  it('reads datetime-local values as wall time in the zone, across a DST change', () => {
    // Europe/Berlin moves from +01:00 to +02:00 on 2025-03-30 at 02:00.
    expect(new Date(fromLocalInput('2025-03-29T12:00', 'Europe/Berlin')!).toISOString()).to.equal('2025-03-29T11:00:00.000Z');
    expect(new Date(fromLocalInput('2025-03-30T12:00', 'Europe/Berlin')!).toISOString()).to.equal('2025-03-30T10:00:00.000Z');
    expect(new Date(fromLocalInput('2025-03-30T12:00:30', 'America/New_York')!).toISOString()).to.equal('2025-03-30T16:00:30.000Z');
    expect(fromLocalInput('', 'UTC')).to.equal(null);
    expect(fromLocalInput('yesterday', 'UTC')).to.equal(null);
  });

  it('writes instants as the zone shows them', () => {
    expect(toLocalInput('2025-03-30T10:00:00.000Z', 'Europe/Berlin')).to.equal('2025-03-30T12:00');
    expect(toLocalInput('2025-03-29T11:00:00.000Z', 'Europe/Berlin')).to.equal('2025-03-29T12:00');
    expect(toLocalInput('2025-03-29T11:00:05.000Z', 'UTC')).to.equal('2025-03-29T11:00:05');
    expect(toLocalInput('2025-03-29T11:00:05.250Z', 'UTC')).to.equal('2025-03-29T11:00:05.250');
  });

  it('refuses a start after (or at) the end, and missing ends', () => {
    const late = parseCustomRange('2025-03-10T10:00', '2025-03-01T10:00', 'UTC');
    expect(late).to.deep.equal({ ok: false, message: 'The start must be before the end.', final: true, ends: ['from', 'to'] });
    expect(parseCustomRange('2025-03-10T10:00', '2025-03-10T10:00', 'UTC').ok).to.equal(false);
    expect((parseCustomRange('', '2025-03-10T10:00', 'UTC') as { message: string }).message).to.equal('Enter a start date and time, from 1970 on.');
    expect((parseCustomRange('2025-03-10T10:00', '', 'UTC') as { message: string }).message).to.equal('Enter an end date and time, from 1970 on.');
    // Each refusal names the inputs it is about.
    expect((parseCustomRange('', '2025-03-10T10:00', 'UTC') as { ends: readonly string[] }).ends).to.deep.equal(['from']);
    expect((parseCustomRange('2025-03-10T10:00', '', 'UTC') as { ends: readonly string[] }).ends).to.deep.equal(['to']);
    expect((parseCustomRange('', '', 'UTC') as { ends: readonly string[] }).ends).to.deep.equal(['from', 'to']);
    // A year typed short ("26") or before 1970 is refused here, not read as 1926 or sent to a server that refuses it.
    for (const year of ['0026', '0080', '1969']) {
      expect((parseCustomRange(`${year}-01-01T00:00`, '2026-03-10T10:00', 'UTC') as { message: string }).message).to.equal('Enter a start date and time, from 1970 on.');
    }
    expect(parseCustomRange('1970-01-01T00:00', '1970-01-02T00:00', 'UTC').ok).to.equal(true);
    expect(parseCustomRange('2025-03-01T00:00', '2025-03-08T00:00', 'Europe/Berlin')).to.deep.equal({
      ok: true,
      value: { from: '2025-02-28T23:00:00.000Z', to: '2025-03-07T23:00:00.000Z' },
    });
  });

  it('refuses a wall time the clocks skip, naming it, the zone and the gap, in the locale', () => {
    // New York goes from 02:00 to 03:00 on 8 March 2026; 02:30 would read as 03:30, after a 03:00 end.
    const start = parseCustomRange('2026-03-08T02:30', '2026-03-08T03:00', 'America/New_York', undefined, 'en-US') as { ok: boolean; final?: boolean; message: string };
    expect([start.ok, start.final]).to.deep.equal([false, true]);
    // ICU puts a narrow no-break space before AM in some versions.
    expect(start.message.replace(/\s/gu, ' ')).to.equal(
      'The start, 3/8/26, 2:30 AM, does not exist in America/New_York: the clocks go forward from 2:00 AM to 3:00 AM that day. Choose a time before 2:00 AM or from 3:00 AM.',
    );
    // An end in the gap would silently move an hour later.
    const end = parseCustomRange('2026-03-08T01:00', '2026-03-08T02:15', 'America/New_York', undefined, 'de-DE');
    expect((end as { message: string }).message).to.equal(
      'The end, 08.03.26, 02:15, does not exist in America/New_York: the clocks go forward from 02:00 to 03:00 that day. Choose a time before 02:00 or from 03:00.',
    );
    expect((end as { ends: readonly string[] }).ends).to.deep.equal(['to']);
    // Half-hour and 45-minute changes: Lord Howe 02:00 → 02:30, Chatham 02:45 → 03:45.
    expect((parseCustomRange('2026-10-04T02:10', '2026-10-05T00:00', 'Australia/Lord_Howe', undefined, 'en-GB') as { message: string }).message).to.contain(
      'from 02:00 to 02:30',
    );
    expect((parseCustomRange('2026-09-27T03:00', '2026-09-28T00:00', 'Pacific/Chatham', undefined, 'en-GB') as { message: string }).message).to.contain(
      'from 02:45 to 03:45',
    );
    // A skipped midnight (Santiago) and the repeated hour (which exists, twice) are different.
    expect((parseCustomRange('2026-09-06T00:30', '2026-09-07T00:00', 'America/Santiago', undefined, 'en-GB') as { message: string }).message).to.contain(
      'from 00:00 to 01:00',
    );
    expect(parseCustomRange('2026-11-01T01:30', '2026-11-01T03:00', 'America/New_York').ok).to.equal(true);
    expect(parseCustomRange('2026-03-08T03:00', '2026-03-08T04:00', 'America/New_York').ok).to.equal(true);
  });

  it('keeps an applied end in the repeated hour when only the other end is edited', () => {
    // 01:30Z is the second 02:30 in Berlin on 25 October 2026 (CET); its wall time reads as the first.
    const applied = { from: '2026-10-25T01:30:00.000Z', to: '2026-10-25T03:00:00.000Z' };
    const shown = toLocalInput(applied.from, 'Europe/Berlin');
    expect(shown).to.equal('2026-10-25T02:30');
    expect(parseCustomRange(shown, '2026-10-25T05:00', 'Europe/Berlin', applied)).to.deep.equal({
      ok: true,
      value: { from: applied.from, to: '2026-10-25T04:00:00.000Z' },
    });
    // Typed anew, the wall time names its first occurrence.
    expect(parseCustomRange(shown, '2026-10-25T05:00', 'Europe/Berlin')).to.deep.equal({
      ok: true,
      value: { from: '2026-10-25T00:30:00.000Z', to: '2026-10-25T04:00:00.000Z' },
    });
  });
});

describe('filter bar model: summary', () => {
  it('says the default in a few words', () => {
    expect(summarizeFilters(DEFAULT_FILTER_STATE)).to.equal('7 days · all types');
  });

  it('names each preset in the summary\'s words, from the range select\'s labels', () => {
    const words = Object.fromEntries(RANGE_PRESETS.map((preset) => [preset, summarizeFilters(normalizeFilterState({ range: { preset } })).split(' · ')[0]]));
    expect(words).to.deep.equal({ '24h': '24 hours', '7d': '7 days', '30d': '30 days', '90d': '90 days', 'this-month': 'this month', 'last-month': 'last month' });
    expect(RANGE_PRESETS.map((preset) => RANGE_PRESET_LABELS[preset])).to.deep.equal(['Last 24 hours', 'Last 7 days', 'Last 30 days', 'Last 90 days', 'This month', 'Last month']);
  });

  it('names every active filter compactly', () => {
    const state = normalizeFilterState({
      range: { preset: '30d' },
      resourceType: 'storage',
      userIds: ['a', 'b', 'c'],
      poolCategories: ['surplus', 'hybrid'],
      ioTypes: ['input'],
      amountMin: 10_000_000,
      endpoints: ['/v1/chat'],
    });
    expect(summarizeFilters(state, { locale: 'en-US' })).to.equal('30 days · storage · 3 users · surplus, hybrid pool categories · input · ≥ 10 MB · /v1/chat');
    const tokens = normalizeFilterState({ resourceType: 'tokens', userIds: ['a'], amountMin: 5, amountMax: 1_000, endpoints: ['a', 'b', 'c'] });
    expect(summarizeFilters(tokens, { locale: 'en-US' })).to.equal('7 days · tokens · 1 user · 5 tokens – 1,000 tokens · 3 endpoints');
  });

  it('shows "all dates (request ID)" while a request ID is set', () => {
    const state = normalizeFilterState({ range: { preset: '24h' }, requestId: 'req_9' });
    expect(summarizeFilters(state)).to.equal('all dates (request ID) · all types · request req_9');
  });

  it('writes a custom range in the locale and zone', () => {
    const state = normalizeFilterState({ range: { from: '2025-03-01T23:00:00Z', to: '2025-03-08T23:00:00Z' }, resourceType: 'ocr' });
    expect(summarizeFilters(state, { locale: 'en-US', timeZone: 'Europe/Berlin' })).to.equal('Mar 2\u202f– 8, 2025 · OCR');
  });
});
