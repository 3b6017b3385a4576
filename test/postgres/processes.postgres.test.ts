/**
 * Several stateless API processes over one PostgreSQL: an event ingested through process
 * A reaches a live stream on process B (LISTEN/NOTIFY across processes), and a stream
 * resumes with `after` or `Last-Event-ID` on either process without losing or repeating
 * an event; another organization's events never appear.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createParser } from 'eventsource-parser';
import type { ConsumptionEvent } from '../../src/api/contract.js';
import { sha256Hex } from '../../server/domain/sha256.js';
import { createPostgresStore } from '../../server/store/postgres/postgres-store.js';
import { usePostgres } from './cluster.js';

const postgres = usePostgres();
const TOKENS = { read: 'read-token-1', ingest: 'ingest-token-1', otherIngest: 'ingest-token-2' };

function startProcess(url: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/postgres/serve.ts'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT=(\d+)/.exec(out);
      if (match) resolve({ child, base: `http://127.0.0.1:${match[1]}/api` });
    });
    child.on('exit', (code) => reject(new Error(`API process exited (${code}) before listening`)));
  });
}

/** A live stream's events as they arrive. */
class StreamReader {
  readonly events: ConsumptionEvent[] = [];
  readonly #abort = new AbortController();
  #waiters: (() => void)[] = [];

  static async open(url: string, headers: Record<string, string> = {}): Promise<StreamReader> {
    const reader = new StreamReader();
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKENS.read}`, ...headers }, signal: reader.#abort.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const parser = createParser({
      onEvent: (message) => {
        assert.equal(message.event, 'consumption', `unexpected ${message.event} message`);
        const batch = JSON.parse(message.data) as ConsumptionEvent[];
        assert.equal(message.id, batch[batch.length - 1]!.id);
        reader.events.push(...batch);
        for (const wake of reader.#waiters.splice(0)) wake();
      },
    });
    void (async () => {
      const decoder = new TextDecoder();
      const body = response.body!.getReader();
      try {
        for (let next = await body.read(); !next.done; next = await body.read()) parser.feed(decoder.decode(next.value, { stream: true }));
      } catch {
        // Closed by close().
      }
    })();
    return reader;
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<ConsumptionEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Got ${this.events.length} of ${count} events`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }

  close(): void {
    this.#abort.abort();
  }
}

async function ingest(base: string, token: string, count: number, tag: string): Promise<ConsumptionEvent[]> {
  const events = Array.from({ length: count }, (_, i) => ({
    userId: 'u1',
    amount: 10 + i,
    resourceType: 'tokens',
    ioType: i % 2 ? 'output' : 'input',
    requestId: `${tag}-${i}`,
    endpoint: '/v1/chat',
  }));
  const response = await fetch(`${base}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { items: ConsumptionEvent[] };
  for (const item of body.items) assert.ok('id' in item, JSON.stringify(item));
  return body.items;
}

const ids = (events: readonly ConsumptionEvent[]): number[] => events.map((e) => Number(e.id));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('two API processes over one PostgreSQL', () => {
  const processes: ChildProcess[] = [];
  let a = '';
  let b = '';

  before(async () => {
    const url = await postgres.newDatabase();
    const store = await createPostgresStore({ connectionString: url });
    for (const [orgId, ingestToken] of [
      ['o1', TOKENS.ingest],
      ['o2', TOKENS.otherIngest],
    ] as const) {
      await store.putOrganization({ id: orgId, name: orgId });
      await store.setOrganizationLimits(orgId, {
        effectiveFrom: 0,
        weeklyTokenLimit: 1e12,
        storageLimit: 1e12,
        surplusCapacity: { tokens: 1e9, storage: 1e9, ocr: 1e9 },
      });
      await store.putUsers(orgId, [{ id: 'u1' }]);
      await store.setUserLimits(orgId, 'u1', [{ resourceType: 'tokens', effectiveFrom: 0, basePer4h: 1e9, surplusPer4h: 1e9 }]);
      await store.putToken(sha256Hex(ingestToken), { orgId, scopes: ['read', 'ingest'] });
    }
    await store.putToken(sha256Hex(TOKENS.read), { orgId: 'o1', scopes: ['read'] });
    await store.close();
    const started = await Promise.all([startProcess(url), startProcess(url)]);
    processes.push(...started.map((s) => s.child));
    [a, b] = started.map((s) => s.base) as [string, string];
  });

  after(async () => {
    await Promise.all(
      processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  });

  it('streams on B what is ingested through A, in id order, and nothing of another organization', async () => {
    const stream = await StreamReader.open(`${b}/events/stream?after=0`);
    for (let batch = 0; batch < 3; batch++) {
      await ingest(a, TOKENS.ingest, 5, `a${batch}`);
      await ingest(a, TOKENS.otherIngest, 2, `other${batch}`);
    }
    const got = await stream.waitFor(15);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stream.close();
    assert.deepEqual(ids(got), range(1, 15));
    assert.ok(got.every((e) => e.requestId.startsWith('a')));
  });

  it('resumes from either process with Last-Event-ID or after, losing and repeating nothing', async () => {
    const live = await StreamReader.open(`${a}/events/stream`, { 'last-event-id': '15' });
    await ingest(b, TOKENS.ingest, 5, 'b');
    assert.deepEqual(ids(await live.waitFor(5)), range(16, 20));
    live.close();
    // Missed while disconnected: resumed on the other process.
    await ingest(a, TOKENS.ingest, 4, 'c');
    const resumedOnB = await StreamReader.open(`${b}/events/stream?after=18`);
    const resumedOnA = await StreamReader.open(`${a}/events/stream`, { 'last-event-id': '20' });
    assert.deepEqual(ids(await resumedOnB.waitFor(6)), range(19, 24));
    assert.deepEqual(ids(await resumedOnA.waitFor(4)), range(21, 24));
    await ingest(b, TOKENS.ingest, 1, 'd');
    assert.deepEqual(ids(await resumedOnB.waitFor(7)), range(19, 25));
    assert.deepEqual(ids(await resumedOnA.waitFor(5)), range(21, 25));
    resumedOnA.close();
    resumedOnB.close();
  });
});
