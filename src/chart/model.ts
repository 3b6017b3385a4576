/**
 * What a chart shows, independent of ECharts: buckets on a time axis and series of
 * values per bucket. Each chart element builds a `ChartModel` from its answer; the
 * shared code turns it into the ECharts option, the tooltip, the legend, the data table
 * and the summary, so the five always agree.
 */
import type { TemplateResult } from 'lit';
import type { Bucket } from '../api/contract.js';

export type SeriesKind = 'bar' | 'area' | 'line';
export type LineType = 'solid' | 'dashed' | 'dotted';
/** A fill pattern over a bar's or an area's colour, so that stacked series differ by more than colour. */
export type FillPattern = 'solid' | 'stripes' | 'dots' | 'back-stripes' | 'triangles';

export interface ChartSeries {
  /** Stable identity: the legend toggles series by key. */
  readonly key: string;
  /** Shown in the legend, tooltip and table (data-derived: user IDs, endpoints). */
  readonly label: string;
  /** Shown after the label in the legend, the table and the summary (the user's ID beside their name). */
  readonly detail?: string;
  /** `bar` may be drawn as `area` when the buckets are too many for bars. */
  readonly kind: SeriesKind;
  /** One value per bucket of the model (null: no value there). */
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** The fill pattern of a bar or an area (default solid). */
  readonly pattern?: FillPattern;
  /** A lighter fill inside its full-colour outline, so that it recedes ("other", the rest past the largest keys). */
  readonly muted?: boolean;
  /** Series with the same stack are stacked. */
  readonly stack?: string;
  readonly lineType?: LineType;
  /** Draw as steps (reference levels that change between buckets). */
  readonly step?: boolean;
  /** The secondary y axis (counts beside amounts). */
  readonly secondaryAxis?: boolean;
  /**
   * Drawn in a panel of its own under the others, on the same time axis: a flow per bucket
   * (the surplus drawn) kept apart from levels (the pool available), which it would cover.
   */
  readonly lower?: boolean;
  /** Listed in the legend (and so can be hidden); default true. */
  readonly inLegend?: boolean;
  /** The tooltip's label at a bucket, when it says more there (the previous period's own time). */
  readonly labelAt?: (index: number) => string;
  /** Formats a value of this series for the tooltip and the table. */
  readonly format: (value: number) => string;
  /**
   * The series' total over the range, shown in its legend entry and the data table's
   * footer: only where amounts add up (the consumption chart's groups, "other" and the
   * previous period), never for levels such as the surplus pool's.
   */
  readonly total?: SeriesTotal;
  /**
   * Instants other than the buckets' for a line (the projection beyond the last bucket);
   * such a series has no tooltip row and no table column.
   */
  readonly points?: readonly (readonly [number, number])[];
}

export interface SeriesTotal {
  readonly amount: number;
  /** The amount as the legend shows it, compact ("1.9M tokens"). */
  readonly compact: string;
  /** Its share of the chart's total ("79%", "<1%"); none where a share would mislead (the previous period). */
  readonly share?: string;
}

export interface ChartModel {
  /** Bucket starts (epoch ms), ascending. */
  readonly starts: readonly number[];
  /** Bucket ends: the next start, and `to` for a partial last bucket. */
  readonly ends: readonly number[];
  /** The buckets' unit. */
  readonly bucket: Bucket;
  readonly series: readonly ChartSeries[];
  /** The x axis reaches at least this far (the projection). */
  readonly axisEnd?: number;
  /** The range's start: a first bucket that starts before it is partial, covering only the time from it. */
  readonly from: number;
  /** Last bucket cut by the range's end (its total covers only part of the bucket). */
  readonly partialLast: boolean;
  /** The spikes: bucket index → what the tooltip says ("4.2× the typical level"). */
  readonly spikes: ReadonlyMap<number, string>;
  /** Formats a value of the primary y axis (compact). */
  readonly formatAxis: (value: number) => string;
  /** What the y axis counts, over its top left corner, in one panel ("Tokens per hour"). */
  readonly axisTitle?: string;
  /** What each panel shows, over its top left corner, when the `lower` series have one of their own. */
  readonly panelTitles?: readonly [upper: string, lower: string];
  /** Formats a value of the secondary axis, when a series uses it. */
  readonly formatSecondaryAxis?: (value: number) => string;
  /** What the secondary axis counts, over its top right corner, in its series' colour ("Users"). */
  readonly secondaryAxisTitle?: string;
  /**
   * The text summary, also the chart's accessible description: text, or a template whose
   * data-derived names sit in `<bdi>` (a name's own direction marks stay inside it).
   */
  readonly summary: string | TemplateResult;
}
