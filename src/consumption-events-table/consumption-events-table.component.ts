import { Task, TaskStatus } from '@lit/task';
import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { live } from 'lit/directives/live.js';
import { downloadEventsCsv, fetchEvents, type RequestOptions, type UsageApiError } from '../api/client.js';
import {
  EVENT_SORT_COLUMNS,
  LIMITS,
  SORT_ORDERS,
  compareEventIds,
  eventsParams,
  type ConsumptionEvent,
  type EventFilter,
  type EventSortColumn,
  type EventsPage,
  type EventsQuery,
  type SortOrder,
} from '../api/contract.js';
import { matchesFilter, mayStillArrive } from '../api/match.js';
import { subscribeToLiveEvents, type LiveStatus } from '../api/stream.js';
import { renderEmpty, renderError, renderLoadingFrame, stateStyles } from '../base/states.js';
import { pieceThemeStyles } from '../base/theme.js';
import { keepFocus } from '../base/keep-focus.js';
import { LiveEnd } from '../base/live-end.js';
import { liveStatusStyles, renderLiveStatus } from '../base/live-status.js';
import { UsageElement } from '../base/usage-element.js';
import { UsageRequestSelectEvent } from '../events/index.js';
import { toEventFilter } from '../filters/state.js';
import {
  countPhrase,
  formatAmount,
  formatDateTime,
  formatInstantFull,
  ioTypeLabel,
  poolCategoryLabel,
  resourceTypeLabel,
} from '../format/index.js';
import { userHref } from '../format/user-href.js';
import { RIGHT_TO_LEFT, revealControls } from '../format/bidi.js';
import { COLUMNS, nextSort, type ColumnDefinition } from './columns.js';
import { tableStyles } from './consumption-events-table.styles.js';
import { GridNavigationController } from './grid-navigation.js';
import { placeInPage } from './ordering.js';
import { maxPageFor, pageAfterEmptyAnswer, summarizePage, type PageSummary } from './paging.js';
import { RowKeys } from './row-keys.js';

/** Pages larger than this render their rows through the virtualizer. */
export const VIRTUALIZE_ABOVE = 100;
/**
 * The virtualizer's rows, kept rendered this many pixels past each edge of the visible
 * part. Its default, 1,000, kept 57 rows in a 900 px view where this keeps 36, and a page
 * change lays out and paints each of them.
 */
export const ROW_OVERHANG_PX = 320;
/** The virtualizer's flow layout with the table's overhang. */
class RowLayout extends FlowLayout {
  constructor(...args: ConstructorParameters<typeof FlowLayout>) {
    super(...args);
    this._overhang = ROW_OVERHANG_PX;
  }
}
const ROW_LAYOUT = { type: RowLayout };
/** How long a row that arrived live stays highlighted. */
const HIGHLIGHT_MS = 2_500;
/** Live events kept while a page loads, to apply to its answer. */
const MAX_BUFFERED_EVENTS = LIMITS.streamMaxBacklog;
const HEADER_ROW_INDEX = 1;
/** Column labels by key, shown beside each value in the narrow (card) layout. */
const LABELS = Object.fromEntries(COLUMNS.map((column) => [column.key, column.label])) as Record<EventSortColumn, string>;

/** The page on screen: the last answer, with the live events placed into it since. */
interface ShownPage {
  items: ConsumptionEvent[];
  page: number;
  pageSize: number;
  total: number;
  totalIsExact: boolean;
  sort: EventSortColumn;
  order: SortOrder;
  /** The filter the page was asked with, for live matching. */
  filter: EventFilter;
  openEnded: boolean;
  /** Events may still arrive in its range (see `mayStillArrive`): the stream is followed. */
  live: boolean;
  /** The request it answered (see `pageKey`). */
  key: string;
}

interface FormattedRow {
  /** The locale and time zone the texts were made for. */
  settings: string;
  created: string;
  fullInstant: string;
  amount: string;
  amountExact: string;
}

interface RequestArgs {
  endpoint: string;
  query: EventsQuery;
  requestOptions: RequestOptions | undefined;
  /** The page-wide options it was made under: new ones ask again. */
  pageOptions: RequestOptions | undefined;
  openEnded: boolean;
}

function sameRequest(a: RequestArgs, b: RequestArgs): boolean {
  return (
    a.endpoint === b.endpoint &&
    a.requestOptions === b.requestOptions &&
    a.pageOptions === b.pageOptions &&
    a.openEnded === b.openEnded &&
    // The same query is the same request: compared as the parameters it sends.
    eventsParams(a.query).toString() === eventsParams(b.query).toString()
  );
}

/** A request as what it asks, a rolling range's moving ends left out: a refresh of a page shown asks the same. */
function pageKey({ endpoint, query, openEnded }: RequestArgs): string {
  return `${endpoint} ${eventsParams(openEnded ? { ...query, from: undefined, to: undefined } : query)}`;
}

const COPY_ICON = html`<svg viewBox="0 0 16 16" aria-hidden="true"><path fill="currentColor" d="M5 1.5A1.5 1.5 0 0 1 6.5 0h7A1.5 1.5 0 0 1 15 1.5v9a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 5 10.5v-9Zm1.5 0v9h7v-9h-7ZM1 5.5A1.5 1.5 0 0 1 2.5 4H4v1.5H2.5v9h7V13H11v1.5A1.5 1.5 0 0 1 9.5 16h-7A1.5 1.5 0 0 1 1 14.5v-9Z"/></svg>`;
const CHECK_ICON = html`<svg viewBox="0 0 16 16" aria-hidden="true"><path fill="currentColor" d="M13.8 3.3a1 1 0 0 1 0 1.4l-7 7a1 1 0 0 1-1.4 0l-3.2-3.2a1 1 0 1 1 1.4-1.4l2.5 2.5 6.3-6.3a1 1 0 0 1 1.4 0Z"/></svg>`;

/**
 * The event log: every consumption event matching the filters, a page at a time from the
 * server, sortable by every column, with live updates, CSV export and keyboard navigation.
 * Under 71rem (the wide table's least width, in units of 16px at the default 14px font
 * size) its cells tighten and its headers wrap, so that every column still fits down to
 * 55.25rem (a laptop's page beside a sidebar); below that Created and Endpoint wrap onto
 * two lines and Resource Type and the IDs take less room, every column in view down to
 * 46.75rem (a tablet held upright); narrower, each event becomes a card of labelled values
 * and the headers a wrapping strip of sort buttons. On hover (their title) the cells say
 * more: Created the full instant with its offset, Amount the exact amount (bytes for
 * storage), the IDs and the endpoint in full.
 *
 * Keyboard: the headers' sort buttons are tab stops (Enter or Space sorts; a first sort
 * of Created or Amount is descending, of the others ascending); the rows are one tab stop
 * with the arrow keys between cells, Home/End within a row, Ctrl+Home/End to the first
 * and last row, PageUp/PageDown by ten rows. A pager button that the page it brings
 * disables (Next on the last page) hands the focus to the page number; one that an error
 * removes, to Retry. Pages of more than 100 rows are virtualized.
 * Live events that sort into the page shown appear in place, highlighted for 2.5 s;
 * the others are counted in a "Show N new events" button, which jumps to page 1 newest first.
 *
 * @summary The detailed log of consumption events, paged and sorted by the server.
 *
 * @csspart base - The frame around toolbar, table and pager.
 * @csspart toolbar - The bar above the table (live status, new events, Download CSV).
 * @csspart title - The table's heading, "Consumption events" (an `h2`, as the charts' titles).
 * @csspart sort-note - Below the toolbar while sorted by Amount under every resource type: amounts of different units compare as plain numbers.
 * @csspart table - The `<table>` (its rows are grids: `--consumption-events-table-columns`).
 * @csspart header-row - The row of column headers.
 * @csspart header-cell - Each column header (holds the sort button).
 * @csspart sort-button - The button in each column header.
 * @csspart row - Each row of events.
 * @csspart cell - Each cell of a row of events.
 * @csspart pager - The page controls below the table.
 * @csspart new-events - The "Show N new events" button shown while live events wait off-page.
 * @csspart download - The Download CSV button.
 * @csspart live-status - The live connection's status (with the endpoint's message when it refused the stream).
 * @csspart live-retry - The Reconnect button shown when the endpoint refused the live stream.
 * @csspart loading-frame - The frame around the rows; while a page loads it holds the progress bar and keeps the pointer off the rows.
 * @csspart progress - The progress bar shown while loading, above the headers (the rows keep their contrast).
 * @csspart empty - The message shown when no events match.
 * @csspart error - The error alert; `error-message` and `retry` are inside it.
 * @csspart error-message - The endpoint's message in the error alert.
 * @csspart retry - The error alert's Retry button.
 *
 * @cssprop [--consumption-events-table-columns] - The `grid-template-columns` of the eight columns.
 * @cssprop [--consumption-events-table-cell-padding=calc(var(--usage-space) * 0.75) var(--usage-space)] - Cell padding.
 * @cssprop [--consumption-events-table-compact-cell-padding=calc(var(--usage-space) * 0.25) calc(var(--usage-space) * 0.75)] - Cell padding with `compact`.
 * @cssprop [--consumption-events-table-header-background] - Background of the header row.
 * @cssprop [--consumption-events-table-row-hover-background] - Background of a row under the pointer.
 * @cssprop [--consumption-events-table-highlight-background] - Background a live row fades from.
 * @cssprop [--consumption-events-table-font-family=var(--usage-font-family)] - Font of the table.
 * @cssprop [--consumption-events-table-mono-font-family=ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace] - Font of IDs and endpoints.
 * @cssprop --usage-color-allocated - The marker of allocated events (Pool Category).
 * @cssprop --usage-color-surplus - The marker of surplus events.
 * @cssprop --usage-color-hybrid - The marker of hybrid events.
 * @cssprop --usage-color-input - The live status dot while connected (the theme's input colour).
 * @cssprop [--consumption-events-table-max-height=none] - Height beyond which the rows scroll inside the table. A height given to the element itself (`height: 400px`, or a flex child's `flex: 1; min-height: 0`) holds the whole frame, the rows scrolling inside.
 *
 * @fires {UsageUserSelectEvent} usage-user-select - A person activated a user ID (cancelable; unprevented and without `user-href`, the filters narrow to that user).
 * @fires {UsageRequestSelectEvent} usage-request-select - A person activated a request ID.
 * @fires {UsageErrorEvent} usage-error - A page, the CSV or the live stream failed, or an attribute had a bad value.
 * @fires {UsageFiltersChangeEvent} usage-filters-change - The table narrowed its filters to a user (a User ID pressed, without `user-href`), dispatched by the table when alone or in a `filter-group` without a `<usage-filters>`, else by the holder.
 */
export class ConsumptionEventsTable extends UsageElement {
  static override styles = [pieceThemeStyles, stateStyles, liveStatusStyles, tableStyles];

  static override properties: PropertyDeclarations = {
    sort: {},
    order: {},
    pageSize: { attribute: 'page-size', type: Number },
    page: { type: Number },
    userHref: { attribute: 'user-href' },
    compact: { type: Boolean, reflect: true },
    shown: { state: true, attribute: false },
    newEvents: { state: true, attribute: false },
    liveStatus: { state: true, attribute: false },
    downloading: { state: true, attribute: false },
    notice: { state: true, attribute: false },
    failure: { state: true, attribute: false },
    announcement: { state: true, attribute: false },
    copiedId: { state: true, attribute: false },
  };

  /** The column the server sorts by: `created` (default), `userId`, `amount`, `resourceType`, `poolCategory`, `ioType`, `requestId` or `endpoint`. */
  sort: EventSortColumn = 'created';

  /** The sort direction: `desc` (default) or `asc`. */
  order: SortOrder = 'desc';

  /**
   * Events per page, 1–500 (default 25). Pages above 100 rows are virtualized.
   * @default 25
   */
  pageSize: number = LIMITS.defaultPageSize;

  /** The page shown, from 1; returns to 1 when the filters, the sort or the page size change. */
  page = 1;

  /** A link template for user IDs, e.g. `/admin/users/{userId}` (`{userId}` is replaced by the URL-encoded ID). */
  userHref?: string;

  /** Denser rows. */
  compact = false;

  private shown: ShownPage | null = null;
  private newEvents = 0;
  private liveStatus: LiveStatus | null = null;
  /** Why the endpoint refused the live stream (shown with the status). */
  #liveFailure = '';
  private downloading = false;
  /** The toolbar's status ("Request ID copied."). */
  private notice = '';
  /** Why the last CSV download failed: an alert, as every piece's errors are (the button tries again). */
  private failure = '';
  /**
   * What a screen reader hears when a page asked for by the pager or a sort button arrives,
   * or when the live stream is back after Reconnect (once per press, not at each of the
   * stream's own reconnections).
   */
  private announcement = '';
  #announceLive?: boolean;
  /** Whether live events reached this answer's page or its "N new events": said once, not at every event. */
  #arrived = false;
  #announcePage?: boolean;
  /** "N new events: show" was pressed from the keyboard: its answer's first row takes the focus. */
  #focusFirstRow?: boolean;
  /** The request ID whose copy button shows a check. */
  private copiedId: string | null = null;

  readonly #navigation = new GridNavigationController(this, {
    container: () => this.renderRoot.querySelector<HTMLElement>('[part~="table"]'),
    revealRow: (rowIndex) => this.#revealRow(rowIndex),
  });

  readonly #task = new Task(this, {
    task: async ([args], { signal }) => {
      const answer = await fetchEvents(args.endpoint, this.#query(args), { signal, requestOptions: args.requestOptions });
      return { answer, args };
    },
    args: () => [this.#requestArgs()] as const,
    argsEqual: ([a], [b]) => sameRequest(a, b),
    onComplete: ({ answer, args }) => this.#receive(answer, args),
    onError: (error) => {
      this.#keepPagerFocus();
      this.reportError(error);
    },
  });

  #requestArgsCache?: RequestArgs;
  #validSettings: { sort: EventSortColumn; order: SortOrder; pageSize: number; page: number } = {
    sort: 'created',
    order: 'desc',
    pageSize: LIMITS.defaultPageSize,
    page: 1,
  };
  #lastFilterKey?: string;
  /** Where later requests end when live events went past a rolling preset's `to`. */
  #liveEnd = new LiveEnd();
  /** Rows marked new, with when (performance.now()). */
  #highlighted = new Map<string, number>();
  /** The newest event id the page holds or has counted: the answer's, then the live events'. */
  #seenId = '';
  #highlightTimer?: ReturnType<typeof setTimeout>;
  #copiedTimer?: ReturnType<typeof setTimeout>;
  #buffered: ConsumptionEvent[] = [];
  #formattedRows = new WeakMap<ConsumptionEvent, FormattedRow>();
  #rowKeys = new RowKeys();
  #live?: { endpoint: string; requestOptions: RequestOptions | undefined; unsubscribe: () => void };

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('beforeprint', this.#print);
    addEventListener('afterprint', this.#print);
  }

  /**
   * Printing, every row of the page is laid out, at once (before the browser lays the page
   * out for paper): the virtualizer's are those in view, and a 500-row page printed 36 rows
   * and then blank pages.
   */
  #printing = false;
  #print = (event: Event): void => {
    this.#printing = event.type === 'beforeprint';
    this.requestUpdate();
    this.performUpdate();
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('beforeprint', this.#print);
    removeEventListener('afterprint', this.#print);
    this.#stopLive();
    clearTimeout(this.#highlightTimer);
    this.#highlightTimer = undefined;
    clearTimeout(this.#copiedTimer);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    const active = this.shadowRoot?.activeElement;
    this.#focusColumn = active ? (active.closest<HTMLElement>('[data-column]')?.dataset.column ?? '') : undefined;
    this.#validateOwnAttributes(changed);
    const view = this.filterView;
    const filterKey = JSON.stringify(view.state);
    if (this.#lastFilterKey !== undefined && filterKey !== this.#lastFilterKey) this.page = 1;
    this.#lastFilterKey = filterKey;
    // A changed sort, order or page size (not its first value) goes back to page 1.
    if (['sort', 'order', 'pageSize'].some((key) => changed.get(key) !== undefined)) this.page = 1;
    this.#validSettings.page = this.page;
    this.#syncLive();
  }

  /** The column of the cell holding the focus before this update ('' elsewhere in the table; undefined: outside it). */
  #focusColumn?: string | undefined;

  // A filter or page change (Back, a host's write) may take away the focused row, the pager
  // or Retry: the focus goes to the column's sort button, else the first, never to the page.
  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    const root = this.shadowRoot!;
    keepFocus(root, this.#focusColumn !== undefined, () => [
      root.querySelector<HTMLElement>(`[part~="sort-button"][data-col="${this.#focusColumn}"]`),
      root.querySelector<HTMLElement>('[part~="sort-button"]'),
    ]);
  }

  /** `loading` and `error` follow the task, whose run starts after `willUpdate` (set here, they are part of this update). */
  protected override update(changed: Map<PropertyKey, unknown>): void {
    const status = this.#task.status;
    this.loading = status === TaskStatus.PENDING;
    this.error = status === TaskStatus.ERROR;
    super.update(changed);
  }

  // Its buttons carry no type="button": no <form> reaches into a shadow tree (a host's form
  // around the element is not theirs), so they submit nothing (dashboard-pieces.test.ts).
  override render(): TemplateResult {
    return html`<canvas class="sizer" aria-hidden="true"></canvas>
      <div part="base" class="base">
        ${this.#renderToolbar()} ${this.#renderSortNote()}
        ${this.#task.render({
          initial: () => this.#renderBody(true),
          pending: () => this.#renderBody(true),
          complete: () => this.#renderBody(false),
          error: (error) => this.#renderBody(false, error as UsageApiError),
        })}
      </div>`;
  }

  #renderToolbar(): TemplateResult {
    return html`<div part="toolbar" class="toolbar">
      <div class="toolbar-start">
        <h2 class="title" part="title" id="title">Consumption events</h2>
        ${renderLiveStatus(this.liveStatus, this.#liveFailure, () => this.#reconnectLive(), 'action', () =>
          // Back live, the Reconnect button's place in the toolbar goes to the control after it.
          this.liveStatus === 'open' ? this.renderRoot.querySelector<HTMLElement>('[part~="new-events"], [part~="download"]') : null,
        )}
        <span role="status" class="sr-only">${this.#arrived ? 'New events arrived.' : ''}</span>
        <span role="status" class="sr-only">${this.announcement}</span>
        <span class="toolbar-start">
          ${this.newEvents > 0
            ? html`<button part="new-events" class="action new-events" @click=${this.#showNewEvents}>
                Show ${countPhrase(this.newEvents, 'new event', this.filterView.settings.locale)}
              </button>`
            : nothing}
        </span>
      </div>
      <div class="toolbar-end">
        <span role="status" class="toolbar-message">${this.notice}</span>
        ${this.failure ? html`<span role="alert" class="toolbar-message error">${this.failure}</span>` : nothing}
        <button part="download" class="action" aria-disabled=${this.downloading ? 'true' : 'false'} @click=${this.#download}>
          ${this.downloading ? 'Preparing CSV…' : 'Download CSV'}
        </button>
      </div>
    </div>`;
  }

  /**
   * Sorted by Amount under every resource type, bytes of storage sort above any count of
   * tokens (the server compares the numbers): said, so that nobody reads it as a ranking.
   */
  #renderSortNote(): unknown {
    if (!this.#sortNoteShown()) return nothing;
    return html`<p part="sort-note" class="sort-note" id="sort-note">
      Sorted by amount across every resource type: bytes, tokens and pages compare as plain numbers. Choose a resource type to compare like with like.
    </p>`;
  }

  #sortNoteShown(): boolean {
    return this.sort === 'amount' && this.filterView.state.resourceType === null;
  }

  // One template for loading, empty, rows and failure: Lit keeps the header's sort buttons
  // (and the focus on one) from the one to the next, as sorting an empty log goes loading →
  // empty. A refresh of the page shown that fails (a rolling range moving on, a Retry, a
  // stream's reset) keeps its rows under the error, following the live stream.
  #renderBody(loading: boolean, error?: UsageApiError): TemplateResult {
    const shown = this.shown;
    const kept = !error || (!!shown?.items.length && shown.key === pageKey(this.#requestArgs()));
    // An empty answer's message names the filters: while the next answer loads, they are
    // no longer the ones it was for.
    const waiting = !shown || (shown.items.length === 0 && loading);
    const rows = !kept || waiting || shown.items.length === 0 ? null : shown;
    const items = rows?.items ?? [];
    const failure =
      error &&
      renderError(error, () => void this.#task.run(), 'Consumption events', {
        ...this.display,
        // Once the page is back, the focus goes to the first column's sort button, in the table named "Consumption events".
        landing: () => (this.loading ? null : this.renderRoot.querySelector<HTMLElement>('[part~="sort-button"]')),
      });
    // Above the rows it keeps; else where the empty state's message goes, under the headers.
    return html`${rows && failure}${renderLoadingFrame(
      loading,
      html`${this.#renderTable(items, rows ? (rows.page - 1) * rows.pageSize : 0)}${rows
        ? nothing
        : failure ||
          (waiting ? html`<div class="usage-state" role="status">Loading events…</div>` : renderEmpty(this.filterView.state, 'table', 'events match', this.display))}`,
    )}${rows ? this.#renderPager(rows) : nothing}`;
  }

  #renderTable(items: readonly ConsumptionEvent[], offset: number): TemplateResult {
    const shown = this.shown;
    const rowCount = shown && items.length > 0 ? (shown.totalIsExact ? shown.total + 1 : -1) : 1;
    const firstRow = offset + HEADER_ROW_INDEX + 1;
    this.#navigation.setRows(firstRow, items.map((event) => event.id));
    const renderRow = (event: ConsumptionEvent, index: number): TemplateResult => this.#renderRow(event, firstRow + index);
    const keyOf = this.#rowKeys.assign(items.map((event) => event.id));
    return html`<div class="scroll">
      <table
        role="table"
        part="table"
        class="table"
        aria-labelledby="title"
        aria-rowcount=${rowCount}
        aria-describedby=${items.length > 0 ? 'pager-range' : nothing}
        @keydown=${this.#handleTableKeyDown}
        @focusin=${this.#navigation.handleFocusIn}
      >
        <thead role="rowgroup" class="head">
          <tr role="row" part="header-row" class="row header-row" aria-rowindex=${HEADER_ROW_INDEX}>
            ${COLUMNS.map((column) => this.#renderHeaderCell(column))}
          </tr>
        </thead>
        <tbody role="rowgroup" class="body">
          ${items.length > VIRTUALIZE_ABOVE && !this.#printing
            ? virtualize({ items: items as ConsumptionEvent[], keyFunction: (event) => keyOf(event.id), renderItem: renderRow, layout: ROW_LAYOUT })
            : repeat(items, (event) => keyOf(event.id), renderRow)}
        </tbody>
      </table>
    </div>`;
  }

  #renderHeaderCell(column: ColumnDefinition): TemplateResult {
    const sorted = this.sort === column.key;
    const ariaSort = sorted ? (this.order === 'asc' ? 'ascending' : 'descending') : nothing;
    return html`<th
      role="columnheader"
      part="header-cell"
      class="header-cell"
      aria-sort=${ariaSort}
      data-align=${column.key === 'amount' ? 'end' : 'start'}
    >
      <button
        part="sort-button"
        class="sort"
        data-nav=${column.key}
        data-col=${column.key}
        aria-describedby=${column.key === 'amount' && this.#sortNoteShown() ? 'sort-note' : nothing}
        @click=${() => this.#sortBy(column)}
      >
        ${column.label}<span class="sort-icon" aria-hidden="true"></span>
      </button>
    </th>`;
  }

  /**
   * Escape closes a focused Created cell's full-instant box, which hangs over the next row
   * (WCAG 1.4.13: dismissible), until the cell loses the focus; the other keys move
   * between cells.
   */
  #handleTableKeyDown = (event: KeyboardEvent): void => {
    const cell = event.target as HTMLElement;
    if (event.key === 'Escape' && cell.dataset.nav === 'created' && !cell.hasAttribute('data-dismissed')) {
      event.preventDefault();
      event.stopPropagation();
      cell.setAttribute('data-dismissed', '');
      cell.addEventListener('blur', () => cell.removeAttribute('data-dismissed'), { once: true });
      return;
    }
    this.#navigation.handleKeyDown(event);
  };

  #renderRow(event: ConsumptionEvent, rowIndex: number): TemplateResult {
    const tab = (key: string): 0 | -1 => this.#navigation.tabIndexFor(rowIndex, key);
    const { created, fullInstant, amount, amountExact } = this.#formatted(event);
    // Cut short in the middle, so that its end stays in view (IDs are told apart by both ends): "req_kmrXxy7…qR85W";
    // named by the whole ID (its two parts were read as two words).
    // Not a right-to-left ID: its two parts, two runs of the line, were drawn in each other's place.
    const requestId = revealControls(event.requestId);
    // Its cell is named by it as written (aria-label): Chromium named the text around the
    // <wbr> line-break hints "/ v1/ chat/ completions", a space at each.
    const endpoint = revealControls(event.endpoint);
    const [, requestHead, requestTail] = (RIGHT_TO_LEFT.test(requestId) ? ['', '', requestId] : /^(.*?)(.{0,6})$/su.exec(requestId)!) as string[];
    return html`<tr role="row" part="row" class="row" aria-rowindex=${rowIndex} ?data-new=${this.#highlighted.has(event.id)}>
      <td role="cell" part="cell" class="cell" data-column="created" data-label=${LABELS.created} data-nav="created" tabindex=${tab('created')} title=${fullInstant}>
        <time datetime=${event.created} dir="auto">${created}</time>
        <span class="full-instant" aria-hidden="true"><bdi>${fullInstant}</bdi></span>
      </td>
      <td role="cell" part="cell" class="cell mono" data-column="userId" data-label=${LABELS.userId} title=${revealControls(event.userId)}>${this.#renderUser(event.userId, tab('userId'))}</td>
      <td role="cell" part="cell" class="cell" data-column="amount" data-label=${LABELS.amount} data-align="end" data-nav="amount" tabindex=${tab('amount')} title=${amountExact}>
        ${amount}
      </td>
      <td role="cell" part="cell" class="cell" data-column="resourceType" data-label=${LABELS.resourceType} data-nav="resourceType" tabindex=${tab('resourceType')}>
        ${resourceTypeLabel(event.resourceType)}
      </td>
      <td role="cell" part="cell" class="cell" data-column="poolCategory" data-label=${LABELS.poolCategory} data-nav="poolCategory" tabindex=${tab('poolCategory')}>
        <span class="pool"><span class="marker" data-pool=${event.poolCategory} aria-hidden="true"></span>${poolCategoryLabel(event.poolCategory)}</span>
      </td>
      <td role="cell" part="cell" class="cell" data-column="ioType" data-label=${LABELS.ioType} data-nav="ioType" tabindex=${tab('ioType')}>${ioTypeLabel(event.ioType)}</td>
      <td role="cell" part="cell" class="cell mono" data-column="requestId" data-label=${LABELS.requestId} title=${requestId}>
        <span class="request">
          <button class="link" data-nav="requestId" tabindex=${tab('requestId')} aria-label=${requestId} @click=${() => this.dispatchEvent(new UsageRequestSelectEvent({ requestId: event.requestId }))}>
            <span class="cut">${requestHead}</span>${requestTail}
          </button>
          <button
            class="copy"
            data-nav="copy"
            data-col="requestId"
            tabindex=${tab('copy')}
            aria-label="Copy request ID ${requestId}"
            title="Copy request ID"
            @click=${() => void this.#copy(event.requestId)}
          >
            ${this.copiedId === event.requestId ? CHECK_ICON : COPY_ICON}
          </button>
        </span>
      </td>
      <td role="cell" part="cell" class="cell mono" data-column="endpoint" data-label=${LABELS.endpoint} data-nav="endpoint" tabindex=${tab('endpoint')} title=${endpoint} aria-label=${endpoint}>
        ${endpoint.split(/(?<=\/)(?=.)/).map((part, i) => (i ? html`<wbr />${part}` : part))}
      </td>
    </tr>`;
  }

  /**
   * A row's formatted texts, kept per event while the locale and time zone stay: every
   * update re-renders the rows on screen (a page load, the live status, focus moves), and
   * Intl formatting is most of a row's cost.
   */
  #formatted(event: ConsumptionEvent): FormattedRow {
    const locale = this.filterView.settings.locale;
    const timeZone = this.viewTimeZone();
    const settings = `${locale ?? ''}|${timeZone}`;
    const cached = this.#formattedRows.get(event);
    if (cached?.settings === settings) return cached;
    const amount = formatAmount(event.amount, event.resourceType, { locale });
    const row: FormattedRow = {
      settings,
      created: formatDateTime(event.created, { locale, timeZone, style: 'medium' }),
      fullInstant: formatInstantFull(event.created, { locale, timeZone }),
      amount,
      // Exact: bytes for storage (the cell shows them scaled); tokens and pages in full, in the singular for one.
      amountExact: event.resourceType === 'storage' ? countPhrase(event.amount, 'byte', locale) : amount,
    };
    this.#formattedRows.set(event, row);
    return row;
  }

  #renderUser(userId: string, tabIndex: 0 | -1): TemplateResult {
    const select = (e: MouseEvent) => this.selectUser(userId, this.userHref, e);
    if (this.userHref) {
      return html`<a class="link" href=${userHref(this.userHref, userId)} data-nav="userId" tabindex=${tabIndex} @click=${select}>${revealControls(userId)}</a>`;
    }
    return html`<button class="link" data-nav="userId" tabindex=${tabIndex} @click=${select}>
      ${revealControls(userId)}
    </button>`;
  }

  /** Where the page stands, and its rows as "26–50 of 1,234" ("of 100,000+" when the total is a lower bound). */
  #pageRange(shown: ShownPage): { range: string; summary: PageSummary } {
    const summary = summarizePage(shown.page, shown.pageSize, shown.items.length, shown.total, shown.totalIsExact);
    const first = this.formatCount(summary.first);
    // Left-to-right marks around the dash, for digits other than 0–9: between two
    // Arabic-Indic numbers it took their direction, and "١–٢٥" was drawn "٢٥–١". None
    // otherwise: "1–25 of 100,000+" is the text as written.
    const mark = /\d/.test(first) ? '' : '\u200e';
    return { summary, range: `${first}${mark}–${mark}${this.formatCount(summary.last)} of ${this.formatCount(shown.total)}${shown.totalIsExact ? '' : '+'}` };
  }

  #renderPager(shown: ShownPage): TemplateResult {
    const { range, summary } = this.#pageRange(shown);
    const goTo = (page: number) => () => this.#goToPage(page);
    // A group, not a navigation landmark: two tables on a page would name two landmarks alike.
    return html`<div part="pager" class="pager" role="group" aria-label="Pages of events">
      <span class="pager-range" id="pager-range">${range}</span>
      <div class="pager-controls">
        <button class="action" aria-label="First page" title="First page" ?disabled=${!summary.hasPrevious} @click=${goTo(1)}>«</button>
        <button class="action" aria-label="Previous page" title="Previous page" ?disabled=${!summary.hasPrevious} @click=${goTo(shown.page - 1)}>‹</button>
        <label class="page-input">
          Page
          <!-- Named "Page" and described "of 55": the label's whole text named it "Page of 55". -->
          <input
            type="number"
            inputmode="numeric"
            aria-label="Page"
            aria-describedby=${summary.lastPage !== null ? 'page-of' : nothing}
            min="1"
            max=${summary.lastPage ?? maxPageFor(shown.pageSize)}
            .value=${live(String(shown.page))}
            @change=${this.#pageInputChanged}
            @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.#pageInputChanged(e)}
          />
          ${summary.lastPage !== null ? html`<span id="page-of">of ${this.formatCount(summary.lastPage)}</span>` : nothing}
        </label>
        <button class="action" aria-label="Next page" title="Next page" ?disabled=${!summary.hasNext} @click=${goTo(shown.page + 1)}>›</button>
        <button
          class="action"
          aria-label="Last page"
          title=${summary.lastPage === null ? 'Last page (unknown beyond 100,000 events)' : 'Last page'}
          ?disabled=${summary.lastPage === null || shown.page >= summary.lastPage}
          @click=${goTo(summary.lastPage ?? shown.page)}
        >
          »
        </button>
      </div>
    </div>`;
  }

  // --- Requests ------------------------------------------------------------------------


  /** The arguments of the page request; the same object while nothing in them changed. */
  #requestArgs(): RequestArgs {
    const view = this.filterView;
    const query: EventsQuery = {
      ...toEventFilter(view.state, view.from, view.to, { piece: 'table' }),
      tz: this.viewTimeZone(),
      sort: this.sort,
      order: this.order,
      page: this.page,
      pageSize: this.pageSize,
    };
    const next: RequestArgs = {
      endpoint: view.settings.endpoint ?? '',
      query,
      requestOptions: view.settings.requestOptions,
      pageOptions: view.pageOptions,
      openEnded: view.openEnded,
    };
    const cached = this.#requestArgsCache;
    return cached && sameRequest(cached, next) ? cached : (this.#requestArgsCache = next);
  }

  /** The request's query, its `to` reaching the live events taken in past it. */
  #query({ query, openEnded }: RequestArgs): EventsQuery {
    return query.to === undefined ? query : { ...query, to: this.#liveEnd.to(openEnded, query.to) };
  }

  /** A new answer: shown, unless it is an empty page past the end (then the last page is asked for). */
  #receive(answer: EventsPage, args: RequestArgs): void {
    if (answer.items.length === 0) {
      const shown = this.shown;
      const shownWithRows = shown?.items.length && shown.pageSize === answer.pageSize ? shown.page : 0;
      const last = pageAfterEmptyAnswer(answer.page, answer.pageSize, answer.total, answer.totalIsExact, shownWithRows);
      if (last !== null && this.page === answer.page) {
        this.page = last;
        return;
      }
    }
    const { page: _page, pageSize: _pageSize, sort: _sort, order: _order, tz: _tz, ...filter } = args.query;
    this.shown = {
      items: [...answer.items],
      page: answer.page,
      pageSize: answer.pageSize,
      total: answer.total,
      totalIsExact: answer.totalIsExact,
      sort: args.query.sort ?? 'created',
      order: args.query.order ?? 'desc',
      filter,
      openEnded: args.openEnded,
      live: mayStillArrive(filter.to, answer.asOf),
      key: pageKey(args),
    };
    this.newEvents = 0;
    this.#arrived = false;
    this.#seenId = answer.lastEventId;
    this.#highlighted.clear();
    this.announcement = this.#announcePage ? this.#describePage(this.shown) : '';
    this.#announcePage = false;
    // Unless the person has moved on from the rows meanwhile (asked now: rendering the new
    // page can move the focused row, and a moved element loses its focus).
    if (this.#focusFirstRow && (this.renderRoot as ShadowRoot).activeElement?.closest('[role="table"]')) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.body [data-nav]')?.focus());
    }
    this.#focusFirstRow = false;
    this.#keepPagerFocus();
    const buffered = this.#buffered.splice(0);
    if (buffered.length > 0) this.#applyLiveEvents(buffered);
  }

  /**
   * A pager button the answer disables or removes (Next on the last page; the pager under an
   * error) would drop the focus to the document: it goes to the page number, or to Retry.
   */
  #keepPagerFocus(): void {
    const button = (this.renderRoot as ShadowRoot).activeElement?.closest('.pager button');
    // The task asks for its update after onError: ask now, so that the wait covers it.
    this.requestUpdate();
    if (button) void this.updateComplete.then(() => button.matches(':enabled:focus') || this.renderRoot.querySelector<HTMLElement>('.page-input input, [part~="retry"]')?.focus());
  }

  #validateOwnAttributes(changed: Map<PropertyKey, unknown>): void {
    const valid: Record<string, unknown> = this.#validSettings;
    const own = this as unknown as Record<string, unknown>;
    const upTo = (max: number) => (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max;
    // Each setting: its attribute, its default, whether a value is good, and what a good value is.
    const settings: [string, string, unknown, (value: unknown) => boolean, () => string][] = [
      ['sort', 'sort', 'created', (value) => (EVENT_SORT_COLUMNS as readonly unknown[]).includes(value), () => `one of ${EVENT_SORT_COLUMNS.join(', ')}`],
      ['order', 'order', 'desc', (value) => (SORT_ORDERS as readonly unknown[]).includes(value), () => 'asc or desc'],
      ['pageSize', 'page-size', LIMITS.defaultPageSize, upTo(LIMITS.maxPageSize), () => `an integer from 1 to ${LIMITS.maxPageSize}`],
      // After the page size: its last page depends on it.
      ['page', 'page', 1, (value) => upTo(maxPageFor(this.pageSize))(value), () => `an integer from 1 to ${maxPageFor(this.pageSize)}`],
    ];
    for (const [key, attribute, fallback, isGood, expected] of settings) {
      if (!changed.has(key)) continue;
      let value = own[key];
      // A removed attribute (null, or empty) is not a bad value: its default applies.
      if (value == null || value === '') own[key] = value = fallback;
      if (isGood(value)) valid[key] = value;
      else {
        // The page size as written (its number is NaN for a word).
        const text = key === 'pageSize' ? (this.getAttribute(attribute) ?? String(value)) : value;
        this.reportBadAttribute({ param: attribute, message: `${attribute} must be ${expected()}; got "${text}"` });
        own[key] = valid[key];
      }
    }
  }

  // --- Actions -------------------------------------------------------------------------

  /** "Events 26–50 of 1,234, page 2 of 50, sorted by Amount, descending." (`asc`/`desc` + "ending"). */
  #describePage(shown: ShownPage): string {
    const { range, summary } = this.#pageRange(shown);
    const of = summary.lastPage === null ? '' : ` of ${this.formatCount(summary.lastPage)}`;
    return `Events ${range}, page ${this.formatCount(shown.page)}${of}, sorted by ${LABELS[shown.sort]}, ${shown.order}ending.`;
  }

  #sortBy(column: ColumnDefinition): void {
    this.#announcePage = true;
    const next = nextSort({ sort: this.sort, order: this.order }, column);
    this.sort = next.sort;
    this.order = next.order;
  }

  #goToPage(page: number): void {
    const shown = this.shown;
    const summary = shown && summarizePage(shown.page, shown.pageSize, shown.items.length, shown.total, shown.totalIsExact);
    const max = summary?.maxPage ?? maxPageFor(this.pageSize);
    const next = Math.min(Math.max(1, Math.trunc(page) || 1), max);
    if (next !== this.page) this.#announcePage = true;
    this.page = next;
  }

  #pageInputChanged(event: Event): void {
    const input = event.target as HTMLInputElement;
    const page = Number(input.value);
    this.#goToPage(Number.isFinite(page) ? page : this.page);
    input.value = String(this.page);
  }

  async #copy(requestId: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(requestId);
      this.copiedId = requestId;
      this.notice = 'Request ID copied.';
      this.failure = '';
      clearTimeout(this.#copiedTimer);
      this.#copiedTimer = setTimeout(() => {
        this.copiedId = null;
        if (this.notice === 'Request ID copied.') this.notice = '';
      }, 1_500);
    } catch (error) {
      this.notice = '';
      this.failure = `The request ID could not be copied: ${(error as Error).message}`;
    }
  }

  async #download(): Promise<void> {
    // aria-disabled while it prepares, not disabled: a disabled button would drop the focus.
    if (this.downloading) return;
    const args = this.#requestArgs();
    const { page: _page, pageSize: _pageSize, ...query } = this.#query(args);
    this.downloading = true;
    this.notice = '';
    this.failure = '';
    try {
      await downloadEventsCsv(args.endpoint, query, { requestOptions: args.requestOptions });
    } catch (error) {
      this.failure = `The CSV could not be downloaded: ${(error as Error).message}`;
      this.reportError(error);
    } finally {
      this.downloading = false;
    }
  }

  /**
   * Shows the newest events: page 1, newest first (refetched when it is already shown). A
   * rolling preset is open at its end for live events: when those counted lie past the
   * resolved `to`, the request's `to` moves to the minute after the newest of them.
   */
  #showNewEvents(): void {
    // The button goes away: the focus it had goes to the rows' tab stop, not the page's
    // body, and to the first row (the newest event) once the new events are shown; not to
    // wherever the stop's own event moved, if it is among them.
    if ((this.renderRoot as ShadowRoot).activeElement?.matches('[part~="new-events"]')) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role="table"] [tabindex="0"]')?.focus());
      this.#focusFirstRow = true;
    }
    this.newEvents = 0;
    if (this.page === 1 && this.sort === 'created' && this.order === 'desc') {
      void this.#task.run();
      return;
    }
    this.sort = 'created';
    this.order = 'desc';
    this.page = 1;
  }

  async #revealRow(rowIndex: number): Promise<void> {
    const shown = this.shown;
    const body = this.renderRoot.querySelector<HTMLElement & VirtualizerHostElement>('.body');
    const virtualizer = body?.[virtualizerRef];
    if (!shown || !virtualizer) return;
    const index = rowIndex - HEADER_ROW_INDEX - 1 - (shown.page - 1) * shown.pageSize;
    virtualizer.element(index)?.scrollIntoView({ block: 'nearest' });
    const rendered = (): boolean => this.renderRoot.querySelector(`[role="row"][aria-rowindex="${rowIndex}"]`) != null;
    // The virtualizer lays out over a few frames after the scroll; give it up to ~0.5 s.
    for (let frame = 0; frame < 30 && !rendered(); frame += 1) {
      await virtualizer.layoutComplete.catch(() => undefined);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }


  // --- Live ----------------------------------------------------------------------------

  #syncLive(): void {
    const settings = this.filterView.settings;
    const endpoint = settings.endpoint;
    const wanted = this.isConnected && settings.live && endpoint && this.shown?.live ? endpoint : undefined;
    if (this.#live && (this.#live.endpoint !== wanted || this.#live.requestOptions !== settings.requestOptions)) this.#stopLive();
    if (!wanted || this.#live) return;
    const unsubscribe = subscribeToLiveEvents({
      endpoint: wanted,
      requestOptions: settings.requestOptions,
      // After the newest event taken in: a table put back in the page was given its live rows again.
      after: this.#seenId,
      onEvents: (events) => this.#onLiveEvents(events),
      onReset: () => {
        this.#liveEnd.reset(this.filterView);
        void this.#task.run();
      },
      onStatus: (status, error) => {
        this.#liveFailure = error?.message ?? '';
        this.liveStatus = status;
        if (status === 'open' && this.#announceLive) this.announcement = 'Live updates resumed.';
        if (status === 'open' || status === 'failed') this.#announceLive = false;
        if (status === 'failed' && error) this.reportError(error);
      },
    });
    this.#live = { endpoint: wanted, requestOptions: settings.requestOptions, unsubscribe };
  }

  /** Reconnect: follows the refused stream again (for every piece that follows it). */
  #reconnectLive(): void {
    this.#announceLive = true;
    this.announcement = '';
    this.#stopLive();
    this.#syncLive();
  }

  #stopLive(): void {
    this.#live?.unsubscribe();
    this.#live = undefined;
    this.liveStatus = null;
    this.#buffered = [];
  }

  #onLiveEvents(events: readonly ConsumptionEvent[]): void {
    if (this.#task.status === TaskStatus.PENDING || !this.shown) {
      this.#buffered.push(...events);
      if (this.#buffered.length > MAX_BUFFERED_EVENTS) this.#buffered.splice(0, this.#buffered.length - MAX_BUFFERED_EVENTS);
      return;
    }
    this.#applyLiveEvents(events);
  }

  /**
   * Places the events above the page's `lastEventId` that match its filter: into the page
   * where they sort into it, otherwise counted in "N new events".
   */
  #applyLiveEvents(events: readonly ConsumptionEvent[]): void {
    const shown = this.shown;
    if (!shown) return;
    let items = shown.items;
    let total = shown.total;
    let totalIsExact = shown.totalIsExact;
    let counted = 0;
    const inserted: string[] = [];
    for (const event of events) {
      if (compareEventIds(event.id, this.#seenId) <= 0) continue;
      this.#seenId = event.id;
      if (!matchesFilter(event, shown.filter, { openEnd: shown.openEnded })) continue;
      this.#liveEnd.note(this.filterView, Date.parse(event.created));
      if (totalIsExact) {
        total += 1;
        if (total > LIMITS.exactTotalCap) {
          total = LIMITS.exactTotalCap;
          totalIsExact = false;
        }
      }
      const index = placeInPage(event, { ...shown, items });
      if (index === null) {
        counted += 1;
        continue;
      }
      items = [...items.slice(0, index), event, ...items.slice(index)].slice(0, shown.pageSize);
      inserted.push(event.id);
    }
    if (inserted.length === 0 && counted === 0) return;
    this.#arrived = true;
    this.shown = { ...shown, items, total, totalIsExact };
    this.newEvents += counted;
    if (inserted.length > 0) this.#highlight(inserted);
  }

  /**
   * Marks rows new for HIGHLIGHT_MS each. One timer for all, restarted by every batch, never
   * fired under steady traffic: every row stayed marked, and the set held every event since load.
   */
  #highlight(ids: readonly string[]): void {
    const now = performance.now();
    for (const id of ids) this.#highlighted.set(id, now);
    this.#highlightTimer ??= setTimeout(() => this.#fade(), HIGHLIGHT_MS);
  }

  #fade(): void {
    this.#highlightTimer = undefined;
    const now = performance.now();
    // In the order marked: the first still new says when to look again.
    for (const [id, at] of this.#highlighted) {
      if (now - at < HIGHLIGHT_MS) {
        this.#highlightTimer = setTimeout(() => this.#fade(), HIGHLIGHT_MS - (now - at));
        break;
      }
      this.#highlighted.delete(id);
    }
    this.requestUpdate();
  }
}
