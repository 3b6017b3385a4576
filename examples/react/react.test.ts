// The React 19 host, built by examples/build.mjs with the project's esbuild: attributes,
// properties and events cross React's boundary.
import { describeHost, importBuilt, type MountHost } from '../shared/host-contract.js';

type ReactApp = typeof import('./src/app.js');

describeHost('React 19', async () => {
  const app = await importBuilt<ReactApp>(new URL('./dist/app.js', import.meta.url));
  return app.mountDashboard as MountHost;
});
