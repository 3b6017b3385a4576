// The store contract suite, unchanged, against the PostgreSQL store on a private cluster.
import { createPostgresStore } from '../../server/store/postgres/postgres-store.js';
import type { Store } from '../../server/store/types.js';
import { NOW, runStoreContract } from '../contract/suite.js';
import { usePostgres } from './cluster.js';

const postgres = usePostgres();

runStoreContract('postgres', async () => createPostgresStore({ connectionString: await postgres.newDatabase(), now: () => NOW }), {
  closeStore: (store: Store) => store.close(),
});
