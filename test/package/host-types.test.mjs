// A TypeScript host's view of the built package: importing one tag's entry types the
// element (HTMLElementTagNameMap) and its events' listeners (the events' declarations come
// with every entry), under `moduleResolution` bundler and node16 (the exports map) and the
// older node (typesVersions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, root } from './built.mjs';

const HOST = `import 'usage-dashboard-elements/consumption-events-table';
import 'usage-dashboard-elements/usage-filters';
import 'usage-dashboard-elements/surplus-chart';
const table = document.querySelector('consumption-events-table')!;
table.pageSize = 50;
document.querySelector('usage-filters')!.addEventListener('usage-filters-change', (e) => console.log(e.detail.state.range));
table.addEventListener('usage-user-select', (e) => console.log(e.detail.userId));
document.querySelector('surplus-chart')!.addEventListener('usage-error', (e) => console.log(e.detail.message));
export {};
`;

for (const [resolution, module] of [
  ['bundler', 'esnext'],
  ['node16', 'node16'],
  ['node', 'esnext'],
]) {
  test(`a host importing one tag's entry type-checks under moduleResolution ${resolution}`, { timeout: 120_000 }, () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'ud-host-types-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules', 'usage-dashboard-elements'), 'dir');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
      writeFileSync(join(dir, 'host.ts'), HOST);
      const compilerOptions = { moduleResolution: resolution, module, target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, lib: ['es2022', 'dom', 'dom.iterable'], types: [] };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['host.ts'] }));
      const result = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
