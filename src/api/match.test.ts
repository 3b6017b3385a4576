import { expect } from '@open-wc/testing';
import { matchesFilter, mayStillArrive } from './match.js';
import { sampleEvent } from './test-fixtures.js';

const event = sampleEvent(7, {
  created: '2025-03-09T11:00:00.000Z',
  userId: 'u1',
  amount: 500,
  resourceType: 'storage',
  poolCategory: 'surplus',
  ioType: 'output',
  requestId: 'req-7',
  endpoint: '/v1/files',
  surplusAmount: 500,
});

describe('matchesFilter', () => {
  it('matches everything with an empty filter, and empty lists mean every value', () => {
    expect(matchesFilter(event, {})).to.equal(true);
    expect(matchesFilter(event, { userIds: [], poolCategories: [], ioTypes: [], endpoints: [] })).to.equal(true);
  });

  it('treats the range as half-open [from, to), with instants in any zone', () => {
    const range = { from: '2025-03-09T12:00:00+01:00', to: '2025-03-09T12:00:00.001+01:00' };
    expect(matchesFilter(event, range)).to.equal(true);
    expect(matchesFilter(event, { from: '2025-03-09T10:00:00Z', to: '2025-03-09T11:00:00Z' })).to.equal(false);
    expect(matchesFilter(event, { from: '2025-03-09T11:00:00.001Z', to: '2025-03-09T12:00:00Z' })).to.equal(false);
  });

  it('keeps a rolling range open at its end for live updates only when asked', () => {
    const past = { from: '2025-03-09T10:00:00Z', to: '2025-03-09T11:00:00Z' };
    expect(matchesFilter(event, past, { openEnd: true })).to.equal(true);
    expect(matchesFilter(event, { ...past, from: '2025-03-09T11:00:00.001Z' }, { openEnd: true })).to.equal(false);
  });

  it('tests each field: type, users, pools, I/O, endpoints, request ID', () => {
    expect(matchesFilter(event, { resourceType: 'storage' })).to.equal(true);
    expect(matchesFilter(event, { resourceType: 'tokens' })).to.equal(false);
    expect(matchesFilter(event, { userIds: ['u0', 'u1'] })).to.equal(true);
    expect(matchesFilter(event, { userIds: ['u0'] })).to.equal(false);
    expect(matchesFilter(event, { poolCategories: ['hybrid', 'surplus'] })).to.equal(true);
    expect(matchesFilter(event, { poolCategories: ['allocated'] })).to.equal(false);
    expect(matchesFilter(event, { ioTypes: ['input'] })).to.equal(false);
    expect(matchesFilter(event, { endpoints: ['/v1/files'] })).to.equal(true);
    expect(matchesFilter(event, { endpoints: ['/v1/chat'] })).to.equal(false);
    expect(matchesFilter(event, { requestId: 'req-7' })).to.equal(true);
    expect(matchesFilter(event, { requestId: 'req-70' })).to.equal(false);
  });

  it('bounds the amount inclusively at both ends', () => {
    expect(matchesFilter(event, { amountMin: 500, amountMax: 500 })).to.equal(true);
    expect(matchesFilter(event, { amountMin: 501 })).to.equal(false);
    expect(matchesFilter(event, { amountMax: 499 })).to.equal(false);
  });

  it('matches nothing against an unreadable range', () => {
    expect(matchesFilter(event, { from: 'yesterday', to: '2025-03-10T00:00:00Z' })).to.equal(false);
  });
});

describe('mayStillArrive', () => {
  const asOf = '2026-03-10T12:00:00.000Z';
  it('is true while the range ends after 24 hours before the answer (ingest takes `created` back that far), or has no end', () => {
    expect(mayStillArrive('2026-03-09T12:00:00.001Z', asOf)).to.equal(true);
    expect(mayStillArrive('2026-03-11T00:00:00.000Z', asOf)).to.equal(true);
    expect(mayStillArrive(undefined, asOf)).to.equal(true);
  });
  it('is false once it ended 24 hours or more before it: an event created then is refused', () => {
    expect(mayStillArrive('2026-03-09T12:00:00.000Z', asOf)).to.equal(false);
    expect(mayStillArrive('2026-02-01T00:00:00.000Z', asOf)).to.equal(false);
  });
});
