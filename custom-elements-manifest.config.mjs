import { posix } from 'node:path';

// `cem analyze` (run by scripts/build.mjs) reads the JSDoc of every element into
// custom-elements.json at the package root; the build copies it into dist/.

/**
 * The analyzer lists `this.dispatchEvent(new SomeEvent(…))` as an event without a name;
 * the real name comes from the class's `@fires` tag, so the nameless duplicate goes.
 */
function dropNamelessEvents() {
  return {
    name: 'drop-nameless-events',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
        }
      }
    },
  };
}

/**
 * The manifest ships in the package, which holds dist/, not src/: each module's `path` and
 * every `module` reference name the published file (src/a/b.ts → dist/a/b.js), so that
 * editors and tools that follow them find it.
 */
function publishedPaths() {
  // A re-export's `module` is relative to the module that has it (./a/b.js in src/index.ts).
  const published = (value, from) =>
    posix
      .normalize(value.startsWith('.') ? posix.join(posix.dirname(from), value) : value)
      .replace(/^\/?src\//, 'dist/')
      .replace(/\.ts$/, '.js');
  const visit = (node, from) => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, from));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'path' || key === 'module') && typeof value === 'string') node[key] = published(value, from);
      else visit(value, from);
    }
  };
  return {
    name: 'published-paths',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) visit(module, module.path);
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/test-*.ts', 'src/**/*.stories.ts'],
  outdir: '.',
  litelement: true,
  packagejson: true,
  plugins: [dropNamelessEvents(), publishedPaths()],
};
