/**
 * Registers every tag for the stories through the same define modules a host imports.
 */
import '../../src/usage-filters/usage-filters.js';
import '../../src/usage-filter-bar/usage-filter-bar.js';
import '../../src/surplus-chart/surplus-chart.js';
import '../../src/consumption-chart/consumption-chart.js';
import '../../src/consumption-events-table/consumption-events-table.js';
