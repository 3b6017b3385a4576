/// <reference types="vite/client" />
/**
 * Registers every tag for the stories through the same define modules a host imports.
 */
import.meta.glob(
  [
    '../../src/usage-filters/usage-filters.ts',
    '../../src/usage-filter-bar/usage-filter-bar.ts',
    '../../src/surplus-chart/surplus-chart.ts',
    '../../src/consumption-chart/consumption-chart.ts',
    '../../src/consumption-events-table/consumption-events-table.ts',
  ],
  { eager: true },
);
