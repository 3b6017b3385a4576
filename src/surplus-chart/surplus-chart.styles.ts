import { css } from 'lit';

/** `<surplus-chart>`'s own styles (the shared ones are in src/chart/chart.styles.ts). */
export const surplusChartStyles = css`
  /* Its legend takes two rows and its summary three lines in a half-width card. */
  .after-room {
    height: 7.5em;
  }
  [part='projection'].warning {
    color: var(--_usage-color-danger);
    font-weight: 600;
  }
  [part='exhaustions'],
  [part='org-note'],
  .muted {
    color: var(--_usage-color-muted);
  }
  .drawers {
    margin-top: calc(var(--_usage-space) * 1.5);
    border-top: 1px solid var(--_usage-color-border);
    padding-top: var(--_usage-space);
  }
  .drawers h3 {
    margin: 0 0 calc(var(--_usage-space) / 2);
    font-size: 1em;
  }
  .drawers ol {
    margin: 0;
    padding-left: 2.5ch;
    columns: 2 40ch;
    /* Room for the next column's numbers, which sit outside its items. */
    column-gap: 5ch;
  }
  .drawers li {
    padding: 1px 0;
    break-inside: avoid;
  }
  /* Each amount on a line of its own under its user: beside a short name it rose onto the
     name's line, out of step with the rows around it. */
  .drawers .amount {
    display: block;
    color: var(--_usage-color-muted);
    font-variant-numeric: tabular-nums;
  }
  /* The ID after a name (with its space), not underlined with it. */
  [part~='user-link'] .id-detail {
    display: inline-block;
    white-space: pre-wrap;
  }
  /* A long name or ID wraps within its column, from the start as text does; each line a
     24 px pointer target (WCAG 2.5.8). */
  .drawers [part~='user-link'] {
    overflow-wrap: anywhere;
    display: inline-block;
    padding-block: 4px;
    line-height: 16px;
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    text-align: start;
    color: var(--_usage-color-accent);
    text-decoration: underline;
    font-size: 1em;
  }
`;
