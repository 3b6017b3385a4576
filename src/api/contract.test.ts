import { expect } from '@open-wc/testing';
import {
  ContractShapeError,
  compareCodePoints,
  consumptionParams,
  encodeQuery,
  endpointsParams,
  eventsCsvParams,
  eventsParams,
  streamParams,
  surplusParams,
  usersParams,
  validateAnswer,
  type AnswerKind,
} from './contract.js';
import {
  sampleConsumptionSeries,
  sampleEndpointsPage,
  sampleEvent,
  sampleEventsPage,
  sampleOrgLimits,
  sampleSurplusSeries,
  sampleUserDetail,
  sampleUsersPage,
} from './test-fixtures.js';

describe('encodeQuery', () => {
  it('repeats repeatable parameters and leaves out nullish values and empty arrays', () => {
    expect(encodeQuery({ userId: ['a', 'b'], poolCategory: [], q: undefined, tz: null, page: 2, exact: true })).to.equal(
      'userId=a&userId=b&page=2&exact=true',
    );
  });

  it('encodes reserved and non-ASCII characters so that they survive a round trip', () => {
    const encoded = encodeQuery({ userId: ['a&b=c', 'ü 😀', '100%'], from: '2025-03-09T00:00:00.000+01:00' });
    const decoded = new URLSearchParams(encoded);
    expect(decoded.getAll('userId')).to.deep.equal(['a&b=c', 'ü 😀', '100%']);
    expect(decoded.get('from')).to.equal('2025-03-09T00:00:00.000+01:00');
  });

  it('keeps an empty string, which is a value', () => {
    expect(encodeQuery({ q: '' })).to.equal('q=');
  });
});

describe('query builders', () => {
  it('maps the events query to the contract names, instants as given', () => {
    const params = eventsParams({
      from: '2025-03-02T00:00:00.000Z',
      to: '2025-03-09T00:00:00.000Z',
      resourceType: 'storage',
      userIds: ['u1', 'u2'],
      poolCategories: ['surplus', 'hybrid'],
      ioTypes: ['output'],
      endpoints: ['/v1/a', '/v1/b'],
      amountMin: 0,
      amountMax: 5000,
      requestId: 'req-1',
      tz: 'Europe/Berlin',
      sort: 'amount',
      order: 'asc',
      page: 3,
      pageSize: 50,
    });
    expect([...params]).to.deep.equal([
      ['from', '2025-03-02T00:00:00.000Z'],
      ['to', '2025-03-09T00:00:00.000Z'],
      ['resourceType', 'storage'],
      ['userId', 'u1'],
      ['userId', 'u2'],
      ['poolCategory', 'surplus'],
      ['poolCategory', 'hybrid'],
      ['ioType', 'output'],
      ['amountMin', '0'],
      ['amountMax', '5000'],
      ['requestId', 'req-1'],
      ['endpoint', '/v1/a'],
      ['endpoint', '/v1/b'],
      ['tz', 'Europe/Berlin'],
      ['sort', 'amount'],
      ['order', 'asc'],
      ['page', '3'],
      ['pageSize', '50'],
    ]);
  });

  it('sends no paging with the CSV and no request ID with consumption', () => {
    const csv = eventsCsvParams({ requestId: 'r', sort: 'created', order: 'desc', ...{ page: 2, pageSize: 10 } });
    expect([...csv.keys()]).to.deep.equal(['requestId', 'sort', 'order']);
    const consumption = consumptionParams({ userIds: ['u'], bucket: 'hour', groupBy: 'userId', ...{ requestId: 'r' } });
    expect([...consumption]).to.deep.equal([
      ['userId', 'u'],
      ['bucket', 'hour'],
      ['groupBy', 'userId'],
    ]);
  });

  it('builds the surplus, users, endpoints and stream queries with only their own parameters', () => {
    expect(surplusParams({ from: 'a', to: 'b', resourceType: 'ocr', bucket: 'day', tz: 'UTC' }).toString()).to.equal(
      'from=a&to=b&resourceType=ocr&bucket=day&tz=UTC',
    );
    expect(usersParams({ q: 'ad', ids: ['u1', 'u2'], limit: 20, offset: 40 }).toString()).to.equal(
      'q=ad&id=u1&id=u2&limit=20&offset=40',
    );
    expect(endpointsParams({ q: 'chat', limit: 10 }).toString()).to.equal('q=chat&limit=10');
    expect(streamParams({ after: '42' }).toString()).to.equal('after=42');
    expect(streamParams({ userIds: ['u'], after: '7' }).toString()).to.equal('userId=u&after=7');
  });
});

type Mutation = (answer: Record<string, unknown>) => void;

const samples: Record<Exclude<AnswerKind, 'errorBody' | 'consumptionEvents' | 'streamReset'>, () => object> = {
  eventsPage: sampleEventsPage,
  consumptionSeries: sampleConsumptionSeries,
  surplusSeries: sampleSurplusSeries,
  usersPage: sampleUsersPage,
  userDetail: sampleUserDetail,
  endpointsPage: sampleEndpointsPage,
  orgLimits: sampleOrgLimits,
};

function messageOf(kind: AnswerKind, value: unknown): string {
  try {
    validateAnswer(kind, value);
  } catch (error) {
    expect(error).to.be.instanceOf(ContractShapeError);
    return (error as Error).message;
  }
  throw new Error('expected the validator to reject the answer');
}

function rejects(kind: keyof typeof samples, mutate: Mutation, message: string): void {
  const answer = samples[kind]() as Record<string, unknown>;
  mutate(answer);
  expect(messageOf(kind, answer)).to.equal(message);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the mutations break typed samples on purpose */
describe('answer validators', () => {
  for (const [kind, sample] of Object.entries(samples)) {
    it(`accepts a well-formed ${kind} and returns it`, () => {
      const answer = sample();
      expect(validateAnswer(kind as AnswerKind, answer)).to.equal(answer);
    });
  }

  it('names the path of a bad field in an events page', () => {
    rejects('eventsPage', (a: any) => (a.items[1].amount = -1), 'items[1].amount: expected a non-negative integer');
    rejects('eventsPage', (a: any) => (a.items[0].amount = 1.5), 'items[0].amount: expected a non-negative integer');
    rejects('eventsPage', (a: any) => (a.items[0].resourceType = 'gold'), 'items[0].resourceType: expected one of "tokens", "storage", "ocr"');
    rejects('eventsPage', (a: any) => (a.items[0].poolCategory = null), 'items[0].poolCategory: expected one of "allocated", "surplus", "hybrid"');
    rejects('eventsPage', (a: any) => (a.items[0].ioType = 'both'), 'items[0].ioType: expected one of "input", "output"');
    rejects('eventsPage', (a: any) => (a.items[0].id = 42), 'items[0].id: expected an event id (a decimal integer)');
    rejects('eventsPage', (a: any) => (a.items[0].id = '9007199254740993'), 'items[0].id: expected an event id (a decimal integer)');
    rejects('eventsPage', (a: any) => (a.items[0].created = '2025-03-09 10:00'), 'items[0].created: expected an instant with a zone');
    rejects('eventsPage', (a: any) => delete a.items[0].userId, 'items[0].userId: expected a string');
    rejects('eventsPage', (a: any) => (a.items[0].surplusAmount = 5000), 'items[0].surplusAmount: expected at most the amount');
    rejects('eventsPage', (a: any) => (a.items = {}), 'items: expected an array');
    rejects('eventsPage', (a: any) => (a.totalIsExact = 'yes'), 'totalIsExact: expected a boolean');
    rejects('eventsPage', (a: any) => (a.page = 0), 'page: expected a positive integer');
    rejects('eventsPage', (a: any) => delete a.asOf, 'asOf: expected an instant with a zone');
    rejects('eventsPage', (a: any) => (a.lastEventId = ''), 'lastEventId: expected an event id (a decimal integer)');
  });

  it('rejects a series of more buckets than the contract allows, or with a bucket not after the one before', () => {
    for (const kind of ['consumptionSeries', 'surplusSeries'] as const) {
      rejects(kind, (a: any) => (a.points = Array.from({ length: 20_001 }, () => a.points[0])), 'points: expected at most 20000 buckets');
      rejects(kind, (a: any) => (a.points[1].t = a.points[0].t), 'points[1].t: expected after the bucket before');
      rejects(kind, (a: any) => a.points.reverse(), 'points[1].t: expected after the bucket before');
    }
  });

  it('rejects an answer that is not an object at all', () => {
    expect(messageOf('eventsPage', null)).to.equal('answer: expected an object');
    expect(messageOf('eventsPage', [])).to.equal('answer: expected an object');
    expect(messageOf('consumptionEvents', { items: [] })).to.equal('answer: expected an array');
  });

  it('checks a consumption series, its unit and that every point holds every group', () => {
    rejects('consumptionSeries', (a: any) => (a.bucket = 'auto'), 'bucket: expected one of "minute", "hour", "day", "week"');
    rejects('consumptionSeries', (a: any) => (a.groupBy = 'resourceType'), 'groupBy: expected one of "ioType", "poolCategory", "userId", "endpoint"');
    rejects('consumptionSeries', (a: any) => (a.unit = 'bytes'), 'unit: expected "tokens"');
    rejects('consumptionSeries', (a: any) => delete a.points[1].byGroup.output, 'points[1].byGroup.output: expected a non-negative integer');
    rejects('consumptionSeries', (a: any) => (a.points[0].byGroup.other = 'x'), 'points[0].byGroup.other: expected a non-negative integer');
    rejects('consumptionSeries', (a: any) => (a.points[0].other = -2), 'points[0].other: expected a non-negative integer');
    rejects('consumptionSeries', (a: any) => (a.groups = ['input', 3]), 'groups[1]: expected a string');
    rejects('consumptionSeries', (a: any) => (a.total = '35'), 'total: expected a non-negative integer');
  });

  it('checks a surplus series, its points and its projection', () => {
    rejects('surplusSeries', (a: any) => (a.unit = 'tokens'), 'unit: expected "bytes"');
    rejects('surplusSeries', (a: any) => (a.points[1].usersOverBase = -1), 'points[1].usersOverBase: expected a non-negative integer');
    rejects('surplusSeries', (a: any) => (a.points[0].available = 0.5), 'points[0].available: expected an integer');
    rejects('surplusSeries', (a: any) => (a.projection.exhaustedAt = 'soon'), 'projection.exhaustedAt: expected an instant with a zone');
    rejects('surplusSeries', (a: any) => (a.projection.ratePerDay = Number.NaN), 'projection.ratePerDay: expected a finite number');
    rejects('surplusSeries', (a: any) => delete a.projection, 'projection: expected an object');
    const noExhaustion = sampleSurplusSeries();
    noExhaustion.projection.exhaustedAt = null;
    noExhaustion.points[0]!.available = -10;
    expect(validateAnswer('surplusSeries', noExhaustion)).to.equal(noExhaustion);
  });

  it('checks users, a user with limits, endpoints and the organization limits', () => {
    rejects('usersPage', (a: any) => (a.items[1].email = 7), 'items[1].email: expected a string');
    rejects('usersPage', (a: any) => (a.items[0].id = undefined), 'items[0].id: expected a string');
    rejects('userDetail', (a: any) => delete a.limits.ocr, 'limits.ocr: expected an object');
    rejects('userDetail', (a: any) => (a.limits.storage.surplusPer4h = -5), 'limits.storage.surplusPer4h: expected a non-negative integer');
    rejects('endpointsPage', (a: any) => (a.items[0].events = '900'), 'items[0].events: expected a non-negative integer');
    rejects('orgLimits', (a: any) => (a.surplusCapacity.storage = null), 'surplusCapacity.storage: expected a non-negative integer');
    rejects('orgLimits', (a: any) => delete a.weeklyTokensUsed, 'weeklyTokensUsed: expected a non-negative integer');
  });

  it('checks error bodies, stream batches and stream resets', () => {
    const body = { error: { code: 'bad_parameter', message: 'from must be before to', param: 'from' } };
    expect(validateAnswer('errorBody', body)).to.equal(body);
    expect(messageOf('errorBody', { error: { code: 'oops', message: 'x' } })).to.match(/^error\.code: expected one of "bad_parameter"/);
    expect(messageOf('errorBody', { error: { code: 'internal' } })).to.equal('error.message: expected a string');
    expect(messageOf('errorBody', { error: { code: 'internal', message: 'm', details: [1] } })).to.equal(
      'error.details: expected an object',
    );
    const batch = [sampleEvent(1), sampleEvent(2)];
    expect(validateAnswer('consumptionEvents', batch)).to.equal(batch);
    expect(messageOf('consumptionEvents', [sampleEvent(1), { ...sampleEvent(2), endpoint: 3 }])).to.equal(
      '[1].endpoint: expected a string',
    );
    expect(validateAnswer('streamReset', { lastEventId: '0' })).to.deep.equal({ lastEventId: '0' });
    expect(messageOf('streamReset', { lastEventId: '01' })).to.equal('lastEventId: expected an event id (a decimal integer)');
  });
});
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('compareCodePoints', () => {
  it('orders astral characters after the top of the BMP, as UTF-8 bytes do', () => {
    expect(['😀', '\uffff', 'a'].sort(compareCodePoints)).to.deep.equal(['a', '\uffff', '😀']);
  });
});
