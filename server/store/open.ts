/**
 * Opens the store `DATABASE_URL` names (node only):
 * - unset or empty: the embedded SQLite file `usage.sqlite` in the data folder (the default);
 * - `postgres://…` or `postgresql://…`: PostgreSQL;
 * - `memory:`: the in-memory store (nothing kept between starts; tests and quick demos).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryStore } from './memory/memory-store.js';
import type { Store } from './types.js';

export type StoreKind = 'embedded' | 'postgres' | 'memory';

export interface OpenStoreOptions {
  /** The folder the embedded file lives in (made when missing). */
  dataDir: string;
  /** The server's clock (PostgreSQL makes its partitions ahead of it). */
  now?: () => number;
}

export interface OpenedStore {
  store: Store;
  kind: StoreKind;
  /** Where the data lives, for the start-up message (never a password). */
  location: string;
  /** False when the data is gone at exit (the memory store). */
  persistent: boolean;
}

/** Which store a DATABASE_URL names; a clear error for anything else. */
export function storeKind(databaseUrl: string | undefined): StoreKind {
  const url = (databaseUrl ?? '').trim();
  if (url === '') return 'embedded';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (url === 'memory:' || url === 'memory') return 'memory';
  throw new Error(
    `DATABASE_URL=${redact(url)} is not understood: leave it unset for the embedded file (under DATA_DIR, default data/), ` +
      'give a postgres://user:password@host:5432/db URL for PostgreSQL, or "memory:" for the in-memory store.',
  );
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

export async function openStore(databaseUrl: string | undefined, options: OpenStoreOptions): Promise<OpenedStore> {
  const kind = storeKind(databaseUrl);
  if (kind === 'postgres') {
    const { createPostgresStore } = await import('./postgres/postgres-store.js');
    const url = databaseUrl!.trim();
    const store = await createPostgresStore({ connectionString: url, ...(options.now ? { now: options.now } : {}) });
    return { store, kind, location: redact(url), persistent: true };
  }
  if (kind === 'embedded') {
    mkdirSync(options.dataDir, { recursive: true });
    const file = join(options.dataDir, EMBEDDED_FILE);
    // Loaded only when chosen: better-sqlite3 is a native module.
    const { openEmbeddedStore } = await import('./embedded/index.js');
    return { store: await openEmbeddedStore({ file }), kind, location: file, persistent: true };
  }
  return { store: createMemoryStore(), kind, location: 'memory', persistent: false };
}

/** The embedded database's file name inside the data folder (SQLite). */
export const EMBEDDED_FILE = 'usage.sqlite';
