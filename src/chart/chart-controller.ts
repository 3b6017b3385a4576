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
  /**
   * Called after every change of the container's size (and after the instance is created).
   * A host that gives a new option for the new size in the update this asks for has the
   * instance laid out once, at that size, with that option (see `setOption`).
   */
  onResize?: () => void;
  /**
   * The page refuses what ECharts does to draw (a Trusted Types policy refuses its
   * `innerHTML`): called once; no instance is tried again for this host.
   */
  onFailure?: (error: Error) => void;
}

export class ChartController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: ChartControllerOptions;
  #container?: HTMLElement;
  #chart?: ECharts;
  #observer?: ResizeObserver;
  #option?: ChartOption;
  #applied?: ChartOption;
  #failed = false;
  /** The container's size changed and the instance has not been resized to it yet. */
  #resizePending = false;

  constructor(host: ReactiveControllerHost, options: ChartControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The live instance, once the container has been rendered with a size. */
  get chart(): ECharts | undefined {
    return this.#chart;
  }

  /**
   * The whole option to show (replacing the previous one, series and all); applied as soon
   * as the instance exists. Given after the container's size changed, it is laid out once
   * at the new size, not first the old option at the new size and then this one.
   */
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
    // ECharts lays everything out again on resize(), even to the size it has. A resize
    // followed by the host's option for the new size laid every bar out twice at each step
    // of a window's resize. The resize waits for that option (`#apply`, in the update
    // `onResize` asks for, before this frame is painted), else happens after that update.
    else if (chart && container && (container.clientWidth !== chart.getWidth() || container.clientHeight !== chart.getHeight())) {
      this.#resizePending = true;
    }
    this.#options.onResize?.();
    // Asked after onResize: the update it asks for is the one waited for.
    if (this.#resizePending) void this.#host.updateComplete.then(() => this.#resizeNow(), () => this.#resizeNow());
  }

  /** Resizes the instance to its container's size, unless done since it was asked for. */
  #resizeNow(): void {
    if (!this.#resizePending) return;
    this.#resizePending = false;
    this.#chart?.resize();
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
    this.#resizePending = false;
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
    if (this.#resizePending) {
      // ECharts' way to lay a new option out once at a new size: the option's update is
      // left pending, and resize() does it (at the new size, without animation); the flush
      // paints it now, as setOption does, not in the next frame.
      this.#resizePending = false;
      this.#chart.setOption(this.#option, { notMerge: true, lazyUpdate: true });
      this.#chart.resize();
      this.#chart.getZr().flush();
    } else this.#chart.setOption(this.#option, { notMerge: true });
    this.drawMs = performance.now() - start;
  }
}
