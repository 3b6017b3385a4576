/**
 * Wakes the live streams of this process when events of an organization become visible
 * in any process: one LISTEN connection per store, fed by the NOTIFY that every ingest
 * transaction sends on commit. Each time LISTEN is (re)established, after the first
 * watch or a lost connection, it wakes every listener: events committed before then sent
 * no notification it could hear.
 */
import pg from 'pg';
import { EVENTS_CHANNEL } from './ingest.js';

const RECONNECT_MS = 1_000;

export class Notifications {
  readonly #config: pg.ClientConfig;
  readonly #listeners = new Map<string, Set<() => void>>();
  #client: pg.Client | null = null;
  #connecting: Promise<void> | null = null;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | null = null;

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  /** Calls `listener` after events of `orgId` become visible; returns the unsubscribe. */
  watch(orgId: string, listener: () => void): () => void {
    let set = this.#listeners.get(orgId);
    if (!set) {
      set = new Set();
      this.#listeners.set(orgId, set);
    }
    set.add(listener);
    void this.#connect();
    return () => {
      set.delete(listener);
      if (!set.size) this.#listeners.delete(orgId);
    };
  }

  /** Wakes this process's listeners of `orgId` (right after a local commit). */
  notify(orgId: string): void {
    for (const listener of [...(this.#listeners.get(orgId) ?? [])]) listener();
  }

  #notifyAll(): void {
    for (const orgId of [...this.#listeners.keys()]) this.notify(orgId);
  }

  /** Resolves once listening (or after a failed attempt, with a retry scheduled). */
  ready(): Promise<void> {
    return this.#connect();
  }

  #connect(): Promise<void> {
    if (this.#closed || this.#client) return Promise.resolve();
    if (this.#connecting) return this.#connecting;
    this.#connecting = (async () => {
      const client = new pg.Client(this.#config);
      client.on('notification', (message) => {
        if (message.payload) this.notify(message.payload);
      });
      client.on('error', () => this.#lost(client));
      client.on('end', () => this.#lost(client));
      try {
        await client.connect();
        await client.query(`listen ${EVENTS_CHANNEL}`);
        if (this.#closed) {
          await client.end();
          return;
        }
        this.#client = client;
        // Events committed between a watch() and this LISTEN sent no notification we
        // could hear: whoever watches reads again.
        this.#notifyAll();
      } catch {
        client.removeAllListeners('end');
        void client.end().catch(() => {});
        this.#scheduleRetry();
      } finally {
        this.#connecting = null;
      }
    })();
    return this.#connecting;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#connect();
    }, RECONNECT_MS);
    this.#retry.unref?.();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#listeners.clear();
    await this.#connecting;
    const client = this.#client;
    this.#client = null;
    if (client) await client.end().catch(() => {});
  }
}

/** How often a read-only store looks for new events. */
const POLL_MS = 250;

/**
 * The wake-up of a read-only store (a streaming replica accepts no LISTEN, and NOTIFY is
 * not replicated): while anyone watches, it reads the watched organizations' newest
 * event ids every 250 ms and wakes the listeners of those that moved.
 */
export class IdPoller {
  readonly #pool: pg.Pool;
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #seen = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  watch(orgId: string, listener: () => void): () => void {
    let set = this.#listeners.get(orgId);
    if (!set) {
      set = new Set();
      this.#listeners.set(orgId, set);
    }
    set.add(listener);
    this.#schedule();
    return () => {
      set.delete(listener);
      if (!set.size) {
        this.#listeners.delete(orgId);
        this.#seen.delete(orgId);
      }
    };
  }

  notify(orgId: string): void {
    for (const listener of [...(this.#listeners.get(orgId) ?? [])]) listener();
  }

  #schedule(): void {
    if (this.#closed || this.#timer || !this.#listeners.size) return;
    this.#timer = setTimeout(() => void this.#poll(), POLL_MS);
    this.#timer.unref?.();
  }

  async #poll(): Promise<void> {
    try {
      const { rows } = await this.#pool.query<{ org_id: string; last_event_id: number }>(
        'select org_id, last_event_id from organizations where org_id = any($1::text[])',
        [[...this.#listeners.keys()]],
      );
      for (const row of rows) {
        const before = this.#seen.get(row.org_id);
        this.#seen.set(row.org_id, row.last_event_id);
        // The first reading wakes too: events may have come between watch() and it.
        if (before !== row.last_event_id) this.notify(row.org_id);
      }
    } catch {
      // The replica restarting: the next poll tries again, and wakes whoever missed events.
      for (const orgId of this.#listeners.keys()) this.#seen.set(orgId, -1);
    } finally {
      this.#timer = null;
      this.#schedule();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#listeners.clear();
  }
}
