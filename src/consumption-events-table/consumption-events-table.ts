import { ConsumptionEventsTable } from './consumption-events-table.component.js';

export { ConsumptionEventsTable };

customElements.define('consumption-events-table', ConsumptionEventsTable);

declare global {
  interface HTMLElementTagNameMap {
    'consumption-events-table': ConsumptionEventsTable;
  }
}
