import { css } from 'lit';

/** `<consumption-chart>`'s own styles (the shared ones are in src/chart/chart.styles.ts). */
export const consumptionChartStyles = css`
  [part='comparison'] {
    color: var(--usage-color-muted);
  }
`;
