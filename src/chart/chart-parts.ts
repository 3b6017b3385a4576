/**
 * The chart's own Lit parts: tooltip, legend and data table. Every string in them goes
 * through Lit's text bindings, so a user ID or an endpoint can never become markup; no
 * style attribute is written (colours and positions are CSS custom properties set through
 * `cssVars`, i.e. `element.style.setProperty`, which a strict CSP allows).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { isolate } from '../format/bidi.js';
import { csvLine } from '../format/csv.js';
import { cssVars } from './css-vars.js';
import type { ChartModel, ChartSeries, FillPattern, LineType, SeriesKind, SeriesTotal } from './model.js';

export interface SwatchStyle {
  readonly color: string;
  readonly kind: SeriesKind;
  readonly lineType?: LineType | undefined;
  readonly pattern?: FillPattern | undefined;
  readonly muted?: boolean | undefined;
}

/** The small sample of a series' colour and shape (a block for bars and areas, a stroke for lines). */
export function renderSwatch(series: SwatchStyle): TemplateResult {
  return html`<span
    class="swatch"
    data-kind=${series.kind}
    data-line=${series.lineType ?? 'solid'}
    data-pattern=${series.pattern ?? 'solid'}
    ?data-muted=${series.muted}
    ${cssVars({ '--swatch-color': series.color })}
    aria-hidden="true"
  ></span>`;
}

/** A series' name in full: its label, and its detail in brackets ("Ada Lovelace (u_1)"). */
export function seriesName(series: ChartSeries): string {
  return series.detail ? `${series.label} (${series.detail})` : series.label;
}

export interface TooltipContent {
  readonly title: string;
  /** A row without a series is the stack's total. */
  readonly rows: readonly { readonly series?: ChartSeries; readonly label: string; readonly value: string }[];
  readonly notes: readonly string[];
}

/** The series' values in one bucket, with notes (spike, partial bucket). */
export function tooltipContent(model: ChartModel, index: number, hidden: ReadonlySet<string>, title: string): TooltipContent {
  let rows: TooltipContent['rows'][number][] = model.series
    .filter((s) => !s.points && !hidden.has(s.key) && s.values[index] != null)
    .map((series) => ({ series, label: series.labelAt?.(index) ?? series.label, value: series.format(series.values[index]!) }));
  // A stack of many groups (users, endpoints) reads largest first, its empty ones left out,
  // so that who made a bucket's bar heads its tooltip; the rest ("other", muted) last. Two
  // or three keep their order, zeros included ("Output 0 tokens" says something).
  const amount = (row: (typeof rows)[number]) => (row.series!.muted ? -1 : row.series!.values[index]!);
  const stacked = rows.filter((r) => r.series!.stack);
  if (stacked.length > 3) rows = [...stacked.filter((r) => r.series!.values[index]! > 0).sort((a, b) => amount(b) - amount(a)), ...rows.filter((r) => !r.series!.stack)];
  // Under two or more stacked parts, their sum: the bar's height, which a previous period's
  // line beside them is compared with.
  if (stacked.length > 1) {
    const total = stacked.reduce((sum, r) => sum + r.series!.values[index]!, 0);
    // After the stack (at the end when every row is in it: -1 >>> 0 is past the end).
    rows.splice(rows.findIndex((r) => !r.series!.stack) >>> 0, 0, { label: 'Total', value: stacked[0]!.series!.format(total) });
  }
  const notes: string[] = [];
  const spike = model.spikes.get(index);
  if (spike) notes.push(spike);
  if (isPartial(model, index)) notes.push('Partial bucket: the range covers only part of it.');
  return { title, rows, notes };
}

/** Whether the range covers only part of a bucket (the first or the last). */
export function isPartial(model: ChartModel, index: number): boolean {
  return (index === 0 && model.from > model.starts[0]!) || (index === model.starts.length - 1 && model.partialLast);
}

/** The tooltip content as one sentence, for the live region that follows keyboard focus. */
export function tooltipSentence(content: TooltipContent): string {
  return [content.title, ...content.rows.map((r) => `${r.label}: ${r.value}`), ...content.notes].join('. ');
}

/**
 * The tooltip of the bucket at `x`, with a muted `hint` under the notes (what a click does);
 * `placeTooltip` then moves it beside `x` where it fits.
 */
export function renderTooltip(content: TooltipContent, x: number, hint?: string): TemplateResult {
  return html`<div class="tooltip" part="tooltip" role="tooltip" id="tooltip" ${cssVars({ '--tooltip-x': `${x}px` })}>
    <div class="tooltip-title">${content.title}</div>
    <table class="tooltip-rows">
      ${content.rows.map(
        (row) =>
          html`<tr class=${row.series ? '' : 'total'}>
            <th scope="row">${row.series ? renderSwatch(row.series) : nothing}${row.label}</th>
            <td>${row.value}</td>
          </tr>`,
      )}
    </table>
    ${content.notes.map((note) => html`<div class="tooltip-note">${note}</div>`)}
    ${hint ? html`<div class="tooltip-hint">${hint}</div>` : nothing}
  </div>`;
}

/**
 * Keeps a rendered tooltip inside the plot at its own width: right of the bucket at `x`
 * where it fits, else left of it, else as near it as the plot allows. A tooltip squeezed
 * into the room on one side of the pointer broke its words ("Inp/ut") in a narrow chart.
 */
export function placeTooltip(tooltip: HTMLElement, x: number): void {
  const room = (tooltip.offsetParent as HTMLElement | null)?.clientWidth ?? 0;
  const width = tooltip.offsetWidth;
  let left = x + TOOLTIP_GAP;
  if (left + width > room) left = x - TOOLTIP_GAP - width;
  if (left < 0) left = Math.max(0, Math.min(x - width / 2, room - width));
  tooltip.style.left = `${left}px`;
}

const TOOLTIP_GAP = 12;

/**
 * A comma for a screen reader only, set inline at font size 0: one placed out of the flow
 * (the usual visually-hidden box) is a box of its own, around which Chrome's accessible
 * name puts spaces ("Input , 1.9M tokens , 79%"). The space as an expression: the build's
 * template minifier trims it as markup.
 */
const spokenComma = html`<span class="spoken-comma">${', '}</span>`;

/**
 * A series' total in its legend toggle: "1.9M tokens · 79%" to the eye, "1.9M tokens, 79%" to
 * a screen reader. Each figure isolated in a right-to-left locale: an Arabic unit turned the
 * run around, the share drawn before the amount ("٥١٪ · ٥٧ م.ب").
 */
function renderLegendTotal(total: SeriesTotal): TemplateResult {
  return html`<span class="legend-total" part="legend-total"
    >${isolate(total.compact)}${total.share ? html`<span aria-hidden="true">${' · '}</span>${spokenComma}${isolate(total.share)}` : nothing}</span
  >`;
}

/**
 * The legend: one toggle button per series; a hidden series is `aria-pressed="false"`.
 * A series with a total shows it after its name, hidden or not, and is named with it
 * ("Input, 1.9M tokens, 79%").
 * `after` adds a control beside a series' toggle (a user's link), not inside it, and
 * never parted from it where the legend wraps.
 */
export function renderLegend(
  series: readonly ChartSeries[],
  hidden: ReadonlySet<string>,
  onToggle: (key: string) => void,
  chartTitle: string,
  after: (series: ChartSeries) => unknown = () => nothing,
  spikes = false,
): TemplateResult | typeof nothing {
  const items = series.filter((s) => s.inLegend !== false);
  if (items.length === 0) return nothing;
  // Named by its chart: two charts' legends both read "Series" in a screen reader's list.
  return html`<div class="legend" part="legend" role="group" aria-label=${`${chartTitle}: series`}>
    ${items.map(
      (s) =>
        html`<span class="legend-entry"
          ><button
          type="button"
          class="legend-item"
          part="legend-item"
          aria-pressed=${hidden.has(s.key) ? 'false' : 'true'}
          @click=${() => onToggle(s.key)}
        >
          ${renderSwatch(s)}<span class=${s.detail ? 'legend-label with-detail' : 'legend-label'} title=${seriesName(s)}
            >${s.label}${s.detail ? html`<span class="id-detail">${` ${s.detail}`}</span>` : nothing}${s.total ? spokenComma : nothing}</span
          >${s.total ? renderLegendTotal(s.total) : nothing}
        </button>${after(s)}</span
        >`,
    )}${spikes ? html`<span class="legend-key" part="legend-key"><span class="spike-key" aria-hidden="true"></span>Spike: far above the usual</span>` : nothing}
  </div>`;
}

/**
 * The series as a data table: one row per bucket, one column per series (every bucket, not
 * the sampled ones), and a "Total" row in its footer when some series have a total.
 */
export function renderDataTable(model: ChartModel, caption: string, formatBucket: (index: number) => string): TemplateResult {
  const columns = model.series.filter((s) => !s.points);
  return html`<div class="table-wrap" part="table-wrap" tabindex="0" role="region" aria-label=${`${caption} as a table`}>
    <table part="table">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          ${columns.map((s) => html`<th scope="col">${seriesName(s)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${model.starts.map(
          (_, i) =>
            html`<tr>
              <th scope="row">${formatBucket(i)}${isPartial(model, i) ? ' (partial)' : ''}</th>
              ${columns.map((s) => html`<td>${s.values[i] == null ? '–' : s.format(s.values[i]!)}</td>`)}
            </tr>`,
        )}
      </tbody>
      ${columns.some((s) => s.total)
        ? html`<tfoot>
            <tr>
              <th scope="row">Total</th>
              ${columns.map((s) => html`<td>${s.total ? s.format(s.total.amount) : '–'}</td>`)}
            </tr>
          </tfoot>`
        : nothing}
    </table>
  </div>`;
}

/**
 * The series as CSV (the chart's "Download CSV"): one line per bucket, every bucket, with
 * the span its values cover as instants (a partial first bucket from `from`, the range's
 * start; a partial last one to the range's end) and each series' value as a number in
 * `unit` (a count, on the secondary axis, without one), empty where the series has none.
 */
export function chartCsv(model: ChartModel, unit: string, from: number): string {
  const columns = model.series.filter((s) => !s.points);
  const instant = (t: number) => new Date(t).toISOString();
  const header = csvLine(['start', 'end', ...columns.map((s) => (s.secondaryAxis ? seriesName(s) : `${seriesName(s)} (${unit})`))]);
  return header + model.starts.map((t, i) => csvLine([instant(Math.max(t, from)), instant(model.ends[i]!), ...columns.map((s) => s.values[i] ?? '')])).join('');
}
