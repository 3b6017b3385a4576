import { UsageFilters } from './usage-filters.component.js';

export { UsageFilters };

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('usage-filters')) customElements.define('usage-filters', UsageFilters);

declare global {
  interface HTMLElementTagNameMap {
    'usage-filters': UsageFilters;
  }
}
