import { Task, TaskStatus } from '@lit/task';
import { deepArrayEquals } from '@lit/task/deep-equals.js';
import { html, nothing, type PropertyDeclarations } from 'lit';
import { fetchConsumption, fetchUser } from '../api/client.js';
import {
  GROUP_BYS,
  IO_TYPES,
  LIMITS,
  POOL_CATEGORIES,
  SURPLUS_POOLS,
  formatInstant,
  parseInstant,
  type ConsumptionEvent,
  type ConsumptionSeries,
  type GroupBy,
  type IoType,
  type PoolCategory,
  type ResourceType,
} from '../api/contract.js';
import { renderError } from '../base/states.js';
import type { FilterView } from '../base/usage-element.js';
import { DEFAULT_FILTER_STATE, toEventFilter } from '../filters/state.js';
import { revealControls } from '../format/bidi.js';
import { bucketPhrase, changePhrase, countPhrase, formatAmount, formatDateTime, formatWhen, formatRange, ioTypeLabel, isolate, ofSpanned, poolCategoryLabel, spanPhrase } from '../format/index.js';
import { numberFormat } from '../format/intl-cache.js';
import { userHref } from '../format/user-href.js';
import type { ChartModel, ChartSeries, SeriesTotal } from '../chart/model.js';
import { seriesName } from '../chart/chart-parts.js';
import { coveredSpans, findSpikes, formatShare, formatShares, seriesStats } from '../chart/series-stats.js';
import { otherColor, seriesLook, type ChartTheme } from '../chart/theme.js';
import { ZoneClock, bucketIndex, localParts } from '../api/time-zone.js';
import { bucketEnds, bucketStarts } from '../chart/time-axis.js';
import { UNIT_HEADINGS, UsageChartElement, type ModelContext } from '../chart/usage-chart-element.js';
import { UserNames } from '../chart/user-names.js';
import { consumptionChartStyles } from './consumption-chart.styles.js';

const GROUP_LABELS: Record<GroupBy, string> = {
  ioType: 'I/O type',
  poolCategory: 'pool category',
  userId: 'user',
  endpoint: 'endpoint',
};

const HOUR = 3_600_000;
const FOUR_HOURS = 4 * HOUR;
/** A group's series key: the prefix, then the group's key (a user ID when grouped by user). */
const GROUP_KEY = 'group:';

/** The user's base budget for the chart's resource type, when exactly one user is in the filters. */
interface BaseBudget {
  readonly userId: string;
  readonly basePer4h: number;
}

/**
 * The buckets the previous period is asked in: this period's when they are minutes or hours
 * (of fixed length, they fit once moved by the span), else hours (days and weeks do not:
 * across a change of daylight saving time, or from another weekday, the previous period has
 * a bucket more, and set side by side by position its last went undrawn, and each bucket
 * faced another's day); past 20,000 hours (the most buckets an answer holds), this period's.
 */
function previousBucket(bucket: ConsumptionChart['bucket'], span: number): ConsumptionChart['bucket'] {
  const fixed = bucket === 'minute' || bucket === 'hour' || (bucket === 'auto' && span / HOUR < LIMITS.autoMaxBuckets);
  return fixed ? bucket : span / HOUR < LIMITS.maxBuckets ? 'hour' : bucket;
}

/**
 * The previous period's amount set against each bucket of this one, up to `to`: each of its
 * points, moved by the span, counted in the bucket it falls in (before the first: the first;
 * after the last: the last), so that they add up to its total.
 */
function previousValues(previous: ConsumptionSeries, starts: readonly number[], ends: readonly number[], span: number, to: number): number[] {
  const shown = Math.max(1, starts.filter((start) => start < to).length);
  const values = new Array<number>(shown).fill(0);
  const edges = [...starts.slice(0, shown), ends[shown - 1]!];
  for (const point of previous.points) {
    const t = parseInstant(point.t)! + span;
    values[t < edges[0]! ? 0 : t >= edges[shown]! ? shown - 1 : bucketIndex(edges, t)]! += point.amount;
  }
  return values;
}

/** The longest run of buckets without consumption, in ms (from its first bucket to the next with some, or the end). */
function longestQuiet(data: ConsumptionSeries): number {
  let longest = 0;
  let quietFrom: number | null = null;
  for (const point of data.points) {
    const t = parseInstant(point.t)!;
    if (point.amount > 0) {
      if (quietFrom !== null) longest = Math.max(longest, t - quietFrom);
      quietFrom = null;
    } else quietFrom ??= t;
  }
  return quietFrom === null ? longest : Math.max(longest, parseInstant(data.to)! - quietFrom);
}

/**
 * Consumption over time for the shared date range and resource type (tokens when the
 * shared state says every type), stacked by `group-by`: I/O type (default), pool
 * category, user or endpoint (the 10 largest plus "other"). Bars while each bucket has
 * room, pixel-wide stacked bars in plain colours beyond; a partial first or last bucket is hatched; spikes (buckets
 * far above the period's typical level, and with hourly buckets over 3 days or more far
 * above the usual at their hour of the day, so that a daily rhythm's busy hours are not
 * spikes) are marked and named in the tooltip. The summary
 * under the plot names the largest group (who or what spends most) with its share; each
 * legend entry shows its group's total over the range and share ("Input 1.9M tokens ·
 * 79%"), hidden or not, and "View as table" ends with a row of the totals. Grouped by
 * user, each user is named with the ID after it ("Liam Weber u_g5az0f1u"), from one
 * `GET users?id=…` for the listed users; a user without a name, or a lookup that fails,
 * keeps the ID alone.
 *
 * With exactly one user in its filters (the per-user page: `user-id="…"`), it draws that
 * user's base budget as a reference, scaled to the bucket:
 * `basePer4h × bucket length / 4 h`, the most the user can take from base per bucket at
 * an even pace; the summary counts the buckets in which the user went past it (those
 * holding an event of theirs drawn from surplus, whatever the other filters: one more
 * `GET consumption` of their surplus and hybrid events) and, with minute or hour buckets,
 * names the user's busiest 4 hours with their share of the budget.
 * `compare` overlays the previous period `[from − (to − from), from)`, dashed, with the
 * change in the total: each bucket faces the span of the previous period it stands for
 * moved by `to − from` (asked in hours when the buckets are days or weeks, which across a
 * change of daylight saving time or from another weekday do not fit), so that the line adds
 * up to the previous period's total; its tooltip names that span.
 *
 * With `live`, streamed events that match its filters are added to the bucket holding
 * their `created`, and buckets are appended past `to` for rolling presets. Grouped by user
 * or endpoint, a user or endpoint outside the 10 listed counts in "other" until it may have
 * passed one of them: then the chart checks the ranking (a small request, the range in week
 * buckets) at most every 30 s, not while the page is hidden, and asks for its whole series
 * again only when the 10 changed.
 *
 * @summary Consumption over time, stacked by I/O type, pool category, user or endpoint.
 * @csspart compare-toggle - The "Compare" button (`aria-pressed`): the previous period of the same length, overlaid.
 * @csspart notes - The lines above the plot.
 * @csspart comparison - The change in the total from the previous period (its total alone where its events start late: only partly covered).
 * @csspart request-note - With a request ID in the filters (which only the event log applies), says that the chart shows every request of its range.
 * @csspart user-link - Beside each user's legend toggle when grouped by user: a link to the user's page with `user-href`, else a button.
 * @fires {UsageUserSelectEvent} usage-user-select - A person activated a user's link beside the legend (grouped by user; cancelable; unprevented and without `user-href`, the filters narrow to that user).
 * @fires {UsageFiltersChangeEvent} usage-filters-change - A person brushed a time span (or went back) on a chart alone or in a `filter-group` without a `<usage-filters>` (else the holder dispatches it).
 * @fires {UsageErrorEvent} usage-error - A request failed or an attribute had a bad value.
 */
export class ConsumptionChart extends UsageChartElement<ConsumptionSeries> {
  static override styles = [...UsageChartElement.styles, consumptionChartStyles];

  static override properties: PropertyDeclarations = {
    groupBy: { attribute: 'group-by' },
    compare: { type: Boolean },
    userHref: { attribute: 'user-href' },
  };

  /**
   * Stack by `ioType` (default), `poolCategory`, `userId` or `endpoint` (the 10 largest plus "other").
   * @default 'ioType'
   */
  get groupBy(): GroupBy {
    return this.#groupBy;
  }
  set groupBy(value: GroupBy | null | undefined) {
    const next = this.checkedAttribute('group-by', value, GROUP_BYS, 'ioType');
    if (next === undefined) return;
    const old = this.#groupBy;
    this.#groupBy = next;
    this.requestUpdate('groupBy', old);
  }

  /** Overlay the previous period `[from − (to − from), from)`, dashed, with the change in the total. */
  compare = false;

  /**
   * Grouped by user, each user beside the legend links here: `{userId}` is replaced by the
   * encoded ID (e.g. `/admin/users/{userId}`). Without it, the user's control narrows the
   * filters to that user, unless the host cancels `usage-user-select`.
   */
  userHref?: string;

  protected readonly piece = 'consumption' as const;
  /** Under every type the chart shows tokens: an empty one says so (the event log may list storage or OCR events). */
  protected get emptySubject(): string {
    return this.filterView.state.resourceType === null ? 'token consumption matches' : 'consumption matches';
  }

  protected readonly chartTitle = 'Consumption over time';

  #groupBy: GroupBy = 'ioType';

  /** Grouped by user: a way to the user beside each user's legend toggle (not "other"). */
  protected override renderLegendExtra(series: ChartSeries): unknown {
    if (this.currentData?.groupBy !== 'userId' || !series.key.startsWith(GROUP_KEY)) return nothing;
    const userId = series.key.slice(GROUP_KEY.length);
    const who = seriesName(series);
    const select = (click: MouseEvent): void => this.selectUser(userId, this.userHref, click);
    if (this.userHref) {
      return html`<a class="user-link" part="user-link" href=${userHref(this.userHref, userId)} title="Open ${who}" aria-label="Open ${who}" @click=${select}
        >↗</a
      >`;
    }
    return html`<button type="button" class="user-link" part="user-link" title="Show only ${who}" aria-label="Show only ${who}" @click=${select}>↗</button>`;
  }

  /** Grouped by user: the users' names, shown with their IDs. */
  readonly #userNames = new UserNames(this, () => {
    const data = this.currentData;
    const { endpoint, requestOptions } = this.filterView.settings;
    return { endpoint, requestOptions, ids: data?.groupBy === 'userId' ? data.groups : null };
  });

  /** The previous period's answer, when `compare` is on. */
  readonly #compareTask = new Task(this, {
    task: async ([endpoint, view, bucket, compare], { signal }) => {
      if (!compare || !endpoint) return null;
      const from = parseInstant(view.from)!;
      const to = parseInstant(view.to)!;
      const previous = { from: formatInstant(from - (to - from)), to: view.from };
      // Only its totals are drawn (grouped by I/O type: the smallest answer), in buckets of
      // its own that fit this period's once moved by the span (`previousValues`).
      const query = { ...this.#query(view, previous, previousBucket(bucket as ConsumptionChart['bucket'], to - from)), groupBy: 'ioType' as const };
      return fetchConsumption(endpoint, query, { signal, requestOptions: view.settings.requestOptions });
    },
    args: () => [this.filterView.settings.endpoint, this.requestedView(this.requestView), this.bucket, this.compare] as const,
    argsEqual: deepArrayEquals,
    onError: (error) => this.reportError(error),
  });

  /**
   * The user's busiest 4 hours against their base budget, where buckets are minutes or hours
   * (a minute's share of the budget is too small to read on the plot, and the budget is per
   * rolling 4 hours): " Busiest 4 hours: 7,210 tokens from Dec 6, 2026, 9:00:00 AM, 144% of
   * the base budget." Nothing for longer buckets.
   */
  #busiestFourHours(totals: readonly number[], starts: readonly number[], ends: readonly number[], basePer4h: number, format: (value: number) => string, locale: string | undefined): string {
    const size = Math.round(FOUR_HOURS / Math.max(1, ends[0]! - starts[0]!));
    if (size < 4 || totals.length < size || basePer4h <= 0) return '';
    let sum = totals.slice(0, size).reduce((a, b) => a + b, 0);
    let best = sum;
    let at = 0;
    for (let i = size; i < totals.length; i++) {
      sum += totals[i]! - totals[i - size]!;
      if (sum > best) [best, at] = [sum, i - size + 1];
    }
    // From its first bucket with consumption: the window from there holds as much (it said
    // "from 8:00 AM" for a user whose first event came at 10), the last window's too, whose
    // 4 hours then reach past the range's end (the range holds no more of them).
    while (best > 0 && totals[at] === 0) at++;
    const when = isolate(formatWhen(starts[at]!, 'minute', { locale, timeZone: this.displayTimeZone }));
    return ` Busiest 4 hours: ${format(best)} from ${when}, ${formatShare(best, basePer4h, locale)} of the base budget.`;
  }

  /** The single user's base budget. */
  readonly #budgetTask = new Task(this, {
    task: async ([endpoint, requestOptions, userId, resourceType], { signal }): Promise<BaseBudget | null> => {
      if (!userId || !endpoint) return null;
      const user = await fetchUser(endpoint, userId, { signal, requestOptions });
      return { userId, basePer4h: user.limits[resourceType].basePer4h };
    },
    args: () => {
      const { state, settings } = this.filterView;
      return [settings.endpoint, settings.requestOptions, state.userIds.length === 1 ? state.userIds[0] : null, this.#resourceType] as const;
    },
    onError: (error) => this.reportError(error),
  });

  /**
   * The starts of the buckets in which the single user went past their base budget: those
   * holding an event drawn from surplus (whatever the other filters). A day's total set
   * against six 4-hour budgets cannot tell, the budget being per rolling 4 hours (a user
   * drawing surplus every day read "above it in 0 of 91 days").
   */
  #overBase: ReadonlySet<number> | null = null;

  readonly #overBaseTask = new Task(this, {
    task: async ([endpoint, requestOptions, from, to, tz, bucket, userId, resourceType], { signal }): Promise<ReadonlySet<number> | null> => {
      if (!userId || !endpoint) return null;
      const state = { ...DEFAULT_FILTER_STATE, resourceType, userIds: [userId], poolCategories: [...SURPLUS_POOLS] };
      const answer = await fetchConsumption(endpoint, { ...toEventFilter(state, from, to, { piece: 'consumption' }), tz, bucket, groupBy: 'ioType' }, { signal, requestOptions });
      return new Set(answer.points.filter((p) => p.amount > 0).map((p) => parseInstant(p.t)!));
    },
    args: () => {
      const { state, settings, from, to } = this.requestView;
      return [settings.endpoint, settings.requestOptions, from, to, this.displayTimeZone, this.bucket, state.userIds.length === 1 ? state.userIds[0] : null, this.#resourceType] as const;
    },
    argsEqual: deepArrayEquals,
    onComplete: (value) => (this.#overBase = value),
    onError: (error) => this.reportError(error),
  });

  get #resourceType(): ResourceType {
    return this.filterView.state.resourceType ?? 'tokens';
  }

  /** The request ID is the event log's: a change of it alone asks nothing again. */
  protected override requestedView(view: FilterView): FilterView {
    return { ...view, state: { ...view.state, requestId: null } };
  }

  protected override dataArgs(): readonly unknown[] {
    return [this.groupBy, this.bucket];
  }

  protected override modelArgs(): readonly unknown[] {
    return [this.#compareTask.value, this.#budgetTask.value, this.#overBase, this.#userNames.names];
  }

  #query(view: FilterView, range: { from: string; to: string }, bucket: unknown) {
    return {
      ...toEventFilter(view.state, range.from, range.to, { piece: 'consumption' }),
      tz: this.displayTimeZone,
      bucket: bucket as typeof this.bucket,
      groupBy: this.groupBy,
    };
  }

  protected fetchData(endpoint: string, view: FilterView, extra: readonly unknown[], signal: AbortSignal): Promise<ConsumptionSeries> {
    return fetchConsumption(endpoint, this.#query(view, view, extra[1]), { signal, requestOptions: view.settings.requestOptions });
  }

  protected isEmpty(data: ConsumptionSeries): boolean {
    return data.total === 0;
  }

  protected override applyLiveEvents(data: ConsumptionSeries, events: readonly ConsumptionEvent[]): ConsumptionSeries {
    if (events.length === 0) return data;
    const clock = new ZoneClock(data.tz);
    const points = data.points.map((p) => ({ ...p, byGroup: { ...p.byGroup } }));
    // Bucket edges: every start, then the end of the last bucket.
    const edges = bucketStarts(points);
    if (edges.length === 0) return data;
    edges.push(clock.nextUnitStart(edges.at(-1)!, data.bucket));
    const groups = [...data.groups];
    const capped = data.groupBy === 'userId' || data.groupBy === 'endpoint';
    let total = data.total;
    let newest = Number.NEGATIVE_INFINITY;
    for (const event of events) {
      const created = parseInstant(event.created)!;
      if (created < edges[0]!) continue;
      newest = Math.max(newest, created);
      // Buckets past `to` (a rolling preset stays open at its end).
      while (created >= edges.at(-1)!) {
        points.push({ t: formatInstant(edges.at(-1)!), amount: 0, byGroup: Object.fromEntries(groups.map((g) => [g, 0])), ...(capped ? { other: 0 } : {}) });
        edges.push(clock.nextUnitStart(edges.at(-1)!, data.bucket));
      }
      const point = points[bucketIndex(edges, created)]!;
      const key = event[data.groupBy];
      // A user or endpoint new to the range is a key while fewer than 10 are (the answer then
      // listed every key), else part of `other` until the ranking is asked again
      // (`liveEventsArrived`).
      // Own keys only, each made as a key (a computed one, never a prototype): an endpoint named
      // "toString" was taken for a key already there (`in`), its amount added to a function's
      // text, and "__proto__" set a prototype.
      if (!Object.hasOwn(point.byGroup, key) && (!capped || groups.length < LIMITS.topGroups)) {
        groups.push(key);
        for (const p of points) p.byGroup = { [key]: 0, ...p.byGroup };
      }
      // The single user's event drawn from surplus: its bucket is one over the base budget.
      if (event.surplusAmount > 0 && this.#overBase) this.#overBase = new Set(this.#overBase).add(parseInstant(point.t)!);
      if (Object.hasOwn(point.byGroup, key)) point.byGroup[key] = point.byGroup[key]! + event.amount;
      else point.other = (point.other ?? 0) + event.amount;
      point.amount += event.amount;
      total += event.amount;
    }
    // The range reaches the minute after the newest event (as a rolling preset's `to` is the
    // minute after now), within the last bucket: a bucket the events filled past `to` ends there.
    const to = Math.max(parseInstant(data.to)!, Math.min(edges.at(-1)!, Math.floor(newest / 60_000) * 60_000 + 60_000));
    // "Data as of" moves with the events drawn (it stood at the answer's for as long as the page was open).
    const asOf = formatInstant(Math.max(parseInstant(data.asOf)!, newest));
    return { ...data, points, groups, total, to: formatInstant(to), asOf };
  }

  /**
   * Grouped by user or endpoint, the keys are the answer's 10 largest: a key outside them
   * whose live amount may carry it past the smallest listed one (its amount before was at
   * most the tenth's) has the ranking checked, at most every `LIVE_REFRESH_MS`.
   */
  protected override liveEventsArrived(): void {
    const answer = this.answer;
    if (!answer || (answer.groupBy !== 'userId' && answer.groupBy !== 'endpoint') || answer.groups.length < LIMITS.topGroups) return;
    const totals = new Map(answer.groups.map((key) => [key, answer.points.reduce((sum, p) => sum + p.byGroup[key]!, 0)]));
    const tenth = Math.min(...totals.values());
    const outside = new Map<string, number>();
    for (const event of this.liveEvents) {
      const key = event[answer.groupBy];
      const listed = totals.get(key);
      if (listed === undefined) outside.set(key, (outside.get(key) ?? 0) + event.amount);
      else totals.set(key, listed + event.amount);
    }
    const lowest = Math.min(...totals.values());
    if ([...outside.values()].some((amount) => tenth + amount > lowest)) this.refreshSoon(() => this.#checkRanking());
  }

  #rankingAbort?: AbortController;

  /**
   * Asks for the ranking alone, the range in week buckets (a handful of points where the
   * chart's 90 days of hours are 2,160 of 11 series), and the whole series again only when
   * the 10 keys changed: the bound above holds for any outside key once the tenth has no
   * live amount, and a busy organization asked for its 526 kB every 30 s.
   */
  async #checkRanking(): Promise<void> {
    const answer = this.answer;
    const drawn = this.currentData;
    const view = this.requestedView(this.requestView);
    const endpoint = view.settings.endpoint;
    if (!answer || !drawn || !endpoint) return;
    this.#rankingAbort?.abort();
    const abort = (this.#rankingAbort = new AbortController());
    try {
      const ranking = await fetchConsumption(endpoint, this.#query(view, { from: answer.from, to: drawn.to }, 'week'), { signal: abort.signal, requestOptions: view.settings.requestOptions });
      const listed = new Set(answer.groups);
      if (this.answer === answer && (ranking.groups.length !== listed.size || ranking.groups.some((key) => !listed.has(key)))) void this.dataTask.run();
    } catch (error) {
      if (!abort.signal.aborted) this.reportError(error);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#rankingAbort?.abort();
  }

  protected buildModel(data: ConsumptionSeries, context: ModelContext): ChartModel {
    const { theme, locale, clock } = context;
    const type = data.resourceType;
    // Isolated in a right-to-left locale: the summary's sentences are English.
    const format = (value: number) => isolate(formatAmount(value, type, { locale }));
    // A stacked series' total over the range (with the live events) and its share of the
    // chart's, the shares rounded together; the previous period's is its own, never part of this period's.
    const total = (amount: number, share?: string): SeriesTotal => ({
      amount,
      compact: formatAmount(amount, type, { locale, compact: true }),
      ...(share ? { share } : {}),
    });
    const sum = (values: number[]) => values.reduce((all, v) => all + v, 0);
    const stacks = data.groups.map((key) => data.points.map((p) => p.byGroup[key] ?? 0));
    if (data.points.some((p) => (p.other ?? 0) > 0)) stacks.push(data.points.map((p) => p.other ?? 0));
    const shares = formatShares(stacks.map(sum), data.total, locale);
    const stacked = (i: number) => ({ kind: 'bar', stack: 'total', values: stacks[i]!, total: total(sum(stacks[i]!), shares[i]), format }) as const;
    const starts = bucketStarts(data.points);
    const from = parseInstant(data.from)!;
    const to = parseInstant(data.to)!;
    const ends = bucketEnds(starts, data.bucket, clock, to);
    const totals = data.points.map((p) => p.amount);
    const names = data.groupBy === 'userId' ? this.#userNames.names : undefined;
    const slots = this.#slotsOf(data.groupBy, data.groups);
    const series: ChartSeries[] = data.groups.map((key, i) => ({
      key: `${GROUP_KEY}${key}`,
      ...(names?.has(key) ? { label: names.get(key)!, detail: revealControls(key) } : { label: this.#groupLabel(data.groupBy, key) }),
      ...stacked(i),
      ...this.#look(theme, data.groupBy, key, slots[i]!),
    }));
    if (stacks.length > data.groups.length) {
      // The rest past the 10 largest recedes (a lighter fill), so that the named keys read first.
      series.push({ key: 'other', label: 'other', ...stacked(data.groups.length), color: otherColor(theme), muted: true });
    }
    const previous = this.#compareTask.value;
    let comparison = '';
    const span = to - from;
    if (previous) {
      const shifted = previousValues(previous, starts, ends, span, to);
      series.push({
        key: 'previous',
        label: 'Previous period',
        // The span of the previous period this bucket is set against, written as the
        // tooltip's title writes the bucket ("Nov 26, 2026, 5:00 – 6:00 AM").
        labelAt: (i) =>
          i < shifted.length
            ? `Previous period (${formatRange(Math.max(starts[i]!, from) - span, Math.min(ends[i]!, to) - span, { locale, timeZone: context.timeZone })})`
            : 'Previous period',
        kind: 'line',
        lineType: 'dashed',
        values: starts.map((_, i) => (i < shifted.length ? shifted[i]! : null)),
        total: total(previous.total),
        color: theme.text,
        format,
      });
      comparison = ` Previous period: ${format(previous.total)}${previous.total > 0 ? ` (${this.#percent((data.total - previous.total) / previous.total)})` : ''}.`;
    }
    const spans = coveredSpans(starts, ends, from);
    const budget = this.#budgetTask.value;
    let budgetText = '';
    if (budget) {
      // Its share of each bucket's time in the range (a partial first bucket from 2:12 holds 48 minutes' worth).
      const values = spans.map((span) => Math.round((budget.basePer4h * span) / FOUR_HOURS));
      series.push({
        key: 'budget',
        label: 'Base budget pace',
        kind: 'line',
        lineType: 'dotted',
        step: true,
        values,
        color: theme.danger,
        format,
      });
      // Not while the next user's or range's are asked for.
      const overBase = this.#overBaseTask.status === TaskStatus.COMPLETE && this.#overBase;
      const over = overBase ? `; past it (drawing from surplus) ${ofSpanned(starts.filter((start) => overBase.has(start)).length, totals.length, data.bucket, locale)}` : '';
      // The contract gives the limits in force now, not those of each bucket's time: said.
      // A bar above the pace line read as over budget (6 such hours beside "0 of 169 hours").
      budgetText = ` Base budget ${format(budget.basePer4h)} per 4 hours (the user's limit now), drawn as its share of each bucket (a bar above the line is a fast bucket, not the limit passed: it counts over rolling 4 hours)${over}.${this.#busiestFourHours(totals, starts, ends, budget.basePer4h, format, locale)}`;
    }
    // Hours over 3 days or more: a spike is also far above the usual at its hour of the day.
    const phases = data.bucket === 'hour' && starts.length >= 72 ? starts.map((t) => localParts(t, context.timeZone).hour) : undefined;
    const spikeIndices = findSpikes(totals, phases);
    const typical = this.#typical(totals);
    const spikes = new Map(spikeIndices.map((i) => [i, `Spike: ${typical > 0 ? `${numberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(totals[i]! / typical)}× ` : ''}the period's typical level`]));
    const stats = seriesStats(totals, spans);
    const when = stats.peakIndex >= 0 ? bucketPhrase(starts[stats.peakIndex]!, data.bucket, { locale, timeZone: context.timeZone }) : '';
    const trend = stats.trend === null ? '' : ` Trend: ${Math.abs(stats.trend) < 0.05 ? 'steady' : stats.trend > 0 ? 'rising' : 'falling'} (${this.#percent(stats.trend)} second half over first half).`;
    // Who or what spends most: the first group (the answer lists them by total, descending).
    const top = series[0]?.total;
    // The name in <bdi>: a user ID's or endpoint's own direction marks cannot reorder the figures after it.
    const largest =
      top?.share && top.amount > 0
        ? html`${` Largest ${GROUP_LABELS[data.groupBy]}: `}<bdi>${seriesName(series[0]!)}</bdi>${`, ${format(top.amount)} (${top.share} of the total).`}`
        : '';
    const summary = html`${`Total ${format(data.total)} by ${GROUP_LABELS[data.groupBy]} over ${spanPhrase(to - from, data.bucket, locale)}.`}${largest}${
      (stats.peak > 0 ? ` Peak ${format(stats.peak)} ${when}.` : '') +
      trend +
      (spikes.size ? ` ${countPhrase(spikes.size, 'spike', locale)} marked.` : '') +
      comparison +
      budgetText
    }`;
    return {
      starts,
      ends,
      series,
      bucket: data.bucket,
      from,
      partialLast: starts.length > 0 && to < clock.nextUnitStart(starts.at(-1)!, data.bucket),
      spikes,
      formatAxis: (value) => formatAmount(value, type, { locale, compact: true, unitDisplay: 'none' }),
      // The axis' figures carry no unit, and "Auto" buckets say not which: "600K" of what, per what.
      axisTitle: `${UNIT_HEADINGS[type]} per ${data.bucket}`,
      summary,
    };
  }

  /** Each user's or endpoint's colour slot (grouped so), by `groupBy` and key. */
  #slots = new Map<string, number>();

  /**
   * The colour slot of each of `groups`: the slot a key had before while no key ranked
   * higher now took it, else the first slot free. A zoom or another range ranks the users
   * anew, and each keeps their colour (by rank, the one drawn orange took another's blue);
   * the first answer's are by rank.
   */
  #slotsOf(groupBy: GroupBy, groups: readonly string[]): number[] {
    const taken = new Set<number>();
    const slots = groups.map((key) => {
      const slot = this.#slots.get(groupBy + key);
      return slot === undefined || taken.has(slot) ? -1 : (taken.add(slot), slot);
    });
    let free = 0;
    return slots.map((slot, i) => {
      if (slot < 0) {
        while (taken.has(free)) free++;
        taken.add((slot = free));
        this.#slots.set(groupBy + groups[i], slot);
      }
      return slot;
    });
  }

  /**
   * A group's colour and pattern: I/O types and pool categories keep theirs whatever their
   * order by total (their own colour token, the pattern of their place in the contract's
   * list); users and endpoints take them by their slot (`#slotsOf`).
   */
  #look(theme: ChartTheme, groupBy: GroupBy, key: string, index: number): ReturnType<typeof seriesLook> {
    const fixed: readonly string[] | undefined = groupBy === 'ioType' ? IO_TYPES : groupBy === 'poolCategory' ? POOL_CATEGORIES : undefined;
    return fixed ? seriesLook(theme, key, Math.max(0, fixed.indexOf(key))) : seriesLook(theme, '', index);
  }

  #typical(values: readonly number[]): number {
    const busy = values.filter((v) => v > 0).sort((a, b) => a - b);
    return busy.length ? busy[busy.length >> 1]! : 0;
  }

  #percent(fraction: number): string {
    return isolate(changePhrase(fraction, this.filterView.settings.locale));
  }

  #groupLabel(groupBy: GroupBy, key: string): string {
    if (groupBy === 'ioType') return ioTypeLabel(key as IoType);
    if (groupBy === 'poolCategory') return poolCategoryLabel(key as PoolCategory);
    return key === '' ? '(empty)' : revealControls(key);
  }

  protected override renderActions(): unknown {
    return html`<button
      type="button"
      class="toggle"
      part="compare-toggle"
      aria-pressed=${this.compare ? 'true' : 'false'}
      title="Compare with the previous period of the same length"
      @click=${this.#handleCompare}
    >
      Compare
    </button>`;
  }

  protected override sideTasks() {
    return [this.#compareTask, this.#budgetTask, this.#overBaseTask];
  }

  protected override renderNotes(data: ConsumptionSeries): unknown {
    const previous = this.#compareTask.value;
    // The previous period or the user's budget could not be had: the chart stands, the overlay says why.
    const failed = [this.#compareTask, this.#budgetTask, this.#overBaseTask].filter((task) => task.status === TaskStatus.ERROR);
    // A request ID is looked up in the table only (across all dates); the chart keeps its range.
    const requestId = this.filterView.state.requestId;
    if (!previous && failed.length === 0 && requestId === null) return nothing;
    const change = previous && previous.total > 0 ? this.#percent((data.total - previous.total) / previous.total) : 'new';
    // A previous period whose events start late in it (before the organization's history
    // began, say) makes a large change of a small base: say where its events start. Not
    // for a quiet stretch such as a night: only a lead-in longer than a tenth of the period
    // and twice any quiet stretch of this one.
    const start = previous?.points.find((p) => p.amount > 0)?.t;
    const lead = previous && start ? parseInstant(start)! - parseInstant(previous.from)! : 0;
    // (The quiet stretches are looked for only then: the notes render with every hover.)
    const partial = previous && lead > (parseInstant(previous.to)! - parseInstant(previous.from)!) / 10 && lead > 2 * longestQuiet(data);
    const before = previous && isolate(formatAmount(previous.total, data.resourceType, { locale: this.filterView.settings.locale }));
    return html`<div class="notes" part="notes" id="notes">
      ${failed.map((task) => renderError(task.error as Error, () => void task.run(), task === this.#compareTask ? 'Previous period' : task === this.#budgetTask ? 'Base budget' : 'Buckets over the base budget', { ...this.display, landing: () => (task.status === TaskStatus.PENDING ? null : this.landing()) }))}
      ${previous
        ? html`<p part="comparison">
            ${partial
              ? // A change from a period with little in it is a large number that means nothing (+616,854% at 90 days).
                `Previous period: ${before}, its events starting on ${isolate(formatDateTime(start!, this.display))}: it is only partly covered, so no change is given.`
              : `Change from the previous period: ${change} (${before} before).`}
          </p>`
        : nothing}
      ${requestId === null ? nothing : html`<p part="request-note">Request${' '}<bdi>${requestId}</bdi>${' '}is looked up in the event log; this chart shows every request of the range.</p>`}
    </div>`;
  }

  #handleCompare = (): void => {
    this.compare = !this.compare;
  };
}
