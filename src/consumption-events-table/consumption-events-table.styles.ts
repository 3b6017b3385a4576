import { css } from 'lit';

export const tableStyles = css`
  /* In a host of a set height (a 400 px panel, a flex child with min-height: 0) the frame
     fills it and the rows scroll inside; in one of auto height it is as tall as its rows. */
  :host,
  .base,
  .base > .usage-loading-frame,
  .usage-loading-content {
    display: flex;
    flex-direction: column;
  }
  .base,
  .base > .usage-loading-frame,
  .usage-loading-content,
  .scroll {
    flex: 1 1 auto;
    min-height: 0;
  }
  :host {
    /* Lengths in this unit follow the element's font size (16px at the default 14px), not
       the page's root: a host's html { font-size: 62.5% } leaves them alone. */
    --_rem: calc(var(--_usage-font-size) * 8 / 7);
    /* The wide table's least width: under it, the table scrolls sideways, or turns into cards. */
    --_wide-width: calc(71 * var(--_rem));
    --_columns: var(
      --consumption-events-table-columns,
      minmax(calc(13 * var(--_rem)), 1fr) minmax(calc(8 * var(--_rem)), 1fr) minmax(calc(7 * var(--_rem)), 0.7fr) minmax(calc(8.75 * var(--_rem)), 0.5fr) minmax(calc(8.75 * var(--_rem)), 0.6fr)
        minmax(calc(5.5 * var(--_rem)), 0.4fr) minmax(calc(10 * var(--_rem)), 1.7fr) minmax(calc(10 * var(--_rem)), 1.4fr)
    );
    --_cell-padding: var(--consumption-events-table-cell-padding, calc(var(--_usage-space) * 0.75) var(--_usage-space));
    --_header-background: var(
      --consumption-events-table-header-background,
      color-mix(in srgb, var(--_usage-color-text) 5%, var(--_usage-color-surface))
    );
    --_row-hover-background: var(
      --consumption-events-table-row-hover-background,
      color-mix(in srgb, var(--_usage-color-accent) 7%, var(--_usage-color-surface))
    );
    --_highlight-background: var(
      --consumption-events-table-highlight-background,
      color-mix(in srgb, var(--_usage-color-accent) 14%, var(--_usage-color-surface))
    );
    --_divider: color-mix(in srgb, var(--_usage-color-border) 45%, var(--_usage-color-surface));
    --_font-family: var(--consumption-events-table-font-family, var(--_usage-font-family));
    --_mono-font-family: var(
      --consumption-events-table-mono-font-family,
      ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace
    );
  }
  :host([compact]) {
    --_cell-padding: var(
      --consumption-events-table-compact-cell-padding,
      calc(var(--_usage-space) * 0.25) calc(var(--_usage-space) * 0.75)
    );
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  /* The narrow layout queries .base, not the host: a query container's own width cannot
     come from its content, so a host that sizes the table to its content (a <dialog>, an
     inline-block, an auto grid column) would give it none. The sizer gives the host that
     width instead: the wide table's (max-content), and nothing as its least (min-content),
     since a replaced element's percentage max-width counts as zero there. */
  .sizer {
    display: block;
    width: calc(var(--_wide-width) + 2px);
    max-width: 100%;
    height: 0;
  }
  .base {
    container-type: inline-size;
    font-family: var(--_font-family);
    color: var(--_usage-color-text);
    background: var(--_usage-color-surface);
    border: 1px solid var(--_divider);
    border-radius: var(--_usage-radius);
    overflow: hidden;
  }
  .toolbar,
  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_usage-space);
    padding: calc(var(--_usage-space) * 0.75) var(--_usage-space);
  }
  .toolbar {
    border-bottom: 1px solid var(--_divider);
  }
  .toolbar-start,
  .toolbar-end {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_usage-space);
  }
  .title {
    margin: 0;
    font-size: 1em;
    font-weight: 600;
  }
  button,
  input {
    font: inherit;
    color: inherit;
  }
  button:focus-visible,
  input:focus-visible,
  a:focus-visible,
  .cell:focus-visible {
    outline: 2px solid var(--_usage-color-focus);
    outline-offset: -2px;
  }
  .action {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: calc(var(--_usage-space) * 0.4) var(--_usage-space);
    background: var(--_usage-color-surface);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    cursor: pointer;
  }
  .action:hover:not(:disabled, [aria-disabled='true']) {
    background: var(--_row-hover-background);
  }
  .action:is(:disabled, [aria-disabled='true']) {
    cursor: default;
    opacity: 0.55;
  }
  .new-events {
    color: var(--_usage-color-accent);
    border-color: var(--_usage-color-accent);
    font-weight: 600;
  }
  .sort-note {
    margin: 0;
    padding: calc(var(--_usage-space) * 0.5) var(--_usage-space);
    border-bottom: 1px solid var(--_divider);
    color: var(--_usage-color-muted);
    font-size: 0.9em;
  }
  .toolbar-message {
    color: var(--_usage-color-muted);
    font-size: 0.9em;
  }
  .toolbar-message.error {
    color: var(--_usage-color-danger);
  }
  /* A shadow at an edge with more columns past it (the cover scrolls with the content,
     the shadow stays), so that a table wider than its room shows that it scrolls. */
  .scroll {
    overflow: auto;
    max-height: var(--consumption-events-table-max-height, none);
    background:
      linear-gradient(to right, var(--_usage-color-surface) 30%, transparent) left / 2em 100% no-repeat local,
      linear-gradient(to left, var(--_usage-color-surface) 30%, transparent) right / 2em 100% no-repeat local,
      radial-gradient(farthest-side at 0 50%, rgb(0 0 0 / 0.2), transparent) left / 0.75em 100% no-repeat scroll,
      radial-gradient(farthest-side at 100% 50%, rgb(0 0 0 / 0.2), transparent) right / 0.75em 100% no-repeat scroll;
  }
  /* A native table laid out in blocks, each row a grid (the virtualizer places the rows of a
     long page itself); its font the card's, in a quirks-mode page too. */
  .table,
  .head,
  .body {
    display: block;
  }
  .table {
    min-width: var(--_wide-width);
    font: inherit;
    font-size: 0.95em;
    color: inherit;
  }
  /* Above the loading frame's layer (z-index 1) that blocks the pointer over the rows: the
     headers stay clickable, so that a second click toggles the order while the
     first sort is still loading. */
  .head {
    position: sticky;
    top: 0;
    z-index: 2;
  }
  /* Nothing dims while loading: dimmed text fails the contrast check (axe) that every state
     passes. The progress bar, above the sticky headers, shows that a page is coming. */
  .usage-loading-frame[data-loading] > .usage-loading-content {
    opacity: 1;
  }
  .usage-progress {
    z-index: 3;
  }
  .row {
    display: grid;
    grid-template-columns: var(--_columns);
    align-items: center;
    width: 100%;
    border-bottom: 1px solid var(--_divider);
    /* No background of its own (the table's shows through): rows are a fraction of a
       pixel tall, and an opaque row painted over the pixel its predecessor's 1px line
       snapped to, so only some rows showed a line. */
  }
  /* Each row contained: a page's new rows are laid out and painted as 25 separate pieces,
     which halved the paint of a page change (about 21 → 11 ms in headless Chromium). A
     contained row stacks on its own, so the one holding the focus is lifted above the
     next rows, over which its full-instant tooltip hangs. */
  .body .row {
    contain: layout style;
  }
  .body .row:focus-within {
    position: relative;
    z-index: 1;
  }
  .body .row:hover {
    background: var(--_row-hover-background);
  }
  /* A new row fades from the highlight, a layer under its cells whose opacity falls (a
     fading background was painted every frame: under steady traffic the page never rested);
     an accent bar at its start, 3:1 on the surface, marks it while it is new (the fill alone
     is faint: 1.2:1). */
  .body .row[data-new] {
    box-shadow: inset 3px 0 0 var(--_usage-color-accent);
  }
  .body .row[data-new]::before {
    content: '';
    position: absolute;
    inset: 0 0 0 3px;
    z-index: -1;
    background: var(--_highlight-background);
    opacity: 0;
    animation: highlight 2.5s ease-out;
  }
  @keyframes highlight {
    from {
      opacity: 1;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .body .row[data-new]::before {
      animation: none;
      opacity: 1;
    }
  }
  .header-row {
    background: var(--_header-background);
    border-bottom-color: var(--_usage-color-border);
  }
  .header-cell {
    display: flex;
    align-items: stretch;
    min-width: 0;
    padding: 0;
    font-weight: inherit;
  }
  .header-cell[data-align='end'] .sort {
    justify-content: flex-end;
  }
  .sort {
    flex: 1;
    display: flex;
    align-items: center;
    gap: 0.3em;
    min-width: 0;
    padding: var(--_cell-padding);
    background: none;
    border: 0;
    font-weight: 600;
    text-align: start;
    white-space: nowrap;
    cursor: pointer;
  }
  .sort:hover {
    color: var(--_usage-color-accent);
  }
  .sort-icon {
    flex: none;
    /* A triangle of transparent borders: forced colours (Windows' high contrast) would paint
       them all, a square that no longer says which way the column sorts. */
    forced-color-adjust: none;
    width: 0;
    height: 0;
    border-inline: 0.3em solid transparent;
    opacity: 0;
    border-top: 0.4em solid currentColor;
  }
  /* Unsorted, the arrow shows only under the pointer or the focus, faint, the way a first
     press sorts (Created and Amount from the largest); the sorted column's, always. */
  :not([aria-sort]) > .sort:is(:hover, :focus-visible) .sort-icon {
    opacity: 0.5;
  }
  [aria-sort] .sort-icon {
    opacity: 1;
  }
  [aria-sort='ascending'] .sort-icon,
  :not([aria-sort]) > .sort:not([data-col='created'], [data-col='amount']) .sort-icon {
    border-top: 0;
    border-bottom: 0.4em solid currentColor;
  }
  .cell {
    position: relative;
    min-width: 0;
    padding: var(--_cell-padding);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .cell:focus,
  .cell:focus-within {
    overflow: visible;
    white-space: normal;
    overflow-wrap: anywhere;
  }
  /* The endpoint's breaks after its slashes are for the narrower table only: Chromium
     breaks at a <wbr> even where the cell does not wrap. */
  .cell wbr {
    display: none;
  }
  .cell[data-align='end'] {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .mono {
    font-family: var(--_mono-font-family);
    font-size: 0.92em;
  }
  .full-instant {
    display: none;
    position: absolute;
    inset-inline-start: 0;
    top: 100%;
    z-index: 3;
    padding: calc(var(--_usage-space) * 0.25) calc(var(--_usage-space) * 0.5);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    background: var(--_usage-color-surface);
    color: var(--_usage-color-text);
    /* One line where it fits; in a narrow table it wraps inside the table's width (.base,
       the query container) instead of running past the card's clipping edge. */
    width: max-content;
    max-width: calc(100cqi - var(--_usage-space) * 4);
    box-shadow: 0 2px 6px rgb(0 0 0 / 0.15);
  }
  /* On focus, until Escape; on hover the cell's title gives the full instant (the cell clips then). */
  .cell:focus:not([data-dismissed]) .full-instant {
    display: block;
  }
  .link {
    display: inline;
    max-width: 100%;
    padding: 0;
    background: none;
    border: 0;
    color: var(--_usage-color-accent);
    text-align: start;
    text-decoration: underline;
    text-underline-offset: 2px;
    cursor: pointer;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: inherit;
  }
  .cell:focus-within .link {
    display: inline;
    overflow-wrap: anywhere;
  }
  .request {
    display: flex;
    align-items: center;
    gap: 0.25em;
  }
  .request .link {
    display: flex;
    min-width: 0;
  }
  .cut {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .copy {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 1.6em;
    height: 1.6em;
    padding: 0;
    background: none;
    border: 1px solid transparent;
    border-radius: var(--_usage-radius);
    color: var(--_usage-color-muted);
    cursor: pointer;
  }
  .copy:hover,
  .copy:focus-visible {
    border-color: var(--_usage-color-border);
    color: var(--_usage-color-text);
  }
  .copy svg {
    width: 1em;
    height: 1em;
  }
  .pool {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
  }
  .marker {
    flex: none;
    width: 0.7em;
    height: 0.7em;
  }
  .marker[data-pool='allocated'] {
    border-radius: 50%;
    background: var(--_usage-color-allocated);
  }
  .marker[data-pool='surplus'] {
    background: var(--_usage-color-surplus);
    clip-path: polygon(50% 0, 100% 100%, 0 100%);
  }
  .marker[data-pool='hybrid'] {
    border: 2px solid var(--_usage-color-hybrid);
    background: linear-gradient(135deg, var(--_usage-color-hybrid) 50%, transparent 50%);
  }
  /* Under forced colours the browser would not paint the fills: the shapes (circle, triangle,
     square), filled in the text's colour, tell the pools apart. */
  @media (forced-colors: active) {
    .marker[data-pool] {
      forced-color-adjust: none;
      background: CanvasText;
      border-color: CanvasText;
    }
  }
  .pager {
    border-top: 1px solid var(--_divider);
  }
  .pager-range {
    color: var(--_usage-color-muted);
    font-variant-numeric: tabular-nums;
  }
  .pager-controls {
    display: flex;
    align-items: center;
    gap: calc(var(--_usage-space) / 2);
  }
  .pager-controls .action {
    min-width: 2.2em;
    justify-content: center;
  }
  .page-input {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    white-space: nowrap;
  }
  .page-input input {
    width: 5em;
    padding: calc(var(--_usage-space) * 0.35) calc(var(--_usage-space) * 0.5);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    background: var(--_usage-color-surface);
    font-variant-numeric: tabular-nums;
  }
  /* Medium (under the wide table's 71 × 16px, down to the cards): tighter cells and
     headers that wrap, so that every column fits a laptop's page beside a sidebar instead
     of the last ones lying past the card's edge. */
  @container (53.43em < width < 81.14em) {
    .table {
      --_columns: var(
        --consumption-events-table-columns,
        minmax(calc(12 * var(--_rem)), 1.2fr) minmax(calc(6.5 * var(--_rem)), 1fr) minmax(calc(6.75 * var(--_rem)), 0.8fr) minmax(calc(5.5 * var(--_rem)), 0.5fr) minmax(calc(5.5 * var(--_rem)), 0.6fr)
          minmax(calc(4 * var(--_rem)), 0.4fr) minmax(calc(7 * var(--_rem)), 1.4fr) minmax(calc(8 * var(--_rem)), 1.4fr)
      );
      --_cell-padding: var(--consumption-events-table-cell-padding, calc(var(--_usage-space) * 0.75) calc(var(--_usage-space) * 0.5));
      min-width: calc(55.25 * var(--_rem));
    }
    :host([compact]) .table {
      --_cell-padding: var(--consumption-events-table-compact-cell-padding, calc(var(--_usage-space) * 0.25) calc(var(--_usage-space) * 0.5));
    }
    .sort {
      white-space: normal;
    }
  }
  /* Narrower (a tablet held upright, 748–884px), every column still in view instead of the
     last past the card's edge: Created and Endpoint wrap onto a second line (the date in
     balance, "Dec 7, 2026, / 6:32:26 PM"; the endpoint after a slash), and Resource Type
     and the IDs take less room. */
  @container (53.43em < width < 63.14em) {
    .table {
      --_columns: var(
        --consumption-events-table-columns,
        minmax(calc(7.5 * var(--_rem)), 1.2fr) minmax(calc(6.5 * var(--_rem)), 1fr) minmax(calc(6.75 * var(--_rem)), 0.8fr) minmax(calc(4.5 * var(--_rem)), 0.5fr) minmax(calc(5.5 * var(--_rem)), 0.6fr)
          minmax(calc(4 * var(--_rem)), 0.4fr) minmax(calc(6 * var(--_rem)), 1.4fr) minmax(calc(6 * var(--_rem)), 1.4fr)
      );
      min-width: calc(46.75 * var(--_rem));
    }
    .body [data-column='created'],
    .body [data-column='endpoint'] {
      white-space: normal;
      overflow-wrap: anywhere;
    }
    .body [data-column='created'] {
      text-wrap: balance;
    }
    .body wbr {
      display: inline;
    }
  }
  /* Narrow: each event is a small card of labelled values; the headers become a strip of sort buttons. */
  /* 46.75 × 16px at the default 14px font size; a container query's em is its container's. */
  @container (max-width: 53.43em) {
    .table {
      min-width: 0;
    }
    .header-row {
      display: flex;
      flex-wrap: wrap;
    }
    .header-cell {
      flex: none;
    }
    /* A strip of buttons without a pointer to hover them: each says faintly that it sorts. */
    .sort-icon {
      opacity: 0.35;
    }
    .body .row {
      grid-template-columns: repeat(3, minmax(0, 1fr));
      grid-auto-flow: dense;
      align-items: start;
      padding-block: calc(var(--_usage-space) * 0.4);
    }
    /* Created, User ID, Request ID and Endpoint down the card's first two thirds; Amount,
       Resource Type, Pool Category and I/O Type beside them, from the top (dense packing). */
    .body .cell {
      grid-column: span 2;
      padding: calc(var(--_usage-space) * 0.2) var(--_usage-space);
    }
    .body .cell:nth-child(n + 3):nth-child(-n + 6) {
      grid-column: 3;
    }
    .body .cell[data-align='end'] {
      text-align: start;
    }
    /* A card cuts no value short ("1,644 tok…" at 320 px): it wraps (WCAG 1.4.10). */
    .body .cell,
    .body .link {
      white-space: normal;
      overflow-wrap: anywhere;
    }
    .body .link {
      display: inline;
    }
    /* An ID wraps anywhere, in lines of even length ("req_pp7jnMBaH3 / oaOwrjokyYKrzZ", not a last "Z" alone). */
    .body .mono {
      word-break: break-all;
      text-wrap: balance;
    }
    .body .cell::before {
      content: attr(data-label) / '';
      display: block;
      font-family: var(--_font-family);
      font-size: calc(0.75 * var(--_rem));
      color: var(--_usage-color-muted);
    }
    .pager {
      justify-content: center;
    }
  }
  /* On paper: a row is not split across pages; the rows printed whole (see #print) do
     without what the virtualizer left on their group (its height, 'contain: size', which
     clipped them all, and its sizer: pages of blank paper). */
  @media print {
    .body .row {
      break-inside: avoid;
    }
    .body {
      min-height: 0 !important;
      contain: none !important;
    }
    .body > [virtualizer-sizer] {
      display: none;
    }
  }
`;
