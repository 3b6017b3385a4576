import type { UsageFilterState } from '../filters/state.js';

export interface UsageFiltersChangeDetail {
  /** The whole new filter state. */
  readonly state: UsageFilterState;
  /** The resolved start of the range, an instant (inclusive). */
  readonly from: string;
  /** The resolved end of the range, an instant (exclusive). */
  readonly to: string;
}

/**
 * A person changed the shared filters (filter bar, chart brush, table action). Fired only
 * by the state's holder, never when a host sets an attribute or property.
 */
export class UsageFiltersChangeEvent extends Event {
  static readonly eventName = 'usage-filters-change';
  readonly detail: UsageFiltersChangeDetail;

  constructor(detail: UsageFiltersChangeDetail) {
    super(UsageFiltersChangeEvent.eventName, { bubbles: true, composed: true, cancelable: false });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'usage-filters-change': UsageFiltersChangeEvent;
  }
}
