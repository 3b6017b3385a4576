/**
 * Wakes the live streams of this process when events of an organization become visible
 * in any process: one LISTEN connection per store, fed by the NOTIFY that every ingest
 * transaction sends on commit. It reconnects after a failure and then wakes every
 * listener, since a notification may have been missed meanwhile.
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
      void this.#connect().then(() => {
        if (this.#client) this.#notifyAll();
      });
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
