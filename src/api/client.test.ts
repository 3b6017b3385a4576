import { expect } from '@open-wc/testing';
import {
  UsageApiError,
  configureUsageDashboard,
  downloadEventsCsv,
  eventsCsvRequest,
  fetchConsumption,
  fetchEndpoints,
  fetchEvents,
  fetchLimits,
  fetchSurplus,
  fetchUser,
  fetchUsers,
  fetchUsersById,
  isAbortError,
  type RequestOptions,
} from './client.js';
import { CSV_COLUMNS } from './contract.js';
import {
  FakeScheduler,
  deferred,
  errorResponse,
  jsonResponse,
  recordingFetch,
  sampleConsumptionSeries,
  sampleEndpointsPage,
  sampleEventsPage,
  sampleOrgLimits,
  sampleSurplusSeries,
  sampleUserDetail,
  sampleUsersPage,
  settle,
} from './test-fixtures.js';

const PAGE_OPTIONS_KEY = Symbol.for('usage-dashboard.request-options');

let endpointCount = 0;
/** A fresh endpoint per test, so that no in-flight request of another test is shared. */
function freshEndpoint(): string {
  return `/api-${++endpointCount}`;
}

async function rejection(promise: Promise<unknown>): Promise<UsageApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(UsageApiError);
    return error as UsageApiError;
  }
  throw new Error('expected the call to fail');
}

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[PAGE_OPTIONS_KEY];
});

describe('client: requests', () => {
  it('GETs the route under a relative endpoint with the encoded query and returns the checked answer', async () => {
    const endpoint = freshEndpoint();
    const { fetch, requests } = recordingFetch(() => jsonResponse(sampleEventsPage()));
    const page = await fetchEvents(`${endpoint}/`, { userIds: ['a', 'b'], page: 2 }, { requestOptions: { fetch } });
    expect(page).to.deep.equal(sampleEventsPage());
    expect(requests).to.have.length(1);
    const url = new URL(requests[0]!.url);
    expect(url.origin).to.equal(location.origin);
    expect(url.pathname).to.equal(`${endpoint}/events`);
    expect(url.searchParams.getAll('userId')).to.deep.equal(['a', 'b']);
    expect(requests[0]!.method).to.equal('GET');
    expect(requests[0]!.credentials).to.equal('same-origin');
    expect(requests[0]!.headers.get('Accept')).to.equal('application/json');
  });

  it('takes an absolute endpoint with or without a trailing slash', async () => {
    const { fetch, requests } = recordingFetch(() => jsonResponse(sampleOrgLimits()));
    await fetchLimits('https://usage.example.com/api', { requestOptions: { fetch } });
    await fetchLimits('https://usage.example.com/api//', { requestOptions: { fetch } });
    expect(requests.map((r) => r.url)).to.deep.equal([
      'https://usage.example.com/api/limits',
      'https://usage.example.com/api/limits',
    ]);
  });

  it('reads every route into its typed answer', async () => {
    const endpoint = freshEndpoint();
    const answers: Record<string, unknown> = {
      consumption: sampleConsumptionSeries(),
      surplus: sampleSurplusSeries(),
      users: sampleUsersPage(),
      'users/a%2Fb%20c': sampleUserDetail(),
      endpoints: sampleEndpointsPage(),
    };
    const { fetch, requests } = recordingFetch((request) => {
      const path = new URL(request.url).pathname.slice(endpoint.length + 1);
      return answers[path] ? jsonResponse(answers[path]) : errorResponse(404, 'not_found', `no ${path}`);
    });
    const options = { requestOptions: { fetch } };
    expect(await fetchConsumption(endpoint, { groupBy: 'userId' }, options)).to.deep.equal(sampleConsumptionSeries());
    expect(await fetchSurplus(endpoint, { resourceType: 'storage' }, options)).to.deep.equal(sampleSurplusSeries());
    expect(await fetchUsers(endpoint, { ids: ['u1'] }, options)).to.deep.equal(sampleUsersPage());
    expect(await fetchUser(endpoint, 'a/b c', options)).to.deep.equal(sampleUserDetail());
    expect(await fetchEndpoints(endpoint, { q: 'chat' }, options)).to.deep.equal(sampleEndpointsPage());
    expect(requests.map((r) => new URL(r.url).search)).to.deep.equal([
      '?groupBy=userId',
      '?resourceType=storage',
      '?id=u1',
      '',
      '?q=chat',
    ]);
  });

  it('fails clearly without a data endpoint, before any request', async () => {
    const { fetch, requests } = recordingFetch(() => jsonResponse(sampleEventsPage()));
    const error = await rejection(fetchEvents('  ', {}, { requestOptions: { fetch } }));
    expect(error.code).to.equal('bad_parameter');
    expect(error.param).to.equal('data-endpoint');
    expect(requests).to.have.length(0);
  });
});

describe('client: request options', () => {
  it('uses the page-wide options, and per-call options override them field by field', async () => {
    const endpoint = freshEndpoint();
    const page = recordingFetch(() => jsonResponse(sampleOrgLimits()));
    configureUsageDashboard({
      credentials: 'include',
      headers: { Authorization: 'Bearer page', 'X-Tenant': 't1' },
      fetch: page.fetch,
    });
    await fetchLimits(endpoint);
    expect(page.requests[0]!.credentials).to.equal('include');
    expect(page.requests[0]!.headers.get('Authorization')).to.equal('Bearer page');

    const own = recordingFetch(() => jsonResponse(sampleOrgLimits()));
    await fetchLimits(endpoint, {
      requestOptions: { fetch: own.fetch, credentials: 'omit', headers: async () => ({ Authorization: 'Bearer own' }) },
    });
    expect(page.requests).to.have.length(1);
    const request = own.requests[0]!;
    expect(request.credentials).to.equal('omit');
    expect(request.headers.get('Authorization')).to.equal('Bearer own');
    expect(request.headers.get('X-Tenant')).to.equal('t1');
  });

  it('keeps the page-wide options where every copy of the library finds them', () => {
    const options: RequestOptions = { credentials: 'include' };
    configureUsageDashboard(options);
    expect((globalThis as Record<symbol, unknown>)[PAGE_OPTIONS_KEY]).to.deep.equal(options);
  });

  it('sends a request with static headers in the caller\'s task, before any other work is queued', async () => {
    const endpoint = freshEndpoint();
    const { fetch, requests } = recordingFetch(() => jsonResponse(sampleOrgLimits()));
    const answer = fetchLimits(endpoint, { requestOptions: { fetch, headers: { Authorization: 'Bearer static' } } });
    expect(requests, 'fetch called synchronously').to.have.length(1);
    expect(requests[0]!.headers.get('Authorization')).to.equal('Bearer static');
    await answer;
  });

  it('calls a headers function before each request, and reports when it fails', async () => {
    const endpoint = freshEndpoint();
    let token = 0;
    const { fetch, requests } = recordingFetch(() => jsonResponse(sampleOrgLimits()));
    const requestOptions: RequestOptions = { fetch, headers: () => ({ Authorization: `Bearer ${++token}` }) };
    await fetchLimits(endpoint, { requestOptions });
    await fetchLimits(endpoint, { requestOptions });
    expect(requests.map((r) => r.headers.get('Authorization'))).to.deep.equal(['Bearer 1', 'Bearer 2']);

    const failing: RequestOptions = {
      fetch,
      headers: () => Promise.reject(new Error('token expired')),
    };
    const error = await rejection(fetchLimits(endpoint, { requestOptions: failing }));
    expect(error.code).to.equal('unauthorized');
    expect(error.message).to.contain('token expired');
    const throwing: RequestOptions = {
      fetch,
      headers: () => {
        throw new Error('no session');
      },
    };
    const thrown = await rejection(fetchLimits(endpoint, { requestOptions: throwing }));
    expect(thrown.code).to.equal('unauthorized');
    expect(thrown.message).to.contain('no session');
    expect(requests).to.have.length(2);
  });
});

describe('client: errors', () => {
  it("turns the endpoint's {error} body into a typed error with its message, and does not retry a 400", async () => {
    const { fetch, requests } = recordingFetch(() =>
      errorResponse(400, 'bad_parameter', 'amountMin needs a resourceType.', { param: 'amountMin' }),
    );
    const error = await rejection(fetchEvents(freshEndpoint(), { amountMin: 5 }, { requestOptions: { fetch } }));
    expect(error.code).to.equal('bad_parameter');
    expect(error.message).to.equal('amountMin needs a resourceType.');
    expect(error.param).to.equal('amountMin');
    expect(error.status).to.equal(400);
    expect(error.url).to.equal(requests[0]!.url);
    expect(requests).to.have.length(1);
  });

  it('keeps the details of a limit error', async () => {
    const details = { baseLeft: 0, surplusLeft: 10, weeklyLeft: null, freesAt: null };
    const { fetch } = recordingFetch(() => jsonResponse({ error: { code: 'limit_exceeded', message: 'Over.', details } }, 422));
    const error = await rejection(fetchLimits(freshEndpoint(), { requestOptions: { fetch } }));
    expect(error.code).to.equal('limit_exceeded');
    expect(error.details).to.deep.equal(details);
  });

  it('names an error answer without a contract body by its status', async () => {
    const { fetch, requests } = recordingFetch(
      () => new Response('<h1>Not here</h1>', { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'text/html' } }),
    );
    const error = await rejection(fetchLimits(freshEndpoint(), { requestOptions: { fetch } }));
    expect(error.code).to.equal('not_found');
    expect(error.status).to.equal(404);
    expect(error.message).to.equal('The data endpoint answered HTTP 404 (Not Found).');
    expect(requests).to.have.length(1);
  });

  it('reports malformed JSON as malformed', async () => {
    const { fetch } = recordingFetch(() => new Response('{"items": [', { status: 200 }));
    const error = await rejection(fetchEvents(freshEndpoint(), {}, { requestOptions: { fetch } }));
    expect(error.code).to.equal('malformed');
    expect(error.message).to.equal('The data endpoint sent an answer that is not valid JSON.');
  });

  it('reports a wrong-shaped answer with the path of the bad field', async () => {
    const page = sampleEventsPage() as unknown as { items: { amount: unknown }[] };
    page.items[1]!.amount = '12';
    const { fetch } = recordingFetch(() => jsonResponse(page));
    const error = await rejection(fetchEvents(freshEndpoint(), {}, { requestOptions: { fetch } }));
    expect(error.code).to.equal('malformed');
    expect(error.message).to.contain('items[1].amount: expected a non-negative integer');
    expect(error.details).to.deep.equal({ path: 'items[1].amount' });
  });
});

describe('client: retries and timeouts', () => {
  it('retries a network failure at most 3 times with full-jitter back-off, then reports it', async () => {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0.5;
    const { fetch, requests } = recordingFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const result = rejection(fetchLimits(freshEndpoint(), { requestOptions: { fetch }, scheduler }));
    await scheduler.advance(10_000);
    const error = await result;
    expect(error.code).to.equal('network');
    expect(error.message).to.contain('Failed to fetch');
    expect(requests).to.have.length(4);
    const backOffs = scheduler.delays.filter((d) => d !== 30_000);
    expect(backOffs).to.deep.equal([150, 300, 600]);
  });

  it('caps the back-off at 5 s', async () => {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0.999;
    const { fetch } = recordingFetch(() => new Response('', { status: 503 }));
    const result = rejection(fetchLimits(freshEndpoint(), { requestOptions: { fetch }, scheduler }));
    await scheduler.advance(10_000);
    expect((await result).status).to.equal(503);
    expect(scheduler.delays.filter((d) => d !== 30_000)).to.deep.equal([299, 599, 1198]);
  });

  it('retries a 502, 503 or 504 and resolves when the endpoint recovers', async () => {
    const scheduler = new FakeScheduler();
    const statuses = [502, 503, 504];
    const { fetch, requests } = recordingFetch((_r, i) =>
      i < statuses.length ? new Response('', { status: statuses[i]! }) : jsonResponse(sampleOrgLimits()),
    );
    const result = fetchLimits(freshEndpoint(), { requestOptions: { fetch }, scheduler });
    await scheduler.advance(10_000);
    expect(await result).to.deep.equal(sampleOrgLimits());
    expect(requests).to.have.length(4);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    const scheduler = new FakeScheduler();
    const { fetch, requests } = recordingFetch((_r, i) =>
      i === 0 ? errorResponse(429, 'rate_limited', 'Slow down.', { headers: { 'Retry-After': '2' } }) : jsonResponse(sampleOrgLimits()),
    );
    const result = fetchLimits(freshEndpoint(), { requestOptions: { fetch }, scheduler });
    await scheduler.advance(1_999);
    expect(requests).to.have.length(1);
    await scheduler.advance(1);
    expect(requests).to.have.length(2);
    expect(await result).to.deep.equal(sampleOrgLimits());
  });

  it('honours Retry-After as an HTTP date', async () => {
    const scheduler = new FakeScheduler();
    const at = new Date(scheduler.time + 3_000).toUTCString();
    const { fetch, requests } = recordingFetch((_r, i) =>
      i === 0 ? new Response('', { status: 503, headers: { 'Retry-After': at } }) : jsonResponse(sampleOrgLimits()),
    );
    const result = fetchLimits(freshEndpoint(), { requestOptions: { fetch }, scheduler });
    await scheduler.advance(2_999);
    expect(requests).to.have.length(1);
    await scheduler.advance(1);
    expect(await result).to.deep.equal(sampleOrgLimits());
    expect(requests).to.have.length(2);
  });

  it('does not wait for a Retry-After beyond a minute: the error carries it', async () => {
    const scheduler = new FakeScheduler();
    const { fetch, requests } = recordingFetch(() =>
      errorResponse(429, 'rate_limited', 'Try again in two minutes.', { headers: { 'Retry-After': '120' } }),
    );
    const error = await rejection(fetchLimits(freshEndpoint(), { requestOptions: { fetch }, scheduler }));
    expect(error.code).to.equal('rate_limited');
    expect(error.retryAfterMs).to.equal(120_000);
    expect(requests).to.have.length(1);
  });

  it('gives up when a headers function does not settle within the timeout, sending nothing', async () => {
    const scheduler = new FakeScheduler();
    const { fetch, requests } = recordingFetch(() => jsonResponse(sampleOrgLimits()));
    let failed: UsageApiError | undefined;
    fetchLimits(freshEndpoint(), { requestOptions: { fetch, headers: () => new Promise<HeadersInit>(() => {}) }, scheduler, timeoutMs: 5_000 }).catch(
      (error: UsageApiError) => (failed = error),
    );
    await scheduler.advance(5_000);
    expect(failed?.code).to.equal('timeout');
    expect(failed?.message).to.equal('The request headers were not ready within 5 s.');
    expect(requests).to.have.length(0);
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    const scheduler = new FakeScheduler();
    const { fetch, requests } = recordingFetch(() => new Promise<Response>(() => {}));
    const result = rejection(fetchLimits(freshEndpoint(), { requestOptions: { fetch }, scheduler, timeoutMs: 5_000 }));
    await scheduler.advance(4_999);
    expect(requests).to.have.length(1);
    await scheduler.advance(1);
    const error = await result;
    expect(error.code).to.equal('timeout');
    expect(requests[0]!.signal.aborted).to.equal(true);
    expect(requests).to.have.length(1);
  });
});

describe('client: abort and sharing', () => {
  it('rejects an aborted call with an AbortError and never hands it the stale answer', async () => {
    const answer = deferred<Response>();
    const { fetch, requests } = recordingFetch(() => answer.promise);
    const controller = new AbortController();
    const result = fetchEvents(freshEndpoint(), {}, { requestOptions: { fetch }, signal: controller.signal });
    await settle();
    controller.abort();
    const error = await rejection(result);
    expect(isAbortError(error)).to.equal(true);
    expect(error.code).to.equal('aborted');
    expect(requests[0]!.signal.aborted).to.equal(true);
    answer.resolve(jsonResponse(sampleEventsPage()));
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { fetch, requests } = recordingFetch(() => jsonResponse(sampleEventsPage()));
    const error = await rejection(fetchEvents(freshEndpoint(), {}, { requestOptions: { fetch }, signal: AbortSignal.abort() }));
    expect(isAbortError(error)).to.equal(true);
    await settle();
    expect(requests.every((r) => r.signal.aborted)).to.equal(true);
  });

  it('shares one fetch between identical in-flight requests', async () => {
    const endpoint = freshEndpoint();
    const answer = deferred<Response>();
    const { fetch, requests } = recordingFetch(() => answer.promise);
    const requestOptions = { fetch };
    const first = fetchEvents(endpoint, { page: 1 }, { requestOptions });
    const second = fetchEvents(endpoint, { page: 1 }, { requestOptions });
    await settle();
    expect(requests).to.have.length(1);
    answer.resolve(jsonResponse(sampleEventsPage()));
    const [a, b] = await Promise.all([first, second]);
    expect(a).to.deep.equal(sampleEventsPage());
    expect(b).to.equal(a);

    const { fetch: again, requests: later } = recordingFetch(() => jsonResponse(sampleEventsPage()));
    requestOptions.fetch = again;
    await fetchEvents(endpoint, { page: 1 }, { requestOptions });
    expect(later).to.have.length(1);
  });

  it('asks for users by ID sorted and once each, so the same users named in another order share the fetch', async () => {
    const endpoint = freshEndpoint();
    const answer = deferred<Response>();
    const { fetch, requests } = recordingFetch(() => answer.promise.then((r) => r.clone()));
    const requestOptions = { fetch };
    const first = fetchUsersById(endpoint, ['u_b', 'u_a', 'u_b'], { requestOptions });
    const second = fetchUsersById(endpoint, ['u_a', 'u_b'], { requestOptions });
    await settle();
    expect(requests).to.have.length(1);
    expect(new URL(requests[0]!.url, location.href).searchParams.getAll('id')).to.deep.equal(['u_a', 'u_b']);
    answer.resolve(jsonResponse(sampleUsersPage()));
    const [a, b] = await Promise.all([first, second]);
    expect(a).to.deep.equal(sampleUsersPage().items);
    expect(b).to.deep.equal(a);
  });

  it('does not share across different queries, option objects or page-wide options', async () => {
    const endpoint = freshEndpoint();
    const answer = deferred<Response>();
    const { fetch, requests } = recordingFetch(() => answer.promise.then((r) => r.clone()));
    const requestOptions = { fetch };
    const calls = [
      fetchEvents(endpoint, { page: 1 }, { requestOptions }),
      fetchEvents(endpoint, { page: 2 }, { requestOptions }),
      fetchEvents(endpoint, { page: 1 }, { requestOptions: { fetch } }),
    ];
    configureUsageDashboard({ headers: { Authorization: 'Bearer other' } });
    calls.push(fetchEvents(endpoint, { page: 1 }, { requestOptions }));
    await settle();
    expect(requests).to.have.length(4);
    answer.resolve(jsonResponse(sampleEventsPage()));
    await Promise.all(calls);
  });

  it('lets one caller abort without breaking the other, and stops the fetch when every caller has aborted', async () => {
    const endpoint = freshEndpoint();
    const answer = deferred<Response>();
    const { fetch, requests } = recordingFetch(() => answer.promise);
    const requestOptions = { fetch };
    const leaving = new AbortController();
    const staying = new AbortController();
    const left = fetchEvents(endpoint, {}, { requestOptions, signal: leaving.signal });
    const stayed = fetchEvents(endpoint, {}, { requestOptions, signal: staying.signal });
    await settle();
    leaving.abort();
    expect(isAbortError(await rejection(left))).to.equal(true);
    expect(requests[0]!.signal.aborted).to.equal(false);
    answer.resolve(jsonResponse(sampleEventsPage()));
    expect(await stayed).to.deep.equal(sampleEventsPage());

    const pending = deferred<Response>();
    const next = recordingFetch(() => pending.promise);
    requestOptions.fetch = next.fetch;
    const a = new AbortController();
    const b = new AbortController();
    const calls = [a, b].map((c) => rejection(fetchEvents(endpoint, {}, { requestOptions, signal: c.signal })));
    await settle();
    a.abort();
    await settle();
    expect(next.requests[0]!.signal.aborted).to.equal(false);
    b.abort();
    expect((await Promise.all(calls)).map((e) => e.code)).to.deep.equal(['aborted', 'aborted']);
    expect(next.requests[0]!.signal.aborted).to.equal(true);
  });

  it('starts a fresh fetch when a caller comes after every earlier caller aborted', async () => {
    const endpoint = freshEndpoint();
    const { fetch, requests } = recordingFetch((_r, i) => (i === 0 ? new Promise<Response>(() => {}) : jsonResponse(sampleOrgLimits())));
    const requestOptions = { fetch };
    const controller = new AbortController();
    const first = rejection(fetchLimits(endpoint, { requestOptions, signal: controller.signal }));
    await settle();
    controller.abort();
    await first;
    expect(await fetchLimits(endpoint, { requestOptions })).to.deep.equal(sampleOrgLimits());
    expect(requests).to.have.length(2);
  });
});

describe('client: CSV', () => {
  const csv = `${CSV_COLUMNS.join(',')}\r\n2025-03-09T11:00:41.000Z,u1,12,tokens,allocated,input,r1,/v1/chat,0,41\r\n`;

  it('fetches events.csv through the request options with the filters and sort', async () => {
    const endpoint = freshEndpoint();
    const { fetch, requests } = recordingFetch(
      () => new Response(csv, { headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="org-events.csv"' } }),
    );
    const file = await eventsCsvRequest(
      endpoint,
      { requestId: 'r1', sort: 'amount', order: 'asc' },
      { requestOptions: { fetch, headers: { Authorization: 'Bearer t' } } },
    );
    expect(await file.blob.text()).to.equal(csv);
    expect(file.blob.type).to.equal('text/csv');
    expect(file.filename).to.equal('org-events.csv');
    const url = new URL(requests[0]!.url);
    expect(url.pathname).to.equal(`${endpoint}/events.csv`);
    expect(url.search).to.equal('?requestId=r1&sort=amount&order=asc');
    expect(requests[0]!.headers.get('Authorization')).to.equal('Bearer t');
    expect(requests[0]!.headers.get('Accept')).to.equal('text/csv');
  });

  it('rejects a file without the header row, and passes on the 400 of a file too large', async () => {
    const wrong = recordingFetch(() => new Response('<html>login</html>', { status: 200 }));
    expect((await rejection(eventsCsvRequest(freshEndpoint(), {}, { requestOptions: { fetch: wrong.fetch } }))).code).to.equal(
      'malformed',
    );
    const large = recordingFetch(() => errorResponse(400, 'bad_parameter', 'More than 1,000,000 rows.', { param: 'from' }));
    const error = await rejection(eventsCsvRequest(freshEndpoint(), {}, { requestOptions: { fetch: large.fetch } }));
    expect(error.message).to.equal('More than 1,000,000 rows.');
  });

  it('lets a long CSV download run past the timeout while its rows keep coming, and times out a download that stalls', async () => {
    const scheduler = new FakeScheduler();
    const encoder = new TextEncoder();
    let body!: ReadableStreamDefaultController<Uint8Array>;
    const { fetch } = recordingFetch(
      () => new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (body = controller) }), { headers: { 'Content-Type': 'text/csv' } }),
    );
    const [header, row] = csv.split('\r\n');
    let settled = false;
    const download = eventsCsvRequest(freshEndpoint(), {}, { requestOptions: { fetch }, scheduler, timeoutMs: 5_000 });
    void download.then(() => (settled = true), () => (settled = true));
    body.enqueue(encoder.encode(`${header}\r\n`));
    for (let chunk = 0; chunk < 4; chunk++) {
      await scheduler.advance(4_000);
      body.enqueue(encoder.encode(`${row}\r\n`));
    }
    await settle();
    expect(settled, 'still downloading after 16 s of steady rows').to.equal(false);
    body.close();
    const file = await download;
    expect(await file.blob.text()).to.equal(`${header}\r\n${`${row}\r\n`.repeat(4)}`);

    const stalled = rejection(eventsCsvRequest(freshEndpoint(), {}, { requestOptions: { fetch }, scheduler, timeoutMs: 5_000 }));
    await settle();
    body.enqueue(encoder.encode(`${header}\r\n`));
    await scheduler.advance(4_999);
    body.enqueue(encoder.encode(`${row}\r\n`));
    await scheduler.advance(5_000);
    const error = await stalled;
    expect(error.code).to.equal('timeout');
    expect(error.message).to.equal('The data endpoint stopped sending its answer for 5 s.');
  });

  it('saves the file as a download from a Blob URL', async () => {
    const { fetch } = recordingFetch(() => new Response(csv));
    const clicked: HTMLAnchorElement[] = [];
    const onClick = (event: MouseEvent): void => {
      const anchor = event.target as HTMLAnchorElement;
      clicked.push(anchor);
      event.preventDefault();
    };
    document.addEventListener('click', onClick, true);
    try {
      const file = await downloadEventsCsv(freshEndpoint(), {}, { requestOptions: { fetch } });
      expect(file.filename).to.equal('usage-events.csv');
      expect(clicked).to.have.length(1);
      expect(clicked[0]!.download).to.equal('usage-events.csv');
      expect(clicked[0]!.href).to.match(/^blob:/);
      expect(await (await window.fetch(clicked[0]!.href)).text()).to.equal(csv);
      expect(clicked[0]!.isConnected).to.equal(false);
      await downloadEventsCsv(freshEndpoint(), {}, { requestOptions: { fetch }, filename: 'mine.csv' });
      expect(clicked[1]!.download).to.equal('mine.csv');
    } finally {
      document.removeEventListener('click', onClick, true);
    }
  });
});
