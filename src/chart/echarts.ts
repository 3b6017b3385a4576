/**
 * The one place that touches ECharts' registry: only the parts the charts draw with are
 * registered (canvas, line, bar, and the grid without its axis pointer), from
 * `echarts/core`, so a bundle carries about 150 kB of ECharts instead of 355 kB. No ECharts
 * tooltip, axis pointer, legend, dataZoom or brush: ours are Lit templates and overlays
 * (strict CSP, escaping, size; the axis pointer alone was 8 kB).
 *
 * The registration runs inside `createChart`, never at module top level: a bundler that
 * trusts `"sideEffects": false` would drop a module that only calls `use()`.
 */
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridSimpleComponent, type GridComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

export type ChartOption = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption>;
export type { ECharts, LineSeriesOption, BarSeriesOption };

let registered = false;
const live = new Set<ECharts>();

/** Creates an ECharts instance on `container` (registering the parts on first use). */
export function createChart(container: HTMLElement): ECharts {
  if (!registered) {
    use([CanvasRenderer, LineChart, BarChart, GridSimpleComponent]);
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
