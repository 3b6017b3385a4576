import { expect } from '@open-wc/testing';
import { DEFAULT_FILTER_STATE, normalizeFilterState } from './state.js';
import { readFilterParams, writeFilterParams } from './url-sync.js';

describe('URL parameters of the filter state', () => {
  it('writes only the fields that differ from the base, and reads them back', () => {
    const state = normalizeFilterState({
      range: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-02T00:00:00.000Z' },
      resourceType: 'storage',
      userIds: ['a', 'b&c'],
      amountMax: 1_000_000,
      endpoints: ['/v1/chat'],
    });
    const params = new URLSearchParams('host=1&ud.range=stale');
    writeFilterParams(params, 'ud', state, DEFAULT_FILTER_STATE);
    expect([...params.keys()]).to.deep.equal(['host', 'ud.from', 'ud.to', 'ud.type', 'ud.user', 'ud.user', 'ud.max', 'ud.endpoint']);
    expect(readFilterParams(new URLSearchParams(params.toString()), 'ud', DEFAULT_FILTER_STATE)).to.deep.equal({ state, errors: [] });
  });

  it('writes nothing for the defaults', () => {
    const params = new URLSearchParams('ud.io=input&x=1');
    writeFilterParams(params, 'ud', DEFAULT_FILTER_STATE, DEFAULT_FILTER_STATE);
    expect(params.toString()).to.equal('x=1');
  });

  it("keeps a non-default field that is the host's own, and a default one that is not", () => {
    const base = normalizeFilterState({ range: { preset: '30d' }, ioTypes: ['input'] });
    const params = new URLSearchParams();
    writeFilterParams(params, 'ud', base, base);
    expect(params.toString()).to.equal('ud.range=30d&ud.io=input');
    // A person set the range back to the library's default over the host's 30d.
    writeFilterParams(params, 'ud', { ...base, range: { preset: '7d' } }, base);
    expect(params.toString()).to.equal('ud.range=7d&ud.io=input');
    expect(readFilterParams(params, 'ud', base).state).to.deep.equal({ ...base, range: { preset: '7d' } });
  });

  it('clears over a base that has values, with empty values and "all"', () => {
    const base = normalizeFilterState({ resourceType: 'tokens', amountMin: 5, requestId: 'r', poolCategories: ['surplus'] });
    const params = new URLSearchParams();
    writeFilterParams(params, 'p', DEFAULT_FILTER_STATE, base);
    expect(params.toString()).to.equal('p.type=all&p.pool=&p.min=&p.request=');
    expect(readFilterParams(params, 'p', base).state).to.deep.equal(DEFAULT_FILTER_STATE);
  });

  it('reports each bad value by its key and keeps the base for that field', () => {
    const base = normalizeFilterState({ resourceType: 'ocr', amountMin: 2 });
    const { state, errors } = readFilterParams(new URLSearchParams('ud.min=lots&ud.io=sideways&ud.user=u1&ud.from=2024-01-01T00:00:00Z'), 'ud', base);
    // The range's end that is missing.
    expect(errors.map((e) => e.param)).to.deep.equal(['ud.to', 'ud.io', 'ud.min']);
    expect(state).to.deep.equal({ ...base, userIds: ['u1'] });
    // The value as the URL gave it, not what parsing made of it.
    expect(errors[2]!.message).to.equal('ud.min: amountMin must be a non-negative integer; got lots');
  });

  it("names a custom range's missing or bad end, and says why", () => {
    const read = (query: string) => readFilterParams(new URLSearchParams(query), 'ud', DEFAULT_FILTER_STATE).errors;
    expect(read('ud.to=2026-12-01T00:00:00Z')).to.deep.equal([{ param: 'ud.from', message: 'ud.from: a custom range needs both from and to' }]);
    expect(read('ud.from=2026-12-01T00:00:00Z')).to.deep.equal([{ param: 'ud.to', message: 'ud.to: a custom range needs both from and to' }]);
    expect(read('ud.from=soon&ud.to=2026-12-01T00:00:00Z')).to.deep.equal([{ param: 'ud.from', message: 'ud.from: from is not an instant with Z or an offset: soon' }]);
    expect(read('ud.from=2026-12-01T00:00:00Z&ud.to=later')).to.deep.equal([{ param: 'ud.to', message: 'ud.to: to is not an instant with Z or an offset: later' }]);
    expect(read('ud.from=2026-12-02T00:00:00Z&ud.to=2026-12-01T00:00:00Z').map((e) => e.param)).to.deep.equal(['ud.from']);
  });

  it('reports an amount under every type by its key', () => {
    const { state, errors } = readFilterParams(new URLSearchParams('ud.min=5&ud.io=input'), 'ud', DEFAULT_FILTER_STATE);
    expect(errors.map((e) => e.param)).to.deep.equal(['ud.min']);
    expect(state).to.deep.equal({ ...DEFAULT_FILTER_STATE, ioTypes: ['input'] });
    // With the type in the query (read first), it applies.
    expect(readFilterParams(new URLSearchParams('ud.min=5&ud.type=storage'), 'ud', DEFAULT_FILTER_STATE).state).to.include({ resourceType: 'storage', amountMin: 5 });
  });

  it('ignores other prefixes', () => {
    expect(readFilterParams(new URLSearchParams('other.range=90d'), 'ud', DEFAULT_FILTER_STATE).state).to.equal(DEFAULT_FILTER_STATE);
  });
});
