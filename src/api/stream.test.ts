import { expect } from '@open-wc/testing';
import type { UsageApiError } from './client.js';
import type { ConsumptionEvent } from './contract.js';
import { STREAM_SILENCE_MS, subscribeToLiveEvents, type LiveStatus, type LiveSubscription } from './stream.js';
import { FakeScheduler, errorResponse, recordingFetch, sampleEvent, settle } from './test-fixtures.js';

interface Connection {
  request: Request;
  push(text: string): void;
  end(): void;
  cancelled: boolean;
}

/** A fetch answering each stream request with a body the test writes to. */
function streamServer(answer?: (request: Request, index: number) => Response | undefined) {
  const connections: Connection[] = [];
  const encoder = new TextEncoder();
  const { fetch, requests } = recordingFetch((request, index) => {
    const given = answer?.(request, index);
    if (given) return given;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const connection: Connection = {
      request,
      push: (text) => controller.enqueue(encoder.encode(text)),
      end: () => controller.close(),
      cancelled: false,
    };
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => {
        connection.cancelled = true;
      },
    });
    connections.push(connection);
    return new Response(body, { headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
  });
  return { fetch, requests, connections };
}

function batch(events: ConsumptionEvent[]): string {
  return `event: consumption\nid: ${events.at(-1)!.id}\ndata: ${JSON.stringify(events)}\n\n`;
}

function reset(lastEventId: string): string {
  return `event: reset\ndata: ${JSON.stringify({ lastEventId })}\n\n`;
}

/** A subscriber that records what it receives. */
function recorder(endpoint: string, fetch: typeof globalThis.fetch, scheduler: FakeScheduler, after = '10') {
  const received: string[][] = [];
  const resets: string[] = [];
  const statuses: [LiveStatus, string | undefined][] = [];
  const errors: (UsageApiError | undefined)[] = [];
  const subscription: LiveSubscription = {
    endpoint,
    requestOptions: { fetch },
    after,
    scheduler,
    onEvents: (events) => received.push(events.map((e) => e.id)),
    onReset: (id) => resets.push(id),
    onStatus: (status, error?: UsageApiError) => {
      statuses.push([status, error?.code]);
      errors.push(error);
    },
  };
  return { subscription, received, resets, statuses, errors };
}

let endpointCount = 0;
function freshEndpoint(): string {
  return `/live-${++endpointCount}`;
}

const unsubscribers: (() => void)[] = [];
afterEach(() => {
  while (unsubscribers.length) unsubscribers.pop()!();
});

function follow(subscription: LiveSubscription): () => void {
  const unsubscribe = subscribeToLiveEvents(subscription);
  unsubscribers.push(unsubscribe);
  return unsubscribe;
}

describe('live stream', () => {
  it('opens one connection for several subscribers, after the first one’s id, through the request options', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const endpoint = freshEndpoint();
    const requestOptions = { fetch: server.fetch, headers: { Authorization: 'Bearer live' }, credentials: 'include' as const };
    const a = recorder(endpoint, server.fetch, scheduler, '10');
    const b = recorder(endpoint, server.fetch, scheduler, '12');
    follow({ ...a.subscription, requestOptions });
    await settle();
    follow({ ...b.subscription, requestOptions });
    await settle();
    expect(server.requests).to.have.length(1);
    const request = server.requests[0]!;
    const url = new URL(request.url);
    expect(url.pathname).to.equal(`${endpoint}/events/stream`);
    expect(url.search).to.equal('?after=10');
    expect(request.headers.get('Last-Event-ID')).to.equal('10');
    expect(request.headers.get('Accept')).to.equal('text/event-stream');
    expect(request.headers.get('Authorization')).to.equal('Bearer live');
    expect(request.credentials).to.equal('include');

    server.connections[0]!.push(batch([sampleEvent(11), sampleEvent(12)]));
    await settle();
    expect(a.received).to.deep.equal([['11', '12']]);
    expect(b.received).to.deep.equal([['11', '12']]);
    expect(a.statuses.map(([s]) => s)).to.deep.equal(['connecting', 'open']);
  });

  it('parses a batch split across chunks, and ignores heartbeats and unknown events', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    await settle();
    const text = batch([sampleEvent(11), sampleEvent(12)]);
    const connection = server.connections[0]!;
    connection.push(': heartbeat\n\nevent: gossip\ndata: {}\n\n');
    connection.push(text.slice(0, 40));
    await settle();
    expect(a.received).to.deep.equal([]);
    connection.push(text.slice(40));
    await settle();
    expect(a.received).to.deep.equal([['11', '12']]);
  });

  it('gives a later subscriber only the events after it joined', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const endpoint = freshEndpoint();
    const a = recorder(endpoint, server.fetch, scheduler);
    const requestOptions = a.subscription.requestOptions;
    follow(a.subscription);
    await settle();
    server.connections[0]!.push(batch([sampleEvent(11)]));
    await settle();
    const b = recorder(endpoint, server.fetch, scheduler, '11');
    follow({ ...b.subscription, requestOptions });
    server.connections[0]!.push(batch([sampleEvent(12)]));
    await settle();
    expect(a.received).to.deep.equal([['11'], ['12']]);
    expect(b.received).to.deep.equal([['12']]);
    expect(b.statuses).to.deep.equal([['open', undefined]]);
  });

  it('gives a subscriber whose answer is older than the stream the events it missed, or a refetch once they are not kept', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const endpoint = freshEndpoint();
    const a = recorder(endpoint, server.fetch, scheduler, '10');
    const requestOptions = a.subscription.requestOptions;
    follow(a.subscription);
    await settle();
    server.connections[0]!.push(batch([sampleEvent(11), sampleEvent(12), sampleEvent(13)]));
    await settle();
    // A slow answer: its lastEventId is 11, the stream is at 13.
    const late = recorder(endpoint, server.fetch, scheduler, '11');
    follow({ ...late.subscription, requestOptions });
    await settle();
    expect(late.received).to.deep.equal([['12', '13']]);
    expect(late.resets).to.deep.equal([]);
    server.connections[0]!.push(batch([sampleEvent(14)]));
    await settle();
    expect(late.received).to.deep.equal([['12', '13'], ['14']]);
    expect(server.requests).to.have.length(1);

    // The connection keeps the server's backlog (10,000 events): older ones are asked for again.
    const many = Array.from({ length: 10_000 }, (_, i) => sampleEvent(15 + i));
    server.connections[0]!.push(batch(many.slice(0, 5_000)));
    server.connections[0]!.push(batch(many.slice(5_000)));
    await settle();
    const kept = recorder(endpoint, server.fetch, scheduler, '14');
    const tooOld = recorder(endpoint, server.fetch, scheduler, '13');
    follow({ ...kept.subscription, requestOptions });
    follow({ ...tooOld.subscription, requestOptions });
    await settle();
    expect(kept.received.flat()).to.deep.equal(many.map((e) => e.id));
    expect(tooOld.received).to.deep.equal([]);
    expect(tooOld.resets).to.deep.equal(['10014']);

    // After a reset nothing older is kept.
    server.connections[0]!.push(reset('20000'));
    await settle();
    const beforeReset = recorder(endpoint, server.fetch, scheduler, '10014');
    follow({ ...beforeReset.subscription, requestOptions });
    await settle();
    expect(beforeReset.resets).to.deep.equal(['20000']);
  });

  it('reconnects with full-jitter back-off when the stream ends, resuming after the last id without repeats', async () => {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0.5;
    const server = streamServer();
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    await settle();
    server.connections[0]!.push(batch([sampleEvent(11), sampleEvent(12)]));
    server.connections[0]!.end();
    await settle();
    expect(a.statuses.at(-1)).to.deep.equal(['reconnecting', 'network']);
    await scheduler.advance(499);
    expect(server.requests).to.have.length(1);
    await scheduler.advance(1);
    expect(server.requests).to.have.length(2);
    const resumed = server.requests[1]!;
    expect(new URL(resumed.url).searchParams.get('after')).to.equal('12');
    expect(resumed.headers.get('Last-Event-ID')).to.equal('12');
    server.connections[1]!.push(batch([sampleEvent(12), sampleEvent(13)]));
    await settle();
    expect(a.received).to.deep.equal([['11', '12'], ['13']]);
    expect(a.statuses.at(-1)).to.deep.equal(['open', undefined]);
  });

  it('backs off further on each failed attempt, up to 30 s, and starts over after a healthy connection', async () => {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0.5;
    let down = true;
    const server = streamServer(() => (down ? errorResponse(503, 'internal', 'Restarting.') : undefined));
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      await settle();
      waits.push(scheduler.pendingDelays.find((d) => d !== STREAM_SILENCE_MS)!);
      await scheduler.advance(waits.at(-1)!);
    }
    expect(waits).to.deep.equal([500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
    expect(a.statuses.at(-1)).to.deep.equal(['reconnecting', 'internal']);
    down = false;
    await scheduler.advance(15_000);
    const connection = server.connections[0]!;
    await scheduler.advance(15_000);
    connection.push(': heartbeat\n\n');
    connection.end();
    await settle();
    expect(scheduler.pendingDelays.find((d) => d !== STREAM_SILENCE_MS)).to.equal(500);
  });

  /** The back-off waits after each of `count` connections that `act` opens and ends (fewer once the stream stops). */
  async function waitsAfter(count: number, act: (connection: Connection, index: number, scheduler: FakeScheduler) => Promise<void> | void) {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0.5;
    const server = streamServer();
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    const waits: number[] = [];
    for (let i = 0; i < count; i++) {
      await settle();
      await act(server.connections[i]!, i, scheduler);
      await settle();
      const wait = scheduler.pendingDelays.find((d) => d !== STREAM_SILENCE_MS);
      if (wait === undefined) break;
      waits.push(wait);
      await scheduler.advance(wait);
    }
    return { waits, a, server, scheduler };
  }

  it('backs off further while connections end on a malformed message, even after a heartbeat; the third in a row stops it, with its reason', async () => {
    const { waits, a, server, scheduler } = await waitsAfter(3, (connection) => connection.push(': heartbeat\n\nevent: consumption\nid: 99\ndata: {not json\n\n'));
    expect(waits).to.deep.equal([500, 1_000]);
    expect(a.statuses.filter(([status]) => status === 'reconnecting' || status === 'failed')).to.deep.equal([['reconnecting', 'malformed'], ['reconnecting', 'malformed'], ['failed', 'malformed']]);
    expect(a.errors.at(-1)?.message).to.match(/^The live stream sent a message of the wrong shape: /);
    await scheduler.advance(120_000);
    expect(server.requests).to.have.length(3);
    expect(a.received).to.deep.equal([]);
  });

  it('stops, saying why, when the endpoint answers the stream with something else than an event stream three times in a row', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer(() => new Response('<html>Sign in</html>', { headers: { 'Content-Type': 'text/html' } }));
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    await scheduler.advance(120_000);
    expect(server.requests).to.have.length(3);
    expect(a.statuses.at(-1)).to.deep.equal(['failed', 'malformed']);
    expect(a.errors.at(-1)?.message).to.equal('The data endpoint did not answer the live stream with an event stream.');
  });

  it('keeps trying a stream that answers malformed now and then: a connection that ends otherwise between restarts the count', async () => {
    const { a } = await waitsAfter(4, (connection, i) => {
      if (i === 1) connection.end();
      else connection.push('event: consumption\nid: 99\ndata: {not json\n\n');
    });
    expect(a.statuses.filter(([status]) => status === 'reconnecting' || status === 'failed')).to.deep.equal([
      ['reconnecting', 'malformed'],
      ['reconnecting', 'network'],
      ['reconnecting', 'malformed'],
      ['reconnecting', 'malformed'],
    ]);
  });

  it('backs off further while each connection closes right after its first comment (under 15 s open)', async () => {
    const { waits } = await waitsAfter(4, async (connection, i, scheduler) => {
      connection.push(': connected\n\n');
      await scheduler.advance(i * 4_000);
      connection.end();
    });
    expect(waits).to.deep.equal([500, 1_000, 2_000, 4_000]);
  });

  it('treats a headers function that does not settle in 45 s as a dead connection, and tries again', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    let calls = 0;
    follow({ ...a.subscription, requestOptions: { fetch: server.fetch, headers: () => (++calls, new Promise<HeadersInit>(() => {})) } });
    await scheduler.advance(STREAM_SILENCE_MS);
    expect(a.statuses.at(-1)).to.deep.equal(['reconnecting', 'timeout']);
    await scheduler.advance(30_000);
    expect(calls).to.equal(2);
    expect(server.requests).to.have.length(0);
  });

  it('says at once that the browser went offline, and reconnects as soon as it is back online, not after its back-off', async () => {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0.99;
    const server = streamServer();
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    await settle();
    expect(a.statuses.at(-1)).to.deep.equal(['open', undefined]);
    window.dispatchEvent(new Event('offline'));
    await settle();
    // Not after the 45 s of silence a dead socket would take.
    expect(a.statuses.at(-1)).to.deep.equal(['reconnecting', 'network']);
    expect(a.errors.at(-1)?.message).to.equal('The browser is offline.');
    expect(server.connections[0]!.cancelled).to.equal(true);
    window.dispatchEvent(new Event('online'));
    await settle();
    expect(server.requests, 'asked again without the back-off passing').to.have.length(2);
    expect(a.statuses.at(-1)).to.deep.equal(['open', undefined]);
  });

  it('treats 45 s without a byte as a dead connection; a heartbeat keeps it alive', async () => {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0;
    const server = streamServer();
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    await settle();
    await scheduler.advance(40_000);
    server.connections[0]!.push(': heartbeat\n\n');
    await settle();
    await scheduler.advance(40_000);
    expect(server.requests).to.have.length(1);
    await scheduler.advance(5_000);
    await scheduler.advance(0);
    expect(server.connections[0]!.cancelled).to.equal(true);
    expect(a.statuses.some(([s, code]) => s === 'reconnecting' && code === 'timeout')).to.equal(true);
    await scheduler.advance(1);
    expect(server.requests).to.have.length(2);
  });

  it('delivers a reset, and another within 10 s only when the 10 s are over, then resumes after its id', async () => {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0;
    const server = streamServer();
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    await settle();
    server.connections[0]!.push(reset('5000'));
    await settle();
    expect(a.resets).to.deep.equal(['5000']);
    await scheduler.advance(3_000);
    server.connections[0]!.push(reset('9000'));
    server.connections[0]!.push(reset('9500'));
    await settle();
    expect(a.resets).to.deep.equal(['5000']);
    await scheduler.advance(6_999);
    expect(a.resets).to.deep.equal(['5000']);
    await scheduler.advance(1);
    expect(a.resets).to.deep.equal(['5000', '9500']);
    server.connections[0]!.end();
    await scheduler.advance(1);
    expect(new URL(server.requests[1]!.url).searchParams.get('after')).to.equal('9500');
  });

  it('drops a wrong-shaped batch and reconnects from the last good id', async () => {
    const scheduler = new FakeScheduler();
    scheduler.randomValue = 0;
    const server = streamServer();
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    await settle();
    server.connections[0]!.push(batch([sampleEvent(11)]));
    server.connections[0]!.push(`event: consumption\nid: 12\ndata: [{"id":"12"}]\n\n`);
    await settle();
    expect(a.received).to.deep.equal([['11']]);
    expect(a.statuses.at(-1)).to.deep.equal(['reconnecting', 'malformed']);
    expect(server.connections[0]!.cancelled).to.equal(true);
    await scheduler.advance(1);
    expect(new URL(server.requests[1]!.url).searchParams.get('after')).to.equal('11');
  });

  it('stops for good on a refusal such as 401, and reports it', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer(() => errorResponse(401, 'unauthorized', 'The token has expired.'));
    const a = recorder(freshEndpoint(), server.fetch, scheduler);
    follow(a.subscription);
    await scheduler.advance(120_000);
    expect(server.requests).to.have.length(1);
    expect(a.statuses.at(-1)).to.deep.equal(['failed', 'unauthorized']);
  });

  it('after a refusal, starts again for every subscriber when a piece subscribes anew (Reconnect), after the last id', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer((_request, index) => (index === 0 ? errorResponse(401, 'unauthorized', 'The token has expired.') : undefined));
    const endpoint = freshEndpoint();
    const a = recorder(endpoint, server.fetch, scheduler);
    const requestOptions = a.subscription.requestOptions;
    const b = recorder(endpoint, server.fetch, scheduler, '12');
    follow(a.subscription);
    const leaveB = follow({ ...b.subscription, requestOptions });
    await scheduler.advance(60_000);
    expect(a.statuses.at(-1)).to.deep.equal(['failed', 'unauthorized']);
    expect(b.statuses.at(-1)).to.deep.equal(['failed', 'unauthorized']);
    leaveB();
    follow({ ...b.subscription, requestOptions });
    await settle();
    expect(server.requests).to.have.length(2);
    expect(new URL(server.requests[1]!.url).searchParams.get('after')).to.equal('10');
    expect(a.statuses.at(-1)).to.deep.equal(['open', undefined]);
    server.connections[0]!.push(batch([sampleEvent(13)]));
    await settle();
    expect(a.received).to.deep.equal([['13']]);
    expect(b.received).to.deep.equal([['13']]);
  });

  it('closes the connection when the last subscriber leaves, and opens a new one for the next', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const endpoint = freshEndpoint();
    const a = recorder(endpoint, server.fetch, scheduler);
    const requestOptions = a.subscription.requestOptions;
    const leaveA = follow(a.subscription);
    const leaveB = follow({ ...recorder(endpoint, server.fetch, scheduler).subscription, requestOptions });
    await settle();
    leaveA();
    await settle();
    expect(server.connections[0]!.cancelled).to.equal(false);
    leaveB();
    await settle();
    // Kept for a task (a piece moved in the page joins again within it), then closed.
    expect(server.connections[0]!.cancelled).to.equal(false);
    await scheduler.advance(0);
    await settle();
    expect(server.connections[0]!.cancelled).to.equal(true);
    expect(server.requests[0]!.signal.aborted).to.equal(true);
    await scheduler.advance(60_000);
    expect(server.requests).to.have.length(1);
    follow({ ...recorder(endpoint, server.fetch, scheduler, '77').subscription, requestOptions });
    await settle();
    expect(server.requests).to.have.length(2);
    expect(new URL(server.requests[1]!.url).searchParams.get('after')).to.equal('77');
  });

  it('keeps the connection for a subscriber that leaves and joins again within a task (a piece moved in the page)', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const endpoint = freshEndpoint();
    const a = recorder(endpoint, server.fetch, scheduler);
    const leave = follow(a.subscription);
    await settle();
    leave();
    follow(a.subscription);
    await scheduler.advance(0);
    await settle();
    expect(server.requests).to.have.length(1);
    expect(server.connections[0]!.cancelled).to.equal(false);
    server.connections[0]!.push(batch([sampleEvent(11)]));
    await settle();
    expect(a.received).to.deep.equal([['11']]);
  });

  it('keeps separate connections for different request options objects', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const endpoint = freshEndpoint();
    follow(recorder(endpoint, server.fetch, scheduler).subscription);
    follow(recorder(endpoint, server.fetch, scheduler).subscription);
    await settle();
    expect(server.requests).to.have.length(2);
  });

  it('keeps delivering to the others when one subscriber throws', async () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const endpoint = freshEndpoint();
    const good = recorder(endpoint, server.fetch, scheduler);
    const requestOptions = good.subscription.requestOptions;
    const reported: unknown[] = [];
    const original = window.reportError;
    window.reportError = (error) => reported.push(error);
    try {
      follow({ ...good.subscription, requestOptions, onEvents: () => { throw new Error('broken piece'); } });
      follow({ ...good.subscription, requestOptions });
      await settle();
      server.connections[0]!.push(batch([sampleEvent(11)]));
      await settle();
    } finally {
      window.reportError = original;
    }
    expect(good.received).to.deep.equal([['11']]);
    expect((reported[0] as Error).message).to.equal('broken piece');
  });

  it('reports a missing endpoint as failed without a request', () => {
    const scheduler = new FakeScheduler();
    const server = streamServer();
    const a = recorder('', server.fetch, scheduler);
    follow(a.subscription);
    expect(a.statuses).to.deep.equal([['failed', 'bad_parameter']]);
    expect(server.requests).to.have.length(0);
  });
});
