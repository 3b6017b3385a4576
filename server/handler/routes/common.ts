/** What several routes share: the snapshot an answer reflects and the store filter. */
import { formatInstant, type IoType, type PoolCategory, type ResourceType } from '../../../src/api/contract.js';
import type { StoreFilter } from '../../store/types.js';
import type { RouteContext } from '../context.js';

export interface Snapshot {
  asOf: string;
  lastEventId: string;
  /** Reads see only events up to here, so the answer and the live stream after it fit. */
  maxId: number;
}

export async function snapshot(ctx: RouteContext): Promise<Snapshot> {
  const maxId = await ctx.store.lastEventId(ctx.orgId);
  return { asOf: formatInstant(ctx.asOf), lastEventId: String(maxId), maxId };
}

/** The filter parameters as parsed by any route. */
export interface FilterParams {
  resourceType?: ResourceType;
  userId?: string[];
  poolCategory?: PoolCategory[];
  ioType?: IoType[];
  amountMin?: number;
  amountMax?: number;
  requestId?: string;
  endpoint?: string[];
}

export function storeFilter(params: FilterParams, range: { from: number; to: number } | null, maxId: number): StoreFilter {
  const filter: StoreFilter = { maxId };
  if (range) {
    filter.from = range.from;
    filter.to = range.to;
  }
  if (params.resourceType !== undefined) filter.resourceType = params.resourceType;
  if (params.userId?.length) filter.userIds = params.userId;
  if (params.poolCategory?.length) filter.poolCategories = params.poolCategory;
  if (params.ioType?.length) filter.ioTypes = params.ioType;
  if (params.amountMin !== undefined) filter.amountMin = params.amountMin;
  if (params.amountMax !== undefined) filter.amountMax = params.amountMax;
  if (params.requestId !== undefined) filter.requestId = params.requestId;
  if (params.endpoint?.length) filter.endpoints = params.endpoint;
  return filter;
}
