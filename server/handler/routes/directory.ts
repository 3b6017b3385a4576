/** `GET users`, `GET users/{id}`, `GET endpoints`, `GET limits`. */
import { LIMITS, RESOURCE_TYPES, tooLong, type OrgLimits, type ResourceLimits, type ResourceType, type UserDetail } from '../../../src/api/contract.js';
import { budgetAt, versionAt } from '../../domain/classification.js';
import { ApiError, badParameter } from '../../domain/errors.js';
import { parseRouteParams } from '../../domain/params.js';
import type { RouteContext } from '../context.js';
import { json } from '../http.js';
import { snapshot } from './common.js';

const DAY = 86_400_000;

function limitParam(value: number | undefined, fallback: number, max: number): number {
  const limit = value ?? fallback;
  if (limit > max) throw badParameter('limit', `limit must be between 1 and ${max}.`);
  return limit;
}

export async function getUsers(ctx: RouteContext): Promise<Response> {
  const params = parseRouteParams('users', ctx.url.search);
  const limit = limitParam(params.limit, LIMITS.usersDefaultLimit, LIMITS.usersMaxLimit);
  const offset = params.offset ?? 0;
  if (offset > LIMITS.maxOffset) throw badParameter('offset', `offset must be at most ${LIMITS.maxOffset.toLocaleString('en-US')}.`);
  const snap = await snapshot(ctx);
  const found = await ctx.store.listUsers(ctx.orgId, {
    limit,
    offset,
    ...(params.q ? { q: params.q } : {}),
    ...(params.id ? { ids: params.id } : {}),
  });
  return json(200, { items: found.items, total: found.total, asOf: snap.asOf, lastEventId: snap.lastEventId });
}

export async function getUser(ctx: RouteContext, userId: string): Promise<Response> {
  parseRouteParams('none', ctx.url.search);
  // As for a user id in a query (PostgreSQL text cannot hold NUL, so no user has one).
  if (userId.includes('\u0000')) throw badParameter('id', 'The user id in the path must not contain NUL characters.');
  if (tooLong(userId)) throw badParameter('id', `The user id in the path is at most ${LIMITS.maxStringLength} characters.`);
  const snap = await snapshot(ctx);
  const user = await ctx.store.getUser(ctx.orgId, userId);
  if (!user) throw new ApiError('not_found', 'No such user.');
  const versions = await ctx.store.userLimits(ctx.orgId, userId);
  const limits = Object.fromEntries(RESOURCE_TYPES.map((type) => [type, budgetAt(versions, type, ctx.asOf)])) as Record<ResourceType, ResourceLimits>;
  const answer: UserDetail = { ...user, limits, asOf: snap.asOf, lastEventId: snap.lastEventId };
  return json(200, answer);
}

export async function getEndpoints(ctx: RouteContext): Promise<Response> {
  const params = parseRouteParams('endpoints', ctx.url.search);
  const limit = limitParam(params.limit, LIMITS.endpointsDefaultLimit, LIMITS.endpointsMaxLimit);
  const snap = await snapshot(ctx);
  const items = await ctx.store.listEndpoints(ctx.orgId, {
    since: ctx.asOf - LIMITS.endpointsWindowDays * DAY,
    limit,
    maxId: snap.maxId,
    ...(params.q ? { q: params.q } : {}),
  });
  return json(200, { items, asOf: snap.asOf, lastEventId: snap.lastEventId });
}

export async function getLimits(ctx: RouteContext): Promise<Response> {
  parseRouteParams('none', ctx.url.search);
  const snap = await snapshot(ctx);
  const { store, orgId, asOf } = ctx;
  // (asOf − 7d, asOf]: the window ingest refuses against at asOf.
  const week = [asOf - LIMITS.weekMs + 1, asOf + 1];
  const used = async (resourceType: ResourceType) =>
    (await store.sumByBucket(orgId, { maxId: snap.maxId, resourceType, from: week[0]!, to: week[1]! }, week, null, null)).reduce(
      (sum, row) => sum + row.amount,
      0,
    );
  const [versions, weeklyTokensUsed, storageUsed] = await Promise.all([store.organizationLimits(orgId), used('tokens'), used('storage')]);
  const current = versionAt(versions, asOf);
  const answer: OrgLimits = {
    weeklyTokenLimit: current?.weeklyTokenLimit ?? 0,
    weeklyTokensUsed,
    storageLimit: current?.storageLimit ?? 0,
    storageUsed,
    surplusCapacity: current?.surplusCapacity ?? { tokens: 0, storage: 0, ocr: 0 },
    asOf: snap.asOf,
    lastEventId: snap.lastEventId,
  };
  return json(200, answer);
}
