import { ConsumptionChart } from './consumption-chart.component.js';

export { ConsumptionChart };

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('consumption-chart')) customElements.define('consumption-chart', ConsumptionChart);

declare global {
  interface HTMLElementTagNameMap {
    'consumption-chart': ConsumptionChart;
  }
}
