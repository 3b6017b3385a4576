import { UsageFilters } from './usage-filters.component.js';

export { UsageFilters };

customElements.define('usage-filters', UsageFilters);

declare global {
  interface HTMLElementTagNameMap {
    'usage-filters': UsageFilters;
  }
}
