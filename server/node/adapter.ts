/**
 * The node:http adapter: IncomingMessage → Request, Response → ServerResponse, with
 * streamed bodies both ways, backpressure, and a client disconnect aborting the request
 * (which ends a live stream). `maxHeaderSize` is 65,536 so that a query string of the
 * contract's 32,768 characters fits.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ApiError } from '../domain/errors.js';
import { LIMITS } from '../../src/api/contract.js';
import { acceptsGzip, isCompressible, MIN_COMPRESSED_BYTES, varyOn } from './compression.js';

export type WebHandler = (request: Request) => Promise<Response>;

export const MAX_HEADER_SIZE = 65_536;

/** The Web Request for a node request; `signal` aborts when the client goes away. */
export function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  // The host header is the client's to choose: the URL takes only the path and query.
  // An origin-form target ("/a?b", even "//x") is kept whole; an absolute-form one
  // ("http://host/a?b") gives its path and query.
  const target = req.url ?? '/';
  let url: URL;
  if (target.startsWith('/')) {
    url = new URL(`http://localhost${target}`);
  } else {
    const absolute = new URL(target, 'http://localhost');
    url = new URL(`http://localhost${absolute.pathname}${absolute.search}`);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method ?? 'GET',
    headers,
    signal,
    ...(hasBody ? { body: bodyStream(req), duplex: 'half' } : {}),
  } as RequestInit);
}

/** How much of a body the handler left unread is taken in (and dropped) before its answer. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** How long a client may pause while sending a body left unread before it is answered anyway. */
const DRAIN_IDLE_MS = 2_000;

/** Detaches a request's body stream from the request, so that the rest can be drained. */
const detachBody = new WeakMap<IncomingMessage, () => void>();

/**
 * The request body as a Web stream, with backpressure. Cancelling it (a handler refusing a
 * body too large) detaches it and leaves the request alone: node's own `Readable.toWeb`
 * destroys the request, which closes the connection before the answer can be written.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let detach = () => {};
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const onData = (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) req.pause();
        };
        const onEnd = () => controller.close();
        const onError = (error: Error) => controller.error(error);
        // A client gone before the body's end: the reader fails rather than waits.
        const onClose = () => req.complete || controller.error(new Error('The client left before the body ended.'));
        detach = () => {
          req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
          req.pause();
        };
        detachBody.set(req, detach);
        req.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        detach();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}

/**
 * Takes in and drops the rest of a body the handler left unread (a 413 on its declared
 * length, a 401 before reading), up to `DRAIN_LIMIT_BYTES` and while the client keeps
 * sending. A client such as fetch sends its whole body before it reads the answer: answered
 * and closed while still sending, it saw EPIPE instead of the 413.
 */
function drainBody(req: IncomingMessage): Promise<void> {
  detachBody.get(req)?.();
  return new Promise((resolve) => {
    let taken = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData).off('end', done).off('close', done);
      req.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      taken += chunk.byteLength;
      clearTimeout(timer);
      if (taken > DRAIN_LIMIT_BYTES) done();
      else timer = setTimeout(done, DRAIN_IDLE_MS);
    };
    req.on('data', onData).once('end', done).once('close', done);
    timer = setTimeout(done, DRAIN_IDLE_MS);
    req.resume();
  });
}

/**
 * Writes a Web Response, streaming its body with backpressure until done or the client
 * leaves. A text answer of a kilobyte or more goes gzipped, still streamed, to a client
 * whose `Accept-Encoding` allows it; never a live stream, a HEAD or a bodyless answer.
 */
export async function writeResponse(res: ServerResponse, response: Response, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  // A body the handler left unread (a 413, a 401 before reading) is drained first, then the
  // connection closes after this answer: what is left of it would hold the next request of
  // a keep-alive connection behind it.
  if (!res.req.complete) {
    headers.connection = 'close';
    await drainBody(res.req);
  }
  const compressible = isCompressible(response.headers.get('content-type') ?? '') && !response.headers.has('content-encoding');
  // Said on every such answer, compressed or not, so that a cache keeps the two apart.
  if (compressible) headers.vary = varyOn(response.headers.get('vary') ?? undefined, 'Accept-Encoding');
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  let sink: Writable = res;
  let sent = Promise.resolve();
  try {
    const gzip = compressible && res.req.method !== 'HEAD' && acceptsGzip(res.req.headers['accept-encoding']);
    // The first kilobyte decides: a body that ends within it goes as it is.
    const head = gzip ? await readAtLeast(reader, MIN_COMPRESSED_BYTES) : { chunks: [], ended: false, bytes: 0 };
    const compress = gzip && (!head.ended || head.bytes >= MIN_COMPRESSED_BYTES);
    if (compress) {
      headers['content-encoding'] = 'gzip';
      delete headers['content-length'];
      // Another encoding is another representation: a strong validator no longer names it.
      if (typeof headers.etag === 'string' && !headers.etag.startsWith('W/')) headers.etag = `W/${headers.etag}`;
    }
    res.writeHead(response.status, headers);
    if (compress) {
      const gzipped = createGzip();
      sink = gzipped;
      // The client leaving destroys the gzip stream with the socket.
      sent = pipeline(gzipped, res).catch(() => {});
    }
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) res.flushHeaders();
    for (const chunk of head.chunks) await write(sink, chunk);
    while (!head.ended) {
      const { done, value } = await reader.read();
      if (done) break;
      await write(sink, value);
      if (signal.aborted || sink.destroyed) break;
      // A macrotask between chunks: a body made as fast as the client takes it (a CSV
      // export to a fast reader on the embedded store) never waits on I/O otherwise, since
      // a write the socket takes at once returns at once and its 'drain' comes on the next
      // tick. Chunk after chunk then ran in one turn of the event loop, and every other
      // request waited for the whole export (950,000 rows: 7–10 s).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch {
    // The client left or the body failed: nothing more can be sent.
    if (!res.headersSent) res.writeHead(response.status, headers);
  } finally {
    signal.removeEventListener('abort', stop);
    sink.end();
    await sent;
  }
}

/** Reads chunks until they hold at least `bytes` or the body ends. */
async function readAtLeast(reader: ReadableStreamDefaultReader<Uint8Array>, bytes: number): Promise<{ chunks: Uint8Array[]; ended: boolean; bytes: number }> {
  const chunks: Uint8Array[] = [];
  let read = 0;
  while (read < bytes) {
    const { done, value } = await reader.read();
    if (done) return { chunks, ended: true, bytes: read };
    chunks.push(value);
    read += value.byteLength;
  }
  return { chunks, ended: false, bytes: read };
}

/** Writes a chunk, then waits while the destination's buffer is full, until it drains or closes. */
async function write(sink: Writable, chunk: Uint8Array): Promise<void> {
  if (sink.write(chunk) || sink.destroyed) return;
  await new Promise<void>((resolve) => {
    const resume = () => {
      sink.off('drain', resume);
      sink.off('close', resume);
      resolve();
    };
    sink.on('drain', resume);
    sink.on('close', resume);
  });
}

/** A node request listener serving a Web handler. */
export function nodeListener(handler: WebHandler, onError: (error: unknown) => void = console.error): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      // RFC 9112 §3.2: a 400 for an HTTP/1.1 request without Host, in the contract's body
      // (node's own check, which `createNodeServer` turns off, answers with none).
      const body = JSON.stringify(new ApiError('bad_parameter', 'An HTTP/1.1 request needs a Host header.', 'Host').toBody());
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
      res.end(body);
      return;
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    void (async () => {
      let request: Request;
      try {
        request = toRequest(req, controller.signal);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: { code: 'bad_parameter', message: 'The request target is not a valid URL.' } }));
        return;
      }
      try {
        const response = await handler(request);
        await writeResponse(res, response, controller.signal);
      } catch (error) {
        onError(error);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ error: { code: 'internal', message: 'The server failed to answer this request.' } }));
        } else {
          res.destroy();
        }
      }
    })();
  };
}

/**
 * The answer to a request node's parser refuses before the handler sees it, in the
 * contract's error body: a head over `MAX_HEADER_SIZE` (the parser keeps none of it, so
 * no parameter can be named) or anything else that is not HTTP is a 400.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const message =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? `The request line and headers are longer than ${MAX_HEADER_SIZE.toLocaleString('en-US')} bytes (a query string may hold at most ${LIMITS.maxQueryLength.toLocaleString('en-US')} characters).`
      : 'The request is not valid HTTP.';
  const answer = new ApiError('bad_parameter', message);
  const body = JSON.stringify(answer.toBody());
  socket.end(
    `HTTP/1.1 ${answer.status} Bad Request\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** An http.Server for a Web handler, with the header size the contract needs. */
export function createNodeServer(handler: WebHandler, onError?: (error: unknown) => void): Server {
  // The listener refuses a request without Host itself, in the contract's error body.
  const server = createServer({ maxHeaderSize: MAX_HEADER_SIZE, requireHostHeader: false }, nodeListener(handler, onError));
  server.on('clientError', answerClientError);
  return server;
}
