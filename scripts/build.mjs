// npm run build: dist/ for bundlers and for a script tag, the type declarations, the
// Custom Elements Manifest, and the reference server when it exists. Stops at the first
// failing step.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { definedTags } from '../rollup.config.mjs';
import { writeFrameworkTypes } from './framework-types.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Runs one step; resolves when it succeeds, exits the build when it fails. */
function run(step, command, args, env = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => {
      if (code !== 0) {
        console.error(`build: ${step} failed (${signal ?? `exit ${code}`})`);
        process.exit(code || 1);
      }
      console.log(`build: ${step} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      resolve();
    });
  });
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });

// Declarations for the entries and every module they import (not for tests or unrelated
// files): tsconfig.build.json with the define modules and the server's API added.
const typesConfig = join(root, 'dist/tsconfig.types.json');
const typeEntries = [
  'src/index.ts',
  'src/usage-dashboard.bundle.ts',
  ...definedTags().map((tag) => `src/${tag}/${tag}.ts`),
  ...['server/index.ts', 'server/node/index.ts'].filter((entry) => existsSync(join(root, entry))),
];
writeFileSync(typesConfig, JSON.stringify({ extends: '../tsconfig.build.json', files: typeEntries.map((entry) => `../${entry}`) }));
// The three steps are independent: run them side by side.
await Promise.all([
  // NODE_ENV=production: node-resolve then picks Lit's production build for the bundle.
  run('rollup', bin('rollup'), ['-c', 'rollup.config.mjs', '--silent'], { NODE_ENV: 'production' }),
  run('type declarations', bin('tsc'), ['-p', typesConfig]),
  run('custom-elements.json', bin('cem'), ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']),
]);
rmSync(typesConfig);
copyFileSync(join(root, 'custom-elements.json'), join(root, 'dist/custom-elements.json'));
// React's JSX and Vue's templates typed from the manifest and the declarations just made.
{
  const started = Date.now();
  writeFrameworkTypes(root);
  console.log(`build: dist/types/react.d.ts, dist/types/vue.d.ts (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// The node entries are split at their dynamic imports, so that a store's driver (pg,
// better-sqlite3: optional for a host) is imported only when that store is opened; one
// bundle would hoist both to static imports at its top.
const serverBuilds = [
  { entries: { index: 'server/index.ts' }, platform: 'neutral', splitting: false },
  { entries: { main: 'server/main.ts', node: 'server/node/index.ts' }, platform: 'node', splitting: true },
];
for (const { entries, platform, splitting } of serverBuilds) {
  const present = Object.entries(entries).filter(([, entry]) => existsSync(join(root, entry)));
  if (present.length === 0) continue;
  const started = Date.now();
  mkdirSync(join(root, 'dist/server'), { recursive: true });
  await build({
    entryPoints: Object.fromEntries(present.map(([name, entry]) => [name, join(root, entry)])),
    outdir: join(root, 'dist/server'),
    chunkNames: 'chunks/[name]-[hash]',
    splitting,
    bundle: true,
    format: 'esm',
    platform,
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  console.log(`build: ${present.map(([name]) => `dist/server/${name}.js`).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// The demo pages dist/server/main.js serves (it looks in dist/server/demo first).
if (existsSync(join(root, 'server/demo'))) {
  cpSync(join(root, 'server/demo'), join(root, 'dist/server/demo'), { recursive: true, filter: (source) => !source.endsWith('.mjs') });
}

const bundle = join(root, 'dist/usage-dashboard.bundle.js');
const gzip = gzipSync(readFileSync(bundle), { level: 9 }).length;
console.log(`build: the bundle registers ${definedTags().join(', ')}`);
console.log(`build: dist/usage-dashboard.bundle.js ${(statSync(bundle).size / 1024).toFixed(1)} kB, ${(gzip / 1024).toFixed(1)} kB gzip`);
