import { UsageFilterBar } from './usage-filter-bar.component.js';

export { UsageFilterBar };

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('usage-filter-bar')) customElements.define('usage-filter-bar', UsageFilterBar);

declare global {
  interface HTMLElementTagNameMap {
    'usage-filter-bar': UsageFilterBar;
  }
}
