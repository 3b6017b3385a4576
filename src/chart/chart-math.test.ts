import { expect } from '@open-wc/testing';
import { ZoneClock } from '../api/time-zone.js';
import { lttbIndices } from './lttb.js';
import { sampledIndices } from './option.js';
import { coveredSpans, findSpikes, formatShare, formatShares, seriesStats } from './series-stats.js';
import { axisTicks, bucketEnds, monthTicks, wallTime } from './time-axis.js';
import type { ChartModel } from './model.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('chart arithmetic', () => {
  describe('shares', () => {
    it('rounds to whole percent, keeping a tiny share above 0 and a near-whole one below 100', () => {
      expect(formatShare(79, 100, 'en-US')).to.equal('79%');
      expect(formatShare(1, 3, 'en-US')).to.equal('33%');
      expect(formatShare(0, 100, 'en-US')).to.equal('0%');
      expect(formatShare(1, 1_000, 'en-US')).to.equal('<1%');
      expect(formatShare(5, 1_000, 'en-US')).to.equal('1%');
      expect(formatShare(999, 1_000, 'en-US')).to.equal('>99%');
      expect(formatShare(994, 1_000, 'en-US')).to.equal('99%');
      expect(formatShare(1_000, 1_000, 'en-US')).to.equal('100%');
      expect(formatShare(0, 0, 'en-US')).to.equal('0%');
    });

    it('rounds the shares of parts that make a whole together, so that they add up to 100%', () => {
      // One by one: 34 + 34 + 33 = 101 (a legend read 11 + 10 + 9 + … + 48 = 101%).
      const parts = [335, 335, 330];
      const whole = parts.reduce((sum, part) => sum + part, 0);
      expect(parts.reduce((sum, part) => sum + Math.round((100 * part) / whole), 0)).to.equal(101);
      const shares = formatShares(parts, whole, 'en-US');
      expect(shares.reduce((sum, share) => sum + Number.parseInt(share, 10), 0)).to.equal(100);
      // The largest remainders take the points left: 1/3 each, one of them 34%.
      expect(formatShares([1, 1, 1], 3, 'en-US').sort()).to.deep.equal(['33%', '33%', '34%']);
      // A tiny part is still above 0 and the rest below 100.
      expect(formatShares([1, 999], 1_000, 'en-US')).to.deep.equal(['<1%', '>99%']);
      // Parts that do not make the whole are rounded one by one.
      expect(formatShares([1, 1], 3, 'en-US')).to.deep.equal(['33%', '33%']);
    });

    it('writes the percentage as the locale does', () => {
      expect(formatShare(79, 100, 'de-DE')).to.equal('79\u00a0%');
      expect(formatShare(1, 1_000, 'de-DE')).to.equal('<1\u00a0%');
    });
  });

  describe('LTTB', () => {
    it('keeps the first, the last and every isolated peak of a 10,080-point series within the threshold', () => {
      const values = Array.from({ length: 10_080 }, (_, i) => 100 + 10 * Math.sin(i / 50));
      const peaks = [1_234, 5_000, 9_999];
      for (const i of peaks) values[i] = 10_000;
      const picked = lttbIndices(values, 1_000);
      expect(picked).to.have.length(1_000);
      expect(picked[0]).to.equal(0);
      expect(picked.at(-1)).to.equal(10_079);
      for (const i of peaks) expect(picked, `peak ${i}`).to.include(i);
      expect([...picked].sort((a, b) => a - b)).to.deep.equal(picked);
    });

    it('returns every index when there are no more points than the threshold', () => {
      expect(lttbIndices([1, 2, 3, 4], 10)).to.deep.equal([0, 1, 2, 3]);
    });

    it('samples a chart only past a bucket a pixel, over the visible stacked total', () => {
      const n = 10_080;
      const model = {
        starts: Array.from({ length: n }, (_, i) => i * MINUTE),
        series: [
          { key: 'a', values: Array.from({ length: n }, (_, i) => (i === 7_000 ? 1e6 : 1)) },
          { key: 'b', values: Array.from({ length: n }, (_, i) => (i === 3_000 ? 1e6 : 1)) },
        ],
      } as unknown as ChartModel;
      expect(sampledIndices(model, new Set(), 12_000)).to.have.length(n);
      const both = sampledIndices(model, new Set(), 600);
      // The LTTB pick, and the two spans holding a peak add their lowest bucket beside it.
      expect(both.length).to.be.within(600, 604);
      expect(both).to.include(7_000).and.to.include(3_000);
      expect([...both].sort((x, y) => x - y)).to.deep.equal(both);
      // A hidden series' peak does not steer the pick.
      expect(sampledIndices(model, new Set(['a']), 600)).to.include(3_000).and.not.to.include(7_000);
    });

    it("keeps every series' peaks when sampling, also one moving against the total or on the second axis", () => {
      // A day of minutes as the surplus chart draws it: a large pool level that falls when
      // surplus is drawn (a few minutes) and a count of users over base on the right axis.
      const n = 1_440;
      const draws = new Map([[200, 18_636], [201, 900], [610, 2_000], [1_000, 3_500], [1_300, 850]]);
      const drawn = Array.from({ length: n }, (_, i) => draws.get(i) ?? 0);
      let level = 91_600;
      const available = drawn.map((d, i) => (level = Math.min(91_600, level - d + (i % 7 === 0 ? 40 : 0))));
      const model = {
        starts: Array.from({ length: n }, (_, i) => i * MINUTE),
        series: [
          { key: 'drawn', values: drawn },
          { key: 'available', values: available },
          { key: 'capacity', values: Array.from({ length: n }, () => 91_600) },
          { key: 'users', secondaryAxis: true, values: drawn.map((d) => (d > 0 ? 1 : 0)) },
        ],
      } as unknown as ChartModel;
      const picked = sampledIndices(model, new Set(), 530);
      expect(picked.length).to.be.below(n);
      for (const i of draws.keys()) expect(picked, `drawn at ${i}`).to.include(i);
      // The count alone (the amounts hidden) keeps its buckets too.
      const counts = sampledIndices(model, new Set(['drawn', 'available', 'capacity']), 530);
      for (const i of draws.keys()) expect(counts, `count at ${i}`).to.include(i);
    });
  });

  describe('summary figures and spikes', () => {
    it('totals, finds the first largest bucket and the trend of the second half over the first', () => {
      expect(seriesStats([1, 3, 3, 1, 2, 3])).to.deep.equal({ total: 13, peakIndex: 1, peak: 3, trend: (2 - 7 / 3) / (7 / 3) });
      expect(seriesStats([1, 1, 2, 4]).trend).to.equal(2);
      expect(seriesStats([0, 0, 2, 4]).trend).to.equal(null);
      expect(seriesStats([]).peakIndex).to.equal(-1);
    });

    it('compares the halves per unit of time when told the time each bucket covers', () => {
      // Weeks at a steady 1,000 an hour; the range covers one hour of the last.
      const week = 168 * HOUR;
      const starts = [0, week, 2 * week, 3 * week];
      const ends = [week, 2 * week, 3 * week, 3 * week + HOUR];
      const spans = coveredSpans(starts, ends, 0);
      expect(spans).to.deep.equal([week, week, week, HOUR]);
      const values = [168_000, 168_000, 168_000, 1_000];
      expect(seriesStats(values).trend, 'counted by bucket, it reads as a fall').to.be.below(-0.4);
      expect(seriesStats(values, spans).trend).to.equal(0);
      // A partial first bucket covers from the range's start.
      expect(coveredSpans([0, HOUR], [HOUR, 2 * HOUR], 30 * 60_000)).to.deep.equal([30 * 60_000, HOUR]);
    });

    it('marks only buckets far above the typical level, at most five, in order', () => {
      const base = Array.from({ length: 48 }, (_, i) => 100 + (i % 5) * 10);
      expect(findSpikes(base)).to.deep.equal([]);
      const spiky = [...base];
      spiky[10] = 1_000;
      spiky[30] = 900;
      expect(findSpikes(spiky)).to.deep.equal([10, 30]);
      const many = [...base];
      for (const i of [2, 6, 12, 20, 25, 33, 40]) many[i] = 2_000 + i;
      expect(findSpikes(many)).to.deep.equal([12, 20, 25, 33, 40]);
      // One episode, one mark: a high bucket next to a higher one (within a thirtieth of the
      // series) is part of its spike; a sixth episode takes the place left.
      const episodes = [...many];
      episodes[13] = 2_100;
      episodes[12] = 2_050;
      expect(findSpikes(episodes)).to.deep.equal([13, 20, 25, 33, 40]);
      const hours = Array.from({ length: 200 }, (_, i) => 100 + (i % 5) * 10);
      for (const [i, v] of [[50, 3_000], [55, 2_900], [57, 2_800], [120, 2_500]] as const) hours[i] = v;
      expect(findSpikes(hours), 'within 6 of 200 buckets').to.deep.equal([50, 57, 120]);
      // A sparse series (one user's) does not call its busy buckets spikes.
      expect(findSpikes([0, 0, 500, 0, 0, 0, 800, 0])).to.deep.equal([]);
    });

    it('under a daily rhythm, given each bucket\'s hour, marks only what is far above the usual at its hour', () => {
      // A week of hours: quiet nights, busy working hours (weekdays busier), one burst at 3 AM
      // on day 2 and one at noon on day 5 three times that noon's usual.
      const hour = (i: number) => i % 24;
      const level = (i: number) => (hour(i) >= 9 && hour(i) < 18 ? 1_000 + (Math.floor(i / 24) < 5 ? 200 : 0) + (i % 7) * 10 : 40 + (i % 3) * 5);
      const week = Array.from({ length: 168 }, (_, i) => level(i));
      week[2 * 24 + 3] = 900;
      week[5 * 24 + 12] = 3_600;
      const phases = week.map((_, i) => hour(i));
      // The rule alone marks working hours: each is over 3× the week's median (its nights).
      expect(findSpikes(week).length).to.equal(5);
      expect(findSpikes(week)).to.not.include(2 * 24 + 3);
      // By hour: the noon burst, and the night burst (over 3× the week's median, 18× its hour's).
      expect(findSpikes(week, phases)).to.deep.equal([2 * 24 + 3, 5 * 24 + 12]);
      // With under 3 buckets an hour, the hours are not compared.
      expect(findSpikes(week.slice(0, 48), phases.slice(0, 48))).to.deep.equal(findSpikes(week.slice(0, 48)));
    });
  });

  describe('time axis', () => {
    it('labels round local times: every day at midnight in the zone for a week of hours', () => {
      const clock = new ZoneClock('Asia/Kolkata'); // +05:30
      const from = Date.parse('2026-03-02T18:30:00.000Z'); // local midnight, Tuesday 3 March
      const starts = Array.from({ length: 7 * 24 }, (_, i) => from + i * HOUR);
      const ticks = axisTicks(starts, 'hour', clock, 8);
      expect(ticks.stepMinutes).to.equal(1440);
      expect(ticks.values).to.have.length(7);
      for (const t of ticks.values) expect(new Date(wallTime(clock, t)).toISOString()).to.match(/T00:00:00/);
    });

    it('labels a day whose midnight the clocks skip at its first bucket, as a date', () => {
      // Santiago goes from 00:00 to 01:00 on 6 September 2026 (04:00Z): that day starts at 01:00.
      const clock = new ZoneClock('America/Santiago');
      const from = Date.parse('2026-09-04T04:00:00.000Z'); // local midnight, 4 September
      const starts = Array.from({ length: 4 * 24 - 1 }, (_, i) => from + i * HOUR);
      const local = (ms: number) => new Date(wallTime(clock, ms)).toISOString().slice(0, 16);
      const halfDays = axisTicks(starts, 'hour', clock, 8);
      expect(halfDays.stepMinutes).to.equal(720);
      expect(halfDays.values.map(local)).to.deep.equal([
        '2026-09-04T00:00', '2026-09-04T12:00', '2026-09-05T00:00', '2026-09-05T12:00',
        '2026-09-06T01:00', '2026-09-06T12:00', '2026-09-07T00:00', '2026-09-07T12:00',
      ]);
      expect([...halfDays.dayStarts!].map(local)).to.deep.equal(['2026-09-04T00:00', '2026-09-05T00:00', '2026-09-06T01:00', '2026-09-07T00:00']);
      const days = axisTicks(starts, 'hour', clock, 4);
      expect(days.values.map(local)).to.deep.equal(['2026-09-04T00:00', '2026-09-05T00:00', '2026-09-06T01:00', '2026-09-07T00:00']);
    });

    it('labels a wall time the clocks repeat once, unless a whole step lies between', () => {
      // Berlin goes from 03:00 CEST back to 02:00 CET on 25 October 2026 (01:00Z).
      const clock = new ZoneClock('Europe/Berlin');
      const from = Date.parse('2026-10-24T20:00:00.000Z'); // 22:00 CEST
      const starts = Array.from({ length: 10 }, (_, i) => from + i * HOUR);
      const twoHours = axisTicks(starts, 'hour', clock, 5);
      expect(twoHours.stepMinutes).to.equal(120);
      expect(twoHours.values.map((ms) => new Date(ms).toISOString().slice(11, 16))).to.deep.equal(['20:00', '22:00', '00:00', '03:00', '05:00']);
      // At an hour's step both 2:00s are a step apart: each keeps its label.
      const hours = axisTicks(starts, 'hour', clock, 10);
      expect(hours.values).to.deep.equal(starts);
    });

    it('falls back to Mondays when only a label or two fit', () => {
      const clock = new ZoneClock('UTC');
      const from = Date.parse('2026-03-01T00:00:00.000Z'); // a Sunday
      const starts = Array.from({ length: 21 }, (_, i) => from + i * DAY);
      const ticks = axisTicks(starts, 'day', clock, 3);
      expect(ticks.values.map((t) => new Date(t).getUTCDay())).to.deep.equal([1, 1, 1]);
    });

    it('gives a narrow week of hours two or three dates, not one', () => {
      const clock = new ZoneClock('UTC');
      const from = Date.parse('2026-03-03T12:00:00.000Z');
      const starts = Array.from({ length: 7 * 24 + 1 }, (_, i) => from + i * HOUR);
      const ticks = axisTicks(starts, 'hour', clock, 3);
      expect(ticks.stepMinutes).to.equal(3 * 1440);
      expect(ticks.values.length).to.be.within(2, 3);
    });

    it('labels the first bucket of local months, or of years, for a long range', () => {
      const clock = new ZoneClock('America/New_York');
      // Local midnights from 1 June 2024 for 900 days (day buckets across DST changes).
      const starts: number[] = [];
      for (let day = 0; day < 900; day++) starts.push(clock.startOfLocalDate(2024, 6, 1 + day));
      const months = monthTicks(starts, clock, 12);
      expect(months.stepMonths).to.equal(3);
      const local = (ms: number) => new Date(wallTime(clock, ms)).toISOString().slice(0, 16);
      expect(months.values.map(local).slice(0, 3)).to.deep.equal(['2024-07-01T00:00', '2024-10-01T00:00', '2025-01-01T00:00']);
      const years = monthTicks(starts, clock, 2);
      expect(years.stepMonths).to.equal(24);
      expect(years.values.map(local)).to.deep.equal(['2026-01-01T00:00']);
    });

    it('ends the last bucket at `to` when the range cuts it, and across a DST change at the next local midnight', () => {
      const clock = new ZoneClock('Europe/Berlin');
      const starts = [Date.parse('2026-03-28T23:00:00.000Z')]; // Sunday 29 March, 00:00 CET, a 23-hour day
      expect(bucketEnds(starts, 'day', clock)).to.deep.equal([Date.parse('2026-03-29T22:00:00.000Z')]);
      expect(bucketEnds(starts, 'day', clock, Date.parse('2026-03-29T12:00:00.000Z'))).to.deep.equal([Date.parse('2026-03-29T12:00:00.000Z')]);
    });
  });
});
