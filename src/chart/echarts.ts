/**
 * The one place that touches ECharts' registry: only the parts the charts draw with are
 * registered (canvas, line, bar, grid with its axis pointer, aria), from `echarts/core`,
 * so a bundle carries about 160 kB of ECharts instead of 355 kB. No ECharts tooltip,
 * legend, dataZoom or brush: ours are Lit templates (strict CSP, escaping, size).
 *
 * The registration runs inside `createChart`, never at module top level: a bundler that
 * trusts `"sideEffects": false` would drop a module that only calls `use()`.
 */
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

export type ChartOption = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption>;
export type { ECharts, LineSeriesOption, BarSeriesOption };

let registered = false;
const live = new Set<ECharts>();

/** Creates an ECharts instance on `container` (registering the parts on first use). */
export function createChart(container: HTMLElement): ECharts {
  if (!registered) {
    use([CanvasRenderer, LineChart, BarChart, GridComponent]);
    registered = true;
  }
  // Under a page's CSS zoom (or a scaling transform) the plot shows larger than its layout
  // size: the canvas is drawn at that scale too, so that it stays sharp.
  const scale = container.getBoundingClientRect().width / container.clientWidth || 1;
  const chart = init(container, null, { renderer: 'canvas', devicePixelRatio: (globalThis.devicePixelRatio || 1) * scale });
  live.add(chart);
  return chart;
}

/** Disposes an instance made by `createChart`. */
export function disposeChart(chart: ECharts): void {
  live.delete(chart);
  if (!chart.isDisposed()) chart.dispose();
}

/** How many instances made by `createChart` are alive (tests check for leaks). */
export function liveChartCount(): number {
  return live.size;
}
