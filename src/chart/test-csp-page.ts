/** The strict-CSP test page: both charts inside <usage-filters>, fed by the in-memory server. */
import './test-csp-globals.js';
import { createDemoHandler } from '../../server/index.js';

const demo = createDemoHandler({ events: 1_500, now: () => Date.parse('2026-03-10T12:00:00.000Z'), days: 30 });
// Given before the tags are defined, so that the first requests already go to the in-memory server.
(document.querySelector('usage-filters') as HTMLElement & { requestOptions?: unknown }).requestOptions = demo.requestOptions;
await Promise.all([
  import('../usage-filters/usage-filters.js'),
  import('../consumption-chart/consumption-chart.js'),
  import('../surplus-chart/surplus-chart.js'),
]);
