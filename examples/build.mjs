// Builds the framework example hosts with the project's own tooling (esbuild), as a host
// app's bundler would: each imports the library by its package name
// ('usage-dashboard-elements/usage-filters', …), mapped here to the library's sources so
// the examples need no prior `npm run build`.
//
//   node examples/build.mjs        → examples/react/dist/, examples/vue/dist/
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const PACKAGE = 'usage-dashboard-elements';

/** `usage-dashboard-elements[/entry]` → the source module that entry is built from. */
const packageSources = {
  name: 'package-sources',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: new RegExp(`^${PACKAGE}(/|$)`) }, ({ path }) => {
      const entry = path.slice(PACKAGE.length + 1);
      const file =
        entry === '' ? 'src/index.ts' : entry === 'server' ? 'server/index.ts' : /^[a-z]+(-[a-z]+)+$/.test(entry) ? `src/${entry}/${entry}.ts` : null;
      if (!file || !existsSync(join(root, file))) return { errors: [{ text: `${path} is not an entry of ${PACKAGE}` }] };
      return { path: join(root, file) };
    });
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
  tsconfig: join(root, 'tsconfig.json'),
  plugins: [packageSources],
  define: { 'process.env.NODE_ENV': '"production"' },
  conditions: ['production'],
};

export const EXAMPLES = {
  react: { entryPoints: { app: 'react/src/app.tsx', page: 'react/src/page.tsx' }, jsx: 'automatic' },
  vue: {
    entryPoints: { app: 'vue/src/app.ts', page: 'vue/src/page.ts' },
    // Vue's full build compiles the templates in the browser.
    alias: { vue: 'vue/dist/vue.esm-bundler.js' },
    define: {
      ...common.define,
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  },
};

export async function buildExample(name) {
  const { entryPoints, ...options } = EXAMPLES[name];
  await build({
    ...common,
    ...options,
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([out, file]) => [out, join(here, file)])),
    outdir: join(here, name, 'dist'),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(EXAMPLES)) {
    const started = Date.now();
    await buildExample(name);
    console.log(`examples: ${name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
