/**
 * The reference server's start: open the store, seed a fresh one, backfill the gap from
 * the newest event to now, start the live simulator, and serve the demo and the contract
 * (at /api) over node:http. `server/main.ts` runs it with the environment's settings.
 */
import { createServer as createProbe, type AddressInfo } from 'node:net';
import { createHandler } from '../handler/handler.js';
import { sha256Hex } from '../domain/sha256.js';
import { backfill, DEMO_ORG, newestCreated, OTHER_ORG, seedDemo, seededRate, startLiveTraffic, type SeedTokens } from '../seed/seed.js';
import { EVENTS_PER_REQUEST, TrafficModel, type OrganizationSpec } from '../seed/traffic.js';
import { openStore, type OpenedStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { createNodeServer } from './adapter.js';
import type { ServerConfig } from './config.js';
import { createSite } from './site.js';
import { keepTokens } from './tokens.js';

const DAY = 86_400_000;
const API_PATH = '/api';
/** The live simulator's floor for the demo organization (each request is one or two events). */
const DEMO_MIN_REQUESTS_PER_MINUTE = 3;

export interface ServeOptions {
  /** The folder holding the demo pages. */
  demoDir: string;
  /** The built library, served under /dist/. */
  distDir: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  tokens: SeedTokens;
  opened: OpenedStore;
  /** Stops the simulator, closes every connection (live streams too), then the store. */
  close(): Promise<void>;
}

/** "1 event", "20,000 events": the server's log lines. */
const eventCount = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'event' : 'events'}`;

/** Prints at most every 2 s, and the last value. */
function progress(log: (line: string) => void, label: string, total: number): (written: number) => void {
  let last = 0;
  const started = Date.now();
  return (written) => {
    const now = Date.now();
    if (now - last < 2_000 && written < total) return;
    last = now;
    const rate = written / Math.max(0.001, (now - started) / 1000);
    log(`${label}: ${eventCount(written)} (${Math.round(rate).toLocaleString('en-US')}/s)`);
  };
}

/** The organization's spec with the user count as stored (the model then draws the same users). */
async function storedSpec(store: Store, spec: OrganizationSpec): Promise<OrganizationSpec> {
  const users = await store.listUsers(spec.orgId, { limit: 1, offset: 0 });
  return { ...spec, users: Math.max(1, users.total) };
}

/**
 * Requests per unit of rhythm weight and minute, estimated from the stored week before the
 * newest event, so that the backfill and the simulator go on at the rhythm the history
 * was seeded with, whatever SEED_EVENTS says now. A history shorter than a week (a seed
 * stopped early) is measured over what there is; under a day of it, or none, says too
 * little: `fallback` then.
 */
export async function estimateRate(store: Store, spec: OrganizationSpec, until: number, fallback = 0): Promise<number> {
  const maxId = await store.lastEventId(spec.orgId);
  if (maxId === 0) return fallback;
  const [oldest] = await store.queryEvents(spec.orgId, { maxId }, { sort: 'created', order: 'asc', offset: 0, limit: 1 });
  const from = Math.max(until - 7 * DAY, oldest ? Date.parse(oldest.created) : until);
  if (until - from < DAY) return fallback;
  const events = await store.countEvents(spec.orgId, { maxId, from, to: until }, 100_000_000);
  const weight = new TrafficModel(spec).weightBetween(from, until);
  return events / EVENTS_PER_REQUEST / Math.max(1, weight);
}

/**
 * Fails now when PORT is taken or HOST is no address of this machine, rather than after a
 * seed of minutes (the server itself listens once the store is ready).
 */
async function checkListen(port: number, host: string | undefined): Promise<void> {
  if (port === 0 && !host) return;
  const probe = createProbe();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, host, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

export async function serve(config: ServerConfig, options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  await checkListen(config.port, config.host);
  const tokens = keepTokens(config.dataDir, { demoToken: config.demoToken, otherOrgToken: config.otherOrgToken });
  const opened = await openStore(config.databaseUrl, { dataDir: config.dataDir });
  const { store } = opened;
  const stops: (() => void)[] = [];
  // The simulator's writes, tracked so that closing waits for the one in flight.
  const inFlight = new Set<Promise<unknown>>();
  const simulatorStore: Store = Object.assign(Object.create(store) as Store, {
    ingest: ((...args) => {
      const writing = store.ingest(...args);
      inFlight.add(writing);
      void writing.finally(() => inFlight.delete(writing)).catch(() => {});
      return writing;
    }) satisfies Store['ingest'],
  });
  try {
    log(`store: ${opened.kind} — ${opened.location}`);
    // The seed writes the demo organization's events in time order, then the other's. A seed
    // that was stopped (Ctrl+C, a kill) goes on where it stopped: an organization without
    // events is seeded now, one with part of its history is backfilled below from its newest
    // event up to now.
    const unseeded: OrganizationSpec[] = [];
    for (const spec of [DEMO_ORG, OTHER_ORG]) if ((await store.lastEventId(spec.orgId)) === 0) unseeded.push(spec);
    if (unseeded.length) {
      const resuming = unseeded.length < 2 || (await store.getOrganization(DEMO_ORG.orgId)) !== null;
      log(
        resuming
          ? `completing an interrupted seed: ${unseeded.map((spec) => spec.name).join(' and ')}…`
          : `seeding ${config.seedEvents.toLocaleString('en-US')} events over 90 days…`,
      );
      const started = Date.now();
      const summary = await seedDemo(store, {
        events: config.seedEvents,
        tokens,
        organizations: unseeded,
        onProgress: progress(log, 'seed', config.seedEvents),
      });
      const seconds = (Date.now() - started) / 1000;
      log(
        `seeded ${summary.demoEvents.toLocaleString('en-US')} + ${summary.otherEvents.toLocaleString('en-US')} events in ` +
          `${seconds.toFixed(1)} s (${Math.round((summary.demoEvents + summary.otherEvents) / Math.max(seconds, 0.001)).toLocaleString('en-US')}/s)`,
      );
    }
    // Tokens given or generated after the seed are registered on every start.
    for (const [token, orgId, scopes] of [
      [tokens.demoRead, DEMO_ORG.orgId, ['read']],
      [tokens.demoIngest, DEMO_ORG.orgId, ['read', 'ingest']],
      [tokens.otherRead, OTHER_ORG.orgId, ['read']],
      [tokens.otherIngest, OTHER_ORG.orgId, ['read', 'ingest']],
    ] as const) {
      await store.putToken(sha256Hex(token), { orgId, scopes: [...scopes] });
    }

    for (const base of [DEMO_ORG, OTHER_ORG]) {
      const spec = await storedSpec(store, base);
      const newest = (await newestCreated(store, spec.orgId)) ?? Date.now();
      const requestsPerWeight = await estimateRate(store, spec, newest, seededRate(base, config.seedEvents, newest));
      const written = await backfill(store, spec, { requestsPerWeight, onProgress: progress(log, `backfill ${spec.name}`, Infinity) });
      if (written) log(`backfilled ${eventCount(written)} of ${spec.name} up to now`);
      if (config.liveTraffic) {
        // The demo organization's dashboard shows live updates at any hour: a request every ~20 s at least.
        const minPerMinute = base === DEMO_ORG ? DEMO_MIN_REQUESTS_PER_MINUTE : 0;
        stops.push(startLiveTraffic(simulatorStore, spec, { requestsPerWeight, minPerMinute, onError: (error) => log(`simulator: ${String(error)}`) }));
      }
    }
  } catch (error) {
    for (const stop of stops) stop();
    await store.close();
    throw error;
  }

  const organization = (await store.getOrganization(DEMO_ORG.orgId))?.name ?? DEMO_ORG.name;
  const api = createHandler({
    store,
    basePath: API_PATH,
    corsOrigins: config.corsOrigins,
    maxStreamsPerToken: config.maxStreamsPerToken,
    onError: (error, request) => log(`error: ${request.method} ${new URL(request.url).pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  const site = createSite({ api, apiPath: API_PATH, token: tokens.demoRead, organization, demoDir: options.demoDir, distDir: options.distDir });
  const server = createNodeServer(site, (error) => log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    tokens,
    opened,
    close() {
      closing ??= (async () => {
        for (const stop of stops) stop();
        await Promise.allSettled(inFlight);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.close();
      })();
      return closing;
    },
  };
}
