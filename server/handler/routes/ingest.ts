/** `POST events`: one event (201 or 422) or a batch (200 with one entry per input). */
import { LIMITS } from '../../../src/api/contract.js';
import { ApiError, badParameter } from '../../domain/errors.js';
import { parseIngestBody } from '../../domain/ingest-input.js';
import { sha256Hex } from '../../domain/sha256.js';
import type { IngestResult } from '../../store/types.js';
import type { RouteContext } from '../context.js';
import { json, jsonItems, readBody } from '../http.js';

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

function render(batch: boolean, results: readonly IngestResult[]): Response {
  if (batch) return jsonItems(200, results);
  const result = results[0]!;
  if (!('error' in result)) return json(201, result);
  return json(result.error.code === 'limit_exceeded' ? 422 : 400, result);
}

/** A body past this many characters takes its turn to be parsed (about 1,000 events). */
const LARGE_BODY = 1_000_000;

export async function postEvents(ctx: RouteContext): Promise<Response> {
  if (ctx.url.search.length > 1) throw badParameter([...ctx.url.searchParams.keys()][0] ?? 'query', 'POST events takes no query parameters.');
  const key = ctx.request.headers.get('idempotency-key');
  if (key !== null && (key.length === 0 || key.length > LIMITS.maxStringLength)) {
    throw badParameter('Idempotency-Key', `Idempotency-Key must be 1 to ${LIMITS.maxStringLength} characters.`);
  }
  const text = await readBody(ctx.request, ctx.options.maxBodyBytes ?? DEFAULT_MAX_BODY);
  const now = ctx.now();
  // A large body is parsed in its turn with the expensive reads (admission.ts): eight 15 MB
  // bodies at once held every other request for seconds and the process at 2.8 GB.
  const parsed = text.length > LARGE_BODY ? await ctx.expensiveRead(async () => parseIngestBody(text, now)) : parseIngestBody(text, now);
  // A single event for a user the organization does not have is refused whole, as a bad
  // field is, before the store remembers its key: sent again corrected with the same key,
  // it is stored (classification finds the user too, for a batch's entries; users are never
  // deleted, so one found here is found there).
  const single = parsed.batch ? null : parsed.entries[0]!;
  if (single && !('error' in single) && !(await ctx.store.getUser(ctx.orgId, single.userId))) {
    throw badParameter('userId', 'userId is not a user of this organization.');
  }
  const outcome = await ctx.store.ingest(
    ctx.orgId,
    parsed.entries,
    key === null ? {} : { idempotency: { key, requestHash: sha256Hex(text), now } },
  );
  if (outcome.kind === 'conflict') {
    throw new ApiError('conflict', 'This Idempotency-Key was used within 24 hours with a different body.', 'Idempotency-Key');
  }
  const response = render(parsed.batch, outcome.results);
  if (outcome.kind === 'replayed') response.headers.set('idempotent-replayed', 'true');
  return response;
}
