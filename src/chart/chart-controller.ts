/**
 * The ECharts instance's lifecycle as a ReactiveController: a ResizeObserver watches the
 * host's chart container; the instance is created once the container has a size (ECharts
 * cannot measure a hidden one), resized with it, given the latest option, and disposed
 * with the observer disconnected when the host leaves the document or re-renders a new
 * container. A host that comes back gets a fresh instance with the last option.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createChart, disposeChart, type ChartOption, type ECharts } from './echarts.js';

export interface ChartControllerOptions {
  /** The element to draw into (the host's `@query`'d container); null until rendered. */
  container: () => HTMLElement | null;
  /** Called after every change of the container's size (and after the instance is created). */
  onResize?: () => void;
  /**
   * The page refuses what ECharts does to draw (a Trusted Types policy refuses its
   * `innerHTML`): called once; no instance is tried again for this host.
   */
  onFailure?: (error: Error) => void;
}

export class ChartController implements ReactiveController {
  readonly #options: ChartControllerOptions;
  #container?: HTMLElement;
  #chart?: ECharts;
  #observer?: ResizeObserver;
  #option?: ChartOption;
  #applied?: ChartOption;
  #failed = false;

  constructor(host: ReactiveControllerHost, options: ChartControllerOptions) {
    this.#options = options;
    host.addController(this);
  }

  /** The live instance, once the container has been rendered with a size. */
  get chart(): ECharts | undefined {
    return this.#chart;
  }

  /** The whole option to show (replacing the previous one, series and all); applied as soon as the instance exists. */
  setOption(option: ChartOption): void {
    this.#option = option;
    this.#apply();
  }

  hostUpdated(): void {
    const container = this.#options.container() ?? undefined;
    if (container !== this.#container) {
      this.#release();
      this.#container = container;
      if (container) {
        this.#observer = new ResizeObserver(() => this.#handleResize());
        this.#observer.observe(container);
      }
    }
    this.#ensureChart();
    this.#apply();
  }

  hostDisconnected(): void {
    this.#release();
    this.#container = undefined;
  }

  #handleResize(): void {
    const chart = this.#chart;
    const container = this.#container;
    if (this.#ensureChart()) this.#apply();
    // ECharts lays everything out again on resize(), even to the size it has.
    else if (chart && container && (container.clientWidth !== chart.getWidth() || container.clientHeight !== chart.getHeight())) chart.resize();
    this.#options.onResize?.();
  }

  /** Creates the instance when the container has a size; true when it was created now. */
  #ensureChart(): boolean {
    const container = this.#container;
    if (this.#chart || this.#failed || !container || container.clientWidth === 0 || container.clientHeight === 0) return false;
    try {
      this.#chart = createChart(container);
    } catch (error) {
      this.#failed = true;
      this.#options.onFailure?.(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    this.#applied = undefined;
    return true;
  }

  #release(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    if (this.#chart) disposeChart(this.#chart);
    this.#chart = undefined;
  }

  /** How long the last option took to lay out and draw (ms): what a redraw costs on this device. */
  drawMs = 0;

  #apply(): void {
    if (!this.#chart || !this.#option || this.#option === this.#applied) return;
    this.#applied = this.#option;
    const start = performance.now();
    this.#chart.setOption(this.#option, { notMerge: true });
    this.drawMs = performance.now() - start;
  }
}
