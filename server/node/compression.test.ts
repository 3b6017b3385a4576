/**
 * Compression of the node adapter's answers, over a real socket and read with node:http
 * (which, unlike fetch, leaves the body as it came): the contract's JSON and CSV go
 * gzipped to a client that accepts gzip, and decode to the very bytes a client without it
 * gets; a refusal, a small answer, a HEAD and the live stream go as they are; a client
 * leaving mid-answer ends the gzip stream with it.
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DEMO_INGEST_TOKEN, DEMO_TOKEN, createDemoHandler } from '../seed/demo.js';
import { createNodeServer, writeResponse, type WebHandler } from './adapter.js';
import { acceptsGzip, isCompressible, MIN_COMPRESSED_BYTES, varyOn } from './compression.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const FROM = new Date(NOW - 7 * 86_400_000).toISOString();
const TO = new Date(NOW).toISOString();
const auth = { authorization: `Bearer ${DEMO_TOKEN}` };

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose answer is kept as it came over the wire. */
function raw(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('Accept-Encoding and what is worth compressing', () => {
  test('gzip is accepted by name or by *, and refused by a q of 0', () => {
    for (const header of ['gzip', 'GZip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.5', 'x-gzip', '*', 'br, *;q=0.1', 'gzip;q=0.001', 'gzip; Q=1']) {
      assert.equal(acceptsGzip(header), true, header);
    }
    for (const header of [undefined, null, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip; q=0.000', '*;q=0', 'gzip;q=0, *', 'gzipped', 'gzip;q=2', 'gzip;q=abc']) {
      assert.equal(acceptsGzip(header), false, String(header));
    }
  });

  test('text, JSON and SVG are compressible; the live stream and binary files are not', () => {
    for (const type of ['application/json; charset=utf-8', 'text/csv; charset=utf-8', 'text/plain', 'text/html; charset=utf-8', 'application/problem+json', 'image/svg+xml']) {
      assert.equal(isCompressible(type), true, type);
    }
    for (const type of ['text/event-stream; charset=utf-8', 'text/event-stream', 'application/octet-stream', 'image/png', 'application/jsonl', '']) {
      assert.equal(isCompressible(type), false, type);
    }
  });

  test('Vary gains Accept-Encoding once', () => {
    assert.equal(varyOn(undefined, 'Accept-Encoding'), 'Accept-Encoding');
    assert.equal(varyOn('Origin', 'Accept-Encoding'), 'Origin, Accept-Encoding');
    assert.equal(varyOn('origin, accept-encoding', 'Accept-Encoding'), 'origin, accept-encoding');
    assert.equal(varyOn('*', 'Accept-Encoding'), '*');
  });
});

describe('the node adapter compresses the contract\'s answers', () => {
  const demo = createDemoHandler({ events: 2_000, now: () => NOW, days: 7 });
  let server: Server;
  let base: string;

  before(async () => {
    await demo.ready;
    server = createNodeServer(demo.handler, () => {});
    base = await listen(server);
  });

  after(() => close(server));

  const chart = `/api/consumption?from=${FROM}&to=${TO}&groupBy=userId&bucket=hour`;

  test('a JSON answer goes gzipped to a client that accepts gzip, and decodes to the same bytes', async () => {
    const plain = await raw(base, chart, auth);
    const zipped = await raw(base, chart, { ...auth, 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(plain.status, 200);
    assert.equal(zipped.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.match(zipped.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(zipped.headers['content-length'], undefined);
    for (const answer of [plain, zipped]) assert.match(String(answer.headers.vary), /Accept-Encoding/);
    assert.ok(plain.body.byteLength > 20_000, `the chart is ${plain.body.byteLength} bytes`);
    assert.ok(zipped.body.byteLength < plain.body.byteLength / 4, `${plain.body.byteLength} → ${zipped.body.byteLength} bytes`);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
    assert.equal((JSON.parse(plain.body.toString('utf8')) as { groupBy: string }).groupBy, 'userId');
  });

  test('without Accept-Encoding, or with gzip refused, the answer goes as it is', async () => {
    const plain = await raw(base, chart, auth);
    for (const acceptEncoding of ['identity', 'gzip;q=0', 'br;q=1, gzip;q=0, *;q=0.5', '*;q=0']) {
      const answer = await raw(base, chart, { ...auth, 'accept-encoding': acceptEncoding });
      assert.equal(answer.headers['content-encoding'], undefined, acceptEncoding);
      assert.deepEqual(answer.body, plain.body, acceptEncoding);
    }
    assert.equal((await raw(base, chart, { ...auth, 'accept-encoding': '*' })).headers['content-encoding'], 'gzip');
  });

  test('the CSV export streams gzipped and decodes to the same file', async () => {
    const path = `/api/events.csv?from=${FROM}&to=${TO}`;
    const plain = await raw(base, path, auth);
    const zipped = await raw(base, path, { ...auth, 'accept-encoding': 'gzip' });
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.match(zipped.headers['content-type'] ?? '', /^text\/csv/);
    assert.match(zipped.headers['content-disposition'] ?? '', /^attachment/);
    assert.equal(zipped.headers['transfer-encoding'], 'chunked');
    const csv = gunzipSync(zipped.body);
    assert.deepEqual(csv, plain.body);
    assert.ok(csv.toString('utf8').startsWith('created,userId,amount,'));
    assert.ok(csv.toString('utf8').split('\n').length > 1_000);
  });

  test('a small answer, an error and a HEAD go as they are', async () => {
    const limits = await raw(base, '/api/limits', { ...auth, 'accept-encoding': 'gzip' });
    assert.equal(limits.status, 200);
    assert.ok(limits.body.byteLength < MIN_COMPRESSED_BYTES, `limits is ${limits.body.byteLength} bytes`);
    assert.equal(limits.headers['content-encoding'], undefined);
    assert.ok(JSON.parse(limits.body.toString('utf8')));

    const bad = await raw(base, '/api/events?pageSize=0', { ...auth, 'accept-encoding': 'gzip' });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['content-encoding'], undefined);
    assert.equal((JSON.parse(bad.body.toString('utf8')) as { error: { param: string } }).error.param, 'pageSize');
    const unauthorized = await raw(base, chart, { 'accept-encoding': 'gzip' });
    assert.equal(unauthorized.status, 401);
    assert.equal((JSON.parse(unauthorized.body.toString('utf8')) as { error: { code: string } }).error.code, 'unauthorized');

    const head = await raw(base, chart, { ...auth, 'accept-encoding': 'gzip' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-encoding'], undefined);
    assert.match(String(head.headers.vary), /Accept-Encoding/);
    assert.equal(head.body.byteLength, 0);
  });

  test('the live stream is never compressed and delivers an event promptly', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const opened = new Promise<IncomingHttpHeaders>((resolve, reject) => {
      const req = httpRequest(`${base}/api/events/stream`, { headers: { ...auth, 'accept-encoding': 'gzip' }, signal: controller.signal }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => events.push(chunk));
        res.on('error', () => {});
        resolve(res.headers);
      });
      req.on('error', (error) => (controller.signal.aborted ? undefined : reject(error)));
      req.end();
    });
    try {
      const headers = await opened;
      assert.match(headers['content-type'] ?? '', /^text\/event-stream/);
      assert.equal(headers['content-encoding'], undefined);
      const users = (await (await demo.fetch('/api/users?q=u_&limit=1', { headers: auth })).json()) as { items: { id: string }[] };
      const sentAt = Date.now();
      const ingested = await demo.fetch('/api/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_INGEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: users.items[0]!.id, amount: 1, resourceType: 'ocr', ioType: 'input', requestId: 'req_gzip_stream', endpoint: '/v1/ocr', created: new Date(NOW - 1_000).toISOString() }),
      });
      assert.equal(ingested.status, 201);
      while (!events.join('').includes('req_gzip_stream') && Date.now() - sentAt < 3_000) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.match(events.join(''), /event: consumption\nid: \d+\ndata: \[.*req_gzip_stream/);
      // The stream flushes every 250 ms: the message came with the next flush, not held in a buffer.
      assert.ok(Date.now() - sentAt < 1_500, `the event took ${Date.now() - sentAt} ms`);
    } finally {
      controller.abort();
    }
  });
});

describe('the node adapter with a handler of its own', () => {
  test('a compressed answer weakens a strong ETag; an identity one keeps it', async () => {
    const body = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ i })) });
    const server = createNodeServer(async () => new Response(body, { headers: { 'content-type': 'application/json', etag: '"v1"', vary: 'Origin' } }));
    const base = await listen(server);
    try {
      const zipped = await raw(base, '/', { 'accept-encoding': 'gzip' });
      assert.equal(zipped.headers.etag, 'W/"v1"');
      assert.equal(zipped.headers.vary, 'Origin, Accept-Encoding');
      assert.equal(gunzipSync(zipped.body).toString('utf8'), body);
      const plain = await raw(base, '/');
      assert.equal(plain.headers.etag, '"v1"');
      assert.equal(plain.body.toString('utf8'), body);
    } finally {
      await close(server);
    }
  });

  test('a client leaving a gzipped stream mid-way cancels the body and ends the gzip stream', async () => {
    let cancelled = false;
    let written!: Promise<void>;
    const row = new TextEncoder().encode(`${'x'.repeat(1_000)}\n`);
    const handler: WebHandler = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(row);
          },
          cancel() {
            cancelled = true;
          },
        }),
        { headers: { 'content-type': 'text/csv' } },
      );
    const server = createServer((_req, res) => {
      const controller = new AbortController();
      res.on('close', () => res.writableFinished || controller.abort());
      written = handler(new Request('http://localhost/')).then((response) => writeResponse(res, response, controller.signal));
    });
    const base = await listen(server);
    try {
      const received = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(base, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          assert.equal(res.headers['content-encoding'], 'gzip');
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.byteLength;
            if (bytes > 1_000) {
              req.destroy();
              resolve(bytes);
            }
          });
        });
        req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
        req.end();
      });
      assert.ok(received > 1_000);
      // writeResponse settles only once the gzip stream has ended or been destroyed.
      await Promise.race([written, new Promise((_, reject) => setTimeout(() => reject(new Error('writeResponse still running 2 s after the client left')), 2_000))]);
      assert.equal(cancelled, true, 'the body was cancelled');
    } finally {
      await close(server);
    }
  });
});
