import { aTimeout, expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { ConsumptionSeries, UserDetail } from '../api/contract.js';
import type { UsageErrorEvent, UsageFiltersChangeEvent } from '../events/index.js';
import { formatAmount, formatDateTime, formatRange, formatWhen } from '../format/index.js';
import {
  DAY,
  HOUR,
  NOW,
  WEEK,
  addUser,
  answerOf,
  bucketPoint,
  checkUnits,
  demoServer,
  dragAcross,
  instanceOf,
  countCalls,
  ingest,
  mountChart,
  namedUser,
  paramsOf,
  recorder,
  heldRecorder,
  seriesOf,
  settled,
  place,
  textWithout,
  userNames,
  type Recorder,
  accessibleNames,
  describedBy,
  downloadedCsv,
} from '../chart/test-chart-fixture.js';
import { emulateForcedColors, fills } from '../base/test-forced-colors.js';
import { THEME_TOKENS } from '../base/theme.js';
import type { UsageFilters } from '../usage-filters/usage-filters.component.js';
import '../usage-filters/usage-filters.js';
import type { ConsumptionChart } from './consumption-chart.component.js';
import './consumption-chart.js';
import { LIVE_REFRESH_MS, liveTiming } from '../chart/usage-chart-element.js';
import { refuseRequests } from '../api/test-fixtures.js';
import { formatShares } from '../chart/series-stats.js';

function mount(attributes: Record<string, string> = {}, record = recorder()) {
  return mountChart<ConsumptionChart>('consumption-chart', attributes, record);
}

/** The chart's own requests: with one user, not those that count the buckets over the base budget (surplus pools). */
function drawnRequests(record: ReturnType<typeof recorder>): URL[] {
  return record.to('consumption').filter((url) => !url.searchParams.has('poolCategory'));
}

/** Grouped by user: the users' names as the server has them, once the legend shows them. */
async function namesShown(chart: ConsumptionChart, groups: readonly string[]): Promise<Map<string, string>> {
  const names = await userNames(groups);
  expect(names.size, 'the demo names some of its users').to.be.above(0);
  await waitUntil(() => shadow(chart).querySelectorAll('[part~="legend-item"] .id-detail').length === names.size, 'the legend names the users');
  return names;
}

function shadow(chart: ConsumptionChart): ShadowRoot {
  return chart.shadowRoot!;
}

function part(chart: ConsumptionChart, name: string): HTMLElement | null {
  return shadow(chart).querySelector<HTMLElement>(`[part~="${name}"]`);
}

function legendItems(chart: ConsumptionChart): HTMLButtonElement[] {
  return [...shadow(chart).querySelectorAll<HTMLButtonElement>('[part~="legend-item"]')];
}

/** A legend toggle's series name, as shown. */
function legendLabel(item: Element): string {
  return textWithout(item.querySelector('.legend-label')!, '.spoken-comma').trim();
}

/** The series' names in the legend (each toggle also shows its total). */
function legendLabels(chart: ConsumptionChart): string[] {
  return legendItems(chart).map(legendLabel);
}

/** The total a legend toggle shows ("1.9M tokens · 79%"). */
function legendTotal(item: Element): string | undefined {
  const total = item.querySelector('[part~="legend-total"]');
  return total ? textWithout(total, '.spoken-comma') : undefined;
}

/** What a screen reader hears of a toggle's content, its name ("Input, 1.9M tokens, 79%"). */
function spoken(element: Element): string {
  return textWithout(element, '[aria-hidden="true"]');
}

/** The shares as the legend writes them: rounded together (src/chart/chart-math.test.ts tests how). */
function shares(totals: number[], total: number): string[] {
  return formatShares(totals, total, 'en-US');
}

/** Each group's total over the answer, then "Other"'s when it has one. */
function groupTotals(answer: ConsumptionSeries): number[] {
  const totals = answer.groups.map((group) => answer.points.reduce((sum, p) => sum + (p.byGroup[group] ?? 0), 0));
  const other = answer.points.reduce((sum, p) => sum + (p.other ?? 0), 0);
  return other > 0 ? [...totals, other] : totals;
}

/** Shift with ArrowRight `times` times: a keyboard selection grows by as many buckets. */
async function shiftRight(times: number): Promise<void> {
  await sendKeys({ down: 'Shift' });
  for (let i = 0; i < times; i++) await sendKeys({ press: 'ArrowRight' });
  await sendKeys({ up: 'Shift' });
}

/** The data table's footer row: its header and cells. */
function footer(chart: ConsumptionChart): string[] {
  return [...part(chart, 'table')!.querySelectorAll('tfoot tr > *')].map((cell) => cell.textContent!.trim());
}

describe('<consumption-chart> requests', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('asks for tokens by I/O type with automatic buckets over the range, in its time zone', async () => {
    const { record } = await mount({ 'time-zone': 'Europe/Berlin' });
    const urls = record.to('consumption');
    expect(urls).to.have.length(1);
    expect(paramsOf(urls[0]!)).to.deep.equal({
      from: WEEK.from,
      to: WEEK.to,
      resourceType: 'tokens',
      tz: 'Europe/Berlin',
      bucket: 'auto',
      groupBy: 'ioType',
    });
  });

  it('sends every filter it honours, its group-by and bucket, and never the request ID', async () => {
    const { record } = await mount({
      'resource-type': 'storage',
      'user-ids': 'u_a,u_b',
      'pool-categories': 'surplus,hybrid',
      'io-types': 'output',
      endpoints: '/v1/files',
      'amount-min': '10',
      'amount-max': '5000000',
      'request-id': 'req_1',
      'group-by': 'endpoint',
      bucket: 'day',
    });
    const params = paramsOf(record.to('consumption').at(-1)!);
    expect(params).to.deep.equal({
      from: WEEK.from,
      to: WEEK.to,
      resourceType: 'storage',
      userId: ['u_a', 'u_b'],
      poolCategory: ['surplus', 'hybrid'],
      ioType: 'output',
      endpoint: '/v1/files',
      amountMin: '10',
      amountMax: '5000000',
      tz: 'UTC',
      bucket: 'day',
      groupBy: 'endpoint',
    });
  });

  it('says that a request ID, which it does not apply, is looked up in the event log, and asks nothing again for it', async () => {
    const { chart, record } = await mount({ 'request-id': 'req_<b>1</b>' });
    await waitUntil(() => part(chart, 'request-note'), 'the note is shown');
    const asked = record.to('consumption').length;
    chart.setAttribute('request-id', 'req_2');
    await settled(chart);
    expect(record.to('consumption').length, 'a request ID alone changes no request').to.equal(asked);
    chart.setAttribute('request-id', 'req_<b>1</b>');
    await settled(chart);
    expect(part(chart, 'request-note')!.textContent!.trim()).to.equal('Request req_<b>1</b> is looked up in the event log; this chart shows every request of the range.');
    expect(part(chart, 'request-note')!.querySelector('b')).to.equal(null);
    expect(part(chart, 'request-note')!.querySelector('bdi')!.textContent).to.equal('req_<b>1</b>');
    await expect(chart).to.be.accessible();
    chart.removeAttribute('request-id');
    await waitUntil(() => !part(chart, 'request-note'), 'gone with the request ID');
  });

  it('asks again when group-by, bucket or a filter attribute changes', async () => {
    const { chart, record } = await mount();
    chart.setAttribute('group-by', 'poolCategory');
    await settled(chart);
    expect(paramsOf(record.to('consumption').at(-1)!).groupBy).to.equal('poolCategory');
    chart.setAttribute('bucket', 'day');
    await settled(chart);
    expect(paramsOf(record.to('consumption').at(-1)!).bucket).to.equal('day');
    chart.setAttribute('resource-type', 'ocr');
    await settled(chart);
    expect(paramsOf(record.to('consumption').at(-1)!).resourceType).to.equal('ocr');
  });

  it('keeps its drawing while a filter change is on its way: ECharts gets a new option only with the answer', async () => {
    const { chart, record } = await mount({ bucket: 'hour' });
    const instance = instanceOf(chart);
    let options = 0;
    const setOption = instance.setOption.bind(instance) as (...args: unknown[]) => void;
    (instance as unknown as { setOption: (...args: unknown[]) => void }).setOption = (...args) => {
      options++;
      setOption(...args);
    };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    record.intercept = async (_url, forward) => {
      await gate;
      return forward();
    };
    chart.setAttribute('io-types', 'output');
    await waitUntil(() => chart.loading, 'the new request is on its way');
    await chart.updateComplete;
    expect(options, 'options handed to ECharts before the answer').to.equal(0);
    release();
    await settled(chart);
    expect(options).to.equal(1);
    expect(seriesOf(chart).has('group:input')).to.equal(false);
  });

  it('reports a bad group-by or bucket and keeps the previous value', async () => {
    const { chart, record } = await mount({ 'group-by': 'userId' });
    const before = record.to('consumption').length;
    setTimeout(() => chart.setAttribute('group-by', 'colour'));
    const event = (await oneEvent(chart, 'usage-error')) as UsageErrorEvent;
    expect(event.detail.param).to.equal('group-by');
    expect(chart.groupBy).to.equal('userId');
    setTimeout(() => chart.setAttribute('bucket', 'fortnight'));
    const second = (await oneEvent(chart, 'usage-error')) as UsageErrorEvent;
    expect(second.detail.param).to.equal('bucket');
    expect(chart.bucket).to.equal('auto');
    await chart.updateComplete;
    expect(record.to('consumption').length).to.equal(before);
  });

  it('with exactly one user, asks for that user and draws the base budget scaled to the bucket', async () => {
    const users = await answerOf<{ items: { id: string }[] }>(new URL('/api/users?limit=1', location.href));
    const userId = users.items[0]!.id;
    const { chart, record } = await mount({ 'user-id': userId, bucket: 'hour' });
    await waitUntil(() => seriesOf(chart).has('budget'), 'the budget is drawn');
    expect(record.to(`users/${userId}`)).to.have.length(1);
    const detail = await answerOf<UserDetail>(new URL(`/api/users/${userId}`, location.href));
    const budget = seriesOf(chart).get('budget')!;
    expect(budget.data.every(([, y]) => y === Math.round(detail.limits.tokens.basePer4h / 4))).to.equal(true);
    expect(part(chart, 'summary')!.textContent).to.match(/drawn as its share of each bucket \(a bar above the line is a fast bucket, not the limit passed: it counts over rolling 4 hours\); past it \(drawing from surplus\) in \d+ of the 168 hours the range spans\./);
    // The busiest rolling 4 hours (4 hour buckets) against the budget, which is per 4 hours.
    const answer = await answerOf<ConsumptionSeries>(drawnRequests(record).at(-1)!);
    const sums = answer.points.slice(3).map((_, i) => answer.points.slice(i, i + 4).reduce((sum, p) => sum + p.amount, 0));
    const best = Math.max(...sums);
    // From the window's first bucket with consumption (an earlier start over empty hours holds as much).
    const start = answer.points[sums.findIndex((sum, i) => sum === best && answer.points[i]!.amount > 0)]!.t;
    const share = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 }).format(best / detail.limits.tokens.basePer4h);
    expect(part(chart, 'summary')!.textContent).to.contain(
      `Busiest 4 hours: ${formatAmount(best, 'tokens', { locale: 'en-US' })} from ${formatWhen(start, 'minute', { locale: 'en-US', timeZone: 'UTC' })}, ${share} of the base budget.`,
    );
    // The answer gives the limits in force now: the summary says so.
    expect(part(chart, 'summary')!.textContent).to.contain(`Base budget ${formatAmount(detail.limits.tokens.basePer4h, 'tokens', { locale: 'en-US' })} per 4 hours (the user's limit now)`);
  });

  it('with one user, counts the buckets in which they went past the base budget: those with an event drawn from surplus, whatever the other filters', async () => {
    // The user with the most events drawn from surplus in the week.
    const drawing = await answerOf<{ items: { userId: string }[] }>(
      new URL(`/api/events?from=${WEEK.from}&to=${WEEK.to}&resourceType=tokens&poolCategory=surplus&poolCategory=hybrid&pageSize=500`, location.href),
    );
    const counts = new Map<string, number>();
    for (const { userId } of drawing.items) counts.set(userId, (counts.get(userId) ?? 0) + 1);
    const userId = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    // Each day (UTC; 8 day buckets from noon to noon) holding one of the user's events drawn from surplus, paged through.
    const days = new Set<string>();
    for (let page = 1; ; page++) {
      const answer = await answerOf<{ items: { created: string; surplusAmount: number }[] }>(
        new URL(`/api/events?from=${WEEK.from}&to=${WEEK.to}&resourceType=tokens&userId=${userId}&pageSize=500&page=${page}`, location.href),
      );
      for (const event of answer.items) if (event.surplusAmount > 0) days.add(event.created.slice(0, 10));
      if (answer.items.length < 500) break;
    }
    expect(days.size, 'the user drew surplus on some days, not all').to.be.within(1, 7);
    // The pool filter (allocated only) leaves the chart without those events, not the count.
    const { chart } = await mount({ 'user-id': userId, bucket: 'day', 'resource-type': 'tokens', 'pool-categories': 'allocated' });
    await waitUntil(() => /drawing from surplus/.test(part(chart, 'summary')!.textContent!), 'the count is given');
    expect(part(chart, 'summary')!.textContent).to.contain(`not the limit passed: it counts over rolling 4 hours); past it (drawing from surplus) on ${days.size} of the 8 days the range spans.`);
  });

  for (const [where, at] of [
    ['in the third and fourth hours', (_n: number) => 2],
    // The last window, ending at the range's end: its start cannot move on as a full window.
    ['in the range’s last two hours', (n: number) => n - 2],
  ] as const) {
    it(`names the busiest 4 hours from their first hour with consumption, not from quiet hours before it (${where})`, async () => {
      const users = await answerOf<{ items: { id: string }[] }>(new URL('/api/users?limit=1', location.href));
      const record = recorder();
      // Quiet but for 1,000 tokens in one hour and 500 in the next: every window over them holds 1,500.
      record.intercept = async (url, forward) => {
        const response = await forward();
        if (url.pathname !== '/api/consumption' || url.searchParams.has('poolCategory')) return response;
        const answer = (await response.json()) as ConsumptionSeries;
        const first = at(answer.points.length);
        const amounts = answer.points.map((_, i) => (i === first ? 1_000 : i === first + 1 ? 500 : 0));
        const points = answer.points.map((p, i) => ({ ...p, amount: amounts[i]!, byGroup: { input: amounts[i]!, output: 0 } }));
        return Response.json({ ...answer, groups: ['input', 'output'], points, total: 1_500 });
      };
      const { chart } = await mount({ 'user-id': users.items[0]!.id, bucket: 'hour' }, record);
      await waitUntil(() => part(chart, 'summary')!.textContent!.includes('Busiest 4 hours'), 'the busiest 4 hours are named');
      // 168 hour buckets from NOW − 7 days.
      const hour = new Date(NOW - 7 * DAY + at(168) * HOUR).toISOString();
      expect(part(chart, 'summary')!.textContent).to.contain(`Busiest 4 hours: 1,500 tokens from ${formatWhen(hour, 'minute', { locale: 'en-US', timeZone: 'UTC' })},`);
    });
  }

  it('draws a partial last bucket’s bars inside their own bucket, never over the bars before them', async () => {
    // Weeks over 7 days ending on a Tuesday noon: the last week is a day and a half of the range.
    const { chart } = await mount({ bucket: 'week' });
    type Layout = { x: number; width: number };
    const model = (instanceOf(chart) as unknown as { getModel(): { getSeries(): { subType: string; getData(): { count(): number; getItemLayout(i: number): Layout } }[] } }).getModel();
    const bars = model.getSeries().filter((s) => s.subType === 'bar');
    expect(bars.length).to.be.above(0);
    for (const series of bars) {
      const data = series.getData();
      expect(data.count()).to.equal(2);
      const [first, last] = [data.getItemLayout(0), data.getItemLayout(1)];
      // A whole week's width centred on the day and a half lay over the first week's bar.
      expect(last.x, 'the last bar starts after the bar before it').to.be.above(first.x + first.width);
    }
    // No spike marked: no key for one in the legend.
    expect(shadow(chart).querySelectorAll('.spike')).to.have.length(0);
    expect(part(chart, 'legend-key')).to.equal(null);
  });

  it('places its overlays where ECharts draws: the time axis is not widened to hold the bars', async () => {
    // 7 days by day: 57 px bars, which ECharts 6 made room for by widening the axis half a bar
    // each side (containShape), moving each bucket up to 28 px from the partial bands, the
    // hover band, the spikes' marks and the brush.
    const { chart } = await mount({ bucket: 'day' });
    const band = chart.shadowRoot!.querySelector<HTMLElement>('.band.partial')!;
    const x1 = parseFloat(band.style.getPropertyValue('--x1'));
    const secondDay = Date.parse(WEEK.from) - (Date.parse(WEEK.from) % DAY) + DAY;
    expect(instanceOf(chart).convertToPixel({ xAxisIndex: 0 }, secondDay)).to.be.closeTo(x1, 1);
  });

  it('draws a partial first bucket’s base budget for its time in the range only', async () => {
    const users = await answerOf<{ items: { id: string }[] }>(new URL('/api/users?limit=1', location.href));
    const userId = users.items[0]!.id;
    // From half past: the first hour bucket holds 30 minutes of the range.
    const { chart } = await mount({ 'user-id': userId, bucket: 'hour', from: new Date(NOW - DAY + 30 * 60_000).toISOString(), to: WEEK.to });
    await waitUntil(() => seriesOf(chart).has('budget'), 'the budget is drawn');
    const detail = await answerOf<UserDetail>(new URL(`/api/users/${userId}`, location.href));
    const values = seriesOf(chart).get('budget')!.data.map(([, y]) => y);
    expect(values[0]).to.equal(Math.round(detail.limits.tokens.basePer4h / 8));
    expect(values.slice(1).every((y) => y === Math.round(detail.limits.tokens.basePer4h / 4))).to.equal(true);
  });

  it('with compare over a previous period mostly before the history, says where its events start', async () => {
    // Where the history starts, from a look over a long range.
    const { chart: probe, record: looked } = await mount({ from: new Date(NOW - 400 * DAY).toISOString(), to: WEEK.to, bucket: 'day' });
    const history = await answerOf<ConsumptionSeries>(looked.to('consumption')[0]!);
    probe.remove();
    const begins = Date.parse(history.points.find((p) => p.amount > 0)!.t);
    // A range starting 5 days after it, as long as from the history's start to now less those 5 days twice.
    const from = new Date(begins + 5 * DAY).toISOString();
    const { chart, record } = await mount({ compare: '', from, to: WEEK.to, bucket: 'day' });
    await waitUntil(() => seriesOf(chart).has('previous'), 'the previous period is drawn');
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption').find((url) => url.searchParams.get('to') === from)!);
    const first = answer.points.find((p) => p.amount > 0)!;
    expect(Date.parse(first.t) - Date.parse(answer.from)).to.be.above((Date.parse(answer.to) - Date.parse(answer.from)) / 10);
    // No percentage: a change from a period with little in it is a large number that means nothing.
    expect(part(chart, 'comparison')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      `Previous period: ${formatAmount(answer.total, 'tokens', { locale: 'en-US' })}, its events starting on ${formatDateTime(first.t, { locale: 'en-US', timeZone: 'UTC' })}: it is only partly covered, so no change is given.`,
    );
  });

  it('with compare, does not call a previous period partly covered for a quiet start this period has too', async () => {
    const quietFor = (answer: ConsumptionSeries, hours: number) => ({
      ...answer,
      points: answer.points.map((p, i) => (i < hours ? { ...p, amount: 0, byGroup: Object.fromEntries(Object.keys(p.byGroup).map((k) => [k, 0])) } : p)),
    });
    const mountQuiet = async (current: number, previous: number) => {
      const record = recorder();
      record.intercept = async (url, forward) => {
        const response = await forward();
        if (url.pathname !== '/api/consumption') return response;
        const answer = (await response.json()) as ConsumptionSeries;
        return Response.json(quietFor(answer, url.searchParams.get('to') === WEEK.from ? previous : current));
      };
      const { chart } = await mount({ compare: '', bucket: 'hour' }, record);
      await waitUntil(() => seriesOf(chart).has('previous'), 'the previous period is drawn');
      return part(chart, 'comparison')!.textContent!;
    };
    // 30 quiet hours at the previous period's start (over a tenth of its 168), and this period quiet as long: no note.
    expect(await mountQuiet(30, 30)).not.to.contain('partly covered');
    // This period never that quiet: the previous one's events start late.
    expect(await mountQuiet(0, 30)).to.contain('it is only partly covered');
  });

  it('with compare, asks for the previous period and overlays it dashed with the change', async () => {
    const { chart, record } = await mount({ compare: '' });
    await waitUntil(() => seriesOf(chart).has('previous'), 'the previous period is drawn');
    const previous = record.to('consumption').find((url) => url.searchParams.get('to') === WEEK.from)!;
    expect(previous.searchParams.get('from')).to.equal(new Date(NOW - 14 * DAY).toISOString());
    const answer = await answerOf<ConsumptionSeries>(previous);
    const series = seriesOf(chart).get('previous')!;
    expect(series.lineStyle?.type).to.equal('dashed');
    expect(series.data.map(([, y]) => y)).to.deep.equal(answer.points.map((p) => p.amount));
    expect(part(chart, 'comparison')!.textContent).to.contain('Change from the previous period');
    expect(part(chart, 'comparison')!.textContent).not.to.contain('start on');
    // The plot's description reads the change first (the notes above it), then the summary.
    expect(describedBy(chart)[0]).to.contain('Change from the previous period');
    expect(describedBy(chart)[1]).to.equal(part(chart, 'summary')!.textContent!.replace(/\s+/g, ' ').trim());
    // The tooltip names the previous period's own bucket beside this one's.
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'End' });
    await chart.updateComplete;
    // Written as the tooltip's title writes this bucket ("Nov 26, 2026, 5:00 – 6:00 AM"), not "11/26/26, 5:00 AM".
    const when = formatRange(answer.points.at(-1)!.t, answer.to, { locale: 'en-US', timeZone: 'UTC' });
    expect(part(chart, 'tooltip')!.textContent).to.contain(`Previous period (${when})`);
    // This period's total above it, the figure the previous period's is compared with.
    const labels = [...part(chart, 'tooltip')!.querySelectorAll('th')].map((th) => th.textContent!.trim());
    expect(labels.indexOf('Total')).to.equal(labels.findIndex((label) => label.startsWith('Previous period')) - 1);
  });
});

describe('<consumption-chart> compare, bucket for bucket', () => {
  before(async () => {
    await demoServer().ready;
  });

  // Weeks from a Wednesday noon over 18.5 days: this period has 3 weeks, the previous one
  // (from a Saturday) 4; days across a change of daylight saving time (New York, March 8):
  // a day of 23 hours.
  for (const [name, attributes] of [
    ['weeks from another weekday', { bucket: 'week', from: '2026-02-18T12:00:00.000Z', to: '2026-03-09T00:00:00.000Z' }],
    ['days across a change of daylight saving time', { bucket: 'day', 'time-zone': 'America/New_York', from: '2026-03-07T05:00:00.000Z', to: '2026-03-10T04:00:00.000Z' }],
  ] as const) {
    it(`sets the previous period moved by the span against each bucket, adding up to its total: ${name}`, async () => {
      const { chart, record } = await mount({ compare: '', ...attributes });
      await waitUntil(() => seriesOf(chart).has('previous'), 'the previous period is drawn');
      const url = record.to('consumption').find((u) => u.searchParams.get('to') === attributes.from)!;
      // Asked in hours, which fit this period's buckets once moved by the span.
      expect(url.searchParams.get('bucket')).to.equal('hour');
      const previous = await answerOf<ConsumptionSeries>(url);
      expect(previous.total, 'a previous period with events').to.be.above(0);
      const current = await answerOf<ConsumptionSeries>(record.to('consumption').find((u) => u.searchParams.get('to') === attributes.to)!);
      const span = Date.parse(attributes.to) - Date.parse(attributes.from);
      const drawn = seriesOf(chart).get('previous')!.data.map(([, y]) => y!);
      expect(drawn).to.have.length(current.points.length);
      expect(drawn.reduce((a, b) => a + b, 0), 'the line adds up to its total').to.equal(previous.total);
      // Each bucket holds the previous period's hours that fall in it once moved by the span.
      const starts = current.points.map((p) => Date.parse(p.t));
      drawn.forEach((value, i) => {
        const [start, end] = [Math.max(starts[i]!, Date.parse(attributes.from)), starts[i + 1] ?? Date.parse(attributes.to)];
        const hours = previous.points.filter((p) => {
          const t = Date.parse(p.t) + span;
          return (i === 0 || t >= start) && (i === drawn.length - 1 || t < end);
        });
        expect(value, `bucket ${i}`).to.equal(hours.reduce((sum, p) => sum + p.amount, 0));
      });
    });
  }
});

describe('<consumption-chart> drawing', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('draws exactly the endpoint’s points, one stacked series per group', async () => {
    const { chart, record } = await mount({ bucket: 'hour' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const series = seriesOf(chart);
    expect(answer.groups.length).to.be.greaterThan(0);
    for (const group of answer.groups) {
      const drawn = series.get(`group:${group}`)!;
      expect(drawn.stack).to.equal('total');
      expect(drawn.data.map(([, y]) => y)).to.deep.equal(answer.points.map((p) => p.byGroup[group]));
      expect(drawn.data.map(([x]) => x)).to.deep.equal(answer.points.map((p) => Date.parse(p.t) + HOUR / 2));
    }
  });

  it('names what its y axis counts, per bucket: "Tokens per hour", "Storage per day"', async () => {
    const axisName = (chart: HTMLElement) => (instanceOf(chart).getOption() as { yAxis: { name?: string }[] }).yAxis[0]!.name;
    const hourly = await mount({ range: '7d' });
    expect(axisName(hourly.chart)).to.equal('Tokens per hour');
    const daily = await mount({ 'resource-type': 'storage', bucket: 'day' });
    expect(axisName(daily.chart)).to.equal('Storage per day');
  });

  it('draws the 10 largest users plus other, with the amounts of the answer', async () => {
    const { chart, record } = await mount({ 'group-by': 'userId', bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const series = seriesOf(chart);
    expect(answer.groups.length).to.equal(10);
    expect(series.get('other')!.data.map(([, y]) => y)).to.deep.equal(answer.points.map((p) => p.other ?? 0));
    const names = await namesShown(chart, answer.groups);
    expect(legendLabels(chart)).to.deep.equal([...answer.groups.map((id) => namedUser(names, id)), 'other']);
  });

  it('draws Other lighter than the named keys, inside an outline of its full colour (bars and areas), and its legend sample alike', async () => {
    const { chart } = await mount({ 'group-by': 'userId', bucket: 'day' });
    const bars = seriesOf(chart);
    const other = bars.get('other')!;
    expect(other.type).to.equal('bar');
    const outline = other.itemStyle!.borderColor!;
    expect(outline).to.match(/^#[0-9a-f]{6}$/i);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(outline.slice(i, i + 2), 16));
    expect(other.itemStyle!.color).to.equal(`rgba(${r}, ${g}, ${b}, 0.35)`);
    const named = [...bars.values()].find((s) => s.id.startsWith('group:'))!;
    expect(named.itemStyle!.color).to.match(/^#[0-9a-f]{6}$/i);
    const swatch = [...shadow(chart).querySelectorAll('[part~="legend-item"]')].find((item) => item.textContent!.includes('other'))!.querySelector('.swatch')!;
    expect(swatch.hasAttribute('data-muted')).to.equal(true);
    // color-mix() computes to color(srgb r g b / 0.35): the outline's colour at 35%.
    const mixed = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+) \/ 0\.35\)$/.exec(getComputedStyle(swatch).backgroundColor)!;
    expect(mixed, getComputedStyle(swatch).backgroundColor).to.not.equal(null);
    expect(mixed.slice(1).map((c) => Math.round(Number(c) * 255))).to.deep.equal([r, g, b]);
    // 30 days by the hour: 720 buckets, too narrow for bars of their own: pixel-wide bars,
    // Other still lighter (no outline fits in a pixel).
    chart.setAttribute('from', new Date(Date.parse(WEEK.to) - 30 * 86_400_000).toISOString());
    chart.setAttribute('bucket', 'hour');
    await waitUntil(() => seriesOf(chart).get('other')?.barWidth === 1, 'the 30 days are drawn by the hour, a pixel a bar');
    const thin = seriesOf(chart);
    expect(thin.get('other')!.itemStyle!.color).to.equal(`rgba(${r}, ${g}, ${b}, 0.35)`);
    expect([...thin.values()].find((s) => s.id.startsWith('group:'))!.itemStyle!.color).to.match(/^#[0-9a-f]{6}$/i);
  });

  it('draws stacked buckets too narrow for bars as pixel-wide stacked bars, so that each series shows its own part of a spike', async () => {
    // 24 hours by the minute: 1,440 buckets under a pixel each. As stacked areas, the series
    // on top covered those below it at every spike (86% input read as output).
    const { chart, record } = await mount({ from: new Date(Date.parse(WEEK.to) - 86_400_000).toISOString() });
    await waitUntil(() => seriesOf(chart).get('group:input')?.barWidth === 1, 'the minutes are drawn a pixel a bar');
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption').at(-1)!);
    expect(answer.bucket).to.equal('minute');
    const stacked = [...seriesOf(chart).values()].filter((s) => s.stack);
    expect(stacked.length).to.be.above(1);
    for (const series of stacked) {
      expect(series.type, series.id).to.equal('bar');
      expect(series.areaStyle, series.id).to.equal(undefined);
      // ECharts' large mode, at every count and in one frame: one path a series, not a bar
      // element styled apiece (a window's resize laid 14,000 of them out at every step).
      expect([series.large, series.largeThreshold, series.progressive], series.id).to.deep.equal([true, 0, 0]);
    }
    // One bar a pixel column, the bucket of its highest total: the busiest minute is drawn.
    const plotWidth = instanceOf(chart).getWidth() - 64 - 16;
    const xs = stacked[0]!.data.map(([x]) => x);
    expect(xs.length).to.be.at.most(plotWidth + 1);
    for (const series of stacked) expect(series.data.map(([x]) => x), series.id).to.deep.equal(xs);
    const busiest = answer.points.reduce((best, p) => (p.amount > best.amount ? p : best));
    const drawnAt = (t: number) => stacked.reduce((sum, series) => sum + (series.data.find(([x]) => Math.abs(x - t) <= 30_000)?.[1] ?? 0), 0);
    expect(drawnAt(Date.parse(busiest.t) + 30_000)).to.equal(busiest.amount);
    // Bars of their width where they fit: a week by the day.
    chart.setAttribute('bucket', 'day');
    chart.setAttribute('from', WEEK.from);
    await waitUntil(() => (seriesOf(chart).get('group:input')?.barWidth ?? 0) > 3, 'the days are drawn as wide bars');
    // Bars of their own keep their elements: large mode draws no pattern, outline or corner.
    for (const series of seriesOf(chart).values()) expect(series.large, series.id).to.not.equal(true);
  });

  it('names each user with their ID in the legend, the table view and the summary, from one GET users?id= lookup', async () => {
    const { chart, record } = await mount({ 'group-by': 'userId', bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const names = await namesShown(chart, answer.groups);
    const lookups = record.to('users');
    expect(lookups).to.have.length(1);
    expect(new URLSearchParams(lookups[0]!.search).getAll('id').sort()).to.deep.equal([...answer.groups].sort());
    const named = answer.groups.find((id) => names.has(id))!;
    const item = legendItems(chart)[answer.groups.indexOf(named)]!;
    expect(item.querySelector('.legend-label')!.getAttribute('title')).to.equal(`${names.get(named)} (${named})`);
    expect(item.querySelector('.id-detail')!.textContent!.trim()).to.equal(named);
    expect(part(chart, 'summary')!.textContent).to.contain(`Largest user: ${namedUser(names, answer.groups[0]!, 'full')}, `);
    const userLink = item.parentElement!.querySelector('[part~="user-link"]')!;
    expect(userLink.getAttribute('aria-label')).to.equal(`Show only ${names.get(named)} (${named})`);
    part(chart, 'table-toggle')!.click();
    await chart.updateComplete;
    const headers = [...part(chart, 'table')!.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    expect(headers).to.deep.equal(['Time', ...answer.groups.map((id) => namedUser(names, id, 'full')), 'other']);
    // Grouped otherwise, nobody is looked up.
    chart.groupBy = 'endpoint';
    await waitUntil(() => /by endpoint/.test(part(chart, 'summary')?.textContent ?? ''), 'grouped by endpoint');
    expect(record.to('users')).to.have.length(1);
    expect(shadow(chart).querySelectorAll('.id-detail')).to.have.length(0);
  });

  it('reads its trend per unit of time: a last day the range covers an hour of counts for that hour', async () => {
    const { chart, record } = await mount({ bucket: 'day', from: '2026-03-02T00:00:00.000Z', to: '2026-03-05T01:00:00.000Z' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const amounts = answer.points.map((p) => p.amount);
    expect(amounts).to.have.length(4);
    const word = (trend: number) => (Math.abs(trend) < 0.05 ? 'steady' : trend > 0 ? 'rising' : 'falling');
    const perTime = (amounts[2]! + amounts[3]!) / (DAY + HOUR) / ((amounts[0]! + amounts[1]!) / (2 * DAY)) - 1;
    const perBucket = (amounts[2]! + amounts[3]!) / (amounts[0]! + amounts[1]!) - 1;
    expect(word(perTime), 'the two readings differ on these days').to.not.equal(word(perBucket));
    expect(part(chart, 'summary')!.textContent).to.contain(`Trend: ${word(perTime)} (`);
  });

  it('names its legend and its "View as table" after itself, apart from the other chart\'s', async () => {
    const { chart } = await mount();
    await waitUntil(() => part(chart, 'legend'), 'the legend shows');
    expect(part(chart, 'legend')!.getAttribute('aria-label')).to.equal('Consumption over time: series');
    const toggle = part(chart, 'table-toggle')!;
    const description = shadow(chart).getElementById(toggle.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent?.trim()).to.match(/^Consumption over time/);
  });

  it('downloads its table view as CSV: each bucket as instants, each group as a number in the unit, adding up to the total', async () => {
    const { chart, record } = await mount({ bucket: 'day', 'resource-type': 'storage' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const { filename, rows } = await downloadedCsv(chart);
    expect(filename).to.equal(`consumption-${answer.asOf.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.csv`);
    expect(rows[0]).to.deep.equal(['start', 'end', ...answer.groups.map((key) => `${key === 'input' ? 'Input' : 'Output'} (bytes)`)]);
    // The span each line's values cover: a partial first bucket from the range's start.
    expect(rows.slice(1).map((row) => row[0])).to.deep.equal([answer.from, ...answer.points.slice(1).map((p) => p.t)]);
    expect(answer.points[0]!.t < answer.from, 'the first bucket starts before the range').to.equal(true);
    // A bucket ends where the next starts; the last (partial) one at the range's end.
    expect(rows.slice(1, -1).map((row) => row[1])).to.deep.equal(answer.points.slice(1).map((p) => p.t));
    expect(rows.at(-1)![1]).to.equal(answer.to);
    answer.groups.forEach((key, column) => {
      expect(rows.slice(1).map((row) => Number(row[2 + column]))).to.deep.equal(answer.points.map((p) => p.byGroup[key]));
    });
    expect(rows.slice(1).flatMap((row) => row.slice(2)).reduce((sum, cell) => sum + Number(cell), 0)).to.equal(answer.total);
  });

  it('keeps each bucket’s time in view while its table view scrolls sideways', async () => {
    const { chart } = await mount({ 'group-by': 'endpoint', bucket: 'day' });
    chart.style.width = '420px';
    part(chart, 'table-toggle')!.click();
    await chart.updateComplete;
    const wrap = part(chart, 'table-wrap')!;
    expect(wrap.scrollWidth, 'more columns than room').to.be.above(wrap.clientWidth + 100);
    const left = (selector: string) => Math.round(part(chart, 'table')!.querySelector(selector)!.getBoundingClientRect().left);
    const [time, column] = [left('tbody th'), left('tbody td:last-child')];
    wrap.scrollLeft = 100;
    await new Promise(requestAnimationFrame);
    expect(left('tbody td:last-child'), 'the columns scrolled').to.equal(column - 100);
    expect(left('tbody th'), 'the time stayed').to.equal(time);
  });

  it('keeps each user’s colour and fill when another range ranks the users anew (a zoom into a spike)', async () => {
    const { chart } = await mount({ 'group-by': 'userId', bucket: 'day' });
    // By user ID (the name may come in between): its swatch's colour and pattern, in legend order.
    const looks = () =>
      new Map(
        legendItems(chart).map((item) => {
          const swatch = item.querySelector<HTMLElement>('.swatch')!;
          const id = item.querySelector('.id-detail')?.textContent?.trim() ?? legendLabel(item);
          return [id, `${swatch.style.getPropertyValue('--swatch-color')} ${swatch.dataset.pattern}`];
        }),
      );
    const before = looks();
    chart.setAttribute('from', new Date(NOW - 2 * DAY).toISOString());
    await waitUntil(() => legendItems(chart).length > 0 && [...looks().keys()].join() !== [...before.keys()].join(), 'the two days are ranked');
    await settled(chart);
    const after = looks();
    const both = [...after.keys()].filter((id) => id !== 'other' && before.has(id));
    expect(both.length, 'users listed in both').to.be.above(2);
    const rank = (map: Map<string, string>) => both.map((id) => [...map.keys()].indexOf(id));
    expect(rank(after), 'ranked anew').to.not.deep.equal(rank(before));
    for (const id of both) expect(after.get(id), id).to.equal(before.get(id));
    // Each look once among the listed users.
    expect(new Set([...after].filter(([id]) => id !== 'other').map(([, look]) => look)).size).to.equal(after.size - (after.has('other') ? 1 : 0));
  });

  it('keeps the users’ IDs alone, with no error, when the names cannot be had', async () => {
    const record = recorder();
    record.intercept = (url, forward) => (url.pathname === '/api/users' ? Promise.reject(new TypeError('Failed to fetch')) : forward());
    let errors = 0;
    const counting = (): void => void errors++;
    document.addEventListener('usage-error', counting);
    try {
      const { chart } = await mount({ 'group-by': 'userId', bucket: 'day' }, record);
      const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
      await waitUntil(() => record.to('users').length > 0, 'the names are asked for');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await chart.updateComplete;
      expect(legendLabels(chart)).to.deep.equal([...answer.groups, 'other']);
      expect(shadow(chart).querySelector('[role="alert"]')).to.equal(null);
      expect(errors).to.equal(0);
    } finally {
      document.removeEventListener('usage-error', counting);
    }
  });

  it('puts a way to each user beside the legend when grouped by user: a link with user-href, else a button that narrows to the user', async () => {
    const { chart, record } = await mount({ 'group-by': 'userId', bucket: 'day', 'user-href': '/admin/users/{userId}' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const links = [...shadow(chart).querySelectorAll<HTMLAnchorElement>('a[part~="user-link"]')];
    // One per user key, none for "Other".
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(answer.groups.map((id) => `/admin/users/${encodeURIComponent(id)}`));
    const names = await namesShown(chart, answer.groups);
    expect(links[0]!.getAttribute('aria-label')).to.equal(`Open ${namedUser(names, answer.groups[0]!, 'full')}`);
    // A host routing on its own cancels the event: the link is not followed.
    chart.addEventListener('usage-user-select', (e) => e.preventDefault(), { once: true });
    const selected = oneEvent(chart, 'usage-user-select') as Promise<CustomEvent<{ userId: string }>>;
    const click = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
    links[1]!.dispatchEvent(click);
    expect((await selected).detail.userId).to.equal(answer.groups[1]);
    expect(click.defaultPrevented).to.equal(true);

    chart.removeAttribute('user-href');
    await chart.updateComplete;
    const buttons = [...shadow(chart).querySelectorAll<HTMLButtonElement>('button[part~="user-link"]')];
    expect(buttons).to.have.length(answer.groups.length);
    buttons[2]!.click();
    await chart.updateComplete;
    expect(chart.filters.userIds).to.deep.equal([answer.groups[2]]);
  });

  it('shows the host’s own controls in its header through the actions slot, before "View as table" in the tab order; its buttons pointer-sized', async () => {
    const { chart } = await mount();
    const select = document.createElement('select');
    select.slot = 'actions';
    select.setAttribute('aria-label', 'Group by');
    select.append(new Option('I/O type', 'ioType'));
    chart.append(select);
    await chart.updateComplete;
    const slot = shadow(chart).querySelector<HTMLSlotElement>('slot[name="actions"]')!;
    expect(slot.assignedElements()).to.deep.equal([select]);
    expect(slot.closest('[part~="header"]')).to.equal(part(chart, 'header'));
    const header = part(chart, 'header')!.getBoundingClientRect();
    const box = select.getBoundingClientRect();
    expect(box.height, 'laid out').to.be.greaterThan(0);
    expect(box.top >= header.top && box.bottom <= header.bottom, 'inside the header').to.equal(true);
    // "Data as of" stays with the title, the actions at the other end; the buttons are pointer-sized.
    expect(part(chart, 'as-of')!.parentElement).to.equal(part(chart, 'title')!.parentElement);
    expect(Math.abs(part(chart, 'as-of')!.getBoundingClientRect().bottom - part(chart, 'title')!.getBoundingClientRect().bottom)).to.be.lessThan(4, 'on the title’s line');
    for (const button of part(chart, 'actions')!.querySelectorAll('button')) expect(button.getBoundingClientRect().height).to.be.at.least(28);
    select.focus();
    await sendKeys({ press: 'Tab' });
    expect(shadow(chart).activeElement).to.equal(part(chart, 'table-toggle'));
    await expect(chart).to.be.accessible();
    // The host's control styled with the tokens takes the chart's theme (the theme sets only
    // private twins on :host; the slot gives them back under the public names), dark too.
    select.style.color = 'var(--usage-color-muted)';
    select.style.borderRadius = 'var(--usage-radius)';
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    expect(getComputedStyle(select).color).to.equal(rgb(THEME_TOKENS.light['--usage-color-muted']!));
    expect(getComputedStyle(select).borderTopLeftRadius).to.equal('6px');
    chart.setAttribute('theme', 'dark');
    await chart.updateComplete;
    expect(getComputedStyle(select).color).to.equal(rgb(THEME_TOKENS.dark['--usage-color-muted']!));
  });

  it('gives its legend toggles and user links pointer targets of 24 px at least (WCAG 2.5.8)', async () => {
    const { chart } = await mount({ 'group-by': 'userId', bucket: 'day' });
    const targets = [...shadow(chart).querySelectorAll<HTMLElement>('[part~="legend-item"], [part~="user-link"]')];
    expect(targets.filter((t) => t.matches('[part~="user-link"]')).length).to.be.above(0);
    for (const target of targets) {
      const box = target.getBoundingClientRect();
      expect(Math.min(box.width, box.height), target.getAttribute('aria-label') ?? target.textContent!.trim()).to.be.at.least(24);
    }
    // Side by side, not over each other: a tap a little off the user's link hid the series.
    for (const link of shadow(chart).querySelectorAll<HTMLElement>('[part~="user-link"]')) {
      const toggle = link.parentElement!.querySelector<HTMLElement>('[part~="legend-item"]')!.getBoundingClientRect();
      expect(link.getBoundingClientRect().left, link.getAttribute('aria-label')!).to.be.at.least(toggle.right);
    }
  });

  it('says so, with the numbers still in the summary, when the page refuses what ECharts does to draw (Trusted Types)', async () => {
    // As `require-trusted-types-for 'script'` does: a string assigned to innerHTML throws (here only on the plot).
    const descriptor = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML')!;
    Object.defineProperty(Element.prototype, 'innerHTML', {
      ...descriptor,
      set(this: Element, value: string) {
        if (this.classList?.contains('plot')) throw new TypeError("Failed to set the 'innerHTML' property on 'Element': This document requires 'TrustedHTML' assignment.");
        descriptor.set!.call(this, value);
      },
    });
    try {
      const record = recorder();
      const chart = place<ConsumptionChart>(html`<consumption-chart data-endpoint="/api" time-zone="UTC" locale="en-US" .requestOptions=${record.requestOptions} from=${WEEK.from} to=${WEEK.to} bucket="day"></consumption-chart>`);
      await waitUntil(() => part(chart, 'draw-error'), 'the chart says it cannot draw', { timeout: 5000 });
      await waitUntil(() => !chart.hasAttribute('loading'), 'the data is in', { timeout: 5000 });
      expect(part(chart, 'draw-error')!.getAttribute('role')).to.equal('alert');
      expect(part(chart, 'draw-error')!.textContent).to.contain('TrustedHTML');
      expect(part(chart, 'summary')!.textContent).to.match(/\d/);
    } finally {
      Object.defineProperty(Element.prototype, 'innerHTML', descriptor);
    }
  });

  it('has no user links unless grouped by user', async () => {
    const { chart } = await mount({ 'group-by': 'endpoint', bucket: 'day', 'user-href': '/u/{userId}' });
    expect(shadow(chart).querySelectorAll('[part~="legend-item"]').length).to.be.above(0);
    expect(shadow(chart).querySelectorAll('[part~="user-link"]')).to.have.length(0);
  });

  it('tells the stacked series apart by more than colour: each colour and pattern pair once, on the canvas and in the legend', async () => {
    const { chart } = await mount({ 'group-by': 'userId', bucket: 'day' });
    const option = instanceOf(chart).getOption() as {
      series: { id: string; itemStyle?: { color?: string; decal?: { symbol?: string; rotation?: number } } }[];
    };
    const looks = option.series.map((s) => `${s.itemStyle?.color} ${s.itemStyle?.decal ? `${s.itemStyle.decal.symbol}/${s.itemStyle.decal.rotation ?? 0}` : 'solid'}`);
    expect(new Set(looks).size).to.equal(option.series.length);
    // Never colour alone: neighbours in the stack differ in pattern too.
    const patterns = option.series.map((s) => (s.itemStyle?.decal ? `${s.itemStyle.decal.symbol}/${s.itemStyle.decal.rotation ?? 0}` : 'solid'));
    patterns.slice(1, 10).forEach((pattern, i) => expect(pattern, `series ${i + 1}`).to.not.equal(patterns[i]));
    const swatches = [...shadow(chart).querySelectorAll<HTMLElement>('[part~="legend-item"] .swatch')].map((s) => s.dataset['pattern']);
    expect(swatches.slice(0, 5)).to.deep.equal(['solid', 'stripes', 'dots', 'back-stripes', 'triangles']);
  });

  it('gives I/O types and pool categories the same pattern whatever their order by total', async () => {
    for (const [groupBy, keys] of [
      ['ioType', ['input', 'output']],
      ['poolCategory', ['allocated', 'surplus', 'hybrid']],
    ] as const) {
      const { chart } = await mount({ 'group-by': groupBy, bucket: 'day' });
      const patterns = Object.fromEntries(
        [...shadow(chart).querySelectorAll<HTMLElement>('[part~="legend-item"]')].map((item) => [
          legendLabel(item).toLowerCase(),
          item.querySelector<HTMLElement>('.swatch')!.dataset['pattern'],
        ]),
      );
      keys.forEach((key, i) => expect(patterns[key], `${groupBy} ${key}`).to.equal(['solid', 'stripes', 'dots'][i]));
    }
  });

  it('writes the counts of its summary in its locale', async () => {
    const { chart } = await mount({ bucket: 'hour', locale: 'de-DE', from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
    expect(part(chart, 'summary')!.textContent).to.contain('1.416 hours');
  });

  it('summarises total, peak and trend as the chart’s description', async () => {
    const { chart, record } = await mount({ bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const summary = part(chart, 'summary')!.textContent!;
    expect(summary).to.contain(`Total ${formatAmount(answer.total, 'tokens', { locale: 'en-US' })}`);
    const peak = Math.max(...answer.points.map((p) => p.amount));
    // In the words of the bucket, not "bucket": "in the day starting …". The range lasts 7
    // days, over 8 day buckets (the first and last in part): it said "over 8 days".
    expect(answer.points.length).to.equal(8);
    expect(summary).to.contain('by I/O type over 7 days.');
    // A day by its date alone: "on Dec 1, 2026", not "in the day starting Dec 1, 2026, 12:00:00 AM".
    expect(summary).to.match(new RegExp(`Peak ${formatAmount(peak, 'tokens', { locale: 'en-US' })} on [A-Z][a-z]{2} \\d{1,2}, \\d{4}\\.`));
    expect(summary).not.to.contain('bucket');
    expect(summary).to.match(/Trend: (rising|falling|steady)/);
    const plot = part(chart, 'chart')!;
    // Named by its title alone, described by the summary (and the keys): nothing read twice.
    expect(plot.getAttribute('aria-label')).to.equal('Consumption over time');
    expect(describedBy(chart)[0]).to.equal(summary.replace(/\s+/g, ' ').trim());
  });

  it('names the largest group, its amount and its share of the total in the summary (who spends most)', async () => {
    const { chart, record } = await mount({ 'group-by': 'userId', bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const top = answer.groups[0]!;
    const amount = answer.points.reduce((sum, p) => sum + (p.byGroup[top] ?? 0), 0);
    const share = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 }).format(amount / answer.total);
    const names = await namesShown(chart, answer.groups);
    expect(part(chart, 'summary')!.textContent).to.contain(`Largest user: ${namedUser(names, top, 'full')}, ${formatAmount(amount, 'tokens', { locale: 'en-US' })} (${share} of the total).`);
    // The name is isolated (<bdi>): its own direction marks cannot reorder the figures after it.
    expect(part(chart, 'summary')!.querySelector('bdi')?.textContent).to.equal(namedUser(names, top, 'full'));
    chart.groupBy = 'endpoint';
    await waitUntil(() => /Largest endpoint: \//.test(part(chart, 'summary')!.textContent!), 'the largest endpoint is named');
    expect(part(chart, 'summary')!.querySelector('bdi')?.textContent).to.match(/^\//);
  });

  it('draws a new answer in one update, and a keyboard move with its overlays in one', async () => {
    const { chart } = await mount({ bucket: 'day' });
    let updates = 0;
    const counted = chart as unknown as { updated(changed: Map<PropertyKey, unknown>): void };
    const updated = counted.updated;
    counted.updated = function (this: unknown, changed) {
      updates += 1;
      updated.call(this, changed);
    };
    // One update as the request starts (loading), one as its answer arrives: the option, the
    // overlays and loading=false all come with it, none asks for another.
    chart.setAttribute('group-by', 'poolCategory');
    expect(await chart.updateComplete, 'no update pending').to.equal(true);
    expect(chart.loading).to.equal(true);
    await settled(chart);
    expect(await chart.updateComplete, 'no update pending').to.equal(true);
    expect(updates).to.equal(2);
    updates = 0;
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'End' });
    expect(await chart.updateComplete, 'no update pending').to.equal(true);
    expect(shadow(chart).querySelector('.band.hover'), 'the hover band is placed in the same update').to.not.equal(null);
    expect(part(chart, 'tooltip')).to.not.equal(null);
    expect(updates).to.equal(1);
  });

  it('hatches a partial first bucket, says so in "View as table", and its tooltip spans only its time in the range', async () => {
    const from = new Date(NOW - 7 * DAY + 30 * 60_000).toISOString();
    const { chart, record } = await mount({ from, bucket: 'hour' });
    expect(shadow(chart).querySelectorAll('.band.partial')).to.have.length(1);
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'Home' });
    await chart.updateComplete;
    // "…, 12:30 – 1:00 AM": from the range's start, as a partial last bucket ends at its end.
    expect(part(chart, 'tooltip')!.textContent).to.contain(formatRange(from, answer.points[1]!.t, { locale: 'en-US', timeZone: 'UTC' }));
    part(chart, 'table-toggle')!.click();
    await chart.updateComplete;
    const rows = [...shadow(chart).querySelectorAll('[part="table"] tbody th')].map((th) => th.textContent!.trim());
    expect(rows[0]).to.match(/\(partial\)$/);
    expect(rows.slice(1).filter((row) => row.includes('partial'))).to.deep.equal([]);
  });

  /** The time axis' labels as ECharts draws them (our custom values through our formatter). */
  function axisLabels(chart: ConsumptionChart): string[] {
    const option = instanceOf(chart).getOption() as { xAxis: { axisLabel: { customValues: number[]; formatter: (value: number) => string } }[] };
    const { customValues, formatter } = option.xAxis[0]!.axisLabel;
    return customValues.map((value) => formatter(value));
  }

  it('names the year on the time axis of a range of years: years for decades, months with their year for a few', async () => {
    const decades = await mount({ from: '2000-01-01T00:00:00.000Z', to: WEEK.to });
    const years = axisLabels(decades.chart);
    expect(years.length, years.join(' | ')).to.be.within(4, 14);
    for (const label of years) expect(label, years.join(' | ')).to.match(/^(20\d\d)$/);
    expect(new Set(years).size).to.equal(years.length);
    const few = await mount({ from: '2023-06-01T00:00:00.000Z', to: WEEK.to });
    const months = axisLabels(few.chart);
    expect(months.length, months.join(' | ')).to.be.within(4, 14);
    for (const label of months) expect(label, months.join(' | ')).to.match(/^[A-Z][a-z]{2} 20(2[3-6])$/);
  });

  it('labels a narrow chart of some months with dates weeks apart where months would leave one label', async () => {
    // Dec 15 to Feb 28 at 250 px: room for two month labels, so every other month, and of
    // those only January starts in the range ("Jan 2026" alone placed nothing in time).
    const { chart } = await mount({ from: '2025-12-15T00:00:00.000Z', to: '2026-02-28T00:00:00.000Z', bucket: 'day' });
    const before = axisLabels(chart).join(' | ');
    chart.parentElement!.style.width = '250px';
    await waitUntil(() => axisLabels(chart).join(' | ') !== before, 'the axis is labelled again at the new width');
    const labels = axisLabels(chart);
    expect(labels.length, labels.join(' | ')).to.be.at.least(2);
    for (const label of labels) expect(label, labels.join(' | ')).to.match(/^[A-Z][a-z]{2} \d+(, 202[56])?$/);
    // Whole weeks apart, on Mondays (not days counted from the epoch: "Dec 22, Jan 29").
    const { customValues } = (instanceOf(chart).getOption() as { xAxis: { axisLabel: { customValues: number[] } }[] }).xAxis[0]!.axisLabel;
    for (const value of customValues) expect(new Date(value).getUTCDay(), labels.join(' | ')).to.equal(1);
    expect((customValues[1]! - customValues[0]!) % (7 * 86_400_000)).to.equal(0);
  });

  it('leaves ECharts no label to hide: fewer dates where the locale writes them wider ("7. Dez.")', async () => {
    // 90 days by day at about 800 px: English dates fit a week apart; German ones met, and ECharts hid some.
    const { chart } = await mount({ from: new Date(NOW - 90 * DAY).toISOString(), to: WEEK.to, bucket: 'day', locale: 'de-DE' });
    type Text = { type: string; style?: { text?: string }; ignore?: boolean; invisible?: boolean; parent?: Text };
    type View = { __model: unknown; group: { traverse(visit: (node: Text) => void): void } };
    const drawnLabels = () => {
      const instance = instanceOf(chart) as unknown as { getModel(): { getComponent(type: string, index: number): unknown }; _componentsViews: (View | undefined)[] };
      const axis = instance.getModel().getComponent('xAxis', 0);
      const texts: { text: string; hidden: boolean }[] = [];
      instance._componentsViews.find((view) => view?.__model === axis)!.group.traverse((node) => {
        if (node.type !== 'text' || !node.style?.text) return;
        let hidden = false;
        for (let p: Text | undefined = node; p; p = p.parent) hidden ||= !!(p.ignore || p.invisible);
        texts.push({ text: node.style.text, hidden });
      });
      return texts;
    };
    const plot = shadow(chart).querySelector<HTMLElement>('.plot')!;
    for (const width of [780, 800, 820]) {
      chart.parentElement!.style.width = `${width}px`;
      await waitUntil(() => instanceOf(chart).getWidth() === plot.clientWidth && Math.abs(plot.clientWidth - width) < 40, `redrawn at ${width}px`);
      await waitUntil(() => drawnLabels().length > 0, 'labelled');
      const labels = drawnLabels();
      expect(labels.filter((l) => l.hidden).map((l) => l.text), `${width}px: ${labels.map((l) => l.text).join(' | ')}`).to.deep.equal([]);
      expect(labels.length).to.be.at.least(4);
    }
  });

  it('names the date on its first label when no label falls at a local midnight', async () => {
    // Ten hours inside one day in Kolkata (UTC+5:30): times alone placed the plot in no day.
    const from = Date.parse('2026-03-09T19:00:00.000Z');
    const { chart } = await mount({ from: new Date(from).toISOString(), to: new Date(from + 10 * HOUR).toISOString(), 'time-zone': 'Asia/Kolkata' });
    const labels = axisLabels(chart);
    expect(labels[0], labels.join(' | ')).to.match(/^Mar 10, \d{1,2}:\d\d [AP]M$/);
    for (const label of labels.slice(1)) expect(label, labels.join(' | ')).to.match(/^\d{1,2}:\d\d [AP]M$/);
  });

  it('names the year at the first date of each year when a range of dates crosses New Year', async () => {
    const { chart } = await mount({ from: '2025-12-01T00:00:00.000Z', to: WEEK.to, bucket: 'day' });
    const labels = axisLabels(chart);
    expect(labels[0], labels.join(' | ')).to.match(/, 2025$/);
    const first2026 = labels.findIndex((label) => /^Jan /.test(label));
    expect(labels[first2026], labels.join(' | ')).to.match(/^Jan \d+, 2026$/);
    expect(labels.filter((label) => /\d{4}/.test(label)), labels.join(' | ')).to.have.length(2);
  });

  it('lays ECharts out again only when its container’s size in whole pixels changes', async () => {
    const { chart } = await mount({});
    const instance = instanceOf(chart);
    const resized = countCalls(chart, 'resize');
    const host = chart.parentElement!;
    const plot = shadow(chart).querySelector<HTMLElement>('.plot')!;
    const width = plot.getBoundingClientRect().width;
    // A fraction of a pixel: observed, the same whole width.
    host.style.width = `${host.getBoundingClientRect().width + 0.3}px`;
    await aTimeout(100);
    expect(plot.clientWidth).to.equal(instance.getWidth());
    expect(resized(), 'no layout for the same size').to.equal(0);
    host.style.width = `${Math.round(width) - 40}px`;
    await waitUntil(() => instance.getWidth() === plot.clientWidth, 'the chart follows the new width');
    expect(resized()).to.equal(1);
  });

  it('keeps a tooltip value on one line in a narrow chart', async () => {
    const { chart } = await mount({ compare: '' });
    chart.parentElement!.style.width = '320px';
    await waitUntil(() => shadow(chart).querySelector<HTMLElement>('.plot')!.clientWidth < 320, 'the plot narrows');
    await waitUntil(() => instanceOf(chart).getWidth() < 320, 'the chart redraws at the new width');
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'End' });
    await chart.updateComplete;
    const cells = [...part(chart, 'tooltip')!.querySelectorAll('td')];
    expect(cells.length).to.be.above(1);
    for (const cell of cells) {
      const range = document.createRange();
      range.selectNodeContents(cell);
      const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      expect(lines.size, `"${cell.textContent}" on ${lines.size} lines`).to.equal(1);
    }
    // Under the pointer in the middle of the plot (room on neither side of it): the tooltip
    // keeps its own width inside the plot, and breaks no word ("Inp/ut").
    part(chart, 'chart')!.blur();
    const frame = shadow(chart).querySelector<HTMLElement>('.plot-frame')!.getBoundingClientRect();
    const pointer: [number, number] = [Math.round(frame.left + frame.width / 2), Math.round(frame.top + frame.height / 2)];
    await sendMouse({ type: 'move', position: pointer });
    await waitUntil(() => part(chart, 'tooltip')?.querySelector('.tooltip-hint'), 'the tooltip of the bucket under the pointer');
    // The pointer is the plot's, never ECharts' canvas (whose hit-testing of every bar cost each move).
    const hit = shadow(chart).elementFromPoint(...pointer);
    expect(hit === part(chart, 'chart'), `${hit?.localName} ${hit?.className}`).to.equal(true);
    const box = part(chart, 'tooltip')!.getBoundingClientRect();
    expect(box.left, 'inside the plot').to.be.at.least(frame.left - 0.5);
    expect(box.right, 'inside the plot').to.be.at.most(frame.right + 0.5);
    const walker = document.createTreeWalker(part(chart, 'tooltip')!, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode() as Text | null; text; text = walker.nextNode() as Text | null) {
      for (const word of text.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        expect(lines.size, `"${word[0]}" broken over ${lines.size} lines`).to.equal(1);
      }
    }
    await sendMouse({ type: 'move', position: [0, 0] });
  });

  it('shows the series as a data table with every bucket', async () => {
    const { chart, record } = await mount({ bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    part(chart, 'table-toggle')!.click();
    await chart.updateComplete;
    const table = part(chart, 'table')!;
    expect(table.querySelectorAll('tbody tr')).to.have.length(answer.points.length);
    expect(shadow(chart).querySelector<HTMLElement>('.plot-frame')!.hidden).to.equal(true);
    const first = [...table.querySelectorAll('tbody tr')[0]!.querySelectorAll('td')].map((td) => td.textContent!.trim());
    expect(first).to.deep.equal(answer.groups.map((g) => formatAmount(answer.points[0]!.byGroup[g]!, 'tokens', { locale: 'en-US' })));
    await expect(chart).to.be.accessible();
  });

  it('hides and shows a series from the legend, by click and keyboard', async () => {
    const { chart } = await mount({ bucket: 'day' });
    const first = part(chart, 'legend-item') as HTMLButtonElement;
    const before = seriesOf(chart).size;
    first.click();
    await chart.updateComplete;
    expect(first.getAttribute('aria-pressed')).to.equal('false');
    expect(seriesOf(chart).size).to.equal(before - 1);
    first.focus();
    await sendKeys({ press: 'Enter' });
    await chart.updateComplete;
    expect(first.getAttribute('aria-pressed')).to.equal('true');
    expect(seriesOf(chart).size).to.equal(before);
  });

  it('shows our tooltip for the bucket under the pointer', async () => {
    const { chart, record } = await mount({ bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const point = bucketPoint(chart, 2, answer.points.length);
    const plot = part(chart, 'chart')!;
    plot.dispatchEvent(new PointerEvent('pointermove', { clientX: point.x, clientY: point.y, bubbles: true }));
    await chart.updateComplete;
    const tooltip = part(chart, 'tooltip')!;
    expect(tooltip.textContent).to.contain(formatAmount(answer.points[2]!.byGroup[answer.groups[0]!]!, 'tokens', { locale: 'en-US' }));
  });

  it('lists many groups in a tooltip largest first, without the empty ones, "Other" last', async () => {
    const { chart, record } = await mount({ bucket: 'day', 'group-by': 'endpoint' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    expect(answer.groups.length, 'enough endpoints to sort').to.be.above(3);
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'End' });
    await waitUntil(() => part(chart, 'tooltip'), 'the last bucket’s tooltip');
    const point = answer.points.at(-1)!;
    const expected = answer.groups.filter((key) => point.byGroup[key]! > 0).sort((a, b) => point.byGroup[b]! - point.byGroup[a]!);
    if ((point.other ?? 0) > 0) expected.push('other');
    expect(expected.length, 'a bucket with some groups empty or unequal').to.be.above(1);
    const labels = [...part(chart, 'tooltip')!.querySelectorAll('th')].map((th) => th.textContent!.trim());
    // Then their total: the bar's height.
    expect(labels).to.deep.equal([...expected, 'Total']);
    expect(part(chart, 'tooltip')!.querySelector('.total td')!.textContent).to.equal(formatAmount(point.amount, 'tokens', { locale: 'en-US' }));
  });

  it('under a page zoom, shows the bucket under the pointer and draws its canvas at the zoomed size', async () => {
    await demoServer().ready;
    const record = recorder();
    const chart = document.createElement('consumption-chart') as ConsumptionChart;
    for (const [name, value] of Object.entries({ 'data-endpoint': '/api', 'time-zone': 'UTC', locale: 'en-US', from: WEEK.from, to: WEEK.to, bucket: 'day' })) {
      chart.setAttribute(name, value);
    }
    chart.requestOptions = record.requestOptions;
    place(html`<div style="zoom: 1.5; width: 480px">${chart}</div>`);
    await settled(chart);
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const plot = part(chart, 'chart')!;
    const rect = plot.getBoundingClientRect();
    const zoom = rect.width / plot.clientWidth;
    expect(zoom).to.be.closeTo(1.5, 0.01);
    // The middle of bucket 5 of 7, placed in layout pixels (left margin 64, right 16) and shown zoomed.
    const x = rect.left + (64 + ((5 + 0.5) / answer.points.length) * (plot.clientWidth - 64 - 16)) * zoom;
    plot.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: rect.top + rect.height / 2, bubbles: true }));
    await chart.updateComplete;
    const when = formatDateTime(answer.points[5]!.t, { locale: 'en-US', timeZone: 'UTC', style: 'medium' });
    expect(part(chart, 'tooltip')!.textContent).to.contain(when.split(',')[0]!);
    const canvas = plot.querySelector('canvas')!;
    expect(canvas.width).to.be.closeTo(plot.clientWidth * devicePixelRatio * 1.5, 2);
  });

  it('marks as spikes over a week of hours only what is far above the usual at its hour of the day', async () => {
    // The answer's hours given a daily rhythm (quiet nights, busy working hours) with one
    // burst at 3 AM and one at noon three times that noon's usual.
    const record = recorder();
    let bursts: number[] = [];
    record.intercept = async (url, forward) => {
      const response = await forward();
      if (url.pathname !== '/api/consumption' || url.searchParams.has('poolCategory')) return response;
      const answer = (await response.json()) as ConsumptionSeries;
      const hour = (t: string) => new Date(t).getUTCHours();
      const points = answer.points.map((p, i) => {
        const amount = hour(p.t) >= 9 && hour(p.t) < 18 ? 1_000 + (i % 7) * 10 : 40 + (i % 3) * 5;
        return { ...p, amount, byGroup: { input: amount, output: 0 } };
      });
      const night = points.findIndex((p, i) => i > 30 && hour(p.t) === 3);
      const noon = points.findIndex((p, i) => i > 100 && hour(p.t) === 12);
      bursts = [night, noon];
      points[night] = { ...points[night]!, amount: 900, byGroup: { input: 900, output: 0 } };
      points[noon] = { ...points[noon]!, amount: 3_600, byGroup: { input: 3_600, output: 0 } };
      const total = points.reduce((sum, p) => sum + p.amount, 0);
      return Response.json({ ...answer, groups: ['input', 'output'], points, total });
    };
    const { chart } = await mount({ bucket: 'hour', range: '7d' }, record);
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    expect(answer.points.length, 'a week of hours').to.be.at.least(168);
    // By the week's median alone (its nights) every working day's hours were spikes: 5 marks.
    await waitUntil(() => shadow(chart).querySelectorAll('.spike').length > 0, 'spikes are marked');
    expect(shadow(chart).querySelectorAll('.spike')).to.have.length(2);
    expect(part(chart, 'summary')!.textContent).to.contain('2 spikes marked');
    // The legend says what the red marks are (they were explained only at the summary's end).
    expect(part(chart, 'legend-key')!.textContent).to.equal('Spike: far above the usual');
    expect(bursts.every((i) => i > 0)).to.equal(true);
  });

  it('marks spikes and names them in the tooltip', async () => {
    await addUser('u_spiky');
    const { chart: probe, record } = await mount({ bucket: 'hour', 'resource-type': 'ocr' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    probe.remove();
    const peak = Math.max(...answer.points.map((p) => p.amount));
    // A burst in the last hour, far above anything the week had.
    await ingest([{ userId: 'u_spiky', amount: peak * 20 + 1_000, resourceType: 'ocr', ioType: 'input', requestId: 'spike_1', endpoint: '/v1/ocr', created: new Date(NOW - 30 * 60_000).toISOString() }]);
    // In German: its multiple in the locale's digits ("20,9×", not "20.9×").
    const { chart } = await mount({ bucket: 'hour', 'resource-type': 'ocr', locale: 'de-DE' });
    expect(shadow(chart).querySelectorAll('.spike').length).to.be.greaterThan(0);
    // In a row of their own over the plot, under the axis' title ("Seiten per hour" and a mark under its start met).
    const spike = shadow(chart).querySelector<HTMLElement>('.spike')!;
    type Grid = { coordinateSystem: { getRect(): { y: number } } };
    const plotTop = (instanceOf(chart) as unknown as { getModel(): { getComponent(type: string, index: number): Grid } }).getModel().getComponent('grid', 0).coordinateSystem.getRect().y;
    const { nameGap } = (instanceOf(chart).getOption() as { yAxis: { nameGap: number }[] }).yAxis[0]!;
    const frame = spike.offsetParent!.getBoundingClientRect();
    const mark = spike.getBoundingClientRect();
    expect(mark.bottom - frame.top, 'above the plot').to.be.at.most(plotTop);
    expect(mark.top - frame.top, 'under the title').to.be.at.least(plotTop - nameGap);
    const plot = part(chart, 'chart')!;
    plot.focus();
    await sendKeys({ press: 'End' });
    await chart.updateComplete;
    expect(part(chart, 'tooltip')!.textContent).to.match(/Spike: [\d.]+,\d× the period's typical level/);
  });
});

describe('<consumption-chart> totals', () => {
  before(async () => {
    await addUser('u_totals_live');
    // Before any chart asks: 300 pages of output, three hours ago.
    await ingest([{ userId: 'u_totals_live', amount: 300, resourceType: 'ocr', ioType: 'output', requestId: 'totals_1', endpoint: '/v1/ocr', created: new Date(NOW - 3 * HOUR).toISOString() }]);
  });

  it('shows each group’s total over the range and its share in the legend, "Other" included, and names each toggle with them', async () => {
    const { chart, record } = await mount({ 'group-by': 'userId', bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const totals = groupTotals(answer);
    expect(totals).to.have.length(11);
    expect(totals.reduce((a, b) => a + b, 0)).to.equal(answer.total);
    const names = await namesShown(chart, answer.groups);
    const labels = [...answer.groups.map((id) => namedUser(names, id)), 'other'];
    const written = shares(totals, answer.total);
    legendItems(chart).forEach((item, i) => {
      const amount = formatAmount(totals[i]!, 'tokens', { locale: 'en-US', compact: true });
      expect(legendTotal(item), labels[i]).to.equal(`${amount} · ${written[i]}`);
      expect(spoken(item)).to.equal(`${labels[i]}, ${amount}, ${written[i]}`);
    });
    // Eleven groups, rounded together: their whole percents add up to 100 (">99%" and "<1%" aside).
    if (written.every((s) => /^\d+%$/.test(s))) expect(written.reduce((sum, s) => sum + Number.parseInt(s, 10), 0)).to.equal(100);
    // The browser's own accessible names too: no space before a comma (Chrome puts spaces
    // around a visually hidden box), and the one between a user's name and ID kept.
    const named = await accessibleNames();
    legendItems(chart).forEach((item) => expect(named).to.include(spoken(item)));
    await expect(chart).to.be.accessible();
  });

  it('writes totals in the unit of the resource type', async () => {
    const { chart, record } = await mount({ 'resource-type': 'storage', bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const totals = groupTotals(answer);
    const written = shares(totals, answer.total);
    expect(legendItems(chart).map(legendTotal)).to.deep.equal(totals.map((t, i) => `${formatAmount(t, 'storage', { locale: 'en-US' })} · ${written[i]}`));
    expect(legendTotal(legendItems(chart)[0]!)).to.match(/ (kB|MB|GB) · /);
  });

  it('keeps showing a hidden series’ total, not struck through, with its pressed state', async () => {
    const { chart } = await mount({ bucket: 'day' });
    const first = legendItems(chart)[0]!;
    const shown = legendTotal(first);
    const name = spoken(first);
    first.click();
    await chart.updateComplete;
    expect(first.getAttribute('aria-pressed')).to.equal('false');
    expect(legendTotal(first)).to.equal(shown);
    expect(spoken(first)).to.equal(name);
    const decoration = (selector: string) => getComputedStyle(first.querySelector(selector)!).textDecorationLine;
    expect(decoration('.legend-label')).to.equal('line-through');
    expect(decoration('[part~="legend-total"]')).to.equal('none');
    await expect(chart).to.be.accessible();
  });

  it('prints whole: the plot on one page, every bucket of its table view above the total, the plot within the paper', async () => {
    const { chart } = await mount({ bucket: 'hour' });
    part(chart, 'table-toggle')!.click();
    await chart.updateComplete;
    const wrap = shadow(chart).querySelector<HTMLElement>('.table-wrap')!;
    await emulateMedia({ media: 'print' });
    try {
      expect(getComputedStyle(wrap).maxHeight).to.equal('none');
      expect(getComputedStyle(wrap).overflowY).to.equal('visible');
      // 169 rows laid out whole: the total follows the last bucket, not the 280 px window.
      expect(wrap.scrollHeight).to.equal(wrap.clientHeight);
      expect(getComputedStyle(wrap.querySelector('tfoot td')!).position).to.equal('static');
      expect(getComputedStyle(wrap.querySelector('tfoot')!).display).to.equal('table-row-group');
      expect(getComputedStyle(shadow(chart).querySelector('.plot-frame')!).breakInside).to.equal('avoid');
      expect(getComputedStyle(shadow(chart).querySelector('.plot canvas')!).maxWidth).to.equal('100%');
    } finally {
      await emulateMedia({ media: 'screen' });
    }
  });

  it('ends the data table with a Total row of each group’s total', async () => {
    const { chart, record } = await mount({ 'group-by': 'poolCategory', bucket: 'day' });
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    part(chart, 'table-toggle')!.click();
    await chart.updateComplete;
    expect(part(chart, 'table')!.querySelector('tfoot th')!.getAttribute('scope')).to.equal('row');
    expect(footer(chart)).to.deep.equal(['Total', ...groupTotals(answer).map((t) => formatAmount(t, 'tokens', { locale: 'en-US' }))]);
    await expect(chart).to.be.accessible();
  });

  it('does not count the previous period into the totals: shares are of this period’s, the previous period shows its own total', async () => {
    const { chart, record } = await mount({ compare: '', bucket: 'day' });
    await waitUntil(() => seriesOf(chart).has('previous'), 'the previous period is drawn');
    const current = await answerOf<ConsumptionSeries>(record.to('consumption').find((url) => url.searchParams.get('to') === WEEK.to)!);
    const previous = await answerOf<ConsumptionSeries>(record.to('consumption').find((url) => url.searchParams.get('to') === WEEK.from)!);
    const totals = groupTotals(current);
    const items = legendItems(chart);
    expect(items).to.have.length(totals.length + 1);
    const written = shares(totals, current.total);
    totals.forEach((t, i) => expect(legendTotal(items[i]!)).to.equal(`${formatAmount(t, 'tokens', { locale: 'en-US', compact: true })} · ${written[i]}`));
    const previousAmount = formatAmount(previous.total, 'tokens', { locale: 'en-US', compact: true });
    expect(legendTotal(items.at(-1)!)).to.equal(previousAmount);
    expect(spoken(items.at(-1)!)).to.equal(`Previous period, ${previousAmount}`);
    part(chart, 'table-toggle')!.click();
    await chart.updateComplete;
    expect(footer(chart)).to.deep.equal(['Total', ...[...totals, previous.total].map((t) => formatAmount(t, 'tokens', { locale: 'en-US' }))]);
    expect(part(chart, 'summary')!.textContent).to.contain(`Total ${formatAmount(current.total, 'tokens', { locale: 'en-US' })} by`);
  });

  it('keeps the legend’s and the table’s totals right as live events arrive', async () => {
    const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr', 'user-id': 'u_totals_live' });
    await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
    const byName = () => Object.fromEntries(legendItems(chart).map((item) => [legendLabel(item), legendTotal(item)]));
    expect(byName()['Output']).to.equal('300 pages · 100%');
    await ingest([{ userId: 'u_totals_live', amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'totals_2', endpoint: '/v1/ocr', created: new Date(NOW - 10 * 60_000).toISOString() }]);
    await waitUntil(() => byName()['Input'] === '1 page · <1%', 'the input event is counted', { timeout: 5_000 });
    expect(byName()['Output']).to.equal('300 pages · >99%');
    await ingest([{ userId: 'u_totals_live', amount: 99, resourceType: 'ocr', ioType: 'input', requestId: 'totals_3', endpoint: '/v1/ocr', created: new Date(NOW - 5 * 60_000).toISOString() }]);
    await waitUntil(() => byName()['Input'] === '100 pages · 25%', 'the second one too', { timeout: 5_000 });
    expect(byName()['Output']).to.equal('300 pages · 75%');
    part(chart, 'table-toggle')!.click();
    await chart.updateComplete;
    const header = [...part(chart, 'table')!.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    const cells = footer(chart);
    expect(cells[header.indexOf('Input')]).to.equal('100 pages');
    expect(cells[header.indexOf('Output')]).to.equal('300 pages');
    // The user's base budget pace is a reference, not an amount spent: no total.
    expect(cells[header.indexOf('Base budget pace')]).to.equal('–');
    expect(drawnRequests(record)).to.have.length(1);
  });

  it('keeps counting live events into the chart it keeps under a failed refresh', async () => {
    await addUser('u_kept_live');
    await ingest([{ userId: 'u_kept_live', amount: 300, resourceType: 'ocr', ioType: 'output', requestId: 'kept_1', endpoint: '/v1/ocr', created: new Date(NOW - 3 * HOUR).toISOString() }]);
    const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr', 'user-id': 'u_kept_live' });
    await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
    record.intercept = (url, forward) =>
      url.pathname === '/api/consumption' ? Promise.resolve(Response.json({ error: { code: 'bad_parameter', message: 'The store is restarting.' } }, { status: 400 })) : forward();
    void (chart as unknown as { dataTask: { run(): Promise<void> } }).dataTask.run();
    await waitUntil(() => chart.hasAttribute('error'), 'the refresh fails');
    const byName = () => Object.fromEntries(legendItems(chart).map((item) => [legendLabel(item), legendTotal(item)]));
    expect(byName()['Output']).to.equal('300 pages · 100%');
    await ingest([{ userId: 'u_kept_live', amount: 100, resourceType: 'ocr', ioType: 'input', requestId: 'kept_2', endpoint: '/v1/ocr', created: new Date(NOW - 10 * 60_000).toISOString() }]);
    await waitUntil(() => byName()['Input'] === '100 pages · 25%', 'the live event is counted under the error', { timeout: 5_000 });
    expect(chart.hasAttribute('error')).to.equal(true);
  });

  it('keeps its legend inside a narrow card (375 px and about), each user’s link beside its toggle', async () => {
    const { chart } = await mount({ 'group-by': 'userId', bucket: 'day', compare: '', 'user-href': '/u/{userId}' });
    await waitUntil(() => seriesOf(chart).has('previous'), 'the previous period is drawn');
    const legend = part(chart, 'legend')!;
    // Every width from 300 to 420 px: at some of them a toggle ends where its line does.
    for (let width = 300; width <= 420; width += 3) {
      chart.parentElement!.style.width = `${width}px`;
      const right = legend.getBoundingClientRect().right;
      expect(legend.scrollWidth, `${width}px`).to.be.at.most(legend.clientWidth);
      for (const item of legendItems(chart)) {
        const box = item.getBoundingClientRect();
        expect(box.right, `${spoken(item)} at ${width}px`).to.be.at.most(right + 0.5);
        // Its total stays whole (the name gives way first).
        const total = item.querySelector('[part~="legend-total"]')!;
        expect(total.scrollWidth, `${spoken(item)}'s total at ${width}px`).to.be.at.most(total.clientWidth + 1);
        const link = item.parentElement!.querySelector('[part~="user-link"]');
        if (link) expect(Math.abs(link.getBoundingClientRect().top - box.top), `${spoken(item)}: its link at ${width}px`).to.be.lessThan(box.height / 2);
      }
    }
  });
});

describe('<consumption-chart> unit', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('names the type its amounts are in beside its title, for each type, and says it shows tokens under all types', async () => {
    const { chart } = await mount({ bucket: 'day' });
    await expect(chart).to.be.accessible();
    await checkUnits(chart, 'Consumption over time');
    // The plot's name stays the title alone (the summary and the axis carry the amounts).
    expect(part(chart, 'chart')!.getAttribute('aria-label')).to.equal('Consumption over time');
  });
});

describe('<consumption-chart> with reduced motion', () => {
  before(async () => {
    await demoServer().ready;
  });
  after(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('draws without ECharts’ grow and morph animations when the system asks for reduced motion', async () => {
    const { chart: moving } = await mount({ bucket: 'hour' });
    expect(instanceOf(moving).getOption().animation, 'animated by default').to.equal(true);
    moving.remove();
    await emulateMedia({ reducedMotion: 'reduce' });
    const { chart } = await mount({ bucket: 'hour' });
    expect(instanceOf(chart).getOption().animation).to.equal(false);
  });
});

describe('<consumption-chart> tokens set by the page', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('redraws the canvas and its keys when the page changes a token on it, with nothing else changing', async () => {
    const { chart } = await mount({ bucket: 'hour' });
    // A page that animates (or stops animating) the card itself, through its part.
    const pageStyle = document.createElement('style');
    pageStyle.textContent = 'consumption-chart::part(base) { transition: background-color 0.2s; }';
    document.head.append(pageStyle);
    try {
      const inputKey = () => shadow(chart).querySelector<HTMLElement>('[part~="legend-item"] .swatch')!;
      const drawn = () => JSON.stringify(instanceOf(chart).getOption().series);
      expect(drawn()).to.not.include('rgb(1, 255, 2)');
      // As a page's own dark mode would (a class on <html> that sets tokens on the elements).
      chart.style.setProperty('--usage-color-input', 'rgb(1, 255, 2)');
      await waitUntil(() => drawn().includes('rgb(1, 255, 2)'), 'the canvas kept the old colour', { timeout: 2_000 });
      expect(getComputedStyle(inputKey()).backgroundColor).to.equal('rgb(1, 255, 2)');
      chart.style.removeProperty('--usage-color-input');
      await waitUntil(() => !drawn().includes('rgb(1, 255, 2)'), 'the canvas kept the page’s colour', { timeout: 2_000 });
      // A token the page sets on :root (its design system's) reaches the canvas and the keys too.
      document.documentElement.style.setProperty('--usage-color-input', 'rgb(3, 4, 250)');
      try {
        await waitUntil(() => drawn().includes('rgb(3, 4, 250)'), 'the canvas kept the theme’s colour under the page’s :root token', { timeout: 2_000 });
        expect(getComputedStyle(inputKey()).backgroundColor).to.equal('rgb(3, 4, 250)');
      } finally {
        document.documentElement.style.removeProperty('--usage-color-input');
      }
      await waitUntil(() => !drawn().includes('rgb(3, 4, 250)'), 'the canvas kept the :root colour', { timeout: 2_000 });
    } finally {
      pageStyle.remove();
    }
  });
});

describe('<consumption-chart> under forced colours', () => {
  before(async () => {
    await demoServer().ready;
  });
  afterEach(() => emulateForcedColors(false));

  it('keeps the series colours of its keys and the marks drawn over the plot, which the canvas keeps', async () => {
    await addUser('u_forced');
    const attributes = { bucket: 'hour', 'resource-type': 'storage', 'group-by': 'userId', from: new Date(NOW - 7 * DAY + 30 * 60_000).toISOString() };
    const { chart: probe, record } = await mount(attributes);
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    probe.remove();
    const peak = Math.max(...answer.points.map((p) => p.amount));
    await ingest([{ userId: 'u_forced', amount: peak * 20 + 1_000, resourceType: 'storage', ioType: 'input', requestId: 'forced_1', endpoint: '/v1/files', created: new Date(NOW - 30 * 60_000).toISOString() }]);
    const { chart } = await mount(attributes);
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'End' });
    await chart.updateComplete;
    const marks = [...shadow(chart).querySelectorAll('[part~="legend"] .swatch, .spike, .band.partial, .band.hover')];
    expect(['swatch', 'spike', 'partial', 'hover'].every((kind) => marks.some((mark) => mark.classList.contains(kind)))).to.equal(true);
    const drawn = marks.map(fills);
    await emulateForcedColors(true);
    expect(marks.map(fills)).to.deep.equal(drawn);
  });
});

describe('<consumption-chart> escaping', () => {
  // With a right-to-left override, written out rather than obeyed (it reversed the rest: another ID).
  const hostile = '<img src=x onerror="window.__chartXss=1">\u202Egpj.exe';
  const endpoint = '<script>window.__chartXss=2</script>\u2066';

  before(async () => {
    await addUser(hostile);
    await ingest([
      { userId: hostile, amount: 1_000_000, resourceType: 'ocr', ioType: 'output', requestId: 'xss_1', endpoint, created: new Date(NOW - 2 * HOUR).toISOString() },
    ]);
  });

  for (const groupBy of ['userId', 'endpoint'] as const) {
    it(`keeps a hostile ${groupBy} as text in legend, tooltip and table`, async () => {
      const { chart } = await mount({ 'group-by': groupBy, bucket: 'day', 'resource-type': 'ocr' });
      const label = groupBy === 'userId' ? '<img src=x onerror="window.__chartXss=1">⟨U+202E⟩gpj.exe' : '<script>window.__chartXss=2</script>⟨U+2066⟩';
      expect(legendLabels(chart)).to.include(label);
      const plot = part(chart, 'chart')!;
      plot.focus();
      await sendKeys({ press: 'End' });
      await chart.updateComplete;
      expect(part(chart, 'tooltip')!.textContent).to.contain(label);
      part(chart, 'table-toggle')!.click();
      await chart.updateComplete;
      expect([...part(chart, 'table')!.querySelectorAll('th')].map((th) => th.textContent!.trim())).to.include(label);
      expect(shadow(chart).querySelector('img, script')).to.equal(null);
      expect((window as { __chartXss?: number }).__chartXss).to.equal(undefined);
    });
  }
});

describe('<consumption-chart> brush', () => {
  /** Seven whole UTC days: seven day buckets of equal width. */
  const DAYS = { from: '2026-03-03T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' };
  const day = (n: number) => new Date(Date.parse(DAYS.from) + n * DAY).toISOString();

  before(async () => {
    await demoServer().ready;
  });

  async function mountShared(record = recorder(), from = DAYS.from): Promise<{ filters: UsageFilters; chart: ConsumptionChart; record: ReturnType<typeof recorder> }> {
    const filters = place<UsageFilters>(html`<usage-filters data-endpoint="/api" time-zone="UTC" locale="en-US" .requestOptions=${record.requestOptions} from=${from} to=${DAYS.to}>
      <div style="width: 720px"><consumption-chart bucket="day"></consumption-chart></div>
    </usage-filters>`);
    const chart = filters.querySelector('consumption-chart')!;
    await settled(chart);
    return { filters, chart, record };
  }

  it('narrows the shared range to the brushed buckets, and goes back in one click', async () => {
    const { filters, chart } = await mountShared();
    const changed = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    dragAcross(chart, bucketPoint(chart, 2, 7), bucketPoint(chart, 3, 7));
    const event = await changed;
    expect(event.detail.state.range).to.deep.equal({ from: day(2), to: day(4) });
    await settled(chart);
    const back = part(chart, 'back') as HTMLButtonElement;
    expect(back.textContent).to.contain('Back to');
    const restored = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    back.focus();
    back.click();
    expect((await restored).detail.state.range).to.deep.equal(DAYS);
    await chart.updateComplete;
    expect(part(chart, 'back')).to.equal(null);
    // The button went away with its focus: the plot has it now, not the page's body.
    await chart.updateComplete;
    expect(shadow(chart).activeElement === part(chart, 'chart'), 'the focus (compared as a boolean: a failed comparison of DOM nodes hangs the run)').to.equal(true);
  });

  it('on a chart over a range of its own, narrows the shared range and goes back to it', async () => {
    const record = recorder();
    const filters = place<UsageFilters>(html`<usage-filters data-endpoint="/api" time-zone="UTC" locale="en-US" .requestOptions=${record.requestOptions} range="30d">
      <div style="width: 720px"><consumption-chart bucket="day" from=${DAYS.from} to=${DAYS.to}></consumption-chart></div>
    </usage-filters>`);
    const chart = filters.querySelector('consumption-chart')!;
    await settled(chart);
    const changed = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    dragAcross(chart, bucketPoint(chart, 2, 7), bucketPoint(chart, 3, 7));
    expect((await changed).detail.state.range).to.deep.equal({ from: day(2), to: day(4) });
    await settled(chart);
    // The chart still draws its own seven days; the way back is to the shared 30 days.
    const back = part(chart, 'back') as HTMLButtonElement;
    expect(back.textContent).to.contain('Back to the last 30 days');
    const restored = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    back.click();
    expect((await restored).detail.state.range).to.deep.equal({ preset: '30d' });
    await chart.updateComplete;
    expect(part(chart, 'back')).to.equal(null);
  });

  it('narrows to a bucket clicked with the mouse, as Enter does', async () => {
    const { filters, chart } = await mountShared();
    const changed = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    const at = bucketPoint(chart, 4, 7);
    await sendMouse({ type: 'move', position: [Math.round(at.x), Math.round(at.y)] });
    await chart.updateComplete;
    // The tooltip under the pointer says what a click does.
    expect(part(chart, 'tooltip')?.querySelector('.tooltip-hint')?.textContent).to.equal('Click to narrow the range to this bucket');
    await sendMouse({ type: 'click', position: [Math.round(at.x), Math.round(at.y)] });
    expect((await changed).detail.state.range).to.deep.equal({ from: day(4), to: day(5) });
    await settled(chart);
    expect(part(chart, 'back')!.textContent).to.contain('Back to');
    await sendMouse({ type: 'move', position: [0, 0] });
  });

  it('shows a tapped bucket’s values, kept when the finger lifts, and narrows to it on a second tap', async () => {
    const { filters, chart } = await mountShared();
    const plot = part(chart, 'chart')!;
    const tap = (index: number): void => {
      const at = bucketPoint(chart, index, 7);
      for (const type of ['pointerdown', 'pointerup', 'pointerleave']) {
        plot.dispatchEvent(new PointerEvent(type, { clientX: at.x, clientY: at.y, button: 0, pointerId: 1, pointerType: 'touch', bubbles: true }));
      }
    };
    let changes = 0;
    filters.addEventListener('usage-filters-change', () => changes++);
    tap(2);
    await chart.updateComplete;
    expect(part(chart, 'tooltip')?.querySelector('.tooltip-title')?.textContent).to.contain('Mar 5');
    tap(3);
    await chart.updateComplete;
    expect(part(chart, 'tooltip')?.querySelector('.tooltip-title')?.textContent, 'another bucket tapped shows its values').to.contain('Mar 6');
    expect(part(chart, 'tooltip')?.querySelector('.tooltip-hint')?.textContent).to.equal('Tap again to narrow the range to this bucket');
    expect(changes, 'a first tap narrows nothing').to.equal(0);
    const changed = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    tap(3);
    expect((await changed).detail.state.range).to.deep.equal({ from: day(3), to: day(4) });
  });

  it('selects a span with the keyboard and narrows to it with Enter', async () => {
    const { filters, chart } = await mountShared();
    // A widget role (not img): a screen reader in browse mode would keep the arrow keys.
    expect(part(chart, 'chart')!.getAttribute('role')).to.equal('application');
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowRight' });
    await shiftRight(2);
    await chart.updateComplete;
    expect(shadow(chart).querySelector('[aria-live]')!.textContent).to.contain('Selected 3 buckets');
    const changed = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.state.range).to.deep.equal({ from: day(1), to: day(4) });
  });

  it("cancels a keyboard selection with Escape, keeping the Escape from a host's modal dialog; a second Escape passes on", async () => {
    const record = recorder();
    const dialog = place<HTMLDialogElement>(html`<dialog><usage-filters data-endpoint="/api" time-zone="UTC" locale="en-US" .requestOptions=${record.requestOptions} from=${WEEK.from} to=${WEEK.to}>
      <div style="width: 720px"><consumption-chart bucket="day"></consumption-chart></div>
    </usage-filters></dialog>`);
    dialog.showModal();
    const chart = dialog.querySelector('consumption-chart')!;
    await settled(chart);
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await shiftRight(1);
    await sendKeys({ press: 'Escape' });
    await chart.updateComplete;
    expect(dialog.open, 'the dialog stays open').to.equal(true);
    expect(shadow(chart).querySelector('[aria-live]')!.textContent).to.contain('Selection cancelled');
    // The bucket it was made from stays: a new selection starts there.
    await shiftRight(1);
    await chart.updateComplete;
    expect(shadow(chart).querySelector('[aria-live]')!.textContent).to.contain('Selected 2 buckets');
    await sendKeys({ press: 'Escape' });
    // Then the bucket itself (its tooltip goes), and with nothing left Escape is the dialog's.
    await sendKeys({ press: 'Escape' });
    expect(dialog.open).to.equal(true);
    await chart.updateComplete;
    expect(part(chart, 'tooltip')).to.equal(null);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'with nothing to let go of, Escape closes the dialog');
  });

  it('keeps the focus when a keyboard narrow finds nothing (on Back) and when the last Back brings the plot again (on the plot)', async () => {
    const record = recorder();
    // Nothing in any narrower range: the narrowed chart is empty and hides its plot.
    record.intercept = async (url, forward) => {
      const response = await forward();
      if (url.pathname !== '/api/consumption' || (url.searchParams.get('from') === DAYS.from && url.searchParams.get('to') === DAYS.to)) return response;
      const answer = (await response.json()) as ConsumptionSeries;
      const zero = (groups: Record<string, number>) => Object.fromEntries(Object.keys(groups).map((key) => [key, 0]));
      return Response.json({ ...answer, total: 0, points: answer.points.map((p) => ({ ...p, amount: 0, byGroup: zero(p.byGroup) })) });
    };
    const { chart } = await mountShared(record);
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(chart, 'empty') && !chart.hasAttribute('loading'), 'the narrowed range is empty', { timeout: 5000 });
    await chart.updateComplete;
    expect(shadow(chart).activeElement?.getAttribute('part'), 'the focus is on Back').to.equal('back');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !part(chart, 'back') && !part(chart, 'empty') && !chart.hasAttribute('loading'), 'back to the whole range', { timeout: 5000 });
    await chart.updateComplete;
    expect(shadow(chart).activeElement?.getAttribute('part'), 'the focus is on the plot').to.equal('chart');
  });

  it('keeps a brushed span inside the range when it starts in a partial first bucket', async () => {
    const from = '2026-03-03T00:30:00.000Z';
    const { filters, chart } = await mountShared(recorder(), from);
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'Home' });
    await shiftRight(1);
    const changed = oneEvent(filters, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.state.range).to.deep.equal({ from, to: day(2) });
  });

  it('moves its overlays with the plot when it is resized', async () => {
    const { chart } = await mountShared();
    const frame = chart.parentElement!;
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'End' });
    await chart.updateComplete;
    const hoverX = () => shadow(chart).querySelector<HTMLElement>('.band.hover')!.style.getPropertyValue('--x1');
    const before = hoverX();
    frame.style.width = '420px';
    await waitUntil(() => hoverX() !== before, 'the hover band follows the narrower plot', { timeout: 3000 });
    expect(parseFloat(hoverX())).to.be.lessThan(parseFloat(before));
    expect(parseFloat(hoverX())).to.be.at.most(420);
  });

  it('a chart alone narrows its own range and announces it', async () => {
    const { chart } = await mount({ bucket: 'day', ...DAYS });
    part(chart, 'chart')!.focus();
    await sendKeys({ press: 'End' });
    await chart.updateComplete;
    // The keys' tooltip has no pointer hint (the plot's description names the keys).
    expect(part(chart, 'tooltip')).to.not.equal(null);
    expect(part(chart, 'tooltip')!.querySelector('.tooltip-hint')).to.equal(null);
    const changed = oneEvent(chart, 'usage-filters-change') as Promise<UsageFiltersChangeEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.state.range).to.deep.equal({ from: day(6), to: DAYS.to });
  });
});

describe('<consumption-chart> states', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('shows the endpoint’s message with role=alert, and Retry asks again', async () => {
    const record = recorder();
    let fail = true;
    record.intercept = (url, forward) =>
      fail && url.pathname === '/api/consumption'
        ? Promise.resolve(Response.json({ error: { code: 'bad_parameter', message: 'tz is not a time zone', param: 'tz' } }, { status: 400 }))
        : forward();
    const chart = document.createElement('consumption-chart');
    chart.setAttribute('data-endpoint', '/api');
    chart.setAttribute('from', WEEK.from);
    chart.setAttribute('to', WEEK.to);
    chart.requestOptions = record.requestOptions;
    const errorEvent = oneEvent(chart, 'usage-error') as Promise<UsageErrorEvent>;
    place(html`<div>${chart}</div>`);
    expect((await errorEvent).detail).to.include({ code: 'bad_parameter', param: 'tz' });
    await settled(chart);
    const alert = shadow(chart).querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('tz is not a time zone');
    expect(alert.textContent!.trim()).to.match(/^Consumption over time:/);
    expect(chart.hasAttribute('error')).to.equal(true);
    await expect(chart).to.be.accessible();
    // Retry, and fail again: the new Retry button takes the focus back.
    (part(chart, 'retry') as HTMLButtonElement).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => record.to('consumption').length === 2 && chart.hasAttribute('error'), 'the retry fails too');
    await waitUntil(() => shadow(chart).activeElement === part(chart, 'retry'), 'the new Retry button has the focus');
    fail = false;
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !chart.hasAttribute('error'), 'the error clears');
    await settled(chart);
    // The Retry button went away with the error: the focus goes to the plot, named by the chart's title.
    await waitUntil(() => shadow(chart).activeElement === part(chart, 'chart'), 'the plot has the focus');
    expect(part(chart, 'chart')!.getAttribute('aria-labelledby') ?? part(chart, 'chart')!.getAttribute('aria-label')).to.be.a('string');
    expect(record.to('consumption')).to.have.length(3);
    expect(chart.hasAttribute('error')).to.equal(false);
    expect(seriesOf(chart).size).to.be.greaterThan(0);
  });

  it('keeps its chart under the error when a refresh under the same filters fails, not under filters it does not answer', async () => {
    const { chart, record } = await mount({ from: WEEK.from, to: WEEK.to });
    const summary = part(chart, 'summary')!.textContent;
    record.intercept = (url, forward) =>
      url.pathname === '/api/consumption' ? Promise.resolve(Response.json({ error: { code: 'bad_parameter', message: 'The store is restarting.' } }, { status: 400 })) : forward();
    // A refresh (a rolling range moving on, a Retry, a stream's reset): the same filters.
    void (chart as unknown as { dataTask: { run(): Promise<void> } }).dataTask.run();
    await waitUntil(() => chart.hasAttribute('error'), 'the refresh fails');
    await chart.updateComplete;
    expect(shadow(chart).querySelector('[part~="error"]')!.textContent).to.contain('The store is restarting.');
    expect(part(chart, 'chart')!.getClientRects().length > 0, 'the plot stays').to.equal(true);
    expect(part(chart, 'summary')!.textContent).to.equal(summary);
    expect(legendItems(chart).length).to.be.greaterThan(0);
    expect(seriesOf(chart).size).to.be.greaterThan(0);
    await expect(chart).to.be.accessible();
    // Other filters: the last answer is not theirs.
    chart.setAttribute('resource-type', 'ocr');
    await waitUntil(() => record.to('consumption').at(-1)!.searchParams.get('resourceType') === 'ocr' && chart.hasAttribute('error') && !chart.loading, 'the new filters fail');
    await chart.updateComplete;
    expect(part(chart, 'chart')!.getClientRects().length, 'no plot').to.equal(0);
    expect(part(chart, 'summary')!.textContent).to.equal('');
    expect(legendItems(chart)).to.have.length(0);
  });

  it('says there is no consumption when nothing matches (no token consumption, under every type)', async () => {
    const { chart } = await mount({ 'user-id': 'nobody-at-all' });
    // Under every type it shows tokens: the event log may still list storage or OCR events.
    expect(part(chart, 'empty')!.textContent).to.contain('No token consumption matches');
    chart.setAttribute('resource-type', 'storage');
    await waitUntil(() => part(chart, 'empty')?.textContent?.includes('No consumption matches'), 'said for the type chosen');
    expect(shadow(chart).querySelector<HTMLElement>('.plot-frame')!.hidden).to.equal(true);
    await expect(chart).to.be.accessible();
  });

  it('is busy with a skeleton while the first answer is on its way', async () => {
    const { record, release } = heldRecorder();
    const chart = document.createElement('consumption-chart');
    chart.setAttribute('data-endpoint', '/api');
    chart.requestOptions = record.requestOptions;
    place(html`<div>${chart}</div>`);
    await waitUntil(() => chart.loading);
    expect(chart.getAttribute('aria-busy')).to.equal('true');
    expect(part(chart, 'skeleton')).to.not.equal(null);
    release();
    await settled(chart);
    expect(chart.hasAttribute('aria-busy')).to.equal(false);
    expect(part(chart, 'skeleton')).to.equal(null);
  });

  it('is accessible with data', async () => {
    const { chart } = await mount({ compare: '' });
    await expect(chart).to.be.accessible();
  });
});

describe('<consumption-chart> live', () => {
  before(async () => {
    await addUser('u_live_chart');
  });

  it('adds a matching streamed event to the bucket holding it, without asking again', async () => {
    const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr', 'group-by': 'ioType' });
    await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
    const before = seriesOf(chart);
    const requests = record.to('consumption').length;
    await ingest([
      { userId: 'u_live_chart', amount: 7, resourceType: 'ocr', ioType: 'input', requestId: 'live_chart_1', endpoint: '/v1/ocr', created: new Date(NOW - 10 * 60_000).toISOString() },
      { userId: 'u_live_chart', amount: 5, resourceType: 'tokens', ioType: 'input', requestId: 'live_chart_2', endpoint: '/v1/chat', created: new Date(NOW - 10 * 60_000).toISOString() },
    ]);
    await waitUntil(
      () => {
        const total = [...seriesOf(chart).values()].reduce((sum, s) => sum + (s.data.at(-1)?.[1] ?? 0), 0);
        const all = [...before.values()].reduce((sum, s) => sum + (s.data.at(-1)?.[1] ?? 0), 0);
        return total === all + 7;
      },
      'the last bucket grows by the OCR event only',
      { timeout: 5_000 },
    );
    expect(record.to('consumption').length).to.equal(requests);
  });

  it('takes an endpoint named like an Object property ("toString", "__proto__") live as a group of its own', async () => {
    await addUser('u_live_proto');
    await ingest([{ userId: 'u_live_proto', amount: 3, resourceType: 'ocr', ioType: 'input', requestId: 'live_proto_0', endpoint: '/v1/ocr', created: new Date(NOW - 3 * HOUR).toISOString() }]);
    const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr', 'group-by': 'endpoint', 'user-id': 'u_live_proto' });
    await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
    const requests = record.to('consumption').length;
    const created = new Date(NOW - 10 * 60_000).toISOString();
    await ingest([
      { userId: 'u_live_proto', amount: 4, resourceType: 'ocr', ioType: 'input', requestId: 'live_proto_1', endpoint: 'toString', created },
      { userId: 'u_live_proto', amount: 6, resourceType: 'ocr', ioType: 'input', requestId: 'live_proto_2', endpoint: '__proto__', created },
    ]);
    // "toString" was taken for a key already there (`in` reached the prototype): its 4 pages
    // went into a function's text; "__proto__" set a prototype.
    const last = (key: string) => seriesOf(chart).get(`group:${key}`)?.data.at(-1)?.[1];
    await waitUntil(() => last('toString') === 4 && last('__proto__') === 6, 'both endpoints drawn with their amounts', { timeout: 5_000 });
    expect(record.to('consumption').length, 'drawn from the stream').to.equal(requests);
  });

  afterEach(() => (liveTiming.refreshMs = LIVE_REFRESH_MS));

  const totalsOf = (answer: ConsumptionSeries) => answer.groups.map((key) => answer.points.reduce((sum, p) => sum + p.byGroup[key]!, 0));

  it('grouped by user, checks the ranking (in weeks) when a user outside the 10 largest may have passed one of them, and asks for the series again when one did', async () => {
    liveTiming.refreshMs = 300;
    await addUser('u_live_rank');
    const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr', 'group-by': 'userId' });
    await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    expect(answer.groups, 'ten users listed, the rest in other').to.have.length(10);
    const largest = Math.max(...totalsOf(answer));
    await ingest([{ userId: 'u_live_rank', amount: largest + 1_000, resourceType: 'ocr', ioType: 'input', requestId: 'live_rank_1', endpoint: '/v1/ocr', created: new Date(NOW - 10 * 60_000).toISOString() }]);
    await waitUntil(() => seriesOf(chart).has('group:u_live_rank'), 'the user is listed, from a new answer', { timeout: 5_000 });
    const [, check, again] = record.to('consumption');
    expect(record.to('consumption')).to.have.length(3);
    expect(paramsOf(check!)).to.include({ bucket: 'week', groupBy: 'userId', from: answer.from, resourceType: 'ocr' });
    expect(paramsOf(again!)).to.include({ bucket: 'hour', groupBy: 'userId' });
    expect((await answerOf<ConsumptionSeries>(again!)).groups[0]).to.equal('u_live_rank');
    expect(legendItems(chart)[0]!.textContent).to.contain('u_live_rank');
  });

  it('grouped by user, a user who stays outside the 10 largest costs the small check only, and not at once after the answer', async () => {
    // 1.5 s standing for the 30 s.
    liveTiming.refreshMs = 1_500;
    await addUser('u_live_small');
    const record = recorder();
    const asked: number[] = [];
    record.intercept = (url, forward) => (url.pathname === '/api/consumption' && asked.push(performance.now()), forward());
    const { chart } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr', 'group-by': 'userId' }, record);
    await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const otherBefore = answer.points.reduce((sum, p) => sum + (p.other ?? 0), 0);
    await ingest([{ userId: 'u_live_small', amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'live_small_1', endpoint: '/v1/ocr', created: new Date(NOW - 10 * 60_000).toISOString() }]);
    const other = () => seriesOf(chart).get('other')!.data.reduce((sum, [, value]) => sum + (value ?? 0), 0);
    await waitUntil(() => other() === otherBefore + 1, 'drawn in other from the stream', { timeout: 5_000 });
    await waitUntil(() => record.to('consumption').length === 2, 'the ranking is checked', { timeout: 8_000 });
    expect(paramsOf(record.to('consumption')[1]!).bucket).to.equal('week');
    // The answer was a request: the check waited its turn (it was asked at once, and the whole series with it).
    expect(asked[1]! - asked[0]!, 'from the first request').to.be.at.least(liveTiming.refreshMs - 20);
    await aTimeout(600);
    // The 526 kB of 90 days of hours came again every 30 s.
    expect(record.to('consumption'), 'the series is not asked again').to.have.length(2);
    expect(other()).to.equal(otherBefore + 1);
  });
});

describe('<consumption-chart> live refused', () => {
  it('reports a stream the endpoint refuses (401) as usage-error, keeping its chart', async () => {
    const record = recorder();
    record.intercept = async (url, forward) =>
      url.pathname.endsWith('/events/stream')
        ? new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'The token has expired.' } }), { status: 401, headers: { 'Content-Type': 'application/json' } })
        : forward();
    const errors: UsageErrorEvent[] = [];
    const listen = (event: Event) => errors.push(event as UsageErrorEvent);
    document.addEventListener('usage-error', listen);
    try {
      const { chart } = await mount({ live: '', 'resource-type': 'ocr' }, record);
      await waitUntil(() => errors.length > 0, 'the refusal is reported', { timeout: 5_000 });
      expect(errors[0]!.target).to.equal(chart);
      expect(errors[0]!.detail).to.include({ code: 'unauthorized', status: 401 });
      expect(chart.hasAttribute('error')).to.equal(false);
      expect(seriesOf(chart).size).to.be.greaterThan(0);
    } finally {
      document.removeEventListener('usage-error', listen);
    }
  });
});

describe('<consumption-chart> live status', () => {
  const liveStatus = (chart: ConsumptionChart) => part(chart, 'live-status');

  before(async () => {
    await addUser('u_live_status');
  });

  it('shows "Live" beside "Data as of" once the stream is open, and nothing without live', async () => {
    const { chart } = await mount({ live: '', 'resource-type': 'ocr' });
    await waitUntil(() => liveStatus(chart)?.getAttribute('data-status') === 'open', 'the stream is open', { timeout: 5_000 });
    expect(liveStatus(chart)!.textContent!.trim()).to.equal('Live');
    expect(liveStatus(chart)!.closest('.heading')).to.equal(part(chart, 'as-of')!.parentElement);
    expect(part(chart, 'live-retry')).to.equal(null);
    await expect(chart).to.be.accessible();
    chart.live = false;
    await chart.updateComplete;
    expect(liveStatus(chart)).to.equal(null);
  });

  it('follows no stream and says no "Live" over a range that ended more than 24 hours before its answer', async () => {
    const record = recorder();
    const closed = { from: new Date(NOW - 4 * DAY).toISOString(), to: new Date(NOW - 2 * DAY).toISOString() };
    const { chart } = await mount({ live: '', 'resource-type': 'ocr', ...closed }, record);
    await waitUntil(() => part(chart, 'as-of') !== null, 'the answer is in');
    await aTimeout(300);
    expect(liveStatus(chart), 'no events can arrive in it: ingest takes them back to 24 hours').to.equal(null);
    expect(record.to('events/stream')).to.have.length(0);
    // Up to 24 hours ago, they still may.
    chart.setAttribute('to', new Date(NOW - DAY / 2).toISOString());
    await waitUntil(() => liveStatus(chart)?.getAttribute('data-status') === 'open', 'the stream is open', { timeout: 5_000 });
    chart.setAttribute('to', closed.to);
    await waitUntil(() => liveStatus(chart) === null, 'closed again: not live');
  });

  it('shows a refused stream with the endpoint message and Reconnect, which follows the stream again and keeps the focus', async () => {
    const record = recorder();
    const refusal = refuseRequests(record, 'events/stream', 401, 'unauthorized', 'The token has expired.');
    const { chart } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr' }, record);
    await waitUntil(() => liveStatus(chart)?.getAttribute('data-status') === 'failed', 'the stream is refused', { timeout: 5_000 });
    expect(liveStatus(chart)!.textContent!.trim()).to.equal('Live updates stopped: The token has expired.');
    const reconnect = part(chart, 'live-retry') as HTMLButtonElement;
    expect(reconnect.textContent!.trim()).to.equal('Reconnect');
    await expect(chart).to.be.accessible();

    // Refused again: the focus comes back to Reconnect.
    reconnect.focus();
    reconnect.click();
    await waitUntil(() => record.to('events/stream').length === 2, 'the stream is asked again');
    await waitUntil(() => chart.shadowRoot!.activeElement === part(chart, 'live-retry'), 'the focus is back on Reconnect');
    expect(liveStatus(chart)!.getAttribute('data-status')).to.equal('failed');

    refusal.allow();
    part(chart, 'live-retry')!.click();
    await waitUntil(() => liveStatus(chart)?.getAttribute('data-status') === 'open', 'the stream opens', { timeout: 5_000 });
    expect(liveStatus(chart)!.textContent!.trim()).to.equal('Live');
    expect(part(chart, 'live-retry')).to.equal(null);
    // Back live, the focus goes from the Reconnect button to the plot, named by the title.
    await waitUntil(() => chart.shadowRoot!.activeElement === part(chart, 'chart'), 'the plot has the focus');
    expect(record.to('events/stream')).to.have.length(3);
    const lastBucket = () => [...seriesOf(chart).values()].reduce((sum, s) => sum + (s.data.at(-1)?.[1] ?? 0), 0);
    const before = lastBucket();
    await ingest([{ userId: 'u_live_status', amount: 3, resourceType: 'ocr', ioType: 'input', requestId: 'live_status_1', endpoint: '/v1/ocr', created: new Date(NOW - 10 * 60_000).toISOString() }]);
    await waitUntil(() => lastBucket() === before + 3, 'the event arrives over the new connection', { timeout: 5_000 });
  });
});

describe('<consumption-chart> live keys and kept events', () => {
  before(async () => {
    await addUser('u_live_keys');
  });

  it('draws a user or endpoint new to the range as its own key while fewer than 10 are, as the server counts it', async () => {
    const endpoints = '/v1/ocr,/v1/ocr-live-new';
    const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr', 'group-by': 'endpoint', endpoints });
    await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
    const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    expect(answer.groups).to.deep.equal(['/v1/ocr']);
    await ingest([{ userId: 'u_live_keys', amount: 21, resourceType: 'ocr', ioType: 'input', requestId: 'live_keys_1', endpoint: '/v1/ocr-live-new', created: new Date(NOW - 10 * 60_000).toISOString() }]);
    await waitUntil(() => seriesOf(chart).has('group:/v1/ocr-live-new'), 'the new endpoint is a key', { timeout: 5_000 });
    expect(seriesOf(chart).get('group:/v1/ocr-live-new')!.data.at(-1)![1]).to.equal(21);
    expect(seriesOf(chart).get('other')?.data.every(([, v]) => v === 0) ?? true).to.equal(true);
    expect(record.to('consumption')).to.have.length(1);
  });

  it('asks again rather than drop the oldest events past what it keeps, so that its total stays whole', async () => {
    const Chart = customElements.get('consumption-chart') as unknown as { maxKeptEvents: number };
    const kept = Chart.maxKeptEvents;
    Chart.maxKeptEvents = 2;
    try {
      const { chart, record } = await mount({ live: '', bucket: 'hour', 'resource-type': 'ocr', 'user-id': 'u_live_keys' });
      await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
      const before = (await answerOf<ConsumptionSeries>(record.to('consumption')[0]!)).total;
      // The stacked groups (not the user's base budget line).
      const drawn = () =>
        [...seriesOf(chart)].filter(([key]) => key.startsWith('group:')).reduce((sum, [, s]) => sum + s.data.reduce((t, [, v]) => t + (v ?? 0), 0), 0);
      expect(drawn()).to.equal(before);
      const event = (n: number) => ({
        userId: 'u_live_keys',
        amount: n,
        resourceType: 'ocr' as const,
        ioType: 'input' as const,
        requestId: `live_kept_${n}`,
        endpoint: '/v1/ocr',
        created: new Date(NOW - 5 * 60_000).toISOString(),
      });
      await ingest([event(1), event(2)]);
      await waitUntil(() => drawn() === before + 3, 'two events applied', { timeout: 5_000 });
      expect(drawnRequests(record)).to.have.length(1);
      await ingest([event(4)]);
      await waitUntil(() => drawnRequests(record).length === 2, 'a third event past what is kept asks again', { timeout: 5_000 });
      const again = await answerOf<ConsumptionSeries>(drawnRequests(record)[1]!);
      expect(again.total).to.equal(before + 7);
      await waitUntil(() => drawn() === before + 7, 'the new answer drawn, every event in it', { timeout: 5_000 });
    } finally {
      Chart.maxKeptEvents = kept;
    }
  });
});

describe('<consumption-chart> live past the range', () => {
  before(async () => {
    await addUser('u_live_past');
  });

  /**
   * A live chart over the last 24 hours of OCR in hour buckets, whose preset resolves two
   * hours before the server's clock (the browser's clock is shifted, and keeps running: a
   * frozen Date.now would stop every timeout that reads it), once its stream is open.
   */
  async function liveBeforeServer<T>(body: (chart: ConsumptionChart, record: Recorder, answer: ConsumptionSeries) => Promise<T>): Promise<T> {
    const realNow = Date.now;
    const shift = NOW - 2 * HOUR - realNow();
    Date.now = () => realNow() + shift;
    try {
      const { chart, record } = await mount({ live: '', range: '24h', from: '', to: '', bucket: 'hour', 'resource-type': 'ocr' });
      await waitUntil(() => record.to('events/stream').length > 0, 'the stream is opened');
      const answer = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
      try {
        return await body(chart, record, answer);
      } finally {
        chart.remove();
      }
    } finally {
      Date.now = realNow;
    }
  }

  it('appends buckets past `to` for a rolling preset, holding the streamed event', async () => {
    await liveBeforeServer(async (chart, record, answer) => {
      expect(answer.to).to.equal(new Date(NOW - 2 * HOUR + 60_000).toISOString());
      const count = seriesOf(chart).get('group:input')!.data.length;
      await ingest([{ userId: 'u_live_past', amount: 9, resourceType: 'ocr', ioType: 'input', requestId: 'live_past_1', endpoint: '/v1/ocr', created: new Date(NOW - 10 * 60_000).toISOString() }]);
      await waitUntil(() => seriesOf(chart).get('group:input')!.data.length === count + 1, 'a bucket is appended', { timeout: 5_000 });
      const input = seriesOf(chart).get('group:input')!.data;
      // The bucket from 11:00 holds the event's amount alone; the range reaches the minute
      // after the event (11:51), so the bucket is partial, drawn at the middle of 11:00–11:51.
      expect(input.at(-1)).to.deep.equal([(NOW - HOUR + NOW - 9 * 60_000) / 2, 9]);
      expect(record.to('consumption')).to.have.length(1);
    });
  });

  it('keeps the buckets live events added past `to` when it asks again (a reset)', async () => {
    await liveBeforeServer(async (chart, record, answer) => {
      const count = seriesOf(chart).get('group:input')!.data.length;
      const created = NOW - 10 * 60_000;
      await ingest([{ userId: 'u_live_past', amount: 6, resourceType: 'ocr', ioType: 'input', requestId: 'live_past_reset', endpoint: '/v1/ocr', created: new Date(created).toISOString() }]);
      await waitUntil(() => seriesOf(chart).get('group:input')!.data.length === count + 1, 'a bucket is appended', { timeout: 5_000 });
      expect(record.to('consumption')).to.have.length(1);
      // What a reset from the stream does.
      void (chart as unknown as { dataTask: { run(): Promise<void> } }).dataTask.run();
      await waitUntil(() => record.to('consumption').length === 2, 'it asks again', { timeout: 5_000 });
      const again = record.to('consumption')[1]!;
      expect(paramsOf(again).from).to.equal(answer.from);
      expect(Date.parse(paramsOf(again).to as string)).to.equal(Math.floor(created / 60_000) * 60_000 + 60_000);
      await answerOf<ConsumptionSeries>(again);
      await chart.updateComplete;
      expect(seriesOf(chart).get('group:input')!.data.length).to.equal(count + 1);
    });
  });

  it("after a stream reset past a rolling preset's `to`, asks again up to the minute after now (the skipped events may lie past it)", async () => {
    const realNow = Date.now;
    const start = NOW - 2 * HOUR;
    const later = start + 5 * 60_000;
    Date.now = () => start;
    try {
      const record = recorder();
      record.intercept = async (url, forward) => {
        if (url.pathname !== '/api/events/stream') return forward();
        // Five minutes on: the resolved `to` is behind the clock when the reset comes.
        Date.now = () => later;
        const reset = `event: reset\ndata: ${JSON.stringify({ lastEventId: '999999999' })}\n\n`;
        const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode(reset)) });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      };
      const { chart } = await mount({ live: '', range: '24h', from: '', to: '', bucket: 'hour', 'resource-type': 'ocr' }, record);
      await waitUntil(() => record.to('consumption').length === 2, 'it asks again', { timeout: 5_000 });
      const [first, again] = record.to('consumption');
      expect(paramsOf(first!).to).to.equal(new Date(start + 60_000).toISOString());
      expect(paramsOf(again!).to).to.equal(new Date(later + 60_000).toISOString());
      expect(paramsOf(again!).from).to.equal(paramsOf(first!).from);
      chart.remove();
    } finally {
      Date.now = realNow;
    }
  });

  it('widens the last bucket to hold a streamed event past `to` inside it', async () => {
    await liveBeforeServer(async (chart, _record, answer) => {
      const to = Date.parse(answer.to);
      // The last bucket's span, as its tooltip names it (the table view names a bucket by its start).
      const lastSpan = async () => {
        part(chart, 'chart')!.focus();
        await sendKeys({ press: 'End' });
        await chart.updateComplete;
        return part(chart, 'tooltip')?.textContent ?? '';
      };
      const before = await lastSpan();
      // Three minutes past `to`, in the same hour bucket.
      const created = to + 3 * 60_000;
      expect(Math.floor(created / HOUR)).to.equal(Math.floor((to - 1) / HOUR));
      await ingest([{ userId: 'u_live_past', amount: 4, resourceType: 'ocr', ioType: 'input', requestId: 'live_inside_1', endpoint: '/v1/ocr', created: new Date(created).toISOString() }]);
      const end = formatDateTime(created + 60_000 - (created % 60_000), { locale: 'en-US', timeZone: 'UTC', style: 'short' });
      let after = before;
      for (const deadline = Date.now() + 5_000; after === before && Date.now() < deadline; after = await lastSpan()) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(after, 'the last bucket widens').to.not.equal(before);
      expect(after).to.contain(end.split(', ').at(-1)!);
    });
  });
});

describe('<consumption-chart> live after a reset', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('after a reset whose ids start again below those seen (a store reseeded), drops what it kept and takes the new events', async () => {
    const encoder = new TextEncoder();
    let stream!: ReadableStreamDefaultController<Uint8Array>;
    const send = (text: string) => stream.enqueue(encoder.encode(text));
    let answerLastEventId: string | null = null;
    let release!: () => void;
    const refetched = new Promise<void>((resolve) => (release = resolve));
    const record = recorder();
    record.intercept = async (url, forward) => {
      if (url.pathname === '/api/events/stream') {
        const body = new ReadableStream<Uint8Array>({ start: (controller) => void (stream = controller) });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      }
      if (url.pathname !== '/api/consumption' || answerLastEventId === null) return forward();
      // The answer of the restarted server: its events numbered again from 1, held until an
      // event of the new store has come meanwhile.
      await refetched;
      const answer = (await (await forward()).json()) as ConsumptionSeries;
      return Response.json({ ...answer, lastEventId: answerLastEventId });
    };
    const { chart } = await mount({ live: '', bucket: 'day' }, record);
    await waitUntil(() => record.to('events/stream').length > 0 && stream, 'the stream is opened');
    const first = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
    const total = () => (chart as unknown as { currentData: ConsumptionSeries }).currentData.points.reduce((sum, p) => sum + p.amount, 0);
    const base = total();
    const event = (id: string, amount: number) => ({
      id,
      created: new Date(Date.parse(first.to) - HOUR).toISOString(),
      userId: 'u_reset',
      amount,
      resourceType: 'tokens',
      poolCategory: 'allocated',
      ioType: 'input',
      requestId: `req_reset_${id}`,
      endpoint: '/v1/chat/completions',
      surplusAmount: 0,
    });
    const old = String(Number(first.lastEventId) + 1000);
    send(`event: consumption\nid: ${old}\ndata: ${JSON.stringify([event(old, 7)])}\n\n`);
    await waitUntil(() => total() === base + 7, 'the live event is drawn');
    // The server restarted with a fresh store: its stream resets to its own newest id, 5.
    answerLastEventId = '5';
    send(`event: reset\ndata: ${JSON.stringify({ lastEventId: '5' })}\n\n`);
    await waitUntil(() => record.to('consumption').length === 2, 'it asks again');
    await waitUntil(() => total() === base, 'without the event of the old store');
    // An event of the new store while the refetch is pending, then the answer.
    send(`event: consumption\nid: 6\ndata: ${JSON.stringify([event('6', 11)])}\n\n`);
    await aTimeout(100);
    release();
    await waitUntil(() => total() === base + 11, 'the new store’s event is drawn over the answer', { timeout: 3_000 });
    chart.remove();
  });
});

describe('<consumption-chart> live drawing', () => {
  before(async () => {
    await demoServer().ready;
  });

  /**
   * The page's stream, written by the test: `send(amount)` sends one tokens event of the next
   * id, an hour before the first answer's `to`; `total()`, what `chart` draws.
   */
  function writtenStream(record: Recorder) {
    const encoder = new TextEncoder();
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
    record.intercept = async (url, forward) => {
      if (url.pathname !== '/api/events/stream') return forward();
      const body = new ReadableStream<Uint8Array>({ start: (controller) => void (stream = controller) });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    };
    return async (chart: ConsumptionChart) => {
      await waitUntil(() => record.to('events/stream').length > 0 && stream, 'the stream is opened');
      const first = await answerOf<ConsumptionSeries>(record.to('consumption')[0]!);
      let id = Number(first.lastEventId);
      const send = (amount: number, created = Date.parse(first.to) - HOUR) => {
        id++;
        const event = { id: String(id), created: new Date(created).toISOString(), userId: 'u_drawn', amount, resourceType: 'tokens', poolCategory: 'allocated', ioType: 'input', requestId: `req_drawn_${id}`, endpoint: '/v1/chat/completions', surplusAmount: 0 };
        stream!.enqueue(encoder.encode(`event: consumption\nid: ${id}\ndata: ${JSON.stringify([event])}\n\n`));
      };
      const total = () => (chart as unknown as { currentData: ConsumptionSeries }).currentData.points.reduce((sum, p) => sum + p.amount, 0);
      return { send, total, first };
    };
  }

  it('moves "Data as of" to the newest event drawn', async () => {
    const record = recorder();
    const opened = writtenStream(record);
    // A range past the server's clock: an event after its answer's asOf lies inside it.
    const { chart } = await mount({ live: '', to: new Date(NOW + HOUR).toISOString(), bucket: 'hour' }, record);
    const { send, first } = await opened(chart);
    const asOf = () => part(chart, 'as-of')!.textContent!;
    expect(asOf()).to.contain(formatDateTime(first.asOf, { locale: 'en-US', timeZone: 'UTC', style: 'medium' }));
    const created = Date.parse(first.asOf) + 20_000;
    send(5, created);
    await waitUntil(() => asOf().includes(formatDateTime(created, { locale: 'en-US', timeZone: 'UTC', style: 'medium' })), 'the newest event’s time');
    chart.remove();
  });

  it('draws live events at once after a quiet spell, and those that follow within a second together', async () => {
    const record = recorder();
    const opened = writtenStream(record);
    const { chart } = await mount({ live: '', bucket: 'day' }, record);
    const { send, total } = await opened(chart);
    const base = total();
    send(7);
    await waitUntil(() => total() === base + 7, 'the first is drawn at once', { timeout: 500 });
    const drawings = countCalls(chart, 'setOption');
    send(11);
    await aTimeout(150);
    send(13);
    await aTimeout(150);
    expect(total(), 'held while the first was drawn under a second ago').to.equal(base + 7);
    await waitUntil(() => total() === base + 31, 'both drawn', { timeout: 3_000 });
    await chart.updateComplete;
    expect(drawings(), 'in one drawing').to.equal(1);
    chart.remove();
  });

  it('put back in the page, follows the stream after the newest event it kept: those the page’s connection holds are not counted twice', async () => {
    const record = recorder();
    const opened = writtenStream(record);
    // A second chart keeps the page's connection, and the events it holds, while the first is out.
    const holder = place<UsageFilters>(html`<usage-filters data-endpoint="/api" time-zone="UTC" locale="en-US" live .requestOptions=${record.requestOptions} from=${WEEK.from} to=${WEEK.to}>
      <div style="width: 720px"><consumption-chart bucket="day"></consumption-chart><consumption-chart bucket="day" group-by="poolCategory"></consumption-chart></div>
    </usage-filters>`);
    const chart = holder.querySelector('consumption-chart')!;
    await settled(chart);
    const { send, total } = await opened(chart);
    const base = total();
    send(7);
    await waitUntil(() => total() === base + 7, 'the live event is drawn');
    const box = chart.parentElement!;
    chart.remove();
    await aTimeout(20);
    box.prepend(chart);
    await chart.updateComplete;
    await aTimeout(1_200);
    expect(total(), 'counted once').to.equal(base + 7);
    holder.remove();
  });
});

describe('<consumption-chart> theme', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('draws the canvas in the theme’s colours, and again when the theme changes', async () => {
    const { chart } = await mount({ theme: 'light' });
    const colorOf = () => (instanceOf(chart).getOption() as { series: { id: string; itemStyle?: { color?: string }; color?: string }[] }).series.find((s) => s.id === 'group:input')!;
    const light = colorOf();
    expect(light.itemStyle?.color ?? light.color).to.equal(THEME_TOKENS.light['--usage-color-input']);
    chart.setAttribute('theme', 'dark');
    await waitUntil(() => {
      const dark = colorOf();
      return (dark.itemStyle?.color ?? dark.color) === THEME_TOKENS.dark['--usage-color-input'];
    }, 'the canvas takes the dark colours');
    await expect(chart).to.be.accessible();
  });
});

describe('<consumption-chart> lifecycle', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('disposes its ECharts instance and ResizeObserver on disconnect, over 100 cycles', async () => {
    const { liveChartCount } = await import('../chart/echarts.js');
    const Original = window.ResizeObserver;
    let observing = 0;
    window.ResizeObserver = class extends Original {
      #active = false;
      override observe(target: Element, options?: ResizeObserverOptions): void {
        if (!this.#active) observing++;
        this.#active = true;
        super.observe(target, options);
      }
      override disconnect(): void {
        if (this.#active) observing--;
        this.#active = false;
        super.disconnect();
      }
    };
    try {
      const baseline = liveChartCount();
      const { chart } = await mount({ bucket: 'day' });
      const parent = chart.parentElement!;
      expect(liveChartCount()).to.equal(baseline + 1);
      for (let i = 0; i < 100; i++) {
        chart.remove();
        expect(liveChartCount()).to.equal(baseline);
        parent.append(chart);
        await chart.updateComplete;
      }
      expect(liveChartCount()).to.equal(baseline + 1);
      expect(observing).to.equal(1);
      chart.remove();
      expect(liveChartCount()).to.equal(baseline);
      expect(observing).to.equal(0);
    } finally {
      window.ResizeObserver = Original;
    }
  });
});

describe('<consumption-chart> compare failure', () => {
  before(async () => {
    await demoServer().ready;
  });

  it('keeps drawing when the previous period fails, says why, and Retry brings the overlay', async () => {
    const record = recorder();
    let fail = true;
    record.intercept = (url, forward) =>
      fail && url.searchParams.get('to') === WEEK.from
        ? Promise.resolve(Response.json({ error: { code: 'bad_parameter', message: 'Too far back', param: 'from' } }, { status: 400 }))
        : forward();
    const { chart } = await mount({ compare: '' }, record);
    await waitUntil(() => part(chart, 'notes')?.querySelector('[role="alert"]'), 'the failure is shown');
    expect(part(chart, 'notes')!.textContent).to.contain('Too far back');
    expect(part(chart, 'notes')!.querySelector('[role="alert"]')!.textContent!.trim()).to.match(/^Previous period:/);
    expect(seriesOf(chart).has('group:input')).to.equal(true);
    expect(seriesOf(chart).has('previous')).to.equal(false);
    fail = false;
    const retry = part(chart, 'notes')!.querySelector<HTMLButtonElement>('[part~="retry"]')!;
    retry.focus();
    retry.click();
    await waitUntil(() => seriesOf(chart).has('previous'), 'the previous period is drawn after Retry');
    expect(part(chart, 'notes')!.querySelector('[role="alert"]')).to.equal(null);
    // Its Retry went away with the note: the focus goes to the plot, not to the unnamed piece.
    await waitUntil(() => chart.shadowRoot!.activeElement === part(chart, 'chart'), 'the plot has the focus');
  });

  it("one Retry of the chart asks again for the previous period too when both failed (its own Retry was hidden under the chart's error)", async () => {
    const record = recorder();
    let down = true;
    record.intercept = (url, forward) =>
      down && url.pathname.endsWith('/consumption')
        ? Promise.resolve(Response.json({ error: { code: 'bad_parameter', message: 'Database down', param: 'from' } }, { status: 400 }))
        : forward();
    const { chart } = await mount({ compare: '' }, record);
    await waitUntil(() => part(chart, 'error'), 'the chart shows its error', { timeout: 8_000 });
    const periods = () => record.to('consumption').map((url) => url.searchParams.get('to'));
    await waitUntil(() => periods().includes(WEEK.from), 'the previous period was asked for');
    down = false;
    const asked = record.to('consumption').length;
    (part(chart, 'retry') as HTMLButtonElement).click();
    await waitUntil(() => !chart.loading && !part(chart, 'error'), 'the chart is answered after Retry');
    await waitUntil(() => seriesOf(chart).has('group:input') && seriesOf(chart).has('previous'), 'both periods are drawn after one Retry');
    expect(periods().slice(asked).sort()).to.deep.equal([WEEK.from, WEEK.to].sort());
    expect(chart.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });
});
