import { Task, TaskStatus } from '@lit/task';
import { deepArrayEquals } from '@lit/task/deep-equals.js';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { fetchConsumption, fetchSurplus } from '../api/client.js';
import { SURPLUS_POOLS, formatInstant, parseInstant, type ConsumptionEvent, type ConsumptionSeries, type PoolCategory, type SurplusSeries } from '../api/contract.js';
import { holdFocusUntil, renderError } from '../base/states.js';
import type { FilterView } from '../base/usage-element.js';
import { DEFAULT_FILTER_STATE, toEventFilter, type UsageFilterState } from '../filters/state.js';
import { revealControls } from '../format/bidi.js';
import { bucketPhrase, countPhrase, formatAmount, formatDateTime, isolate, ofSpanned, spanPhrase } from '../format/index.js';
import { numberFormat } from '../format/intl-cache.js';
import { userHref } from '../format/user-href.js';
import { UserNames } from '../chart/user-names.js';
import type { ChartModel, ChartSeries } from '../chart/model.js';
import { coveredSpans, seriesStats } from '../chart/series-stats.js';
import { bucketEnds, bucketStarts } from '../chart/time-axis.js';
import { UsageChartElement, type ModelContext } from '../chart/usage-chart-element.js';
import { surplusChartStyles } from './surplus-chart.styles.js';

const DAY = 86_400_000;
/** How far the forecast looks ahead: `exhaustedAt` lies within it or is null (the contract). */
const FORECAST_DAYS = 30;
/** Whether pool categories are exactly those "Who is drawing surplus" narrows to. */
const isSurplusPools = (pools: readonly PoolCategory[]): boolean => pools.length === 2 && SURPLUS_POOLS.every((p) => pools.includes(p));

/** The filters the surplus chart does not honour (the pool is the organization's). */
function hasPieceFilters(state: UsageFilterState): boolean {
  return (
    state.userIds.length > 0 ||
    state.poolCategories.length > 0 ||
    state.ioTypes.length > 0 ||
    state.endpoints.length > 0 ||
    state.amountMin !== null ||
    state.amountMax !== null ||
    state.requestId !== null
  );
}

/** One user's share of the surplus drawn. */
interface Drawer {
  readonly userId: string;
  readonly amount: number;
  /** In how many of the answer's days (or weeks) the user had such events: went past their base budget. */
  readonly buckets: number;
}

/**
 * The organization's surplus pool over time for the shared date range and resource type,
 * in two titled panels on one time axis. Above, the levels: the surplus available at each
 * bucket's end (line) and its lowest point in the bucket (dotted; over days or weeks, where
 * the pool refills within a bucket, the lowest point is the solid line), the pool's capacity
 * (reference line) and the forecast: "if the daily lows keep falling at this pace, the pool runs dry around …",
 * drawn as a dashed continuation of the trend of the pool's daily lows. Below, what each
 * bucket drew: the surplus drawn (bars; an area where bars would be under 3 px wide) and
 * how many users went past their base budget (a step line on the right-hand axis, kept to
 * the lower half of the panel). Where the plot is under 160 px tall (a small
 * `--usage-chart-height`), or the legend hides one panel's series, it is one panel. Only
 * the range and the resource type apply: with other filters active it says
 * "organization-wide".
 *
 * "Who is drawing surplus" narrows the shared pool categories to surplus and hybrid and
 * lists the users drawing the most, from `consumption?groupBy=userId`, each by name with
 * the ID after it (from `GET users?id=…`; the ID alone without a name); each fires
 * `usage-user-select` (and is a link with `user-href`), like the table's. Pressed again, it
 * closes the list and gives the pool categories back as they were (unless they were
 * changed meanwhile).
 *
 * With `live`, matching events make it fetch again from the start of its current bucket
 * (from an earlier bucket's, for an event ingested back-dated into it), at most every 30 s
 * from its last request; a hidden page waits, and fetches once when it shows again.
 *
 * @summary The organization's surplus pool over time, with its forecast.
 * @csspart notes - The lines above the plot (forecast, dry spells, organization-wide).
 * @csspart projection - The forecast sentence.
 * @csspart over-base - In how many buckets users went past their base budget, and at most how many in one bucket ("at most 30 users in one hour").
 * @csspart exhaustions - How often the pool ran dry in the range.
 * @csspart org-note - "organization-wide" when other filters are active.
 * @csspart who-button - The "Who is drawing surplus" button.
 * @csspart drawers - The panel of users drawing surplus: the ten drawing most, each with the consumption of their surplus and hybrid events and in how many of the range's days (hours, over two days at most) they went past their base budget.
 * @csspart drawers-note - The line under the panel's title saying what its amounts are.
 * @csspart drawers-status - The panel's status line (`role="status"`): "Loading…", then how many users it lists, or that nobody drew surplus.
 * @csspart user-link - A user ID in that panel (a link with `user-href`, else a button).
 * @fires {UsageUserSelectEvent} usage-user-select - A person activated a user ID in the panel (cancelable; unprevented and without `user-href`, the filters narrow to that user).
 * @fires {UsageFiltersChangeEvent} usage-filters-change - A person brushed a span or asked who is drawing surplus, on a chart alone or in a `filter-group` without a `<usage-filters>` (else the holder dispatches it).
 * @fires {UsageErrorEvent} usage-error - A request failed or an attribute had a bad value.
 */
export class SurplusChart extends UsageChartElement<SurplusSeries> {
  static override styles = [...UsageChartElement.styles, surplusChartStyles];

  static override properties: PropertyDeclarations = {
    userHref: { attribute: 'user-href' },
    drawersOpen: { state: true, attribute: false },
    tail: { state: true, attribute: false },
  };

  /** Link user IDs to this URL, `{userId}` replaced by the encoded ID (e.g. `/admin/users/{userId}`). */
  userHref?: string;

  /** The "who is drawing surplus" panel is open. */
  private drawersOpen = false;
  /** The latest fetch of the current bucket, over the answer it continues. */
  private tail?: { answer: SurplusSeries; tail: SurplusSeries };

  protected readonly piece = 'surplus' as const;
  protected readonly chartTitle = 'Surplus pool';
  protected readonly emptySubject = 'surplus data matches';

  #refreshAbort?: AbortController;

  /** The names of the users "Who is drawing surplus" lists. */
  readonly #userNames = new UserNames(this, () => {
    const { endpoint, requestOptions } = this.filterView.settings;
    return { endpoint, requestOptions, ids: this.drawersOpen ? this.#drawersTask.value?.drawers.map((d) => d.userId) : null };
  });

  readonly #drawersTask = new Task(this, {
    task: async ([open, endpoint, view], { signal }): Promise<{ drawers: Drawer[]; other: number; total: number; bucket: string; buckets: number } | null> => {
      if (!open || !endpoint) return null;
      const span = parseInstant(view.to)! - parseInstant(view.from)!;
      const answer: ConsumptionSeries = await fetchConsumption(
        endpoint,
        {
          ...toEventFilter(view.state, view.from, view.to, { piece: 'consumption' }),
          poolCategories: [...SURPLUS_POOLS],
          tz: this.displayTimeZone,
          // How often each went past their base budget: in how many hours of a day or two ("on 1 of
          // 1 day" tells nothing), else days, as the chart's own notes over 90 days count them.
          bucket: span > 2 * DAY ? 'day' : 'hour',
          groupBy: 'userId',
        },
        { signal, requestOptions: view.settings.requestOptions },
      );
      const drawers = answer.groups.map((userId) => ({
        userId,
        amount: answer.points.reduce((sum, p) => sum + (p.byGroup[userId] ?? 0), 0),
        buckets: answer.points.filter((p) => (p.byGroup[userId] ?? 0) > 0).length,
      }));
      const other = answer.points.reduce((sum, p) => sum + (p.other ?? 0), 0);
      return { drawers, other, total: answer.total, bucket: answer.bucket, buckets: answer.points.length };
    },
    args: () => [this.drawersOpen, this.filterView.settings.endpoint, this.requestView] as const,
    argsEqual: deepArrayEquals,
    onError: (error) => this.reportError(error),
  });

  protected override readonly reservesNotes = true;

  protected override sideTasks() {
    return [this.#drawersTask];
  }

  protected fetchData(endpoint: string, view: FilterView, extra: readonly unknown[], signal: AbortSignal): Promise<SurplusSeries> {
    return fetchSurplus(endpoint, this.#query(view, view.from, view.to, extra[0] as string), { signal, requestOptions: view.settings.requestOptions });
  }

  protected override dataArgs(): readonly unknown[] {
    return [this.bucket];
  }

  /** The pool is the organization's: a change of users, pools, I/O types, endpoints, amounts or request ID asks nothing again. */
  protected override requestedView(view: FilterView): FilterView {
    return { ...view, state: { ...DEFAULT_FILTER_STATE, range: view.state.range, resourceType: view.state.resourceType } };
  }

  protected override liveArgs(): readonly unknown[] {
    return [this.tail];
  }

  #query(view: FilterView, from: string, to: string, bucket: string) {
    return { from, to, resourceType: view.state.resourceType ?? 'tokens', bucket: bucket as typeof this.bucket, tz: this.displayTimeZone };
  }

  protected isEmpty(data: SurplusSeries): boolean {
    return data.points.length === 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#refreshAbort?.abort();
  }

  /** The series is asked again, not summed from events: none kept (they took 20 MB in 11 minutes of busy traffic). */
  static override maxKeptEvents = 0;

  /**
   * The earliest `created` among the matching live events not yet asked again: ingest takes
   * events up to 24 hours back, and such an event changes an earlier bucket (and the pool's
   * level for the 4 hours after it) than the current one.
   */
  #earliest = Number.POSITIVE_INFINITY;

  protected override liveEventsArrived(events: readonly ConsumptionEvent[]): void {
    for (const event of events) this.#earliest = Math.min(this.#earliest, parseInstant(event.created)!);
    this.refreshSoon(() => this.#refreshCurrentBucket());
  }

  /**
   * Fetches from the answer's last bucket on (every bucket a rolling range has gained since),
   * or from the bucket of a back-dated event before it, and lays it over the answer. From the
   * last bucket drawn, each tail replaced the one before: the buckets between them fell out
   * (a gap of minutes after a while).
   */
  async #refreshCurrentBucket(): Promise<void> {
    const answer = this.answer;
    const view = this.filterView;
    const endpoint = view.settings.endpoint;
    if (!answer || answer.points.length === 0 || !endpoint) return;
    const earliest = this.#earliest;
    // The bucket holding the earliest event, when it is one of the answer's before its last.
    const start = answer.points.findLast((p) => parseInstant(p.t)! <= earliest)?.t ?? answer.points.at(-1)!.t;
    const now = Math.floor(Date.now() / 60_000) * 60_000 + 60_000;
    const to = view.openEnded ? formatInstant(Math.max(parseInstant(view.to)!, now)) : view.to;
    this.#refreshAbort?.abort();
    const abort = (this.#refreshAbort = new AbortController());
    try {
      const tail = await fetchSurplus(endpoint, this.#query(view, start, to, answer.bucket), { signal: abort.signal, requestOptions: view.settings.requestOptions });
      if (this.#earliest >= earliest) this.#earliest = Number.POSITIVE_INFINITY;
      if (this.answer === answer) this.tail = { answer, tail };
    } catch (error) {
      this.reportError(error);
    }
  }

  protected override applyLiveEvents(data: SurplusSeries): SurplusSeries {
    const tail = this.tail;
    if (!tail || tail.answer !== data || tail.tail.points.length === 0) return data;
    const start = tail.tail.points[0]!.t;
    const kept = data.points.filter((p) => p.t < start);
    // A dry spell already counted in a replaced bucket is counted again by the tail.
    const counted = data.points.filter((p) => p.t >= start && p.availableMin <= 0).length;
    return {
      ...data,
      to: tail.tail.to > data.to ? tail.tail.to : data.to,
      points: [...kept, ...tail.tail.points],
      projection: { ...tail.tail.projection, exhaustions: data.projection.exhaustions + Math.max(0, tail.tail.projection.exhaustions - counted) },
      asOf: tail.tail.asOf,
      lastEventId: tail.tail.lastEventId,
    };
  }

  protected buildModel(data: SurplusSeries, context: ModelContext): ChartModel {
    const { theme, locale, clock } = context;
    const type = data.resourceType;
    // Isolated in a right-to-left locale: the summary's sentences are English.
    const format = (value: number) => isolate(formatAmount(value, type, { locale }));
    const count = (value: number) => countPhrase(value, 'user', locale);
    const starts = bucketStarts(data.points);
    const from = parseInstant(data.from)!;
    const to = parseInstant(data.to)!;
    const asOf = parseInstant(data.asOf)!;
    const ends = bucketEnds(starts, data.bucket, clock, to);
    const coarse = data.bucket === 'day' || data.bucket === 'week';
    const drawn = seriesStats(data.points.map((p) => p.drawn), coveredSpans(starts, ends, from));
    const series: ChartSeries[] = [
      // With its total over the range: in its legend toggle and the data table's Total row.
      {
        key: 'drawn',
        label: 'Surplus drawn',
        kind: 'bar',
        lower: true,
        values: data.points.map((p) => p.drawn),
        total: { amount: drawn.total, compact: formatAmount(drawn.total, type, { locale, compact: true }) },
        color: theme.named.surplus!,
        format,
      },
      // Over days or weeks the pool refills within a bucket, so its end shows it nearly full
      // whatever happened: the lowest point is then the solid line, the end dotted.
      { key: 'available', label: 'Available (bucket end)', kind: 'line', lineType: coarse ? 'dotted' : 'solid', values: data.points.map((p) => p.available), color: theme.accent, format },
      { key: 'availableMin', label: 'Lowest available', kind: 'line', lineType: coarse ? 'solid' : 'dotted', values: data.points.map((p) => p.availableMin), color: theme.series[2]!, format },
      { key: 'capacity', label: 'Capacity (rolling 4 h)', kind: 'line', step: true, values: data.points.map((p) => p.capacity), color: theme.muted, format },
      {
        key: 'usersOverBase',
        label: 'Users over base',
        kind: 'line',
        // A count per bucket: steps, thin, on the right-hand axis of the lower panel, beside
        // the surplus drawn (the levels above, which the bars covered where the pool ran low).
        step: true,
        secondaryAxis: true,
        lower: true,
        values: data.points.map((p) => p.usersOverBase),
        color: theme.series[4]!,
        format: count,
      },
    ];
    const projection = this.#projectionLine(data, starts, ends, asOf);
    if (projection) {
      series.push({
        key: 'projection',
        label: 'Projected low (trend)',
        kind: 'line',
        lineType: 'dashed',
        values: [],
        points: projection.points,
        color: data.projection.exhaustedAt ? theme.danger : theme.muted,
        format,
      });
    }
    const lowest = data.points.reduce((min, p, i) => (min < 0 || p.availableMin < data.points[min]!.availableMin ? i : min), -1);
    const when = (ms: number) => bucketPhrase(ms, data.bucket, { locale, timeZone: context.timeZone });
    const summary =
      `Surplus drawn ${format(drawn.total)} over ${spanPhrase(to - from, data.bucket, locale)}` +
      (drawn.peak > 0 ? `, most ${when(starts[drawn.peakIndex]!)} (${format(drawn.peak)}).` : '.') +
      // Of the capacity in force then (an admin's change of it moves the reference line).
      (lowest >= 0 ? ` Lowest available ${format(data.points[lowest]!.availableMin)} of ${format(data.points[lowest]!.capacity)}, ${when(starts[lowest]!)}.` : '') +
      // The forecast and the users over base are in the notes above, read first as the plot's description.
      (drawn.trend === null ? '' : ` Drawing is ${Math.abs(drawn.trend) < 0.05 ? 'steady' : drawn.trend > 0 ? 'rising' : 'falling'}.`);
    return {
      starts,
      ends,
      series,
      axisEnd: projection?.end,
      bucket: data.bucket,
      from,
      partialLast: starts.length > 0 && to < clock.nextUnitStart(starts.at(-1)!, data.bucket),
      spikes: new Map(),
      formatAxis: (value) => formatAmount(value, type, { locale, compact: true, unitDisplay: 'none' }),
      formatSecondaryAxis: (value) => numberFormat(locale).format(value),
      secondaryAxisTitle: 'Users',
      panelTitles: ['Surplus available', `Drawn per ${data.bucket}, and users over base`],
      summary,
    };
  }

  /**
   * The forecast as a dashed line continuing the lows: from the last bucket's lowest
   * available at `asOf` (the trend's value then, when that low is 0) down to zero at
   * `exhaustedAt`, or, when the pool does not run dry within 30 days, along the fitted slope
   * of the daily lows; to a little past the range, and at most 30 days past `asOf`.
   * Drawn only when the range reaches the present, where the forecast continues it.
   */
  #projectionLine(data: SurplusSeries, starts: readonly number[], ends: readonly number[], asOf: number): { points: [number, number][]; end: number } | null {
    if (starts.length === 0 || ends.at(-1)! < asOf - (ends.at(-1)! - starts.at(-1)!)) return null;
    const span = ends.at(-1)! - starts[0]!;
    const { exhaustedAt, troughSlopePerDay } = data.projection;
    const dry = exhaustedAt ? parseInstant(exhaustedAt)! : null;
    // Never past the forecast's own horizon (30 days): a long range would otherwise carry
    // the trend months ahead, down to a dry pool the forecast does not claim.
    const horizon = asOf + FORECAST_DAYS * DAY;
    const end = Math.min(horizon, asOf + 0.3 * span, dry !== null ? Math.max(dry + 0.05 * span, asOf + 0.1 * span) : asOf + 0.15 * span);
    const last = data.points.at(-1)!;
    // Dry at the last low and yet the daily lows' trend reaches 0 later: the line is that
    // trend, from its value now (from 0 it lay flat along 0 beside "runs dry around Jan 4").
    const start =
      dry !== null && dry > asOf && last.availableMin <= 0 ? Math.min(last.capacity, Math.max(0, (-troughSlopePerDay * (dry - asOf)) / DAY)) : last.availableMin;
    const at = (t: number): number =>
      dry !== null && dry > asOf
        ? Math.max(0, start * (1 - (t - asOf) / (dry - asOf)))
        : Math.min(last.capacity, Math.max(0, start + (troughSlopePerDay * (t - asOf)) / DAY));
    const points: [number, number][] = [[asOf, start]];
    if (dry !== null && dry > asOf && dry < end) points.push([dry, 0]);
    points.push([end, Math.round(at(end))]);
    return { points, end };
  }

  #projectionText(data: SurplusSeries, locale: string | undefined, timeZone: string): string {
    const { exhaustedAt, exhaustions } = data.projection;
    // The forecast follows the trend of the daily lows: a day, not an instant to the second
    // (it said "runs out on Dec 10, 2026, 4:51:19 PM"), and no "rate" beside the drawing rate.
    if (exhaustedAt) return `If the daily lows keep falling at this pace, the pool runs dry around ${isolate(formatDateTime(exhaustedAt, { locale, timeZone, style: 'axis-day' }))}.`;
    // Bursts can still empty the pool: "stays above 0" above "ran dry 4 times" read as no risk.
    // Figures in the locale's digits, as every other of the chart ("٠", "٣٠ days").
    const zero = numberFormat(locale).format(0);
    const days = countPhrase(30, 'day', locale);
    return exhaustions > 0
      ? `The trend of the daily lows does not reach ${zero} within ${days}, but bursts ran the pool dry in this range.`
      : `At this pace the daily lows stay above ${zero} for the next ${days}.`;
  }

  /**
   * Whether users keep going past their base budget: in how many buckets any did, and at
   * most how many in one bucket (the right-hand axis' step line, in words).
   */
  #overBaseText(data: SurplusSeries, locale: string | undefined): string {
    const over = data.points.filter((p) => p.usersOverBase > 0);
    if (over.length === 0) return 'No user went past their base budget in this range.';
    const most = over.reduce((max, p) => Math.max(max, p.usersOverBase), 0);
    return `Users went past their base budget ${ofSpanned(over.length, data.points.length, data.bucket, locale)}, at most ${countPhrase(most, 'user', locale)} in one ${data.bucket}.`;
  }

  protected override renderActions(): unknown {
    return html`<button type="button" class="toggle" part="who-button" aria-pressed=${this.drawersOpen ? 'true' : 'false'} @click=${this.#handleWho}>
      Who is drawing surplus
    </button>`;
  }

  protected override renderNotes(data: SurplusSeries): unknown {
    const { locale } = this.filterView.settings;
    const { exhaustions, ratePerDay } = data.projection;
    // Tokens and pages under 10 a day keep a decimal ("2.4 pages": rounded, 2.43 read 2); a
    // rate that rounds to 0 is "less than 0.1 pages" (or "1 B"), not "0".
    const digits = data.resourceType === 'storage' || ratePerDay >= 9.95 ? 0 : 1;
    const least = 10 ** -digits;
    const tiny = ratePerDay > 0 && ratePerDay < least / 2;
    const rate = isolate(formatAmount(tiny ? least : digits ? ratePerDay : Math.round(ratePerDay), data.resourceType, { locale, fractionDigits: digits }));
    return html`<div class="notes" part="notes" id="notes">
      <p part="projection" class=${data.projection.exhaustedAt ? 'warning' : ''}>
        ${this.#projectionText(data, locale, this.displayTimeZone)} Drawn at ${tiny ? 'less than ' : ''}${rate} a day over the last ${countPhrase(7, 'day', locale)}.
      </p>
      <p part="over-base">${this.#overBaseText(data, locale)}</p>
      <p part="exhaustions">
        ${exhaustions > 0
          ? `The pool ran dry ${exhaustions === 1 ? 'once' : `${numberFormat(locale).format(exhaustions)} times`} in this range.`
          : // Empty from before the range, it did not fall to 0 inside it: not "did not run dry".
            data.points[0]!.availableMin <= 0 && data.points[0]!.capacity > 0
            ? 'The pool was already dry when this range began.'
            : 'The pool did not run dry in this range.'}
      </p>
      ${hasPieceFilters(this.filterView.state)
        ? html`<p part="org-note">The surplus pool is shared, organization-wide: only the date range and resource type apply here.</p>`
        : nothing}
    </div>`;
  }

  protected override renderAfter(): unknown {
    if (!this.drawersOpen) return nothing;
    const { locale } = this.filterView.settings;
    const type = this.filterView.state.resourceType ?? 'tokens';
    const amount = (value: number) => isolate(formatAmount(value, type, { locale }));
    return html`<section class="drawers" part="drawers" aria-labelledby="drawers-title">
      <h3 id="drawers-title">Who is drawing surplus</h3>
      <p class="muted" part="drawers-note">Each user's surplus and hybrid events in the range, most first: whole events, of which the chart's "Surplus drawn" counts only the part past the base budget.</p>
      <p class="muted" role="status" part="drawers-status">${this.#drawersStatus(locale)}</p>
      ${this.#drawersTask.render({
        error: (error) => renderError(error as Error, () => void this.#drawersTask.run(), 'Who is drawing surplus', {
            ...this.display,
            // Listed after Retry: the focus goes to the first user, or to the toggle when nobody drew.
            landing: () =>
              this.#drawersTask.status === TaskStatus.COMPLETE
                ? (this.renderRoot.querySelector<HTMLElement>('[part~="drawers"] [part~="user-link"]') ?? this.renderRoot.querySelector<HTMLElement>('[part~="who-button"]'))
                : null,
          }),
        complete: (result) =>
          !result || result.drawers.length === 0
            ? nothing
            : html`<ol>
                  ${result.drawers.map((d) => {
                    // "1.2M tokens in surplus and hybrid events, over base on 5 of 8 days": how often,
                    // beside how much (a partial day counts); what the amount is, said where it is
                    // read (beside "Surplus drawn" it read as that, about twice as much).
                    const often = `over base ${ofSpanned(d.buckets, result.buckets, result.bucket, locale)}`;
                    return html`<li>${this.#renderUser(d.userId)} <span class="amount">${`${amount(d.amount)} in surplus and hybrid events, ${often}`}</span></li>`;
                  })}
                </ol>
                ${result.other > 0 ? html`<p class="muted">Everyone else: ${amount(result.other)}</p>` : nothing}`,
      })}
    </section>`;
  }

  /**
   * What the list's one status line says, kept in one element as the list loads and comes
   * (a screen reader heard nothing when the users came: the list opens below the chart).
   */
  #drawersStatus(locale: string | undefined): string {
    const task = this.#drawersTask;
    if (task.status === TaskStatus.PENDING) return 'Loading…';
    const result = task.status === TaskStatus.COMPLETE ? task.value : undefined;
    if (result === undefined) return '';
    if (!result || result.drawers.length === 0) return 'Nobody drew surplus in this range.';
    const users = countPhrase(result.drawers.length, 'user', locale);
    return result.other > 0 ? `The ${users} who drew the most, and everyone else.` : `${users} drew surplus in this range.`;
  }

  /** A listed user: their name with the ID after it (the ID alone when no name is known). */
  #renderUser(userId: string): unknown {
    const name = this.#userNames.names.get(userId);
    // The space in the ID's own text: a text node of a space alone, between Lit's markers,
    // drops out of Chrome's accessible name ("Liam Weberu_g5az0f1u").
    const id = revealControls(userId);
    const text = name ? html`${name}<span class="id-detail">${` ${id}`}</span>` : id;
    if (this.userHref) {
      const href = userHref(this.userHref, userId);
      return html`<a part="user-link" href=${href} @click=${(e: MouseEvent) => this.selectUser(userId, this.userHref, e)}>${text}</a>`;
    }
    return html`<button type="button" class="link" part="user-link" data-user-id=${userId} @click=${(e: MouseEvent) => this.#selectDrawer(userId, e)}>${text}</button>`;
  }

  /** Narrows to a listed user: the list is looked up again and its buttons rendered anew, the focused one too. */
  #selectDrawer(userId: string, click: MouseEvent): void {
    const { userIds } = this.filterView.state;
    const narrows = !(userIds.length === 1 && userIds[0] === userId);
    const hadFocus = this.shadowRoot!.activeElement === click.currentTarget;
    this.selectUser(userId, this.userHref, click);
    if (narrows && hadFocus && !click.defaultPrevented) holdFocusUntil(this.shadowRoot!, `[part~="user-link"][data-user-id="${CSS.escape(userId)}"]`);
  }

  /** The pool categories before "Who is drawing surplus" narrowed them, while its panel is open. */
  #poolsBefore: readonly PoolCategory[] | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The list stands for its narrowing: pools changed elsewhere (Reset filters, the bar, the
    // host) close it and are kept, so that a pressed button always means the narrowing is on.
    if (this.drawersOpen && !isSurplusPools(this.filterView.state.poolCategories)) {
      this.drawersOpen = false;
      this.#poolsBefore = null;
    }
    super.willUpdate(changed);
  }

  #handleWho = (): void => {
    if (this.drawersOpen) {
      this.drawersOpen = false;
      // A toggle: closing undoes its narrowing (pools changed meanwhile closed it already).
      const before = this.#poolsBefore;
      if (before && !isSurplusPools(before)) this.updateFilters({ poolCategories: [...before] });
      this.#poolsBefore = null;
      return;
    }
    this.drawersOpen = true;
    this.#poolsBefore = this.filterView.state.poolCategories;
    this.updateFilters({ poolCategories: [...SURPLUS_POOLS] });
  };
}
