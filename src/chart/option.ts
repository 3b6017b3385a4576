/**
 * The ECharts option of a `ChartModel`: a numeric time axis (epoch ms, values at the
 * middle of their bucket, labels on round local times), stacked bars or areas, lines,
 * an optional secondary axis, an optional lower panel on the same time axis (`lower` series);
 * colours from the theme; buckets sampled (LTTB and each
 * series' extremes) when there are more buckets than pixels. No ECharts tooltip, legend or HTML anywhere.
 */
import type { BarSeriesOption, ChartOption, LineSeriesOption } from './echarts.js';
import { isolate } from '../format/bidi.js';
import { lttbIndices } from './lttb.js';
import type { ChartModel, ChartSeries, FillPattern } from './model.js';
import type { ChartTheme } from './theme.js';

/** The plot area's margins inside the chart container, in CSS pixels. */
export const GRID = { left: 64, right: 16, rightSecondary: 48, top: 16, bottom: 28 } as const;

/** The axes' labels and names, in px. */
export const AXIS_FONT_PX = 11;

/** Above a plot whose axis has a title, a row for it over the row of the spikes' marks. */
const TITLE_ROW = 12;

/** Bars narrower than this (px) are drawn as stacked areas instead. */
const MIN_BAR_PX = 3;

/** Maps instants to the plot's pixels and back, for overlays, tooltip and brush. */
export class PlotGeometry {
  readonly left: number;
  readonly right: number;
  /** The plot's top: the spikes' marks sit just above it, under the axis' title. */
  readonly top: number;
  readonly min: number;
  readonly max: number;
  readonly width: number;
  readonly height: number;

  constructor(model: ChartModel, width: number, height: number) {
    const last = model.ends.length - 1;
    this.min = model.starts[0] ?? 0;
    this.max = Math.max(model.ends[last] ?? this.min + 1, model.axisEnd ?? 0);
    this.left = GRID.left;
    this.top = GRID.top + (model.axisTitle ? TITLE_ROW : 0);
    this.right = width - (model.series.some((s) => s.secondaryAxis) ? GRID.rightSecondary : GRID.right);
    this.width = width;
    this.height = height;
  }

  get plotWidth(): number {
    return Math.max(1, this.right - this.left);
  }

  x(ms: number): number {
    return this.left + ((ms - this.min) / Math.max(1, this.max - this.min)) * this.plotWidth;
  }

  ms(x: number): number {
    return this.min + ((x - this.left) / this.plotWidth) * (this.max - this.min);
  }
}

export interface OptionContext {
  theme: ChartTheme;
  geometry: PlotGeometry;
  /** Keys of the series the legend hid. */
  hidden: ReadonlySet<string>;
  /** The bucket starts to label and how to write them. */
  ticks: readonly number[];
  formatTick: (ms: number) => string;
  /** The system asks for reduced motion: no grow or morph animation. */
  reducedMotion: boolean;
}

/**
 * The bucket indices drawn: all of them, or, when there are more buckets than pixels, an
 * LTTB pick over the visible stacked total joined by each visible series' highest and
 * lowest bucket of every pixel's span (as M4 sampling keeps them). The total alone loses a
 * series that moves against the others or is small beside them: surplus drawn rises as
 * the available pool falls, and a day's few drawing minutes vanished from a 24-hour chart.
 */
export function sampledIndices(model: ChartModel, hidden: ReadonlySet<string>, plotWidth: number): number[] {
  const n = model.starts.length;
  const threshold = Math.max(3, Math.floor(plotWidth));
  if (n <= threshold) return Array.from({ length: n }, (_, i) => i);
  const visible = model.series.filter((series) => !hidden.has(series.key) && !series.points);
  const total = new Float64Array(n);
  for (const series of visible) {
    if (!series.secondaryAxis) series.values.forEach((v, i) => (total[i] = total[i]! + (v ?? 0)));
  }
  const picked = new Set(lttbIndices(total, threshold));
  const span = Math.ceil(n / threshold);
  for (const { values } of visible) {
    for (let start = 0; start < n; start += span) {
      let high = start;
      let low = start;
      for (let i = start + 1; i < Math.min(n, start + span); i++) {
        const v = values[i] ?? 0;
        if (v > (values[high] ?? 0)) high = i;
        else if (v < (values[low] ?? 0)) low = i;
      }
      // A flat span (a constant capacity, no drawing) adds nothing.
      if (high !== low) picked.add(high).add(low);
    }
  }
  return [...picked].sort((a, b) => a - b);
}

/**
 * Of the sampled indices, the one of each pixel column whose stacked total is highest: the
 * buckets of stacked bars a pixel wide. More in a column overlap unseen, and each cost ECharts
 * a bar to lay out and style (90 days by the hour grouped by user: 23,000 bars for 6,600 pixels).
 */
function pixelPeaks(model: ChartModel, stacked: readonly ChartSeries[], indices: readonly number[], geometry: PlotGeometry): number[] {
  const peaks = new Map<number, number>();
  const total = (i: number) => stacked.reduce((sum, s) => sum + (s.values[i] ?? 0), 0);
  for (const i of indices) {
    const x = Math.floor(geometry.x((model.starts[i]! + model.ends[i]!) / 2));
    const held = peaks.get(x);
    if (held === undefined || total(i) > total(held)) peaks.set(x, i);
  }
  return [...peaks.values()];
}

/** ECharts decals drawing each fill pattern, in `color` (the surface's, half transparent). */
function decalOf(pattern: FillPattern | undefined, color: string) {
  const lines = { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 4], color };
  switch (pattern) {
    case 'stripes':
      return { ...lines, rotation: -Math.PI / 4 };
    case 'back-stripes':
      return { ...lines, rotation: Math.PI / 4 };
    case 'dots':
      return { symbol: 'circle', symbolSize: 0.9, dashArrayX: [2, 3], dashArrayY: [2, 3], color };
    case 'triangles':
      return { symbol: 'triangle', symbolSize: 1, dashArrayX: [4, 3], dashArrayY: [4, 3], color };
    default:
      return undefined;
  }
}

/** The fill opacity of a muted series (its outline keeps the full colour: 3:1 against the surface). */
const MUTED_FILL = 0.35;

/** `#rrggbb` at an opacity, for the decals (other colour forms are used as they are). */
function translucent(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return hex ? `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${alpha})` : color;
}

function seriesOption(
  series: ChartSeries,
  model: ChartModel,
  indices: readonly number[],
  bar: { width: number; bucketMs: number; widthMs: number },
  theme: ChartTheme,
  axes: { xAxisIndex: number; yAxisIndex: number },
): BarSeriesOption | LineSeriesOption {
  const barWidth = bar.width;
  const last = model.starts.length - 1;
  const bars = series.kind === 'bar' && barWidth >= MIN_BAR_PX;
  const mid = (i: number): number => {
    const span = model.ends[i]! - model.starts[i]!;
    // A bar as wide as a whole bucket centred on a partial last one (a week's first day)
    // lay over the bar before it: it starts in its own bucket, the range's end cutting it.
    return bars && i === last && span < bar.bucketMs
      ? model.starts[i]! + ((bar.bucketMs - bar.widthMs) / 2) * (span / bar.bucketMs) + bar.widthMs / 2
      : model.starts[i]! + span / 2;
  };
  const data = series.points
    ? series.points.map(([x, y]) => [x, y])
    : indices.map((i) => [mid(i), series.values[i] ?? null]);
  const common = { id: series.key, name: series.key, data, ...axes, stack: series.stack };
  const decal = decalOf(series.pattern, translucent(theme.surface, 0.6));
  if (bars) {
    const fill = series.muted ? { color: translucent(series.color, MUTED_FILL), borderColor: series.color, borderWidth: 1 } : { color: series.color };
    return { ...common, type: 'bar', barWidth, itemStyle: { ...fill, decal }, emphasis: { disabled: true } };
  }
  if (series.kind === 'bar' && series.stack) {
    // Stacked buckets too narrow for bars of their own (a day by the minute): a pixel-wide
    // bar each, in plain colour. As stacked areas, the series on top covered those below it
    // at every spike (a 24-hour chart of 86% input read as all output); patterns and
    // outlines do not fit in a pixel.
    // ECharts' large mode: each series is one path of rectangles in one style, not a bar
    // element styled apiece (90 days by the hour grouped by user: 14,000 bars laid out and
    // styled again at every step of a window's resize). It draws no decal, outline or
    // rounded corner, none of which these bars have; hover and tooltip are ours. Never
    // progressive: a series drawn over several frames would flicker at every redraw.
    const color = series.muted ? translucent(series.color, MUTED_FILL) : series.color;
    return { ...common, type: 'bar', barWidth: 1, large: true, largeThreshold: 0, progressive: 0, itemStyle: { color }, emphasis: { disabled: true } };
  }
  const area = series.kind !== 'line';
  return {
    ...common,
    type: 'line',
    symbol: 'none',
    showSymbol: false,
    connectNulls: false,
    step: series.step ? 'middle' : false,
    color: series.color,
    itemStyle: area ? { decal } : undefined,
    // A count on the secondary axis over bars: 1.5 px at full colour (1 px at 75% vanished into a dense area of bars).
    lineStyle: { color: series.color, width: area ? 1 : series.secondaryAxis ? 1.5 : 2, type: series.lineType ?? 'solid' },
    areaStyle: area ? { color: series.color, opacity: series.muted ? MUTED_FILL : 0.8 } : undefined,
    emphasis: { disabled: true },
  };
}

/** The smallest of 1, 2, 4, 5 × 10ⁿ that is at least `value` (an axis end its ticks land on). */
function roundUp(value: number): number {
  const scale = 10 ** Math.floor(Math.log10(value));
  return scale * [1, 2, 4, 5, 10].find((m) => m * scale >= value)!;
}

interface AxisScale {
  readonly min: number;
  readonly max: number;
  readonly interval: number;
}

/**
 * Both y axes' scales when a chart has a secondary one: the same number of intervals on
 * each, so that the right axis' labels sit on the left axis' grid lines (each axis ticking
 * on its own put "15" between two lines). The right one holds counts: whole intervals, its
 * zero on the left's, and twice the highest count at least, so that the counts keep to the
 * lower part of the plot and the amounts above them stay readable.
 */
function alignedScales(shown: readonly ChartSeries[]): [AxisScale, AxisScale] {
  let low = 0;
  let high = 0;
  let counts = 0;
  const stacked = new Map<string, number[]>();
  for (const series of shown) {
    const values = [...series.values, ...(series.points ?? []).map(([, y]) => y)].filter((v): v is number => v !== null);
    if (series.secondaryAxis) {
      counts = Math.max(counts, ...values);
      continue;
    }
    if (series.stack) {
      const sums = stacked.get(series.stack) ?? [];
      series.values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + (v ?? 0)));
      stacked.set(series.stack, sums);
    }
    low = Math.min(low, ...values);
    high = Math.max(high, ...values);
  }
  for (const sums of stacked.values()) high = Math.max(high, ...sums);
  // Whole amounts: an interval of 1 at least (a pool of nothing would tick by 0.2).
  const interval = roundUp(Math.max(high - low, 5) / 5);
  const below = Math.ceil(-low / interval);
  const above = Math.max(1, Math.ceil(high / interval));
  const step = roundUp(Math.max(1, Math.ceil(Math.max(2, 2 * counts) / above)));
  return [
    { min: -below * interval, max: above * interval, interval },
    { min: -below * step, max: above * step, interval: step },
  ];
}

/** Plot heights (px, between the margins) below which `lower` series share the one panel: two would be too flat to read. */
const MIN_SPLIT_HEIGHT = 160;
/** The space between two panels, and the upper panel's share of the rest. */
const PANEL_GAP = 28;
const UPPER_SHARE = 0.6;

export function buildOption(model: ChartModel, context: OptionContext): ChartOption {
  const { theme, geometry } = context;
  const indices = sampledIndices(model, context.hidden, geometry.plotWidth);
  const bucketMs = model.starts.length > 1 ? model.starts[1]! - model.starts[0]! : (model.ends[0] ?? 1) - (model.starts[0] ?? 0);
  const barWidth = Math.floor((geometry.plotWidth * bucketMs) / Math.max(1, geometry.max - geometry.min) * 0.8);
  const bar = { width: barWidth, bucketMs, widthMs: (barWidth * (geometry.max - geometry.min)) / geometry.plotWidth };
  const shown = model.series.filter((s) => !context.hidden.has(s.key));
  const plotHeight = geometry.height - geometry.top - GRID.bottom;
  // Levels above, flows per bucket under them, when there are both and room for two panels.
  const split = plotHeight >= MIN_SPLIT_HEIGHT && shown.some((s) => s.lower) && shown.some((s) => !s.lower);
  const panels = split ? [shown.filter((s) => !s.lower), shown.filter((s) => s.lower)] : [shown];
  const upper = Math.round((plotHeight - PANEL_GAP) * UPPER_SHARE);
  const axisText = { color: theme.muted, fontFamily: theme.fontFamily, fontSize: AXIS_FONT_PX };
  const leftTitle = (gridIndex: number) => (split ? model.panelTitles?.[gridIndex] : model.axisTitle);
  // Only where both names fit side by side over the plot (about 6.5 px a character at 11 px).
  const secondaryTitle = (gridIndex: number) => {
    const title = model.secondaryAxisTitle;
    return title && ((leftTitle(gridIndex)?.length ?? 0) + title.length) * 6.5 + 16 <= geometry.plotWidth ? title : undefined;
  };
  const yAxis = (gridIndex: number, formatter: (value: number) => string, scale: AxisScale | undefined, secondary?: ChartSeries) => ({
    type: 'value' as const,
    gridIndex,
    // The panel's title, or what the one axis counts, over its top left corner (the axis'
    // name at its end, set right of it); the right axis' name over its top right corner.
    name: secondary ? secondaryTitle(gridIndex) : leftTitle(gridIndex),
    nameLocation: 'end' as const,
    // Over the spikes' row, where there is one (it is in the plot's top margin).
    nameGap: 7 + (gridIndex === 0 ? geometry.top - GRID.top : 0),
    nameTextStyle: {
      ...axisText,
      ...(secondary ? { align: 'right' as const, color: secondary.color } : { align: 'left' as const, width: geometry.width - GRID.left, overflow: 'truncate' as const }),
    },
    position: secondary ? ('right' as const) : ('left' as const),
    // From 0, or below it for a value under 0 (a pool overdrawn by back-dated events).
    // Whole amounts (tokens, bytes, pages): a pool of nothing would tick by 0.2.
    ...(scale ?? { min: ({ min }: { min: number }) => Math.min(0, min), minInterval: 1 }),
    // The right axis' labels take its series' colour: its counts are not read as amounts
    // (and none below 0, where only the left axis has values).
    axisLabel: {
      ...axisText,
      ...(secondary ? { color: secondary.color } : {}),
      formatter: secondary ? (value: number) => (value < 0 ? '' : formatter(value)) : formatter,
    },
    splitLine: { show: !secondary, lineStyle: { color: theme.border, opacity: 0.35 } },
    axisLine: { show: false },
  });
  const yAxes: ReturnType<typeof yAxis>[] = [];
  const axesOf = new Map<string, { xAxisIndex: number; yAxisIndex: number }>();
  panels.forEach((list, xAxisIndex) => {
    const secondary = list.find((s) => s.secondaryAxis);
    const scales = secondary ? alignedScales(list) : undefined;
    const primary = yAxes.push(yAxis(xAxisIndex, model.formatAxis, scales?.[0])) - 1;
    if (secondary) yAxes.push(yAxis(xAxisIndex, model.formatSecondaryAxis ?? String, scales![1], secondary));
    for (const s of list) axesOf.set(s.key, { xAxisIndex, yAxisIndex: s.secondaryAxis ? primary + 1 : primary });
  });
  const last = panels.length - 1;
  const thin = (s: ChartSeries) => s.kind === 'bar' && !!s.stack && barWidth < MIN_BAR_PX;
  let peaks: number[] | undefined;
  return {
    animation: !context.reducedMotion && model.starts.length <= 400,
    animationDuration: 250,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: theme.fontFamily, color: theme.text },
    // Where the plot is, whatever its labels and names: ECharts 6 narrowed a grid to hold
    // them (the lower panel by 60 px under a long title), away from the overlays and the
    // pointer's geometry. The labels are kept inside by the chart; a long title is cut.
    grid: panels.map((_, i) => ({
      outerBoundsMode: 'none' as const,
      left: GRID.left,
      right: geometry.width - geometry.right,
      top: i === 0 ? geometry.top : geometry.top + upper + PANEL_GAP,
      ...(i === last ? { bottom: GRID.bottom } : { height: upper }),
    })),
    // One time axis per panel, on the same scale; the labels under the lowest.
    xAxis: panels.map((_, i) => ({
      type: 'value' as const,
      gridIndex: i,
      min: geometry.min,
      max: geometry.max,
      // Exactly [min, max], as the overlays place themselves (PlotGeometry): ECharts 6 widens
      // an axis under bars by half a bar each side (`containShape`; 28 px at 7 days by day,
      // 156 px at weeks), and a partial last bucket's bar is cut at the range's end instead.
      containShape: false,
      axisLine: { lineStyle: { color: theme.border } },
      axisTick: { show: i === last, customValues: [...context.ticks], lineStyle: { color: theme.border } },
      // Isolated in a right-to-left locale: a Hebrew date's day was drawn on its month's far side.
      axisLabel: { ...axisText, show: i === last, customValues: [...context.ticks], formatter: (value: number) => isolate(context.formatTick(value)), hideOverlap: true },
      splitLine: { show: false },
    })),
    yAxis: yAxes,
    series: shown.map((s) => seriesOption(s, model, thin(s) ? (peaks ??= pixelPeaks(model, shown.filter(thin), indices, geometry)) : indices, bar, theme, axesOf.get(s.key)!)),
  };
}
