// Makes the static Storybook open from disk (file://) in any browser, with no flag and no
// server (DESIGN.md: "a static Storybook needs no server and works from file://").
// Run by `npm run build-storybook` after `storybook build`.
//
// A browser refuses, from file://, both things Storybook's output relies on: module scripts
// (`<script type="module">` is fetched with CORS, and a file:// page has an opaque origin)
// and `fetch('./index.json')`. So, for iframe.html (the preview) and index.html (the
// manager):
// - the page's module scripts, in their order, are bundled by esbuild into one classic
//   script, storybook-static/sb-file/<page>.js, loaded with `defer` (the order and timing
//   of module scripts); a dynamic `import()` of a chunk is inlined, and each module's
//   `import.meta.url` becomes its own file's URL, so relative URLs resolve as before;
// - a stylesheet Vite marks `crossorigin` (refused from file:// likewise) loses the mark;
// - index.json and project.json are copied into storybook-static/sb-file/data.js, and the
//   page answers its own `fetch` of those two files from that copy while it is opened
//   from file:// (over http(s) the files are fetched as always).
// The original modules stay in place; nothing else in the output changes.
//
//   node scripts/storybook-file.mjs [--dir storybook-static]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

/** The folder, inside the static Storybook, that holds the classic scripts. */
export const FILE_DIR = 'sb-file';
/** The JSON files Storybook fetches at start, answered from a copy under file://. */
const DATA_FILES = ['index.json', 'project.json'];
const PAGES = [
  { html: 'iframe.html', script: 'iframe.js' },
  { html: 'index.html', script: 'manager.js' },
];

const MODULE_SCRIPT = /<script\b([^>]*)\btype=["']module["']([^>]*)>([\s\S]*?)<\/script>/g;
const MODULE_PRELOAD = /<link\b[^>]*\brel=["']modulepreload["'][^>]*>\s*/g;
const SRC = /\bsrc=["']([^"']+)["']/;
/** A stylesheet asked for with CORS (Vite marks its own so): refused from file://, as a module script is. */
const CORS_STYLESHEET = /<link\b(?=[^>]*\brel=["']stylesheet["'])[^>]*>/g;

/**
 * The page's module scripts, in document order, as one module's source: `import`s of the
 * external ones and the inline ones' own text (whose imports are relative to the page).
 */
export function moduleEntry(html) {
  const parts = [];
  for (const [, before, after, body] of html.matchAll(MODULE_SCRIPT)) {
    const src = SRC.exec(`${before} ${after}`)?.[1];
    parts.push(src ? `import ${JSON.stringify(src.startsWith('.') ? src : `./${src}`)};` : body);
  }
  return parts.join('\n');
}

/**
 * The page with its module scripts and module preloads replaced by the classic scripts,
 * where the first module script stood, and its stylesheets asked for without CORS.
 */
export function rewritePage(html, scriptPath) {
  let placed = false;
  const classic = `<script src="./${FILE_DIR}/data.js"></script><script defer src="./${scriptPath}"></script>`;
  return html
    .replace(MODULE_PRELOAD, '')
    .replace(CORS_STYLESHEET, (link) => link.replace(/\s+crossorigin(=["'][^"']*["'])?/, ''))
    .replace(MODULE_SCRIPT, () => {
      if (placed) return '';
      placed = true;
      return classic;
    });
}

/** The script that holds the JSON files and answers the page's own fetch of them under file://. */
export function dataScript(files) {
  return `(() => {
  const files = ${JSON.stringify(files)};
  if (location.protocol !== 'file:') return;
  const fetch = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), document.baseURI);
    const name = url.protocol === 'file:' ? url.pathname.split('/').pop() : null;
    if (name && Object.hasOwn(files, name)) {
      return Promise.resolve(new Response(files[name], { status: 200, headers: { 'Content-Type': 'application/json' } }));
    }
    return fetch(input, init);
  };
})();
`;
}

/** esbuild: each module's `import.meta.url` as its own file's URL, found from the classic script's own URL. */
function importMetaUrls(dir) {
  return {
    name: 'import-meta-url',
    setup(builder) {
      builder.onLoad({ filter: /\.m?js$/ }, (args) => {
        const code = readFileSync(args.path, 'utf8');
        if (!args.path.startsWith(dir) || !code.includes('import.meta')) return { contents: code, loader: 'js' };
        const own = JSON.stringify(relative(dir, args.path).split('\\').join('/'));
        return { contents: code.replaceAll('import.meta.url', `new URL(${own}, __storybookRoot).href`), loader: 'js' };
      });
    },
  };
}

/** Rewrites one static Storybook folder; returns what it wrote. */
export async function makeFileReady(dir) {
  const written = [];
  const files = {};
  for (const name of DATA_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) files[name] = readFileSync(path, 'utf8');
  }
  mkdirSync(join(dir, FILE_DIR), { recursive: true });
  writeFileSync(join(dir, FILE_DIR, 'data.js'), dataScript(files));
  written.push(`${FILE_DIR}/data.js`);
  for (const page of PAGES) {
    const htmlPath = join(dir, page.html);
    if (!existsSync(htmlPath)) throw new Error(`${htmlPath} is missing: run \`storybook build\` first`);
    const html = readFileSync(htmlPath, 'utf8');
    const entry = moduleEntry(html);
    if (!entry) throw new Error(`${page.html} has no module script: already rewritten, or Storybook's output changed`);
    const scriptPath = `${FILE_DIR}/${page.script}`;
    await build({
      stdin: { contents: entry, resolveDir: dir, sourcefile: page.html, loader: 'js' },
      bundle: true,
      format: 'iife',
      target: 'es2022',
      // The chunks are minified already; only what bundling adds is not.
      minifyWhitespace: true,
      legalComments: 'none',
      // Storybook's files lie under our package.json, whose `sideEffects` list is about dist/.
      ignoreAnnotations: true,
      outfile: join(dir, scriptPath),
      banner: { js: `var __storybookRoot = new URL('..', document.currentScript.src);` },
      plugins: [importMetaUrls(dir)],
      logLevel: 'error',
    });
    writeFileSync(htmlPath, rewritePage(html, scriptPath));
    written.push(page.html, scriptPath);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: 'storybook-static' } } });
  const dir = resolve(values.dir);
  const written = await makeFileReady(dir);
  console.log(`storybook-file: ${written.join(', ')} (opens from file://)`);
}

