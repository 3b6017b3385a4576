/** Response helpers shared by every route. */
import { ApiError } from '../domain/errors.js';
import { nextTask } from './admission.js';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

const encoder = new TextEncoder();
/** Items stringified together: small enough that no piece is a large string. */
const ITEMS_PER_PIECE = 100;

/**
 * `json(status, { items })`, the same bytes, made without the whole answer as one string:
 * a string past about 128 kB (an ingest batch's answer is about 250 kB) is a large object
 * to the JavaScript engine, several times dearer to make and collect than its pieces, and
 * the Response would encode it to bytes again anyway.
 */
export function jsonItems(status: number, items: readonly unknown[]): Response {
  const pieces = [encoder.encode('{"items":[')];
  for (let i = 0; i < items.length; i += ITEMS_PER_PIECE) {
    const piece = JSON.stringify(items.slice(i, i + ITEMS_PER_PIECE));
    pieces.push(encoder.encode(`${i ? ',' : ''}${piece.slice(1, -1)}`));
  }
  pieces.push(encoder.encode(']}'));
  return new Response(concat(pieces), { status, headers: JSON_HEADERS });
}

/** Array items serialised per task by `jsonInPieces`: a surplus series' 1,000 points are about 120 kB. */
const ITEMS_PER_TASK = 1_000;

/**
 * `json(status, body)`, the same bytes, with the array `body[key]` serialised a thousand
 * items at a time, each piece in a task of its own: a chart of 18,720 minute buckets is
 * 2.2–4.3 MB of JSON, 25–50 ms of one call, during which no other request ran.
 */
export async function jsonInPieces(status: number, body: Record<string, unknown>, key: string): Promise<Response> {
  const items = body[key] as readonly unknown[];
  // The array's place in the rest of the answer: the first `"key":[]` (a string value
  // holds its quotes escaped, so none can read so before it).
  const rest = JSON.stringify({ ...body, [key]: [] });
  const at = rest.indexOf(`${JSON.stringify(key)}:[]`) + key.length + 4;
  const pieces = [encoder.encode(rest.slice(0, at))];
  for (let i = 0; i < items.length; i += ITEMS_PER_TASK) {
    if (i > 0) await nextTask();
    const piece = JSON.stringify(items.slice(i, i + ITEMS_PER_TASK));
    pieces.push(encoder.encode(`${i ? ',' : ''}${piece.slice(1, -1)}`));
  }
  pieces.push(encoder.encode(rest.slice(at)));
  return new Response(concat(pieces), { status, headers: JSON_HEADERS });
}

function concat<B extends ArrayBufferLike>(chunks: readonly Uint8Array<B>[]): Uint8Array<B | ArrayBuffer> {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export function errorResponse(error: ApiError): Response {
  return json(error.status, error.toBody(), error.headers);
}

/** Reads a request body as text, refusing more than `maxBytes` (413) before holding it all. */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  const tooLarge = () => new ApiError('too_large', `The body is larger than ${maxBytes.toLocaleString('en-US')} bytes.`, 'body');
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(concat(chunks));
  } catch {
    throw new ApiError('bad_parameter', 'The body must be UTF-8.', 'body');
  }
}
