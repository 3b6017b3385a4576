import { SurplusChart } from './surplus-chart.component.js';

export { SurplusChart };

customElements.define('surplus-chart', SurplusChart);

declare global {
  interface HTMLElementTagNameMap {
    'surplus-chart': SurplusChart;
  }
}
