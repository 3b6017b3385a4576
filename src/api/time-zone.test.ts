import { expect } from '@open-wc/testing';
import { bucketIndex, defaultTimeZone, isTimeZone, localParts, ZoneCalendar, ZoneClock } from './time-zone.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** Every unit start from `from` while below `to`. */
function starts(clock: ZoneClock, unit: 'minute' | 'hour' | 'day' | 'week', from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = clock.unitStart(from, unit); t < to; t = clock.nextUnitStart(t, unit)) out.push(iso(t));
  return out;
}

describe('time-zone', () => {
  it("names the runtime's zone by its current name, not Chromium's old spelling", () => {
    const { DateTimeFormat } = Intl;
    const realNow = Date.now;
    let zone = 'Asia/Calcutta';
    // Read again at most once a minute: each read a minute later.
    let offset = 0;
    Date.now = () => realNow() + (offset += 61_000);
    // A function, not an arrow: the formatters are made with `new`.
    Intl.DateTimeFormat = function (...args: ConstructorParameters<typeof DateTimeFormat>) {
      return args.length ? new DateTimeFormat(...args) : ({ resolvedOptions: () => ({ timeZone: zone }) } as Intl.DateTimeFormat);
    } as typeof DateTimeFormat;
    try {
      expect(defaultTimeZone()).to.equal('Asia/Kolkata');
      zone = 'Europe/Kiev';
      expect(defaultTimeZone()).to.equal('Europe/Kyiv');
      zone = 'Europe/Berlin';
      expect(defaultTimeZone()).to.equal('Europe/Berlin');
    } finally {
      Intl.DateTimeFormat = DateTimeFormat;
      defaultTimeZone(); // the runtime's own read again, for what follows
      Date.now = realNow;
    }
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).to.equal(true);
    expect(isTimeZone('UTC')).to.equal(true);
    expect(isTimeZone('Mars/Olympus')).to.equal(false);
    // Offsets are not IANA zones (Chromium's Intl takes them; the contract's tz does not).
    expect(isTimeZone('+05:45')).to.equal(false);
    expect(isTimeZone('-03:30')).to.equal(false);
    expect(isTimeZone('Etc/GMT+5'), 'an IANA zone with an offset in its name').to.equal(true);
    expect(isTimeZone('')).to.equal(false);
    expect(isTimeZone('x'.repeat(300))).to.equal(false);
  });

  it('reads offsets and wall clocks, half-hour zones included', () => {
    expect(new ZoneClock('Asia/Kolkata').offset(at('2024-07-01T00:00:00Z'))).to.equal(5.5 * 3_600_000);
    expect(new ZoneClock('America/New_York').offset(at('2024-01-15T12:00:00Z'))).to.equal(-5 * 3_600_000);
    expect(new ZoneClock('America/New_York').offset(at('2024-07-15T12:00:00Z'))).to.equal(-4 * 3_600_000);
    expect(localParts(at('2024-03-31T00:59:00Z'), 'Europe/Berlin')).to.deep.equal({ year: 2024, month: 3, day: 31, hour: 1, minute: 59, second: 0 });
  });

  it('reads the offset of every minute around a change as the zone gives it', () => {
    // The offsets are memoised per UTC day when a day holds no change: the days with one
    // (and the days beside them) are read here minute by minute against Intl itself.
    const changes: [string, string][] = [
      ['Europe/Berlin', '2024-03-31T01:00:00Z'],
      ['Europe/Berlin', '2024-10-27T01:00:00Z'],
      ['America/New_York', '2024-11-03T06:00:00Z'],
      ['Australia/Lord_Howe', '2024-04-06T15:00:00Z'],
      ['Pacific/Apia', '2011-12-30T10:00:00Z'],
      ['Asia/Kolkata', '2024-06-01T00:00:00Z'],
    ];
    for (const [zone, change] of changes) {
      const clock = new ZoneClock(zone);
      const from = at(change) - 36 * 3_600_000;
      for (let minute = from; minute < from + 72 * 3_600_000; minute += 60_000) {
        const p = localParts(minute, zone);
        const expected = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - minute;
        if (clock.offset(minute + 17_000) !== expected) expect.fail(`${zone} at ${iso(minute)}: ${clock.offset(minute)} ≠ ${expected}`);
      }
    }
  });

  it('maps wall times to instants: first of a repeated time, skipped ones read before the change', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    // 2024-10-27 02:30 happens twice in Berlin: the first is in summer time (+2).
    expect(iso(berlin.instantOf(2024, 10, 27, 2, 30))).to.equal('2024-10-27T00:30:00.000Z');
    // 2024-03-31 02:30 does not exist: read with +1, it is 03:30 summer time.
    expect(iso(berlin.instantOf(2024, 3, 31, 2, 30))).to.equal('2024-03-31T01:30:00.000Z');
    // Month overflow as in Date.UTC.
    expect(iso(berlin.instantOf(2024, 13, 1))).to.equal('2024-12-31T23:00:00.000Z');
  });

  it('finds the wall-clock gap a change forward skips, and none for a time the clocks show', () => {
    const wall = (gap: { start: number; end: number } | null) => gap && [iso(gap.start).slice(0, 16), iso(gap.end).slice(0, 16)];
    expect(wall(new ZoneCalendar('America/New_York').skippedGap(2026, 3, 8, 2, 30))).to.deep.equal(['2026-03-08T02:00', '2026-03-08T03:00']);
    expect(wall(new ZoneCalendar('America/St_Johns').skippedGap(2026, 3, 8, 2, 0))).to.deep.equal(['2026-03-08T02:00', '2026-03-08T03:00']);
    expect(wall(new ZoneCalendar('Australia/Lord_Howe').skippedGap(2026, 10, 4, 2, 29))).to.deep.equal(['2026-10-04T02:00', '2026-10-04T02:30']);
    expect(wall(new ZoneCalendar('Pacific/Chatham').skippedGap(2026, 9, 27, 3, 0))).to.deep.equal(['2026-09-27T02:45', '2026-09-27T03:45']);
    expect(wall(new ZoneCalendar('America/Santiago').skippedGap(2026, 9, 6, 0, 0))).to.deep.equal(['2026-09-06T00:00', '2026-09-06T01:00']);
    expect(new ZoneCalendar('America/New_York').skippedGap(2026, 3, 8, 3, 0)).to.equal(null);
    expect(new ZoneCalendar('America/New_York').skippedGap(2026, 3, 8, 1, 59)).to.equal(null);
    expect(new ZoneCalendar('America/New_York').skippedGap(2026, 11, 1, 1, 30), 'a repeated time exists').to.equal(null);
    expect(new ZoneCalendar('Asia/Kathmandu').skippedGap(2026, 3, 8, 2, 30)).to.equal(null);
  });

  it('starts a day whose midnight was skipped at the change', () => {
    // São Paulo moved 2018-11-04 00:00 to 01:00.
    expect(iso(new ZoneClock('America/Sao_Paulo').startOfLocalDate(2018, 11, 4))).to.equal('2018-11-04T03:00:00.000Z');
  });

  it('starts a day whose midnight comes twice at its first one', () => {
    // Havana went back from 01:00 CDT to 00:00 CST on 2024-11-03: midnight at 04:00Z and again at 05:00Z.
    expect(iso(new ZoneClock('America/Havana').startOfLocalDate(2024, 11, 3))).to.equal('2024-11-03T04:00:00.000Z');
    // The day before ends at that first midnight, 24 hours on (the 25-hour day is the 3rd).
    expect(iso(new ZoneClock('America/Havana').startOfLocalDate(2024, 11, 2))).to.equal('2024-11-02T04:00:00.000Z');
  });

  it('gives two hour buckets for a repeated hour and none for a skipped one', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    const back = starts(berlin, 'hour', at('2024-10-26T23:00:00Z'), at('2024-10-27T03:00:00Z'));
    // Local 01:00, 02:00 (summer), 02:00 (winter), 03:00.
    expect(back).to.deep.equal(['2024-10-26T23:00:00.000Z', '2024-10-27T00:00:00.000Z', '2024-10-27T01:00:00.000Z', '2024-10-27T02:00:00.000Z']);
    const forward = starts(berlin, 'hour', at('2024-03-31T00:00:00Z'), at('2024-03-31T02:00:00Z'));
    // Local 01:00 then 03:00: 02:00 never happens.
    expect(forward).to.deep.equal(['2024-03-31T00:00:00.000Z', '2024-03-31T01:00:00.000Z']);
  });

  it('aligns hour buckets to the local wall clock in half-hour zones and at half-hour changes', () => {
    const kolkata = new ZoneClock('Asia/Kolkata');
    expect(iso(kolkata.unitStart(at('2024-07-01T00:10:00Z'), 'hour'))).to.equal('2024-06-30T23:30:00.000Z');
    // Lord Howe moves its clocks by 30 minutes: 2024-04-07 02:00 (+11) becomes 01:30 (+10:30).
    const howe = new ZoneClock('Australia/Lord_Howe');
    const hours = starts(howe, 'hour', at('2024-04-06T13:00:00Z'), at('2024-04-06T16:30:00Z'));
    expect(hours).to.deep.equal([
      '2024-04-06T13:00:00.000Z', // 00:00 +11
      '2024-04-06T14:00:00.000Z', // 01:00 +11
      '2024-04-06T15:00:00.000Z', // 01:30 +10:30, after the change
      '2024-04-06T15:30:00.000Z', // 02:00 +10:30
    ]);
  });

  it('keeps hour buckets an hour long across a change by a whole hour inside one (Chatham at 02:45)', () => {
    // 2026-09-27 02:45 +12:45 becomes 03:45 +13:45: local hours start at :15 UTC on both sides.
    const chatham = new ZoneClock('Pacific/Chatham');
    const forward = starts(chatham, 'hour', at('2026-09-26T12:15:00Z'), at('2026-09-26T16:15:00Z'));
    expect(forward).to.deep.equal(['2026-09-26T12:15:00.000Z', '2026-09-26T13:15:00.000Z', '2026-09-26T14:15:00.000Z', '2026-09-26T15:15:00.000Z']);
    expect(iso(chatham.unitStart(at('2026-09-26T14:05:00Z'), 'hour'))).to.equal('2026-09-26T13:15:00.000Z');
    // 2027-04-04 03:45 +13:45 becomes 02:45 +12:45: the bucket from 03:00 +13:45 to 03:00 +12:45 stays whole.
    const back = starts(chatham, 'hour', at('2027-04-03T12:15:00Z'), at('2027-04-03T15:15:00Z'));
    expect(back).to.deep.equal(['2027-04-03T12:15:00.000Z', '2027-04-03T13:15:00.000Z', '2027-04-03T14:15:00.000Z']);
  });

  it('runs days from local midnight (23 and 25 hours at the changes) and weeks from Monday', () => {
    const ny = new ZoneClock('America/New_York');
    const days = starts(ny, 'day', at('2024-11-02T12:00:00Z'), at('2024-11-05T00:00:00Z'));
    expect(days).to.deep.equal(['2024-11-02T04:00:00.000Z', '2024-11-03T04:00:00.000Z', '2024-11-04T05:00:00.000Z']);
    // 2024-11-06 is a Wednesday: its week starts Monday 2024-11-04 local midnight.
    expect(iso(ny.unitStart(at('2024-11-06T15:00:00Z'), 'week'))).to.equal('2024-11-04T05:00:00.000Z');
    expect(iso(ny.nextUnitStart(at('2024-11-04T05:00:00Z'), 'week'))).to.equal('2024-11-11T05:00:00.000Z');
  });

  it('finds the bucket holding an instant, -1 outside', () => {
    const edges = [0, 10, 20, 30];
    expect(bucketIndex(edges, -1)).to.equal(-1);
    expect(bucketIndex(edges, 0)).to.equal(0);
    expect(bucketIndex(edges, 19)).to.equal(1);
    expect(bucketIndex(edges, 20)).to.equal(2);
    expect(bucketIndex(edges, 30)).to.equal(-1);
    expect(bucketIndex([5], 5)).to.equal(-1);
  });
});
