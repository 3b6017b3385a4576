import { expect } from '@open-wc/testing';
import { bucketPhrase, formatDateTime, formatInstantFull, formatRange, formatRelative, formatWhen } from './datetime.js';

/** Locales space with NBSP or narrow NBSP; compare them as plain spaces. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

// Europe/Berlin moves from CET to CEST at 2025-03-30 01:00 UTC (02:00 local becomes 03:00);
// America/New_York from EST to EDT at 2025-03-09 07:00 UTC.
const BEFORE_BERLIN_DST = '2025-03-30T00:30:00.000Z';
const AFTER_BERLIN_DST = '2025-03-30T01:30:00.000Z';

describe('formatDateTime', () => {
  it('writes a table cell in the locale and time zone', () => {
    expect(plain(formatDateTime('2025-03-09T18:05:12.000Z', { locale: 'en-US', timeZone: 'America/New_York' }))).to.equal(
      'Mar 9, 2025, 2:05:12 PM',
    );
    expect(formatDateTime('2025-03-09T18:05:12.000Z', { locale: 'de-DE', timeZone: 'Europe/Berlin' })).to.equal(
      '09.03.2025, 19:05:12',
    );
    expect(plain(formatDateTime('2025-03-09T18:05:12.000Z', { locale: 'en-US', timeZone: 'UTC', style: 'short' }))).to.equal(
      '3/9/25, 6:05 PM',
    );
  });

  it('follows the DST change in Europe/Berlin: an hour of wall clock skipped', () => {
    const de = { locale: 'de-DE', timeZone: 'Europe/Berlin', style: 'axis-minute' } as const;
    expect(formatDateTime(BEFORE_BERLIN_DST, de)).to.equal('1:30');
    expect(formatDateTime(AFTER_BERLIN_DST, de)).to.equal('3:30');
    expect(formatDateTime(BEFORE_BERLIN_DST, { ...de, style: 'full' })).to.equal('Sonntag, 30. März 2025 um 01:30:00 MEZ');
    expect(formatDateTime(AFTER_BERLIN_DST, { ...de, style: 'full' })).to.equal('Sonntag, 30. März 2025 um 03:30:00 MESZ');
  });

  it('names the zone for a wall time the clocks show twice (the repeated hour), and only then', () => {
    // New York goes back from 02:00 EDT to 01:00 EST at 2026-11-01 06:00 UTC: 1:30 AM comes twice.
    const ny = { locale: 'en-US', timeZone: 'America/New_York' } as const;
    expect(plain(formatDateTime('2026-11-01T05:30:00.000Z', ny))).to.equal('Nov 1, 2026, 1:30:00 AM EDT');
    expect(plain(formatDateTime('2026-11-01T06:30:00.000Z', ny))).to.equal('Nov 1, 2026, 1:30:00 AM EST');
    expect(plain(formatDateTime('2026-11-01T04:30:00.000Z', ny))).to.equal('Nov 1, 2026, 12:30:00 AM');
    expect(plain(formatDateTime('2026-11-01T07:30:00.000Z', ny))).to.equal('Nov 1, 2026, 2:30:00 AM');
    expect(plain(formatDateTime('2026-11-01T05:00:00.000Z', { ...ny, style: 'axis-minute' }))).to.equal('1:00 AM EDT');
    expect(plain(formatDateTime('2026-11-01T06:00:00.000Z', { ...ny, style: 'axis-minute' }))).to.equal('1:00 AM EST');
    expect(plain(formatDateTime('2026-11-01T06:00:00.000Z', { ...ny, style: 'short' }))).to.equal('11/1/26, 1:00 AM EST');
    const de = { locale: 'de-DE', timeZone: 'Europe/Berlin' } as const;
    expect(formatDateTime('2026-10-25T00:30:00.000Z', de)).to.equal('25.10.2026, 02:30:00 MESZ');
    expect(formatDateTime('2026-10-25T01:30:00.000Z', de)).to.equal('25.10.2026, 02:30:00 MEZ');
    // Lord Howe goes back half an hour (02:00 → 01:30): only 01:30–02:00 comes twice.
    const lordHowe = { locale: 'en-AU', timeZone: 'Australia/Lord_Howe', style: 'axis-minute' } as const;
    expect(plain(formatDateTime('2026-04-04T14:40:00.000Z', lordHowe))).to.match(/^1:40 am \S+$/);
    expect(plain(formatDateTime('2026-04-04T15:10:00.000Z', lordHowe))).to.match(/^1:40 am \S+$/);
    expect(formatDateTime('2026-04-04T14:40:00.000Z', lordHowe)).to.not.equal(formatDateTime('2026-04-04T15:10:00.000Z', lordHowe));
    expect(plain(formatDateTime('2026-04-04T14:20:00.000Z', lordHowe))).to.equal('1:20 am');
  });

  it('writes a repeated hour in the style of the hours around it, its zone added (German, Japanese)', () => {
    // The zone's name was added by a style spelled out: "1. Nov. 2026, 01:00 GMT-4" among
    // "01.11.2026, 02:00"; in Japanese "2026年11月1日 1:00" among "2026/11/01 2:00".
    for (const [locale, before, repeated] of [
      ['de-DE', '01.11.2026, 00:30', '01.11.2026, 01:30 GMT-4'],
      ['ja-JP', '2026/11/01 0:30', '2026/11/01 1:30 GMT-4'],
    ] as const) {
      const ny = { locale, timeZone: 'America/New_York' } as const;
      expect(plain(formatWhen('2026-11-01T04:30:00.000Z', 'minute', ny))).to.equal(before);
      expect(plain(formatWhen('2026-11-01T05:30:00.000Z', 'minute', ny))).to.equal(repeated);
      expect(plain(formatRange('2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z', ny))).to.match(new RegExp(`^${repeated.replace(':30', ':00')} – 0?1:00 GMT-5$`));
      expect(plain(formatDateTime('2026-11-01T06:00:00.000Z', { ...ny, style: 'short' }))).to.match(locale === 'de-DE' ? /^01\.11\.26, 01:00 GMT-5$/ : /^2026\/11\/01 1:00 GMT-5$/);
    }
  });

  it('follows the DST change in America/New_York', () => {
    const en = { locale: 'en-US', timeZone: 'America/New_York', style: 'axis-minute' } as const;
    expect(plain(formatDateTime('2025-03-09T06:30:00.000Z', en))).to.equal('1:30 AM');
    expect(plain(formatDateTime('2025-03-09T07:30:00.000Z', en))).to.equal('3:30 AM');
  });

  it('writes axis ticks for hour and day buckets', () => {
    expect(plain(formatDateTime(AFTER_BERLIN_DST, { locale: 'en-US', timeZone: 'Europe/Berlin', style: 'axis-hour' }))).to.equal(
      'Mar 30, 3 AM',
    );
    expect(formatDateTime(AFTER_BERLIN_DST, { locale: 'de-DE', timeZone: 'Europe/Berlin', style: 'axis-day' })).to.equal('30. März');
    expect(formatDateTime(AFTER_BERLIN_DST, { locale: 'en-US', timeZone: 'America/New_York', style: 'axis-day' })).to.equal('Mar 29');
  });

  it('takes epoch milliseconds and Dates, and refuses what is not an instant', () => {
    const ms = Date.parse(AFTER_BERLIN_DST);
    const options = { locale: 'en-US', timeZone: 'UTC' };
    expect(formatDateTime(ms, options)).to.equal(formatDateTime(AFTER_BERLIN_DST, options));
    expect(formatDateTime(new Date(ms), options)).to.equal(formatDateTime(AFTER_BERLIN_DST, options));
    expect(() => formatDateTime('2025-03-30 01:30', options)).to.throw(RangeError, 'Not an instant');
    expect(() => formatDateTime(Number.NaN, options)).to.throw(RangeError);
  });
});

describe('formatInstantFull', () => {
  it('writes the instant to the millisecond with its zone and its UTC form', () => {
    expect(plain(formatInstantFull('2025-03-30T01:30:00.123Z', { locale: 'en-US', timeZone: 'America/New_York' }))).to.equal(
      'Sat, Mar 29, 2025, 9:30:00.123 PM EDT · 2025-03-30T01:30:00.123Z',
    );
    expect(formatInstantFull('2025-03-30T01:30:00.123Z', { locale: 'de-DE', timeZone: 'Europe/Berlin' })).to.equal(
      'So., 30. März 2025, 3:30:00,123 MESZ · 2025-03-30T01:30:00.123Z',
    );
  });
});

describe('formatRange', () => {
  it('writes a day whose midnight the clocks skip as a whole day (Santiago, Havana)', () => {
    // Santiago goes from 00:00 to 01:00 on 6 September 2026: that day starts at 01:00 (04:00Z).
    const santiago = { locale: 'en-US', timeZone: 'America/Santiago' } as const;
    expect(plain(formatRange('2026-09-05T04:00:00.000Z', '2026-09-06T04:00:00.000Z', santiago))).to.equal('Sep 5, 2026');
    expect(plain(formatRange('2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z', santiago))).to.equal('Sep 6, 2026');
    expect(plain(formatRange('2026-03-07T05:00:00.000Z', '2026-03-09T04:00:00.000Z', { locale: 'en-US', timeZone: 'America/Havana' }))).to.equal('Mar 7 – 8, 2026');
    // 01:00 on another day is no day start.
    expect(plain(formatRange('2026-09-07T04:00:00.000Z', '2026-09-08T03:00:00.000Z', santiago))).to.equal('Sep 7, 2026, 1:00 AM – Sep 8, 2026, 12:00 AM');
  });

  it('isolates a range in a right-to-left locale, so that a day keeps to its month', () => {
    // In Hebrew, a day's European digits set apart from its month: "1 – 2:59 ,2026 בדצמ׳".
    const range = formatRange('2026-12-01T00:59:00.000Z', '2026-12-08T00:59:00.000Z', { locale: 'he-IL', timeZone: 'Asia/Jerusalem' });
    expect(range.startsWith('\u2068') && range.endsWith('\u2069'), range).to.equal(true);
    expect(formatRange('2026-12-01T00:59:00.000Z', '2026-12-08T00:59:00.000Z', { locale: 'en-US', timeZone: 'UTC' })).to.not.match(/[\u2068\u2069]/);
  });

  it('writes whole days as dates where the midnight is repeated (Havana goes back from 1:00 to 0:00 on 1 November)', () => {
    const havana = { locale: 'en-US', timeZone: 'America/Havana' } as const;
    // Last month on November 1 and on December 1: both read with times and zone names.
    expect(plain(formatRange('2026-10-01T04:00:00.000Z', '2026-11-01T04:00:00.000Z', havana))).to.equal('Oct 1 – 31, 2026');
    expect(plain(formatRange('2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z', havana))).to.equal('Nov 1 – 30, 2026');
    // The second midnight is no day start: written with its zone.
    expect(plain(formatRange('2026-11-01T05:00:00.000Z', '2026-11-02T05:00:00.000Z', havana))).to.equal('Nov 1, 2026, 12:00 AM GMT-5 – Nov 2, 2026, 12:00 AM GMT-5');
  });

  it('tells the two buckets of a repeated hour apart, each end with its zone', () => {
    const ny = { locale: 'en-US', timeZone: 'America/New_York' } as const;
    // Intl alone folds [1:00 EDT, 1:00 EST) to "1:00 AM" and writes one zone for both ends.
    expect(plain(formatRange('2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z', ny))).to.equal('Nov 1, 2026, 1:00 AM EDT – 1:00 AM EST');
    expect(plain(formatRange('2026-11-01T06:00:00.000Z', '2026-11-01T07:00:00.000Z', ny))).to.equal('Nov 1, 2026, 1:00 AM EST – 2:00 AM EST');
    expect(plain(formatRange('2026-11-01T05:59:00.000Z', '2026-11-01T06:00:00.000Z', ny))).to.equal('Nov 1, 2026, 1:59 AM EDT – 1:00 AM EST');
    expect(plain(formatRange('2026-11-01T04:00:00.000Z', '2026-11-01T05:00:00.000Z', ny))).to.equal('Nov 1, 2026, 12:00 AM EDT – 1:00 AM EDT');
    expect(plain(formatRange('2026-11-01T07:00:00.000Z', '2026-11-01T08:00:00.000Z', ny))).to.equal('Nov 1, 2026, 2:00 – 3:00 AM');
    expect(plain(formatRange('2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', ny)), 'whole days').to.equal('Nov 1, 2026');
  });

  it('writes local whole days as dates, the last day included, across a DST change', () => {
    const march = ['2025-03-01T00:00:00+01:00', '2025-04-01T00:00:00+02:00'] as const;
    expect(plain(formatRange(...march, { locale: 'en-US', timeZone: 'Europe/Berlin' }))).to.equal('Mar 1 – 31, 2025');
    expect(formatRange(...march, { locale: 'de-DE', timeZone: 'Europe/Berlin' })).to.equal('01.–31.03.2025');
    expect(formatRange('2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00', { locale: 'de-DE', timeZone: 'Europe/Berlin' })).to.equal(
      '30.03.2025',
    );
  });

  it('keeps its dash off the start of a line: a narrow no-break space before it', () => {
    const range = formatRange('2026-11-30T15:31:00.000Z', '2026-12-07T15:31:00.000Z', { locale: 'en-US', timeZone: 'UTC' });
    expect(range).to.match(/ 3:31\sPM\u202f– Dec 7/u);
    expect(range.replace(/[\u00a0\u202f]/g, '')).not.to.match(/\s–/u);
  });

  it('writes times when an end is not a local midnight', () => {
    const march = ['2025-03-01T00:00:00+01:00', '2025-04-01T00:00:00+02:00'] as const;
    expect(plain(formatRange(...march, { locale: 'en-US', timeZone: 'America/New_York' }))).to.equal(
      'Feb 28, 2025, 6:00 PM – Mar 31, 2025, 6:00 PM',
    );
    expect(plain(formatRange('2025-03-09T10:00:00Z', '2025-03-09T12:00:00Z', { locale: 'de-DE', timeZone: 'Europe/Berlin' }))).to.equal(
      '09.03.2025, 11:00–13:00 Uhr',
    );
    expect(plain(formatRange('2025-03-09T10:00:00Z', '2025-03-09T12:00:00Z', { locale: 'en-US', timeZone: 'UTC', style: 'axis-minute' }))).to.equal(
      '10:00 AM – 12:00 PM',
    );
  });
});

describe('formatRelative', () => {
  it('says how long ago, in the locale', () => {
    const now = '2025-03-09T10:02:00Z';
    expect(formatRelative('2025-03-09T10:00:00Z', { locale: 'en-US', now })).to.equal('2 minutes ago');
    expect(formatRelative('2025-03-09T10:00:00Z', { locale: 'de-DE', now })).to.equal('vor 2 Minuten');
    expect(formatRelative(now, { locale: 'en-US', now })).to.equal('now');
    expect(formatRelative('2025-03-08T10:02:00Z', { locale: 'en-US', now })).to.equal('yesterday');
    expect(formatRelative('2025-03-09T13:02:00Z', { locale: 'fr-FR', now })).to.equal('dans 3 heures');
  });
});

describe('bucketPhrase and formatWhen', () => {
  it('names a day by its date, an hour to the minute without seconds', () => {
    const options = { locale: 'en-US', timeZone: 'UTC' };
    expect(plain(bucketPhrase('2026-10-20T00:00:00.000Z', 'day', options))).to.equal('on Oct 20, 2026');
    expect(plain(bucketPhrase('2026-10-19T00:00:00.000Z', 'week', options))).to.equal('in the week starting Oct 19, 2026');
    expect(plain(bucketPhrase('2026-12-07T09:00:00.000Z', 'hour', options))).to.equal('in the hour starting Dec 7, 2026, 9:00 AM');
    expect(plain(formatWhen('2026-12-07T09:05:30.000Z', 'minute', options))).to.equal('Dec 7, 2026, 9:05 AM');
  });

  it('names the zone in an hour the clocks show twice', () => {
    // New York goes back from EDT to EST at 2026-11-01 06:00 UTC: 1:30 AM twice.
    const options = { locale: 'en-US', timeZone: 'America/New_York' };
    expect(plain(formatWhen('2026-11-01T05:30:00.000Z', 'minute', options))).to.equal('Nov 1, 2026, 1:30 AM EDT');
    expect(plain(formatWhen('2026-11-01T06:30:00.000Z', 'minute', options))).to.equal('Nov 1, 2026, 1:30 AM EST');
  });
});
