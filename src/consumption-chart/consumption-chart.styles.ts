import { css } from 'lit';

/** `<consumption-chart>`'s own styles (the shared ones are in src/chart/chart.styles.ts). */
export const consumptionChartStyles = css`
  [part='comparison'] {
    color: var(--_usage-color-muted);
  }
  .user-link {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-width: 24px;
    min-height: 24px;
    box-sizing: border-box;
    align-self: center;
    margin-right: 6px;
    padding: 0 4px;
    border: none;
    background: none;
    color: var(--_usage-color-accent);
    text-decoration: none;
    font-size: 1em;
  }
`;
