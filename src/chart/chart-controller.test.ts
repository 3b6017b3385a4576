import { expect, waitUntil } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import { ChartController } from './chart-controller.js';
import type { ChartOption } from './echarts.js';

/**
 * A host as the charts are one: a plot whose size makes the option (`follow`), given in
 * `updated` of the update its resize asks for; or, `follow` off, a host that gives none.
 */
class ControllerHost extends LitElement {
  follow = true;
  options: ChartOption[] = [];
  /** Called right after each option is handed to the controller. */
  afterOption?: () => void;
  #width = 0;
  readonly controller = new ChartController(this, {
    container: () => this.renderRoot.querySelector<HTMLElement>('.plot'),
    onResize: () => {
      const width = this.renderRoot.querySelector<HTMLElement>('.plot')!.clientWidth;
      if (this.follow && width !== this.#width) this.requestUpdate();
    },
  });

  override render() {
    return html`<div class="plot" style="height: 120px"></div>`;
  }

  override updated(): void {
    const width = this.renderRoot.querySelector<HTMLElement>('.plot')!.clientWidth;
    if (width === 0 || width === this.#width || !this.follow) return;
    this.#width = width;
    const option: ChartOption = {
      animation: false,
      grid: { left: 0, right: 0, top: 0, bottom: 0 },
      xAxis: { type: 'value', min: 0, max: width },
      yAxis: { type: 'value' },
      // One bar a pixel, as the dense charts draw: made for this width.
      series: [{ type: 'bar', barWidth: 1, large: true, largeThreshold: 0, progressive: 0, data: Array.from({ length: width }, (_, x) => [x + 0.5, 1 + (x % 7)]) }],
    };
    this.options.push(option);
    this.controller.setOption(option);
    this.afterOption?.();
  }
}
customElements.define('chart-controller-test-host', ControllerHost);

describe('ChartController', () => {
  let frame: HTMLDivElement;
  beforeEach(() => {
    frame = document.createElement('div');
    frame.style.width = '600px';
    document.body.append(frame);
  });
  afterEach(() => frame.remove());

  async function placeHost(follow: boolean): Promise<ControllerHost> {
    const host = document.createElement('chart-controller-test-host') as ControllerHost;
    host.follow = follow;
    frame.append(host);
    await waitUntil(() => host.controller.chart?.getWidth() === 600, 'the instance is made at the plot’s size');
    if (follow) await waitUntil(() => host.options.length === 1, 'the first option is given');
    return host;
  }

  it('lays a new size out once, with the option the host made for it, and paints it in the same frame', async () => {
    const host = await placeHost(true);
    const chart = host.controller.chart!;
    // ECharts' 'updated': one per layout of the whole chart. A resize and then the new
    // option were two, every bar laid out and styled twice per step of a window's resize.
    let layouts = 0;
    chart.on('updated', () => void layouts++);
    let paints = 0;
    chart.on('rendered', () => void paints++);
    let paintedWithOption = -1;
    host.afterOption = () => (paintedWithOption = paints);
    frame.style.width = '420px';
    await waitUntil(() => host.options.length === 2, 'the host gives the option for the new size');
    await host.updateComplete;
    expect(chart.getWidth()).to.equal(420);
    expect(layouts, 'layouts of the new size').to.equal(1);
    expect(paintedWithOption, 'painted as the option is given, not in a later frame').to.equal(1);
    expect((chart.getOption() as { series: { data: unknown[] }[] }).series[0]!.data).to.have.length(420);
  });

  it('still follows its container when no option follows the resize', async () => {
    const host = await placeHost(false);
    const chart = host.controller.chart!;
    frame.style.width = '380px';
    await waitUntil(() => chart.getWidth() === 380, 'the instance follows the container');
    host.follow = true;
    frame.style.width = '500px';
    await waitUntil(() => host.options.length === 1 && chart.getWidth() === 500, 'and is given an option at the next size');
  });
});
