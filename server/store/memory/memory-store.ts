/**
 * The in-memory store: arrays and maps, for the element tests, Storybook and the small
 * demo (correct, and quick enough for some 50,000 events). Browser-safe.
 */
import { compareCodePoints, type EventSortColumn, type GroupBy, type ResourceType } from '../../../src/api/contract.js';
import { classifyEntries } from '../../domain/classification.js';
import { bucketIndex } from '../../domain/time-zone.js';
import { UsageWindows } from '../../domain/windows.js';
import type {
  BucketSum,
  EndpointUse,
  EventOrder,
  EventPageRequest,
  IngestItem,
  IngestOptions,
  IngestOutcome,
  IngestRefusal,
  IngestResult,
  KeySum,
  MinuteDrawn,
  Organization,
  OrganizationLimits,
  Store,
  StoredEvent,
  StoreFilter,
  SurplusBucket,
  TokenGrant,
  User,
  UserLimits,
  UsersQueryInput,
} from '../types.js';

const MINUTE = 60_000;
const ITERATE_BATCH = 1_000;

/** An event with its numbers parsed once. */
interface Row {
  event: StoredEvent;
  id: number;
  created: number;
}

interface Remembered {
  requestHash: string;
  at: number;
  results: IngestResult[];
}

interface OrgState {
  org: Organization;
  limits: OrganizationLimits[];
  users: Map<string, User>;
  userLimits: Map<string, UserLimits[]>;
  /** In id order. */
  rows: Row[];
  windows: UsageWindows;
  listeners: Set<() => void>;
  idempotency: Map<string, Remembered>;
  /** Rows sorted ascending by a column (then created, then id), rebuilt after ingest. */
  sorted: Map<EventSortColumn, Row[]>;
}

const TEXT_COLUMNS = new Set<EventSortColumn>(['userId', 'resourceType', 'poolCategory', 'ioType', 'requestId', 'endpoint']);

function compareRows(column: EventSortColumn): (a: Row, b: Row) => number {
  return (a, b) => {
    let c = 0;
    if (column === 'amount') c = a.event.amount - b.event.amount;
    else if (TEXT_COLUMNS.has(column)) c = compareCodePoints(a.event[column] as string, b.event[column] as string);
    return c || a.created - b.created || a.id - b.id;
  };
}

function inList(list: readonly string[] | undefined, value: string): boolean {
  return !list || list.length === 0 || list.includes(value);
}

function matches(row: Row, f: StoreFilter): boolean {
  const e = row.event;
  return (
    row.id <= f.maxId &&
    (f.from === undefined || row.created >= f.from) &&
    (f.to === undefined || row.created < f.to) &&
    (f.resourceType === undefined || e.resourceType === f.resourceType) &&
    (f.requestId === undefined || e.requestId === f.requestId) &&
    (f.amountMin === undefined || e.amount >= f.amountMin) &&
    (f.amountMax === undefined || e.amount <= f.amountMax) &&
    inList(f.userIds, e.userId) &&
    inList(f.poolCategories, e.poolCategory) &&
    inList(f.ioTypes, e.ioType) &&
    inList(f.endpoints, e.endpoint)
  );
}

function groupKey(event: StoredEvent, groupBy: GroupBy): string {
  return event[groupBy];
}

/** The first index whose row has id > afterId (rows in id order). */
function firstAfter(rows: readonly Row[], afterId: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.id <= afterId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemoryStore implements Store {
  readonly #orgs = new Map<string, OrgState>();
  readonly #tokens = new Map<string, TokenGrant>();

  #state(orgId: string): OrgState | undefined {
    return this.#orgs.get(orgId);
  }

  #rows(orgId: string, filter: StoreFilter): Row[] {
    return (this.#state(orgId)?.rows ?? []).filter((row) => matches(row, filter));
  }

  #sorted(state: OrgState, column: EventSortColumn): Row[] {
    let rows = state.sorted.get(column);
    if (!rows) {
      rows = [...state.rows].sort(compareRows(column));
      state.sorted.set(column, rows);
    }
    return rows;
  }

  /** Matching rows in the requested order, stopping after `limit` past `offset`. */
  #ordered(orgId: string, filter: StoreFilter, order: EventOrder, offset = 0, limit = Infinity): StoredEvent[] {
    const state = this.#state(orgId);
    if (!state) return [];
    const rows = this.#sorted(state, order.sort);
    const out: StoredEvent[] = [];
    let skipped = 0;
    const step = order.order === 'asc' ? 1 : -1;
    for (let i = step === 1 ? 0 : rows.length - 1; i >= 0 && i < rows.length && out.length < limit; i += step) {
      if (!matches(rows[i]!, filter)) continue;
      if (skipped < offset) skipped++;
      else out.push(rows[i]!.event);
    }
    return out;
  }

  async findToken(tokenHash: string): Promise<TokenGrant | null> {
    return this.#tokens.get(tokenHash) ?? null;
  }

  async putOrganization(org: Organization): Promise<void> {
    const existing = this.#orgs.get(org.id);
    if (existing) {
      existing.org = { ...org };
      return;
    }
    this.#orgs.set(org.id, {
      org: { ...org },
      limits: [],
      users: new Map(),
      userLimits: new Map(),
      rows: [],
      windows: new UsageWindows(),
      listeners: new Set(),
      idempotency: new Map(),
      sorted: new Map(),
    });
  }

  async getOrganization(orgId: string): Promise<Organization | null> {
    const state = this.#state(orgId);
    return state ? { ...state.org } : null;
  }

  async putToken(tokenHash: string, grant: TokenGrant): Promise<void> {
    this.#tokens.set(tokenHash, { orgId: grant.orgId, scopes: [...grant.scopes] });
  }

  #require(orgId: string): OrgState {
    const state = this.#state(orgId);
    if (!state) throw new Error(`No organization ${orgId}.`);
    return state;
  }

  async setOrganizationLimits(orgId: string, limits: OrganizationLimits): Promise<void> {
    const state = this.#require(orgId);
    state.limits = [...state.limits.filter((l) => l.effectiveFrom !== limits.effectiveFrom), structuredClone(limits)].sort(
      (a, b) => a.effectiveFrom - b.effectiveFrom,
    );
  }

  async putUsers(orgId: string, users: readonly User[]): Promise<void> {
    const state = this.#require(orgId);
    for (const user of users) {
      state.users.set(user.id, { ...user });
      if (!state.userLimits.has(user.id)) state.userLimits.set(user.id, []);
    }
  }

  async setUserLimits(orgId: string, userId: string, limits: readonly UserLimits[]): Promise<void> {
    const state = this.#require(orgId);
    if (!state.users.has(userId)) throw new Error(`No user ${userId} in ${orgId}.`);
    const kept = (state.userLimits.get(userId) ?? []).filter(
      (old) => !limits.some((l) => l.resourceType === old.resourceType && l.effectiveFrom === old.effectiveFrom),
    );
    state.userLimits.set(
      userId,
      [...kept, ...limits.map((l) => ({ ...l }))].sort((a, b) => a.effectiveFrom - b.effectiveFrom),
    );
  }

  async organizationLimits(orgId: string): Promise<OrganizationLimits[]> {
    return structuredClone(this.#state(orgId)?.limits ?? []);
  }

  async userLimits(orgId: string, userId: string): Promise<UserLimits[]> {
    return (this.#state(orgId)?.userLimits.get(userId) ?? []).map((l) => ({ ...l }));
  }

  async getUser(orgId: string, userId: string): Promise<User | null> {
    const user = this.#state(orgId)?.users.get(userId);
    return user ? { ...user } : null;
  }

  async listUsers(orgId: string, query: UsersQueryInput): Promise<{ items: User[]; total: number }> {
    const needle = query.q?.toLowerCase() ?? '';
    const ids = query.ids && query.ids.length ? new Set(query.ids) : null;
    const found = [...(this.#state(orgId)?.users.values() ?? [])]
      .filter(
        (u) =>
          (!ids || ids.has(u.id)) &&
          (!needle || [u.id, u.name ?? '', u.email ?? ''].some((text) => text.toLowerCase().includes(needle))),
      )
      .sort((a, b) => compareCodePoints(a.id, b.id));
    return { items: found.slice(query.offset, query.offset + query.limit).map((u) => ({ ...u })), total: found.length };
  }

  async listEndpoints(orgId: string, query: { since: number; q?: string; limit: number; maxId: number }): Promise<EndpointUse[]> {
    const counts = new Map<string, number>();
    for (const row of this.#rows(orgId, { maxId: query.maxId, from: query.since })) {
      counts.set(row.event.endpoint, (counts.get(row.event.endpoint) ?? 0) + 1);
    }
    const needle = query.q?.toLowerCase() ?? '';
    return [...counts]
      .filter(([endpoint]) => !needle || endpoint.toLowerCase().includes(needle))
      .map(([endpoint, events]) => ({ endpoint, events }))
      .sort((a, b) => b.events - a.events || compareCodePoints(a.endpoint, b.endpoint))
      .slice(0, query.limit);
  }

  async lastEventId(orgId: string): Promise<number> {
    const rows = this.#state(orgId)?.rows ?? [];
    return rows.length ? rows[rows.length - 1]!.id : 0;
  }

  async queryEvents(orgId: string, filter: StoreFilter, page: EventPageRequest): Promise<StoredEvent[]> {
    return this.#ordered(orgId, filter, page, page.offset, page.limit);
  }

  async countEvents(orgId: string, filter: StoreFilter, cap: number): Promise<number> {
    let count = 0;
    for (const row of this.#state(orgId)?.rows ?? []) {
      if (matches(row, filter) && ++count >= cap) break;
    }
    return count;
  }

  /**
   * Batch by batch: the matches are found as the batches are taken, not all before the
   * first (1M events: 150–300 ms at once). The sorted rows are a copy that ingest replaces,
   * never changes, so the walk may pause between batches.
   */
  async *iterateEvents(orgId: string, filter: StoreFilter, order: EventOrder): AsyncIterable<StoredEvent[]> {
    const state = this.#state(orgId);
    if (!state) return;
    const rows = this.#sorted(state, order.sort);
    const step = order.order === 'asc' ? 1 : -1;
    let i = step === 1 ? 0 : rows.length - 1;
    while (i >= 0 && i < rows.length) {
      const batch: StoredEvent[] = [];
      for (; i >= 0 && i < rows.length && batch.length < ITERATE_BATCH; i += step) {
        if (matches(rows[i]!, filter)) batch.push(rows[i]!.event);
      }
      if (batch.length) yield batch;
    }
  }

  async sumByKey(orgId: string, filter: StoreFilter, groupBy: GroupBy): Promise<KeySum[]> {
    const sums = new Map<string, number>();
    for (const row of this.#rows(orgId, filter)) {
      const key = groupKey(row.event, groupBy);
      sums.set(key, (sums.get(key) ?? 0) + row.event.amount);
    }
    return [...sums].map(([key, amount]) => ({ key, amount }));
  }

  async sumByBucket(
    orgId: string,
    filter: StoreFilter,
    edges: readonly number[],
    groupBy: GroupBy | null,
    keys: readonly string[] | null,
  ): Promise<BucketSum[]> {
    const wanted = keys ? new Set(keys) : null;
    const sums = new Map<string, BucketSum>();
    for (const row of this.#rows(orgId, filter)) {
      const bucket = bucketIndex(edges, row.created);
      if (bucket < 0) continue;
      let key = groupBy ? groupKey(row.event, groupBy) : null;
      if (key !== null && wanted && !wanted.has(key)) key = null;
      const id = `${bucket}\u0000${key ?? ''}\u0000${key === null ? 0 : 1}`;
      const sum = sums.get(id);
      if (sum) sum.amount += row.event.amount;
      else sums.set(id, { bucket, key, amount: row.event.amount });
    }
    return [...sums.values()];
  }

  async drawnByMinute(orgId: string, resourceType: ResourceType, from: number, to: number, maxId: number): Promise<MinuteDrawn[]> {
    const drawn = new Map<number, number>();
    for (const row of this.#rows(orgId, { maxId, from, to, resourceType })) {
      if (row.event.surplusAmount === 0) continue;
      const minute = Math.floor(row.created / MINUTE) * MINUTE;
      drawn.set(minute, (drawn.get(minute) ?? 0) + row.event.surplusAmount);
    }
    return [...drawn].sort((a, b) => a[0] - b[0]).map(([minute, value]) => ({ minute, drawn: value }));
  }

  async surplusBuckets(orgId: string, resourceType: ResourceType, edges: readonly number[], maxId: number): Promise<SurplusBucket[]> {
    const drawn = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
    const users = drawn.map(() => new Set<string>());
    for (const row of this.#rows(orgId, { maxId, resourceType })) {
      if (row.event.surplusAmount === 0) continue;
      const bucket = bucketIndex(edges, row.created);
      if (bucket < 0) continue;
      drawn[bucket]! += row.event.surplusAmount;
      users[bucket]!.add(row.event.userId);
    }
    return drawn.map((value, i) => ({ drawn: value, usersOverBase: users[i]!.size }));
  }

  async eventsAfter(orgId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    const rows = this.#state(orgId)?.rows ?? [];
    const start = firstAfter(rows, afterId);
    return rows.slice(start, start + limit).map((row) => row.event);
  }

  async countEventsAfter(orgId: string, afterId: number, cap: number): Promise<number> {
    const rows = this.#state(orgId)?.rows ?? [];
    return Math.min(cap, rows.length - firstAfter(rows, afterId));
  }

  watch(orgId: string, listener: () => void): () => void {
    const state = this.#state(orgId);
    if (!state) return () => {};
    state.listeners.add(listener);
    return () => state.listeners.delete(listener);
  }

  async ingest(orgId: string, entries: readonly (IngestItem | IngestRefusal)[], options: IngestOptions = {}): Promise<IngestOutcome> {
    const state = this.#require(orgId);
    const idem = options.idempotency;
    if (idem) {
      for (const [key, remembered] of state.idempotency) {
        if (remembered.at <= idem.now - 86_400_000) state.idempotency.delete(key);
      }
      const remembered = state.idempotency.get(idem.key);
      if (remembered) {
        return remembered.requestHash === idem.requestHash ? { kind: 'replayed', results: structuredClone(remembered.results) } : { kind: 'conflict' };
      }
    }
    const source = {
      windows: state.windows,
      organizationLimits: state.limits,
      userLimits: (userId: string) => (state.users.has(userId) ? (state.userLimits.get(userId) ?? []) : undefined),
    };
    // Each organization's ids are its own sequence (as in PostgreSQL): one organization's
    // ingest leaves no gap in another's ids to show its volume.
    const { results } = classifyEntries(source, entries, (state.rows.at(-1)?.id ?? 0) + 1, (event, item) =>
      state.rows.push({ event, id: Number(event.id), created: item.created }),
    );
    if (idem) state.idempotency.set(idem.key, { requestHash: idem.requestHash, at: idem.now, results: structuredClone(results) });
    if (results.some((r) => !('error' in r))) {
      state.sorted.clear();
      for (const listener of [...state.listeners]) listener();
    }
    return { kind: 'stored', results };
  }

  async close(): Promise<void> {
    for (const state of this.#orgs.values()) state.listeners.clear();
  }
}

/** A new, empty in-memory store. */
export function createMemoryStore(): MemoryStore {
  return new MemoryStore();
}
