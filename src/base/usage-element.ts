/**
 * The base of every piece (chart, table, filter bar). It finds the piece's filter state —
 * the nearest `<usage-filters>` through the context, its `filter-group`, or its own when
 * alone — lays the piece's own filter attributes and settings over it, and hands the
 * subclass one `filterView` that changes identity only when something changed.
 */
import { ContextConsumer } from '@lit/context';
import { PAGE_OPTIONS_EVENT, pageRequestOptions, type RequestOptions } from '../api/client.js';
import type { PropertyDeclarations } from 'lit';
import { UsageFiltersChangeEvent, UsageUserSelectEvent } from '../events/index.js';
import { ensureContextRoot, filtersContext, sameSettings, type FilterUpdateOptions, type FiltersContextValue, type UsageSettings } from '../filters/context.js';
import { getFilterGroup } from '../filters/groups.js';
import {
  DEFAULT_FILTER_STATE,
  applyFilterPatch,
  defaultTimeZone,
  isOpenEnded,
  normalizeFilterState,
  resolveRange,
  sameFilterState,
  type FilterField,
  type UsageFilterState,
} from '../filters/state.js';
import { FilterStore, initialState, type FilterSource } from '../filters/store.js';
import { numberFormat } from '../format/intl-cache.js';
import { UsageBaseElement } from './usage-base-element.js';

/** What a piece shows: its effective filters, range and settings. */
export interface FilterView {
  readonly state: UsageFilterState;
  /** The resolved range `[from, to)`, the same instants as the holder's unless the piece overrides the range. */
  readonly from: string;
  readonly to: string;
  /** A rolling preset: live events newer than `to` still match. */
  readonly openEnded: boolean;
  /** The holder's settings with the piece's own over them. */
  readonly settings: UsageSettings;
  /** The page-wide request options when the view was made (`configureUsageDashboard`): new ones ask again. */
  readonly pageOptions: RequestOptions | undefined;
}

/** Where a piece's state comes from. */
export type FilterSourceKind = 'context' | 'group' | 'own';

function sameView(a: FilterView, b: FilterView): boolean {
  return (
    a.from === b.from &&
    a.to === b.to &&
    a.openEnded === b.openEnded &&
    sameFilterState(a.state, b.state) &&
    sameSettings(a.settings, b.settings) &&
    a.pageOptions === b.pageOptions
  );
}

/**
 * Lays a piece's own fields over the shared state, one at a time; a field that cannot apply
 * is skipped (and given to `onSkip`).
 */
function overlay(state: UsageFilterState, own: Partial<UsageFilterState>, onSkip?: (field: FilterField, error: unknown) => void): UsageFilterState {
  let result = state;
  for (const [field, value] of Object.entries(own)) {
    try {
      result = applyFilterPatch(result, { [field]: value });
    } catch (error) {
      // e.g. the piece's amount-min above the holder's amount-max: the holder's stands.
      onSkip?.(field as FilterField, error);
    }
  }
  return result;
}

/**
 * @fires {UsageFiltersChangeEvent} usage-filters-change - A person changed the filters of a piece that holds its own state: alone, or in a `filter-group` without a `<usage-filters>` (the piece the person used dispatches it).
 * @cssprop --usage-color-text - Text colour.
 * @cssprop --usage-color-muted - Secondary text colour; `<surplus-chart>`'s capacity line.
 * @cssprop --usage-color-surface - Background colour.
 * @cssprop --usage-color-border - Border colour.
 * @cssprop --usage-color-accent - Accent (links, selection, progress); `<surplus-chart>`'s available line.
 * @cssprop --usage-color-focus - Focus ring colour.
 * @cssprop --usage-color-danger - Errors, refused values, spikes and warnings; `<surplus-chart>`'s projection when it runs dry.
 * @cssprop --usage-font-family - Font family.
 * @cssprop --usage-font-size - Base font size.
 * @cssprop --usage-radius - Corner radius.
 * @cssprop --usage-space - Base spacing unit.
 */
export abstract class UsageElement extends UsageBaseElement {
  static override properties: PropertyDeclarations = {
    loading: { type: Boolean, reflect: true },
    error: { type: Boolean, reflect: true },
  };

  /** Reflected while the piece loads data (`aria-busy` is set then too). */
  loading = false;

  /** Reflected while the piece shows an error. */
  error = false;

  protected readonly internals: ElementInternals = this.attachInternals();

  #context?: FiltersContextValue;
  #group?: { name: string; source: FilterSource; unsubscribe: () => void };
  #own?: { store: FilterStore; unsubscribe?: () => void; controlled: boolean };
  #view?: FilterView;
  /** What `#view` was computed from: recomputed when one of them is replaced. */
  #viewInputs?: {
    source: FiltersContextValue;
    outer: FiltersContextValue | undefined;
    context: FiltersContextValue | undefined;
    own: Partial<UsageFilterState>;
    settings: UsageSettings;
    page: RequestOptions | undefined;
  };

  constructor() {
    super();
    ensureContextRoot();
    new ContextConsumer(this, {
      context: filtersContext,
      subscribe: true,
      callback: (value) => {
        this.#context = value;
        this.#selectSource();
      },
    });
  }

  /**
   * The whole filter state this piece shows. Assigning it makes the piece hold that state
   * itself (missing fields take their defaults), apart from any holder; `null` returns it
   * to the shared state.
   */
  get filters(): UsageFilterState {
    return this.filterView.state;
  }

  set filters(value: Partial<UsageFilterState> | null | undefined) {
    if (value == null) {
      if (this.#own?.controlled) this.#dropOwn();
      this.#selectSource();
      return;
    }
    let state: UsageFilterState;
    try {
      state = normalizeFilterState(value);
    } catch (error) {
      this.reportBadAttribute({ param: 'filters', message: `filters: ${(error as Error).message}` });
      return;
    }
    if (!this.#own?.controlled) {
      this.#dropOwn();
      this.#own = { store: this.#makeStore(state), controlled: true };
    } else if (!this.#own.store.isEcho(state)) this.#own.store.setState(state, state);
    this.#selectSource();
  }

  /** The range of the state this piece shares (its holder's or group's), before its own `range`/`from`/`to`. */
  protected get sharedRange(): UsageFilterState['range'] {
    return this.#sourceValue().state.range;
  }

  /** The state the page set up ("Reset filters" returns to it): the holder's, else the defaults. */
  protected get initialFilters(): UsageFilterState {
    return initialState(this.#sourceValue()) ?? DEFAULT_FILTER_STATE;
  }

  /** Where this piece's state comes from now. */
  get filterSource(): FilterSourceKind {
    return this.#own ? 'own' : this.#group ? 'group' : 'context';
  }

  /**
   * The effective filters, range and settings; a new object only when one of them
   * changed, so it can be a `Task` argument. Always current: a change made through
   * `updateFilters` shows here at once, before the next render.
   */
  protected get filterView(): FilterView {
    const source = this.#sourceValue();
    const outer = this.#outerValue();
    const inputs = this.#viewInputs;
    const page = pageRequestOptions();
    if (
      !this.#view ||
      !inputs ||
      inputs.source !== source ||
      inputs.outer !== outer ||
      inputs.context !== this.#context ||
      inputs.own !== this.ownFilters ||
      inputs.settings !== this.ownSettings ||
      inputs.page !== page
    ) {
      const next = this.#computeView(source, outer);
      if (!this.#view || !sameView(this.#view, next)) this.#view = next;
      this.#viewInputs = { source, outer, context: this.#context, own: this.ownFilters, settings: this.ownSettings, page };
    }
    return this.#view;
  }

  override connectedCallback(): void {
    // The holder this piece now sits in (if any) answers the context request made while
    // connecting; until then, and while the piece was out of the page, it kept the last
    // one, so that an update while it was out asked nothing of a state it never had.
    this.#context = undefined;
    super.connectedCallback();
    this.#selectSource();
    globalThis.addEventListener(PAGE_OPTIONS_EVENT, this.#handlePageOptions);
  }

  /**
   * Inside a `<usage-filters>` that is not defined yet (its module loads after this
   * piece's), the first update waits for it (10 s at most: a module loading slowly), so that the piece asks once,
   * with the holder's state and settings, instead of first alone, without a data endpoint.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    return !this.hasUpdated && this.closest('usage-filters:not(:defined)')
      ? Promise.race([customElements.whenDefined('usage-filters'), new Promise((wait) => setTimeout(wait, 10_000))]).then(() => super.scheduleUpdate())
      : super.scheduleUpdate();
  }

  /** New page-wide request options: the view changes with them, and the piece asks again. */
  #handlePageOptions = (): void => {
    this.requestUpdate();
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    globalThis.removeEventListener(PAGE_OPTIONS_EVENT, this.#handlePageOptions);
    this.#group?.unsubscribe();
    this.#group = undefined;
    this.#own?.unsubscribe?.();
    if (this.#own) this.#own.unsubscribe = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (changed.has('filterGroup')) this.#selectSource();
    if (this.#own) this.#own.store.setSettings(this.#settings(this.#outerValue()));
    this.internals.states?.delete('dark');
    this.internals.states?.delete('auto');
    const theme = this.filterView.settings.theme;
    if (theme === 'dark' || theme === 'auto') this.internals.states?.add(theme);
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    if (changed.has('loading')) {
      if (this.loading) this.setAttribute('aria-busy', 'true');
      else this.removeAttribute('aria-busy');
    }
  }

  /** The time zone the piece shows dates in: its own or its holder's, else the browser's. */
  protected viewTimeZone(): string {
    return this.filterView.settings.timeZone ?? defaultTimeZone();
  }

  /** The piece's locale and time zone, as the shared states (empty, error) write dates in them. */
  protected get display(): { locale?: string; timeZone: string } {
    return { locale: this.filterView.settings.locale, timeZone: this.viewTimeZone() };
  }

  /** A count in the piece's locale ("50,000"). */
  protected formatCount(count: number): string {
    return numberFormat(this.filterView.settings.locale).format(count);
  }

  /**
   * A person's change (a brush, a table action, the filter bar): goes to the state's
   * holder, which announces it with `usage-filters-change`; a piece alone announces it
   * itself. `transient` marks a change still being typed (the URL is replaced, not pushed).
   */
  protected updateFilters(patch: Partial<UsageFilterState>, options: Omit<FilterUpdateOptions, 'source'> = {}): void {
    this.#sourceValue().update(patch, { ...options, source: this });
  }

  /**
   * A person chose a user ID (a link or button of the piece): `usage-user-select`, which
   * the host may cancel (then the click does nothing more); unprevented and without a
   * `user-href` (`userHref`), the shared filters narrow to that user.
   */
  protected selectUser(userId: string, userHref: string | undefined, click: MouseEvent): void {
    const event = new UsageUserSelectEvent({ userId });
    this.dispatchEvent(event);
    if (event.defaultPrevented) {
      click.preventDefault();
      return;
    }
    if (!userHref) this.updateFilters({ userIds: [userId] });
  }

  /**
   * A host's attribute write after the first connection. A piece holding its own state
   * (alone, or given `filters`) takes it into that state: after the initial state the last
   * write wins, as on `<usage-filters>`.
   */
  protected override filterAttributeChanged(field: FilterField): void {
    this.requestUpdate();
    if (!this.#own) return;
    const store = this.#own.store;
    const patch = this.attributePatch(field);
    store.setState(applyFilterPatch(store.state, patch), applyFilterPatch(this.initialFilters, patch));
  }

  #sourceValue(): FiltersContextValue {
    if (this.#own) return this.#own.store.value;
    const outer = this.#outerValue();
    if (outer) return outer;
    this.#selectSource();
    return this.#own!.store.value;
  }

  /** The holder's value around the piece (its group's, else its context's), even while the piece holds its own state. */
  #outerValue(): FiltersContextValue | undefined {
    return this.filterGroup ? (this.#group?.source ?? getFilterGroup(this.filterGroup)).value : this.#context;
  }

  /**
   * The holder's settings with the piece's own over them; a piece in a group inside a
   * `<usage-filters>` takes what the group's holder leaves unset from the one around it.
   */
  #settings(outer: FiltersContextValue | undefined): UsageSettings {
    return { ...this.#context?.settings, ...outer?.settings, ...this.ownSettings };
  }

  /**
   * Chooses the source: an assigned state, else the group, else the context, else the
   * piece's own; subscribes to it while connected.
   */
  #selectSource(): void {
    // Given `filters`, the piece still follows its group for the settings.
    const groupName = this.filterGroup || undefined;
    if (this.#group && (this.#group.name !== groupName || !this.isConnected)) {
      this.#group.unsubscribe();
      this.#group = undefined;
    }
    if (groupName && !this.#group && this.isConnected) {
      const source = getFilterGroup(groupName);
      this.#group = { name: groupName, source, unsubscribe: source.subscribe(() => this.requestUpdate()) };
    }
    if (!this.#own?.controlled) {
      if (groupName || this.#context) this.#dropOwn();
      else if (!this.#own) {
        const skipped: [FilterField, unknown][] = [];
        const own = { store: this.#makeStore(overlay(DEFAULT_FILTER_STATE, this.ownFilters, (field, error) => skipped.push([field, error]))), controlled: false };
        this.#own = own;
        // Alone, the piece is the holder of these attributes: one that cannot apply
        // (amount-min above amount-max) is reported, as `<usage-filters>` reports it; not
        // before a holder upgrading in this task could still take the piece.
        if (skipped.length > 0) {
          queueMicrotask(() => {
            if (this.#own === own) for (const [field, error] of skipped) this.reportFieldError(field, error);
          });
        }
      }
    }
    if (this.#own && !this.#own.unsubscribe && this.isConnected) {
      this.#own.unsubscribe = this.#own.store.subscribe(() => this.requestUpdate());
    }
    this.requestUpdate();
  }

  /** The piece's own store, alone or given `filters`: that state is also where "Reset filters" returns. */
  #makeStore(state: UsageFilterState): FilterStore {
    const store = new FilterStore(state, this.#settings(this.#outerValue()), {
      onPersonChange: (value) => {
        this.dispatchEvent(new UsageFiltersChangeEvent({ state: value.state, from: value.from, to: value.to }));
      },
    });
    store.setState(state, state);
    return store;
  }

  #dropOwn(): void {
    this.#own?.unsubscribe?.();
    this.#own = undefined;
  }

  #computeView(source: FiltersContextValue, outer: FiltersContextValue | undefined): FilterView {
    const settings = this.#settings(this.#own ? outer : source);
    if (this.#own) {
      return { state: source.state, from: source.from, to: source.to, openEnded: isOpenEnded(source.state.range), settings, pageOptions: pageRequestOptions() };
    }
    const state = overlay(source.state, this.ownFilters);
    let { from, to } = source;
    if (this.ownFilters.range) {
      // Resolved at the holder's clock and in its zone, so the piece's `to` matches the
      // holder's; a holder's custom range or last month does not end now: the clock's now.
      const now = isOpenEnded(source.state.range) ? Date.parse(source.to) - 60_000 : Date.now();
      ({ from, to } = resolveRange(state.range, source.settings.timeZone ?? defaultTimeZone(), now));
    }
    return { state, from, to, openEnded: isOpenEnded(state.range), settings, pageOptions: pageRequestOptions() };
  }
}
