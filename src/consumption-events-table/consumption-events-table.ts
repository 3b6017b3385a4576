import { ConsumptionEventsTable } from './consumption-events-table.component.js';

export { ConsumptionEventsTable };

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('consumption-events-table')) customElements.define('consumption-events-table', ConsumptionEventsTable);

declare global {
  interface HTMLElementTagNameMap {
    'consumption-events-table': ConsumptionEventsTable;
  }
}
