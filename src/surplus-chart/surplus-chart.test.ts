import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConsumptionSeries, SurplusSeries } from '../api/contract.js';
import {
  DAY,
  HOUR,
  NOW,
  WEEK,
  addUser,
  answerOf,
  bucketPoint,
  checkUnits,
  dragAcross,
  ingest,
  mountChart,
  namedUser,
  paramsOf,
  recorder,
  heldRecorder,
  seriesOf,
  instanceOf,
  settled,
  type Recorder,
  place,
  userNames,
  accessibleNames,
  describedBy,
  downloadedCsv,
} from '../chart/test-chart-fixture.js';
import type { UsageErrorEvent, UsageFiltersChangeEvent, UsageUserSelectEvent } from '../events/index.js';
import { formatAmount, formatDateTime, formatWhen } from '../format/index.js';
import type { UsageFilters } from '../usage-filters/usage-filters.component.js';
import '../usage-filters/usage-filters.js';
import type { SurplusChart } from './surplus-chart.component.js';
import './surplus-chart.js';
import { refuseRequests } from '../api/test-fixtures.js';
import { LIVE_REFRESH_MS, liveTiming } from '../chart/usage-chart-element.js';

function mount(attributes: Record<string, string> = {}, record = recorder()) {
  return mountChart<SurplusChart>('surplus-chart', attributes, record);
}

function part(chart: SurplusChart, name: string): HTMLElement | null {
  return chart.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

/** Every surplus answer changed by `change` on its way to the chart. */
function withSurplus(record: Recorder, change: (answer: SurplusSeries) => SurplusSeries): void {
  record.intercept = async (url, forward) => {
    const response = await forward();
    if (url.pathname !== '/api/surplus') return response;
    return Response.json(change((await response.json()) as SurplusSeries));
  };
}

/** Answers `surplus` with the server's answer, its projection replaced. */
function withProjection(record: Recorder, projection: Partial<SurplusSeries['projection']>): void {
  withSurplus(record, (answer) => ({ ...answer, projection: { ...answer.projection, ...projection } }));
}

/** Users whose every event draws surplus (the OCR pool holds 20 pages: small amounts). */
const DRAWER = 'u_surplus_drawer';
const HOSTILE = '<img src=x onerror="window.__surplusXss=1">';

describe('<surplus-chart>', () => {
  before(async () => {
    await addUser(DRAWER, { basePer4h: 0, surplusPer4h: 1e9 });
    await addUser(HOSTILE, { basePer4h: 0, surplusPer4h: 1e9 });
    await ingest([
      { userId: DRAWER, amount: 3, resourceType: 'ocr', ioType: 'input', requestId: 'draw_1', endpoint: '/v1/ocr', created: new Date(NOW - 3 * HOUR).toISOString() },
      { userId: HOSTILE, amount: 2, resourceType: 'ocr', ioType: 'input', requestId: 'draw_2', endpoint: '/v1/ocr', created: new Date(NOW - 3 * HOUR).toISOString() },
    ]);
  });

  describe('requests', () => {
    it('asks for the surplus of tokens over the range with automatic buckets, in its time zone', async () => {
      const { record } = await mount({ 'time-zone': 'America/New_York' });
      expect(paramsOf(record.to('surplus')[0]!)).to.deep.equal({ from: WEEK.from, to: WEEK.to, resourceType: 'tokens', bucket: 'auto', tz: 'America/New_York' });
    });

    it('honours only the range and the resource type, and says so', async () => {
      const { chart, record } = await mount({ 'resource-type': 'storage', 'user-ids': 'u_a', 'pool-categories': 'allocated', endpoints: '/v1/x', bucket: 'day' });
      expect(paramsOf(record.to('surplus')[0]!)).to.deep.equal({ from: WEEK.from, to: WEEK.to, resourceType: 'storage', bucket: 'day', tz: 'UTC' });
      expect(part(chart, 'org-note')!.textContent).to.contain('organization-wide');
    });

    it('asks nothing again when a filter it does not honour changes', async () => {
      const { chart, record } = await mount({ bucket: 'day' });
      chart.setAttribute('pool-categories', 'surplus');
      chart.setAttribute('user-ids', 'u_a');
      await settled(chart);
      expect(part(chart, 'org-note')).to.not.equal(null);
      expect(record.to('surplus')).to.have.length(1);
      chart.setAttribute('resource-type', 'ocr');
      await settled(chart);
      expect(record.to('surplus')).to.have.length(2);
    });

    it('says nothing of the organization without other filters', async () => {
      const { chart } = await mount();
      expect(part(chart, 'org-note')).to.equal(null);
    });
  });

  describe('drawing', () => {
    it('draws exactly the endpoint’s points: drawn, available, lowest, capacity, users over base', async () => {
      const { chart, record } = await mount({ bucket: 'hour' });
      const answer = await answerOf<SurplusSeries>(record.to('surplus')[0]!);
      const series = seriesOf(chart);
      const values = (id: string) => series.get(id)!.data.map(([, y]) => y);
      expect(values('drawn')).to.deep.equal(answer.points.map((p) => p.drawn));
      expect(values('available')).to.deep.equal(answer.points.map((p) => p.available));
      expect(values('availableMin')).to.deep.equal(answer.points.map((p) => p.availableMin));
      expect(values('capacity')).to.deep.equal(answer.points.map((p) => p.capacity));
      expect(values('usersOverBase')).to.deep.equal(answer.points.map((p) => p.usersOverBase));
      // Two panels on one time axis: the levels above; the surplus drawn and the users over
      // base under them, on axes of their own (the bars covered the lines where the pool ran low).
      for (const key of ['available', 'availableMin', 'capacity']) expect(series.get(key), key).to.include({ xAxisIndex: 0, yAxisIndex: 0 });
      expect(series.get('drawn')).to.include({ xAxisIndex: 1, yAxisIndex: 1 });
      expect(series.get('usersOverBase')).to.include({ xAxisIndex: 1, yAxisIndex: 2 });
      type Scale = { getExtent(): [number, number]; getTicks(): { value: number }[] };
      type Component = { axis: { scale: Scale }; coordinateSystem: { getRect(): { y: number; height: number } } };
      const component = (type: string, index: number) =>
        (instanceOf(chart) as unknown as { getModel(): { getComponent(type: string, index: number): Component } }).getModel().getComponent(type, index);
      const scale = (index: number) => component('yAxis', index).axis.scale;
      const [above, below] = [0, 1].map((i) => component('grid', i).coordinateSystem.getRect());
      expect(below!.y, 'the lower panel under the upper').to.be.above(above!.y + above!.height);
      const titles = () => (instanceOf(chart).getOption() as { yAxis: { name?: string }[] }).yAxis.map((axis) => axis.name);
      expect(titles()).to.deep.equal(['Surplus available', 'Drawn per hour, and users over base', 'Users']);
      // Where the lower panel's title and the right axis' name would meet, the panel's title alone.
      chart.style.width = '360px';
      await waitUntil(() => !titles()[2], 'the right axis unnamed on a narrow plot');
      expect(titles()[1]).to.equal('Drawn per hour, and users over base');
      chart.style.width = '';
      await waitUntil(() => titles()[2] === 'Users', 'named again when wide');
      // A count of users: whole ticks only (0, 0.2, … 1 read as fractions of a user).
      const counts = scale(2).getTicks().map((t) => t.value);
      expect(counts.every(Number.isInteger), String(counts)).to.equal(true);
      // On the left axis' grid lines: as many ticks on each side, 0 facing 0.
      const amounts = scale(1).getTicks().map((t) => t.value);
      expect(counts.length, `${amounts} | ${counts}`).to.equal(amounts.length);
      expect(counts.indexOf(0)).to.equal(amounts.indexOf(0));
      // The counts keep to the lower half of the panel: the right axis reaches twice the highest.
      const [, top] = scale(2).getExtent();
      const most = Math.max(...answer.points.map((p) => p.usersOverBase));
      expect(most).to.be.above(0);
      expect(top).to.be.at.least(2 * most);
      // The same counts in words, in the notes, which the plot's description reads first; the summary below does not repeat them.
      const over = answer.points.filter((p) => p.usersOverBase > 0).length;
      const words = `Users went past their base budget in ${over} of the ${answer.points.length} hours the range spans, at most ${most} ${most === 1 ? 'user' : 'users'} in one hour.`;
      expect(part(chart, 'over-base')!.textContent!.trim()).to.equal(words);
      const [notes, summary] = describedBy(chart);
      expect(notes).to.contain(words);
      expect(notes).to.contain('At this pace the daily lows');
      expect(summary).to.equal(part(chart, 'summary')!.textContent!.replace(/\s+/g, ' ').trim());
      expect(summary).to.match(/^Surplus drawn /);
      // The lowest point, of the capacity in force in its bucket.
      const low = answer.points.reduce((min, p) => (p.availableMin < min.availableMin ? p : min));
      const unit = (value: number) => formatAmount(value, answer.resourceType, { locale: 'en-US' });
      expect(summary).to.contain(`Lowest available ${unit(low.availableMin)} of ${unit(low.capacity)}, in the hour starting ${formatWhen(low.t, 'minute', { locale: 'en-US', timeZone: 'UTC' })}.`);
      expect(summary).not.to.contain('Users went past');
      expect(summary).not.to.contain('At this pace');
      // 168 bars would be under 3 px wide here: drawn as an area instead.
      expect(series.get('drawn')!.type).to.equal('line');
      expect(series.get('availableMin')!.lineStyle?.type).to.equal('dotted');
      expect(series.get('available')!.lineStyle?.type).to.equal('solid');
      expect(part(chart, 'as-of')!.textContent).to.contain(formatDateTime(answer.asOf, { locale: 'en-US', timeZone: 'UTC', style: 'medium' }));
    });

    it('names the zone of "Data as of" where the chart’s clock is not the page’s', async () => {
      const record = recorder();
      const { chart } = await mount({ bucket: 'hour', 'time-zone': 'Asia/Kathmandu' }, record);
      const answer = await answerOf<SurplusSeries>(record.to('surplus')[0]!);
      const wall = formatDateTime(answer.asOf, { locale: 'en-US', timeZone: 'Asia/Kathmandu', style: 'medium' });
      expect(part(chart, 'as-of')!.textContent!.replace(/\s+/g, ' ')).to.contain(`Data as of ${wall} GMT+5:45`);
      // In the page's own zone, the time alone.
      const { chart: local } = await mount({ bucket: 'hour', 'time-zone': Intl.DateTimeFormat().resolvedOptions().timeZone });
      expect(part(local, 'as-of')!.textContent).not.to.match(/GMT|UTC/);
    });

    it('draws a pool overdrawn below 0 (back-dated events) below the axis 0, not cut off; from 0 otherwise', async () => {
      const extent = (chart: SurplusChart) =>
        (instanceOf(chart) as unknown as { getModel(): { getComponent(type: string, index: number): { axis: { scale: { getExtent(): [number, number] } } } } })
          .getModel()
          .getComponent('yAxis', 0)
          .axis.scale.getExtent();
      const plain = await mount({ bucket: 'hour' });
      expect(extent(plain.chart)[0]).to.equal(0);
      const record = recorder();
      record.intercept = async (url, forward) => {
        const response = await forward();
        if (url.pathname !== '/api/surplus') return response;
        const answer = (await response.json()) as SurplusSeries;
        return Response.json({ ...answer, points: answer.points.map((p, i) => (i === 5 ? { ...p, available: -1_234, availableMin: -2_345 } : p)) });
      };
      const { chart } = await mount({ bucket: 'hour' }, record);
      expect(extent(chart)[0]).to.be.at.most(-2_345);
    });

    it('draws the lowest point of day buckets as the solid line, their end dotted (the pool refills within a day)', async () => {
      const { chart } = await mount({ bucket: 'day' });
      const series = seriesOf(chart);
      expect(series.get('availableMin')!.lineStyle?.type).to.equal('solid');
      expect(series.get('available')!.lineStyle?.type).to.equal('dotted');
      const swatch = (label: string) =>
        [...chart.shadowRoot!.querySelectorAll<HTMLElement>('[part~="legend-item"]')].find((b) => b.textContent!.includes(label))!.querySelector<HTMLElement>('.swatch')!.dataset['line'];
      expect([swatch('Lowest available'), swatch('Available (bucket end)')]).to.deep.equal(['solid', 'dotted']);
    });

    it('spaces its time labels as they need at every width: times 90 px apart, dates 50 (never a 12-hour step read as dates)', async () => {
      const { chart } = await mount({ bucket: 'hour' });
      const plot = chart.shadowRoot!.querySelector<HTMLElement>('.plot')!;
      type Axis = { axisLabel: { customValues: number[]; formatter: (value: number) => string } };
      for (const width of [700, 880, 920, 960, 1100, 1500]) {
        chart.parentElement!.style.width = `${width}px`;
        await waitUntil(() => instanceOf(chart).getWidth() === plot.clientWidth && plot.clientWidth > width - 60, `redrawn at ${width}px`);
        const { customValues, formatter } = (instanceOf(chart).getOption() as { xAxis: Axis[] }).xAxis.at(-1)!.axisLabel;
        const labels = customValues.map((value) => formatter(value));
        const xs = customValues.map((value) => instanceOf(chart).convertToPixel({ xAxisIndex: 0 }, value) as number);
        const gap = Math.min(...xs.slice(1).map((x, i) => x - xs[i]!));
        const times = labels.some((label) => /\d:\d\d/.test(label));
        expect(labels.length, `${width}px: ${labels.join(' | ')}`).to.be.at.least(2);
        expect(gap, `${width}px: ${labels.join(' | ')}`).to.be.at.least(times ? 90 : 50);
      }
    });

    it('draws both panels where its geometry says, at any width: ECharts narrows no grid for a label or a long title', async () => {
      const { chart } = await mount({ bucket: 'hour' });
      const plot = chart.shadowRoot!.querySelector<HTMLElement>('.plot')!;
      type Grid = { coordinateSystem: { getRect(): { x: number; width: number } } };
      const rect = (i: number) =>
        (instanceOf(chart) as unknown as { getModel(): { getComponent(type: string, index: number): Grid } }).getModel().getComponent('grid', i).coordinateSystem.getRect();
      for (const width of [280, 300, 720]) {
        chart.parentElement!.style.width = `${width}px`;
        await waitUntil(() => instanceOf(chart).getWidth() === plot.clientWidth && Math.abs(plot.clientWidth - width) < 40, `redrawn at ${width}px`);
        // 64 px of labels on the left, 48 for the users' axis on the right.
        for (const i of [0, 1]) expect([rect(i).x, Math.round(rect(i).width)], `${width}px, panel ${i}`).to.deep.equal([64, plot.clientWidth - 64 - 48]);
        // Two dates at least where two fit (a week at 300 px read "Dec 7" alone).
        const { customValues, formatter } = (instanceOf(chart).getOption() as { xAxis: { axisLabel: { customValues: number[]; formatter: (ms: number) => string } }[] }).xAxis.at(-1)!.axisLabel;
        expect(customValues.length, `${width}px: ${customValues.map(formatter).join(' | ')}`).to.be.at.least(2);
      }
    });

    it('keeps one panel where two would be too flat, or where one of them has nothing shown', async () => {
      const { chart } = await mount({ bucket: 'hour', style: '--usage-chart-height: 150px' });
      const axes = (key: string) => {
        const { xAxisIndex, yAxisIndex } = seriesOf(chart).get(key) ?? {};
        return [xAxisIndex, yAxisIndex];
      };
      expect(axes('available')).to.deep.equal([0, 0]);
      expect(axes('drawn')).to.deep.equal([0, 0]);
      expect(axes('usersOverBase')).to.deep.equal([0, 1]);
      // No panel titles in one panel; the right axis still says what it counts.
      expect((instanceOf(chart).getOption() as { yAxis: { name?: string }[] }).yAxis.map((axis) => axis.name ?? '')).to.deep.equal(['', 'Users']);
      // Taller, with every level hidden in the legend: the lower panel's series alone, in one.
      chart.style.removeProperty('--usage-chart-height');
      await waitUntil(() => axes('drawn')[0] === 1, 'two panels at the default height');
      for (const label of ['Available (bucket end)', 'Lowest available', 'Capacity (rolling 4 h)', 'Projected low (trend)']) {
        [...chart.shadowRoot!.querySelectorAll<HTMLElement>('[part~="legend-item"]')].find((b) => b.textContent!.includes(label))?.click();
      }
      await waitUntil(() => !seriesOf(chart).has('available'), 'the levels hidden');
      expect(axes('drawn')).to.deep.equal([0, 0]);
      expect(axes('usersOverBase')).to.deep.equal([0, 1]);
    });

    it('gives the lowest point of the capacity in force in its bucket, not the capacity now', async () => {
      const record = recorder();
      // The admin raised the pool since: today's capacity is twice what the buckets had.
      withSurplus(record, (answer) => ({ ...answer, capacity: answer.capacity * 2 }));
      const { chart } = await mount({ bucket: 'hour' }, record);
      const answer = await answerOf<SurplusSeries>(record.to('surplus').at(-1)!);
      const low = answer.points.reduce((min, p) => (p.availableMin < min.availableMin ? p : min));
      const unit = (value: number) => formatAmount(value, answer.resourceType, { locale: 'en-US' });
      // (answerOf asks the server itself: its capacity is the buckets'.)
      expect(low.capacity).to.equal(answer.capacity);
      expect(part(chart, 'summary')!.textContent).to.contain(`Lowest available ${unit(low.availableMin)} of ${unit(low.capacity)}, in the hour starting`);
    });

    it('isolates its figures inside the English summary in a right-to-left locale, so they keep their order', async () => {
      const { chart, record } = await mount({ bucket: 'hour', locale: 'ar-EG', 'resource-type': 'storage' });
      const answer = await answerOf<SurplusSeries>(record.to('surplus').at(-1)!);
      const drawn = answer.points.reduce((sum, p) => sum + p.drawn, 0);
      const summary = part(chart, 'summary')!.textContent!;
      expect(summary).to.contain(`Surplus drawn \u2068${formatAmount(drawn, 'storage', { locale: 'ar-EG' })}\u2069 over`);
      // Drawn in order: the figure's run starts after "Surplus drawn" and ends before "over".
      const text = [...part(chart, 'summary')!.childNodes].find((node) => node.textContent!.includes('Surplus drawn'))!;
      const at = (needle: string) => {
        const range = document.createRange();
        const index = text.textContent!.indexOf(needle);
        range.setStart(text, index);
        range.setEnd(text, index + needle.length);
        return range.getBoundingClientRect();
      };
      expect(at('drawn').right).to.be.at.most(at('\u2068').left + 1);
      expect(at('\u2069').right).to.be.at.most(at(' over').left + 1);
      // The legend's total too ("٥٧ م.ب" turned its run around, the share before the amount).
      const total = chart.shadowRoot!.querySelector('[part~="legend-total"]')!.textContent!;
      expect(total).to.equal(`\u2068${formatAmount(drawn, 'storage', { locale: 'ar-EG', compact: true })}\u2069`);
      // And the forecast's figures are the locale's ("stay above 0 for the next 30 days" kept ASCII digits).
      expect(part(chart, 'projection')!.textContent).to.not.match(/[0-9]/);
    });

    it('ticks a pool of nothing (no capacity, no drawing) in whole amounts', async () => {
      const record = recorder();
      const none = { capacity: 0, available: 0, availableMin: 0, drawn: 0, usersOverBase: 0 };
      withSurplus(record, (answer) => ({ ...answer, capacity: 0, points: answer.points.map((p) => ({ ...p, ...none })) }));
      const { chart } = await mount({ bucket: 'hour' }, record);
      const ticks = (instanceOf(chart) as unknown as { getModel(): { getComponent(type: string, index: number): { axis: { scale: { getTicks(): { value: number }[] } } } } })
        .getModel()
        .getComponent('yAxis', 0)
        .axis.scale.getTicks()
        .map((t) => t.value);
      expect(ticks.every(Number.isInteger), String(ticks)).to.equal(true);
    });

    it('says when the surplus will not run out, and how often the pool ran dry', async () => {
      const record = recorder();
      withProjection(record, { exhaustedAt: null, exhaustions: 0 });
      const { chart } = await mount({ bucket: 'hour' }, record);
      expect(part(chart, 'projection')!.textContent).to.contain('At this pace the daily lows stay above 0 for the next 30 days.');
      expect(part(chart, 'exhaustions')!.textContent).to.contain('did not run dry');
    });

    it('says a pool empty when the range began was already dry, not that it did not run dry', async () => {
      const record = recorder();
      withSurplus(record, (answer) => {
        const [first, ...rest] = answer.points;
        return { ...answer, points: [{ ...first!, available: 0, availableMin: 0 }, ...rest], projection: { ...answer.projection, exhaustions: 0 } };
      });
      const { chart } = await mount({ bucket: 'hour' }, record);
      expect(part(chart, 'exhaustions')!.textContent!.trim()).to.equal('The pool was already dry when this range began.');
    });

    it('says a rate under 10 a day with a decimal, one that rounds to 0 as less than 0.1, and none as 0', async () => {
      const record = recorder();
      withProjection(record, { ratePerDay: 17 / 7 });
      const { chart } = await mount({ bucket: 'day', 'resource-type': 'ocr' }, record);
      expect(part(chart, 'projection')!.textContent).to.contain('Drawn at 2.4 pages a day over the last 7 days.');
      withProjection(record, { ratePerDay: 0.2 / 7 });
      chart.setAttribute('bucket', 'hour');
      await waitUntil(() => part(chart, 'projection')?.textContent?.includes('Drawn at less than 0.1 pages a day'), 'under 0.05: less than 0.1');
      withProjection(record, { ratePerDay: 0 });
      chart.setAttribute('resource-type', 'tokens');
      await waitUntil(() => part(chart, 'projection')?.textContent?.includes('Drawn at 0 tokens a day'), 'none is 0');
    });

    it('does not call a pool that ran dry in the range safe when its trend does not reach 0', async () => {
      const record = recorder();
      withProjection(record, { exhaustedAt: null, exhaustions: 3 });
      const { chart } = await mount({ bucket: 'hour' }, record);
      const projection = part(chart, 'projection')!.textContent!;
      expect(projection).not.to.contain('stay above 0');
      expect(projection).to.contain('The trend of the daily lows does not reach 0 within 30 days, but bursts ran the pool dry in this range.');
      expect(part(chart, 'exhaustions')!.textContent).to.contain('ran dry 3 times');
      expect(describedBy(chart).join(' ')).to.contain('bursts ran the pool dry');
    });

    it('says when the surplus runs out and draws the forecast down to zero there, dashed', async () => {
      const record = recorder();
      const exhaustedAt = new Date(NOW + 12 * HOUR).toISOString();
      withProjection(record, { exhaustedAt, exhaustions: 1 });
      const { chart } = await mount({ bucket: 'hour' }, record);
      expect(part(chart, 'projection')!.textContent).to.contain(
        // A day, as a trend of daily lows can tell: not an instant to the second.
        `If the daily lows keep falling at this pace, the pool runs dry around ${formatDateTime(exhaustedAt, { locale: 'en-US', timeZone: 'UTC', style: 'axis-day' })}.`,
      );
      expect(part(chart, 'exhaustions')!.textContent!.trim()).to.equal('The pool ran dry once in this range.');
      const projection = seriesOf(chart).get('projection')!;
      expect(projection.lineStyle?.type).to.equal('dashed');
      expect(projection.data[0]![0]).to.equal(NOW);
      expect(projection.data).to.deep.include([Date.parse(exhaustedAt), 0]);
      expect(describedBy(chart).join(' ')).to.contain('the pool runs dry around');
    });

    it('draws the trend of the lows down to the day it names when the pool is dry at the last low, not a line along 0', async () => {
      const record = recorder();
      const exhaustedAt = new Date(NOW + 2 * DAY).toISOString();
      withSurplus(record, (answer) => ({
        ...answer,
        points: [...answer.points.slice(0, -1), { ...answer.points.at(-1)!, available: 0, availableMin: 0 }],
        projection: { ...answer.projection, exhaustedAt, troughSlopePerDay: -1_000, exhaustions: 1 },
      }));
      const { chart } = await mount({ bucket: 'hour' }, record);
      expect(part(chart, 'projection')!.textContent).to.contain('the pool runs dry around');
      const projection = seriesOf(chart).get('projection')!;
      // 1,000 a day for the 2 days to that day.
      expect(projection.data.slice(0, 2)).to.deep.equal([
        [NOW, 2_000],
        [Date.parse(exhaustedAt), 0],
      ]);
    });

    it('draws the forecast no further than its 30 days, over a range of a year', async () => {
      const record = recorder();
      withProjection(record, { exhaustedAt: null, troughSlopePerDay: -100 });
      const { chart } = await mount({ from: new Date(NOW - 365 * DAY).toISOString(), to: WEEK.to, bucket: 'day' }, record);
      const projection = seriesOf(chart).get('projection')!;
      expect(projection.data[0]![0]).to.equal(NOW);
      expect(projection.data.at(-1)![0]).to.equal(NOW + 30 * DAY);
    });

    it('draws no forecast for a range that ended long ago', async () => {
      const { chart } = await mount({ from: new Date(NOW - 20 * DAY).toISOString(), to: new Date(NOW - 13 * DAY).toISOString(), bucket: 'hour' });
      expect(seriesOf(chart).has('projection')).to.equal(false);
      expect(part(chart, 'projection')).to.not.equal(null);
    });

    it('is accessible, in the table view too', async () => {
      const { chart } = await mount({ bucket: 'day' });
      expect(seriesOf(chart).get('drawn')!.type).to.equal('bar');
      await expect(chart).to.be.accessible();
      part(chart, 'table-toggle')!.click();
      await chart.updateComplete;
      expect(part(chart, 'table')!.querySelectorAll('thead th')).to.have.length(6);
      await expect(chart).to.be.accessible();
    });
  });

  describe('unit and legend', () => {
    it('names the type its amounts are in beside its title, and says it shows tokens under all types', async () => {
      const { chart } = await mount({ bucket: 'day' });
      await expect(chart).to.be.accessible();
      await checkUnits(chart, 'Surplus pool');
    });

    it('downloads its table view as CSV: amounts in the unit, the count of users without one, no projection', async () => {
      const { chart, record } = await mount({ bucket: 'day' });
      const answer = await answerOf<SurplusSeries>(record.to('surplus')[0]!);
      const { filename, rows } = await downloadedCsv(chart);
      expect(filename).to.match(/^surplus-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv$/);
      const header = rows[0]!;
      expect(header.slice(0, 2)).to.deep.equal(['start', 'end']);
      expect(header).to.include('Surplus drawn (tokens)');
      expect(header).to.include('Users over base');
      expect(header.some((name) => /projected/i.test(name))).to.equal(false);
      const column = (name: string) => rows.slice(1).map((row) => Number(row[header.indexOf(name)]));
      expect(rows.slice(1).map((row) => row[0])).to.deep.equal([answer.from, ...answer.points.slice(1).map((p) => p.t)]);
      expect(column('Surplus drawn (tokens)')).to.deep.equal(answer.points.map((p) => p.drawn));
      expect(column('Users over base')).to.deep.equal(answer.points.map((p) => p.usersOverBase));
    });

    it('fits its table view in a half-width card: each bucket by its start, long names on two lines', async () => {
      const { chart, record } = await mount({ bucket: 'hour' });
      const answer = await answerOf<SurplusSeries>(record.to('surplus')[0]!);
      chart.style.width = '720px';
      part(chart, 'table-toggle')!.click();
      await chart.updateComplete;
      const wrap = part(chart, 'table-wrap')!;
      // Every column in view: it was 1,051 px wide in a 664 px box, "Users over base" out of sight.
      expect(wrap.scrollWidth, 'the table is wider than its box').to.be.at.most(wrap.clientWidth);
      // In the half of a 1,280-px page too, each time on two lines ("Nov 30, 2026, / 8:00 PM") rather than the last columns past the edge.
      chart.style.width = '600px';
      await chart.updateComplete;
      expect(wrap.scrollWidth, 'the table is wider than its 600-px box').to.be.at.most(wrap.clientWidth);
      const rows = [...part(chart, 'table')!.querySelectorAll('tbody th')].map((th) => th.textContent!.trim());
      const second = formatWhen(answer.points[1]!.t, 'minute', { locale: 'en-US', timeZone: 'UTC' });
      expect(rows[1], 'an hour by its start, to the minute').to.equal(second);
      const daily = await mount({ bucket: 'day' });
      part(daily.chart, 'table-toggle')!.click();
      await daily.chart.updateComplete;
      const day = part(daily.chart, 'table')!.querySelectorAll('tbody th')[1]!.textContent!.trim();
      expect(day, 'a day by its date').to.match(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);
    });

    it('totals the surplus drawn alone, in its legend and a Total row: the other series are levels and counts, not additive', async () => {
      const { chart, record } = await mount({ bucket: 'day', 'resource-type': 'ocr' });
      const answer = await answerOf<SurplusSeries>(record.to('surplus')[0]!);
      const totals = [...chart.shadowRoot!.querySelectorAll('[part~="legend-total"]')];
      expect(totals, 'one legend total').to.have.length(1);
      const drawn = answer.points.reduce((sum, p) => sum + p.drawn, 0);
      expect(drawn, 'the fixture draws surplus').to.be.above(0);
      expect(totals[0]!.closest('[part~="legend-item"]')!.textContent).to.contain('Surplus drawn');
      expect(totals[0]!.textContent!.trim()).to.equal(formatAmount(drawn, 'ocr', { locale: 'en-US', compact: true }));
      part(chart, 'table-toggle')!.click();
      await chart.updateComplete;
      const head = [...part(chart, 'table')!.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
      const foot = [...part(chart, 'table')!.querySelectorAll('tfoot :is(th, td)')].map((cell) => cell.textContent!.trim());
      expect(foot[0]).to.equal('Total');
      expect(foot[head.indexOf('Surplus drawn')]).to.equal(formatAmount(drawn, 'ocr', { locale: 'en-US' }).replace(/[\u2068\u2069]/g, ''));
      expect(foot.filter((cell) => cell === '–'), 'levels and counts have none').to.have.length(head.length - 2);
    });
  });

  describe('who is drawing surplus', () => {
    it('narrows the pools to surplus and hybrid and lists the users drawing most, as text', async () => {
      const { chart, record } = await mount({ 'resource-type': 'ocr', bucket: 'day' });
      const changed = oneEvent(chart, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
      part(chart, 'who-button')!.click();
      expect((await changed).detail.state.poolCategories).to.deep.equal(['surplus', 'hybrid']);
      await chart.updateComplete;
      // One status line says the list is loading, then what came, in the same element (a
      // screen reader heard nothing when the users came, below the chart).
      const status = part(chart, 'drawers-status')!;
      expect(status.getAttribute('role')).to.equal('status');
      await waitUntil(() => chart.shadowRoot!.querySelectorAll('[part~="user-link"]').length > 0, 'the drawers are listed');
      const url = record.to('consumption').at(-1)!;
      const listedAnswer = await answerOf<ConsumptionSeries>(url);
      const others = listedAnswer.points.some((p) => (p.other ?? 0) > 0);
      expect(part(chart, 'drawers-status'), 'the same element').to.equal(status);
      expect(status.textContent).to.equal(others ? `The ${listedAnswer.groups.length} users who drew the most, and everyone else.` : `${listedAnswer.groups.length} users drew surplus in this range.`);
      expect(paramsOf(url)).to.include({ groupBy: 'userId', resourceType: 'ocr', from: WEEK.from, to: WEEK.to });
      expect(paramsOf(url).poolCategory).to.deep.equal(['surplus', 'hybrid']);
      const answer = await answerOf<ConsumptionSeries>(url);
      // Each user by name with the ID after it (the ID alone for those without a name), once the names are in.
      const names = await userNames(answer.groups);
      expect(names.size, 'some drawers have names').to.be.above(0);
      await waitUntil(() => chart.shadowRoot!.querySelectorAll('[part~="user-link"] .id-detail').length === names.size, 'the drawers are named');
      const listed = [...chart.shadowRoot!.querySelectorAll('[part~="user-link"]')].map((a) => a.textContent!.trim());
      expect(listed).to.deep.equal(answer.groups.map((id) => namedUser(names, id)));
      expect(listed).to.include(DRAWER);
      expect(listed).to.include(HOSTILE);
      // The browser's own names keep the space between a user's name and ID.
      const named = await accessibleNames();
      for (const id of answer.groups) if (names.has(id)) expect(named).to.include(namedUser(names, id));
      expect(chart.shadowRoot!.querySelector('img')).to.equal(null);
      expect((window as { __surplusXss?: number }).__surplusXss).to.equal(undefined);
      expect(part(chart, 'org-note')).to.not.equal(null);
      // How much, and on how many of the range's days (past their base budget, so: how often).
      const amounts = [...chart.shadowRoot!.querySelectorAll('.drawers .amount')].map((a) => a.textContent!.trim());
      expect(amounts).to.deep.equal(
        answer.groups.map((id) => {
          const total = answer.points.reduce((sum, p) => sum + p.byGroup[id]!, 0);
          const days = answer.points.filter((p) => p.byGroup[id]! > 0).length;
          return `${formatAmount(total, 'ocr', { locale: 'en-US' })} in surplus and hybrid events, over base on ${days} of the ${answer.points.length} days the range spans`;
        }),
      );
      // Each amount on a line of its own under its user, at the same start, short name or long
      // (beside a short name it rose onto the name's line, out of step with the rows around it).
      for (const item of chart.shadowRoot!.querySelectorAll('.drawers li')) {
        const user = item.querySelector('[part~="user-link"]')!.getBoundingClientRect();
        const amount = item.querySelector('.amount')!.getBoundingClientRect();
        expect(amount.top, item.textContent!).to.be.at.least(user.bottom - 1);
        expect(Math.abs(amount.left - user.left), item.textContent!).to.be.below(1);
      }
      // Pointer targets of 24 px at least (WCAG 2.5.8).
      for (const link of chart.shadowRoot!.querySelectorAll('[part~="user-link"]')) expect(link.getBoundingClientRect().height, link.textContent!).to.be.at.least(24);
      await expect(chart).to.be.accessible();
    });

    it('says how often in hours over a day or two, in days over longer ranges (90 days too)', async () => {
      for (const [from, bucket, unit] of [
        [NOW - DAY, 'hour', 'hours'],
        [NOW - 90 * DAY, 'day', 'days'],
      ] as const) {
        const { chart, record } = await mount({ 'resource-type': 'tokens', from: new Date(from).toISOString(), to: WEEK.to });
        part(chart, 'who-button')!.click();
        await waitUntil(() => chart.shadowRoot!.querySelectorAll('.drawers .amount').length > 0, 'the drawers are listed');
        const url = record.to('consumption').at(-1)!;
        expect(paramsOf(url).bucket).to.equal(bucket);
        const answer = await answerOf<ConsumptionSeries>(url);
        const first = answer.groups[0]!;
        const often = answer.points.filter((p) => p.byGroup[first]! > 0).length;
        expect(chart.shadowRoot!.querySelector('.drawers .amount')!.textContent).to.contain(
          `, over base ${unit === 'days' ? 'on' : 'in'} ${often} of the ${answer.points.length} ${unit} the range spans`,
        );
        chart.remove();
      }
    });

    it('pressed again, closes the list and gives the pool categories back; pools changed meanwhile close it and are kept', async () => {
      const { chart } = await mount({ 'resource-type': 'ocr', bucket: 'day', 'pool-categories': 'allocated' });
      const pools = async (click: () => void) => {
        const changed = oneEvent(chart, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
        click();
        return (await changed).detail.state.poolCategories;
      };
      const who = () => part(chart, 'who-button')!.click();
      expect(await pools(who)).to.deep.equal(['surplus', 'hybrid']);
      expect(part(chart, 'who-button')!.getAttribute('aria-pressed')).to.equal('true');
      expect(await pools(who), 'closing undoes the narrowing').to.deep.equal(['allocated']);
      await chart.updateComplete;
      expect(part(chart, 'drawers')).to.equal(null);
      expect(part(chart, 'who-button')!.getAttribute('aria-pressed')).to.equal('false');
      // Pools changed while the list is open (here by the host; Reset filters alike): the
      // list closes, unpressed, and the pools are kept.
      expect(await pools(who)).to.deep.equal(['surplus', 'hybrid']);
      let announced = 0;
      chart.addEventListener('usage-filters-change', () => announced++);
      chart.filters = { ...chart.filters, poolCategories: [] };
      await chart.updateComplete;
      expect(part(chart, 'drawers')).to.equal(null);
      expect(part(chart, 'who-button')!.getAttribute('aria-pressed')).to.equal('false');
      expect(chart.filters.poolCategories).to.deep.equal([]);
      expect(announced).to.equal(0);
      // Pressed then, it narrows again (and closing gives back the pools of that moment).
      expect(await pools(who)).to.deep.equal(['surplus', 'hybrid']);
      expect(await pools(who)).to.deep.equal([]);
    });

    it('shows a failed look-up with the endpoint’s message and Retry', async () => {
      const record = recorder();
      let fail = true;
      record.intercept = (url, forward) =>
        fail && url.pathname === '/api/consumption'
          ? Promise.resolve(Response.json({ error: { code: 'bad_parameter', message: 'Rollup unavailable', param: 'poolCategory' } }, { status: 400 }))
          : forward();
      const { chart } = await mount({ 'resource-type': 'ocr', bucket: 'day' }, record);
      const error = oneEvent(chart, 'usage-error') as Promise<UsageErrorEvent>;
      part(chart, 'who-button')!.click();
      expect((await error).detail.message).to.contain('Rollup unavailable');
      await waitUntil(() => part(chart, 'drawers')?.querySelector('[role="alert"]'), 'the panel shows the error');
      expect(part(chart, 'drawers')!.querySelector('[role="alert"]')!.textContent).to.contain('Rollup unavailable');
      expect(part(chart, 'drawers')!.querySelector('[role="alert"]')!.textContent!.trim()).to.match(/^Who is drawing surplus:/);
      fail = false;
      const retry = part(chart, 'drawers')!.querySelector<HTMLButtonElement>('[part~="retry"]')!;
      retry.focus();
      retry.click();
      await waitUntil(() => chart.shadowRoot!.querySelectorAll('[part~="user-link"]').length > 0, 'the drawers are listed after Retry');
      // Its Retry went away with the error: the focus goes to the first listed user, not to the unnamed piece.
      await waitUntil(() => chart.shadowRoot!.activeElement === chart.shadowRoot!.querySelector('[part~="user-link"]'), 'the first user has the focus');
    });

    it('fires usage-user-select for a listed user and, unprevented, narrows to that user', async () => {
      const { chart } = await mount({ 'resource-type': 'ocr', bucket: 'day' });
      part(chart, 'who-button')!.click();
      await waitUntil(() => chart.shadowRoot!.querySelector(`[part~="user-link"]`), 'the drawers are listed');
      const link = [...chart.shadowRoot!.querySelectorAll<HTMLElement>('[part~="user-link"]')].find((a) => a.textContent!.trim() === DRAWER)!;
      const selected = oneEvent(chart, 'usage-user-select') as Promise<UsageUserSelectEvent>;
      const changed = oneEvent(chart, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
      link.click();
      expect((await selected).detail.userId).to.equal(DRAWER);
      expect((await changed).detail.state.userIds).to.deep.equal([DRAWER]);
    });

    it('keeps the focus through the narrowed list when a listed user is chosen by keyboard, never on the page body', async () => {
      const { chart } = await mount({ 'resource-type': 'ocr', bucket: 'day' });
      part(chart, 'who-button')!.click();
      await waitUntil(() => chart.shadowRoot!.querySelector(`[part~="user-link"]`), 'the drawers are listed');
      const link = [...chart.shadowRoot!.querySelectorAll<HTMLElement>('[part~="user-link"]')].find((a) => a.textContent!.trim() === DRAWER)!;
      link.focus();
      const lost: string[] = [];
      const watch = setInterval(() => document.activeElement === document.body && lost.push('body'), 5);
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => chart.shadowRoot!.activeElement?.matches('[part~="user-link"]') && chart.shadowRoot!.activeElement !== link, 'the chosen user’s link in the new list has the focus', { timeout: 3000 });
      clearInterval(watch);
      expect(chart.shadowRoot!.activeElement!.textContent!.trim()).to.equal(DRAWER);
      expect(lost, 'the focus fell to the page body').to.deep.equal([]);
      expect(chart.filters.userIds).to.deep.equal([DRAWER]);
    });

    it('links user IDs with user-href, and a host may take the selection over', async () => {
      const { chart } = await mount({ 'resource-type': 'ocr', bucket: 'day', 'user-href': '/admin/users/{userId}' });
      part(chart, 'who-button')!.click();
      await waitUntil(() => chart.shadowRoot!.querySelector(`a[part~="user-link"]`), 'the drawers are links');
      const link = [...chart.shadowRoot!.querySelectorAll<HTMLAnchorElement>('a[part~="user-link"]')].find((a) => a.textContent!.trim() === HOSTILE)!;
      expect(link.getAttribute('href')).to.equal(`/admin/users/${encodeURIComponent(HOSTILE)}`);
      chart.addEventListener('usage-user-select', (e) => e.preventDefault(), { once: true });
      const selected = oneEvent(chart, 'usage-user-select') as Promise<UsageUserSelectEvent>;
      link.click();
      expect((await selected).defaultPrevented).to.equal(true);
      expect(location.pathname).to.not.contain('/admin/users');
    });
  });

  describe('brush', () => {
    it('narrows the shared range to the brushed span', async () => {
      const record = recorder();
      const DAYS = { from: '2026-02-24T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' };
      const filters = place<UsageFilters>(html`<usage-filters data-endpoint="/api" time-zone="UTC" .requestOptions=${record.requestOptions} from=${DAYS.from} to=${DAYS.to}>
        <div style="width: 720px"><surplus-chart bucket="day"></surplus-chart></div>
      </usage-filters>`);
      const chart = filters.querySelector('surplus-chart')!;
      await settled(chart);
      const changed = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
      // The forecast is not drawn (the range ended before the server's now), so the axis spans the seven days.
      dragAcross(chart, bucketPoint(chart, 4, 7, 48), bucketPoint(chart, 5, 7, 48));
      expect((await changed).detail.state.range).to.deep.equal({ from: '2026-02-28T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' });
    });
  });

  describe('states and live', () => {
    it('keeps the room of what its first answer brings while it loads: the plot, its actions and the card hardly move', async () => {
      const { record, release } = heldRecorder();
      const chart = document.createElement('surplus-chart');
      chart.setAttribute('data-endpoint', '/api');
      chart.setAttribute('from', WEEK.from);
      chart.setAttribute('to', WEEK.to);
      chart.requestOptions = record.requestOptions;
      place(html`<div style="width: 720px">${chart}</div>`);
      await waitUntil(() => chart.loading);
      const layout = () => {
        const card = chart.shadowRoot!.querySelector('.card')!.getBoundingClientRect();
        return {
          plot: chart.shadowRoot!.querySelector('.plot-frame')!.getBoundingClientRect().top - card.top,
          actions: part(chart, 'who-button')!.getBoundingClientRect().top - card.top,
          height: card.height,
        };
      };
      const loading = layout();
      release();
      await settled(chart);
      const loaded = layout();
      // Without the room kept, the plot moved down 72 px (the notes), the card grew 150 px.
      expect(Math.abs(loaded.plot - loading.plot), JSON.stringify({ loading, loaded })).to.be.at.most(16);
      expect(loaded.actions, JSON.stringify({ loading, loaded })).to.equal(loading.actions);
      expect(Math.abs(loaded.height - loading.height), JSON.stringify({ loading, loaded })).to.be.at.most(32);
    });

    it('shows the endpoint’s error with Retry', async () => {
      const record = recorder();
      record.intercept = () => Promise.resolve(Response.json({ error: { code: 'rate_limited', message: 'Slow down' } }, { status: 400 }));
      const chart = document.createElement('surplus-chart');
      chart.setAttribute('data-endpoint', '/api');
      chart.requestOptions = record.requestOptions;
      const error = oneEvent(chart, 'usage-error') as Promise<UsageErrorEvent>;
      place(html`<div>${chart}</div>`);
      expect((await error).detail.message).to.contain('Slow down');
      await settled(chart);
      expect(chart.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('Slow down');
      record.intercept = undefined;
      (part(chart, 'retry') as HTMLButtonElement).click();
      await waitUntil(() => !chart.hasAttribute('error'), 'the error clears');
      await settled(chart);
      expect(seriesOf(chart).has('drawn')).to.equal(true);
    });

    afterEach(() => {
      liveTiming.refreshMs = LIVE_REFRESH_MS;
      delete (document as { visibilityState?: unknown }).visibilityState;
    });

    it('refetches from the start of its current bucket when matching events arrive, at most every 30 s from its last request', async () => {
      // 4 s standing for the 30 s.
      liveTiming.refreshMs = 4_000;
      const record = recorder();
      const asked: number[] = [];
      record.intercept = (url, forward) => (url.pathname === '/api/surplus' && asked.push(performance.now()), forward());
      const { chart } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr' }, record);
      await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
      const answer = await answerOf<SurplusSeries>(record.to('surplus')[0]!);
      const drawnBefore = seriesOf(chart).get('drawn')!.data.at(-1)![1]!;
      await ingest([{ userId: DRAWER, amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'live_draw_1', endpoint: '/v1/ocr', created: new Date(NOW - 5 * 60_000).toISOString() }]);
      await waitUntil(() => record.to('surplus').length === 2, 'the current bucket is fetched again', { timeout: 10_000 });
      // The answer was a request: the first events after it waited their turn (they were fetched at once).
      expect(asked[1]! - asked[0]!, 'from the first request').to.be.at.least(liveTiming.refreshMs - 20);
      const tail = record.to('surplus')[1]!;
      expect(paramsOf(tail)).to.deep.equal({ from: answer.points.at(-1)!.t, to: WEEK.to, resourceType: 'ocr', bucket: 'hour', tz: 'UTC' });
      await waitUntil(() => seriesOf(chart).get('drawn')!.data.at(-1)![1] === drawnBefore + 1, 'the last bucket shows the new draw');
      expect(seriesOf(chart).get('drawn')!.data).to.have.length(answer.points.length);
      // Another matching event within 30 s waits for the next turn.
      await ingest([{ userId: DRAWER, amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'live_draw_2', endpoint: '/v1/ocr', created: new Date(NOW - 4 * 60_000).toISOString() }]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(record.to('surplus')).to.have.length(2);
      chart.remove();
    });

    it('refetches from the bucket of a back-dated event (ingest takes them up to 24 hours back), not only the current one', async () => {
      liveTiming.refreshMs = 300;
      const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr' });
      await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
      const answer = await answerOf<SurplusSeries>(record.to('surplus')[0]!);
      const created = NOW - 5 * HOUR - 10 * 60_000;
      const bucket = answer.points.findIndex((p) => Date.parse(p.t) > created) - 1;
      const drawnBefore = seriesOf(chart).get('drawn')!.data[bucket]![1]!;
      await ingest([{ userId: DRAWER, amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'live_backdated_1', endpoint: '/v1/ocr', created: new Date(created).toISOString() }]);
      await waitUntil(() => record.to('surplus').length === 2, 'asked again', { timeout: 5_000 });
      expect(paramsOf(record.to('surplus')[1]!).from).to.equal(answer.points[bucket]!.t);
      await waitUntil(() => seriesOf(chart).get('drawn')!.data[bucket]![1] === drawnBefore + 1, 'the back-dated draw shows in its bucket');
      expect(seriesOf(chart).get('drawn')!.data).to.have.length(answer.points.length);
      chart.remove();
    });

    it('refetches for events that came after a new answer was asked, though the refetch waiting then was for earlier ones', async () => {
      liveTiming.refreshMs = 4_000;
      const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr' });
      await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
      await ingest([{ userId: DRAWER, amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'live_join_1', endpoint: '/v1/ocr', created: new Date(NOW - 3 * 60_000).toISOString() }]);
      // Streamed (batches every 250 ms): a refetch waits for it.
      await new Promise((resolve) => setTimeout(resolve, 800));
      // A new answer (another bucket) holds that event; the next one comes after it was asked.
      chart.setAttribute('bucket', 'day');
      await waitUntil(() => record.to('surplus').length === 2, 'asked again for days');
      await settled(chart);
      await ingest([{ userId: DRAWER, amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'live_join_2', endpoint: '/v1/ocr', created: new Date(NOW - 2 * 60_000).toISOString() }]);
      // The refetch that waited was dropped for the new answer, and the later event with it.
      await waitUntil(() => record.to('surplus').length === 3, 'the current bucket is asked again', { timeout: 8_000 });
      expect(paramsOf(record.to('surplus')[2]!).bucket).to.equal('day');
      chart.remove();
    });

    it('waits while the page is hidden, and refetches once when it shows again', async () => {
      liveTiming.refreshMs = 300;
      const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr' });
      await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
      const setVisibility = (state: DocumentVisibilityState) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
        document.dispatchEvent(new Event('visibilitychange'));
      };
      setVisibility('hidden');
      await ingest([{ userId: DRAWER, amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'live_hidden_1', endpoint: '/v1/ocr', created: new Date(NOW - 3 * 60_000).toISOString() }]);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      // A background tab fetched every 30 s.
      expect(record.to('surplus'), 'nothing asked while hidden').to.have.length(1);
      setVisibility('visible');
      await waitUntil(() => record.to('surplus').length === 2, 'asked once shown', { timeout: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(record.to('surplus')).to.have.length(2);
      chart.remove();
    });
  });
});

describe('<surplus-chart> live status', () => {
  const liveStatus = (chart: SurplusChart) => part(chart, 'live-status');

  it('shows a refused stream on every chart that follows it, in the dark theme too, and Reconnect on one follows it again for both', async () => {
    const record = recorder();
    const refusal = refuseRequests(record, 'events/stream', 403, 'forbidden', 'This token may not read live events.');
    const { chart: first } = await mount({ live: '', theme: 'dark', 'resource-type': 'ocr' }, record);
    const { chart: second } = await mount({ live: '', theme: 'dark', 'resource-type': 'ocr' }, record);
    for (const chart of [first, second]) {
      await waitUntil(() => liveStatus(chart)?.getAttribute('data-status') === 'failed', 'the stream is refused', { timeout: 5_000 });
      expect(liveStatus(chart)!.textContent!.trim()).to.equal('Live updates stopped: This token may not read live events.');
      expect(part(chart, 'live-retry')!.textContent!.trim()).to.equal('Reconnect');
    }
    await expect(first).to.be.accessible();
    const asked = record.to('events/stream').length;
    refusal.allow();
    (part(first, 'live-retry') as HTMLButtonElement).click();
    for (const chart of [first, second]) {
      await waitUntil(() => liveStatus(chart)?.getAttribute('data-status') === 'open', 'the stream is open again', { timeout: 5_000 });
      expect(liveStatus(chart)!.textContent!.trim()).to.equal('Live');
      expect(part(chart, 'live-retry')).to.equal(null);
    }
    // One connection for both, started again once.
    expect(record.to('events/stream')).to.have.length(asked + 1);
    await expect(second).to.be.accessible();
  });
});
