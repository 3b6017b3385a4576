// The library build (run by scripts/build.mjs with NODE_ENV=production; see TOOLCHAIN.md):
// 1. ESM for bundlers: src/index.ts and every define module src/<tag>/<tag>.ts, one file per
//    source module under dist/, with lit, @lit/*, echarts and eventsource-parser left as
//    dependencies for the host's bundler to share and tree-shake.
// 2. dist/usage-dashboard.bundle.js: one self-contained, minified ES module that registers
//    every tag, for a plain <script type="module">.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import esbuild from 'rollup-plugin-esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, 'src');

/** The tags whose define module exists: src/<tag>/<tag>.ts. Elements not written yet are skipped. */
export function definedTags() {
  return readdirSync(src, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.includes('-') && existsSync(join(src, entry.name, `${entry.name}.ts`)))
    .map((entry) => entry.name)
    .sort();
}

const EXTERNAL = /^(lit|@lit|@lit-labs|echarts|zrender|eventsource-parser|tslib)(\/|$)/;

/**
 * Resolves our own relative `.js` imports to their `.ts` sources, and nothing else:
 * rollup-plugin-esbuild's own resolver also resolves relative imports inside node_modules,
 * which bypasses ECharts' `sideEffects` and doubles the bundle.
 */
function ownSources() {
  return {
    name: 'own-sources',
    resolveId(id, importer) {
      if (!importer || !id.startsWith('.') || importer.includes('/node_modules/')) return null;
      const target = resolve(dirname(importer), id);
      const ts = target.replace(/\.js$/, '.ts');
      if (ts.startsWith(root) && existsSync(ts)) return ts;
      return null;
    },
  };
}

const BUNDLE_ENTRY = join(src, 'usage-dashboard.bundle.ts');

/**
 * Makes the bundle register every element that exists: an import of each define module is
 * added to src/usage-dashboard.bundle.ts, so an element registers in the bundle as soon as
 * its folder has one, without editing the entry.
 */
function registerEveryTag(tags) {
  return {
    name: 'register-every-tag',
    transform(code, id) {
      if (id !== BUNDLE_ENTRY) return null;
      return { code: `${code}\n${tags.map((tag) => `import './${tag}/${tag}.js';`).join('\n')}\n`, map: null };
    },
  };
}

/**
 * The `./bundle` entry under Node (`"node"` in package.json's exports): the ESM modules,
 * registering every tag. The bundle inlines lit's browser build, which extends HTMLElement
 * at import and so threw in a server render (Next.js, Astro, Nuxt) importing it; the ESM
 * modules take lit's node build, which brings its DOM shim.
 */
function nodeBundleEntry(tags) {
  return {
    name: 'node-bundle-entry',
    generateBundle() {
      const source = [
        '// The bundle\'s entry under Node (a server render): every tag registered, lit\'s node build.',
        ...tags.map((tag) => `import './${tag}/${tag}.js';`),
        "export * from './index.js';",
        '',
      ].join('\n');
      this.emitFile({ type: 'asset', fileName: 'usage-dashboard.node.js', source });
    },
  };
}

/**
 * Minifies the markup and CSS inside our html`` and css`` templates (a host's minifier
 * leaves template text alone): about a fifth of the elements' own gzip size.
 */
function minifyTemplates() {
  return minifyHtmlLiterals({ include: ['src/**/*.ts'], failOnError: true });
}

function transpile() {
  const plugin = esbuild({ include: /\.ts$/, exclude: /node_modules/, tsconfig: join(root, 'tsconfig.json'), target: 'es2022' });
  delete plugin.resolveId;
  return plugin;
}

const onwarn = (warning, warn) => {
  // Lit's and ECharts' `this` at module level, and circular imports inside ECharts, are theirs.
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('/node_modules/'))) return;
  warn(warning);
};

const tags = definedTags();

/**
 * As package.json's `sideEffects` says, of our modules only the define modules do something
 * when imported. Without this, rollup keeps a bare `import '../events/….js'` wherever a
 * module imports from a barrel whose other modules it judges impure (a class's static
 * block), and a host's esbuild then warns that it ignores each of them.
 */
const defineModules = new Set(tags.map((tag) => join(src, tag, `${tag}.ts`)));
const moduleSideEffects = (id, external) => external || !id.startsWith(src) || defineModules.has(id);

/** @type {import('rollup').RollupOptions[]} */
export default [
  {
    input: ['src/index.ts', ...tags.map((tag) => `src/${tag}/${tag}.ts`)],
    external: (id) => EXTERNAL.test(id),
    plugins: [ownSources(), minifyTemplates(), transpile(), nodeBundleEntry(tags)],
    treeshake: { moduleSideEffects },
    output: {
      dir: 'dist',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'src',
      entryFileNames: '[name].js',
      sourcemap: true,
    },
    onwarn,
  },
  {
    input: 'src/usage-dashboard.bundle.ts',
    plugins: [
      ownSources(),
      registerEveryTag(tags),
      minifyTemplates(),
      transpile(),
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
      nodeResolve({ browser: true, exportConditions: ['production', 'browser', 'module', 'import', 'default'] }),
      terser({ module: true, ecma: 2020, format: { comments: false }, compress: { passes: 3 } }),
    ],
    output: {
      // A directory, as the virtualizer's import() asks; inlined, so it stays one file.
      dir: 'dist',
      entryFileNames: 'usage-dashboard.bundle.js',
      format: 'es',
      inlineDynamicImports: true,
      sourcemap: true,
    },
    onwarn,
  },
];
