/**
 * The ECharts instance's lifecycle as a ReactiveController: created on the host's chart
 * container once it is rendered, resized by a ResizeObserver, given the latest option,
 * and disposed (observer disconnected) when the host leaves the document. A host that
 * comes back gets a fresh instance with the last option.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createChart, disposeChart, type ChartOption, type ECharts } from './echarts.js';

export interface ChartControllerOptions {
  /** The element to draw into (the host's `@query`'d container); null until rendered. */
  container: () => HTMLElement | null;
  /** Called after each new instance is created (to attach pointer listeners, say). */
  onInit?: (chart: ECharts) => void;
  /** Called after every resize of the container. */
  onResize?: () => void;
}

export class ChartController implements ReactiveController {
  readonly #options: ChartControllerOptions;
  #chart?: ECharts;
  #observer?: ResizeObserver;
  #option?: ChartOption;
  #applied?: ChartOption;

  constructor(host: ReactiveControllerHost, options: ChartControllerOptions) {
    this.#options = options;
    host.addController(this);
  }

  /** The live instance, if the container has been rendered and the host is connected. */
  get chart(): ECharts | undefined {
    return this.#chart;
  }

  /**
   * The whole option to show (replacing the previous one, series and all); applied after
   * the host's next update, or now when the instance exists.
   */
  setOption(option: ChartOption): void {
    this.#option = option;
    this.#apply();
  }

  hostUpdated(): void {
    if (!this.#chart) {
      const container = this.#options.container();
      if (!container) return;
      this.#chart = createChart(container);
      this.#observer = new ResizeObserver(() => {
        if (!this.#chart) return;
        this.#chart.resize();
        this.#options.onResize?.();
      });
      this.#observer.observe(container);
      this.#applied = undefined;
      this.#options.onInit?.(this.#chart);
    }
    this.#apply();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    if (this.#chart) disposeChart(this.#chart);
    this.#chart = undefined;
  }

  #apply(): void {
    if (!this.#chart || !this.#option || this.#option === this.#applied) return;
    this.#applied = this.#option;
    this.#chart.setOption(this.#option, { notMerge: true, lazyUpdate: false });
  }
}
