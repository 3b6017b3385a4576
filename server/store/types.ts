/**
 * The store interface: everything the handler needs from persistence, scoped by
 * organization on every call. Stores do the filtering, sorting, paging and aggregation
 * (an SQL store pushes them into its queries); the handler and the domain only shape
 * answers. Browser-safe: imports nothing from node:.
 *
 * Every store passes the one contract suite in test/contract/. Times are epoch
 * milliseconds, ids are numbers below 2^53 (strings on the wire).
 */
import type {
  ConsumptionEvent,
  EventSortColumn,
  GroupBy,
  IngestEventInput,
  IoType,
  PoolCategory,
  ResourceLimits,
  ResourceType,
  SortOrder,
} from '../../src/api/contract.js';

/** An event as stored, with the organization-scoped fields the wire form carries. */
export type StoredEvent = ConsumptionEvent;

/** What a bearer token grants: one organization, some scopes. */
export interface TokenGrant {
  orgId: string;
  scopes: readonly TokenScope[];
}
export type TokenScope = 'read' | 'ingest';

export interface Organization {
  id: string;
  name: string;
}

/** The organization's limits from `effectiveFrom` on, until a later version. */
export interface OrganizationLimits {
  effectiveFrom: number;
  /** Tokens per rolling 7 days, the whole organization. */
  weeklyTokenLimit: number;
  /** Bytes of storage per rolling 7 days, the whole organization. */
  storageLimit: number;
  /** The shared surplus pool per rolling 4 hours, per resource type. */
  surplusCapacity: Record<ResourceType, number>;
}

export interface User {
  id: string;
  name?: string;
  email?: string;
}

/** A user's budgets for one resource type from `effectiveFrom` on. */
export interface UserLimits extends ResourceLimits {
  resourceType: ResourceType;
  effectiveFrom: number;
}

/**
 * The filter of a read, normalised. `from`/`to` are half-open; absent means all dates.
 * `maxId` bounds every read to the events visible at the answer's `lastEventId`, so an
 * answer and the live stream after it never overlap or leave a gap.
 */
export interface StoreFilter {
  maxId: number;
  from?: number;
  to?: number;
  resourceType?: ResourceType;
  userIds?: readonly string[];
  poolCategories?: readonly PoolCategory[];
  ioTypes?: readonly IoType[];
  /** Inclusive. */
  amountMin?: number;
  /** Inclusive. */
  amountMax?: number;
  requestId?: string;
  endpoints?: readonly string[];
}

export interface EventOrder {
  sort: EventSortColumn;
  order: SortOrder;
}

export interface EventPageRequest extends EventOrder {
  offset: number;
  limit: number;
}

/** A sum per bucket and group key; `key` null is everything outside the requested keys. */
export interface BucketSum {
  bucket: number;
  key: string | null;
  amount: number;
}

export interface KeySum {
  key: string;
  amount: number;
}

export interface MinuteDrawn {
  /** The minute's start. */
  minute: number;
  drawn: number;
}

export interface SurplusBucket {
  drawn: number;
  usersOverBase: number;
}

export interface UsersQueryInput {
  q?: string;
  ids?: readonly string[];
  limit: number;
  offset: number;
}

export interface EndpointUse {
  endpoint: string;
  events: number;
}

/** One event to ingest, validated; `created` already resolved. */
export interface IngestItem extends Omit<IngestEventInput, 'created'> {
  created: number;
}

/** Why an event was refused (422 `limit_exceeded`), or a per-item bad value. */
export interface IngestRefusal {
  error: {
    code: 'limit_exceeded' | 'bad_parameter';
    message: string;
    param?: string;
    details?: {
      baseLeft: number;
      surplusLeft: number;
      weeklyLeft: number | null;
      freesAt: string | null;
    };
  };
}

export type IngestResult = StoredEvent | IngestRefusal;

export interface IngestOptions {
  /**
   * With a key: a repeat within 24 hours returns the first results and stores nothing;
   * the same key with another `requestHash` is a conflict.
   */
  idempotency?: { key: string; requestHash: string; now: number };
}

export type IngestOutcome =
  | { kind: 'stored'; results: IngestResult[] }
  | { kind: 'replayed'; results: IngestResult[] }
  | { kind: 'conflict' };

export interface Store {
  /** Who a token (its SHA-256, hex) belongs to, or null. */
  findToken(tokenHash: string): Promise<TokenGrant | null>;

  // Administration: the seed, an admin changing limits, main.ts.
  putOrganization(org: Organization): Promise<void>;
  getOrganization(orgId: string): Promise<Organization | null>;
  putToken(tokenHash: string, grant: TokenGrant): Promise<void>;
  setOrganizationLimits(orgId: string, limits: OrganizationLimits): Promise<void>;
  /** Adds or renames users (id, name, email); never deletes. */
  putUsers(orgId: string, users: readonly User[]): Promise<void>;
  setUserLimits(orgId: string, userId: string, limits: readonly UserLimits[]): Promise<void>;

  // Reads.
  /** Every version, oldest first. */
  organizationLimits(orgId: string): Promise<OrganizationLimits[]>;
  /** Every version of every resource type, oldest first; [] for another org's user. */
  userLimits(orgId: string, userId: string): Promise<UserLimits[]>;
  getUser(orgId: string, userId: string): Promise<User | null>;
  /** Ordered by id (code point); `q` matches id, name or email case-insensitively. */
  listUsers(orgId: string, query: UsersQueryInput): Promise<{ items: User[]; total: number }>;
  /** Endpoints with events in `[since, ∞)`, most used first, ties by code point. */
  listEndpoints(orgId: string, query: { since: number; q?: string; limit: number; maxId: number }): Promise<EndpointUse[]>;
  /** The newest event id of the organization, 0 when none. */
  lastEventId(orgId: string): Promise<number>;
  /** One page, sorted by the column then `created` then `id`, all in the same direction. */
  queryEvents(orgId: string, filter: StoreFilter, page: EventPageRequest): Promise<StoredEvent[]>;
  /** How many events match, counting at most `cap`. */
  countEvents(orgId: string, filter: StoreFilter, cap: number): Promise<number>;
  /** Every matching event in order, in batches (the CSV download). */
  iterateEvents(orgId: string, filter: StoreFilter, order: EventOrder): AsyncIterable<StoredEvent[]>;
  /** Σ amount per group key over the filter. */
  sumByKey(orgId: string, filter: StoreFilter, groupBy: GroupBy): Promise<KeySum[]>;
  /**
   * Σ amount per bucket (`edges[i] ≤ created < edges[i+1]`) and group key. With `keys`,
   * amounts of other keys come back under key null; with `groupBy` null, key is null.
   */
  sumByBucket(
    orgId: string,
    filter: StoreFilter,
    edges: readonly number[],
    groupBy: GroupBy | null,
    keys: readonly string[] | null,
  ): Promise<BucketSum[]>;
  /** Σ surplusAmount per minute with any, over `[from, to)`, oldest first (the rollup). */
  drawnByMinute(orgId: string, resourceType: ResourceType, from: number, to: number, maxId: number): Promise<MinuteDrawn[]>;
  /**
   * Per bucket (`edges[i] ≤ created < edges[i+1]`): Σ surplusAmount and the distinct users
   * with an event of surplusAmount > 0.
   */
  surplusBuckets(orgId: string, resourceType: ResourceType, edges: readonly number[], maxId: number): Promise<SurplusBucket[]>;
  /** Events with id > afterId in id order, at most `limit`. */
  eventsAfter(orgId: string, afterId: number, limit: number): Promise<StoredEvent[]>;
  /** How many events have id > afterId, counting at most `cap`. */
  countEventsAfter(orgId: string, afterId: number, cap: number): Promise<number>;
  /** Calls `listener` after events of the organization become visible. */
  watch(orgId: string, listener: () => void): () => void;

  /**
   * Classifies (DESIGN.md "The surplus model") and stores events in one transaction, in
   * input order; ids are assigned in that order under a per-organization lock. Entries
   * already refused by validation pass through to their place in the results (so that an
   * idempotent replay returns exactly the first answer).
   */
  ingest(orgId: string, entries: readonly (IngestItem | IngestRefusal)[], options?: IngestOptions): Promise<IngestOutcome>;

  close(): Promise<void>;
}
