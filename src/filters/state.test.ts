import { expect } from '@open-wc/testing';
import {
  DEFAULT_FILTER_STATE,
  FilterStateError,
  applyFilterPatch,
  changedFields,
  isOpenEnded,
  normalizeFilterState,
  resolveRange,
  sameFilterState,
  toEventFilter,
  zoneOffset,
  zonedTimeToInstant,
  type UsageFilterState,
} from './state.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

describe('filter state', () => {
  it('has the defaults of the design', () => {
    expect(DEFAULT_FILTER_STATE).to.deep.equal({
      range: { preset: '7d' },
      resourceType: null,
      userIds: [],
      poolCategories: [],
      ioTypes: [],
      amountMin: null,
      amountMax: null,
      requestId: null,
      endpoints: [],
    });
  });

  it('fills missing fields with defaults and keeps given ones', () => {
    const state = normalizeFilterState({ resourceType: 'storage', userIds: ['u1', 'u1', 'u2'] });
    expect(state).to.deep.equal({ ...DEFAULT_FILTER_STATE, resourceType: 'storage', userIds: ['u1', 'u2'] });
  });

  it('hands out frozen states, so that a host mutating one gets an error instead of a silent change', () => {
    const given = { userIds: ['u1'], range: { from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z' } };
    const state = normalizeFilterState(given);
    expect(Object.isFrozen(state)).to.equal(true);
    expect(Object.isFrozen(state.range)).to.equal(true);
    for (const list of [state.userIds, state.poolCategories, state.ioTypes, state.endpoints]) expect(Object.isFrozen(list)).to.equal(true);
    expect(() => state.userIds.push('u2')).to.throw(TypeError);
    // The caller's own objects are copied, not frozen.
    given.userIds.push('u2');
    expect(state.userIds).to.deep.equal(['u1']);
    expect(Object.isFrozen(applyFilterPatch(state, { ioTypes: ['input'] }).ioTypes)).to.equal(true);
  });

  it('keeps a custom range in the contract instant form', () => {
    const state = normalizeFilterState({ range: { from: '2024-05-01T02:00:00+02:00', to: '2024-05-02T00:00Z' } });
    expect(state.range).to.deep.equal({ from: '2024-05-01T00:00:00.000Z', to: '2024-05-02T00:00:00.000Z' });
  });

  const bad: [string, Partial<UsageFilterState>, string][] = [
    ['an unknown preset', { range: { preset: '1y' as never } }, 'range'],
    ['a range without a zone', { range: { from: '2024-05-01T00:00', to: '2024-05-02T00:00Z' } }, 'range'],
    ['from not before to', { range: { from: '2024-05-02T00:00Z', to: '2024-05-01T00:00Z' } }, 'range'],
    // Date.UTC would read the year 0080 as 1980.
    ['a range in the years 0–99', { range: { from: '0080-01-01T00:00Z', to: '2024-05-01T00:00Z' } }, 'range'],
    ['an unknown resource type', { resourceType: 'gpu' as never }, 'resourceType'],
    ['an unknown pool', { poolCategories: ['shared' as never] }, 'poolCategories'],
    ['an unknown I/O type', { ioTypes: ['both' as never] }, 'ioTypes'],
    ['an empty user ID', { userIds: [''] }, 'userIds'],
    ['201 users', { userIds: Array.from({ length: 201 }, (_, i) => `u${i}`) }, 'userIds'],
    ['a 257-character endpoint', { endpoints: ['x'.repeat(257)] }, 'endpoints'],
    ['a negative amount', { resourceType: 'tokens', amountMin: -1 }, 'amountMin'],
    ['a fractional amount', { resourceType: 'tokens', amountMax: 1.5 }, 'amountMax'],
    ['an amount without a type', { amountMin: 5 }, 'amountMin'],
    ['min above max', { resourceType: 'tokens', amountMin: 9, amountMax: 3 }, 'amountMax'],
    ['an empty request ID', { requestId: '' }, 'requestId'],
  ];
  for (const [what, partial, field] of bad) {
    it(`rejects ${what}, naming ${field}`, () => {
      let error: unknown;
      try {
        normalizeFilterState(partial);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(FilterStateError);
      expect((error as FilterStateError).field).to.equal(field);
    });
  }

  it('clears the amounts when a patch switches to every type', () => {
    const state = normalizeFilterState({ resourceType: 'tokens', amountMin: 1, amountMax: 10 });
    expect(applyFilterPatch(state, { resourceType: null })).to.include({ resourceType: null, amountMin: null, amountMax: null });
    expect(applyFilterPatch(state, { amountMax: 20 })).to.include({ amountMin: 1, amountMax: 20 });
  });

  it('compares states field by field and lists the changed fields', () => {
    const a = normalizeFilterState({ userIds: ['u1'] });
    expect(sameFilterState(a, normalizeFilterState({ userIds: ['u1'] }))).to.equal(true);
    expect(sameFilterState(a, normalizeFilterState({ userIds: ['u2'] }))).to.equal(false);
    expect(changedFields(DEFAULT_FILTER_STATE, normalizeFilterState({ range: { preset: '24h' }, ioTypes: ['input'] }))).to.deep.equal([
      'range',
      'ioTypes',
    ]);
  });
});

describe('range presets', () => {
  const now = at('2024-03-20T12:34:56.789Z');

  it('ends at now floored to the minute plus one minute', () => {
    expect(resolveRange({ preset: '24h' }, 'UTC', now).to).to.equal('2024-03-20T12:35:00.000Z');
  });

  it('makes 24h, 7d, 30d and 90d exactly 24, 168, 720 and 2160 hours long', () => {
    const to = at('2024-03-20T12:35:00Z');
    for (const [preset, hours] of [
      ['24h', 24],
      ['7d', 168],
      ['30d', 720],
      ['90d', 2160],
    ] as const) {
      // Across the US DST change of 2024-03-10 too: exact hours, not calendar days.
      const { from } = resolveRange({ preset }, 'America/New_York', now);
      expect(from, preset).to.equal(iso(to - hours * 3_600_000));
    }
  });

  it('starts this month at local midnight of the 1st in the holder zone', () => {
    expect(resolveRange({ preset: 'this-month' }, 'America/New_York', now)).to.deep.equal({
      from: '2024-03-01T05:00:00.000Z',
      to: '2024-03-20T12:35:00.000Z',
    });
    expect(resolveRange({ preset: 'this-month' }, 'Asia/Tokyo', now).from).to.equal('2024-02-29T15:00:00.000Z');
  });

  it('takes the local month, not the UTC one, near a month boundary', () => {
    // 2024-04-01T02:00Z is still March 31 in New York.
    expect(resolveRange({ preset: 'this-month' }, 'America/New_York', at('2024-04-01T02:00:00Z')).from).to.equal('2024-03-01T05:00:00.000Z');
    expect(resolveRange({ preset: 'this-month' }, 'UTC', at('2024-04-01T02:00:00Z')).from).to.equal('2024-04-01T00:00:00.000Z');
  });

  it('spans last month across a DST change (an hour longer in the fall)', () => {
    const range = resolveRange({ preset: 'last-month' }, 'America/New_York', at('2024-12-10T15:00:00Z'));
    expect(range).to.deep.equal({ from: '2024-11-01T04:00:00.000Z', to: '2024-12-01T05:00:00.000Z' });
    expect(at(range.to) - at(range.from)).to.equal((30 * 24 + 1) * 3_600_000);
  });

  it('spans this month across a spring DST change in Europe', () => {
    const range = resolveRange({ preset: 'last-month' }, 'Europe/Berlin', at('2024-04-10T10:00:00Z'));
    expect(range).to.deep.equal({ from: '2024-02-29T23:00:00.000Z', to: '2024-03-31T22:00:00.000Z' });
    expect(at(range.to) - at(range.from)).to.equal((31 * 24 - 1) * 3_600_000);
  });

  it('wraps last month into the previous year in January', () => {
    expect(resolveRange({ preset: 'last-month' }, 'UTC', at('2025-01-15T00:00:00Z'))).to.deep.equal({
      from: '2024-12-01T00:00:00.000Z',
      to: '2025-01-01T00:00:00.000Z',
    });
  });

  it('passes a custom range through', () => {
    const range = { from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z' };
    expect(resolveRange(range, 'UTC', now)).to.deep.equal(range);
  });

  it('finds a skipped midnight at the transition and a repeated time at its first occurrence', () => {
    // São Paulo sprang forward at 00:00 on 2018-11-04: that day began at 01:00 (-02).
    expect(iso(zonedTimeToInstant(2018, 10, 4, 'America/Sao_Paulo'))).to.equal('2018-11-04T03:00:00.000Z');
    // ... and fell back at 00:00 on 2019-02-17: 23:30 on the 16th happened twice.
    expect(iso(zonedTimeToInstant(2019, 1, 16, 'America/Sao_Paulo', 23, 30))).to.equal('2019-02-17T01:30:00.000Z');
    expect(zoneOffset(at('2024-07-01T00:00:00Z'), 'Asia/Kolkata')).to.equal(5.5 * 3_600_000);
  });

  it('keeps rolling presets open at their end, but not last month or a custom range', () => {
    expect(isOpenEnded({ preset: '7d' })).to.equal(true);
    expect(isOpenEnded({ preset: 'this-month' })).to.equal(true);
    expect(isOpenEnded({ preset: 'last-month' })).to.equal(false);
    expect(isOpenEnded({ from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z' })).to.equal(false);
  });
});

describe('toEventFilter', () => {
  const from = '2024-03-13T12:35:00.000Z';
  const to = '2024-03-20T12:35:00.000Z';
  const full = normalizeFilterState({
    resourceType: 'storage',
    userIds: ['u1'],
    poolCategories: ['surplus'],
    ioTypes: ['input'],
    amountMin: 10,
    amountMax: 100,
    requestId: 'req-1',
    endpoints: ['/v1/chat'],
  });

  it('gives the table every field and no dates when a request ID is set', () => {
    expect(toEventFilter(full, from, to, { piece: 'table' })).to.deep.equal({
      resourceType: 'storage',
      userIds: ['u1'],
      poolCategories: ['surplus'],
      ioTypes: ['input'],
      endpoints: ['/v1/chat'],
      amountMin: 10,
      amountMax: 100,
      requestId: 'req-1',
    });
  });

  it('gives the consumption chart all but the request ID, with the range', () => {
    const filter = toEventFilter(full, from, to, { piece: 'consumption' });
    expect(filter).to.include({ from, to, resourceType: 'storage', amountMin: 10, amountMax: 100 });
    expect(filter).not.to.have.property('requestId');
    expect(filter.userIds).to.deep.equal(['u1']);
  });

  it('gives the surplus chart only the range and the type', () => {
    expect(toEventFilter(full, from, to, { piece: 'surplus' })).to.deep.equal({ from, to, resourceType: 'storage' });
  });

  it('makes the charts show tokens under every type, and the table every type', () => {
    expect(toEventFilter(DEFAULT_FILTER_STATE, from, to, { piece: 'surplus' }).resourceType).to.equal('tokens');
    expect(toEventFilter(DEFAULT_FILTER_STATE, from, to, { piece: 'consumption' }).resourceType).to.equal('tokens');
    expect(toEventFilter(DEFAULT_FILTER_STATE, from, to, { piece: 'table' })).to.deep.equal({ from, to });
  });
});
