/** The example page: the React host over the reference server's in-memory demo (no server needed). */
import { createDemoHandler } from 'usage-dashboard-elements/server';
import { mountDashboard } from './app.js';

const demo = createDemoHandler({ events: 5_000 });
mountDashboard(document.getElementById('root')!, { endpoint: '/api', requestOptions: demo.requestOptions });
