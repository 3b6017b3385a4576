/** The strict-CSP test page: both charts inside <usage-filters>, fed by the in-memory server. */
import './test-csp-globals.js';
import { createDemoHandler } from '../../server/index.js';
import '../consumption-chart/consumption-chart.js';
import '../surplus-chart/surplus-chart.js';
import '../usage-filters/usage-filters.js';

const demo = createDemoHandler({ events: 1_500, now: () => Date.parse('2026-03-10T12:00:00.000Z'), days: 30 });
document.querySelector('usage-filters')!.requestOptions = demo.requestOptions;
