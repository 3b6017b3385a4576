// The Vue 3 host, built by examples/build.mjs with the project's esbuild: attributes,
// properties and events cross Vue's boundary.
import { describeHost, importBuilt, type MountHost } from '../shared/host-contract.js';

type VueApp = typeof import('./src/app.js');

describeHost('Vue 3', async () => {
  const app = await importBuilt<VueApp>(new URL('./dist/app.js', import.meta.url));
  return app.mountDashboard as MountHost;
});
