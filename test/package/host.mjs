// A throwaway host app for the package tests: a temporary folder whose node_modules holds
// the package (a link to this checkout, as an install would) and the other packages the
// host needs (links to ours), its package.json, tsconfig.json and source files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { root } from './built.mjs';

/** The compiler options of a strict browser host; `overrides` replaces any of them. */
export function hostCompilerOptions(overrides = {}) {
  return {
    moduleResolution: 'bundler',
    module: 'esnext',
    target: 'es2022',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    lib: ['es2022', 'dom', 'dom.iterable'],
    types: [],
    ...overrides,
  };
}

/**
 * Runs `check(dir)` in a new host holding `files` (path → text), with `compilerOptions`
 * (tsconfig.json, over `include`) and `packages` linked from our node_modules; removes it after.
 */
export function withHost({ files, compilerOptions = hostCompilerOptions(), include = Object.keys(files), packages = [] }, check) {
  const dir = mkdtempSync(join(tmpdir(), 'ud-host-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'usage-dashboard-elements'), 'dir');
    for (const name of packages) {
      mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
      symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include }));
    for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
    return check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Type-checks the host in `dir` with `bin` (tsc, or vue-tsc for templates): { status, output }. */
export function typeCheck(dir, bin = 'tsc') {
  const result = spawnSync(join(root, 'node_modules', '.bin', bin), ['-p', dir], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
