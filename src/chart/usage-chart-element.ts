/**
 * What `<consumption-chart>` and `<surplus-chart>` share: the data task and its states,
 * the ECharts instance (through `ChartController`), the theme read from the tokens, our
 * tooltip and legend, the "view as table" toggle, the text summary, the brush (a drag, a
 * click on a bucket, a second tap on a tapped one, or the keyboard) that narrows the
 * shared range with a one-click way back, and the live stream. A tap shows the bucket's
 * values (touch has no hover). A subclass says what to fetch and how its answer becomes a `ChartModel`.
 */
import { Task, TaskStatus } from '@lit/task';
import { deepArrayEquals } from '@lit/task/deep-equals.js';
import { html, nothing, render, type PropertyDeclaration, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { UsageApiError, saveFile } from '../api/client.js';
import { BUCKETS, UNITS, compareEventIds, formatInstant, parseInstant, type Bucket, type BucketParam, type ConsumptionEvent, type ReadAnswer, type ResourceType } from '../api/contract.js';
import { matchesFilter, mayStillArrive } from '../api/match.js';
import type { RequestOptions } from '../api/client.js';
import { subscribeToLiveEvents, type LiveStatus } from '../api/stream.js';
import { ZoneClock, bucketIndex } from '../api/time-zone.js';
import { RANGE_PRESET_PHRASES, renderEmpty, renderError, renderLoadingFrame, stateStyles } from '../base/states.js';
import { slotTokenStyles, themeStyles } from '../base/theme.js';
import { LiveEnd } from '../base/live-end.js';
import { liveStatusStyles, renderLiveStatus } from '../base/live-status.js';
import { UsageElement, type FilterView } from '../base/usage-element.js';
import { requestSettings } from '../filters/context.js';
import { sameRange, toEventFilter, type FilterPiece, type FilterRange } from '../filters/state.js';
import { formatDateTime, formatRange, formatWhen } from '../format/index.js';
import { dateTimeFormat } from '../format/intl-cache.js';
import { ChartController } from './chart-controller.js';
import { cssVars } from './css-vars.js';
import { chartCsv, isPartial, placeTooltip, renderDataTable, renderLegend, renderTooltip, tooltipContent, tooltipSentence } from './chart-parts.js';
import { chartStyles } from './chart.styles.js';
import type { ChartModel, ChartSeries } from './model.js';
import { AXIS_FONT_PX, PlotGeometry, buildOption } from './option.js';
import { readChartTheme, sameChartTheme, type ChartTheme } from './theme.js';
import { MAX_DAY_STEP_MINUTES, axisTicks, monthTicks, wallYear, type AxisTicks } from './time-axis.js';
import { keepFocus } from '../base/keep-focus.js';

/** How often at most a chart asks again because of live events (the contract's live stream: the surplus chart's 30 s). */
export const LIVE_REFRESH_MS = 30_000;
/** The pacing of live refreshes, `LIVE_REFRESH_MS` unless a test shortens it. */
export const liveTiming = { refreshMs: LIVE_REFRESH_MS };
/** Live events arriving together are drawn at most this often (ms), more rarely where a drawing takes long. */
export const LIVE_DRAW_MS = 1_000;

/** A live refresh waiting: what it runs, when it was last asked for (performance.now()), its timer. */
interface PendingRefresh {
  run: () => unknown;
  askedAt: number;
  timer?: ReturnType<typeof setTimeout>;
}

/** What a subclass needs to build its model. */
export interface ModelContext {
  readonly theme: ChartTheme;
  readonly locale: string | undefined;
  readonly timeZone: string;
  readonly clock: ZoneClock;
}

/** The stream a chart follows, and the last event it received from it. */
interface LiveFollow {
  key: string;
  options: RequestOptions | undefined;
  lastEventId: string;
  unsubscribe: () => void;
  /**
   * After a reset, until the refetch answers: the answer shown then, and the stream's
   * position the reset gave, which events are compared with instead of that answer's
   * `lastEventId` (after a store was reseeded, ids start again below it).
   */
  reset?: { answer: unknown; lastEventId: string };
}

/** A drag shorter than this (px) is a click, not a brush. */
const MIN_BRUSH_PX = 4;
/** The state a pointer or key moving over the plot changes: drawn in the overlays alone. */
const OVERLAY_STATE = new Set(['hoverIndex', 'keyboardIndex', 'selection', 'announcement']);
/** Charts asked for an update with no property named (a task's answer, a resize), until it ran. Not a private field: Lit asks in its constructor. */
const wholeUpdates = new WeakSet<object>();
let measuring: CanvasRenderingContext2D | null | undefined;
/** The width of a label of the axes as the canvas draws it (0 where no canvas can measure). */
function textWidth(text: string, fontFamily: string): number {
  measuring ??= document.createElement('canvas').getContext('2d');
  if (!measuring) return 0;
  measuring.font = `${AXIS_FONT_PX}px ${fontFamily}`;
  return measuring.measureText(text).width;
}
/** Labels on the time axis need about this much room each (px): a date and time, or a date alone. */
const LABEL_PX = 90;
const DATE_LABEL_PX = 50;
/** A month with its year ("Sep 2025"), and a year alone. */
const MONTH_LABEL_PX = 70;
const YEAR_LABEL_PX = 45;
/** Between two labels of the time axis at least (px). */
const LABEL_GAP_PX = 8;
/** What a chart's amounts are, by resource type: the heading beside its title, and what its y axis counts. */
export const UNIT_HEADINGS: Record<ResourceType, string> = { tokens: 'Tokens', storage: 'Storage', ocr: 'OCR pages' };

/**
 * @csspart base - The card around everything: its background, border and padding.
 * @csspart header - The title row: title, "data as of", actions.
 * @csspart title - The chart's title, with its unit.
 * @csspart unit - Inside the title: the resource type the chart shows ("Tokens", "Storage",
 *   "OCR pages"); under every type "Tokens only", saying (in its title and to screen
 *   readers) that the charts show tokens when all types are selected.
 * @csspart as-of - "Data as of …", with the zone's name where the chart's `time-zone` shows other times than the browser's ("Dec 7, 2026, 10:20:09 AM GMT+5:30").
 * @csspart live-status - With `live`, beside "Data as of": the live connection's status ("Live",
 *   "Reconnecting…", or "Live updates stopped" with the endpoint's message when it refused the stream).
 * @csspart live-retry - The Reconnect button shown when the endpoint refused the live stream.
 * @csspart actions - The buttons of the header.
 * @slot actions - The host's own controls in the chart's header, before "View as table" (a
 *   group-by select, a link to a report); styled by the host, in its light DOM, where the
 *   tokens (`var(--usage-color-muted)`) hold the chart's theme.
 * @csspart back - The "Back to …" button that undoes a brush.
 * @csspart draw-error - Says the canvas cannot be drawn on this page (a policy refuses what ECharts does, such as Trusted Types); the table view and the summary still give the numbers.
 * @csspart table-toggle - The "View as table" button.
 * @csspart chart - The plot (the ECharts canvas; focusable, arrow keys move between buckets).
 * @csspart tooltip - The tooltip of the bucket under the pointer or the keyboard focus.
 * @csspart legend - The series toggles.
 * @csspart legend-item - One series toggle.
 * @csspart legend-key - After the toggles when spikes are marked: what the red marks over the plot are ("Spike: far above the usual").
 * @csspart legend-total - In a legend toggle of `<consumption-chart>` (each group's and "other"'s): its total over the range, compact, and its share of the chart's total ("1.9M tokens · 79%"); the previous period's toggle shows its own total, without a share. In `<surplus-chart>`, the surplus drawn's total alone (its other series are levels and counts).
 * @csspart summary - The text summary (total, peak, trend), also the chart's description (after the notes above the plot, which it does not repeat).
 * @csspart skeleton - The placeholder drawn until the first answer.
 * @csspart table-wrap - The scrollable region around the data table.
 * @csspart table - The data table of "View as table".
 * @csspart download - Under the data table: "Download CSV", its numbers as a file (the span each bucket covers as instants, each series as a number in the answer's unit).
 * @csspart empty - The empty state.
 * @csspart loading-frame - Wraps the body; `progress` is its loading bar.
 * @csspart progress - The loading bar while a request is on its way.
 * @csspart error - The error state (role="alert"), with `error-message` and `retry`.
 * @csspart error-message - The endpoint's message.
 * @csspart retry - The Retry button.
 * @cssprop [--usage-chart-height=280px] - Height of the plot.
 * @cssprop [--usage-chart-border-color=color-mix(in srgb, var(--usage-color-border) 45%, var(--usage-color-surface))] - Border of the chart's frame (the table's frame colour).
 * @cssprop --usage-color-series-1 - First series colour of `<consumption-chart>` (its groups take 1 to 7 in order; also drawn on the canvas). `<surplus-chart>` draws with series 3 and 5, the surplus and the base colours only.
 * @cssprop --usage-color-series-2 - Second series colour.
 * @cssprop --usage-color-series-3 - Third series colour; `<surplus-chart>`'s lowest available.
 * @cssprop --usage-color-series-4 - Fourth series colour.
 * @cssprop --usage-color-series-5 - Fifth series colour; `<surplus-chart>`'s users over base.
 * @cssprop --usage-color-series-6 - Sixth series colour.
 * @cssprop --usage-color-series-7 - Seventh series colour.
 * @cssprop --usage-color-series-8 - The "other" series of `<consumption-chart>`.
 * @cssprop --usage-color-allocated - Allocated series of `<consumption-chart>` by pool category.
 * @cssprop --usage-color-surplus - Surplus series of `<consumption-chart>` by pool category; `<surplus-chart>`'s surplus drawn.
 * @cssprop --usage-color-hybrid - Hybrid series of `<consumption-chart>` by pool category.
 * @cssprop --usage-color-input - Input series of `<consumption-chart>` by I/O type; also the live status while connected.
 * @cssprop --usage-color-output - Output series of `<consumption-chart>` by I/O type.
 */
export abstract class UsageChartElement<T extends ReadAnswer & { readonly resourceType: ResourceType; readonly from: string; readonly to: string }> extends UsageElement {
  /** Live events kept for re-applying over a newer answer; past this many, the chart asks again. 0: none kept (the chart only hears that some arrived). */
  static maxKeptEvents = 50_000;

  static override styles = [themeStyles, slotTokenStyles(), stateStyles, liveStatusStyles, chartStyles];

  static override properties: PropertyDeclarations = {
    bucket: {},
    tableView: { state: true, attribute: false },
    hiddenSeries: { state: true, attribute: false },
    drawFailure: { state: true, attribute: false },
    hoverIndex: { state: true, attribute: false },
    keyboardIndex: { state: true, attribute: false },
    selection: { state: true, attribute: false },
    announcement: { state: true, attribute: false },
    liveEvents: { state: true, attribute: false },
    liveStatus: { state: true, attribute: false },
    rangeHistory: { state: true, attribute: false },
  };

  /**
   * Bucket size: `auto` (default: the smallest unit with at most 1,500 buckets over the
   * range), `minute`, `hour`, `day` or `week`.
   * @default 'auto'
   */
  get bucket(): BucketParam {
    return this.#bucket;
  }
  set bucket(value: BucketParam | null | undefined) {
    const next = this.checkedAttribute('bucket', value, BUCKETS, 'auto');
    if (next === undefined) return;
    const old = this.#bucket;
    this.#bucket = next;
    this.requestUpdate('bucket', old);
  }

  /** Showing the series as a data table instead of the plot. */
  protected tableView = false;

  private hiddenSeries: ReadonlySet<string> = new Set();
  private hoverIndex: number | null = null;
  private keyboardIndex: number | null = null;
  private selection: { anchor: number; focus: number } | null = null;
  /** Not reactive: measured in `updated`, where the option and the overlays are made from it. */
  private plotSize = { width: 0, height: 0 };
  private announcement = '';
  /** The matching live events after the latest answer, in id order. */
  protected liveEvents: readonly ConsumptionEvent[] = [];
  /** The live stream's status, null when not following it. */
  private liveStatus: LiveStatus | null = null;
  private rangeHistory: readonly { range: FilterRange; label: string; set: FilterRange }[] = [];

  private get plotElement(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.plot') ?? null;
  }

  /**
   * Where the focus goes once a Retry or Reconnect succeeded: the plot (named by the title)
   * once it is shown and focusable, or the table view's toggle while the table is shown.
   */
  protected landing(): HTMLElement | null {
    const plot = this.plotElement;
    if (plot && plot.tabIndex >= 0 && !plot.parentElement?.hidden) return plot;
    return this.tableView ? this.renderRoot.querySelector<HTMLElement>('[part~="table-toggle"]') : null;
  }

  /** Which fields of the shared state this chart honours. */
  protected abstract readonly piece: FilterPiece;
  /** The accessible name and title. */
  protected abstract readonly chartTitle: string;
  /** The empty state's subject with its verb ("No consumption matches …"). */
  protected abstract readonly emptySubject: string;

  /**
   * The ECharts instance's controller; internal, kept out of the declarations (with
   * ECharts' types, which fail a host's check under `exactOptionalPropertyTypes`).
   * @internal
   */
  protected readonly chartController = new ChartController(this, {
    container: () => this.plotElement,
    // Outside an update: a new size asks for one, whose `updated` draws at that size.
    onResize: () => {
      if (this.#measure()) this.requestUpdate();
    },
    onFailure: (error) => {
      this.drawFailure = error.message;
      console.warn(`<${this.localName}>: the chart cannot be drawn on this page: ${error.message}`);
    },
  });

  /** Why the canvas cannot be drawn here (the page refuses what ECharts does), if so. */
  private drawFailure: string | null = null;

  /** The main answer. */
  protected readonly dataTask = new Task(this, {
    task: ([endpoint, view, ...extra], { signal }) => {
      this.#askedAt = performance.now();
      if (!endpoint) throw new UsageApiError('bad_parameter', 'No data endpoint: set the data-endpoint attribute here or on <usage-filters>.', { param: 'data-endpoint' });
      return this.fetchData(endpoint, { ...view, to: this.#liveEnd.to(view.openEnded, view.to) }, extra, signal);
    },
    args: () => [this.filterView.settings.endpoint, this.requestedView(this.requestView), ...this.dataArgs()] as const,
    argsEqual: deepArrayEquals,
    onComplete: (value) => (this.#kept = { key: this.#keptKey(), value }),
    onError: (error) => this.reportError(error),
  });

  /** The last answer and the filters it answered (see `answer`). */
  #kept?: { key: readonly unknown[]; value: T };

  #keptKey(): readonly unknown[] {
    return [this.filterView.settings.endpoint, this.filterView.state, ...this.dataArgs()];
  }

  /**
   * The main answer; while a refresh under the same filters fails (a rolling range moving
   * on, a Retry, a stream's reset), the last one, which stays on screen under the error and
   * keeps following the live stream: a wall screen keeps its chart through an outage.
   */
  protected get answer(): T | undefined {
    const kept = this.#kept;
    return this.dataTask.value ?? (this.dataTask.status === TaskStatus.ERROR && kept && deepArrayEquals(kept.key, this.#keptKey()) ? kept.value : undefined);
  }

  #bucket: BucketParam = 'auto';
  /** Where later requests end when live events went past a rolling preset's `to`. */
  #liveEnd = new LiveEnd();
  #current?: { key: readonly unknown[]; value: T };
  #theme?: ChartTheme;
  /** The model of the current answer, and the clock that read it (its memo serves the axis too). */
  #model?: { key: readonly unknown[]; model: ChartModel; clock: ZoneClock };
  #optionKey: readonly unknown[] = [];
  #geometry?: PlotGeometry;
  #dragStart: number | null = null;
  /** The hover bucket was set by a tap (touch or pen), not by a mouse over it. */
  #tapped = false;
  #live?: LiveFollow;
  /** Why the endpoint refused the live stream (shown with the status). */
  #liveFailure = '';
  #colorScheme?: MediaQueryList;
  /** The theme the tokens were last read under (the setting; the colour scheme), read again before rendering when it changes. */
  #themeInputs?: string;

  /** Fetches the main answer for a view (`extra` is `dataArgs()`). */
  protected abstract fetchData(endpoint: string, view: FilterView, extra: readonly unknown[], signal: AbortSignal): Promise<T>;
  /** The chart's own task arguments (group-by, bucket…). */
  protected dataArgs(): readonly unknown[] {
    return [];
  }
  /** The model of an answer with the live events applied. */
  protected abstract buildModel(data: T, context: ModelContext): ChartModel;
  /** The answer holds nothing to draw. */
  protected abstract isEmpty(data: T): boolean;
  /** Applies matching live events (id above the answer's `lastEventId`) to an answer; the default ignores them. */
  protected applyLiveEvents(data: T, _events: readonly ConsumptionEvent[]): T {
    return data;
  }
  /** Extra model inputs: the model is rebuilt when one of these changes. */
  protected modelArgs(): readonly unknown[] {
    return [];
  }
  /** Extra buttons in the header. */
  protected renderActions(): unknown {
    return nothing;
  }
  /**
   * The chart's other requests (the previous period, the user's budget, who draws surplus):
   * the chart's Retry asks again those that failed too, so that one press mends what one
   * outage broke (their own Retry is hidden under the chart's error).
   */
  protected sideTasks(): readonly { status: TaskStatus; run(): Promise<void> }[] {
    return [];
  }
  /** Notes come above the plot (renderNotes): their room is kept while the first answer loads. */
  protected readonly reservesNotes: boolean = false;

  /**
   * Lines above the plot (projection, notes). Given `id="notes"`, they are read as the
   * first part of the plot's description, before the summary (which need not repeat them).
   */
  protected renderNotes(_data: T, _model: ChartModel): unknown {
    return nothing;
  }
  /** A control beside a series' legend toggle (the consumption chart's user links). */
  protected renderLegendExtra(_series: ChartSeries): unknown {
    return nothing;
  }

  /**
   * The view as requests see it: its settings cut to those a request depends on
   * (`requestSettings`), so that a task keyed on it (compared deeply) asks nothing again
   * when only the theme, the locale or live changes.
   */
  protected get requestView(): FilterView {
    const view = this.filterView;
    return { ...view, settings: requestSettings(view.settings) };
  }

  /**
   * What of the view the piece's request depends on (compared deeply: the piece asks again
   * only when it changes). All of it by default; the consumption chart leaves out the
   * request ID, the surplus chart honours only the range and the type.
   */
  protected requestedView(view: FilterView): FilterView {
    return view;
  }

  /** Content after the chart (a panel). */
  protected renderAfter(): unknown {
    return nothing;
  }

  /**
   * An enumerated attribute's value: `fallback` for null or empty, the value when allowed,
   * else undefined after reporting it (the property keeps its previous value).
   */
  protected checkedAttribute<V extends string>(attribute: string, value: string | null | undefined, allowed: readonly V[], fallback: V): V | undefined {
    if (value == null || value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as V;
    this.reportBadAttribute({ param: attribute, message: `${attribute} must be one of ${allowed.join(', ')}; got "${value}"` });
    return undefined;
  }

  /** The time zone of display and buckets (the piece's shared `viewTimeZone`). */
  protected get displayTimeZone(): string {
    return this.viewTimeZone();
  }

  /** The latest answer with the live events applied, or undefined before the first. */
  protected get currentData(): T | undefined {
    const answer = this.answer;
    if (!answer) return undefined;
    const key = [answer, this.liveEvents, this.filterView, ...this.liveArgs()];
    if (this.#current && deepArrayEquals(this.#current.key, key)) return this.#current.value;
    const filter = this.#liveFilter();
    const events = this.liveEvents.filter((e) => compareEventIds(e.id, answer.lastEventId) > 0 && filter(e));
    // Called without events too: the surplus chart keeps none and lays its refetched tail over the answer.
    const value = this.applyLiveEvents(answer, events);
    this.#current = { key, value };
    return value;
  }

  /** What else `applyLiveEvents` depends on (the current data is recomputed when one changes). */
  protected liveArgs(): readonly unknown[] {
    return [];
  }

  /** The model drawn now (undefined before the first answer). */
  protected get model(): ChartModel | undefined {
    return this.#currentModel();
  }

  /** The filter live events must match: this chart's, open at its end for rolling presets. */
  #liveFilter(): (event: ConsumptionEvent) => boolean {
    const view = this.filterView;
    const filter = toEventFilter(view.state, view.from, view.to, { piece: this.piece });
    return (event) => matchesFilter(event, filter, { openEnd: view.openEnded });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#colorScheme = matchMedia('(prefers-color-scheme: dark)');
    this.#colorScheme.addEventListener('change', this.#handleColorScheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#colorScheme?.removeEventListener('change', this.#handleColorScheme);
    this.#stopLive();
    this.#dropRefresh();
  }

  /** When the main answer and a live refresh were last asked for (performance.now()). */
  #askedAt = Number.NEGATIVE_INFINITY;
  #refreshedAt = Number.NEGATIVE_INFINITY;
  /** The live refresh waiting, if any. */
  #refresh?: PendingRefresh;

  /**
   * Runs `refresh` (asking the endpoint again because of live events) once `LIVE_REFRESH_MS`
   * have passed since the chart last asked (an answer counts: the first events after it
   * waited for nothing, and a grouped 90-day chart fetched its 526 kB again at once). One
   * waits at most, later calls join it; it waits while the page is hidden (one when the page
   * shows again, not one every 30 s for a tab in the background), and a main answer asked
   * for after the last call that joined it holds their events, so it is dropped (one asked
   * between two calls missed the later events, which then waited for more to come).
   */
  protected refreshSoon(refresh: () => unknown): void {
    if (this.#refresh) {
      this.#refresh.askedAt = performance.now();
      return;
    }
    const pending: PendingRefresh = (this.#refresh = { run: refresh, askedAt: performance.now() });
    const last = Math.max(this.#askedAt, this.#refreshedAt);
    pending.timer = setTimeout(this.#runRefresh, Math.max(0, last + liveTiming.refreshMs - performance.now()));
  }

  #runRefresh = (): void => {
    const pending = this.#refresh;
    if (!pending) return;
    pending.timer = undefined;
    if (document.visibilityState === 'hidden') {
      document.addEventListener('visibilitychange', this.#refreshWhenShown);
      return;
    }
    this.#dropRefresh();
    if (this.#askedAt > pending.askedAt) return;
    this.#refreshedAt = performance.now();
    pending.run();
  };

  /** Shown again: after the filters' own refresh of a stale range has begun (its answer holds the events). */
  #refreshWhenShown = (): void => {
    if (document.visibilityState === 'hidden' || !this.#refresh || this.#refresh.timer !== undefined) return;
    document.removeEventListener('visibilitychange', this.#refreshWhenShown);
    this.#refresh.timer = setTimeout(this.#runRefresh);
  };

  #dropRefresh(): void {
    clearTimeout(this.#refresh?.timer);
    this.#refresh = undefined;
    document.removeEventListener('visibilitychange', this.#refreshWhenShown);
  }

  // Each answer, hover or resize renders once: what this update needs (the live events, the
  // theme after a theme change, the loading state) is settled before rendering, and what
  // follows from the plot's measured size (the ECharts option, the overlays placed on the
  // plot) is made in `updated` without asking for another update.
  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.#hadFocus = (this.renderRoot as ShadowRoot | undefined)?.activeElement != null;
    const last = this.rangeHistory.at(-1);
    if (last && !sameRange(last.set, this.sharedRange)) this.rangeHistory = [];
    this.#syncLive();
    // A new theme setting or colour scheme: the model's colours come from the tokens, read
    // now (the theme's state was set by the base class above), so the legend and the
    // canvas change in this update.
    const themeInputs = `${this.filterView.settings.theme}|${this.#colorScheme?.matches}`;
    if (this.#theme && themeInputs !== this.#themeInputs) this.#theme = readChartTheme(this);
    this.#themeInputs = themeInputs;
  }

  /** `loading` and `error` follow the task, whose run starts after `willUpdate` (set here, they are part of this update). */
  protected override update(changed: PropertyValues): void {
    this.loading = this.dataTask.status === TaskStatus.PENDING;
    this.error = this.dataTask.status === TaskStatus.ERROR;
    super.update(changed);
  }

  override requestUpdate(name?: PropertyKey, oldValue?: unknown, options?: PropertyDeclaration): void {
    if (name === undefined) wholeUpdates.add(this);
    super.requestUpdate(name, oldValue, options);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // A pointer or key moving over the plot changes only the overlays: no size, theme or
    // focus to read again (each a layout or style recalculation per move).
    // (An update asked with no property, by a task's answer or a resize, changes more.)
    const whole = wholeUpdates.delete(this);
    if (!whole && [...changed.keys()].every((key) => OVERLAY_STATE.has(key as string))) {
      this.#renderOverlayLayer();
      return;
    }
    // Measured here too, not only by the ResizeObserver: a page in the background gets no
    // observations until it is shown, and the first paint should not wait for one. Not while
    // a request is in flight over a measured plot: the drawing stays as it is, and reading
    // the size (a layout) or the theme (a style recalculation) would hold back the requests
    // of the pieces updating after this one; the ResizeObserver still reports a real resize,
    // and the answer's update reads both.
    const settled = !this.loading || this.plotSize.width === 0;
    if (settled) this.#measure();
    this.#applyOption(settled);
    this.#renderOverlayLayer();
    this.#keepFocus();
  }

  /** The shadow root held the focus before this update. */
  #hadFocus = false;

  /** The focus held here went with what this update hid or removed: to the plot when shown, else "Back", else the first control left. */
  #keepFocus(): void {
    const root = this.renderRoot as ShadowRoot;
    keepFocus(root, this.#hadFocus, () => [this.plotElement, root.querySelector<HTMLElement>('[part~="back"]'), ...root.querySelectorAll<HTMLElement>('button, a[href]')]);
  }

  override render(): TemplateResult {
    const data = this.currentData;
    const model = this.#currentModel();
    const loading = this.dataTask.status === TaskStatus.PENDING || this.dataTask.status === TaskStatus.INITIAL;
    const body = this.dataTask.render({
      initial: () => this.#renderBody(data, model, true),
      pending: () => this.#renderBody(data, model, true),
      complete: () => this.#renderBody(data, model, false),
      error: (error) => this.#renderBody(data, model, false, error as Error),
    });
    return html`<div class="card" part="base">
      <span class="tokens" aria-hidden="true" @transitionrun=${this.#handleTokens}></span>
      <div class="header" part="header">
        <div class="heading">
          <h2 class="title" part="title" id="title">${`${this.chartTitle} `}${this.#renderUnit(data)}</h2>
          ${data
            ? html`<span class="meta" part="as-of">Data as of <bdi>${this.#formatAsOf(data.asOf)}</bdi></span>`
            : // Its room, kept from the start: the actions beside the title do not move when it comes.
              html`<span class="meta reserve" aria-hidden="true">Data as of ${this.#formatAsOf(new Date().toISOString())}</span>`}
          ${renderLiveStatus(this.liveStatus, this.#liveFailure, () => this.#reconnectLive(), 'live-retry', () =>
            this.liveStatus === 'open' ? this.landing() : null,
          )}
        </div>
        <div class="actions" part="actions">
          ${this.#renderBack()} ${this.renderActions()}
          <slot name="actions"></slot>
          <button
            type="button"
            class="toggle"
            part="table-toggle"
            aria-describedby="title"
            aria-pressed=${this.tableView ? 'true' : 'false'}
            ?disabled=${!model}
            @click=${this.#handleTableToggle}
          >
            View as table
          </button>
        </div>
      </div>
      ${renderLoadingFrame(loading, body)} ${this.renderAfter()}
    </div>`;
  }

  #retry = (): void => {
    void this.dataTask.run();
    for (const task of this.sideTasks()) if (task.status === TaskStatus.ERROR) void task.run();
  };

  /** The plot stays in the DOM in every state (hidden when there is nothing to draw), so the instance lives on. */
  #renderBody(data: T | undefined, model: ChartModel | undefined, pending: boolean, error?: Error): TemplateResult {
    const empty = data !== undefined && !pending && this.isEmpty(data);
    // With the last answer kept through a failed refresh (`answer`), it shows under the error.
    const showPlot = !this.tableView && !empty && (!error || !!model);
    const notes = data && model && !empty ? this.renderNotes(data, model) : nothing;
    return html`
      ${error ? renderError(error, this.#retry, this.chartTitle, { ...this.display, landing: () => (this.loading ? null : this.landing()) }) : nothing}
      ${notes}
      ${!model && !error && this.reservesNotes ? html`<div class="reserve notes-room" aria-hidden="true"></div>` : nothing}
      ${empty ? renderEmpty(this.filterView.state, this.piece, this.emptySubject, this.display) : nothing}
      ${this.drawFailure && showPlot
        ? html`<p class="usage-state" part="draw-error" role="alert">The chart cannot be drawn on this page (${this.drawFailure}); its numbers are in "View as table" and below.</p>`
        : nothing}
      <div class="plot-frame" ?hidden=${!showPlot}>
        ${model ? nothing : html`<div class="skeleton" part="skeleton"></div>`}
        <div
          class="plot"
          part="chart"
          role="application"
          aria-label=${this.chartTitle}
          tabindex=${model ? '0' : '-1'}
          aria-roledescription="chart"
          aria-describedby=${notes === nothing ? 'summary keys' : 'notes summary keys'}
          @pointerdown=${this.#handlePointerDown}
          @pointermove=${this.#handlePointerMove}
          @pointerup=${this.#handlePointerUp}
          @pointercancel=${this.#handlePointerCancel}
          @pointerleave=${this.#handlePointerLeave}
          @keydown=${this.#handleKeyDown}
          @blur=${this.#handleBlur}
        ></div>
        <div class="overlays"></div>
      </div>
      ${model && this.tableView && !empty
        ? html`${renderDataTable(model, this.chartTitle, (i) => this.#bucketStart(model, i))}
            <button type="button" class="download" part="download" aria-describedby="title" @click=${() => this.#download(data!, model)}>Download CSV</button>`
        : nothing}
      ${model && !empty ? renderLegend(model.series, this.hiddenSeries, this.#toggleSeries, this.chartTitle, (series) => this.renderLegendExtra(series), model.spikes.size > 0) : nothing}
      ${!model && !error ? html`<div class="reserve after-room" aria-hidden="true"></div>` : nothing}
      <p class="summary" part="summary" id="summary">${model && !empty ? model.summary : ''}</p>
      <p class="sr-only" id="keys">
        Arrow keys move between buckets; Shift with arrows selects a span; Enter narrows the date range to it; Escape cancels. A click on a bucket, or a drag across buckets, narrows the range too.
      </p>
      <div class="sr-only" aria-live="polite">${this.announcement}</div>
    `;
  }

  /**
   * The overlays (partial buckets, spikes, the hover band, the selection, the tooltip),
   * placed from the geometry of the option just given to ECharts: rendered into their layer
   * here, after it, rather than by asking for another update.
   */
  #renderOverlayLayer(): void {
    const layer = this.renderRoot.querySelector<HTMLElement>('.overlays');
    const model = this.#currentModel();
    if (!layer) return;
    render(model && this.#geometry ? this.#renderOverlays(model, this.#geometry) : nothing, layer, { host: this });
    const tooltip = layer.querySelector<HTMLElement>('.tooltip');
    if (tooltip) placeTooltip(tooltip, parseFloat(tooltip.style.getPropertyValue('--tooltip-x')));
  }

  #renderOverlays(model: ChartModel, geometry: PlotGeometry): TemplateResult {
    const band = (index0: number, index1: number, kind: string) => {
      const x0 = geometry.x(model.starts[Math.min(index0, index1)]!);
      const x1 = geometry.x(model.ends[Math.max(index0, index1)]!);
      return html`<div class=${`band ${kind}`} ${cssVars({ '--x0': `${x0}px`, '--x1': `${x1}px`, '--top': `${geometry.top}px` })}></div>`;
    };
    const last = model.starts.length - 1;
    const active = this.keyboardIndex ?? this.hoverIndex;
    let tooltip: unknown = nothing;
    if (active !== null && active <= last && !this.selection) {
      const content = tooltipContent(model, active, this.hiddenSeries, this.#bucketTitle(model, active));
      const x = geometry.x((model.starts[active]! + model.ends[active]!) / 2);
      // Under the pointer, the tooltip says what a click (or a second tap) does; the keys are in the plot's description.
      const hint = this.keyboardIndex === null && last > 0 ? `${this.#tapped ? 'Tap again' : 'Click'} to narrow the range to this bucket` : undefined;
      tooltip = renderTooltip(content, x, hint);
    }
    return html`
      ${last >= 0 && isPartial(model, 0) ? band(0, 0, 'partial') : nothing}
      ${last > 0 && isPartial(model, last) ? band(last, last, 'partial') : nothing}
      ${[...model.spikes.keys()].map(
        (i) =>
          html`<div class="spike" ${cssVars({ '--x': `${geometry.x((model.starts[i]! + model.ends[i]!) / 2)}px`, '--top': `${geometry.top}px` })}></div>`,
      )}
      ${active !== null && active <= last ? band(active, active, 'hover') : nothing}
      ${this.selection ? band(this.selection.anchor, this.selection.focus, 'selection') : nothing} ${tooltip}
    `;
  }

  /**
   * The type of the amounts drawn (the answer's; before the first, the filters'). The
   * filters' "every type" is for the event log: the charts show tokens then, and say so.
   */
  #renderUnit(data: T | undefined): TemplateResult {
    const chosen = this.filterView.state.resourceType;
    const shown = data?.resourceType ?? chosen ?? 'tokens';
    if (chosen !== null || shown !== 'tokens') return html`<span class="unit" part="unit">${UNIT_HEADINGS[shown]}</span>`;
    return html`<span class="unit" part="unit" title="All types selected: charts show tokens (the event log, every type)"
      >Tokens only<span class="sr-only">${' (all types selected: charts show tokens)'}</span></span
    >`;
  }

  #renderBack(): unknown {
    const last = this.rangeHistory.at(-1);
    if (!last) return nothing;
    return html`<button type="button" part="back" @click=${this.#handleBack}>← Back to ${last.label}</button>`;
  }

  // ---- model and option --------------------------------------------------------------

  #currentModel(): ChartModel | undefined {
    const data = this.currentData;
    if (!data) return undefined;
    const theme = (this.#theme ??= readChartTheme(this));
    // Not keyed by the filter view: a filter change keeps the drawing until its answer comes.
    const { locale } = this.filterView.settings;
    const timeZone = this.displayTimeZone;
    const key = [data, theme, locale, timeZone, ...this.modelArgs()];
    if (!this.#model || !deepArrayEquals(this.#model.key, key)) {
      const clock = new ZoneClock(timeZone);
      this.#model = { key, clock, model: this.buildModel(data, { theme, locale, timeZone, clock }) };
    }
    return this.#model.model;
  }

  /** Draws the current model; `readTheme`: read the theme from the styles (a style recalculation) rather than reuse the last. */
  #applyOption(readTheme = true): void {
    // Out of the document the tokens read as the browser's defaults: nothing to draw into either.
    if (!this.isConnected) return;
    const theme = readTheme || !this.#theme ? readChartTheme(this) : this.#theme;
    if (!sameChartTheme(this.#theme, theme)) {
      const drawn = this.#model !== undefined;
      this.#theme = theme;
      // Tokens changed by the page itself (not through a theme setting): the model drawn
      // has the old colours, and the legend is rendered from it.
      if (drawn) {
        this.requestUpdate();
        return;
      }
    }
    const model = this.#currentModel();
    if (!model || this.plotSize.width === 0) return;
    const key = [model, this.hiddenSeries, this.plotSize];
    if (deepArrayEquals(this.#optionKey, key) && this.#geometry) return;
    this.#optionKey = key;
    const geometry = new PlotGeometry(model, this.plotSize.width, this.plotSize.height);
    this.#geometry = geometry;
    const bucket = this.#bucketOf(model);
    const { clock } = this.#model!;
    const { ticks, formatTick } = this.#axisLabels(model, bucket, clock, geometry, theme.fontFamily);
    this.chartController.setOption(
      buildOption(model, {
        theme,
        geometry,
        hidden: this.hiddenSeries,
        ticks: ticks.values,
        formatTick,
        reducedMotion: matchMedia('(prefers-reduced-motion: reduce)').matches,
      }),
    );
  }

  /**
   * The time axis' labels: as many as each kind's estimate of its width allows over the
   * buckets' part of the axis (the surplus forecast runs on past them), then fewer while
   * the labels as written, measured in the axis' font, would meet (ECharts then hid some:
   * "7. Dez." and Arabic dates are wider than the English the estimates are made for), or
   * more while one label stands alone where two fit (a week at 300 px read "Dec 7" alone).
   */
  #axisLabels(model: ChartModel, bucket: Bucket, clock: ZoneClock, geometry: PlotGeometry, fontFamily: string): { ticks: AxisTicks; formatTick: (ms: number) => string } {
    type Labels = { ticks: AxisTicks; formatTick: (ms: number) => string };
    const width = (labels: Labels, ms: number) => textWidth(labels.formatTick(ms), fontFamily);
    // An end label that would pass the canvas' edge goes (ECharts narrowed the plot for it).
    const inside = (labels: Labels): Labels => ({ ...labels, ticks: { ...labels.ticks, values: labels.ticks.values.filter((ms) => geometry.x(ms) + width(labels, ms) / 2 <= geometry.width) } });
    let room = geometry.x(model.ends.at(-1) ?? geometry.max) - geometry.left;
    let alone: Labels | undefined;
    for (let tries = 1; ; tries += 1) {
      const ticks = this.#axisTicks(model, bucket, clock, room);
      const labels = { ticks, formatTick: this.#tickFormatter(ticks, clock) };
      const xs = ticks.values.map((ms) => geometry.x(ms));
      const spacing = Math.min(...xs.slice(1).map((x, i) => x - xs[i]!));
      const needed = Math.max(...ticks.values.map((ms) => width(labels, ms))) + LABEL_GAP_PX;
      if (xs.length >= 2 && spacing >= needed) return inside(labels);
      if (xs.length < 2) alone ??= labels;
      else if (alone) return inside(alone);
      if (tries === 5) return inside(alone ?? labels);
      room *= xs.length < 2 ? 1.25 : spacing / needed;
    }
  }

  /** The bucket starts to label: times, then days, then months (with their year), then years, as the plot's width allows. */
  #axisTicks(model: ChartModel, bucket: Bucket, clock: ZoneClock, plotWidth: number): AxisTicks {
    let days = axisTicks(model.starts, bucket, clock, Math.floor(plotWidth / LABEL_PX));
    if (days.stepMinutes >= 1440) {
      // Dates are narrower than times: more of them fit, but not a step under a day, whose
      // labels are times (at 750 px, 12-hour steps for a week: ECharts hid every date).
      const dates = axisTicks(model.starts, bucket, clock, Math.floor(plotWidth / DATE_LABEL_PX));
      if (dates.stepMinutes >= 1440) days = dates;
    }
    if (days.stepMinutes <= MAX_DAY_STEP_MINUTES) return days;
    let months = monthTicks(model.starts, clock, Math.floor(plotWidth / MONTH_LABEL_PX));
    if (months.stepMonths! >= 12) months = monthTicks(model.starts, clock, Math.floor(plotWidth / YEAR_LABEL_PX));
    // Too narrow for two months' labels (90 days at 390 px said only "Nov 2026"): dates
    // some weeks apart place the plot in time.
    return months.values.length < 2 && days.values.length > months.values.length ? days : months;
  }

  /**
   * How each label reads: a time (a date where a local day starts), a date, a month with its year, or a
   * year. Dates in a range over New Year name the year at the first label of each year, so
   * that no label is ambiguous.
   */
  #tickFormatter(ticks: AxisTicks, clock: ZoneClock): (ms: number) => string {
    const { locale } = this.filterView.settings;
    const timeZone = this.displayTimeZone;
    const months = ticks.stepMonths ?? 0;
    if (months > 0) {
      const format = dateTimeFormat(locale, months >= 12 ? { timeZone, year: 'numeric' } : { timeZone, month: 'short', year: 'numeric' });
      return (ms) => format.format(ms);
    }
    if (ticks.stepMinutes < 1440) {
      // No label at a local midnight (ten hours of one day): the first names the date too.
      const first = ticks.dayStarts?.size ? undefined : ticks.values[0];
      const dated = dateTimeFormat(locale, { timeZone, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
      return (ms) => (ms === first ? dated.format(ms) : this.#formatTime(ms, ticks.dayStarts?.has(ms) ? 'axis-day' : 'axis-minute'));
    }
    const years = ticks.values.map((ms) => wallYear(clock, ms));
    if (years[0] === years.at(-1)) return (ms) => this.#formatTime(ms, 'axis-day');
    const firstOfYear = new Set(ticks.values.filter((_, i) => i === 0 || years[i] !== years[i - 1]));
    const withYear = dateTimeFormat(locale, { timeZone, month: 'short', day: 'numeric', year: 'numeric' });
    return (ms) => (firstOfYear.has(ms) ? withYear.format(ms) : this.#formatTime(ms, 'axis-day'));
  }

  #bucketOf(model: ChartModel): Bucket {
    const span = model.starts.length > 1 ? model.starts[1]! - model.starts[0]! : model.ends[0]! - model.starts[0]!;
    if (span <= 60_000) return 'minute';
    if (span <= 3_600_000) return 'hour';
    if (span <= 90_000_000) return 'day';
    return 'week';
  }

  /** Reads the plot's size; true when it changed. */
  #measure(): boolean {
    const plot = this.plotElement;
    if (!plot) return false;
    const size = { width: plot.clientWidth, height: plot.clientHeight };
    if (size.width === this.plotSize.width && size.height === this.plotSize.height) return false;
    this.plotSize = size;
    return true;
  }

  #formatTime(instant: string | number, style: 'medium' | 'short' | 'axis-minute' | 'axis-day'): string {
    return formatDateTime(instant, { locale: this.filterView.settings.locale, timeZone: this.displayTimeZone, style });
  }

  /**
   * "Data as of" names its zone where the chart's clock is not the page's: a host's own
   * header in the browser's zone and a chart in `Asia/Kolkata` gave two times for one
   * instant ("4:50:05 AM", "10:20:09 AM") with nothing to tell them apart.
   */
  #formatAsOf(instant: string): string {
    const { locale } = this.filterView.settings;
    const ms = parseInstant(instant)!;
    const zoned = dateTimeFormat(locale, { timeZone: this.displayTimeZone, dateStyle: 'medium', timeStyle: 'long' }).format(ms);
    return zoned === dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long' }).format(ms) ? this.#formatTime(ms, 'medium') : zoned;
  }

  /** A bucket in the table view, by its start: "Nov 30, 2026" (days, weeks), "Nov 30, 2026, 11:00 PM". */
  #bucketStart(model: ChartModel, index: number): string {
    const coarse = model.bucket === 'day' || model.bucket === 'week';
    return formatWhen(model.starts[index]!, coarse ? 'day' : 'minute', { locale: this.filterView.settings.locale, timeZone: this.displayTimeZone });
  }

  /** The span a bucket's values cover: a partial first one from the range's start, as a partial last one ends at its end. */
  #bucketTitle(model: ChartModel, index: number): string {
    return formatRange(Math.max(model.starts[index]!, model.from), model.ends[index]!, { locale: this.filterView.settings.locale, timeZone: this.displayTimeZone });
  }

  // ---- brush, hover, keyboard --------------------------------------------------------

  #indexAt(clientX: number): number | null {
    const model = this.#currentModel();
    const geometry = this.#geometry;
    const plot = this.plotElement;
    if (!model || !geometry || !plot) return null;
    // In layout pixels, as the geometry is: a page's CSS zoom (or a scaling transform) shows
    // the plot at another size than it lays out.
    const rect = plot.getBoundingClientRect();
    const x = ((clientX - rect.left) * plot.clientWidth) / rect.width;
    if (x < geometry.left || x > geometry.right) return null;
    const index = bucketIndex([...model.starts, model.ends.at(-1)!], geometry.ms(x));
    return index < 0 ? null : index;
  }

  #handlePointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    const index = this.#indexAt(event.clientX);
    if (index === null) return;
    this.#dragStart = event.clientX;
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
    this.selection = null;
    this.keyboardIndex = null;
  };

  #handlePointerMove = (event: PointerEvent): void => {
    const index = this.#indexAt(event.clientX);
    if (this.#dragStart !== null) {
      const start = this.#indexAt(this.#dragStart);
      if (Math.abs(event.clientX - this.#dragStart) >= MIN_BRUSH_PX && start !== null && index !== null) {
        this.selection = { anchor: start, focus: index };
      }
      return;
    }
    this.hoverIndex = index;
    this.#tapped = false;
  };

  #handlePointerUp = (event: PointerEvent): void => {
    const start = this.#dragStart;
    this.#dragStart = null;
    if (start === null) return;
    const selection = this.selection;
    this.selection = null;
    if (selection && Math.abs(event.clientX - start) >= MIN_BRUSH_PX) {
      this.#narrowTo(selection.anchor, selection.focus);
      return;
    }
    // A click narrows to its bucket, as Enter does. A tap (no hover on touch) first shows
    // the bucket's values; a second tap on it narrows.
    const index = this.#indexAt(event.clientX);
    if (index === null) return;
    if (event.pointerType === 'mouse' || (this.#tapped && this.hoverIndex === index)) this.#narrowTo(index, index);
    else {
      this.hoverIndex = index;
      this.#tapped = true;
    }
  };

  #handlePointerCancel = (): void => {
    this.#dragStart = null;
    this.selection = null;
  };

  #handlePointerLeave = (event: PointerEvent): void => {
    // A finger lifted leaves at once: a tapped bucket's values stay until the plot loses the focus.
    if (this.#dragStart === null && event.pointerType === 'mouse') this.hoverIndex = null;
  };

  #handleBlur = (): void => {
    this.keyboardIndex = null;
    this.selection = null;
    if (this.#tapped) this.hoverIndex = null;
    this.#tapped = false;
  };

  #handleKeyDown = (event: KeyboardEvent): void => {
    const model = this.#currentModel();
    if (!model || model.starts.length === 0) return;
    const last = model.starts.length - 1;
    const current = this.keyboardIndex ?? (event.key === 'ArrowLeft' || event.key === 'End' ? last + 1 : -1);
    const page = Math.max(1, Math.round(model.starts.length / 10));
    const moves: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: last,
    };
    if (event.key in moves) {
      event.preventDefault();
      const next = Math.min(last, Math.max(0, moves[event.key]!));
      if (event.shiftKey && event.key !== 'Home' && event.key !== 'End') {
        this.selection = { anchor: this.selection?.anchor ?? Math.min(last, Math.max(0, current)), focus: next };
      } else if (event.shiftKey) {
        this.selection = { anchor: this.selection?.anchor ?? Math.min(last, Math.max(0, current)), focus: next };
      } else this.selection = null;
      this.keyboardIndex = next;
      this.#announce(model, next);
    } else if (event.key === 'Enter') {
      const span = this.selection ?? (this.keyboardIndex !== null ? { anchor: this.keyboardIndex, focus: this.keyboardIndex } : null);
      if (!span) return;
      event.preventDefault();
      this.selection = null;
      this.#narrowTo(span.anchor, span.focus);
    } else if (event.key === 'Escape') {
      // Escape is the chart's while it has something to let go of (a host's modal dialog
      // around it must not close with it), else it passes on: a selection first, the bucket
      // it was made from staying (the next Shift+arrow starts there); then that bucket.
      if (this.selection === null && this.keyboardIndex === null) return;
      event.preventDefault();
      event.stopPropagation();
      if (this.selection) {
        this.selection = null;
        this.announcement = 'Selection cancelled.';
      } else this.keyboardIndex = null;
    }
  };

  #announce(model: ChartModel, index: number): void {
    const content = tooltipContent(model, index, this.hiddenSeries, this.#bucketTitle(model, index));
    const selected = this.selection ? `. Selected ${this.formatCount(Math.abs(this.selection.focus - this.selection.anchor) + 1)} buckets` : '';
    this.announcement = tooltipSentence(content) + selected;
  }

  /** Narrows the shared range to the buckets `a`…`b`, remembering the range to go back to. */
  #narrowTo(a: number, b: number): void {
    const model = this.#currentModel();
    if (!model) return;
    const view = this.filterView;
    const viewFrom = parseInstant(view.from) ?? 0;
    const viewTo = parseInstant(view.to) ?? 0;
    // A partial first or last bucket reaches past the range: the span stays inside it (a
    // bucket appended past `to` by live events is the range's own and kept whole).
    const last = Math.max(a, b);
    const from = Math.max(model.starts[Math.min(a, b)]!, viewFrom);
    const to = model.starts[last]! < viewTo ? Math.min(model.ends[last]!, viewTo) : model.ends[last]!;
    if (from <= viewFrom && to >= viewTo) return;
    const range = { from: formatInstant(from), to: formatInstant(to) };
    // The shared range is what narrows and what Back restores, also on a chart drawn over a
    // range of its own (an overview whose brush narrows the other pieces).
    const shared = this.sharedRange;
    this.rangeHistory = [...this.rangeHistory, { range: shared, label: this.#rangeLabel(shared), set: range }];
    this.keyboardIndex = null;
    this.hoverIndex = null;
    this.updateFilters({ range });
  }

  #rangeLabel(range: FilterRange): string {
    if ('preset' in range) return RANGE_PRESET_PHRASES[range.preset];
    return formatRange(range.from, range.to, { locale: this.filterView.settings.locale, timeZone: this.displayTimeZone });
  }

  #handleBack = (): void => {
    const last = this.rangeHistory.at(-1);
    if (!last) return;
    const rest = this.rangeHistory.slice(0, -1);
    // The last way back takes its button away: its focus goes to the plot.
    if (!rest.length && (this.renderRoot as ShadowRoot).activeElement?.matches('[part~="back"]')) {
      void this.updateComplete.then(() => this.plotElement?.focus());
    }
    this.updateFilters({ range: last.range });
    this.rangeHistory = rest;
  };

  #toggleSeries = (key: string): void => {
    const next = new Set(this.hiddenSeries);
    if (!next.delete(key)) next.add(key);
    this.hiddenSeries = next;
  };

  /** The data table's numbers as a CSV file, named after the chart and the instant its data reflect. */
  #download(data: T, model: ChartModel): void {
    const stamp = data.asOf.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
    saveFile(new Blob([chartCsv(model, UNITS[data.resourceType], parseInstant(data.from)!)], { type: 'text/csv' }), `${this.piece}-${stamp}.csv`);
  }

  #handleTableToggle = (): void => {
    this.tableView = !this.tableView;
  };

  #handleColorScheme = (): void => {
    this.requestUpdate();
  };

  /** A token the canvas is drawn with changed (see `.tokens` in the styles): the page set it. */
  #handleTokens = (event: TransitionEvent): void => {
    if (event.target !== event.currentTarget || event.propertyName !== '--_drawn-tokens') return;
    this.#theme = readChartTheme(this);
    this.requestUpdate();
  };

  // ---- live ----------------------------------------------------------------------------

  #syncLive(): void {
    const { settings } = this.filterView;
    const answer = this.answer;
    const want = this.isConnected && settings.live && settings.endpoint && answer && mayStillArrive(answer.to, answer.asOf);
    if (!want) {
      this.#stopLive();
      return;
    }
    const key = settings.endpoint!;
    if (this.#live && this.#live.key === key && this.#live.options === settings.requestOptions) {
      if (this.#live.reset?.answer !== answer) this.#live.reset = undefined;
      // Not against the answer a reset made stale: events that came since may lie below it.
      if (!this.#live.reset) this.#trimLiveEvents(answer);
      return;
    }
    this.#stopLive();
    // After the newest event kept, not the answer's: a chart put back in the page (kept
    // events and all) was given them again, and counted them twice.
    const newest = this.liveEvents.at(-1)?.id;
    this.#follow(key, settings.requestOptions, newest && compareEventIds(newest, answer.lastEventId) > 0 ? newest : answer.lastEventId);
  }

  /** Follows the stream from `after`, showing its status. */
  #follow(endpoint: string, options: RequestOptions | undefined, after: string): void {
    const live: LiveFollow = { key: endpoint, options, lastEventId: after, unsubscribe: () => {} };
    this.#live = live;
    live.unsubscribe = subscribeToLiveEvents({
      endpoint,
      requestOptions: options,
      after,
      onEvents: (events) => this.#receive(live, events),
      onReset: (lastEventId) => {
        // The refetch holds every event up to its own lastEventId: the kept ones go, and the
        // stream goes on after the position the reset gave, which may lie below the ids seen
        // so far (a store reseeded by a restart numbers its events again from 1).
        live.lastEventId = lastEventId;
        live.reset = { answer: this.answer, lastEventId };
        this.liveEvents = [];
        this.#unseen = [];
        this.#liveEnd.reset(this.filterView);
        void this.dataTask.run();
      },
      // A refused stream (401, 404…) is shown and reported as the table does: a dashboard of charts alone must not fail silently.
      onStatus: (status, error) => {
        this.#liveFailure = error?.message ?? '';
        this.liveStatus = status;
        if (status === 'failed' && error) this.reportError(error);
      },
    });
  }

  /**
   * Reconnect: follows the refused stream again, for every piece on it. The new
   * subscription joins before the old one leaves, so that the connection (and its place
   * in the stream) is kept and restarts after the last event it received; it starts after
   * the last event this chart received, so none is counted twice.
   */
  #reconnectLive(): void {
    const live = this.#live;
    if (!live) return;
    this.#follow(live.key, live.options, live.lastEventId);
    live.unsubscribe();
  }

  #receive(live: LiveFollow, events: readonly ConsumptionEvent[]): void {
    const fresh = events.filter((e) => compareEventIds(e.id, live.lastEventId) > 0);
    for (const event of fresh) if (compareEventIds(event.id, live.lastEventId) > 0) live.lastEventId = event.id;
    const answer = this.answer;
    const after = live.reset?.lastEventId ?? answer?.lastEventId;
    const filter = this.#liveFilter();
    const matching = fresh.filter((e) => (after === undefined || compareEventIds(e.id, after) > 0) && filter(e));
    if (matching.length === 0) return;
    for (const event of matching) this.#liveEnd.note(this.filterView, parseInstant(event.created)!);
    this.#unseen.push(...matching);
    // Drawn at once after a quiet spell, else at most once per LIVE_DRAW_MS or ten times what
    // the last drawing took (up to 10 s): a dense chart took 2 s a drawing on a slow phone,
    // and batches come every 250 ms.
    const wait = this.#shownAt + Math.min(10_000, Math.max(LIVE_DRAW_MS, 10 * this.chartController.drawMs)) - performance.now();
    if (wait <= 0) this.#showLiveEvents();
    else this.#showTimer ??= setTimeout(() => this.#showLiveEvents(), wait);
  }

  /** Live events received and not yet drawn; when they were last drawn (performance.now()); the drawing to come. */
  #unseen: ConsumptionEvent[] = [];
  #shownAt = -Infinity;
  #showTimer?: ReturnType<typeof setTimeout>;

  #showLiveEvents(): void {
    clearTimeout(this.#showTimer);
    this.#showTimer = undefined;
    const events = this.#unseen;
    this.#unseen = [];
    if (events.length === 0) return;
    this.#shownAt = performance.now();
    const { maxKeptEvents } = this.constructor as typeof UsageChartElement;
    if (maxKeptEvents > 0) {
      this.liveEvents = [...this.liveEvents, ...events];
      // Past what is kept, a new answer takes them in (dropping the oldest would lose their amounts).
      if (this.liveEvents.length > maxKeptEvents) void this.dataTask.run();
    }
    this.liveEventsArrived(events);
  }

  /** Matching live events arrived, drawn together (and kept for `applyLiveEvents`, unless `maxKeptEvents` is 0). */
  protected liveEventsArrived(_events: readonly ConsumptionEvent[]): void {}

  #trimLiveEvents(answer: T): void {
    if (this.liveEvents.length && compareEventIds(this.liveEvents[0]!.id, answer.lastEventId) <= 0) {
      this.liveEvents = this.liveEvents.filter((e) => compareEventIds(e.id, answer.lastEventId) > 0);
    }
  }

  #stopLive(): void {
    clearTimeout(this.#showTimer);
    this.#showTimer = undefined;
    this.#unseen = [];
    this.#live?.unsubscribe();
    this.#live = undefined;
    this.liveStatus = null;
    this.#liveFailure = '';
  }
}
