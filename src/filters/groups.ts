/**
 * Filter groups (DESIGN.md, "Sharing it"): pieces that cannot share an ancestor name the
 * same `filter-group`. The groups live in one Map on `globalThis`, made by the first copy
 * of the library loaded, so every copy on the page shares them. A `<usage-filters
 * filter-group>` anywhere holds its group's state; a group without one shares a default
 * state of its own.
 */
import { UsageFiltersChangeEvent } from '../events/index.js';
import type { FiltersContextValue } from './context.js';
import { FilterStore, type FilterListener, type FilterSource } from './store.js';

/** A named group; its shape is versioned because other copies of the library use it. */
export interface FilterGroup extends FilterSource {
  readonly version: 1;
  readonly name: string;
  /** Whether a `<usage-filters>` holds the group's state now. */
  readonly held: boolean;
  /** Makes `source` the group's state until the returned function is called. */
  hold(source: FilterSource): () => void;
}

const GROUPS_KEY = Symbol.for('usage-dashboard.groups');

class SharedFilterGroup implements FilterGroup {
  readonly version = 1 as const;
  readonly #own: FilterStore;
  #holders: FilterSource[] = [];
  #listeners = new Set<FilterListener>();
  #lastValue: FiltersContextValue;
  #unsubscribeOwn: (() => void) | null = null;

  constructor(readonly name: string) {
    // Without a holder, the piece a person acted on announces the change.
    this.#own = new FilterStore(undefined, undefined, {
      onPersonChange: (value, options) => {
        options.source?.dispatchEvent(new UsageFiltersChangeEvent({ state: value.state, from: value.from, to: value.to }));
      },
    });
    this.#lastValue = this.#own.value;
  }

  get value(): FiltersContextValue {
    return (this.#holders.at(-1) ?? this.#own).value;
  }

  get held(): boolean {
    return this.#holders.length > 0;
  }

  subscribe(listener: FilterListener): () => void {
    if (this.#listeners.size === 0) this.#unsubscribeOwn = this.#own.subscribe(this.#forward);
    this.#listeners.add(listener);
    return () => {
      if (this.#listeners.delete(listener) && this.#listeners.size === 0) {
        this.#unsubscribeOwn?.();
        this.#unsubscribeOwn = null;
      }
    };
  }

  hold(source: FilterSource): () => void {
    this.#holders.push(source);
    const unsubscribe = source.subscribe(this.#forward);
    this.#forward();
    return () => {
      unsubscribe();
      this.#holders = this.#holders.filter((s) => s !== source);
      this.#forward();
    };
  }

  #forward = (): void => {
    const value = this.value;
    if (value === this.#lastValue) return;
    this.#lastValue = value;
    for (const listener of [...this.#listeners]) listener(value);
  };
}

/** The page's groups, shared by every copy of the library. */
export function filterGroups(): Map<string, FilterGroup> {
  const global = globalThis as unknown as Record<symbol, Map<string, FilterGroup> | undefined>;
  return (global[GROUPS_KEY] ??= new Map());
}

// The first copy of the library loaded makes the registry, so that a host or another copy
// finds it at `globalThis[Symbol.for('usage-dashboard.groups')]` before any group is used.
filterGroups();

/** The group named `name`, made on first use. */
export function getFilterGroup(name: string): FilterGroup {
  const groups = filterGroups();
  let group = groups.get(name);
  if (!group || group.version !== 1) {
    group = new SharedFilterGroup(name);
    groups.set(name, group);
  }
  return group;
}
