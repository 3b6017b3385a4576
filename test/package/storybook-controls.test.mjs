// Storybook's controls and docs tables, built from custom-elements.json by
// stories/support/manifest.ts: a row with a working control for every attribute, a select
// for closed sets, and no control where one could do nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, root } from './built.mjs';
import { attributeText, extractArgTypes, registerManifest } from '../../stories/support/manifest.ts';
import { EVENT_SORT_COLUMNS } from '../../src/api/contract.ts';

ensureBuilt();
const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
registerManifest(manifest);
const tags = ['consumption-events-table', 'consumption-chart', 'surplus-chart', 'usage-filter-bar', 'usage-filters'];

test('every attribute has a row and a control, closed sets a select, outputs and functions none', () => {
  for (const tag of tags) {
    const declaration = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === tag);
    const argTypes = extractArgTypes(tag);
    for (const { name } of declaration.attributes ?? []) {
      assert.ok(argTypes[name], `${tag}: ${name} has a row`);
      const control = argTypes[name].control;
      if (name === 'loading' || name === 'error') assert.equal(control, false, `${tag}: ${name} is reported, not set`);
      else assert.ok(control, `${tag}: ${name} has a control`);
    }
    if (argTypes.requestOptions) assert.equal(argTypes.requestOptions.control, false, `${tag}: requestOptions holds functions`);
  }
  const table = extractArgTypes('consumption-events-table');
  assert.deepEqual(table.sort.control, { type: 'select' });
  assert.deepEqual(table.sort.options, ['', ...EVENT_SORT_COLUMNS]);
});

test('from and to: a date control whose value reaches the element as an ISO instant attribute', () => {
  for (const tag of tags) {
    const argTypes = extractArgTypes(tag);
    for (const name of ['from', 'to']) assert.deepEqual(argTypes[name].control, { type: 'date' }, `${tag}: ${name}`);
  }
  const instant = '2024-05-01T00:00:00.000Z';
  // The date control's value is a timestamp; Storybook's channel turns a string shaped like an
  // ISO instant into a Date (and so does the URL's `!date(…)`); a story's own args stay strings.
  assert.equal(attributeText('from', Date.parse(instant)), instant);
  assert.equal(attributeText('to', new Date(instant)), instant);
  assert.equal(attributeText('from', '2024-05-01T02:00:00+02:00'), '2024-05-01T02:00:00+02:00');
  assert.equal(attributeText('from', undefined), null, 'a cleared control removes the attribute');
  assert.equal(attributeText('to', new Date(Number.NaN)), null);
  // Other attributes keep their text; objects are properties, not attributes.
  assert.equal(attributeText('amount-min', 1000), '1000');
  assert.equal(attributeText('live', true), '');
  assert.equal(attributeText('live', false), null);
  assert.equal(attributeText('filters', { resourceType: 'ocr' }), undefined);
});
