// The API reference (docs/api.md and the README's table) is generated from
// custom-elements.json and must match it, so it cannot drift from the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { elementDeclarations, renderApiReference, renderReadmeBlock, updateReadme } from '../../scripts/api-docs.mjs';
import { ensureBuilt, root } from './built.mjs';

const manifest = {
  schemaVersion: '2.1.0',
  modules: [
    {
      path: 'src/demo-chart/demo-chart.component.ts',
      declarations: [
        {
          kind: 'class',
          name: 'DemoChart',
          tagName: 'demo-chart',
          summary: 'A demo | chart.',
          attributes: [{ name: 'group-by', type: { text: "'a' | 'b'" }, default: "'a'", description: 'How to group.', fieldName: 'groupBy' }],
          members: [
            { kind: 'field', name: 'groupBy', attribute: 'group-by', type: { text: "'a' | 'b'" }, description: 'How to group.' },
            { kind: 'field', name: 'filters', type: { text: 'UsageFilterState' }, description: 'The whole state.' },
            { kind: 'field', name: '#secret', privacy: 'private' },
            { kind: 'method', name: 'refresh' },
          ],
          events: [{ name: 'usage-error', type: { text: 'UsageErrorEvent' }, description: 'A failure.' }],
          cssParts: [{ name: 'chart', description: 'The canvas.' }],
          cssProperties: [{ name: '--usage-color-text', default: '#1f2328', description: 'Text.' }],
        },
      ],
    },
    { path: 'src/base/test-piece.ts', declarations: [{ kind: 'class', name: 'TestPiece', tagName: 'test-piece' }] },
  ],
};

test('every attribute, property, event, part and custom property is listed; private members and test helpers are not', () => {
  const text = renderApiReference(manifest);
  assert.match(text, /## `<demo-chart>`/);
  assert.match(text, /\| `group-by` \| `groupBy` \| `'a' \\\| 'b'` \| `'a'` \| How to group\. \|/);
  assert.match(text, /\| `filters` \| `UsageFilterState` \| {2}\| The whole state\. \|/);
  assert.match(text, /\| `usage-error` \| `UsageErrorEvent` \| A failure\. \|/);
  assert.match(text, /\| `chart` \| The canvas\. \|/);
  assert.match(text, /\| `--usage-color-text` \| `#1f2328` \| Text\. \|/);
  assert.match(text, /A demo \| chart\./, 'the summary is prose, not a table cell');
  assert.doesNotMatch(text, /#secret|refresh|test-piece/);
  assert.deepEqual(elementDeclarations(manifest).map((d) => d.tagName), ['demo-chart']);
});

test("the README's block is replaced between its markers, and a README without them is an error", () => {
  const block = renderReadmeBlock(manifest);
  const readme = `intro\n${block.replace(/\| \[`<demo-chart>`.*\n/, '')}\noutro\n`;
  const updated = updateReadme(readme, manifest);
  assert.equal(updated, `intro\n${block}\noutro\n`);
  assert.match(updated, /\| \[`<demo-chart>`\]\(docs\/api\.md#demo-chart\) \| A demo \\\| chart\. \| 1 \| `usage-error` \| 1 \|/);
  assert.throws(() => updateReadme('no markers', manifest), /lacks the markers/);
});

test('docs/api.md and the README are up to date with custom-elements.json', () => {
  ensureBuilt();
  const result = spawnSync(process.execPath, ['scripts/api-docs.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const built = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  const api = readFileSync(join(root, 'docs/api.md'), 'utf8');
  for (const declaration of elementDeclarations(built)) assert.match(api, new RegExp(`## \`<${declaration.tagName}>\``));
});
