/**
 * One API process for the multi-process tests: the reference handler over its own
 * PostgreSQL store (DATABASE_URL), served on a free port that it prints as `PORT=<n>`.
 * A minimal node:http bridge keeps this fixture independent of the node adapter.
 */
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { createHandler } from '../../server/handler/handler.js';
import { createPostgresStore } from '../../server/store/postgres/postgres-store.js';

const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL!, max: 4 });
const handler = createHandler({ store, basePath: '/api', streamFlushMs: 50, onError: (error) => console.error(error) });

const server = createServer(async (req, res) => {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers: Object.entries(req.headers).flatMap(([name, value]) =>
      value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
    ),
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    signal: abort.signal,
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) res.write(next.value);
    } catch {
      // The client went away.
    }
  }
  res.end();
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`PORT=${typeof address === 'object' && address ? address.port : 0}\n`);
});

process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void store.close().then(() => process.exit(0));
});
