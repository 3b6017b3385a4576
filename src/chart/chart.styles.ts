import { css } from 'lit';

/** What both charts share: header, plot with its overlays, tooltip, legend, table view, summary. */
export const chartStyles = css`
  /* The card is drawn inside (part base), not on the host, so that a page's reset of every
     element (Tailwind's * { padding: 0; border: 0 solid }) leaves it whole; it fills the
     host as a flex item, or by its height where a host makes the element a block. */
  :host {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .card {
    flex: 1 1 auto;
    height: 100%;
    min-width: 0;
    background: var(--_usage-color-surface);
    border: 1px solid var(--usage-chart-border-color, color-mix(in srgb, var(--_usage-color-border) 45%, var(--_usage-color-surface)));
    border-radius: var(--_usage-radius);
    padding: calc(var(--_usage-space) * 1.5);
  }
  :host([hidden]) {
    display: none;
  }
  /* Every token the canvas is drawn with, in one property whose change the chart hears
     (transitionrun): tokens a page sets at runtime (its own dark mode) reach the canvas. On
     a box of its own, not a part: a page's ::part(base) { transition: … } would replace it. */
  .tokens {
    position: absolute;
    width: 0;
    height: 0;
    overflow: hidden;
    visibility: hidden;
    --_drawn-tokens: var(--_usage-color-text) var(--_usage-color-muted) var(--_usage-color-surface) var(--_usage-color-border)
      var(--_usage-color-accent) var(--_usage-color-danger) var(--_usage-color-allocated) var(--_usage-color-surplus)
      var(--_usage-color-hybrid) var(--_usage-color-input) var(--_usage-color-output) var(--_usage-color-series-1)
      var(--_usage-color-series-2) var(--_usage-color-series-3) var(--_usage-color-series-4) var(--_usage-color-series-5)
      var(--_usage-color-series-6) var(--_usage-color-series-7) var(--_usage-color-series-8) var(--_usage-font-family);
    transition: --_drawn-tokens 1ms allow-discrete;
  }
  * {
    box-sizing: border-box;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--_usage-space);
    margin-bottom: var(--_usage-space);
  }
  /* The title and "data as of" together, the actions at the end (or on a line of their own). */
  .heading {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 var(--_usage-space);
    min-width: 0;
  }
  .title {
    margin: 0;
    font-size: 1.05em;
    font-weight: 600;
    /* On two lines at 320 px, not "only" alone on the second. */
    text-wrap: balance;
  }
  /* The unit beside the title: the dot is for the eye (read as a pause it says nothing). */
  .unit {
    font-weight: normal;
  }
  .unit::before {
    content: '· ' / '';
  }
  .meta {
    color: var(--_usage-color-muted);
    font-size: 0.9em;
  }
  /* The live status reads as part of "Data as of"; Reconnect is as tall as the header's buttons. */
  .heading .live-status {
    align-self: center;
  }
  .live-retry {
    align-self: center;
    min-height: 28px;
    padding-block: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_usage-space) / 2);
  }
  button {
    font: inherit;
    font-size: 0.9em;
    color: var(--_usage-color-text);
    background: var(--_usage-color-surface);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    padding: 2px var(--_usage-space);
    cursor: pointer;
  }
  /* As tall as a pointer target should be (the filter bar's controls are taller still). */
  .actions button {
    min-height: 28px;
    padding-block: 0;
  }
  button[aria-pressed='true'].toggle {
    background: color-mix(in srgb, var(--_usage-color-accent) 14%, var(--_usage-color-surface));
    border-color: var(--_usage-color-accent);
  }
  button:focus-visible,
  a:focus-visible,
  .plot:focus-visible,
  .table-wrap:focus-visible {
    outline: 2px solid var(--_usage-color-focus);
    outline-offset: 2px;
  }
  a {
    color: var(--_usage-color-accent);
  }
  .notes {
    display: flex;
    flex-direction: column;
    gap: 2px;
    margin: 0 0 var(--_usage-space);
    font-size: 0.9em;
  }
  .notes p {
    margin: 0;
  }
  /* Until the first answer: the room of what it brings (the time it is as of, the notes,
     the legend and the summary), so that the page does not move when it comes. */
  .reserve {
    visibility: hidden;
  }
  .notes-room {
    height: 4.5em;
  }
  .after-room {
    height: 6em;
  }
  .plot-frame {
    position: relative;
    height: var(--usage-chart-height, 280px);
  }
  .plot-frame[hidden] {
    display: none;
  }
  .plot {
    position: absolute;
    inset: 0;
    touch-action: pan-y;
    cursor: crosshair;
    border-radius: var(--_usage-radius);
  }
  /* ECharts' own layer never sees the pointer: our handlers on .plot do hover and brush, and
     zrender hit-tested every bar on each move. */
  .plot > div {
    pointer-events: none;
  }
  .skeleton {
    position: absolute;
    inset: 16px 16px 28px 64px;
    border-radius: var(--_usage-radius);
    background: linear-gradient(
      90deg,
      color-mix(in srgb, var(--_usage-color-border) 18%, transparent) 25%,
      color-mix(in srgb, var(--_usage-color-border) 32%, transparent) 50%,
      color-mix(in srgb, var(--_usage-color-border) 18%, transparent) 75%
    );
    background-size: 200% 100%;
    animation: usage-skeleton 1.4s linear infinite;
  }
  @keyframes usage-skeleton {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: -100% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
  /* The overlays' layer adds no box: each overlay is placed in the plot's frame. */
  .overlays {
    display: contents;
  }
  .band {
    position: absolute;
    top: var(--top);
    bottom: 28px;
    left: var(--x0);
    width: max(1px, calc(var(--x1) - var(--x0)));
    pointer-events: none;
  }
  /* Under forced colours (Windows' high contrast) the marks over the plot and the keys' samples
     keep their colours: the canvas keeps the series' colours, and a sample repainted in a
     system colour (or a spike's triangle, drawn by transparent borders, as a square) would
     no longer say which series or bucket it is. */
  .band,
  .spike,
  .spike-key,
  .swatch {
    forced-color-adjust: none;
  }
  /* Set as the toggles' text is: their size, and their padding inside a border. */
  .legend-key {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 24px;
    padding: 2px calc(var(--_usage-space) + 1px);
    font-size: 0.9em;
    color: var(--_usage-color-muted);
  }
  .spike-key {
    border-left: 5px solid transparent;
    border-right: 5px solid transparent;
    border-top: 8px solid var(--_usage-color-danger);
  }
  .band.hover {
    background: color-mix(in srgb, var(--_usage-color-text) 10%, transparent);
  }
  .band.selection {
    background: color-mix(in srgb, var(--_usage-color-accent) 22%, transparent);
    border-left: 1px solid var(--_usage-color-accent);
    border-right: 1px solid var(--_usage-color-accent);
  }
  .band.partial {
    background: repeating-linear-gradient(
      135deg,
      color-mix(in srgb, var(--_usage-color-muted) 22%, transparent) 0 3px,
      transparent 3px 7px
    );
  }
  .spike {
    position: absolute;
    top: calc(var(--top) - 14px);
    left: var(--x);
    width: 0;
    height: 0;
    margin-left: -5px;
    border-left: 5px solid transparent;
    border-right: 5px solid transparent;
    border-top: 8px solid var(--_usage-color-danger);
    pointer-events: none;
  }
  .tooltip {
    position: absolute;
    top: 8px;
    left: calc(var(--tooltip-x) + 12px);
    z-index: 2;
    /* Its own width (placeTooltip then keeps it inside the plot), not the room beside x. */
    width: max-content;
    max-width: min(320px, 100%);
    padding: calc(var(--_usage-space) * 0.75) var(--_usage-space);
    background: var(--_usage-color-surface);
    color: var(--_usage-color-text);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.18);
    font-size: 0.85em;
    pointer-events: none;
    overflow-wrap: anywhere;
  }
  .tooltip-title {
    font-weight: 600;
    margin-bottom: 4px;
  }
  .tooltip-rows {
    border-collapse: collapse;
  }
  .tooltip-rows th {
    font-weight: normal;
    text-align: left;
    padding: 1px 12px 1px 0;
  }
  /* The stack's total, under its parts. */
  .tooltip-rows .total > * {
    font-weight: 600;
    border-top: 1px solid var(--_usage-color-border);
  }
  /* A value never breaks ("0" over "B" in a narrow chart): the series' name wraps instead. */
  .tooltip-rows td {
    text-align: right;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .tooltip-note {
    margin-top: 4px;
    color: var(--_usage-color-danger);
  }
  .tooltip-hint {
    margin-top: 4px;
    color: var(--_usage-color-muted);
    font-size: 0.9em;
  }
  .swatch {
    display: inline-block;
    width: 12px;
    height: 12px;
    margin-right: 6px;
    vertical-align: -1px;
    border-radius: 2px;
    background: var(--swatch-color);
    --_swatch-mark: color-mix(in srgb, var(--_usage-color-surface) 60%, transparent);
  }
  /* A muted series (the "other" rest): a lighter fill inside its full-colour outline, as drawn. */
  .swatch[data-muted] {
    background: color-mix(in srgb, var(--swatch-color) 35%, transparent);
    box-shadow: inset 0 0 0 1px var(--swatch-color);
  }
  /* The canvas's decals, in small: the surface's colour, half transparent, over the series'. */
  .swatch[data-pattern='stripes'] {
    background: repeating-linear-gradient(45deg, var(--swatch-color) 0 2px, var(--_swatch-mark) 2px 3.5px);
  }
  .swatch[data-pattern='back-stripes'] {
    background: repeating-linear-gradient(-45deg, var(--swatch-color) 0 2px, var(--_swatch-mark) 2px 3.5px);
  }
  .swatch[data-pattern='dots'] {
    background: radial-gradient(circle, var(--_swatch-mark) 0 1px, transparent 1.5px) 0 0 / 4px 4px, var(--swatch-color);
  }
  .swatch[data-pattern='triangles'] {
    background: conic-gradient(from -30deg at 50% 20%, var(--_swatch-mark) 0 60deg, transparent 60deg) 0 0 / 6px 6px, var(--swatch-color);
  }
  /* A line's sample: a stroke wide enough to show its dashes (a 3px dashed border on 12px
     draws one dash, which reads as solid). */
  .swatch[data-kind='line'] {
    width: 18px;
    height: 3px;
    border-radius: 0;
    vertical-align: 3px;
  }
  .swatch[data-kind='line'][data-line='dashed'] {
    background: repeating-linear-gradient(90deg, var(--swatch-color) 0 5px, transparent 5px 8px);
  }
  .swatch[data-kind='line'][data-line='dotted'] {
    background: repeating-linear-gradient(90deg, var(--swatch-color) 0 2px, transparent 2px 4px);
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 4px calc(var(--_usage-space) / 2);
    margin-top: var(--_usage-space);
  }
  .legend-entry {
    display: inline-flex;
    align-items: center;
    max-width: 100%;
  }
  /* Pointer targets of 24 px at least (WCAG 2.5.8), as the ↗ beside a user's. */
  .legend-item {
    display: inline-flex;
    align-items: center;
    min-height: 24px;
    min-width: 0;
    max-width: 100%;
    border-color: transparent;
  }
  .legend-item[aria-pressed='false'] {
    color: var(--_usage-color-muted);
  }
  /* The name is struck through; the total stays plain, to be read. */
  .legend-item[aria-pressed='false'] .legend-label {
    text-decoration: line-through;
  }
  .legend-item[aria-pressed='false'] .swatch {
    opacity: 0.35;
  }
  /* In a narrow legend a long name gives way (ellipsis) before its total does. */
  .legend-label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    max-width: 24ch;
    min-width: 4ch;
  }
  .legend-label.with-detail {
    max-width: 40ch;
  }
  /* A user's ID after their name (legend, "Who is drawing surplus"): muted, in monospace as in the table. */
  .id-detail {
    color: var(--_usage-color-muted);
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace;
    font-size: 0.85em;
  }
  .spoken-comma {
    font-size: 0;
  }
  .legend-total {
    flex: none;
    margin-left: 0.5ch;
    color: var(--_usage-color-muted);
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .summary {
    margin: var(--_usage-space) 0 0;
    color: var(--_usage-color-muted);
    font-size: 0.9em;
  }
  /* A shade at a side with more columns past it (overlay scrollbars show no sign of them):
     the covers scroll with the table and hide a shade once its side is reached. */
  .table-wrap {
    max-height: var(--usage-chart-height, 280px);
    overflow: auto;
    --_shade: color-mix(in srgb, var(--_usage-color-text) 30%, transparent);
    background:
      linear-gradient(to right, var(--_usage-color-surface) 40%, transparent) left / 2em 100% local,
      linear-gradient(to left, var(--_usage-color-surface) 40%, transparent) right / 2em 100% local,
      radial-gradient(farthest-side at 0 50%, var(--_shade), transparent) left / 0.8em 100% scroll,
      radial-gradient(farthest-side at 100% 50%, var(--_shade), transparent) right / 0.8em 100% scroll;
    background-repeat: no-repeat;
  }
  .table-wrap table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9em;
    font-variant-numeric: tabular-nums;
  }
  .table-wrap caption {
    text-align: left;
    font-weight: 600;
    padding-bottom: 4px;
  }
  .table-wrap th,
  .table-wrap td {
    padding: 2px calc(var(--_usage-space) * 0.6);
    border-bottom: 1px solid color-mix(in srgb, var(--_usage-color-border) 40%, transparent);
    text-align: right;
    white-space: nowrap;
  }
  /* The bucket's time stays in view while the columns scroll sideways. */
  .table-wrap th[scope='row'],
  .table-wrap thead th:first-child {
    text-align: left;
    font-weight: normal;
    position: sticky;
    left: 0;
    z-index: 1;
    background: var(--_usage-color-surface);
  }
  /* Where the columns do not all fit (a phone), the time takes two lines ("Nov 30, 2026, /
     6:00 PM") before the values are pushed past the edge. */
  .table-wrap th[scope='row'] {
    white-space: normal;
    min-width: 8em;
  }
  .table-wrap thead th:first-child {
    z-index: 2;
  }
  .table-wrap thead th {
    position: sticky;
    top: 0;
    background: var(--_usage-color-surface);
    /* A long series name takes two lines rather than the row's width ("Available (bucket end)"). */
    white-space: normal;
    vertical-align: bottom;
    min-width: 4.5em;
  }
  .download {
    margin-top: var(--_usage-space);
  }
  /* The totals stay in view under the scrolled buckets. */
  .table-wrap tfoot :is(th[scope='row'], td) {
    position: sticky;
    bottom: 0;
    background: var(--_usage-color-surface);
    border-top: 1px solid var(--_usage-color-border);
    border-bottom: none;
    font-weight: 600;
  }
  /* A total, longer and bolder than its column's values, takes two lines ("1,234,567 /
     tokens") rather than pushing the last column past a narrow card's edge. */
  .table-wrap tfoot td {
    white-space: normal;
  }
  /* On paper: a plot is not cut across pages (the card may be: its table view can be pages
     long, and a card kept whole past a page overflowed onto what follows); its table view is whole (every bucket above
     its total, which covered 169 rows while 11 printed) and its cells no longer stick; the
     plot, drawn at the screen's width, shrinks to the paper's instead of running past it
     (its overlays, placed for the screen's width, stay off). */
  @media print {
    .plot-frame {
      break-inside: avoid;
    }
    .table-wrap {
      max-height: none;
      overflow: visible;
    }
    .table-wrap :is(th, td) {
      position: static !important;
    }
    /* Once, after the last bucket: repeated at the foot of every page, it read as that page's total. */
    .table-wrap tfoot {
      display: table-row-group;
    }
    .plot > div,
    .plot canvas {
      max-width: 100%;
    }
    .plot canvas {
      height: auto !important;
    }
    .overlays {
      display: none;
    }
  }
`;
