import { UsageFilterBar } from './usage-filter-bar.component.js';

export { UsageFilterBar };

// The events' types, so that importing this entry alone types its listeners
// (`addEventListener('usage-filters-change', (e) => e.detail…)`): erased from the JS.
export type { UsageErrorEvent, UsageFiltersChangeEvent, UsageRequestSelectEvent, UsageUserSelectEvent } from '../events/index.js';

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('usage-filter-bar')) customElements.define('usage-filter-bar', UsageFilterBar);

declare global {
  interface HTMLElementTagNameMap {
    'usage-filter-bar': UsageFilterBar;
  }
}
