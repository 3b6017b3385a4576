// The typed framework integrations (scripts/framework-types.mjs), seen from hosts: a React
// 19 TSX host checked by tsc and a Vue 3.5 SFC host checked by vue-tsc, each after its
// one-line opt-in. Each uses the tags as the README does and has lines the types must
// refuse (`@ts-expect-error`, `@vue-expect-error`: unused, they are errors themselves), so
// a missing or a too loose type fails. A host that does not opt in sees none of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, root } from './built.mjs';
import { hostCompilerOptions, typeCheck, withHost } from './host.mjs';

const REACT_PACKAGES = ['react', '@types/react'];
const REACT_OPTIONS = { jsx: 'react-jsx' };

// The README's React snippet (its router swapped for a function), then every tag with
// properties, attributes and events, then what the types refuse.
const REACT_HOST = (optIn) => `${optIn}
import { useRef, useState } from 'react';
import 'usage-dashboard-elements/usage-filters';
import 'usage-dashboard-elements/usage-filter-bar';
import 'usage-dashboard-elements/consumption-events-table';
import type { ConsumptionEventsTable, RequestOptions, UsageFilterState, UsageUserSelectEvent } from 'usage-dashboard-elements';

declare function getToken(): Promise<string>;
declare function navigate(path: string): void;
const requestOptions: RequestOptions = { headers: async () => ({ Authorization: \`Bearer \${await getToken()}\` }) };

export function Usage() {
  const [filters, setFilters] = useState<UsageFilterState>();
  return (
    <usage-filters data-endpoint="/api" range="30d" filters={filters} requestOptions={requestOptions}
      onusage-filters-change={(e) => setFilters(e.detail.state)}>
      <usage-filter-bar />
      <consumption-events-table page-size={25}
        onusage-user-select={(e) => { e.preventDefault(); navigate(\`/users/\${e.detail.userId}\`); }} />
    </usage-filters>
  );
}

export function Everything() {
  const table = useRef<ConsumptionEventsTable>(null);
  const [partial] = useState<Partial<UsageFilterState>>({ resourceType: 'tokens' });
  const onSelect = (event: UsageUserSelectEvent) => console.log(event.detail.userId, table.current?.pageSize);
  return (
    <usage-filters sync-url theme="dark" live time-zone="Europe/Paris" locale="fr" filter-group="a" from="2026-01-01T00:00:00Z" to="2026-02-01T00:00:00Z"
      onusage-error={(e) => console.log(e.detail.message, e.detail.param)}>
      <usage-filter-bar className="bar" filterGroup="a" endpoint="/api" />
      <consumption-events-table ref={table} pageSize={50} page-size="50" page={2} sort="amount" order="asc" compact user-href="/u/{userId}"
        filters={partial} onusage-user-select={onSelect} onusage-request-select={(e) => console.log(e.detail.requestId)} />
      <consumption-chart group-by="userId" groupBy="endpoint" bucket="day" compare resource-type="tokens" filters={null}
        onusage-filters-change={(e) => console.log(e.detail.state.range)} />
      <surplus-chart live={false} timeZone="UTC" style={{ height: 300 }} requestOptions={requestOptions} />

      <usage-filter-bar
        // @ts-expect-error theme is light, dark or auto
        theme="purple" />
      <consumption-events-table
        // @ts-expect-error pageSize, a property, takes a number
        pageSize="x" />
      <consumption-events-table
        // @ts-expect-error pageSize, a property, takes a number, not its text
        pageSize="25" />
      {/* @ts-expect-error page-size, an attribute, takes a number or its text (a kebab-case name's error stands on its tag) */}
      <consumption-events-table page-size="x" />
      <consumption-events-table
        // @ts-expect-error sort names a column
        sort="nope" />
      <usage-filters
        // @ts-expect-error filters takes a filter state
        filters={{ resourceType: 'nope' }} />
      <usage-filters
        // @ts-expect-error requestOptions takes an object
        requestOptions="Bearer x" />
      <consumption-events-table
        // @ts-expect-error usage-user-select's detail has userId only
        onusage-user-select={(e) => console.log(e.detail.nope)} />
      {/* @ts-expect-error usage-filters-change is no usage-user-select */}
      <usage-filters onusage-filters-change={onSelect} />
      <usage-filters
        // @ts-expect-error contextValue is read-only
        contextValue={undefined} />
      <consumption-chart
        // @ts-expect-error chartTitle is protected
        chartTitle="x" />
    </usage-filters>
  );
}
`;

test('a React 19 host that opts in gets typed tags: properties, attributes and events, the wrong ones refused', { timeout: 180_000 }, () => {
  ensureBuilt();
  // skipLibCheck off: the generated declarations themselves are checked too.
  const files = { 'host.tsx': REACT_HOST("import type {} from 'usage-dashboard-elements/react';") };
  const compilerOptions = hostCompilerOptions({ ...REACT_OPTIONS, skipLibCheck: false });
  const { status, output } = withHost({ files, compilerOptions, packages: REACT_PACKAGES }, typeCheck);
  assert.equal(status, 0, output);
});

test('the React opt-in resolves as an import under moduleResolution node16 and node, and as a tsconfig type', { timeout: 180_000 }, () => {
  ensureBuilt();
  const plain = REACT_HOST('');
  for (const [optIn, overrides] of [
    ["import type {} from 'usage-dashboard-elements/react';", { moduleResolution: 'node16', module: 'node16' }],
    ["import type {} from 'usage-dashboard-elements/react';", { moduleResolution: 'node', module: 'esnext' }],
    ['', { types: ['usage-dashboard-elements/react'] }],
  ]) {
    const files = { 'host.tsx': optIn ? REACT_HOST(optIn) : plain };
    const { status, output } = withHost({ files, compilerOptions: hostCompilerOptions({ ...REACT_OPTIONS, ...overrides }), packages: REACT_PACKAGES }, typeCheck);
    assert.equal(status, 0, `${JSON.stringify(overrides)}\n${output}`);
  }
});

test('a React host that does not opt in sees no tag; its own declarations (the README of 0.1) still type-check', { timeout: 180_000 }, () => {
  ensureBuilt();
  const own = `import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { UsageUserSelectEvent } from 'usage-dashboard-elements';
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'consumption-events-table': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        'page-size'?: number;
        'onusage-user-select'?: (event: UsageUserSelectEvent) => void;
      };
    }
  }
}
`;
  const host = `export const table = <consumption-events-table page-size={25} onusage-user-select={(e) => e.detail.userId} />;
// @ts-expect-error not declared: the package's types come only with the opt-in
export const filters = <usage-filters range="30d" />;
`;
  const { status, output } = withHost(
    { files: { 'elements.d.ts': own, 'host.tsx': host }, compilerOptions: hostCompilerOptions(REACT_OPTIONS), packages: REACT_PACKAGES },
    typeCheck,
  );
  assert.equal(status, 0, output);
});

test("the React example's host (examples/react/src/app.tsx) needs nothing but the opt-in: not its own declarations", { timeout: 180_000 }, () => {
  ensureBuilt();
  // The example declares the tags itself (elements.d.ts) because the repository type-checks it
  // against the sources, before any build; a host of the published package needs only this line.
  const app = readFileSync(join(root, 'examples/react/src/app.tsx'), 'utf8');
  const files = { 'app.tsx': `import type {} from 'usage-dashboard-elements/react';\n${app}` };
  const packages = [...REACT_PACKAGES, 'react-dom', '@types/react-dom'];
  const { status, output } = withHost({ files, compilerOptions: hostCompilerOptions(REACT_OPTIONS), packages }, typeCheck);
  assert.equal(status, 0, output);
});

// The README's Vue snippet (its router swapped for a function), then the same checks.
const VUE_APP = `<script setup lang="ts">
import { ref } from 'vue';
import type { RequestOptions, UsageFilterState, UsageUserSelectEvent } from 'usage-dashboard-elements';

declare function getToken(): Promise<string>;
declare function push(path: string): void;
const filters = ref<UsageFilterState>();
const partial = ref<Partial<UsageFilterState>>({ resourceType: 'tokens' });
const requestOptions: RequestOptions = { headers: async () => ({ Authorization: \`Bearer \${await getToken()}\` }) };
const onSelect = (event: UsageUserSelectEvent) => console.log(event.detail.userId);
const onSelectRequest = (id: string) => console.log(id);
</script>

<template>
  <usage-filters data-endpoint="/api" range="30d" .requestOptions="requestOptions"
    v-bind="filters ? { '.filters': filters } : {}" @usage-filters-change="filters = $event.detail.state">
    <usage-filter-bar></usage-filter-bar>
    <consumption-events-table page-size="25"
      @usage-user-select="$event.preventDefault(); push(\`/users/\${$event.detail.userId}\`)"></consumption-events-table>
  </usage-filters>

  <usage-filters sync-url theme="dark" live time-zone="Europe/Paris" filter-group="a" :filters="partial"
    @usage-error="(e) => console.log(e.detail.message, e.detail.param)">
    <consumption-events-table :page-size="50" :page="2" sort="amount" order="asc" compact user-href="/u/{userId}"
      @usage-user-select="(e) => e.detail.userId" @usage-request-select="onSelectRequest($event.detail.requestId)"></consumption-events-table>
    <consumption-chart group-by="userId" bucket="day" compare :request-options="requestOptions" :filters="null"
      @usage-filters-change="(e) => console.log(e.detail.state.range)"></consumption-chart>
    <consumption-events-table :pageSize="50"></consumption-events-table>
    <surplus-chart :live="false" time-zone="UTC" style="height: 300px" @usage-user-select="onSelect"></surplus-chart>

    <!-- @vue-expect-error theme is light, dark or auto -->
    <usage-filter-bar theme="purple"></usage-filter-bar>
    <!-- @vue-expect-error page-size takes a number or its text -->
    <consumption-events-table :page-size="'x'"></consumption-events-table>
    <!-- @vue-expect-error page-size takes a number or its text -->
    <consumption-events-table page-size="x"></consumption-events-table>
    <!-- @vue-expect-error page, a property (same name), takes a number -->
    <consumption-events-table page="2"></consumption-events-table>
    <!-- @vue-expect-error sort names a column -->
    <consumption-events-table sort="nope"></consumption-events-table>
    <!-- @vue-expect-error filters takes a filter state -->
    <usage-filters :filters="{ resourceType: 'nope' }"></usage-filters>
    <!-- @vue-expect-error usage-user-select's detail has userId only -->
    <consumption-events-table @usage-user-select="(e) => e.detail.nope"></consumption-events-table>
    <!-- @vue-expect-error usage-filters-change is no usage-user-select -->
    <usage-filters @usage-filters-change="onSelect"></usage-filters>
  </usage-filters>
</template>
`;

test('a Vue 3.5 host that opts in gets its templates checked by vue-tsc: props, attributes and $event.detail', { timeout: 180_000 }, () => {
  ensureBuilt();
  const files = {
    'env.d.ts': "import type {} from 'usage-dashboard-elements/vue';\n",
    'App.vue': VUE_APP,
  };
  const { status, output } = withHost({ files, include: ['env.d.ts', '*.vue'], compilerOptions: hostCompilerOptions({ skipLibCheck: false }), packages: ['vue', '@vue'] }, (dir) =>
    typeCheck(dir, 'vue-tsc'),
  );
  assert.equal(status, 0, output);
});

test('the generated declarations name only public, writable members and every event of the manifest', () => {
  ensureBuilt();
  const react = readFileSync(join(root, 'dist/types/react.d.ts'), 'utf8');
  const vue = readFileSync(join(root, 'dist/types/vue.d.ts'), 'utf8');
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  for (const module of manifest.modules) {
    for (const element of module.declarations ?? []) {
      if (!element.customElement || !element.tagName) continue;
      assert.match(react, new RegExp(`'${element.tagName}': ElementProps<${element.name}, \\{`));
      assert.match(vue, new RegExp(`'${element.tagName}': DefineCustomElement<\\s*${element.name},`));
      for (const event of element.events ?? []) {
        assert.ok(react.includes(`'on${event.name}'?: (event: HTMLElementEventMap['${event.name}']) => void;`), `${element.tagName}: on${event.name}`);
        assert.ok(vue.includes(`'${event.name}': HTMLElementEventMap['${event.name}'];`), `${element.tagName}: ${event.name}`);
      }
    }
  }
  for (const hidden of ['ownFilters', 'contextValue', 'filterSource', 'maxKeptEvents', 'chartTitle', 'internals']) {
    assert.doesNotMatch(react, new RegExp(`\\b${hidden}\\?:`), hidden);
    assert.doesNotMatch(vue, new RegExp(`\\b${hidden}\\?:`), hidden);
  }
  for (const name of ['react', 'vue']) assert.equal(readFileSync(join(root, `dist/${name}.js`), 'utf8').trim().split('\n').at(-1), 'export {};');
});
