/**
 * The embedded store's entry: `openEmbeddedStore({ file })` opens (creating and migrating
 * when needed) one SQLite database file and returns a Store with `close()`.
 */
import { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store.js';

export type { EmbeddedStore, EmbeddedStoreOptions };

/** Opens the database file as a Store (`close()` when done). */
export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  return new EmbeddedStore(options);
}
