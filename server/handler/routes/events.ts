/** `GET events` (one page) and `GET events.csv` (every matching event, streamed). */
import { LIMITS, type EventSortColumn, type SortOrder } from '../../../src/api/contract.js';
import { CSV_HEADER, csvRow } from '../../domain/csv.js';
import { ApiError, badParameter } from '../../domain/errors.js';
import { checkAmounts, explicitRange, parseRouteParams, rangeOrDefault, type Parsed } from '../../domain/params.js';
import type { StoreFilter } from '../../store/types.js';
import { nextTask } from '../admission.js';
import type { RouteContext } from '../context.js';
import { json } from '../http.js';
import { snapshot, storeFilter, type Snapshot } from './common.js';

/** The table's filter: with a request ID and no range, all dates; else the range or the last 7 days. */
function eventFilter(ctx: RouteContext, params: Parsed<'events'> | Parsed<'eventsCsv'>, snap: Snapshot): StoreFilter {
  checkAmounts(params, true);
  const range = params.requestId !== undefined ? explicitRange(params) : rangeOrDefault(params, ctx.asOf);
  return storeFilter(params, range, snap.maxId);
}

/** A page past this many rows is an expensive read (admission.ts). */
const DEEP_PAGE_OFFSET = 1_000;

function orderOf(params: { sort?: EventSortColumn; order?: SortOrder }): { sort: EventSortColumn; order: SortOrder } {
  return { sort: params.sort ?? 'created', order: params.order ?? 'desc' };
}

export async function getEvents(ctx: RouteContext): Promise<Response> {
  const params = parseRouteParams('events', ctx.url.search);
  const pageSize = params.pageSize ?? LIMITS.defaultPageSize;
  const page = params.page ?? 1;
  if (pageSize > LIMITS.maxPageSize) throw badParameter('pageSize', `pageSize must be between 1 and ${LIMITS.maxPageSize}.`);
  const offset = (page - 1) * pageSize;
  if (offset > LIMITS.maxOffset) {
    throw badParameter('page', `(page − 1) × pageSize must be at most ${LIMITS.maxOffset.toLocaleString('en-US')}; narrow the filters or sort the other way.`);
  }
  const snap = await snapshot(ctx);
  const filter = eventFilter(ctx, params, snap);
  const read = async (): Promise<Response> => {
    const [items, count] = await Promise.all([
      ctx.store.queryEvents(ctx.orgId, filter, { ...orderOf(params), offset, limit: pageSize }),
      ctx.store.countEvents(ctx.orgId, filter, LIMITS.exactTotalCap + 1),
    ]);
    const totalIsExact = count <= LIMITS.exactTotalCap;
    return json(200, {
      items,
      page,
      pageSize,
      total: totalIsExact ? count : LIMITS.exactTotalCap,
      totalIsExact,
      asOf: snap.asOf,
      lastEventId: snap.lastEventId,
    });
  };
  // A deep page skips its offset in the store: an expensive read, which takes its turn
  // (exact at the snapshot taken on arrival, as any answer).
  return offset > DEEP_PAGE_OFFSET ? ctx.expensiveRead(read) : read();
}

export async function getEventsCsv(ctx: RouteContext): Promise<Response> {
  const params = parseRouteParams('eventsCsv', ctx.url.search);
  const snap = await snapshot(ctx);
  const filter = eventFilter(ctx, params, snap);
  const count = await ctx.store.countEvents(ctx.orgId, filter, LIMITS.maxCsvRows + 1);
  if (count > LIMITS.maxCsvRows) {
    throw new ApiError('bad_parameter', `The download holds more than ${LIMITS.maxCsvRows.toLocaleString('en-US')} rows; narrow the range or the filters.`, 'from');
  }
  const batches = ctx.store.iterateEvents(ctx.orgId, filter, orderOf(params))[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(CSV_HEADER));
        return;
      }
      // Each batch a task of its own, whatever reads the body: a reader that asks again as
      // soon as it gets a chunk (node's own stream writers to a fast client, a Response read
      // in a loop) drives this in microtasks alone, and no other request ran until the end.
      await nextTask();
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(csvRow).join('')));
    },
    async cancel() {
      await batches.return?.();
    },
  });
  const stamp = snap.asOf.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="events-${stamp}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // A file has no room for them: asOf and lastEventId, as every read answer carries, in headers.
      'usage-as-of': snap.asOf,
      'usage-last-event-id': snap.lastEventId,
    },
  });
}
