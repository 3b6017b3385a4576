import { UsageFilterBar } from './usage-filter-bar.component.js';

export { UsageFilterBar };

customElements.define('usage-filter-bar', UsageFilterBar);

declare global {
  interface HTMLElementTagNameMap {
    'usage-filter-bar': UsageFilterBar;
  }
}
