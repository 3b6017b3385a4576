import { ConsumptionChart } from './consumption-chart.component.js';

export { ConsumptionChart };

customElements.define('consumption-chart', ConsumptionChart);

declare global {
  interface HTMLElementTagNameMap {
    'consumption-chart': ConsumptionChart;
  }
}
