/**
 * Ingest classification, DESIGN.md "The surplus model", exactly: against the stored
 * events in `(t − 4h, t]`, `baseLeft = max(0, basePer4h − the user's Σ(amount −
 * surplusAmount))`, `surplusLeft = min(max(0, surplusPer4h − the user's Σ surplusAmount),
 * available(t))`; allocated within baseLeft, surplus when baseLeft is 0, hybrid across
 * both, refused past them; the organization's rolling 7-day limits refuse the same way.
 */
import { LIMITS, formatInstant, type PoolCategory, type ResourceLimits, type ResourceType } from '../../src/api/contract.js';
import type { IngestItem, IngestRefusal, IngestResult, OrganizationLimits, StoredEvent, UserLimits } from '../store/types.js';
import { formatInstantFast } from './instants.js';
import type { UsageWindows, WindowReading } from './windows.js';

export interface Accepted {
  poolCategory: PoolCategory;
  surplusAmount: number;
}

export interface Refused {
  baseLeft: number;
  surplusLeft: number;
  weeklyLeft: number | null;
  /** Which limit refused it: the user's 4-hour budgets (with the pool) or the 7-day one. */
  binding: 'window' | 'week';
  /** Whether the pool, not the user's own allowance, set `surplusLeft`. */
  poolBinds: boolean;
}

export interface ClassifyInput {
  amount: number;
  budget: ResourceLimits;
  reading: WindowReading;
  /** The pool's capacity at t. */
  capacity: number;
  /** The organization's rolling 7-day limit of this type, or null (ocr). */
  weekLimit: number | null;
}

/** Classifies one event; pure. */
export function classify({ amount, budget, reading, capacity, weekLimit }: ClassifyInput): Accepted | Refused {
  const baseLeft = Math.max(0, budget.basePer4h - reading.userBase);
  const ownSurplusLeft = Math.max(0, budget.surplusPer4h - reading.userSurplus);
  // As DESIGN.md writes it: below 0 when the pool is overdrawn (events ingested back-dated
  // into a window, or a capacity lowered), which leaves nothing to draw.
  const available = capacity - reading.poolDrawn;
  const surplusLeft = Math.min(ownSurplusLeft, available);
  const weeklyLeft = weekLimit === null ? null : Math.max(0, weekLimit - reading.weekUsed);
  const poolBinds = available < ownSurplusLeft;
  if (weeklyLeft !== null && amount > weeklyLeft) return { baseLeft, surplusLeft, weeklyLeft, binding: 'week', poolBinds };
  if (amount <= baseLeft) return { poolCategory: 'allocated', surplusAmount: 0 };
  if (baseLeft === 0 && amount <= surplusLeft) return { poolCategory: 'surplus', surplusAmount: amount };
  if (amount <= baseLeft + surplusLeft) return { poolCategory: 'hybrid', surplusAmount: amount - baseLeft };
  return { baseLeft, surplusLeft, weeklyLeft, binding: 'window', poolBinds };
}

/** The version in force at `t`: the latest with `effectiveFrom ≤ t`, else the first. */
export function versionAt<T extends { effectiveFrom: number }>(versions: readonly T[], t: number): T | undefined {
  let found: T | undefined;
  for (const version of versions) {
    if (version.effectiveFrom <= t) found = version;
    else break;
  }
  return found ?? versions[0];
}

/**
 * A user's budgets for one type at `t`; none configured means nothing to spend. The
 * version is `versionAt` over the type's versions, found without making that list (once
 * per ingested event).
 */
export function budgetAt(limits: readonly UserLimits[], type: ResourceType, t: number): ResourceLimits {
  let first: UserLimits | undefined;
  let found: UserLimits | undefined;
  for (const version of limits) {
    if (version.resourceType !== type) continue;
    first ??= version;
    if (version.effectiveFrom <= t) found = version;
    else break;
  }
  const version = found ?? first;
  return version ? { basePer4h: version.basePer4h, surplusPer4h: version.surplusPer4h } : { basePer4h: 0, surplusPer4h: 0 };
}

/** The organization's rolling 7-day limit that refuses a type: tokens only (null for storage and ocr). */
export function weekLimitOf(limits: OrganizationLimits | undefined, type: ResourceType): number | null {
  // Only tokens (DESIGN.md: "the weekly token limit … refuses tokens past it"); the storage
  // limit is reported by GET limits, not enforced.
  return limits && type === 'tokens' ? limits.weeklyTokenLimit : null;
}

/** Lookups an organization's classifier needs from its store. */
export interface ClassifierSource {
  windows: UsageWindows;
  organizationLimits: readonly OrganizationLimits[];
  /** The user's limit versions, oldest first, or undefined for an unknown user. */
  userLimits(userId: string): readonly UserLimits[] | undefined;
}

function describeRefusal(refused: Refused): string {
  if (refused.binding === 'week') {
    return refused.weeklyLeft ? "The amount exceeds what is left of the organization's weekly token limit." : "The organization's weekly token limit is reached.";
  }
  // Who is short: an admin raises a user's budget for the one, the pool's capacity for the other.
  return refused.poolBinds
    ? "The amount exceeds the user's remaining base budget and what is left of the organization's surplus pool."
    : "The amount exceeds the user's remaining base budget and surplus allowance.";
}

/**
 * Classifies a request's entries in order, each seeing the ones before it in the windows:
 * refusals (the handler's and classification's) keep their place in the results; each
 * accepted item becomes an event with the next id, handed to `accept` as it is made. The
 * one loop of every store's ingest. Returns the results and the id after the last used.
 */
export function classifyEntries(
  source: ClassifierSource,
  entries: readonly (IngestItem | IngestRefusal)[],
  nextId: number,
  accept: (event: StoredEvent, item: IngestItem) => void,
): { results: IngestResult[]; nextId: number } {
  const results: IngestResult[] = [];
  for (const item of entries) {
    if ('error' in item) {
      results.push(item);
      continue;
    }
    const outcome = classifyItem(source, item);
    if ('error' in outcome) {
      results.push(outcome);
      continue;
    }
    const event: StoredEvent = {
      id: String(nextId++),
      created: formatInstantFast(item.created),
      userId: item.userId,
      amount: item.amount,
      resourceType: item.resourceType,
      poolCategory: outcome.poolCategory,
      ioType: item.ioType,
      requestId: item.requestId,
      endpoint: item.endpoint,
      surplusAmount: outcome.surplusAmount,
    };
    accept(event, item);
    results.push(event);
  }
  return { results, nextId };
}

/**
 * Classifies one validated item of an organization and records it in the windows when
 * accepted: the one path of ingest, the seed and the backfill.
 */
export function classifyItem(source: ClassifierSource, item: IngestItem): Accepted | IngestRefusal {
  const userLimits = source.userLimits(item.userId);
  if (!userLimits) {
    return { error: { code: 'bad_parameter', message: 'userId is not a user of this organization.', param: 'userId' } };
  }
  const orgLimits = versionAt(source.organizationLimits, item.created);
  const result = classify({
    amount: item.amount,
    budget: budgetAt(userLimits, item.resourceType, item.created),
    reading: source.windows.read(item.userId, item.resourceType, item.created),
    capacity: orgLimits?.surplusCapacity[item.resourceType] ?? 0,
    weekLimit: weekLimitOf(orgLimits, item.resourceType),
  });
  if ('poolCategory' in result) {
    source.windows.add(item.userId, item.resourceType, item.created, item.amount, result.surplusAmount);
    return result;
  }
  const oldest = source.windows.oldest(item.userId, item.resourceType, item.created);
  // When the limit that refused it first gets room back: its oldest consumption leaves the
  // window (the user's own events; the pool's drawn minutes only when the pool, not the
  // user's allowance, holds the surplus back). Null when nothing it counts can leave.
  let freesAt: number | null;
  if (result.binding === 'week') {
    freesAt = oldest.week === null ? null : oldest.week + LIMITS.weekMs;
  } else {
    const candidates = [oldest.user, result.poolBinds ? oldest.pool : null].filter((v): v is number => v !== null);
    freesAt = candidates.length ? Math.min(...candidates) + LIMITS.windowMs : null;
  }
  return {
    error: {
      code: 'limit_exceeded',
      message: describeRefusal(result),
      details: {
        baseLeft: result.baseLeft,
        surplusLeft: result.surplusLeft,
        weeklyLeft: result.weeklyLeft,
        freesAt: freesAt === null ? null : formatInstant(freesAt),
      },
    },
  };
}
