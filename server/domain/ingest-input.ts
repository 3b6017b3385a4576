/**
 * Validation of `POST events` bodies: one event or `{ events: [...] }` (at most 10,000),
 * each `{ userId, amount, resourceType, ioType, requestId, endpoint, created? }` with
 * `created` in `[now − 24h, now + 5 min]` (default now).
 */
import { IO_TYPES, LIMITS, RESOURCE_TYPES, tooLong } from '../../src/api/contract.js';
import type { IngestItem, IngestRefusal } from '../store/types.js';
import { ApiError, badParameter } from './errors.js';
import { parseInstantFast } from './instants.js';

const FIELDS = new Set(['userId', 'amount', 'resourceType', 'ioType', 'requestId', 'endpoint', 'created']);
const TEXT_FIELDS = ['userId', 'requestId', 'endpoint'] as const;
const LONE_SURROGATE = /\p{Cs}/u;

function refusal(param: string, message: string): IngestRefusal {
  return { error: { code: 'bad_parameter', message, param } };
}

function isWellFormedText(value: string): boolean {
  // No lone surrogates (they have no UTF-8 form) and no NUL (PostgreSQL text refuses it).
  return !LONE_SURROGATE.test(value) && !value.includes('\u0000');
}

/**
 * One event's fields, checked; a refusal names the bad field. `textChecked`: the caller
 * knows every string in `input` is well-formed and free of NUL (see `parseIngestBody`).
 */
export function validateIngestEvent(input: unknown, now: number, textChecked = false): IngestItem | IngestRefusal {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return refusal('event', 'An event must be a JSON object.');
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FIELDS.has(key)) return refusal(key.slice(0, 64), `Unknown field ${JSON.stringify(key.slice(0, 64))}.`);
  }
  for (const field of TEXT_FIELDS) {
    const value = record[field];
    if (typeof value !== 'string' || value.length === 0) return refusal(field, `${field} must be a non-empty string.`);
    if (tooLong(value)) return refusal(field, `${field} is longer than ${LIMITS.maxStringLength} characters.`);
    if (!textChecked && !isWellFormedText(value)) return refusal(field, `${field} must be well-formed text without NUL characters.`);
  }
  const amount = record.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) return refusal('amount', 'amount must be a non-negative integer.');
  if (!(RESOURCE_TYPES as readonly unknown[]).includes(record.resourceType)) return refusal('resourceType', `resourceType must be one of ${RESOURCE_TYPES.join(', ')}.`);
  if (!(IO_TYPES as readonly unknown[]).includes(record.ioType)) return refusal('ioType', `ioType must be one of ${IO_TYPES.join(', ')}.`);
  let created = now;
  if (record.created !== undefined) {
    const parsed = typeof record.created === 'string' ? parseInstantFast(record.created) : null;
    if (parsed === null) return refusal('created', 'created must be an instant with Z or an offset.');
    if (parsed < now - LIMITS.ingestPastMs || parsed > now + LIMITS.ingestFutureMs) {
      return refusal('created', 'created must lie within the last 24 hours or the next 5 minutes.');
    }
    created = parsed;
  }
  return {
    userId: record.userId as string,
    amount,
    resourceType: record.resourceType as IngestItem['resourceType'],
    ioType: record.ioType as IngestItem['ioType'],
    requestId: record.requestId as string,
    endpoint: record.endpoint as string,
    created,
  };
}

export interface ParsedIngestBody {
  batch: boolean;
  entries: (IngestItem | IngestRefusal)[];
}

/** Parses the body: a single event or a batch. Whole-body problems are thrown as 400/413. */
/** The deepest a body nests: `{ "events": [ { "userId": … } ] }`, and a field's value one more (refused by its entry). */
const MAX_BODY_DEPTH = 4;

/**
 * Whether a JSON text nests deeper than `max` arrays and objects (brackets in strings not
 * counted). Scanned before parsing: 15 MB of `[[[…]]]` took a second of the one thread to
 * parse and gigabytes to hold, for a body no batch of events needs.
 */
function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export function parseIngestBody(text: string, now: number): ParsedIngestBody {
  if (nestsDeeper(text, MAX_BODY_DEPTH)) {
    throw badParameter('body', `The body nests deeper than ${MAX_BODY_DEPTH} levels: send one event or { "events": [...] } of flat events.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badParameter('body', 'The body must be JSON: one event or { "events": [...] }.');
  }
  // A JSON text without a backslash has no escapes, so its strings hold only characters of
  // the text (JSON refuses a raw NUL in a string): when the text itself is well-formed, so
  // is every string in it, and the per-string check can be skipped.
  const textChecked = !text.includes('\\') && !LONE_SURROGATE.test(text);
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body) {
    const record = body as Record<string, unknown>;
    const extra = Object.keys(record).find((key) => key !== 'events');
    if (extra !== undefined) throw badParameter(extra.slice(0, 64), `Unknown field ${JSON.stringify(extra.slice(0, 64))} beside events.`);
    if (!Array.isArray(record.events)) throw badParameter('events', 'events must be an array.');
    if (record.events.length > LIMITS.maxIngestBatch) {
      throw new ApiError('too_large', `A batch holds at most ${LIMITS.maxIngestBatch.toLocaleString('en-US')} events.`, 'events');
    }
    return { batch: true, entries: record.events.map((event) => validateIngestEvent(event, now, textChecked)) };
  }
  const entry = validateIngestEvent(body, now, textChecked);
  if ('error' in entry) throw badParameter(entry.error.param ?? 'body', entry.error.message);
  return { batch: false, entries: [entry] };
}
