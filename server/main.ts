/**
 * `npm start`: the reference server — the demo admin portal at `/` and the data-endpoint
 * contract at `/api`, on PORT (default 8080). Settings come from the environment
 * (docs/server.md): PORT, HOST, DATABASE_URL, DATA_DIR, SEED_EVENTS, CORS_ORIGINS,
 * DEMO_TOKEN, OTHER_ORG_TOKEN, LIVE_TRAFFIC. Built to dist/server/main.js by the build.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeStartFailure, readConfig, type ServerConfig } from './node/config.js';
import { serve } from './node/serve.js';

/** The first candidate folder holding `marker` (the built package's layout, then the source tree's). */
function locate(marker: string, ...candidates: string[]): string {
  const dirs = candidates.map((c) => fileURLToPath(new URL(c, import.meta.url)));
  return dirs.find((dir) => existsSync(`${dir}/${marker}`)) ?? dirs[0]!;
}

// dist/server/main.js → dist/server/demo or server/demo, and dist/; server/main.ts (tsx) → server/demo and dist/.
const demoDir = locate('index.html', './demo/', '../../server/demo/');
const distDir = locate('usage-dashboard.bundle.js', '../', '../dist/');

let config: ServerConfig | undefined;

async function main(): Promise<void> {
  config = readConfig();
  const started = Date.now();
  const server = await serve(config, { demoDir, distDir });
  const { tokens } = server;
  console.log('');
  console.log(`Usage dashboard reference server: ${server.url}  (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`  API:              ${server.url}api  (Authorization: Bearer <token>)`);
  console.log(`  store:            ${server.opened.kind}${server.opened.persistent ? '' : ' (not kept: reseeded on every start)'}`);
  console.log(`  DEMO_TOKEN=${tokens.demoRead}`);
  console.log(`  OTHER_ORG_TOKEN=${tokens.otherRead}`);
  console.log(`  ingest token (demo organization, scopes read+ingest): ${tokens.demoIngest}`);
  if (!existsSync(`${distDir}/usage-dashboard.bundle.js`)) console.log('  warning: dist/usage-dashboard.bundle.js is missing: run npm run build.');
  console.log('');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.log(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: closing connections and the store…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(describeStartFailure(error, config));
  process.exit(1);
});
