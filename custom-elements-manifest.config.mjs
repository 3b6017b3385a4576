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

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/test-*.ts', 'src/**/*.stories.ts'],
  outdir: '.',
  litelement: true,
  packagejson: true,
  plugins: [dropNamelessEvents()],
};
