import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';
import { ensureChromium, CHROMIUM_ARGS } from './scripts/chromium.mjs';

// The framework hosts' tests load examples/*/dist: built here (about 1 s), so that a plain
// `npx wtr` on a fresh clone finds them, never older than the sources they are built from.
execFileSync(process.execPath, [fileURLToPath(new URL('./examples/build.mjs', import.meta.url))], { stdio: 'inherit' });

const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

const IGNORED_BROWSER_ERRORS = [/ResizeObserver loop/];

/**
 * `executeServerCommand('emulate-forced-colors', true | false)`: Windows' high-contrast mode
 * (forced-colors: active), which @web/test-runner-commands' emulateMedia cannot set on the
 * puppeteer launcher (puppeteer refuses the feature; the DevTools protocol takes it).
 */
const forcedColorsSessions = new Map();
const forcedColorsPlugin = {
  name: 'emulate-forced-colors',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-forced-colors') return undefined;
    // The protocol session stays open: its emulation ends when it detaches.
    if (!forcedColorsSessions.has(session.id)) {
      forcedColorsSessions.set(session.id, await session.browser.getPage(session.id).createCDPSession());
    }
    const features = payload ? [{ name: 'forced-colors', value: 'active' }] : [];
    await forcedColorsSessions.get(session.id).send('Emulation.setEmulatedMedia', { features });
    return true;
  },
};

export default {
  files: ['src/**/*.test.ts', 'examples/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development', 'browser'] },
  concurrency: 2,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 10_000 } },
  coverage: true,
  coverageConfig: {
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.test.ts', 'src/**/test-*.ts'],
    report: true,
    reportDir: 'coverage/browser',
  },
  // a11ySnapshot: the browser's own accessibility tree (accessible names as Chrome computes them).
  plugins: [esbuildPlugin({ ts: true, tsconfig, target: 'es2022' }), forcedColorsPlugin, a11ySnapshotPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS },
      // Each test file in its own browser context, so its own window: with the default one
      // window the second page is a hidden tab, which gets no animation frames and no
      // ResizeObserver callbacks (fixture() and the virtualizer then wait forever).
      createPage: async ({ browser }) => {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        page.once('close', () => void context.close().catch(() => undefined));
        return page;
      },
    }),
  ],
  filterBrowserLogs: ({ args }) => !args.some((a) => typeof a === 'string' && IGNORED_BROWSER_ERRORS.some((r) => r.test(a))),
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <script>window.process = { env: { NODE_ENV: 'development' } };</script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
    <script type="module" src="/src/base/test-setup.ts"></script>
  </body>
</html>`,
};
