import { ConsumptionChart } from './consumption-chart.component.js';

export { ConsumptionChart };

// The events' types, so that importing this entry alone types its listeners
// (`addEventListener('usage-filters-change', (e) => e.detail…)`): erased from the JS.
export type { UsageErrorEvent, UsageFiltersChangeEvent, UsageRequestSelectEvent, UsageUserSelectEvent } from '../events/index.js';

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('consumption-chart')) customElements.define('consumption-chart', ConsumptionChart);

declare global {
  interface HTMLElementTagNameMap {
    'consumption-chart': ConsumptionChart;
  }
}
