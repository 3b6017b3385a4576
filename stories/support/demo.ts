/**
 * The stories' data: the reference server's in-memory handler (`createDemoHandler`), seeded
 * in the browser and reached through the elements' `fetch` request option, so the static
 * Storybook needs no server or service worker and works from file://. Also the request
 * options of the states no data set shows: a request that never answers, one that fails.
 */
import type { RequestOptions } from '../../src/api/client.js';
import type { IngestEventInput, ResourceType } from '../../src/api/contract.js';
import {
  createDemoHandler,
  createHandler,
  createMemoryStore,
  DEMO_ORG,
  DEMO_TOKEN,
  generateTraffic,
  sha256Hex,
  TrafficModel,
  type DemoServer,
  type IngestItem,
} from '../../server/index.js';
import { Random } from '../../server/seed/prng.js';
import { scaledSpec, seededRate } from '../../server/seed/seed.js';

/** The `data-endpoint` of every story: the path the demo handler answers at. */
export const DEMO_ENDPOINT = '/api';

/**
 * `small`: about 5,000 events over 90 days (quick to seed); `large`: 90 days of traffic
 * from 50,000 users, about 50,000 events (seeded in about 2 s; three times as many take
 * 15 s), with a team of analysts on small base budgets who draw on the surplus pool every
 * working day and now and then run a batch; `hostile`: `small` plus users, endpoints and request IDs made of markup,
 * formulas, bidirectional and very long text; `live`: `small` with new events ingested
 * every second; `dry`: the traffic of `small` with a larger token surplus pool, and a nightly
 * backfill that drains it,
 * dry twice in the last 30 days and lower every day of the last 14 (so the forecast says
 * when it runs out).
 */
export type DemoKind = 'small' | 'large' | 'hostile' | 'live' | 'dry';

/** What a data set's builders and the stories use of a demo server. */
type DemoData = Pick<DemoServer, 'fetch' | 'requestOptions' | 'store'>;

export interface Demo {
  server: DemoData;
  /** The demo handler's `fetch` and read token: one object, so the pieces share requests. */
  requestOptions: RequestOptions;
  /** The user with the most token consumption over the last 7 days (the per-user stories). */
  userId: string;
}

const EVENTS: Record<DemoKind, number> = { small: 5_000, large: 50_000, hostile: 5_000, live: 5_000, dry: 5_000 };
/** The large data set's users (the issue's "50,000 users"). */
export const LARGE_USERS = 50_000;
const LIVE_INTERVAL_MS = 1_000;
/** The live traffic's surplus draw: this many tokens every this many ticks (1 token a second). */
const LIVE_DRAW_EVERY = 5;
const LIVE_DRAW_TOKENS = 5;

/** Text that must always be shown as text: never markup, never a formula, never cut off the layout. */
export const HOSTILE_TEXTS = [
  '<img src=x onerror="alert(1)">',
  '"><script>alert(document.domain)</script>',
  '=HYPERLINK("http://evil.example","click")',
  '+cmd|\' /C calc\'!A0',
  '-2+3',
  '@SUM(A1:A9)',
  '\u202Eevil.exe\u202C reversed',
  'مستخدم-عربي-١٢٣',
  '👩🏽‍💻 emoji user',
  `very-long-${'x'.repeat(220)}`,
  '{{constructor.constructor("alert(1)")()}}',
  'a,b,"c"\nnew line',
];

const demos = new Map<DemoKind, Promise<Demo>>();

/** The demo data set of a kind, seeded once per page. */
export function loadDemo(kind: DemoKind): Promise<Demo> {
  let demo = demos.get(kind);
  if (!demo) {
    demo = build(kind);
    demos.set(kind, demo);
  }
  return demo;
}

async function build(kind: DemoKind): Promise<Demo> {
  if (kind === 'dry') {
    const server = await seedDrainedPool();
    return { server, requestOptions: server.requestOptions, userId: await busiestUser(server) };
  }
  const server = createDemoHandler({ events: EVENTS[kind], ...(kind === 'large' ? { users: LARGE_USERS } : {}) });
  await server.ready;
  if (kind === 'large') {
    await expectUsers(server, LARGE_USERS);
    await addSurplusLoad(server);
  }
  if (kind === 'hostile') await addHostileData(server);
  const userId = await busiestUser(server);
  if (kind === 'live') await startLiveTraffic(server);
  return { server, requestOptions: server.requestOptions, userId };
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** The users with the most token consumption over the last 7 days, asked through the contract as the elements do. */
async function busiestUsers(server: DemoData): Promise<string[]> {
  const response = await server.fetch(`${DEMO_ENDPOINT}/consumption?groupBy=userId`, { headers: server.requestOptions.headers });
  const series = (await expectOk(response, 'consumption by user')) as { groups: string[] };
  if (series.groups.length === 0) throw new Error('The demo organization has no consumption in the last 7 days.');
  return series.groups;
}

async function busiestUser(server: DemoData): Promise<string> {
  return (await busiestUsers(server))[0]!;
}

/** Fails the story when the data set is not what it claims to be. */
async function expectUsers(server: DemoServer, count: number): Promise<void> {
  const response = await server.fetch(`${DEMO_ENDPOINT}/users?limit=1`, { headers: server.requestOptions.headers });
  const { total } = (await expectOk(response, 'users')) as { total: number };
  if (total !== count) throw new Error(`The large data set has ${total} users, not ${count}.`);
}

/**
 * Tokens each hostile user's output event draws from the surplus pool: their token base
 * budget is their two events' sum less this, so the output event is hybrid and "Who is
 * drawing surplus" lists them too. (Twelve such draws are far below the demo pool.)
 */
const HOSTILE_SURPLUS_DRAW = 100;

/**
 * Hostile users (with generous limits but for their token base budget), then their events
 * through `POST events`: an input event within the base budget and an output event past it.
 */
async function addHostileData(server: DemoServer): Promise<void> {
  const orgId = DEMO_ORG.orgId;
  const now = Date.now();
  await server.store.putUsers(
    orgId,
    HOSTILE_TEXTS.map((text) => ({ id: text, name: text, email: `${text}@example.com` })),
  );
  const generous = { basePer4h: 1e12, surplusPer4h: 1e12 };
  // The first texts (markup, scripts) spend most, so they rank among the charts' largest users.
  const inputAmount = (i: number) => 1_000 * (HOSTILE_TEXTS.length - i);
  const outputAmount = (i: number) => 2_000 * (HOSTILE_TEXTS.length - i);
  for (const [i, text] of HOSTILE_TEXTS.entries()) {
    await server.store.setUserLimits(
      orgId,
      text,
      (['tokens', 'storage', 'ocr'] as ResourceType[]).map((resourceType) => ({
        resourceType,
        effectiveFrom: now - 86_400_000 * 100,
        ...generous,
        ...(resourceType === 'tokens' ? { basePer4h: inputAmount(i) + outputAmount(i) - HOSTILE_SURPLUS_DRAW } : {}),
      })),
    );
  }
  const events: IngestEventInput[] = HOSTILE_TEXTS.flatMap((text, i) => [
    { userId: text, amount: inputAmount(i), resourceType: 'tokens', ioType: 'input', requestId: text, endpoint: text, created: new Date(now - (i + 1) * 600_000).toISOString() },
    { userId: text, amount: outputAmount(i), resourceType: 'tokens', ioType: 'output', requestId: `${text}-out`, endpoint: text, created: new Date(now - (i + 1) * 600_000 + 1_000).toISOString() },
  ]);
  const answer = (await expectOk(await server.ingest(events), 'hostile ingest')) as { items: ({ error?: { message: string } } | object)[] };
  const refused = answer.items.filter((item) => 'error' in item);
  if (refused.length) throw new Error(`The demo refused hostile events: ${JSON.stringify(refused[0])}`);
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The `large` data set's surplus load. Its pool is sized for 50,000 users (about 7.6M
 * tokens), while their own traffic (about one event a user) draws at most some 10K tokens
 * an hour: bars no one could see. So a few analysts get a small token base budget and
 * draw on the pool in working hours (about 6% of the capacity in an ordinary day's busiest
 * hour), and on about one working day in eight one of them runs a batch for a few hours
 * (8–14% of the capacity more an hour). The pool never runs dry; the organization's weekly
 * token limit, sized for the seeded traffic alone, is raised by the most the analysts use
 * in any 7 days, so that none of their draws is refused (the elements show no weekly
 * limit). About 4,400 events, stored straight into the store (`POST events` takes only
 * the last 24 hours) in about 0.2 s.
 */
const SURPLUS_LOAD = {
  analysts: 6,
  basePer4h: 2_000,
  /** The working-hours draw of the busiest hour of an ordinary working day, as a share of the capacity. */
  dailyPeak: 0.06,
  /** The chance that a working day has a batch, its hours and its hourly draw (shares of the capacity). */
  batchChance: 0.13,
  batchHours: [2, 3],
  batchShare: [0.08, 0.14],
} as const;

/** The organization's token surplus pool capacity, as `GET limits` answers it. */
async function tokenSurplusCapacity(server: DemoData): Promise<number> {
  const limits = await expectOk(await server.fetch(`${DEMO_ENDPOINT}/limits`, { headers: server.requestOptions.headers }), 'limits');
  return (limits as { surplusCapacity: { tokens: number } }).surplusCapacity.tokens;
}

async function addSurplusLoad(server: DemoServer): Promise<void> {
  const orgId = DEMO_ORG.orgId;
  const now = Date.now();
  const capacity = await tokenSurplusCapacity(server);
  const { items: analysts } = await server.store.listUsers(orgId, { q: 'u_', limit: SURPLUS_LOAD.analysts, offset: 0 });
  // Every token version of theirs becomes a small base budget with a generous surplus allowance.
  for (const analyst of analysts) {
    const versions = (await server.store.userLimits(orgId, analyst.id)).filter((version) => version.resourceType === 'tokens');
    await server.store.setUserLimits(
      orgId,
      analyst.id,
      versions.map((version) => ({ ...version, basePer4h: SURPLUS_LOAD.basePer4h, surplusPer4h: Math.round(capacity * 0.5) })),
    );
  }
  // The seed's own generator, seeded: the same load, and the same screenshots, on every load.
  const seeded = new Random(90_050_000);
  const random = (): number => seeded.next();
  const between = ([low, high]: readonly [number, number]) => low + random() * (high - low);
  const items: IngestItem[] = [];
  let n = 0;
  const request = (created: number, tokens: number, endpoint: string) => {
    n += 1;
    const userId = analysts[Math.floor(random() * analysts.length)]!.id;
    const input = Math.round(tokens * 0.75);
    const base = { userId, resourceType: 'tokens' as const, requestId: `req_analyst_${n}`, endpoint };
    items.push({ ...base, amount: input, ioType: 'input', created });
    items.push({ ...base, amount: Math.round(tokens) - input, ioType: 'output', created: Math.min(created + 20_000, now - 1) });
  };
  // The organization's working day (UTC+1): a morning and an afternoon peak, weekdays only.
  const offset = DEMO_ORG.utcOffsetHours * HOUR_MS;
  const firstDay = Math.floor((now - 90 * DAY_MS + offset) / DAY_MS) + 1;
  const lastDay = Math.floor((now + offset) / DAY_MS);
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = (day + 3) % 7; // Monday = 0; 1970-01-01 was a Thursday
    if (weekday >= 5) continue;
    const dayFactor = between([0.6, 1.4]);
    const batch = random() < SURPLUS_LOAD.batchChance ? { start: Math.floor(between([9, 15])), hours: Math.round(between(SURPLUS_LOAD.batchHours)) } : null;
    for (let hour = 8; hour < 19; hour++) {
      const start = day * DAY_MS - offset + hour * HOUR_MS;
      if (start + HOUR_MS > now) break;
      const curve = Math.max(Math.exp(-(((hour + 0.5 - 10.5) / 2.2) ** 2)), 0.85 * Math.exp(-(((hour + 0.5 - 15) / 2.4) ** 2)));
      const hourly = capacity * SURPLUS_LOAD.dailyPeak * curve * dayFactor;
      for (let i = 0; i < 3; i++) request(start + (i + random()) * (HOUR_MS / 3), hourly / 3, '/v1/responses');
      if (batch && hour >= batch.start && hour < batch.start + batch.hours) {
        const share = between(SURPLUS_LOAD.batchShare);
        for (let i = 0; i < 4; i++) request(start + (i + random()) * (HOUR_MS / 4), (capacity * share) / 4, '/v1/batches');
      }
    }
  }
  items.sort((a, b) => a.created - b.created);
  // The most the analysts use in any 7 days.
  let week = 0;
  let most = 0;
  for (let first = 0, last = 0; last < items.length; last++) {
    week += items[last]!.amount;
    while (items[first]!.created <= items[last]!.created - 7 * DAY_MS) week -= items[first++]!.amount;
    most = Math.max(most, week);
  }
  for (const version of await server.store.organizationLimits(orgId)) {
    await server.store.setOrganizationLimits(orgId, { ...version, weeklyTokenLimit: version.weeklyTokenLimit + Math.ceil(most / 1e6) * 1e6 });
  }
  const stored = await server.store.ingest(orgId, items);
  const refused = stored.kind === 'stored' ? stored.results.filter((result) => 'error' in result).length : items.length;
  if (refused) throw new Error(`The demo refused ${refused} of the analysts' ${items.length} surplus draws.`);
}

/** The user whose nightly backfill drains the surplus pool in the `dry` data set. */
const BACKFILL_USER = { id: 'u_demo_backfill', name: 'Nightly backfill (demo)', email: 'backfill@northwind.example' };

/**
 * The `dry` data set, seeded here rather than by `createDemoHandler`, because its drains must
 * go through the store in created order as the seed's own events do (DESIGN.md): a drain
 * stored after later events were classified would leave them drawing on a pool it had
 * already emptied, and the pool's level below 0. So the pool's token capacity is tripled
 * before anything is seeded (the seeded traffic alone ran it dry now and then, and where a
 * day's natural low fell to 0 among the drains' the line went flat: the forecast then
 * depended on the hour the story ran), and the seed's traffic is written up to each drain,
 * then the drain, then on. At each drain's time a probe past every limit is refused with what
 * the pool has left then, and an event of that less the target is stored. The pool runs dry
 * 25 and 19 days ago; over the last 14 days each day's low falls by an eighteenth of the
 * capacity to a sixth of it yesterday, a line that reaches 0 a few days from now. The
 * traffic after a drain is classified against the drained pool: a request the pool cannot
 * serve any more is refused, as in the seed.
 */
async function seedDrainedPool(): Promise<DemoData> {
  const orgId = DEMO_ORG.orgId;
  const now = Date.now();
  const events = EVENTS.dry;
  const model = new TrafficModel(scaledSpec(DEMO_ORG, events));
  const from = Math.floor((now - 90 * DAY_MS) / HOUR_MS) * HOUR_MS;
  const requestsPerWeight = seededRate(DEMO_ORG, events, now);
  const limits = model.limits(requestsPerWeight, from - DAY_MS);
  const organizationLimits = limits.organization.map((version) => ({
    ...version,
    surplusCapacity: { ...version.surplusCapacity, tokens: version.surplusCapacity.tokens * 3 },
  }));
  const capacity = organizationLimits.at(-1)!.surplusCapacity.tokens;
  const store = createMemoryStore();
  await store.putOrganization({ id: orgId, name: DEMO_ORG.name });
  for (const version of organizationLimits) await store.setOrganizationLimits(orgId, version);
  await store.putUsers(orgId, [...model.profiles.map((profile) => profile.user), BACKFILL_USER]);
  for (const [userId, versions] of limits.users) await store.setUserLimits(orgId, userId, versions);
  await store.setUserLimits(orgId, BACKFILL_USER.id, [{ resourceType: 'tokens', effectiveFrom: from - DAY_MS, basePer4h: 0, surplusPer4h: 1e12 }]);
  await store.putToken(sha256Hex(DEMO_TOKEN), { orgId, scopes: ['read'] });

  let n = 0;
  const drain = async (created: number, target: number): Promise<void> => {
    const item = (amount: number): IngestItem => {
      n += 1;
      return { userId: BACKFILL_USER.id, amount, resourceType: 'tokens', ioType: 'input', requestId: `req_backfill_${n}`, endpoint: '/v1/batches', created };
    };
    const probe = await store.ingest(orgId, [item(1e12)]);
    const refused = probe.kind === 'stored' ? probe.results[0] : undefined;
    const left = refused && 'error' in refused ? (refused.error.details?.surplusLeft ?? 0) : 0;
    if (left <= target) return;
    const stored = await store.ingest(orgId, [item(left - target)]);
    const result = stored.kind === 'stored' ? stored.results[0] : undefined;
    if (!result || 'error' in result) throw new Error(`The demo refused a backfill drain: ${JSON.stringify(result)}`);
  };
  const drains = [
    ...[25, 19].map((daysAgo) => ({ at: now - daysAgo * DAY_MS, target: 0 })),
    ...Array.from({ length: 14 }, (_, i) => 14 - i).map((daysAgo) => ({ at: now - daysAgo * DAY_MS + DAY_MS / 2, target: Math.round((capacity * (daysAgo + 3)) / 18) })),
  ];
  // The store's verdict stands (`strict: false`): each stretch's own classification starts
  // without the events before it, the drains among them.
  const traffic = { requestsPerWeight, organizationLimits, userLimits: limits.users, strict: false };
  let written = from;
  for (const { at, target } of drains) {
    await generateTraffic(store, model, { ...traffic, from: written, to: at });
    await drain(at, target);
    written = at;
  }
  await generateTraffic(store, model, { ...traffic, from: written, to: now });

  const handler = createHandler({ store, basePath: DEMO_ENDPOINT });
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    handler(new Request(input instanceof Request ? input : new URL(String(input), 'http://memory'), init))) as typeof globalThis.fetch;
  return { fetch, requestOptions: { fetch, headers: { authorization: `Bearer ${DEMO_TOKEN}` } }, store };
}

/**
 * Ingests a request's input and output events every second, from the five busiest users in
 * turn. Their token base budget is raised from now on, so that the seeded history stays as
 * it was and the live traffic is not refused once a user's 4-hour budget is spent; the
 * amounts are small, so the organization's weekly token limit lasts for hours. A refusal
 * stops the traffic with a warning (the story then simply stops being live).
 *
 * Those events are all allocated, which the surplus chart does not show: so every few
 * seconds the sixth busiest user, given no base budget from now on, also draws a few
 * tokens from the surplus pool (about 14,000 per 4 hours, well within the pool). A refused
 * draw (the pool spent) stops only the draws.
 */
async function startLiveTraffic(server: DemoServer): Promise<void> {
  const orgId = DEMO_ORG.orgId;
  const busiest = await busiestUsers(server);
  const users = busiest.slice(0, 5);
  const drawer = busiest[5];
  const now = Date.now();
  for (const userId of users) {
    await server.store.setUserLimits(orgId, userId, [{ resourceType: 'tokens', effectiveFrom: now, basePer4h: 1e9, surplusPer4h: 0 }]);
  }
  if (drawer) await server.store.setUserLimits(orgId, drawer, [{ resourceType: 'tokens', effectiveFrom: now, basePer4h: 0, surplusPer4h: 1e9 }]);
  let n = 0;
  let drawing = drawer !== undefined;
  const timer = setInterval(async () => {
    n += 1;
    const userId = users[n % users.length]!;
    const requestId = `req_live_${Date.now().toString(36)}_${n}`;
    const draws = drawing && n % LIVE_DRAW_EVERY === 1;
    const response = await server.ingest([
      { userId, amount: 20 + ((n * 137) % 200), resourceType: 'tokens', ioType: 'input', requestId, endpoint: '/v1/chat/completions' },
      { userId, amount: 10 + ((n * 59) % 100), resourceType: 'tokens', ioType: 'output', requestId, endpoint: '/v1/chat/completions' },
      ...(draws ? [{ userId: drawer!, amount: LIVE_DRAW_TOKENS, resourceType: 'tokens' as const, ioType: 'output' as const, requestId: `${requestId}_surplus`, endpoint: '/v1/responses' }] : []),
    ]);
    const answer = (await response.json()) as { items?: { error?: { message: string } }[] };
    const refused = answer.items?.slice(0, 2).find((item) => item.error)?.error;
    if (!response.ok || refused) {
      clearInterval(timer);
      console.warn(`The demo's live traffic stopped: ${refused?.message ?? `HTTP ${response.status}`}`);
      return;
    }
    const drawRefused = draws ? answer.items?.[2]?.error : undefined;
    if (drawRefused) {
      drawing = false;
      console.warn(`The demo's live surplus draws stopped: ${drawRefused.message}`);
    }
  }, LIVE_INTERVAL_MS);
}

/** A fetch that never answers (until the request is aborted): the loading state. */
export function pendingRequestOptions(): RequestOptions {
  const fetch = ((_input: RequestInfo | URL, init?: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    })) as typeof globalThis.fetch;
  return { fetch };
}

/** A fetch whose every answer is a 500 with the contract's error body: the error state. */
/** Request options whose every request is refused for two minutes (429 with `Retry-After: 120`). */
export function rateLimitedRequestOptions(): RequestOptions {
  const fetch = (async () =>
    new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests for this organization (demo limit).' } }), {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '120' },
    })) as typeof globalThis.fetch;
  return { fetch };
}

export function failingRequestOptions(): RequestOptions {
  const fetch = (async () =>
    new Response(JSON.stringify({ error: { code: 'internal', message: 'The usage store is unavailable (demo failure).' } }), {
      status: 500,
      headers: { 'content-type': 'application/json' },
    })) as typeof globalThis.fetch;
  return { fetch };
}
