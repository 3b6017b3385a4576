/**
 * One holder of a filter state: `<usage-filters>`, a holder-less filter group and a piece
 * alone all keep their state here. It resolves the range once per change, again when the
 * page becomes visible after more than a minute hidden, and, while live, every 10 minutes
 * the page is shown; it hands out one immutable context value per change.
 */
import { sameSettings, type FilterUpdateOptions, type FiltersContextValue, type UsageSettings } from './context.js';
import {
  DEFAULT_FILTER_STATE,
  applyFilterPatch,
  defaultTimeZone,
  resolveRange,
  sameFilterState,
  type UsageFilterState,
} from './state.js';

export type FilterListener = (value: FiltersContextValue) => void;

/** Something that holds a filter state and tells when it changes. */
export interface FilterSource {
  readonly value: FiltersContextValue;
  subscribe(listener: FilterListener): () => void;
}

/**
 * The state the page set up (a holder's defaults ← attributes ← `filters`) of each value a
 * store hands out: where "Reset filters" returns. Kept beside the value, not in it, so the
 * value stays DESIGN.md's `{ version, state, from, to, settings, update }`.
 */
const INITIAL = new WeakMap<FiltersContextValue, UsageFilterState>();

/** The state the page set up for a context value; undefined when only the defaults set it (or another copy of the library made it). */
export function initialState(value: FiltersContextValue): UsageFilterState | undefined {
  return INITIAL.get(value);
}

/** How long the page must stay hidden before presets are resolved again on return. */
export const STALE_AFTER_HIDDEN_MS = 60_000;

/**
 * While live, how often a rolling preset is resolved again on a shown page. Left open at its
 * end, "Last 24 hours" grew for as long as a wall screen stayed on (and an hour on, a
 * refetch over its 1,500 minutes switched its chart from minutes to hours).
 */
export const LIVE_ROLL_MS = 10 * 60_000;

export interface FilterStoreOptions {
  /** Called once per change made by a person through `update`. */
  onPersonChange?: (value: FiltersContextValue, options: FilterUpdateOptions) => void;
}

export class FilterStore implements FilterSource {
  #value: FiltersContextValue;
  #listeners = new Set<FilterListener>();
  #onPersonChange: FilterStoreOptions['onPersonChange'];
  #hiddenAt: number | null = null;
  #initial: UsageFilterState | undefined;
  /** The state a person's change last announced. */
  #announced: UsageFilterState | null = null;

  constructor(state: UsageFilterState = DEFAULT_FILTER_STATE, settings: UsageSettings = {}, options: FilterStoreOptions = {}) {
    this.#onPersonChange = options.onPersonChange;
    this.#value = this.#makeValue(state, settings);
  }

  get value(): FiltersContextValue {
    return this.#value;
  }

  get state(): UsageFilterState {
    return this.#value.state;
  }

  subscribe(listener: FilterListener): () => void {
    if (this.#listeners.size === 0) document.addEventListener('visibilitychange', this.#handleVisibility);
    this.#listeners.add(listener);
    this.#syncRoll();
    return () => {
      if (this.#listeners.delete(listener) && this.#listeners.size === 0) {
        document.removeEventListener('visibilitychange', this.#handleVisibility);
        this.#hiddenAt = null;
      }
      this.#syncRoll();
    };
  }

  #roll?: ReturnType<typeof setInterval>;

  /** Rolls the range on while followed and live (`refresh` moves only a rolling preset). */
  #syncRoll(): void {
    const live = this.#listeners.size > 0 && !!this.#value.settings.live;
    if (live) this.#roll ??= setInterval(() => document.visibilityState === 'visible' && this.refresh(), LIVE_ROLL_MS);
    else {
      clearInterval(this.#roll);
      this.#roll = undefined;
    }
  }

  /**
   * Replaces the state, as a host does: no announcement; `initial`, the state the page set
   * up, goes out with it (one new value for both). Returns whether the state changed.
   */
  setState(state: UsageFilterState, initial = this.#initial): boolean {
    const same = sameFilterState(state, this.#value.state);
    const known = this.#initial;
    if (same && (initial === known || (initial && known && sameFilterState(initial, known)))) return false;
    this.#initial = initial;
    this.#publish(same ? Object.freeze({ ...this.#value }) : this.#makeValue(state, this.#value.settings));
    return !same;
  }

  /** New settings; the range resolves again only for a new time zone (a theme or locale moves nothing). */
  setSettings(settings: UsageSettings): void {
    const value = this.#value;
    if (sameSettings(settings, value.settings)) return;
    this.#publish(settings.timeZone === value.settings.timeZone ? Object.freeze({ ...value, settings }) : this.#makeValue(value.state, settings));
    this.#syncRoll();
  }

  /** Resolves the range again at the current time; publishes only if it moved. */
  refresh(): void {
    const next = this.#makeValue(this.#value.state, this.#value.settings);
    if (next.from !== this.#value.from || next.to !== this.#value.to) this.#publish(next);
  }

  /** A person's change: merged, published and announced. A change that changes nothing is dropped. */
  readonly update = (patch: Partial<UsageFilterState>, options: FilterUpdateOptions = {}): void => {
    if (!this.setState(applyFilterPatch(this.#value.state, patch))) return;
    this.noteAnnounced();
    this.#onPersonChange?.(this.#value, options);
  };

  /** The current state goes out in a `usage-filters-change` (a person's change, back or forward). */
  noteAnnounced(): void {
    this.#announced = this.#value.state;
  }

  /**
   * Whether a host's write is the state just announced, written back: a framework mirroring
   * `usage-filters-change` into `filters` (as README shows). That is no new state the page
   * sets up: "Reset filters" and the URL keep to the page's own.
   */
  isEcho(state: UsageFilterState): boolean {
    return this.#announced !== null && sameFilterState(state, this.#announced) && sameFilterState(state, this.#value.state);
  }

  #makeValue(state: UsageFilterState, settings: UsageSettings): FiltersContextValue {
    const { from, to } = resolveRange(state.range, settings.timeZone ?? defaultTimeZone());
    return Object.freeze({ version: 1 as const, state, from, to, settings, update: this.update });
  }

  #publish(value: FiltersContextValue): void {
    if (this.#initial) INITIAL.set(value, this.#initial);
    this.#value = value;
    for (const listener of [...this.#listeners]) listener(value);
  }

  #handleVisibility = (): void => {
    if (document.visibilityState === 'hidden') {
      this.#hiddenAt ??= Date.now();
      return;
    }
    const hiddenAt = this.#hiddenAt;
    this.#hiddenAt = null;
    if (hiddenAt !== null && Date.now() - hiddenAt > STALE_AFTER_HIDDEN_MS) this.refresh();
  };
}
