import { ConsumptionEventsTable } from './consumption-events-table.component.js';

export { ConsumptionEventsTable };

// The events' types, so that importing this entry alone types its listeners
// (`addEventListener('usage-filters-change', (e) => e.detail…)`): erased from the JS.
export type { UsageErrorEvent, UsageFiltersChangeEvent, UsageRequestSelectEvent, UsageUserSelectEvent } from '../events/index.js';

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('consumption-events-table')) customElements.define('consumption-events-table', ConsumptionEventsTable);

declare global {
  interface HTMLElementTagNameMap {
    'consumption-events-table': ConsumptionEventsTable;
  }
}
