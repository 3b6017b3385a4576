import { expect } from '@open-wc/testing';
import { FILTER_ATTRIBUTES, parseFilterField, type FilterAttribute } from './attributes.js';

const reader = (attributes: Partial<Record<FilterAttribute, string>>) => (name: FilterAttribute) => attributes[name] ?? null;

describe('parseFilterField', () => {
  it('says absent when no attribute sets the field', () => {
    expect(parseFilterField('userIds', reader({}))).to.deep.equal({ field: 'userIds', present: false });
  });

  it('reads "all" or an empty resource-type as every type', () => {
    expect(parseFilterField('resourceType', reader({ 'resource-type': 'all' }))).to.deep.include({ value: null });
    expect(parseFilterField('resourceType', reader({ 'resource-type': ' ocr ' }))).to.deep.include({ value: 'ocr' });
  });

  it('trims list items, drops empty ones and duplicates', () => {
    expect(parseFilterField('endpoints', reader({ endpoints: ' /a, ,/b,/a ' }))).to.deep.include({ value: ['/a', '/b'] });
    expect(parseFilterField('userIds', reader({ 'user-id': '' }))).to.deep.include({ value: [] });
    // The same as `user-ids` for one user: a comma separates, never sets an ID holding one (only `filters` does).
    expect(parseFilterField('userIds', reader({ 'user-id': ' u1 ' }))).to.deep.include({ value: ['u1'] });
    expect(parseFilterField('userIds', reader({ 'user-id': 'a,b' }))).to.deep.include({ value: ['a', 'b'] });
    expect(parseFilterField('userIds', reader({ 'user-ids': 'x', 'user-id': 'y' }))).to.deep.include({ value: ['x'] });
  });

  it('reads an empty amount or request-id as none', () => {
    expect(parseFilterField('amountMin', reader({ 'amount-min': '' }))).to.deep.include({ value: null });
    expect(parseFilterField('requestId', reader({ 'request-id': '  ' }))).to.deep.include({ value: null });
    expect(parseFilterField('amountMax', reader({ 'amount-max': '007' }))).to.deep.include({ value: 7 });
  });

  it('names the attribute at fault', () => {
    const cases: [Partial<Record<FilterAttribute, string>>, Parameters<typeof parseFilterField>[0], string][] = [
      [{ 'amount-min': '1.5' }, 'amountMin', 'amount-min'],
      [{ 'amount-max': '99999999999999999999' }, 'amountMax', 'amount-max'],
      [{ to: '2024-01-01T00:00:00Z' }, 'range', 'to'],
      [{ from: '2024-01-02T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'range', 'from'],
      [{ from: '2024-01-01T00:00:00Z', to: '2024-13-01T00:00:00Z' }, 'range', 'to'],
      [{ 'user-id': 'u'.repeat(257) }, 'userIds', 'user-id'],
      [{ 'request-id': 'r'.repeat(257) }, 'requestId', 'request-id'],
    ];
    for (const [attributes, field, param] of cases) {
      const parsed = parseFilterField(field, reader(attributes));
      expect(parsed, param).to.have.nested.property('error.param', param);
    }
  });

  it('covers every attribute of the design', () => {
    expect([...FILTER_ATTRIBUTES].sort()).to.deep.equal(
      ['amount-max', 'amount-min', 'endpoints', 'from', 'io-types', 'pool-categories', 'range', 'request-id', 'resource-type', 'to', 'user-id', 'user-ids'],
    );
  });
});
