import { css } from 'lit';

export const usageFilterBarStyles = css`
  :host {
    display: block;
    /* Lengths in this unit follow the element's font size (16px at the default 14px), not
       the page's root: a host's html { font-size: 62.5% } leaves them alone. */
    --_rem: calc(var(--_usage-font-size) * 8 / 7);
    box-sizing: border-box;
    min-width: 0;
    --_gap: var(--usage-filter-bar-gap, calc(var(--_usage-space) * 1.5));
    --_field-width: var(--usage-filter-bar-field-width, calc(11 * var(--_rem)));
    --_control-height: var(--usage-filter-bar-control-height, calc(2.25 * var(--_rem)));
    --_option-height: var(--usage-filter-bar-option-height, calc(2.75 * var(--_rem)));
    --_pressed: var(--usage-filter-bar-pressed-background, color-mix(in srgb, var(--_usage-color-accent) 16%, var(--_usage-color-surface)));
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .bar {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: var(--usage-filter-bar-padding, calc(var(--_usage-space) * 1.5));
    background: var(--usage-filter-bar-background, var(--_usage-color-surface));
    color: var(--_usage-color-text);
    border: 1px solid var(--usage-filter-bar-border-color, color-mix(in srgb, var(--_usage-color-border) 45%, var(--_usage-color-surface)));
    border-radius: var(--_usage-radius);
    min-width: 0;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_usage-space);
  }
  .summary {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
    min-width: 0;
  }
  .summary-label {
    color: var(--_usage-color-muted);
    font-weight: 400;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: var(--_gap);
    min-width: 0;
    container-type: inline-size;
  }
  /* A narrow bar (a phone) keeps the range and the type in view and folds the rest behind
     "More filters". The query reads .controls, whose width cannot come from its content: the
     sizer gives a host that sizes the bar to its content the wide bar's width instead. */
  .sizer {
    width: 40em;
    max-width: 100%;
    margin-top: calc(-1 * var(--_gap));
  }
  .more {
    display: contents;
  }
  /* Not while it holds the focus (a phone turned with it focused): it goes when left. */
  .more-toggle:where(:not(:focus)) {
    display: none;
  }
  @container (max-width: 36em) {
    .more-toggle {
      display: block;
      flex: 1 1 100%;
    }
    /* A field used in the wide bar opened it (focusin): narrowed under it, it stays. */
    .more:not([data-open]) {
      display: none;
    }
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_usage-space) / 2);
    flex: 1 1 var(--_field-width);
    min-width: 0;
    max-width: 100%;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .field.wide {
    flex: 2 1 calc(var(--_field-width) * 1.5);
  }
  .field.fit {
    flex: 0 1 auto;
  }
  .field.amount {
    /* Room for the minimum and the maximum side by side, each with its label beside it. */
    flex-basis: calc(20 * var(--_rem) + var(--_usage-space));
  }
  .field.range.lifted {
    /* Room for the whole "all dates (request ID)". */
    flex: 1 0 calc(14 * var(--_rem));
  }
  .field.range.editing {
    /* Two date-and-time inputs side by side need room to show a whole value. */
    flex: 2 1 calc(var(--_field-width) * 2.5);
  }
  .field-label,
  legend {
    padding: 0;
    font-size: 0.875em;
    font-weight: 600;
    color: var(--_usage-color-text);
  }
  fieldset.field > legend {
    /* A legend is not a flex item: give the same space below it as a label gets. */
    margin-bottom: calc(var(--_usage-space) / 2);
  }
  /* Lines of even length: a range's last word alone on a line ("am" in en-IN) read as cut. */
  .hint {
    margin: 0;
    font-size: 0.8125em;
    color: var(--_usage-color-muted);
    text-wrap: balance;
  }
  .message {
    margin: 0;
    font-size: 0.8125em;
    color: var(--_usage-color-danger);
  }

  input,
  select,
  button {
    font: inherit;
    color: inherit;
  }
  input[type='text'],
  input[type='search'],
  input[type='datetime-local'],
  select {
    min-height: var(--_control-height);
    width: 100%;
    min-width: 0;
    padding: 0 calc(var(--_usage-space) * 0.75);
    background: var(--_usage-color-surface);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
  }
  /* The browser's grey placeholder is 3.8:1 on the dark surface: the muted text colour is 4.5:1 or more in both themes. */
  input::placeholder {
    color: var(--_usage-color-muted);
    opacity: 1;
  }
  input[aria-invalid='true'] {
    border-color: var(--_usage-color-danger);
    box-shadow: inset 0 0 0 1px var(--_usage-color-danger);
  }
  /* Flat and dashed in both themes: a tinted fill read as raised, so usable, on the dark surface. */
  input:disabled,
  select:disabled {
    background: none;
    border-style: dashed;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 2px solid var(--_usage-color-focus);
    outline-offset: 1px;
  }

  button {
    min-height: var(--_control-height);
    padding: 0 calc(var(--_usage-space) * 1.25);
    background: var(--_usage-color-surface);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    cursor: pointer;
    white-space: nowrap;
  }
  button:disabled,
  [aria-disabled='true'] {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button:not(:disabled, [aria-disabled='true']):hover {
    background: color-mix(in srgb, var(--_usage-color-text) 6%, var(--_usage-color-surface));
  }

  .toggles,
  .segmented {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_usage-space) / 2);
  }
  /* A choice keeps its width when pressed (no bolder text; the check's room kept), so that
     the row does not wrap anew under the pointer. The check is not part of the name:
     aria-pressed says it. */
  .toggle[aria-pressed='true'],
  .segment:has(input:checked) {
    background: var(--_pressed);
    border-color: var(--_usage-color-accent);
  }
  .toggle {
    position: relative;
    padding: 0 1.4em;
  }
  .toggle::before {
    content: '✓' / '';
    position: absolute;
    left: 0.4em;
  }
  .toggle[aria-pressed='false']::before {
    visibility: hidden;
  }
  /* Forced colours (Windows' high contrast) repaint every fill with the page's background:
     the chosen ones take the system's selection colours, painted as they are (the browser
     would put its Canvas-coloured backplate behind their text), hovered too (the hover's
     fill, more specific, greyed a pressed toggle under the pointer as if disabled). */
  @media (forced-colors: active) {
    .toggle[aria-pressed='true'],
    .segment:has(input:checked) {
      forced-color-adjust: none;
      background: SelectedItem !important;
      color: SelectedItemText;
      border-color: SelectedItem;
      outline-color: CanvasText;
    }
    /* The option the arrow keys rest on (its fill and inset bar are repainted away); above
       the rule of its own fill, and its lines in its colour (none is repainted). */
    .listbox .option[data-active] {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
    }
    .listbox .option[data-active] * {
      color: inherit;
    }
  }
  .segment {
    position: relative;
    display: inline-flex;
    align-items: center;
    min-height: var(--_control-height);
    padding: 0 calc(var(--_usage-space) * 1.25);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    cursor: pointer;
  }
  .segment input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    cursor: pointer;
  }
  .segment:has(input:focus-visible) {
    outline: 2px solid var(--_usage-color-focus);
    outline-offset: 1px;
  }

  .pair {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_usage-space);
  }
  .pair > label {
    display: flex;
    flex-direction: column;
    gap: 2px;
    flex: 1 1 calc(7 * var(--_rem));
    min-width: 0;
    font-size: 0.875em;
  }
  .pair > label > input {
    font-size: var(--_usage-font-size);
  }
  /* Minimum and Maximum beside their boxes: the boxes line up with the other fields' of the row. */
  .amount .pair > label {
    flex-direction: row;
    align-items: center;
    gap: 4px;
  }
  .amount .pair > label > input {
    flex: 1;
    min-width: 0;
  }
  .range-dates {
    display: flex;
    align-items: start;
    gap: var(--_usage-space);
  }
  .range-dates > button {
    min-height: 24px;
    padding: 0 4px;
    font-size: 0.8125em;
  }
  .custom-range {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_usage-space) / 2);
  }
  .custom-range .pair > label {
    flex-basis: calc(12 * var(--_rem));
  }
  .custom-range .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_usage-space);
  }
  .primary {
    background: var(--_usage-color-accent);
    border-color: var(--_usage-color-accent);
    color: var(--_usage-color-surface);
    font-weight: 600;
  }
  .primary:not([aria-disabled='true']):hover {
    background: color-mix(in srgb, var(--_usage-color-accent) 85%, var(--_usage-color-text));
  }

  /* The combobox (users, endpoints). */
  .combo {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: calc(var(--_usage-space) / 2);
    min-width: 0;
  }
  .combo-field {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px;
    min-height: var(--_control-height);
    padding: 3px;
    background: var(--_usage-color-surface);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    cursor: text;
    min-width: 0;
  }
  .combo-field:focus-within {
    outline: 2px solid var(--_usage-color-focus);
    outline-offset: 1px;
  }
  .combo-input {
    /* Beside the chips while there is room for a few words, else on a line of its own. */
    flex: 1 1 calc(10 * var(--_rem));
    min-width: min(calc(10 * var(--_rem)), 100%);
    border: 0 !important;
    box-shadow: none !important;
    outline: none !important;
    min-height: calc(var(--_control-height) - 8px) !important;
    background: transparent !important;
  }
  .chips {
    display: contents;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    max-width: 100%;
    min-width: 0;
    padding-left: calc(var(--_usage-space) * 0.75);
    background: var(--_pressed);
    border: 1px solid var(--_usage-color-accent);
    border-radius: 999px;
    font-size: 0.875em;
  }
  .chip-action {
    min-height: calc(1.75 * var(--_rem) + 2px);
    padding: 0 calc(var(--_usage-space) * 0.75);
    background: transparent;
    border-style: dashed;
  }
  .chip-label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  .chip-remove {
    min-height: 0;
    width: calc(1.75 * var(--_rem));
    height: calc(1.75 * var(--_rem));
    padding: 0;
    border: 0;
    border-radius: 999px;
    background: transparent;
    line-height: 1;
    font-size: 1.1em;
  }
  .combo-popup {
    position: absolute;
    z-index: 10;
    top: 100%;
    left: 0;
    right: 0;
    margin-top: 4px;
    background: var(--_usage-color-surface);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
    overflow: hidden;
  }
  /* In the top layer: under its field (above it where the window has no room below: fixed,
     so the window is what it must fit, not the page), as wide. */
  .combo-popup[popover] {
    position: fixed;
    inset: auto;
    top: anchor(bottom);
    left: anchor(left);
    width: anchor-size(width);
    margin: 4px 0 0;
    padding: 0;
    color: inherit;
    position-try-fallbacks: flip-block;
  }
  .combo-status {
    padding: calc(var(--_usage-space) / 2) var(--_usage-space);
    font-size: 0.8125em;
    color: var(--_usage-color-muted);
    border-bottom: 1px solid color-mix(in srgb, var(--_usage-color-border) 40%, transparent);
  }
  .combo-retry {
    margin: calc(var(--_usage-space) / 2) var(--_usage-space);
  }
  .listbox {
    height: calc(var(--_rows, 1) * var(--_option-height));
    overscroll-behavior: contain;
  }
  .listbox[aria-busy='true'] {
    opacity: 0.7;
  }
  .option {
    display: flex;
    align-items: center;
    gap: var(--_usage-space);
    width: 100%;
    height: var(--_option-height);
    padding: 0 var(--_usage-space);
    cursor: pointer;
    overflow: hidden;
  }
  .option[data-active] {
    background: var(--_pressed);
    box-shadow: inset 3px 0 0 var(--_usage-color-accent);
  }
  .option:hover {
    background: color-mix(in srgb, var(--_usage-color-text) 6%, var(--_usage-color-surface));
  }
  .option.placeholder {
    color: var(--_usage-color-muted);
    cursor: default;
  }
  .check {
    flex: 0 0 1em;
    color: var(--_usage-color-accent);
    font-weight: 700;
  }
  .option-text {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .option-label,
  .option-detail {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .option-detail {
    font-size: 0.8125em;
    color: var(--_usage-color-muted);
  }
`;
