/**
 * Seeding: a realistic demo organization and a second one (so isolation is visible),
 * their users, limits and tokens, and events written through the store's own ingest
 * (the same classification as `POST events`), in created order. The same model backfills
 * the gap up to now and drives the live simulator.
 */
import { classifyItem } from '../domain/classification.js';
import { sha256Hex } from '../domain/sha256.js';
import { UsageWindows } from '../domain/windows.js';
import type { IngestItem, OrganizationLimits, Store, UserLimits } from '../store/types.js';
import { Random } from './prng.js';
import { EVENTS_PER_REQUEST, TrafficModel, type OrganizationSpec } from './traffic.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BATCH = 5_000;
/** How many other users a refused request is retried with (a request that is refused is not made). */
const RETRIES = 3;

export const DEMO_ORG: OrganizationSpec = {
  orgId: 'org_demo',
  name: 'Northwind Research',
  seed: 'northwind',
  users: 420,
  domain: 'northwind.example',
  utcOffsetHours: 1,
};

export const OTHER_ORG: OrganizationSpec = {
  orgId: 'org_other',
  name: 'Globex Labs',
  seed: 'globex',
  users: 40,
  domain: 'globex.example',
  utcOffsetHours: -5,
  // Not the demo's: an ID both organizations had would pass for a leak in any isolation check.
  serviceAccounts: ['svc-globex-report-builder'],
};

/** The share of the demo organization's event count the second organization gets. */
const OTHER_SHARE = 0.05;

export interface SeedTokens {
  /** The demo organization's read token (DEMO_TOKEN). */
  demoRead: string;
  demoIngest: string;
  /** The second organization's read token (OTHER_ORG_TOKEN). */
  otherRead: string;
  otherIngest: string;
}

export interface SeedOptions {
  /** About how many events the demo organization gets (default 1,000,000). */
  events?: number;
  /** The end of the seeded history (default now). */
  now?: number;
  /** Days of history (default 90). */
  days?: number;
  tokens: SeedTokens;
  /** How many users the demo organization has (default: scaled with `events`, at most 420). */
  users?: number;
  /** Called now and then with the events written so far. */
  onProgress?: (written: number) => void;
  /**
   * The organizations to seed (default both): a start that finds one without events
   * (a seed stopped before it got to it) seeds just that one.
   */
  organizations?: readonly OrganizationSpec[];
}

export interface SeedSummary {
  demoEvents: number;
  otherEvents: number;
}

/**
 * The spec with its user count scaled to the event count: a small seed gets fewer users,
 * so each still shows a rhythm and the pool can run dry. The demo organization has one user
 * per 100 events between 60 and its full 420: hundreds from about 20,000 events (the size
 * DESIGN.md's tests use), 60 for the few thousand of the element tests; the second
 * organization one per 2,500, at least 15.
 */
export function scaledSpec(spec: OrganizationSpec, events: number): OrganizationSpec {
  const perUser = spec === DEMO_ORG ? 100 : 2_500;
  return { ...spec, users: Math.min(spec.users, Math.max(spec === DEMO_ORG ? 60 : 15, Math.round(events / perUser))) };
}

/** Requests per unit of rhythm weight and minute that yield `events` over the period. */
function requestRate(model: TrafficModel, events: number, from: number, to: number): number {
  return events / EVENTS_PER_REQUEST / Math.max(1, model.weightBetween(from, to));
}

/**
 * Writes the events of `[from, to)` at `requestsPerWeight`, classified by the store as
 * ingest does. A request the limits would refuse is retried with another user, as a
 * person whose request was refused does not make it; so nearly every planned request lands.
 * `limits` are the organization's, as stored.
 */
export async function generateTraffic(
  store: Store,
  model: TrafficModel,
  options: {
    from: number;
    to: number;
    requestsPerWeight: number;
    organizationLimits: readonly OrganizationLimits[];
    userLimits: ReadonlyMap<string, readonly UserLimits[]>;
    /**
     * True for a fresh organization: the seed's own classification then mirrors the
     * store's exactly, and a store refusing an event it accepted is a fault. The backfill
     * continues stored history it does not hold, so the store's verdict simply stands.
     */
    strict?: boolean;
    random?: Random;
    onProgress?: (written: number) => void;
  },
): Promise<number> {
  const { from, to } = options;
  const random = options.random ?? new Random(`${model.spec.seed}:traffic:${from}`);
  const windows = new UsageWindows();
  const strict = options.strict ?? true;
  const source = {
    windows,
    organizationLimits: options.organizationLimits,
    userLimits: (userId: string) => options.userLimits.get(userId),
  };
  const times = model.plan(from, to, options.requestsPerWeight * model.weightBetween(from, to), random);
  const pending: IngestItem[] = [];
  let batch: IngestItem[] = [];
  let written = 0;
  let sincePrune = 0;

  const write = async (): Promise<void> => {
    if (!batch.length) return;
    const outcome = await store.ingest(model.spec.orgId, batch);
    const refused = outcome.kind === 'stored' ? outcome.results.filter((r) => 'error' in r).length : batch.length;
    if (refused && strict) throw new Error(`The store refused ${refused} seeded events its own classification accepted.`);
    written += batch.length - refused;
    batch = [];
    options.onProgress?.(written);
  };
  /** Writes an accepted item; returns what is left to the user when refused (else -1). */
  const emit = async (item: IngestItem): Promise<number> => {
    const outcome = classifyItem(source, item);
    if ('error' in outcome) {
      const details = outcome.error.details;
      return details ? details.baseLeft + details.surplusLeft : 0;
    }
    batch.push(item);
    if (++sincePrune >= 50_000) {
      sincePrune = 0;
      windows.prune(item.created - 2 * DAY);
    }
    if (batch.length >= BATCH) await write();
    return -1;
  };
  const flushPending = async (until: number): Promise<void> => {
    while (pending.length && pending[0]!.created <= until) await emit(pending.shift()!);
  };

  for (const t of times) {
    await flushPending(t);
    let user = model.pickUser(t, random);
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      const [first, ...rest] = model.request(t, user, random);
      let left = await emit(first!);
      // Half the clients cap a refused request at what is left (so budgets and the pool
      // really reach zero); the others give up and someone else makes a request.
      if (left > 0 && random.chance(0.5)) left = await emit({ ...first!, amount: left });
      if (left < 0) {
        for (const later of rest) {
          if (later.created >= to) continue;
          const at = pending.findIndex((p) => p.created > later.created);
          pending.splice(at < 0 ? pending.length : at, 0, later);
        }
        break;
      }
      user = model.pickUser(t, random);
    }
  }
  await flushPending(to - 1);
  await write();
  return written;
}

async function setUpOrganization(
  store: Store,
  model: TrafficModel,
  limits: ReturnType<TrafficModel['limits']>,
  tokens: { read: string; ingest: string },
): Promise<void> {
  const orgId = model.spec.orgId;
  await store.putOrganization({ id: orgId, name: model.spec.name });
  for (const version of limits.organization) await store.setOrganizationLimits(orgId, version);
  await store.putUsers(
    orgId,
    model.profiles.map((p) => p.user),
  );
  for (const [userId, versions] of limits.users) await store.setUserLimits(orgId, userId, versions);
  await store.putToken(sha256Hex(tokens.read), { orgId, scopes: ['read'] });
  await store.putToken(sha256Hex(tokens.ingest), { orgId, scopes: ['read', 'ingest'] });
}

/**
 * Seeds both organizations (or `options.organizations`) into a store that holds no events
 * of theirs. Setting one up again (a seed stopped before its first events) overwrites what
 * the stopped one wrote.
 */
export async function seedDemo(store: Store, options: SeedOptions): Promise<SeedSummary> {
  const now = options.now ?? Date.now();
  const days = options.days ?? 90;
  const events = options.events ?? 1_000_000;
  const from = Math.floor((now - days * DAY) / HOUR) * HOUR;
  const wanted = options.organizations ?? [DEMO_ORG, OTHER_ORG];
  const counts: number[] = [];
  for (const [spec, share, tokens] of [
    [DEMO_ORG, 1, { read: options.tokens.demoRead, ingest: options.tokens.demoIngest }],
    [OTHER_ORG, OTHER_SHARE, { read: options.tokens.otherRead, ingest: options.tokens.otherIngest }],
  ] as const) {
    if (!wanted.some((w) => w.orgId === spec.orgId)) {
      counts.push(0);
      continue;
    }
    const model = new TrafficModel(spec === DEMO_ORG && options.users ? { ...spec, users: options.users } : scaledSpec(spec, events));
    const rate = requestRate(model, Math.max(200, Math.round(events * share)), from, now);
    const limits = model.limits(rate, from - DAY);
    await setUpOrganization(store, model, limits, tokens);
    counts.push(
      await generateTraffic(store, model, {
        from,
        to: now,
        requestsPerWeight: rate,
        organizationLimits: limits.organization,
        userLimits: limits.users,
        ...(spec === DEMO_ORG && options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
  }
  return { demoEvents: counts[0]!, otherEvents: counts[1]! };
}

/** The request rate the seed used for an organization, for the backfill and the simulator. */
export function seededRate(spec: OrganizationSpec, events: number, now: number, days = 90): number {
  const model = new TrafficModel(scaledSpec(spec, events));
  const share = spec === OTHER_ORG ? OTHER_SHARE : 1;
  return requestRate(model, Math.max(200, Math.round(events * share)), now - days * DAY, now);
}

/** Draws a Poisson count (Knuth for small means, normal approximation above). */
function poisson(mean: number, random: Random): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k++;
    p *= random.next();
  }
  return k;
}

export interface LiveTrafficOptions {
  /** Requests per unit of rhythm weight and minute (`seededRate`). */
  requestsPerWeight: number;
  /** How much faster than the seeded rhythm the demo runs (default 1). */
  speed?: number;
  /** How often a tick ingests, in ms (default 1,000). */
  intervalMs?: number;
  /**
   * At least this many requests a minute, whatever the rhythm says (default 0): the demo's
   * quiet hours, and a small `SEED_EVENTS`, would otherwise show no live event for minutes.
   */
  minPerMinute?: number;
  onError?: (error: unknown) => void;
}

/**
 * The live simulator: every tick, the requests the rhythm expects since the last one,
 * ingested through the store as `POST events` would. Returns a function that stops it.
 */
export function startLiveTraffic(store: Store, spec: OrganizationSpec, options: LiveTrafficOptions): () => void {
  const model = new TrafficModel(spec);
  const random = new Random(`${spec.seed}:live:${Date.now()}`);
  const speed = options.speed ?? 1;
  let last = Date.now();
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    const now = Date.now();
    try {
      const minutes = (now - last) / 60_000;
      const expected = Math.max(options.requestsPerWeight * model.weight(now), options.minPerMinute ?? 0) * speed * minutes;
      const times = Array.from({ length: poisson(expected, random) }, () => last + Math.floor(random.next() * (now - last))).sort((a, b) => a - b);
      const items = times.flatMap((t) => model.request(t, model.pickUser(t, random), random).map((item) => ({ ...item, created: Math.min(item.created, now) })));
      last = now;
      if (items.length) await store.ingest(spec.orgId, items);
    } catch (error) {
      options.onError?.(error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 1_000);
  return () => clearInterval(timer);
}

/**
 * When the organization's newest stored event happened (null: none). By time, not the last
 * stored: an event ingested back-dated (`created` may lie up to 24 h back) has the highest id.
 */
export async function newestCreated(store: Store, orgId: string): Promise<number | null> {
  const maxId = await store.lastEventId(orgId);
  const [event] = maxId > 0 ? await store.queryEvents(orgId, { maxId }, { sort: 'created', order: 'desc', offset: 0, limit: 1 }) : [];
  return event ? Date.parse(event.created) : null;
}

/**
 * Fills the gap from the newest stored event to now at the seeded rhythm (at most
 * `maxDays`), so that the last days are never empty after a pause. Returns the events written.
 */
export async function backfill(
  store: Store,
  spec: OrganizationSpec,
  options: { requestsPerWeight: number; now?: number; maxDays?: number; onProgress?: (written: number) => void },
): Promise<number> {
  const now = options.now ?? Date.now();
  const newest = await newestCreated(store, spec.orgId);
  const from = Math.max(newest !== null ? newest + 1 : now, now - (options.maxDays ?? 90) * DAY);
  if (from >= now - 1_000) return 0;
  const [organizationLimits, users] = await Promise.all([store.organizationLimits(spec.orgId), store.listUsers(spec.orgId, { limit: 100_000, offset: 0 })]);
  const userLimits = new Map<string, UserLimits[]>();
  for (const user of users.items) userLimits.set(user.id, await store.userLimits(spec.orgId, user.id));
  const model = new TrafficModel({ ...spec, users: users.items.length });
  return generateTraffic(store, model, {
    from,
    to: now,
    requestsPerWeight: options.requestsPerWeight,
    organizationLimits,
    userLimits,
    strict: false,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
