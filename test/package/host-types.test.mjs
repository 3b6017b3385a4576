// A TypeScript host's view of the built package: importing one tag's entry types the
// element (HTMLElementTagNameMap) and its events' listeners (the events' declarations come
// with every entry), under `moduleResolution` bundler and node16 (the exports map) and the
// older node (typesVersions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt } from './built.mjs';
import { hostCompilerOptions, typeCheck, withHost } from './host.mjs';

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
    const { status, output } = withHost({ files: { 'host.ts': HOST }, compilerOptions: hostCompilerOptions({ moduleResolution: resolution, module }) }, typeCheck);
    assert.equal(status, 0, output);
  });
}

test("a host under the strictest options (exactOptionalPropertyTypes, skipLibCheck off) type-checks: the declarations reach no library's types that fail them (ECharts' did)", { timeout: 120_000 }, () => {
  ensureBuilt();
  const compilerOptions = hostCompilerOptions({ exactOptionalPropertyTypes: true, skipLibCheck: false, noUncheckedIndexedAccess: true });
  const { status, output } = withHost({ files: { 'host.ts': HOST }, compilerOptions }, typeCheck);
  assert.equal(status, 0, output);
});
