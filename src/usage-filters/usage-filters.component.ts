import { ContextProvider } from '@lit/context';
import { html, type PropertyDeclarations } from 'lit';
import { UsageBaseElement } from '../base/usage-base-element.js';
import { UsageFiltersChangeEvent } from '../events/index.js';
import { ensureContextRoot, filtersContext, type FilterUpdateOptions, type FiltersContextValue } from '../filters/context.js';
import { getFilterGroup } from '../filters/groups.js';
import {
  DEFAULT_FILTER_STATE,
  FILTER_FIELDS,
  applyFilterPatch,
  normalizeFilterState,
  type FilterField,
  type UsageFilterState,
} from '../filters/state.js';
import { FilterStore } from '../filters/store.js';
import { DEFAULT_URL_PREFIX, UrlSync, readFilterParams } from '../filters/url-sync.js';
import { usageFiltersStyles } from './usage-filters.styles.js';

/**
 * Whether the page has yet to fire DOMContentLoaded: its parser-inserted and deferred scripts
 * (a plain page's `<script type="module">` after the bundle's, each in a task of its own once
 * a fetch comes between them) still run, and what they set is the page's initial state.
 */
function documentStillLoading(): boolean {
  if (document.readyState === 'loading') return true;
  if (document.readyState === 'complete') return false;
  // 'interactive' covers both the deferred scripts (before DOMContentLoaded) and the wait
  // for the page's images (after it); the navigation entry tells them apart.
  const [navigation] = performance.getEntriesByType?.('navigation') ?? [];
  return navigation !== undefined && (navigation as PerformanceNavigationTiming).domContentLoadedEventStart === 0;
}

/**
 * Holds the shared filter state and the shared settings, and provides them to every piece
 * inside it (and to every piece of its `filter-group` anywhere in the page). It has no UI.
 *
 * The initial state is the defaults, then the filter attributes, then the `filters`
 * property, then the URL (`sync-url`); afterwards the last write wins. The host's writes in
 * the task that inserted it, and those of the page's own scripts until DOMContentLoaded,
 * are initial. The state is never reflected back to attributes. Presets resolve in its
 * `time-zone`, once per change, again when the page becomes visible after more than a
 * minute hidden, and with `live` every 10 minutes while the page is shown.
 *
 * @summary Holds the shared filter state and settings for the pieces inside it.
 * @slot - The pieces that share the state, at any depth.
 * @fires {UsageFiltersChangeEvent} usage-filters-change - A person changed the filters (filter bar, chart brush, table action, back/forward with `sync-url`); never for the host's own attribute or property writes.
 * @fires {UsageErrorEvent} usage-error - An attribute, the `filters` property or a URL parameter had a bad value (`detail.param` names it); that field keeps its previous value (a `filters` assignment with a bad field is refused whole, naming the first bad field).
 */
export class UsageFilters extends UsageBaseElement {
  static override styles = usageFiltersStyles;

  static override properties: PropertyDeclarations = {
    syncUrl: { attribute: 'sync-url' },
  };

  /**
   * Keep the filters in the page's query string: under `ud.` when present without a value,
   * under `<value>.` otherwise (for a second dashboard on the page).
   */
  syncUrl: string | null = null;

  /** The state as the host set it (defaults ← attributes ← `filters`): the URL holds what differs from it. */
  #hostState: UsageFilterState = DEFAULT_FILTER_STATE;
  #assignedFilters: UsageFilterState | null = null;
  #initialized?: boolean;
  /**
   * The page's address when it first connected, while it is settling (in the task that
   * first connected it, or while the page loads): host writes still count as the initial
   * state, under that address's fields (not the ones an earlier host write put there).
   */
  #settling?: string | null;
  #store = new FilterStore(DEFAULT_FILTER_STATE, {}, {
    onPersonChange: (value, options) => this.#announce(value, options),
  });
  #provider = new ContextProvider(this, { context: filtersContext, initialValue: this.#store.value });
  #unsubscribe: (() => void) | null = null;
  #releaseGroup: { name: string; release: () => void } | null = null;
  #urlSync: UrlSync | null = null;

  constructor() {
    super();
    ensureContextRoot();
  }

  /**
   * The whole filter state. Assigning it replaces the state (missing fields take their
   * defaults) without a `usage-filters-change`; IDs that contain commas can be set only here.
   * The state a `usage-filters-change` just announced, written back (a framework mirroring
   * the event), is taken as that: it changes nothing, and "Reset filters" and the URL keep
   * to the page's own state.
   */
  get filters(): UsageFilterState {
    return this.#assignedFilters ?? this.#store.state;
  }

  set filters(value: Partial<UsageFilterState> | null | undefined) {
    let state: UsageFilterState;
    try {
      state = normalizeFilterState(value ?? {});
    } catch (error) {
      this.reportBadAttribute({ param: 'filters', message: `filters: ${(error as Error).message}` });
      return;
    }
    if (!this.#initialized) {
      this.#assignedFilters = state;
      return;
    }
    if (this.#store.isEcho(state)) return;
    this.#hostState = state;
    this.#hostWrite(state);
  }

  /** The value the pieces receive: state, resolved range, settings and `update`. */
  get contextValue(): FiltersContextValue {
    return this.#store.value;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#store.setSettings(this.ownSettings);
    this.#unsubscribe ??= this.#store.subscribe((value) => this.#provider.setValue(value));
    this.#provider.setValue(this.#store.value);
    this.#holdGroup();
    this.#connectUrl();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#releaseGroup?.release();
    this.#releaseGroup = null;
    this.#urlSync?.disconnect();
    this.#urlSync = null;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    this.#store.setSettings(this.ownSettings);
    if (changed.has('filterGroup') && this.isConnected) this.#holdGroup();
    if (changed.has('syncUrl') && this.isConnected) this.#connectUrl();
  }

  override render() {
    return html`<slot></slot>`;
  }

  protected override filterAttributeChanged(field: FilterField): void {
    const patch = this.attributePatch(field);
    const state = applyFilterPatch(this.#store.state, patch);
    this.#hostState = applyFilterPatch(this.#hostState, patch);
    this.#hostWrite(state);
  }

  /** defaults ← attributes ← `filters` ← URL, once, before the pieces inside ask for the state. */
  protected override firstConnected(): void {
    this.#initialized = true;
    let state: UsageFilterState = DEFAULT_FILTER_STATE;
    for (const field of FILTER_FIELDS) {
      if (this.ownFilters[field] === undefined) continue;
      try {
        state = applyFilterPatch(state, { [field]: this.ownFilters[field] });
      } catch (error) {
        this.reportFieldError(field, error);
      }
    }
    this.#hostState = this.#assignedFilters ?? state;
    this.#assignedFilters = null;
    this.#store.setState(this.#fromUrl(), this.#hostState);
    // A framework that inserts the element before binding its properties (Angular) sets
    // `filters` in this same task, and a plain page sets them in a later script of its own
    // while it loads: that is still the host's initial state, and the URL stays over it.
    this.#settling = window.location.href;
    // Settled: the URL holds the non-default fields from the start (replacing the entry).
    const settled = () =>
      queueMicrotask(() => {
        this.#settling = null;
        this.#urlSync?.write(this.#store.state, this.#hostState, 'replace');
      });
    if (documentStillLoading()) document.addEventListener('DOMContentLoaded', settled, { once: true });
    else settled();
  }

  /** A host's write: no announcement; the URL follows without a new history entry. Reset returns to the host's state. */
  #hostWrite(state: UsageFilterState): void {
    this.#store.setState(this.#settling ? this.#fromUrl(false, this.#settling) : state, this.#hostState);
    this.#urlSync?.write(this.#store.state, this.#hostState, 'replace');
  }

  #announce(value: FiltersContextValue, options: FilterUpdateOptions): void {
    this.#urlSync?.write(value.state, this.#hostState, options.transient ? 'replace' : 'push');
    this.dispatchEvent(new UsageFiltersChangeEvent({ state: value.state, from: value.from, to: value.to }));
  }

  /** The host's state with the URL's fields over it (bad URL values reported and skipped). */
  #fromUrl(report = true, href = window.location.href): UsageFilterState {
    const prefix = this.#urlPrefix();
    if (prefix === null) return this.#hostState;
    const { state, errors } = readFilterParams(new URL(href).searchParams, prefix, this.#hostState);
    if (report) for (const error of errors) this.reportBadAttribute(error);
    return state;
  }

  #urlPrefix(): string | null {
    return this.syncUrl == null ? null : this.syncUrl.trim() || DEFAULT_URL_PREFIX;
  }

  #connectUrl(): void {
    const prefix = this.#urlPrefix();
    if (this.#urlSync?.prefix === prefix) return;
    this.#urlSync?.disconnect();
    this.#urlSync = prefix === null ? null : new UrlSync(prefix, { onPopState: () => this.#restoreFromUrl() });
    this.#urlSync?.connect();
  }

  /** Back or forward: the entry's state, announced as the person's change it is. */
  #restoreFromUrl(): void {
    if (this.#store.setState(this.#fromUrl())) {
      this.#store.noteAnnounced();
      const value = this.#store.value;
      this.dispatchEvent(new UsageFiltersChangeEvent({ state: value.state, from: value.from, to: value.to }));
    }
  }

  #holdGroup(): void {
    const name = this.filterGroup || null;
    if (this.#releaseGroup?.name === name) return;
    this.#releaseGroup?.release();
    this.#releaseGroup = name === null ? null : { name, release: getFilterGroup(name).hold(this.#store) };
  }
}
