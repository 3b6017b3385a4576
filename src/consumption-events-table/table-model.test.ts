import { expect } from '@open-wc/testing';
import type { ConsumptionEvent } from '../api/contract.js';
import { COLUMNS, nextSort } from './columns.js';
import { compareEvents, placeInPage } from './ordering.js';
import { maxPageFor, pageAfterEmptyAnswer, summarizePage } from './paging.js';

function event(id: number, fields: Partial<ConsumptionEvent> = {}): ConsumptionEvent {
  return {
    id: String(id),
    created: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
    userId: 'u',
    amount: 10,
    resourceType: 'tokens',
    poolCategory: 'allocated',
    ioType: 'input',
    requestId: 'r',
    endpoint: '/v1/x',
    surplusAmount: 0,
    ...fields,
  };
}

describe('table model: columns', () => {
  it('sorts Created and Amount descending on a first click, the others ascending, and toggles', () => {
    const first = Object.fromEntries(COLUMNS.map((c) => [c.key, nextSort({ sort: 'created', order: 'desc' }, c).order]));
    expect(first).to.deep.equal({
      created: 'asc',
      userId: 'asc',
      amount: 'desc',
      resourceType: 'asc',
      poolCategory: 'asc',
      ioType: 'asc',
      requestId: 'asc',
      endpoint: 'asc',
    });
    const created = COLUMNS.find((c) => c.key === 'created')!;
    expect(nextSort({ sort: 'amount', order: 'asc' }, created)).to.deep.equal({ sort: 'created', order: 'desc' });
  });
});

describe('table model: the server order', () => {
  it('compares text by code point, amounts as numbers, ties by created then id, in one direction', () => {
    const a = event(1, { userId: '\u{1F600}' });
    const b = event(2, { userId: '\uFFFF' });
    expect(compareEvents(a, b, 'userId', 'asc')).to.be.greaterThan(0);
    expect(compareEvents(event(1, { amount: 9 }), event(2, { amount: 10 }), 'amount', 'asc')).to.be.lessThan(0);
    expect(compareEvents(event(1), event(2), 'endpoint', 'asc')).to.be.lessThan(0);
    expect(compareEvents(event(1), event(2), 'endpoint', 'desc')).to.be.greaterThan(0);
    const sameInstant = { created: '2026-01-01T00:00:00.000Z' };
    expect(compareEvents(event(10, sameInstant), event(9, sameInstant), 'created', 'asc')).to.be.greaterThan(0);
  });

  it('places a new event where it sorts into the page, or nowhere when it belongs to another page', () => {
    const items = [event(30), event(20), event(10)];
    const position = { items, page: 1, pageSize: 3, sort: 'created' as const, order: 'desc' as const };
    expect(placeInPage(event(40), position)).to.equal(0);
    expect(placeInPage(event(15), position)).to.equal(2);
    expect(placeInPage(event(5), position)).to.equal(null);
    expect(placeInPage(event(5), { ...position, pageSize: 4 })).to.equal(3);
    expect(placeInPage(event(40), { ...position, page: 2 })).to.equal(null);
    expect(placeInPage(event(25), { ...position, page: 2 })).to.equal(1);
    expect(placeInPage(event(1), { ...position, items: [] })).to.equal(0);
  });
});

describe('table model: paging', () => {
  it('summarizes an exact page', () => {
    expect(summarizePage(1, 25, 25, 60, true)).to.deep.equal({ first: 1, last: 25, lastPage: 3, maxPage: 3, hasPrevious: false, hasNext: true });
    expect(summarizePage(3, 25, 10, 60, true)).to.deep.include({ first: 51, last: 60, hasPrevious: true, hasNext: false });
    expect(summarizePage(1, 25, 0, 0, true)).to.deep.include({ first: 0, last: 0, lastPage: 1, hasNext: false });
  });

  it('keeps Next while inexact pages come back full, within the offset limit', () => {
    expect(summarizePage(5, 25, 25, 100_000, false)).to.deep.include({ lastPage: null, hasNext: true, maxPage: 40_001 });
    expect(summarizePage(5, 25, 24, 100_000, false).hasNext).to.equal(false);
    expect(summarizePage(40_001, 25, 25, 100_000, false).hasNext).to.equal(false);
    expect(maxPageFor(500)).to.equal(2_001);
  });

  it('sends an empty page past the end to the last page with rows', () => {
    expect(pageAfterEmptyAnswer(9, 25, 60)).to.equal(3);
    expect(pageAfterEmptyAnswer(1, 25, 60)).to.equal(null);
    expect(pageAfterEmptyAnswer(9, 25, 0)).to.equal(null);
    expect(pageAfterEmptyAnswer(9000, 25, 100_000)).to.equal(4_000);
    // Past the end of an inexact total: back to the later page shown with rows, if any.
    expect(pageAfterEmptyAnswer(11_424, 25, 100_000, false, 11_423)).to.equal(11_423);
    expect(pageAfterEmptyAnswer(11_424, 25, 100_000, false, 0)).to.equal(4_000);
    expect(pageAfterEmptyAnswer(11_424, 25, 100_000, false, 12)).to.equal(4_000);
    // An exact total is the end, whatever was shown before the data shrank.
    expect(pageAfterEmptyAnswer(9, 25, 60, true, 8)).to.equal(3);
  });
});
