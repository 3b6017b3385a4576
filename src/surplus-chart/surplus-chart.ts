import { SurplusChart } from './surplus-chart.component.js';

export { SurplusChart };

// The events' types, so that importing this entry alone types its listeners
// (`addEventListener('usage-filters-change', (e) => e.detail…)`): erased from the JS.
export type { UsageErrorEvent, UsageFiltersChangeEvent, UsageRequestSelectEvent, UsageUserSelectEvent } from '../events/index.js';

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('surplus-chart')) customElements.define('surplus-chart', SurplusChart);

declare global {
  interface HTMLElementTagNameMap {
    'surplus-chart': SurplusChart;
  }
}
