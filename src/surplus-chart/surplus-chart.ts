import { SurplusChart } from './surplus-chart.component.js';

export { SurplusChart };

// Another copy of the library may have registered the tag already: the first copy's class stays.
if (!customElements.get('surplus-chart')) customElements.define('surplus-chart', SurplusChart);

declare global {
  interface HTMLElementTagNameMap {
    'surplus-chart': SurplusChart;
  }
}
